//! Notes, and revealing a sensitive one.

use axum::extract::{Path, State};
use axum::response::Response;
use domain::validation::FieldErrors;
use serde::Deserialize;

use crate::AppState;
use crate::errors::PageError;
use crate::extract::SignedForm;

use super::*;
use crate::messages::Done;

#[derive(Deserialize, Default)]
pub(crate) struct NoteForm {
    #[serde(default)]
    pub(crate) note: String,
    #[serde(default)]
    pub(crate) sensitive: String,
}

pub(crate) async fn note(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: SignedForm<NoteForm>,
) -> Result<Response, PageError> {
    let f = &form.form;
    let result = state
        .app
        .add_case_note(&form.ctx.actor, &id, &f.note, f.sensitive == "true")
        .await
        .map(|_| Done::NoteAdded);
    outcome(
        &state,
        &form.ctx,
        &id,
        Section::Notes,
        result,
        form.pairs.clone(),
    )
    .await
}

#[derive(Deserialize, Default)]
pub(crate) struct Empty {}

pub(crate) async fn reveal(
    State(state): State<AppState>,
    Path((id, note)): Path<(String, String)>,
    form: SignedForm<Empty>,
) -> Result<Response, PageError> {
    let text = state
        .app
        .reveal_note(&form.ctx.actor, &id, &note)
        .await?
        .into_inner();
    case_page(
        &state,
        &form.ctx,
        &id,
        Section::Notes,
        FieldErrors::new(),
        None,
        Some(text),
        Vec::new(),
    )
    .await
}
