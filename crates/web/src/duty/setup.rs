//! Setting up a duty rota and correcting it, for system administrators:
//! its name, duty role and line, cover pattern, response target and
//! handover time, and the services sharing it.

use app::AppError;
use app::auth::SessionContext;
use app::duty::{Rota, RotaInput, RotaService};
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

/// A rota's fields as the form sends them (services apart).
fn rota_input(pairs: &[(String, String)]) -> RotaInput {
    RotaInput {
        name: kept(pairs, "name").into(),
        role: kept(pairs, "role").into(),
        contact: kept(pairs, "contact").into(),
        pattern: kept(pairs, "pattern").into(),
        services: pairs
            .iter()
            .filter(|(k, _)| k == "services")
            .map(|(_, v)| v.clone())
            .collect(),
        response_hours: kept(pairs, "response_hours").into(),
        out_of_hours_by: kept(pairs, "out_of_hours_by").into(),
        handover_at: kept(pairs, "handover_at").into(),
    }
}

#[derive(Template)]
#[template(path = "duty/setup.html")]
pub(crate) struct SetupPage {
    chrome: Chrome,
    rotas: Vec<(Rota, Vec<RotaService>)>,
    services: Vec<Service>,
    notice: Option<String>,
    errors: FieldErrors,
    kept: Vec<(String, String)>,
}

impl SetupPage {
    fn value(&self, name: &str) -> String {
        kept(&self.kept, name).to_string()
    }

    fn chosen(&self, service: &str) -> bool {
        self.kept
            .iter()
            .any(|(k, v)| k == "services" && v == service)
    }
}

async fn setup_page(
    state: &AppState,
    ctx: &SessionContext,
    notice: Option<String>,
    errors: FieldErrors,
    kept: Vec<(String, String)>,
) -> Result<Response, PageError> {
    let rotas = state.app.duty_rotas_to_set_up(&ctx.actor).await?;
    let page = SetupPage {
        chrome: Chrome::signed(ctx, "Duty set-up", "/duty/setup"),
        rotas,
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
        .create_duty_rota(&ctx.actor, &rota_input(&pairs))
        .await
    {
        Ok(_) => Ok(after_change("/duty/setup", Done::DutyRotaCreated)),
        Err(AppError::Invalid(errors)) => setup_page(&state, &ctx, None, errors, pairs).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "duty/edit.html")]
pub(crate) struct EditPage {
    chrome: Chrome,
    rota: Rota,
    services: Vec<RotaService>,
    errors: FieldErrors,
    kept: Vec<(String, String)>,
}

impl EditPage {
    /// A field as typed, or as recorded when nothing was typed.
    fn value(&self, name: &str) -> String {
        if !self.kept.is_empty() {
            return kept(&self.kept, name).to_string();
        }
        let r = &self.rota;
        match name {
            "name" => r.name.clone(),
            "role" => r.role.clone(),
            "contact" => r.contact.clone(),
            "pattern" => r.pattern.clone(),
            "response_hours" => r.response_hours.to_string(),
            "out_of_hours_by" => r.out_of_hours_by.clone(),
            "handover_at" => r.handover_at.clone(),
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
    let (rota, services) = state
        .app
        .duty_rotas_to_set_up(&ctx.actor)
        .await?
        .into_iter()
        .find(|(r, _)| r.id == id)
        .ok_or(AppError::NotFound)?;
    let page = EditPage {
        chrome: Chrome::signed(ctx, "Correct a duty rota", "/duty/setup"),
        rota,
        services,
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
        .correct_duty_rota(&ctx.actor, &id, &rota_input(&pairs))
        .await
    {
        Ok(_) => Ok(after_change("/duty/setup", Done::DutyRotaCorrected)),
        Err(AppError::Invalid(errors)) => edit_page(&state, &ctx, &id, errors, pairs).await,
        Err(e) => Err(e.into()),
    }
}
