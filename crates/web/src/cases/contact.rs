//! Recording a contact.

use app::cases::ContactInput;
use axum::extract::{Path, State};
use axum::response::Response;

use crate::AppState;
use crate::errors::PageError;
use crate::extract::SignedForm;

use super::*;
use crate::messages::Done;

pub(crate) async fn contact(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: SignedForm<ContactInput>,
) -> Result<Response, PageError> {
    let result = state
        .app
        .record_case_contact(&form.ctx.actor, &id, &form.form)
        .await
        .map(|_| Done::ContactRecorded);
    outcome(
        &state,
        &form.ctx,
        &id,
        Section::Contacts,
        result,
        form.pairs.clone(),
    )
    .await
}
