//! The new referral form: the referral's field list and the form's choice of person.

use app::AppError;
use app::auth::SessionContext;
use app::referrals::{PersonChoice, ReferralInput};
use app::store::directory::Service;
use app::store::people::Person;
use app::store::referrals::CrimeTypeRow;
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use domain::journey::ReferralSource;
use domain::policy::{self, Action};
use domain::validation::FieldErrors;
use domain::victims_code::EnhancedReason;
use serde::Deserialize;

use crate::AppState;
use crate::chrome::Chrome;
use crate::errors::{PageError, render_form};
use crate::extract::{Signed, SignedForm};

use super::*;

/// The referral form: the referral's one field list, and the form's own
/// choice of person.
#[derive(Default, Clone, Deserialize)]
#[serde(default)]
pub(crate) struct ReferralForm {
    #[serde(flatten)]
    pub(crate) referral: ReferralInput,
    #[serde(flatten)]
    pub(crate) choice: PersonChoice,
}

impl std::ops::Deref for ReferralForm {
    type Target = ReferralInput;

    fn deref(&self) -> &ReferralInput {
        &self.referral
    }
}

#[derive(Template)]
#[template(path = "referrals/new.html")]
pub(crate) struct NewPage {
    pub(crate) chrome: Chrome,
    pub(crate) errors: FieldErrors,
    pub(crate) form: ReferralForm,
    pub(crate) services: Vec<Service>,
    pub(crate) areas: Vec<app::store::directory::Area>,
    pub(crate) sources: Options,
    pub(crate) crime_types: Vec<CrimeTypeRow>,
    pub(crate) consents: Options,
    pub(crate) reasons: Options,
    pub(crate) demographics: Vec<(&'static str, &'static str, Options)>,
    pub(crate) matches: Vec<Person>,
    pub(crate) channels: Options,
}

/// Whether a channel was ticked as safe (or unsafe) on the form.
pub(crate) fn said(form: &ReferralForm, field: &str, channel: &str) -> bool {
    let list = if field == "safe_channels" {
        &form.safe_channels
    } else {
        &form.unsafe_channels
    };
    list.iter().any(|c| c == channel)
}

pub(crate) async fn new_form(
    state: &AppState,
    ctx: &SessionContext,
    form: ReferralForm,
    errors: FieldErrors,
    matches: Vec<Person>,
) -> Result<Response, PageError> {
    if !policy::may_somewhere(&ctx.actor, Action::SubmitReferral) {
        return Err(AppError::Forbidden.into());
    }
    let submit = policy::visibility(&ctx.actor, Action::SubmitReferral);
    let services = state
        .app
        .services(&ctx.actor)
        .await?
        .into_iter()
        .filter(|s| submit.contains(&app::directory::place_of_service(s)))
        .collect();
    let page = NewPage {
        areas: state.app.areas(&ctx.actor).await?,
        chrome: Chrome::signed(ctx, "Take a referral", "/referrals"),
        errors,
        form,
        services,
        sources: ReferralSource::options(),
        crime_types: state.app.crime_types().await?,
        consents: consent_options(),
        reasons: EnhancedReason::options(),
        demographics: crate::people::demographics(),
        matches,
        channels: domain::journey::Channel::options(),
    };
    Ok(render_form(
        &page,
        page.errors.is_empty() && page.matches.is_empty(),
    ))
}

pub(crate) async fn new_page(
    State(state): State<AppState>,
    Signed(ctx): Signed,
) -> Result<Response, PageError> {
    // Nothing is preselected: consent in particular must be answered.
    new_form(
        &state,
        &ctx,
        ReferralForm::default(),
        FieldErrors::new(),
        Vec::new(),
    )
    .await
}

pub(crate) async fn create(
    State(state): State<AppState>,
    SignedForm { ctx, form, .. }: SignedForm<ReferralForm>,
) -> Result<Response, PageError> {
    match state
        .app
        .take_referral(&ctx.actor, &form.referral, &form.choice)
        .await
    {
        Ok(taken) => Ok(Redirect::to(&format!("/referrals/{}", taken.referral.id)).into_response()),
        Err(AppError::Invalid(errors)) => new_form(&state, &ctx, form, errors, Vec::new()).await,
        Err(AppError::PossibleDuplicates(matches)) => {
            new_form(&state, &ctx, form, FieldErrors::new(), matches).await
        }
        Err(e) => Err(e.into()),
    }
}
