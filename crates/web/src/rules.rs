//! The Victims' Code rules an installation sets for itself: the length of
//! each deadline and the crime types referrals may carry, with each one's
//! consent rule. System administrators only; every change is audited.

use app::AppError;
use app::auth::SessionContext;
use app::store::referrals::CrimeTypeSetting;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use domain::policy::{self, Action};
use domain::validation::FieldErrors;
use domain::victims_code::Clock;
use serde::Deserialize;

use crate::AppState;
use crate::chrome::Chrome;
use crate::confirm::{Ask, ask_first};
use crate::errors::{PageError, render_form};
use crate::extract::{Signed, SignedForm};
use crate::messages::ConfirmMessage;
use crate::messages::{Done, DoneQuery, FormMessage, after_change};
use crate::routes::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .route("/code-rules", get(show))
        .route("/code-rules/clocks/{code}", post(set_clock))
        .route("/code-rules/crime-types", post(set_crime_type))
        .route("/code-rules/crime-types/{code}/retire", post(retire))
        .route("/code-rules/crime-types/{code}/offer", post(offer))
}

#[derive(Deserialize, Default)]
struct ClockForm {
    #[serde(default)]
    working_days: String,
    #[serde(default)]
    enhanced_working_days: String,
}

#[derive(Deserialize, Default)]
struct CrimeTypeForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    label: String,
    #[serde(default)]
    consent: String,
    /// The Code reason for enhanced rights the type carries, or empty.
    #[serde(default)]
    enhanced: String,
}

#[derive(Template)]
#[template(path = "code_rules.html")]
struct RulesPage {
    chrome: Chrome,
    errors: FieldErrors,
    clocks: Vec<Clock>,
    /// The clock whose form is shown again with its errors, and what was typed.
    clock_form: Option<(String, ClockForm)>,
    crime_types: Vec<CrimeTypeSetting>,
    crime_type_form: CrimeTypeForm,
    notice: Option<String>,
}

impl RulesPage {
    /// What a clock's field shows: as typed if its form had errors, else as set.
    fn typed(&self, clock: &Clock, enhanced: bool) -> String {
        match &self.clock_form {
            Some((code, form)) if *code == clock.code => {
                if enhanced {
                    form.enhanced_working_days.clone()
                } else {
                    form.working_days.clone()
                }
            }
            _ if enhanced => clock
                .enhanced_working_days
                .map(|d| d.to_string())
                .unwrap_or_default(),
            _ => clock.working_days.to_string(),
        }
    }

    fn clock_error(&self, clock: &Clock, field: &str) -> Option<&str> {
        self.errors.get(&format!("{}-{field}", clock.code))
    }
}

/// What a crime type gives its victims by itself, in words.
fn enhanced_label(reason: &Option<String>) -> &'static str {
    reason
        .as_deref()
        .and_then(domain::victims_code::EnhancedReason::parse)
        .map_or("No", |r| r.label())
}

/// The reasons a crime type may carry, for the form's choice.
fn enhanced_options() -> Vec<(&'static str, &'static str)> {
    domain::victims_code::EnhancedReason::options()
}

fn consent_label(rule: &str) -> &'static str {
    if rule == "opt_in" {
        "Opt-in: passed on only with consent"
    } else {
        "Opt-out: passed on unless declined"
    }
}

async fn page(
    state: &AppState,
    ctx: &SessionContext,
    errors: FieldErrors,
    clock_form: Option<(String, ClockForm)>,
    crime_type_form: CrimeTypeForm,
    notice: Option<String>,
) -> Result<Response, PageError> {
    if !policy::may(
        &ctx.actor,
        Action::ManageDirectory,
        &policy::Place::default(),
    ) {
        return Err(AppError::Forbidden.into());
    }
    let page = RulesPage {
        chrome: Chrome::signed(ctx, "Victims' Code rules", "/code-rules"),
        errors,
        clocks: state.app.clocks().await?,
        clock_form,
        crime_types: state.app.crime_type_settings(&ctx.actor).await?,
        crime_type_form,
        notice,
    };
    Ok(render_form(&page, page.errors.is_empty()))
}

