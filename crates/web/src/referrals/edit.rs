//! Correcting a referral's details: the form, filled with what is held, and
//! its post.

use app::AppError;
use app::auth::SessionContext;
use app::referrals::{ReferralCorrection, ReferralInput};
use app::store::referrals::CrimeTypeRow;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use domain::journey::ReferralSource;
use domain::validation::FieldErrors;
use domain::victims_code::EnhancedReason;

use crate::AppState;
use crate::chrome::Chrome;
use crate::errors::{PageError, render_form};
use crate::extract::{Signed, SignedForm};
use crate::messages::{Done, after_change};

use super::*;

#[derive(Template)]
#[template(path = "referrals/edit.html")]
pub(crate) struct EditPage {
    pub(crate) chrome: Chrome,
    pub(crate) id: String,
    pub(crate) reference: String,
    pub(crate) errors: FieldErrors,
    /// The referral as held, with what was typed over it.
    pub(crate) form: ReferralInput,
    pub(crate) areas: Vec<app::store::directory::Area>,
    pub(crate) sources: Options,
    pub(crate) crime_types: Vec<CrimeTypeRow>,
    pub(crate) consents: Options,
    pub(crate) reasons: Options,
}

/// The form over the referral as held (the read is audited, like its page).
async fn edit_form(
    state: &AppState,
    ctx: &SessionContext,
    id: &str,
    typed: Option<&ReferralCorrection>,
    errors: FieldErrors,
) -> Result<Response, PageError> {
    let held = state.app.referral(&ctx.actor, id).await?.into_inner();
    let input = ReferralInput::held(&held.item.referral, &held.person);
    let page = EditPage {
        chrome: Chrome::signed(ctx, "Correct a referral", "/referrals"),
        id: id.to_string(),
        reference: held.item.referral.reference.clone(),
        errors,
        form: match typed {
            Some(typed) => typed.onto(input),
            None => input,
        },
        areas: state.app.areas(&ctx.actor).await?,
        sources: ReferralSource::options(),
        crime_types: state.app.crime_types().await?,
        consents: consent_options(),
        reasons: EnhancedReason::options(),
    };
    Ok(render_form(&page, page.errors.is_empty()))
}

pub(crate) async fn edit_page(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    edit_form(&state, &ctx, &id, None, FieldErrors::new()).await
}

pub(crate) async fn correct(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm { ctx, form, .. }: SignedForm<ReferralCorrection>,
) -> Result<Response, PageError> {
    // A form says every field: no ticked reason is no reasons, not "unchanged".
    let form = ReferralCorrection {
        enhanced_reasons: Some(form.enhanced_reasons.clone().unwrap_or_default()),
        ..form
    };
    match state.app.correct_referral(&ctx.actor, &id, &form).await {
        Ok(_) => Ok(after_change(
            &format!("/referrals/{id}"),
            Done::ReferralCorrected,
        )),
        Err(AppError::Invalid(errors)) => edit_form(&state, &ctx, &id, Some(&form), errors).await,
        Err(e) => Err(e.into()),
    }
}
