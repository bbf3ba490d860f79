//! Closing the case with its outcomes.

use app::cases::Closure;
use axum::extract::{Path, State};
use axum::response::Response;
use domain::cases::OutcomeMeasure;

use crate::AppState;
use crate::errors::PageError;
use crate::extract::{ByName, SignedForm, field as kept};

use super::*;
use crate::confirm::{Ask, ask_first};
use crate::messages::ConfirmMessage;
use crate::messages::Done;

pub(crate) async fn close(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: SignedForm<ByName>,
) -> Result<Response, PageError> {
    let ask = Ask {
        question: ConfirmMessage::CloseCase,
        consequence: ConfirmMessage::CloseCaseConsequence,
        yes: ConfirmMessage::CloseCaseYes,
    };
    let back = format!("/cases/{id}");
    if let Some(asking) = ask_first(&form, ask, &format!("{back}/close"), &back) {
        return Ok(asking);
    }
    let SignedForm { ctx, pairs, .. } = form;
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
        open_tasks: kept(&pairs, "open_tasks").to_string(),
    };
    let result = state
        .app
        .close_case(&ctx.actor, &id, &closure)
        .await
        .map(|_| Done::CaseClosed);
    outcome(&state, &ctx, &id, Section::Closure, result, pairs).await
}
