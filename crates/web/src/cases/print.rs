//! A case's summary for printing or saving as PDF: what is recorded, and no
//! forms. Sensitive notes are not printed.

use app::cases::CaseDetail;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;

use crate::AppState;
use crate::chrome::Chrome;
use crate::errors::{PageError, render};
use crate::extract::Signed;

use super::*;

#[derive(Template)]
#[template(path = "cases/print.html")]
pub(crate) struct PrintPage {
    pub(crate) chrome: Chrome,
    pub(crate) d: CaseDetail,
    /// When it was printed, in UK time.
    pub(crate) printed: String,
}

pub(crate) async fn print(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let d = state.app.case(&ctx.actor, &id).await?.into_inner();
    Ok(render(&PrintPage {
        chrome: Chrome::signed(&ctx, &format!("{}: summary", d.case.reference), "/cases"),
        printed: crate::time::when(&state.app.clock.now_text()),
        d,
    }))
}
