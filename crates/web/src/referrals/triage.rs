//! Triage, posted from the referral's page.

use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;

use crate::AppState;
use crate::errors::PageError;
use crate::extract::SignedForm;

use super::*;
use crate::messages::Done;

#[derive(Deserialize, Default)]
pub(crate) struct TriageForm {
    #[serde(default)]
    pub(crate) outcome: String,
    #[serde(default)]
    pub(crate) note: String,
}

pub(crate) async fn triage(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: SignedForm<TriageForm>,
) -> Result<Response, PageError> {
    let f = &form.form;
    let result = state
        .app
        .triage(&form.ctx.actor, &id, &f.outcome, &f.note)
        .await
        .map(|_| Done::TriageRecorded);
    outcome(&state, &form.ctx, &id, result, form.pairs.clone()).await
}
