//! Goals and actions of the support plan.

use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;

use crate::AppState;
use crate::errors::PageError;
use crate::extract::SignedForm;

use super::*;
use crate::messages::Done;

#[derive(Deserialize, Default)]
pub(crate) struct PlanForm {
    #[serde(default)]
    pub(crate) description: String,
    #[serde(default)]
    pub(crate) goal_id: String,
    #[serde(default)]
    pub(crate) need_area: String,
    #[serde(default)]
    pub(crate) due_on: String,
}

pub(crate) async fn plan(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: SignedForm<PlanForm>,
) -> Result<Response, PageError> {
    let f = &form.form;
    let result = state
        .app
        .add_plan_item(
            &form.ctx.actor,
            &id,
            &f.description,
            &f.need_area,
            &f.due_on,
            &f.goal_id,
        )
        .await
        .map(|_| Done::PlanUpdated);
    outcome(
        &state,
        &form.ctx,
        &id,
        Section::Plan,
        result,
        form.pairs.clone(),
    )
    .await
}
