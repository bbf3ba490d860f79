//! A programme's evaluation: the pilot against the baseline as tables and
//! charts (each chart a picture of its table), and as CSV and XLSX.

use app::programmes::Evaluation;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::AppState;
use crate::charts::BarChart;
use crate::chrome::Chrome;
use crate::errors::{PageError, render};
use crate::extract::Signed;

#[derive(Template)]
#[template(path = "programmes/evaluation.html")]
pub(crate) struct EvaluationPage {
    chrome: Chrome,
    id: String,
    e: Evaluation,
    charts: Vec<BarChart>,
    protection_note: &'static str,
}

#[derive(Default, Deserialize)]
pub(crate) struct EvaluationQuery {
    #[serde(default)]
    format: String,
}

pub(crate) async fn evaluation(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Path(id): Path<String>,
    Query(query): Query<EvaluationQuery>,
) -> Result<Response, PageError> {
    let e = state.app.programme_evaluation(&ctx.actor, &id).await?;
    let file = |ext: &str| {
        format!(
            "attachment; filename=\"programme-evaluation-{}-{}.{ext}\"",
            e.report.from, e.report.to
        )
    };
    match query.format.as_str() {
        "csv" => {
            return Ok((
                [
                    (CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                    (CONTENT_DISPOSITION, file("csv")),
                ],
                e.report.to_csv(),
            )
                .into_response());
        }
        "xlsx" => {
            let kind =
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string();
            return Ok((
                [(CONTENT_TYPE, kind), (CONTENT_DISPOSITION, file("xlsx"))],
                e.report.to_xlsx()?,
            )
                .into_response());
        }
        _ => {}
    }
    // One chart per rate: the pilot beside the baseline, in percent, only
    // where the share is shown.
    let charts = e
        .rates
        .iter()
        .map(|r| {
            let bars: Vec<(String, i64)> = [("Pilot", r.pilot), ("Baseline", r.baseline)]
                .into_iter()
                .filter_map(|(label, v)| v.map(|v| (label.to_string(), v)))
                .collect();
            BarChart::new(r.label, &bars)
        })
        .collect();
    Ok(render(&EvaluationPage {
        chrome: Chrome::signed(&ctx, "Programme evaluation", "/programmes"),
        id,
        e,
        charts,
        protection_note: app::reports::PROTECTION_NOTE,
    }))
}
