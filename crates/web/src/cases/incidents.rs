//! An incident, posted from the case's Risk part, and its correction page.

use app::AppError;
use app::auth::SessionContext;
use app::risk::IncidentEdit;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use domain::validation::FieldErrors;

use crate::AppState;
use crate::chrome::Chrome;
use crate::errors::{PageError, render_form};
use crate::extract::{ByName, Signed, SignedForm, field as kept};

use super::*;
use crate::messages::{Done, after_change};

fn input_of(pairs: &[(String, String)]) -> app::risk::IncidentInput {
    app::risk::IncidentInput {
        occurred_on: kept(pairs, "occurred_on").into(),
        source: kept(pairs, "source").into(),
        perpetrator: kept(pairs, "perpetrator").into(),
        summary: kept(pairs, "summary").into(),
    }
}

pub(crate) async fn incident(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm { ctx, pairs, .. }: SignedForm<ByName>,
) -> Result<Response, PageError> {
    let result = state
        .app
        .record_incident(&ctx.actor, &id, &input_of(&pairs))
        .await
        .map(|_| Done::IncidentRecorded);
    outcome(&state, &ctx, &id, Section::Risk, result, pairs).await
}

#[derive(Template)]
#[template(path = "cases/incident.html")]
pub(crate) struct IncidentPage {
    chrome: Chrome,
    errors: FieldErrors,
    e: IncidentEdit,
    sources: Vec<(&'static str, &'static str)>,
    /// What was typed, when a correction was refused.
    kept: Vec<(String, String)>,
}

impl IncidentPage {
    /// A field as typed, or as recorded when nothing was typed.
    fn value(&self, name: &str) -> String {
        if !self.kept.is_empty() {
            return kept(&self.kept, name).to_string();
        }
        let i = &self.e.incident;
        match name {
            "occurred_on" => i.occurred_on.clone(),
            "source" => i.source.clone(),
            "perpetrator" => i.perpetrator_link_id.clone().unwrap_or_default(),
            _ => i.summary.clone(),
        }
    }
}

async fn incident_page(
    state: &AppState,
    ctx: &SessionContext,
    id: &str,
    incident: &str,
    errors: FieldErrors,
    kept: Vec<(String, String)>,
) -> Result<Response, PageError> {
    let e = state
        .app
        .incident_to_correct(&ctx.actor, id, incident)
        .await?
        .into_inner();
    let page = IncidentPage {
        chrome: Chrome::signed(ctx, "Correct an incident", "/cases"),
        errors,
        e,
        sources: domain::risk::IncidentSource::options(),
        kept,
    };
    Ok(render_form(&page, page.errors.is_empty()))
}

pub(crate) async fn incident_form(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Path((id, incident)): Path<(String, String)>,
) -> Result<Response, PageError> {
    incident_page(&state, &ctx, &id, &incident, FieldErrors::new(), Vec::new()).await
}

pub(crate) async fn correct_incident(
    State(state): State<AppState>,
    Path((id, incident)): Path<(String, String)>,
    SignedForm { ctx, pairs, .. }: SignedForm<ByName>,
) -> Result<Response, PageError> {
    match state
        .app
        .correct_incident(&ctx.actor, &id, &incident, &input_of(&pairs))
        .await
    {
        Ok(_) => Ok(after_change(
            &format!("/cases/{id}?section=risk"),
            Done::IncidentCorrected,
        )),
        Err(AppError::Invalid(errors)) => {
            incident_page(&state, &ctx, &id, &incident, errors, pairs).await
        }
        Err(e) => Err(e.into()),
    }
}
