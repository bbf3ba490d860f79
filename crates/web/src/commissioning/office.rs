//! The office's commissioning page: the financial year's money by funding
//! source, the forms that add a source and set an allocation, and the
//! decisions, paged.

use app::AppError;
use app::auth::SessionContext;
use app::commissioning::{
    AllocationInput, BudgetYear, DecisionList, DecisionSort, FundingSourceInput,
};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use domain::validation::FieldErrors;
use jiff::civil::Date;
use serde::Deserialize;

use crate::AppState;
use crate::chrome::Chrome;
use crate::errors::{PageError, render_form};
use crate::extract::{ByName, Signed, SignedForm, field as kept};
use crate::messages::{Done, DoneQuery, after_change};
use crate::paging::{PageQuery, Pager, SortOption};

pub(crate) const SORTS: [SortOption<DecisionSort>; 3] = [
    SortOption {
        name: "number",
        label: "Number",
        sort: DecisionSort::Number,
        descending: true,
    },
    SortOption {
        name: "received",
        label: "Received",
        sort: DecisionSort::Day,
        descending: true,
    },
    SortOption {
        name: "title",
        label: "Title",
        sort: DecisionSort::Title,
        descending: false,
    },
];

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct HomeQuery {
    /// The financial year, by the year it starts in.
    year: String,
    /// Words in a decision's number or title.
    q: String,
}

#[derive(Template)]
#[template(path = "commissioning/home.html")]
struct HomePage {
    chrome: Chrome,
    budget: BudgetYear,
    years: Vec<i16>,
    year: i16,
    list: DecisionList,
    objectives: Vec<app::commissioning::ObjectiveServed>,
    pager: Pager,
    q: String,
    today: Date,
    kinds: Vec<(&'static str, &'static str)>,
    notice: Option<String>,
    errors: FieldErrors,
    kept: Vec<(String, String)>,
}

impl HomePage {
    fn value(&self, name: &str) -> String {
        kept(&self.kept, name).to_string()
    }

    /// The year the allocation form offers: as typed, or the year shown.
    fn allocation_year(&self) -> String {
        let typed = self.value("year");
        if typed.is_empty() {
            self.year.to_string()
        } else {
            typed
        }
    }

    fn remaining(&self, line: &app::commissioning::BudgetLine) -> String {
        super::pounds(&app::commissioning::remaining(line))
    }
}

/// The financial year asked for, by its first year, or this one.
fn year_of(state: &AppState, asked: &str) -> Date {
    asked
        .trim()
        .parse::<i16>()
        .ok()
        .and_then(|y| Date::new(y, 4, 1).ok())
        .unwrap_or_else(|| state.app.today())
}

async fn home_page(
    state: &AppState,
    ctx: &SessionContext,
    query: &HomeQuery,
    paging: &PageQuery,
    notice: Option<String>,
    errors: FieldErrors,
    kept: Vec<(String, String)>,
) -> Result<Response, PageError> {
    let on = year_of(state, &query.year);
    let budget = state.app.budget_year(&ctx.actor, on).await?;
    let list = state
        .app
        .office_decisions(&ctx.actor, &query.q, &paging.request(&SORTS))
        .await?;
    let year = budget.year.0.year();
    let pager = Pager::new(
        "/commissioning",
        &[("year", &query.year), ("q", &query.q)],
        paging,
        &SORTS,
        &list.decisions,
        |d: &app::commissioning::Decision| d.id.as_str(),
    );
    let this_year = domain::reports::financial_year(state.app.today()).0.year();
    let page = HomePage {
        chrome: Chrome::signed(ctx, "Commissioning", "/commissioning"),
        years: (this_year - 4..=this_year + 1).rev().collect(),
        year,
        budget,
        list,
        objectives: state.app.objectives(&ctx.actor).await?,
        pager,
        q: query.q.clone(),
        today: state.app.today(),
        kinds: domain::commissioning::FundingKind::options(),
        notice,
        errors,
        kept,
    };
    Ok(render_form(&page, page.errors.is_empty()))
}

pub(crate) async fn home(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Query(query): Query<HomeQuery>,
    Query(paging): Query<PageQuery>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, PageError> {
    home_page(
        &state,
        &ctx,
        &query,
        &paging,
        done.notice(),
        FieldErrors::new(),
        Vec::new(),
    )
    .await
}

pub(crate) async fn create_source(
    State(state): State<AppState>,
    SignedForm { ctx, pairs, .. }: SignedForm<ByName>,
) -> Result<Response, PageError> {
    let text = |key: &str| kept(&pairs, key).to_string();
    let input = FundingSourceInput {
        name: text("name"),
        kind: text("kind"),
        origin: text("origin"),
    };
    match state.app.create_funding_source(&ctx.actor, &input).await {
        Ok(_) => Ok(after_change("/commissioning", Done::FundingSourceCreated)),
        Err(AppError::Invalid(errors)) => {
            home_page(
                &state,
                &ctx,
                &HomeQuery::default(),
                &PageQuery::default(),
                None,
                errors,
                pairs,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn set_allocation(
    State(state): State<AppState>,
    SignedForm { ctx, pairs, .. }: SignedForm<ByName>,
) -> Result<Response, PageError> {
    let text = |key: &str| kept(&pairs, key).to_string();
    let input = AllocationInput {
        source_id: text("source_id"),
        year: text("year"),
        amount: text("amount"),
    };
    match state.app.set_allocation(&ctx.actor, &input).await {
        Ok(()) => Ok(after_change(
            &format!("/commissioning?year={}", input.year.trim()),
            Done::AllocationSet,
        )),
        Err(AppError::Invalid(errors)) => {
            let query = HomeQuery {
                year: input.year.clone(),
                ..HomeQuery::default()
            };
            home_page(
                &state,
                &ctx,
                &query,
                &PageQuery::default(),
                None,
                errors,
                pairs,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn create_objective(
    State(state): State<AppState>,
    SignedForm { ctx, pairs, .. }: SignedForm<ByName>,
) -> Result<Response, PageError> {
    let input = app::commissioning::ObjectiveInput {
        code: kept(&pairs, "code").to_string(),
        title: kept(&pairs, "objective_title").to_string(),
    };
    match state.app.create_objective(&ctx.actor, &input).await {
        Ok(_) => Ok(after_change("/commissioning", Done::ObjectiveCreated)),
        Err(AppError::Invalid(mut errors)) => {
            // The form's title field is named apart from the decisions'.
            for e in errors.0.iter_mut().filter(|e| e.field == "title") {
                e.field = "objective_title".into();
            }
            home_page(
                &state,
                &ctx,
                &HomeQuery::default(),
                &PageQuery::default(),
                None,
                errors,
                pairs,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
