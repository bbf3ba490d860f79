//! Reopening a closed case with a reason, posted from its page.

use axum::extract::{Path, State};
use axum::response::Response;

use crate::AppState;
use crate::errors::PageError;
use crate::extract::{ByName, SignedForm, field};

use super::*;
use crate::messages::Done;

pub(crate) async fn reopen(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: SignedForm<ByName>,
) -> Result<Response, PageError> {
    let result = state
        .app
        .reopen_case(&form.ctx.actor, &id, field(&form.pairs, "reopen_reason"))
        .await
        .map(|_| Done::CaseReopened);
    // Reopened, the case's summary is where work picks up again; refused,
    // the closure's page shows why, with the reason typed.
    let section = if result.is_ok() {
        Section::Summary
    } else {
        Section::Closure
    };
    outcome(&state, &form.ctx, &id, section, result, form.pairs.clone()).await
}
