//! The cases list, with caseloads for those who allocate.

use app::store::cases::{Case, Caseload};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use domain::cases::CaseStatus;
use domain::policy::{self, Action};
use serde::Deserialize;

use crate::AppState;
use crate::chrome::Chrome;
use crate::errors::{PageError, render};
use crate::extract::Signed;

#[derive(Deserialize, Default)]
pub(crate) struct ListQuery {
    #[serde(default)]
    pub(crate) scope: String,
}

#[derive(Template)]
#[template(path = "cases/list.html")]
pub(crate) struct ListPage {
    pub(crate) chrome: Chrome,
    pub(crate) cases: Vec<Case>,
    pub(crate) mine: bool,
    pub(crate) closed: bool,
    pub(crate) caseloads: Option<Vec<Caseload>>,
}

pub(crate) async fn list(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let (mine, status) = match q.scope.as_str() {
        "service" => (false, CaseStatus::Open.code()),
        "closed" => (false, CaseStatus::Closed.code()),
        _ => (true, CaseStatus::Open.code()),
    };
    let cases = state.app.cases(&ctx.actor, mine, Some(status)).await?;
    let caseloads = if policy::may_somewhere(&ctx.actor, Action::AllocateCases) {
        Some(state.app.caseloads(&ctx.actor).await?)
    } else {
        None
    };
    Ok(render(&ListPage {
        chrome: Chrome::signed(&ctx, "Cases", "/cases"),
        cases,
        mine,
        closed: q.scope == "closed",
        caseloads,
    }))
}
