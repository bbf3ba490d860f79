//! Correcting the office's own records: an objective's code and words, and
//! a funding source's name, kind and origin. Each form shows the record as
//! it stands, and keeps what was typed when refused.

use app::AppError;
use app::auth::SessionContext;
use app::commissioning::{FundingSourceInput, ObjectiveInput};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use domain::validation::FieldErrors;

use crate::AppState;
use crate::chrome::Chrome;
use crate::errors::{PageError, render_form};
use crate::extract::{ByName, Signed, SignedForm, field as kept};
use crate::messages::{Done, after_change};

/// Which record the form corrects.
enum Record {
    Objective,
    Source,
}

#[derive(Template)]
#[template(path = "commissioning/record_form.html")]
struct RecordForm {
    chrome: Chrome,
    record: Record,
    action: String,
    kinds: Vec<(&'static str, &'static str)>,
    errors: FieldErrors,
    kept: Vec<(String, String)>,
}

impl RecordForm {
    fn value(&self, name: &str) -> String {
        kept(&self.kept, name).to_string()
    }

    fn is_source(&self) -> bool {
        matches!(self.record, Record::Source)
    }
}

fn form(
    ctx: &SessionContext,
    record: Record,
    id: &str,
    errors: FieldErrors,
    kept: Vec<(String, String)>,
) -> Response {
    let (title, action) = match record {
        Record::Objective => (
            "Correct an objective",
            format!("/commissioning/objectives/{id}"),
        ),
        Record::Source => (
            "Correct a funding source",
            format!("/commissioning/sources/{id}"),
        ),
    };
    let valid = errors.is_empty();
    let page = RecordForm {
        chrome: Chrome::signed(ctx, title, "/commissioning"),
        record,
        action,
        kinds: domain::commissioning::FundingKind::options(),
        errors,
        kept,
    };
    render_form(&page, valid)
}

pub(crate) async fn objective_form(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let o = state.app.objective(&ctx.actor, &id).await?;
    let recorded = vec![("code".to_string(), o.code), ("title".to_string(), o.title)];
    Ok(form(
        &ctx,
        Record::Objective,
        &id,
        FieldErrors::new(),
        recorded,
    ))
}

pub(crate) async fn correct_objective(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm { ctx, pairs, .. }: SignedForm<ByName>,
) -> Result<Response, PageError> {
    let input = ObjectiveInput {
        code: kept(&pairs, "code").to_string(),
        title: kept(&pairs, "title").to_string(),
    };
    match state.app.correct_objective(&ctx.actor, &id, &input).await {
        Ok(_) => Ok(after_change("/commissioning", Done::ObjectiveCorrected)),
        Err(AppError::Invalid(errors)) => Ok(form(&ctx, Record::Objective, &id, errors, pairs)),
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn source_form(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let s = state.app.funding_source(&ctx.actor, &id).await?;
    let recorded = vec![
        ("name".to_string(), s.name),
        ("kind".to_string(), s.kind),
        ("origin".to_string(), s.origin),
    ];
    Ok(form(
        &ctx,
        Record::Source,
        &id,
        FieldErrors::new(),
        recorded,
    ))
}

pub(crate) async fn correct_source(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm { ctx, pairs, .. }: SignedForm<ByName>,
) -> Result<Response, PageError> {
    let input = FundingSourceInput {
        name: kept(&pairs, "name").to_string(),
        kind: kept(&pairs, "kind").to_string(),
        origin: kept(&pairs, "origin").to_string(),
    };
    match state
        .app
        .correct_funding_source(&ctx.actor, &id, &input)
        .await
    {
        Ok(_) => Ok(after_change("/commissioning", Done::FundingSourceCorrected)),
        Err(AppError::Invalid(errors)) => Ok(form(&ctx, Record::Source, &id, errors, pairs)),
        Err(e) => Err(e.into()),
    }
}
