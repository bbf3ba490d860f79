//! A worker asks that a colleague take one of their coming shifts.

use app::AppError;
use app::auth::SessionContext;
use app::duty::{SwapForm, SwapInput};
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
#[template(path = "duty/swap.html")]
pub(crate) struct SwapPage {
    chrome: Chrome,
    f: SwapForm,
    errors: FieldErrors,
    kept: Vec<(String, String)>,
}

async fn swap_page(
    state: &AppState,
    ctx: &SessionContext,
    id: &str,
    errors: FieldErrors,
    kept: Vec<(String, String)>,
) -> Result<Response, PageError> {
    let f = state.app.duty_swap_form(&ctx.actor, id).await?;
    let page = SwapPage {
        chrome: Chrome::signed(ctx, "Ask to swap a shift", "/"),
        f,
        errors,
        kept,
    };
    Ok(render_form(&page, page.errors.is_empty()))
}

pub(crate) async fn swap_form(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    swap_page(&state, &ctx, &id, FieldErrors::new(), Vec::new()).await
}

pub(crate) async fn ask_swap(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm { ctx, pairs, .. }: SignedForm<ByName>,
) -> Result<Response, PageError> {
    let input = SwapInput {
        cover_by: kept(&pairs, "cover_by").into(),
        reason: kept(&pairs, "reason").into(),
    };
    match state.app.ask_duty_swap(&ctx.actor, &id, &input).await {
        Ok(_) => Ok(after_change("/", Done::DutySwapAsked)),
        Err(AppError::Invalid(errors)) => swap_page(&state, &ctx, &id, errors, pairs).await,
        Err(e) => Err(e.into()),
    }
}
