//! Closing the case with its outcomes.

use app::cases::Closure;
use axum::extract::{Path, State};
use axum::response::Response;
use domain::cases::OutcomeMeasure;

use crate::AppState;
use crate::errors::PageError;
use crate::extract::{ByName, SignedForm, field as kept};

use super::*;
use crate::messages::Done;

pub(crate) async fn close(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm { ctx, pairs, .. }: SignedForm<ByName>,
) -> Result<Response, PageError> {
    let closure = Closure {
        reason: kept(&pairs, "closure_reason").to_string(),
        satisfaction: kept(&pairs, "satisfaction").to_string(),
        outcomes: OutcomeMeasure::ALL
            .iter()
            .map(|m| {
                (
                    m.code().to_string(),
                    kept(&pairs, &format!("outcome-{}", m.code())).to_string(),
                )
            })
            .collect(),
    };
    let result = state
        .app
        .close_case(&ctx.actor, &id, &closure)
        .await
        .map(|_| Done::CaseClosed);
    outcome(&state, &ctx, &id, result, pairs).await
}
