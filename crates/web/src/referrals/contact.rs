//! Contact attempts and safe-contact preferences, posted from the referral's page.

use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;

use crate::AppState;
use crate::errors::PageError;
use crate::extract::SignedForm;

use super::*;
use crate::messages::Done;

#[derive(Deserialize, Default)]
pub(crate) struct AttemptForm {
    #[serde(default)]
    pub(crate) channel: String,
    #[serde(default)]
    pub(crate) result: String,
    #[serde(default)]
    pub(crate) notes: String,
}

pub(crate) async fn attempt(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: SignedForm<AttemptForm>,
) -> Result<Response, PageError> {
    let f = &form.form;
    let result = state
        .app
        .record_contact_attempt(&form.ctx.actor, &id, &f.channel, &f.result, &f.notes)
        .await
        .map(|_| Done::AttemptRecorded);
    outcome(&state, &form.ctx, &id, result, form.pairs.clone()).await
}

#[derive(Deserialize, Default)]
pub(crate) struct PreferenceForm {
    #[serde(default)]
    pub(crate) channel: String,
    #[serde(default)]
    pub(crate) safe: String,
    #[serde(default)]
    pub(crate) safe_times: String,
    #[serde(default)]
    pub(crate) notes: String,
}

pub(crate) async fn preference(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: SignedForm<PreferenceForm>,
) -> Result<Response, PageError> {
    let f = &form.form;
    let result = state
        .app
        .set_contact_preference(
            &form.ctx.actor,
            &id,
            &f.channel,
            f.safe == "true",
            &f.safe_times,
            &f.notes,
        )
        .await
        .map(|_| Done::PreferenceSaved);
    outcome(&state, &form.ctx, &id, result, form.pairs.clone()).await
}
