//! A referral to a MARAC, posted from the case's MARAC part.

use axum::extract::{Path, State};
use axum::response::Response;

use crate::AppState;
use crate::errors::PageError;
use crate::extract::{ByName, SignedForm, field as kept};

use super::*;
use crate::messages::Done;

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
