//! The staff list: paged, sorted, searched and filtered.

use app::paging::Page;
use app::staff::{StaffFilter, StaffSort};
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
use crate::paging::{PageQuery, Pager, SortOption};

/// The sorts the staff list offers; the first is its default.
const SORTS: [SortOption<StaffSort>; 3] = [
    SortOption {
        name: "name",
        label: "Name",
        sort: StaffSort::Name,
        descending: false,
    },
    SortOption {
        name: "email",
        label: "Email",
        sort: StaffSort::Username,
        descending: false,
    },
    SortOption {
        name: "service",
        label: "Service",
        sort: StaffSort::Service,
        descending: false,
    },
];

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct ListQuery {
    q: String,
    service: String,
    /// `active`, `disabled`, or empty for both.
    status: String,
    #[serde(flatten)]
    page: PageQuery,
}

#[derive(Template)]
#[template(path = "staff/list.html")]
pub(crate) struct ListPage {
    chrome: Chrome,
    page: Page<User>,
    pager: Pager,
    query: ListQuery,
    can_add: bool,
}

pub(crate) async fn list(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Query(query): Query<ListQuery>,
) -> Result<Response, PageError> {
    let filter = StaffFilter {
        search: (!query.q.trim().is_empty()).then(|| query.q.clone()),
        service_id: (!query.service.is_empty()).then(|| query.service.clone()),
        disabled: match query.status.as_str() {
            "active" => Some(false),
            "disabled" => Some(true),
            _ => None,
        },
    };
    let page = state
        .app
        .staff_page(&ctx.actor, &filter, &query.page.request(&SORTS))
        .await?;
    let pager = Pager::new(
        "/staff",
        &[
            ("q", query.q.as_str()),
            ("service", query.service.as_str()),
            ("status", query.status.as_str()),
        ],
        &query.page,
        &SORTS,
        &page,
        |u: &User| u.id.as_str(),
    );
    Ok(render(&ListPage {
        chrome: Chrome::signed(&ctx, "Staff", "/staff"),
        page,
        pager,
        query,
        can_add: policy::may_somewhere(&ctx.actor, Action::ManageStaff),
    }))
}
