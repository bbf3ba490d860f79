//! The MARACs the signed-in person serves on, with their meetings.

use app::marac::MaracSummary;
use askama::Template;
use axum::extract::State;
use axum::response::Response;

use crate::AppState;
use crate::chrome::Chrome;
use crate::errors::{PageError, render};
use crate::extract::Signed;

#[derive(Template)]
#[template(path = "marac/list.html")]
pub(crate) struct MaracsPage {
    chrome: Chrome,
    maracs: Vec<MaracSummary>,
}

pub(crate) async fn maracs(
    State(state): State<AppState>,
    Signed(ctx): Signed,
) -> Result<Response, PageError> {
    let maracs = state.app.my_maracs(&ctx.actor).await?;
    Ok(render(&MaracsPage {
        chrome: Chrome::signed(&ctx, "MARAC", "/maracs"),
        maracs,
    }))
}
