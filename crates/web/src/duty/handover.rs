//! Handing a case opened on duty to the worker who takes it on, with a
//! note kept in the case's history.

use app::AppError;
use app::auth::SessionContext;
use app::duty::{HandoverForm, HandoverInput};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use domain::validation::FieldErrors;

use crate::AppState;
use crate::chrome::Chrome;
use crate::errors::{PageError, render_form};
use crate::extract::{ByName, Signed, SignedForm, field as kept};
use crate::messages::{Done, after_change};

#[derive(Template)]
#[template(path = "duty/handover.html")]
pub(crate) struct HandoverPage {
    chrome: Chrome,
    f: HandoverForm,
    errors: FieldErrors,
    kept: Vec<(String, String)>,
}

async fn handover_page(
    state: &AppState,
    ctx: &SessionContext,
    case_id: &str,
    errors: FieldErrors,
    kept: Vec<(String, String)>,
) -> Result<Response, PageError> {
    let f = state.app.duty_case_handover(&ctx.actor, case_id).await?;
    let page = HandoverPage {
        chrome: Chrome::signed(ctx, "Hand over a duty case", "/cases"),
        f,
        errors,
        kept,
    };
    Ok(render_form(&page, page.errors.is_empty()))
}

pub(crate) async fn handover_form(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    handover_page(&state, &ctx, &id, FieldErrors::new(), Vec::new()).await
}

pub(crate) async fn hand_over(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm { ctx, pairs, .. }: SignedForm<ByName>,
) -> Result<Response, PageError> {
    let input = HandoverInput {
        to: kept(&pairs, "to").into(),
        note: kept(&pairs, "note").into(),
    };
    match state.app.hand_over_duty_case(&ctx.actor, &id, &input).await {
        Ok(()) => Ok(after_change(
            &format!("/cases/{id}"),
            Done::DutyCaseHandedOver,
        )),
        Err(AppError::Invalid(errors)) => handover_page(&state, &ctx, &id, errors, pairs).await,
        Err(e) => Err(e.into()),
    }
}
