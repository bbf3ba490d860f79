//! The cases list, paged, sorted and filtered, with caseloads for those
//! who allocate.

use app::auth::SessionContext;
use app::cases::{CaseFilter, CaseSort, ListedCase, WorkerFilter};
use app::paging::Page;
use app::store::cases::Caseload;
use app::store::referrals::CrimeTypeRow;
use app::store::users::User;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use domain::cases::CaseStatus;
use domain::policy::{self, Action};
use domain::validation::FieldErrors;
use serde::Deserialize;

use crate::AppState;
use crate::chrome::Chrome;
use crate::errors::{PageError, render_form};
use crate::extract::Signed;
use crate::messages::DoneQuery;
use crate::paging::{PageQuery, Pager, SortOption};

/// The sorts the case list offers; the first is its default.
const SORTS: [SortOption<CaseSort>; 6] = [
    SortOption {
        name: "opened",
        label: "Opened",
        sort: CaseSort::Opened,
        descending: true,
    },
    SortOption {
        name: "name",
        label: "Name",
        sort: CaseSort::Name,
        descending: false,
    },
    SortOption {
        name: "caseworker",
        label: "Caseworker",
        sort: CaseSort::Caseworker,
        descending: false,
    },
    SortOption {
        name: "contact",
        label: "Last contact",
        sort: CaseSort::LastContact,
        descending: false,
    },
    SortOption {
        name: "risk",
        label: "Risk",
        sort: CaseSort::Risk,
        descending: true,
    },
    SortOption {
        name: "review",
        label: "Risk review",
        sort: CaseSort::Review,
        descending: false,
    },
];

/// The case list's filters, with the page and order beside them.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub(crate) struct ListQuery {
    /// `service`, `closed`, or empty for the actor's own open cases.
    pub(crate) scope: String,
    /// A caseworker's id, `none` for cases not allocated, or empty for anyone.
    pub(crate) worker: String,
    pub(crate) crime_type: String,
    pub(crate) area: String,
    #[serde(flatten)]
    pub(crate) page: PageQuery,
}

impl ListQuery {
    fn filter(&self, actor_id: &str) -> CaseFilter {
        let status = match self.scope.as_str() {
            "closed" => CaseStatus::Closed,
            _ => CaseStatus::Open,
        };
        let worker = match (self.scope.as_str(), self.worker.as_str()) {
            ("service" | "closed", "") => WorkerFilter::Anyone,
            ("service" | "closed", "none") => WorkerFilter::Unallocated,
            ("service" | "closed", id) => WorkerFilter::Worker(id.to_string()),
            _ => WorkerFilter::Worker(actor_id.to_string()),
        };
        CaseFilter {
            status: Some(status.code().to_string()),
            worker,
            crime_type: (!self.crime_type.is_empty()).then(|| self.crime_type.clone()),
            area_id: (!self.area.is_empty()).then(|| self.area.clone()),
        }
    }

    fn kept(&self) -> [(&'static str, &str); 4] {
        [
            ("scope", self.scope.as_str()),
            ("worker", self.worker.as_str()),
            ("crime_type", self.crime_type.as_str()),
            ("area", self.area.as_str()),
        ]
    }
}

#[derive(Template)]
#[template(path = "cases/list.html")]
pub(crate) struct ListPage {
    pub(crate) chrome: Chrome,
    pub(crate) errors: FieldErrors,
    pub(crate) notice: Option<String>,
    pub(crate) page: Page<ListedCase>,
    pub(crate) pager: Pager,
    pub(crate) query: ListQuery,
    /// This list's address with its filters, to come back to after a change.
    pub(crate) here: String,
    pub(crate) mine: bool,
    pub(crate) closed: bool,
    pub(crate) crime_types: Vec<CrimeTypeRow>,
    pub(crate) areas: Vec<app::store::directory::Area>,
    pub(crate) caseloads: Option<Vec<Caseload>>,
    /// Those the ticked cases may be given to, for those who allocate.
    pub(crate) holders: Vec<User>,
}

pub(crate) async fn list(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Query(query): Query<ListQuery>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, PageError> {
    list_page(&state, &ctx, query, FieldErrors::new(), done.notice()).await
}

/// The list, with what went wrong with a change posted from it, if anything.
pub(crate) async fn list_page(
    state: &AppState,
    ctx: &SessionContext,
    query: ListQuery,
    errors: FieldErrors,
    notice: Option<String>,
) -> Result<Response, PageError> {
    let request = query.page.request(&SORTS);
    let page = state
        .app
        .cases(&ctx.actor, &query.filter(&ctx.actor.id), &request)
        .await?;
    let pager = Pager::new(
        "/cases",
        &query.kept(),
        &query.page,
        &SORTS,
        &page,
        |c: &ListedCase| c.case.id.as_str(),
    );
    let allocates = policy::may_somewhere(&ctx.actor, Action::AllocateCases);
    let (caseloads, holders) = if allocates {
        (
            Some(state.app.caseloads(&ctx.actor).await?),
            state.app.case_holders(&ctx.actor).await?,
        )
    } else {
        (None, Vec::new())
    };
    let here = {
        let pairs: Vec<(&str, &str)> = query
            .kept()
            .into_iter()
            .filter(|(_, v)| !v.is_empty())
            .collect();
        let encoded = serde_urlencoded::to_string(&pairs).unwrap_or_default();
        if encoded.is_empty() {
            "/cases".to_string()
        } else {
            format!("/cases?{encoded}")
        }
    };
    let page = ListPage {
        chrome: Chrome::signed(ctx, "Cases", "/cases"),
        errors,
        notice,
        page,
        pager,
        here,
        mine: !matches!(query.scope.as_str(), "service" | "closed"),
        closed: query.scope == "closed",
        query,
        crime_types: state.app.crime_types().await?,
        areas: state.app.areas(&ctx.actor).await?,
        caseloads,
        holders,
    };
    Ok(render_form(&page, page.errors.is_empty()))
}
