//! Onward referrals.

use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;

use crate::AppState;
use crate::errors::PageError;
use crate::extract::SignedForm;

use super::*;
use crate::messages::Done;

#[derive(Deserialize, Default)]
pub(crate) struct OnwardForm {
    #[serde(default)]
    pub(crate) agency: String,
    #[serde(default)]
    pub(crate) onward_reason: String,
    #[serde(default)]
    pub(crate) consent_given: String,
    #[serde(default)]
    pub(crate) override_reason: String,
}

pub(crate) async fn onward(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: SignedForm<OnwardForm>,
) -> Result<Response, PageError> {
    let f = &form.form;
    let result = state
        .app
        .refer_on(
            &form.ctx.actor,
            &id,
            &f.agency,
            &f.onward_reason,
            f.consent_given == "true",
            &f.override_reason,
        )
        .await
        .map(|_| Done::OnwardRecorded);
    outcome(
        &state,
        &form.ctx,
        &id,
        Section::Onward,
        result,
        form.pairs.clone(),
    )
    .await
}
