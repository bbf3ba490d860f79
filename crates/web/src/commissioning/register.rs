//! The public register of decisions: no sign-in. Published decisions only,
//! exempt parts withheld with their reason; searched and filtered by year,
//! words, recipient, and the provider and objectives of the contract a
//! decision affects; paged; downloaded as CSV and JSON; followed as an Atom
//! feed.

use app::commissioning::{
    Decision, DecisionSort, FundedChoices, FundedFilter, PublicDecision, RegisterFilter,
};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use domain::reports::csv_cell;
use serde::Deserialize;
use serde_json::json;

use crate::AppState;
use crate::chrome::Chrome;
use crate::errors::PageError;
use crate::paging::{PageQuery, Pager, SortOption};

const SORTS: [SortOption<DecisionSort>; 3] = [
    SortOption {
        name: "published",
        label: "Published",
        sort: DecisionSort::Day,
        descending: true,
    },
    SortOption {
        name: "number",
        label: "Number",
        sort: DecisionSort::Number,
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
pub(crate) struct Filters {
    year: String,
    q: String,
    recipient: String,
    provider: String,
    objective: String,
}

impl Filters {
    fn filter(&self) -> RegisterFilter {
        RegisterFilter {
            year: self.year.clone(),
            words: self.q.clone(),
            recipient: self.recipient.clone(),
            provider: self.provider.clone(),
            objective: self.objective.clone(),
        }
    }

    /// The filters as a query, for the download links.
    fn query(&self) -> String {
        let pairs: Vec<(&str, &str)> = [
            ("year", self.year.as_str()),
            ("q", self.q.as_str()),
            ("recipient", self.recipient.as_str()),
            ("provider", self.provider.as_str()),
            ("objective", self.objective.as_str()),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .collect();
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }
}

#[derive(Template)]
#[template(path = "commissioning/register.html")]
struct RegisterPage {
    chrome: Chrome,
    decisions: Vec<Decision>,
    pager: Pager,
    filters: Filters,
    years: Vec<i16>,
    recipients: Vec<String>,
    choices: FundedChoices,
    downloads: String,
}

pub(crate) async fn list(
    State(state): State<AppState>,
    Query(filters): Query<Filters>,
    Query(paging): Query<PageQuery>,
) -> Result<Response, PageError> {
    let page = state
        .app
        .register(&filters.filter(), &paging.request(&SORTS))
        .await?;
    let pager = Pager::new(
        "/register",
        &[
            ("year", &filters.year),
            ("q", &filters.q),
            ("recipient", &filters.recipient),
            ("provider", &filters.provider),
            ("objective", &filters.objective),
        ],
        &paging,
        &SORTS,
        &page,
        |d: &Decision| d.id.as_str(),
    );
    let this_year = domain::reports::financial_year(state.app.today()).0.year();
    let query = filters.query();
    let page = RegisterPage {
        chrome: Chrome::anonymous("Register of decisions"),
        decisions: page.rows,
        pager,
        years: (this_year - 9..=this_year).rev().collect(),
        recipients: state.app.register_recipients().await?,
        choices: state.app.funded_choices().await?,
        downloads: if query.is_empty() {
            String::new()
        } else {
            format!("?{query}")
        },
        filters,
    };
    Ok(crate::errors::render(&page))
}

#[derive(Template)]
#[template(path = "commissioning/public_decision.html")]
struct PublicPage {
    chrome: Chrome,
    p: PublicDecision,
}

impl PublicPage {
    fn spend(&self) -> &'static str {
        domain::commissioning::Spend::parse(&self.p.decision.spend).map_or("", |s| s.label())
    }
}

pub(crate) async fn show(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let p = state
        .app
        .published_decision(&id)
        .await?
        .ok_or(app::AppError::NotFound)?;
    let page = PublicPage {
        chrome: Chrome::anonymous(&format!("Decision {}", p.decision.number)),
        p,
    };
    Ok(crate::errors::render(&page))
}

pub(crate) async fn csv(
    State(state): State<AppState>,
    Query(filters): Query<Filters>,
) -> Result<Response, PageError> {
    let all = state.app.register_download(&filters.filter()).await?;
    let mut out = String::from(
        "number,title,office,approved on,published on,spend,recipient,amount (pence),amount,funding source,part not published,section b report\n",
    );
    for p in &all {
        let d = &p.decision;
        for a in &p.amounts {
            let cells = [
                d.number.clone(),
                d.title.clone(),
                d.office_name.clone(),
                d.approved_on.clone().unwrap_or_default(),
                d.publish_on.clone().unwrap_or_default(),
                d.spend.clone(),
                a.recipient.clone(),
                a.amount_pence.to_string(),
                super::pounds(&a.amount_pence),
                a.source_name.clone(),
                p.withheld.unwrap_or("").to_string(),
                d.section_b.clone(),
            ];
            let line: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
            out.push_str(&line.join(","));
            out.push('\n');
        }
    }
    Ok((
        [
            (CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                CONTENT_DISPOSITION,
                "attachment; filename=\"decisions.csv\"",
            ),
        ],
        out,
    )
        .into_response())
}

/// A published decision as the downloads give it.
fn as_json(p: &PublicDecision) -> serde_json::Value {
    let d = &p.decision;
    json!({
        "id": d.id,
        "number": d.number,
        "title": d.title,
        "office": d.office_name,
        "author": d.author,
        "received_on": d.received_on,
        "approved_on": d.approved_on,
        "published_on": d.publish_on,
        "summary": d.summary,
        "background": d.background,
        "decision": d.decision,
        "financial_implications": d.financial,
        "legal_implications": d.legal,
        "equality_implications": d.equality,
        "spend": d.spend,
        "declaration_of_interests": d.interests,
        "total_pence": d.total_pence,
        "amounts": p.amounts.iter().map(|a| json!({
            "recipient": a.recipient,
            "amount_pence": a.amount_pence,
            "funding_source": a.source_name,
        })).collect::<Vec<_>>(),
        "part_not_published": p.withheld,
        "section_b_report": d.section_b,
        "corrects": d.corrects_number,
        "corrected_by": p.corrected_by.iter().map(|(_, n)| n).collect::<Vec<_>>(),
    })
}

pub(crate) async fn json(
    State(state): State<AppState>,
    Query(filters): Query<Filters>,
) -> Result<Response, PageError> {
    let all = state.app.register_download(&filters.filter()).await?;
    let body = json!({ "decisions": all.iter().map(as_json).collect::<Vec<_>>() });
    Ok(([(CONTENT_TYPE, "application/json")], body.to_string()).into_response())
}

#[derive(Template)]
#[template(path = "commissioning/feed.xml")]
struct Feed {
    updated: String,
    entries: Vec<PublicDecision>,
}

impl Feed {
    /// A day as an Atom time: midnight UTC of the day.
    fn at(day: &Option<String>) -> String {
        format!("{}T00:00:00Z", day.as_deref().unwrap_or("1970-01-01"))
    }
}

pub(crate) async fn atom(State(state): State<AppState>) -> Result<Response, PageError> {
    let mut entries = state
        .app
        .register_download(&RegisterFilter::default())
        .await?;
    entries.truncate(50);
    let updated = Feed::at(&entries.first().and_then(|p| p.decision.publish_on.clone()));
    let feed = Feed { updated, entries };
    let body = feed
        .render()
        .map_err(|e| PageError::from(app::AppError::Internal(e.to_string())))?;
    Ok((
        [(CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        body,
    )
        .into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct ProviderFilter {
    provider: String,
    objective: String,
    format: String,
}

#[derive(Template)]
#[template(path = "commissioning/funded.html")]
struct FundedPage {
    chrome: Chrome,
    funded: Vec<app::commissioning::FundedService>,
    pager: Pager,
    choices: FundedChoices,
    provider: String,
    objective: String,
}

pub(crate) async fn funded(
    State(state): State<AppState>,
    Query(asked): Query<ProviderFilter>,
    Query(paging): Query<PageQuery>,
) -> Result<Response, PageError> {
    let filter = FundedFilter {
        provider: asked.provider.clone(),
        objective: asked.objective.clone(),
    };
    if asked.format == "csv" {
        let funded = state.app.funded_download(&filter).await?;
        let mut out = String::from(
            "reference,title,office,provider,services,starts on,ends on,value a year (pence),value a year\n",
        );
        for f in &funded {
            let c = &f.contract;
            let cells = [
                c.reference.clone(),
                c.title.clone(),
                f.office.clone(),
                c.provider_name.clone(),
                f.services.join("; "),
                c.starts_on.clone(),
                c.ends_on.clone(),
                c.annual_pence.to_string(),
                super::pounds(&c.annual_pence),
            ];
            let line: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
            out.push_str(&line.join(","));
            out.push('\n');
        }
        return Ok((
            [
                (CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    CONTENT_DISPOSITION,
                    "attachment; filename=\"funded-services.csv\"",
                ),
            ],
            out,
        )
            .into_response());
    }
    let page = state
        .app
        .funded_services(&filter, &paging.request(&super::contract::SORTS))
        .await?;
    let pager = Pager::new(
        "/register/services",
        &[
            ("provider", &asked.provider),
            ("objective", &asked.objective),
        ],
        &paging,
        &super::contract::SORTS,
        &page,
        |f: &app::commissioning::FundedService| f.contract.id.as_str(),
    );
    let page = FundedPage {
        chrome: Chrome::anonymous("Funded services"),
        funded: page.rows,
        pager,
        choices: state.app.funded_choices().await?,
        provider: asked.provider,
        objective: asked.objective,
    };
    Ok(crate::errors::render(&page))
}
