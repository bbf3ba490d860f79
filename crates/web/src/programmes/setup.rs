//! Setting up a programme and correcting it, for system administrators:
//! its name, delivering service, period, baseline period, funding and
//! partners.

use app::AppError;
use app::auth::SessionContext;
use app::programmes::{Partner, Programme, ProgrammeInput};
use app::store::directory::Service;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use domain::validation::FieldErrors;

use crate::AppState;
use crate::chrome::Chrome;
use crate::errors::{PageError, render_form};
use crate::extract::{ByName, Signed, SignedForm, field as kept};
use crate::messages::{Done, DoneQuery, after_change};

/// A programme as the form sends it: partners one to a line.
fn programme_input(pairs: &[(String, String)]) -> ProgrammeInput {
    let text = |key: &str| kept(pairs, key).to_string();
    ProgrammeInput {
        name: text("name"),
        service: text("service"),
        starts_on: text("starts_on"),
        ends_on: text("ends_on"),
        baseline_from: text("baseline_from"),
        baseline_to: text("baseline_to"),
        funding: text("funding"),
        funding_source: text("funding_source"),
        partners: kept(pairs, "partners")
            .lines()
            .map(str::to_string)
            .collect(),
    }
}

#[derive(Template)]
#[template(path = "programmes/setup.html")]
pub(crate) struct SetupPage {
    chrome: Chrome,
    programmes: Vec<Programme>,
    services: Vec<Service>,
    notice: Option<String>,
    errors: FieldErrors,
    kept: Vec<(String, String)>,
}

impl SetupPage {
    fn value(&self, name: &str) -> String {
        kept(&self.kept, name).to_string()
    }
}

async fn setup_page(
    state: &AppState,
    ctx: &SessionContext,
    notice: Option<String>,
    errors: FieldErrors,
    kept: Vec<(String, String)>,
) -> Result<Response, PageError> {
    let programmes = state.app.programmes_set_up(&ctx.actor).await?;
    let page = SetupPage {
        chrome: Chrome::signed(ctx, "Programme set-up", "/programmes/setup"),
        programmes,
        services: state.app.services(&ctx.actor).await?,
        notice,
        errors,
        kept,
    };
    Ok(render_form(&page, page.errors.is_empty()))
}

pub(crate) async fn setup(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Query(done): Query<DoneQuery>,
) -> Result<Response, PageError> {
    setup_page(&state, &ctx, done.notice(), FieldErrors::new(), Vec::new()).await
}

pub(crate) async fn create(
    State(state): State<AppState>,
    SignedForm { ctx, pairs, .. }: SignedForm<ByName>,
) -> Result<Response, PageError> {
    match state
        .app
        .create_programme(&ctx.actor, &programme_input(&pairs))
        .await
    {
        Ok(_) => Ok(after_change("/programmes/setup", Done::ProgrammeCreated)),
        Err(AppError::Invalid(errors)) => setup_page(&state, &ctx, None, errors, pairs).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "programmes/edit.html")]
pub(crate) struct EditPage {
    chrome: Chrome,
    programme: Programme,
    partners: Vec<Partner>,
    errors: FieldErrors,
    kept: Vec<(String, String)>,
}

impl EditPage {
    /// A field as typed, or as recorded when nothing was typed.
    fn value(&self, name: &str) -> String {
        if !self.kept.is_empty() {
            return kept(&self.kept, name).to_string();
        }
        let p = &self.programme;
        match name {
            "name" => p.name.clone(),
            "starts_on" => p.starts_on.clone(),
            "ends_on" => p.ends_on.clone(),
            "baseline_from" => p.baseline_from.clone(),
            "baseline_to" => p.baseline_to.clone(),
            "funding" => format!("{}.{:02}", p.funding_pence / 100, p.funding_pence % 100),
            "funding_source" => p.funding_source.clone(),
            "partners" => self
                .partners
                .iter()
                .map(|p| format!("{}: {}", p.name, p.part))
                .collect::<Vec<_>>()
                .join("\n"),
            _ => String::new(),
        }
    }
}

async fn edit_page(
    state: &AppState,
    ctx: &SessionContext,
    id: &str,
    errors: FieldErrors,
    kept: Vec<(String, String)>,
) -> Result<Response, PageError> {
    let (programme, partners) = state.app.programme_to_correct(&ctx.actor, id).await?;
    let page = EditPage {
        chrome: Chrome::signed(ctx, "Correct a programme", "/programmes/setup"),
        programme,
        partners,
        errors,
        kept,
    };
    Ok(render_form(&page, page.errors.is_empty()))
}

pub(crate) async fn edit_form(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    edit_page(&state, &ctx, &id, FieldErrors::new(), Vec::new()).await
}

pub(crate) async fn correct(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm { ctx, pairs, .. }: SignedForm<ByName>,
) -> Result<Response, PageError> {
    match state
        .app
        .correct_programme(&ctx.actor, &id, &programme_input(&pairs))
        .await
    {
        Ok(_) => Ok(after_change("/programmes/setup", Done::ProgrammeCorrected)),
        Err(AppError::Invalid(errors)) => edit_page(&state, &ctx, &id, errors, pairs).await,
        Err(e) => Err(e.into()),
    }
}