/// The page as it stands, with an optional notice of what just changed.
async fn fresh_page(
    state: &AppState,
    ctx: &SessionContext,
    notice: Option<String>,
) -> Result<Response, PageError> {
    page(
        state,
        ctx,
        FieldErrors::new(),
        None,
        CrimeTypeForm::default(),
        notice,
    )
    .await
}

async fn show(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Query(done): Query<DoneQuery>,
) -> Result<Response, PageError> {
    fresh_page(&state, &ctx, done.notice()).await
}

/// A whole number of working days, or an error on the field.
fn days(errors: &mut FieldErrors, field: &str, text: &str, required: bool) -> Option<i64> {
    let text = text.trim();
    if text.is_empty() {
        if required {
            errors.add(field, FormMessage::EnterWorkingDays);
        }
        return None;
    }
    match text.parse::<i64>() {
        Ok(n) => Some(n),
        Err(_) => {
            errors.add(field, FormMessage::WorkingDaysWhole);
            None
        }
    }
}

async fn set_clock(
    State(state): State<AppState>,
    Path(code): Path<String>,
    form: SignedForm<ClockForm>,
) -> Result<Response, PageError> {
    let SignedForm { ctx, form, .. } = form;
    let mut errors = FieldErrors::new();
    let working = days(&mut errors, "working_days", &form.working_days, true);
    let enhanced = days(
        &mut errors,
        "enhanced_working_days",
        &form.enhanced_working_days,
        false,
    );
    let result = match (errors.is_empty(), working) {
        (true, Some(working)) => {
            state
                .app
                .set_clock(&ctx.actor, &code, working, enhanced)
                .await
        }
        _ => Err(AppError::Invalid(errors)),
    };
    match result {
        Ok(()) => Ok(after_change("/code-rules", Done::DeadlineChanged)),
        Err(AppError::Invalid(mut errors)) => {
            // Each clock has its own form, so its fields carry its code.
            for e in &mut errors.0 {
                e.field = format!("{code}-{}", e.field);
            }
            page(
                &state,
                &ctx,
                errors,
                Some((code, form)),
                CrimeTypeForm::default(),
                None,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

async fn set_crime_type(
    State(state): State<AppState>,
    form: SignedForm<CrimeTypeForm>,
) -> Result<Response, PageError> {
    let SignedForm { ctx, form, .. } = form;
    match state
        .app
        .set_crime_type(
            &ctx.actor,
            &form.code,
            app::referrals::CrimeTypeRule {
                label: &form.label,
                consent: &form.consent,
                enhanced: &form.enhanced,
            },
            true,
        )
        .await
    {
        Ok(()) => Ok(after_change("/code-rules", Done::CrimeTypeAdded)),
        Err(AppError::Invalid(errors)) => page(&state, &ctx, errors, None, form, None).await,
        Err(e) => Err(e.into()),
    }
}

async fn offered(
    state: &AppState,
    ctx: &SessionContext,
    code: &str,
    offer: bool,
) -> Result<Response, PageError> {
    match state.app.offer_crime_type(&ctx.actor, code, offer).await {
        Ok(()) if offer => Ok(after_change("/code-rules", Done::CrimeTypeOffered)),
        Ok(()) => Ok(after_change("/code-rules", Done::CrimeTypeRetired)),
        Err(AppError::Invalid(_)) => Err(AppError::NotFound.into()),
        Err(e) => Err(e.into()),
    }
}

async fn retire(
    State(state): State<AppState>,
    Path(code): Path<String>,
    form: SignedForm<CrimeTypeForm>,
) -> Result<Response, PageError> {
    let ask = Ask {
        question: ConfirmMessage::RetireCrimeType,
        consequence: ConfirmMessage::RetireCrimeTypeConsequence,
        yes: ConfirmMessage::RetireCrimeTypeYes,
    };
    let action = format!("/code-rules/crime-types/{code}/retire");
    if let Some(asking) = ask_first(&form, ask, &action, "/code-rules") {
        return Ok(asking);
    }
    offered(&state, &form.ctx, &code, false).await
}

async fn offer(
    State(state): State<AppState>,
    Path(code): Path<String>,
    form: SignedForm<CrimeTypeForm>,
) -> Result<Response, PageError> {
    offered(&state, &form.ctx, &code, true).await
}
