//! A referral to a MARAC, posted from the case's MARAC part.

use axum::extract::{Path, State};
use axum::response::Response;

use crate::AppState;
use crate::errors::PageError;
use crate::extract::{ByName, SignedForm, field as kept};

use super::*;
use crate::messages::{ConfirmMessage, Done};

pub(crate) async fn refer_to_marac(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm { ctx, pairs, .. }: SignedForm<ByName>,
) -> Result<Response, PageError> {
    let (marac, meeting) = kept(&pairs, "meeting")
        .split_once('/')
        .map(|(m, t)| (m.to_string(), t.to_string()))
        .unwrap_or_default();
    let input = app::marac::MaracReferralInput {
        marac,
        meeting,
        consent: kept(&pairs, "consent").into(),
        without_consent_reason: kept(&pairs, "without_consent_reason").into(),
    };
    let result = state
        .app
        .refer_to_marac(&ctx.actor, &id, &input)
        .await
        .map(|_| Done::MaracReferred);
    outcome(&state, &ctx, &id, Section::Marac, result, pairs).await
}

/// Withdraws a referral waiting for its meeting, with the reason; asks first.
pub(crate) async fn withdraw_marac_referral(
    State(state): State<AppState>,
    Path((id, referral)): Path<(String, String)>,
    form: SignedForm<ByName>,
) -> Result<Response, PageError> {
    let ask = crate::confirm::Ask {
        question: ConfirmMessage::WithdrawMaracReferral,
        consequence: ConfirmMessage::WithdrawMaracReferralConsequence,
        yes: ConfirmMessage::WithdrawMaracReferralYes,
    };
    let back = format!("/cases/{id}?section=marac");
    let action = format!("/cases/{id}/marac/{referral}/withdraw");
    if let Some(asking) = crate::confirm::ask_first(&form, ask, &action, &back) {
        return Ok(asking);
    }
    let SignedForm { ctx, pairs, .. } = form;
    let result = state
        .app
        .withdraw_marac_referral(&ctx.actor, &id, &referral, kept(&pairs, "withdrawn_reason"))
        .await
        .map(|()| Done::MaracReferralWithdrawn);
    outcome(&state, &ctx, &id, Section::Marac, result, pairs).await
}

#[derive(askama::Template)]
#[template(path = "cases/marac_referral.html")]
pub(crate) struct ReferralPage {
    chrome: crate::chrome::Chrome,
    errors: domain::validation::FieldErrors,
    r: app::marac::ReferralToCorrect,
    case_id: String,
    /// What was typed, when a correction was refused.
    kept: Vec<(String, String)>,
}

impl ReferralPage {
    /// A field as typed, or as recorded when nothing was typed.
    fn value(&self, name: &str) -> String {
        if !self.kept.is_empty() {
            return kept(&self.kept, name).to_string();
        }
        let r = &self.r.referral;
        match name {
            "meeting" => r.meeting_id.clone(),
            "consent" => r.consent.clone(),
            _ => r.without_consent_reason.clone(),
        }
    }
}

async fn referral_page(
    state: &AppState,
    ctx: &app::auth::SessionContext,
    id: &str,
    referral: &str,
    errors: domain::validation::FieldErrors,
    kept: Vec<(String, String)>,
) -> Result<Response, PageError> {
    let r = state
        .app
        .marac_referral_to_correct(&ctx.actor, id, referral)
        .await?
        .into_inner();
    let page = ReferralPage {
        chrome: crate::chrome::Chrome::signed(ctx, "Correct a referral to a MARAC", "/cases"),
        errors,
        r,
        case_id: id.to_string(),
        kept,
    };
    Ok(crate::errors::render_form(&page, page.errors.is_empty()))
}

pub(crate) async fn marac_referral_form(
    State(state): State<AppState>,
    crate::extract::Signed(ctx): crate::extract::Signed,
    Path((id, referral)): Path<(String, String)>,
) -> Result<Response, PageError> {
    referral_page(
        &state,
        &ctx,
        &id,
        &referral,
        domain::validation::FieldErrors::new(),
        Vec::new(),
    )
    .await
}

/// Moves a waiting referral to another coming meeting, or corrects its consent.
pub(crate) async fn correct_marac_referral(
    State(state): State<AppState>,
    Path((id, referral)): Path<(String, String)>,
    SignedForm { ctx, pairs, .. }: SignedForm<ByName>,
) -> Result<Response, PageError> {
    let input = app::marac::MaracReferralInput {
        marac: String::new(),
        meeting: kept(&pairs, "meeting").into(),
        consent: kept(&pairs, "consent").into(),
        without_consent_reason: kept(&pairs, "without_consent_reason").into(),
    };
    match state
        .app
        .correct_marac_referral(&ctx.actor, &id, &referral, &input)
        .await
    {
        Ok(_) => Ok(crate::messages::after_change(
            &format!("/cases/{id}?section=marac"),
            Done::MaracReferralCorrected,
        )),
        Err(app::AppError::Invalid(errors)) => {
            referral_page(&state, &ctx, &id, &referral, errors, pairs).await
        }
        Err(e) => Err(e.into()),
    }
}
