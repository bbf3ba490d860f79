//! The referral worklist page.

use app::referrals::WorkItem;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;

use crate::AppState;
use crate::chrome::Chrome;
use crate::errors::{PageError, render};
use crate::extract::Signed;

use super::*;

#[derive(Template)]
#[template(path = "referrals/worklist.html")]
pub(crate) struct WorklistPage {
    pub(crate) chrome: Chrome,
    pub(crate) items: Vec<WorkItem>,
    pub(crate) all: bool,
}

#[derive(Deserialize, Default)]
pub(crate) struct WorklistQuery {
    #[serde(default)]
    pub(crate) status: String,
}

pub(crate) async fn worklist(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Query(q): Query<WorklistQuery>,
) -> Result<Response, PageError> {
    let all = q.status == "all";
    let items = state
        .app
        .worklist(&ctx.actor, if all { None } else { Some("new") })
        .await?;
    Ok(render(&WorklistPage {
        chrome: Chrome::signed(&ctx, "Referrals", "/referrals"),
        items,
        all,
    }))
}
