//! Taking an unallocated case, posted from its page.

use axum::extract::{Path, State};
use axum::response::Response;

use crate::AppState;
use crate::errors::PageError;
use crate::extract::{ByName, SignedForm};

use super::*;
use crate::messages::Done;

pub(crate) async fn take(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: SignedForm<ByName>,
) -> Result<Response, PageError> {
    let result = state
        .app
        .take_case(&form.ctx.actor, &id)
        .await
        .map(|_| Done::CaseTaken);
    outcome(
        &state,
        &form.ctx,
        &id,
        Section::Summary,
        result,
        form.pairs.clone(),
    )
    .await
}
