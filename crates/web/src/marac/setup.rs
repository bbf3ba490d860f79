//! Setting up a MARAC and correcting it, for system administrators: its
//! name, area, agenda order and minutes' working days, and its member
//! agencies, each tied to an organisation of the directory.

use app::AppError;
use app::auth::SessionContext;
use app::marac::{AgencyInput, Marac, MaracCorrection, MaracInput, MaracSetup};
use app::store::directory::{Area, Organisation};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use domain::validation::FieldErrors;

use crate::AppState;
use crate::chrome::Chrome;
use crate::errors::{PageError, render_form};
use crate::extract::{ByName, Signed, SignedForm, field as kept};
use crate::messages::{Done, DoneQuery, after_change};

#[derive(Template)]
#[template(path = "marac/setup.html")]
pub(crate) struct SetupPage {
    chrome: Chrome,
    maracs: Vec<Marac>,
    areas: Vec<Area>,
    notice: Option<String>,
    errors: FieldErrors,
    kept: Vec<(String, String)>,
}

impl SetupPage {
    fn value(&self, name: &str) -> String {
        match (kept(&self.kept, name), name) {
            ("", "minutes_due_days") => "5".to_string(),
            (typed, _) => typed.to_string(),
        }
    }
}

async fn setup_page(
    state: &AppState,
    ctx: &SessionContext,
    notice: Option<String>,
    errors: FieldErrors,
    kept: Vec<(String, String)>,
) -> Result<Response, PageError> {
    let maracs = state.app.maracs_to_set_up(&ctx.actor).await?;
    let page = SetupPage {
        chrome: Chrome::signed(ctx, "MARAC set-up", "/maracs/setup"),
        maracs,
        areas: state.app.areas(&ctx.actor).await?,
        notice,
        errors,
        kept,
    };
    Ok(render_form(&page, page.errors.is_empty()))
}

pub(crate) async fn setup(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    axum::extract::Query(done): axum::extract::Query<DoneQuery>,
) -> Result<Response, PageError> {
    setup_page(&state, &ctx, done.notice(), FieldErrors::new(), Vec::new()).await
}

/// A whole number typed into a form; anything else is 0, which every
/// range refuses by name.
fn number(pairs: &[(String, String)], name: &str) -> i64 {
    kept(pairs, name).trim().parse().unwrap_or(0)
}

pub(crate) async fn create(
    State(state): State<AppState>,
    SignedForm { ctx, pairs, .. }: SignedForm<ByName>,
) -> Result<Response, PageError> {
    let input = MaracInput {
        name: kept(&pairs, "name").into(),
        area_id: kept(&pairs, "area").into(),
        agencies: Vec::new(),
        agenda_order: kept(&pairs, "agenda_order").into(),
        minutes_due_days: number(&pairs, "minutes_due_days"),
    };
    match state.app.create_marac(&ctx.actor, &input).await {
        Ok(marac) => Ok(after_change(
            &format!("/maracs/{}/edit", marac.id),
            Done::MaracCreated,
        )),
        Err(AppError::Invalid(errors)) => setup_page(&state, &ctx, None, errors, pairs).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "marac/edit.html")]
pub(crate) struct EditPage {
    chrome: Chrome,
    setup: MaracSetup,
    organisations: Vec<Organisation>,
    kinds: Vec<(&'static str, &'static str)>,
    notice: Option<String>,
    errors: FieldErrors,
    kept: Vec<(String, String)>,
}

impl EditPage {
    /// A field as typed, or as recorded when nothing was typed.
    fn value(&self, name: &str) -> String {
        if !self.kept.is_empty() {
            return kept(&self.kept, name).to_string();
        }
        let m = &self.setup.marac;
        match name {
            "name" => m.name.clone(),
            "agenda_order" => m.agenda_order.clone(),
            "minutes_due_days" => m.minutes_due_days.to_string(),
            _ => self
                .setup
                .agencies
                .iter()
                .enumerate()
                .find_map(|(i, a)| match name.strip_prefix(&format!("agency-{i}-")) {
                    Some("name") => Some(a.name.clone()),
                    Some("kind") => Some(a.kind.clone()),
                    Some("organisation") => Some(a.organisation_id.clone().unwrap_or_default()),
                    _ => None,
                })
                .unwrap_or_default(),
        }
    }
}

async fn edit_page(
    state: &AppState,
    ctx: &SessionContext,
    id: &str,
    notice: Option<String>,
    errors: FieldErrors,
    kept: Vec<(String, String)>,
) -> Result<Response, PageError> {
    let setup = state.app.marac_to_correct(&ctx.actor, id).await?;
    let page = EditPage {
        chrome: Chrome::signed(ctx, "Correct a MARAC", "/maracs/setup"),
        setup,
        organisations: state.app.organisations(&ctx.actor).await?,
        kinds: domain::marac::AgencyKind::options(),
        notice,
        errors,
        kept,
    };
    Ok(render_form(&page, page.errors.is_empty()))
}

pub(crate) async fn edit_form(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Path(id): Path<String>,
    axum::extract::Query(done): axum::extract::Query<DoneQuery>,
) -> Result<Response, PageError> {
    edit_page(
        &state,
        &ctx,
        &id,
        done.notice(),
        FieldErrors::new(),
        Vec::new(),
    )
    .await
}

fn agency_of(pairs: &[(String, String)], prefix: &str) -> AgencyInput {
    AgencyInput::new(
        kept(pairs, &format!("{prefix}-name")),
        kept(pairs, &format!("{prefix}-kind")),
        kept(pairs, &format!("{prefix}-organisation")),
    )
}

pub(crate) async fn correct(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm { ctx, pairs, .. }: SignedForm<ByName>,
) -> Result<Response, PageError> {
    let agencies = (0..)
        .map_while(|i| {
            let agency = kept(&pairs, &format!("agency-{i}-id"));
            (!agency.is_empty()).then(|| {
                (
                    agency.to_string(),
                    agency_of(&pairs, &format!("agency-{i}")),
                )
            })
        })
        .collect();
    let input = MaracCorrection {
        name: kept(&pairs, "name").into(),
        agenda_order: kept(&pairs, "agenda_order").into(),
        minutes_due_days: number(&pairs, "minutes_due_days"),
        agencies,
        new_agency: agency_of(&pairs, "new"),
    };
    match state.app.correct_marac(&ctx.actor, &id, &input).await {
        Ok(_) => Ok(after_change(
            &format!("/maracs/{id}/edit"),
            Done::MaracCorrected,
        )),
        Err(AppError::Invalid(errors)) => edit_page(&state, &ctx, &id, None, errors, pairs).await,
        Err(e) => Err(e.into()),
    }
}
