//! The office's commissioning report for a financial year: a page of
//! tables, and the same as CSV and XLSX.

use app::reports::MojReturn;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use jiff::civil::Date;
use serde::Deserialize;

use crate::AppState;
use crate::chrome::Chrome;
use crate::errors::PageError;
use crate::extract::Signed;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct ReportQuery {
    year: String,
    format: String,
}

#[derive(Template)]
#[template(path = "commissioning/report.html")]
struct ReportPage {
    chrome: Chrome,
    r: MojReturn,
    year: i16,
    years: Vec<i16>,
    protection_note: &'static str,
}

pub(crate) async fn report(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Query(query): Query<ReportQuery>,
) -> Result<Response, PageError> {
    let on = query
        .year
        .trim()
        .parse::<i16>()
        .ok()
        .and_then(|y| Date::new(y, 4, 1).ok())
        .unwrap_or_else(|| state.app.today());
    let r = state.app.commissioning_report(&ctx.actor, on).await?;
    let year = r.from.year();
    let file = |ext: &str| format!("attachment; filename=\"commissioning-{year}.{ext}\"");
    match query.format.as_str() {
        "csv" => {
            return Ok((
                [
                    (CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                    (CONTENT_DISPOSITION, file("csv")),
                ],
                r.to_csv(),
            )
                .into_response());
        }
        "xlsx" => {
            let kind =
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string();
            return Ok((
                [(CONTENT_TYPE, kind), (CONTENT_DISPOSITION, file("xlsx"))],
                r.to_xlsx()?,
            )
                .into_response());
        }
        _ => {}
    }
    let this_year = domain::reports::financial_year(state.app.today()).0.year();
    let page = ReportPage {
        chrome: Chrome::signed(&ctx, "Commissioning report", "/commissioning"),
        r,
        year,
        years: (this_year - 4..=this_year).rev().collect(),
        protection_note: app::reports::PROTECTION_NOTE,
    };
    Ok(crate::errors::render(&page))
}
