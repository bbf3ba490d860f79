//! Linking people to the case.

use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;

use crate::AppState;
use crate::errors::PageError;
use crate::extract::SignedForm;

use super::*;
use crate::messages::Done;

#[derive(Deserialize, Default)]
pub(crate) struct LinkForm {
    #[serde(default)]
    pub(crate) link_given_name: String,
    #[serde(default)]
    pub(crate) link_family_name: String,
    #[serde(default)]
    pub(crate) link_date_of_birth: String,
    #[serde(default)]
    pub(crate) relationship: String,
}

pub(crate) async fn link_person(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: SignedForm<LinkForm>,
) -> Result<Response, PageError> {
    let f = &form.form;
    let result = state
        .app
        .link_person(
            &form.ctx.actor,
            &id,
            &f.link_given_name,
            &f.link_family_name,
            &f.link_date_of_birth,
            &f.relationship,
        )
        .await
        .map(|_| Done::PersonLinked);
    outcome(
        &state,
        &form.ctx,
        &id,
        Section::People,
        result,
        form.pairs.clone(),
    )
    .await
}
