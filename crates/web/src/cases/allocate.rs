//! Allocating cases: one from its page, or those ticked on the case list.

use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;

use crate::AppState;
use crate::errors::PageError;
use crate::extract::{ByName, SignedForm, field};

use super::*;
use crate::messages::{Done, after_change};

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

/// The cases ticked on a list, given to one caseworker; the list is shown
/// again, with its filters, afterwards or with what went wrong.
pub(crate) async fn allocate_selected(
    State(state): State<AppState>,
    form: SignedForm<ByName>,
) -> Result<Response, PageError> {
    let SignedForm { ctx, pairs, .. } = form;
    let case_ids: Vec<String> = pairs
        .iter()
        .filter(|(name, _)| name == "case_ids")
        .map(|(_, id)| id.clone())
        .collect();
    // Back to the list it came from, and nowhere else.
    let back = match field(&pairs, "back") {
        list if list.starts_with("/cases?") || list == "/cases" => list.to_string(),
        _ => "/cases?scope=service".to_string(),
    };
    let result = state
        .app
        .allocate_many(&ctx.actor, &case_ids, field(&pairs, "caseworker_id"))
        .await;
    match result {
        Ok(()) => Ok(after_change(&back, Done::CasesAllocated)),
        Err(app::AppError::Invalid(errors)) => {
            let query = back.split_once('?').map(|(_, q)| q).unwrap_or_default();
            let list_query = serde_urlencoded::from_str(query).unwrap_or_default();
            list_page(&state, &ctx, list_query, errors, None).await
        }
        Err(e) => Err(e.into()),
    }
}
