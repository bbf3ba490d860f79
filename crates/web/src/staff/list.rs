//! The staff list.

use app::store::users::User;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use domain::policy::{self, Action};
use serde::Deserialize;

use crate::AppState;
use crate::chrome::Chrome;
use crate::errors::{PageError, render};
use crate::extract::Signed;

#[derive(Deserialize, Default)]
pub(crate) struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    service: String,
}

#[derive(Template)]
#[template(path = "staff/list.html")]
pub(crate) struct ListPage {
    chrome: Chrome,
    staff: Vec<User>,
    query: String,
    service: String,
    can_add: bool,
}

pub(crate) async fn list(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Query(query): Query<ListQuery>,
) -> Result<Response, PageError> {
    let mut staff = state.app.staff(&ctx.actor, Some(&query.q)).await?;
    if !query.service.is_empty() {
        staff.retain(|u| u.service_id.as_deref() == Some(query.service.as_str()));
    }
    Ok(render(&ListPage {
        chrome: Chrome::signed(&ctx, "Staff", "/staff"),
        staff,
        query: query.q,
        service: query.service,
        can_add: policy::may_somewhere(&ctx.actor, Action::ManageStaff),
    }))
}
