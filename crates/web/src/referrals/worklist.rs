//! The referral worklist page: paged, sorted and filtered.

use app::paging::Page;
use app::referrals::{DueFilter, ReferralSort, WorkItem, WorklistFilter};
use app::store::directory::Area;
use app::store::referrals::CrimeTypeRow;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use domain::journey::ReferralStatus;
use serde::Deserialize;

use crate::AppState;
use crate::chrome::Chrome;
use crate::errors::{PageError, render};
use crate::extract::Signed;
use crate::paging::{PageQuery, Pager, SortOption};
use crate::referrals::{day, deadline_class, status_label};

/// The sorts the worklist offers; the first is its default.
const SORTS: [SortOption<ReferralSort>; 4] = [
    SortOption {
        name: "deadline",
        label: "Deadlines",
        sort: ReferralSort::Deadline,
        descending: false,
    },
    SortOption {
        name: "received",
        label: "Received",
        sort: ReferralSort::Received,
        descending: true,
    },
    SortOption {
        name: "name",
        label: "Name",
        sort: ReferralSort::Name,
        descending: false,
    },
    SortOption {
        name: "reference",
        label: "Reference",
        sort: ReferralSort::Reference,
        descending: false,
    },
];

#[derive(Template)]
#[template(path = "referrals/worklist.html")]
pub(crate) struct WorklistPage {
    pub(crate) chrome: Chrome,
    pub(crate) page: Page<WorkItem>,
    pub(crate) pager: Pager,
    pub(crate) query: WorklistQuery,
    pub(crate) statuses: Vec<(&'static str, &'static str)>,
    pub(crate) crime_types: Vec<CrimeTypeRow>,
    pub(crate) areas: Vec<Area>,
}

/// The worklist's filters, with the page and order beside them.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub(crate) struct WorklistQuery {
    /// A status code, `all`, or empty for those awaiting contact.
    pub(crate) status: String,
    /// `overdue`, `today`, or empty for any.
    pub(crate) due: String,
    pub(crate) crime_type: String,
    pub(crate) area: String,
    #[serde(flatten)]
    pub(crate) page: PageQuery,
}

impl WorklistQuery {
    fn filter(&self) -> WorklistFilter {
        let chosen = |v: &str| (!v.is_empty()).then(|| v.to_string());
        WorklistFilter {
            status: match self.status.as_str() {
                "all" => None,
                "" => Some(ReferralStatus::New.code().to_string()),
                code => Some(code.to_string()),
            },
            due: match self.due.as_str() {
                "overdue" => Some(DueFilter::Overdue),
                "today" => Some(DueFilter::DueToday),
                _ => None,
            },
            crime_type: chosen(&self.crime_type),
            area_id: chosen(&self.area),
        }
    }

    fn kept(&self) -> [(&'static str, &str); 4] {
        [
            ("status", self.status.as_str()),
            ("due", self.due.as_str()),
            ("crime_type", self.crime_type.as_str()),
            ("area", self.area.as_str()),
        ]
    }
}

pub(crate) async fn worklist(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Query(query): Query<WorklistQuery>,
) -> Result<Response, PageError> {
    let request = query.page.request(&SORTS);
    let page = state
        .app
        .worklist(&ctx.actor, &query.filter(), &request)
        .await?;
    let pager = Pager::new(
        "/referrals",
        &query.kept(),
        &query.page,
        &SORTS,
        &page,
        |item: &WorkItem| item.referral.id.as_str(),
    );
    let mut statuses = vec![("", "Awaiting contact"), ("all", "Any status")];
    statuses.extend(
        ReferralStatus::ALL
            .iter()
            .filter(|s| **s != ReferralStatus::New)
            .map(|s| (s.code(), s.label())),
    );
    Ok(render(&WorklistPage {
        chrome: Chrome::signed(&ctx, "Referrals", "/referrals"),
        page,
        pager,
        query,
        statuses,
        crime_types: state.app.crime_types().await?,
        areas: state.app.areas(&ctx.actor).await?,
    }))
}
