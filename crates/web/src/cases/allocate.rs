//! Allocating the case, posted from its page.

use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;

use crate::AppState;
use crate::errors::PageError;
use crate::extract::SignedForm;

use super::*;
use crate::messages::Done;

#[derive(Deserialize, Default)]
pub(crate) struct AllocateForm {
    #[serde(default)]
    pub(crate) caseworker_id: String,
}

pub(crate) async fn allocate(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: SignedForm<AllocateForm>,
) -> Result<Response, PageError> {
    let result = state
        .app
        .allocate(&form.ctx.actor, &id, &form.form.caseworker_id)
        .await
        .map(|_| Done::CaseAllocated);
    outcome(&state, &form.ctx, &id, result, form.pairs.clone()).await
}
