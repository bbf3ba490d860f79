//! Tasks, and marking one done.

use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;

use crate::AppState;
use crate::errors::PageError;
use crate::extract::SignedForm;

use super::*;
use crate::messages::Done;

#[derive(Deserialize, Default)]
pub(crate) struct TaskForm {
    #[serde(default)]
    pub(crate) task_title: String,
    #[serde(default)]
    pub(crate) task_due_on: String,
}

pub(crate) async fn task(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: SignedForm<TaskForm>,
) -> Result<Response, PageError> {
    let f = &form.form;
    let result = state
        .app
        .add_task(&form.ctx.actor, &id, &f.task_title, &f.task_due_on)
        .await
        .map(|_| Done::TaskAdded);
    outcome(
        &state,
        &form.ctx,
        &id,
        Section::Tasks,
        result,
        form.pairs.clone(),
    )
    .await
}

pub(crate) async fn task_done(
    State(state): State<AppState>,
    Path((id, task)): Path<(String, String)>,
    form: SignedForm<Empty>,
) -> Result<Response, PageError> {
    let result = state
        .app
        .complete_task(&form.ctx.actor, &id, &task)
        .await
        .map(|_| Done::TaskCompleted);
    outcome(
        &state,
        &form.ctx,
        &id,
        Section::Tasks,
        result,
        form.pairs.clone(),
    )
    .await
}
