//! The activity report for a period: hours by worker, area, funder and
//! kind, with the shares a cost is split by.

use app::activity::ActivityReport;
use askama::Template;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use domain::validation::FieldErrors;
use domain::values::Pence;

use crate::AppState;
use crate::chrome::Chrome;
use crate::errors::{PageError, render_form};
use crate::extract::Signed;

#[derive(Template)]
#[template(path = "activity/report.html")]
pub(crate) struct ReportPage {
    chrome: Chrome,
    errors: FieldErrors,
    from: String,
    to: String,
    report: Option<ActivityReport>,
    /// The amount to split by the shares, as typed, and each table's parts.
    amount: String,
    /// The amount as pounds, once read.
    amount_shown: String,
    parts: Vec<Vec<Option<Pence>>>,
}

impl ReportPage {
    /// A table's row's part of the amount, in pounds.
    fn part(&self, table: &usize, row: &usize) -> String {
        self.parts
            .get(*table)
            .and_then(|t| t.get(*row))
            .copied()
            .flatten()
            .map(|p| p.to_string())
            .unwrap_or_else(|| "–".to_string())
    }
}

pub(crate) async fn report(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    RawQuery(query): RawQuery,
) -> Result<Response, PageError> {
    let pairs = crate::extract::join_dates(
        serde_urlencoded::from_str(query.as_deref().unwrap_or_default()).unwrap_or_default(),
    );
    let value = |key: &str| crate::extract::field(&pairs, key).to_string();
    let (mut from, mut to) = (value("from"), value("to"));
    if from.is_empty() && to.is_empty() {
        let year = domain::reports::financial_year(state.app.today());
        (from, to) = (year.0.to_string(), year.1.to_string());
    }
    let mut errors = FieldErrors::new();
    let start = crate::returns::date(&mut errors, "from", &from, "the first day of the period");
    let end = crate::returns::date(&mut errors, "to", &to, "the last day of the period");
    let mut report = None;
    if let (Some(start), Some(end)) = (start, end) {
        match state.app.activity_report(&ctx.actor, start, end).await {
            Ok(r) => report = Some(r),
            Err(app::AppError::Invalid(e)) => errors = e,
            Err(e) => return Err(e.into()),
        }
    } else {
        // Refused dates still need the reader to be one who may ask.
        state
            .app
            .activity_report(&ctx.actor, state.app.today(), state.app.today())
            .await?;
    }
    if let (Some(r), "xlsx") = (&report, crate::extract::field(&pairs, "format")) {
        use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
        use axum::response::IntoResponse;
        let name = format!("attachment; filename=\"activity-{}-{}.xlsx\"", r.from, r.to);
        let kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        return Ok((
            [
                (CONTENT_TYPE, kind.to_string()),
                (CONTENT_DISPOSITION, name),
            ],
            r.to_xlsx()?,
        )
            .into_response());
    }
    if let (Some(r), "csv") = (&report, crate::extract::field(&pairs, "format")) {
        use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
        use axum::response::IntoResponse;
        let name = format!("attachment; filename=\"activity-{}-{}.csv\"", r.from, r.to);
        return Ok((
            [
                (CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (CONTENT_DISPOSITION, name),
            ],
            r.to_csv(),
        )
            .into_response());
    }
    let amount = value("amount");
    let mut parts = Vec::new();
    let mut amount_shown = String::new();
    if !amount.trim().is_empty() {
        match (Pence::parse(&amount), &report) {
            (Ok(pence), Some(r)) => {
                parts = r.apportion(pence);
                amount_shown = pence.to_string();
            }
            (Ok(_), None) => {}
            (Err(refusal), _) => errors.add("amount", refusal.to_string()),
        }
    }
    let page = ReportPage {
        chrome: Chrome::signed(&ctx, "Activity report", "/activity/report"),
        errors,
        from,
        to,
        report,
        amount,
        amount_shown,
        parts,
    };
    Ok(render_form(&page, page.errors.is_empty()))
}
