//! Recording a contact.

use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;

use crate::AppState;
use crate::errors::PageError;
use crate::extract::SignedForm;

use super::*;
use crate::messages::Done;

#[derive(Deserialize, Default)]
pub(crate) struct ContactForm {
    #[serde(default)]
    pub(crate) kind: String,
    #[serde(default)]
    pub(crate) channel: String,
    #[serde(default)]
    pub(crate) duration_minutes: String,
    #[serde(default)]
    pub(crate) notes: String,
}

pub(crate) async fn contact(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: SignedForm<ContactForm>,
) -> Result<Response, PageError> {
    let f = &form.form;
    let result = state
        .app
        .record_case_contact(
            &form.ctx.actor,
            &id,
            &f.kind,
            &f.channel,
            &f.duration_minutes,
            &f.notes,
        )
        .await
        .map(|_| Done::ContactRecorded);
    outcome(&state, &form.ctx, &id, result, form.pairs.clone()).await
}
