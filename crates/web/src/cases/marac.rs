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
