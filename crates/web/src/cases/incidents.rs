//! An incident, posted from the case's Risk part.

use axum::extract::{Path, State};
use axum::response::Response;

use crate::AppState;
use crate::errors::PageError;
use crate::extract::{ByName, SignedForm, field as kept};

use super::*;
use crate::messages::Done;

pub(crate) async fn incident(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm { ctx, pairs, .. }: SignedForm<ByName>,
) -> Result<Response, PageError> {
    let input = app::risk::IncidentInput {
        occurred_on: kept(&pairs, "occurred_on").into(),
        source: kept(&pairs, "source").into(),
        perpetrator: kept(&pairs, "perpetrator").into(),
        summary: kept(&pairs, "summary").into(),
    };
    let result = state
        .app
        .record_incident(&ctx.actor, &id, &input)
        .await
        .map(|_| Done::IncidentRecorded);
    outcome(&state, &ctx, &id, Section::Risk, result, pairs).await
}
