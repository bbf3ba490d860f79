//! The MARAC's quarterly data for its coordinator and chair: a period
//! chosen on the page, shown as tables, downloaded as XLSX or CSV.

use app::reports::MojReturn;
use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use domain::reports::{previous_quarter, quarter};
use domain::validation::FieldErrors;
use jiff::civil::Date;

use crate::AppState;
use crate::chrome::Chrome;
use crate::errors::{PageError, render_form};
use crate::extract::Signed;

#[derive(Template)]
#[template(path = "marac/figures.html")]
pub(crate) struct FiguresPage {
    chrome: Chrome,
    errors: FieldErrors,
    marac_id: String,
    from: String,
    to: String,
    quarter: (Date, Date),
    last_quarter: (Date, Date),
    report: Option<MojReturn>,
    /// The reporting periods someone outside the service chooses from.
    periods: Vec<(Date, Date)>,
    period: String,
    /// Whether the reader is outside the service: figures protected, whole
    /// months, reached from the return.
    protected: bool,
    protection_note: &'static str,
}

pub(crate) async fn figures(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, PageError> {
    let pairs = crate::extract::join_dates(
        serde_urlencoded::from_str(query.as_deref().unwrap_or_default()).unwrap_or_default(),
    );
    let value = |key: &str| crate::extract::field(&pairs, key).to_string();
    let today = state.app.today();
    let this_quarter = quarter(today);
    let protected = !domain::policy::may(
        &ctx.actor,
        domain::policy::Action::RunMarac,
        &app::marac::marac_place(&id),
    );
    let periods = if protected {
        crate::returns::ended_periods(&state)
    } else {
        Vec::new()
    };
    let (mut from, mut to) = crate::returns::asked_period(value);
    if from.is_empty() && to.is_empty() {
        // The latest period they may see: one that has ended, for someone
        // outside the service.
        let (first, last) = periods.first().copied().unwrap_or(this_quarter);
        (from, to) = (first.to_string(), last.to_string());
    }
    let mut errors = FieldErrors::new();
    let start = crate::returns::date(&mut errors, "from", &from, "the first day of the period");
    let end = crate::returns::date(&mut errors, "to", &to, "the last day of the period");
    let mut report = None;
    if let (Some(start), Some(end)) = (start, end) {
        match state.app.marac_figures(&ctx.actor, &id, start, end).await {
            Ok(r) => report = Some(r),
            Err(app::AppError::Invalid(e)) => errors = e,
            Err(e) => return Err(e.into()),
        }
    }
    let file = |r: &MojReturn, ext: &str| {
        format!(
            "attachment; filename=\"marac-figures-{}-{}.{ext}\"",
            r.from, r.to
        )
    };
    match (value("format").as_str(), &report) {
        ("csv", Some(r)) => {
            return Ok((
                [
                    (CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                    (CONTENT_DISPOSITION, file(r, "csv")),
                ],
                r.to_csv(),
            )
                .into_response());
        }
        ("xlsx", Some(r)) => {
            let kind =
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string();
            return Ok((
                [(CONTENT_TYPE, kind), (CONTENT_DISPOSITION, file(r, "xlsx"))],
                r.to_xlsx()?,
            )
                .into_response());
        }
        _ => {}
    }
    if protected {
        crate::returns::errors_on_period(&mut errors);
    }
    let period = format!("{from}/{to}");
    let section = if protected { "/reports/moj" } else { "/maracs" };
    let page = FiguresPage {
        chrome: Chrome::signed(&ctx, "MARAC figures", section),
        errors,
        marac_id: id,
        from,
        to,
        quarter: this_quarter,
        last_quarter: previous_quarter(today),
        report,
        period,
        periods,
        protected,
        protection_note: app::reports::PROTECTION_NOTE,
    };
    Ok(render_form(&page, page.errors.is_empty()))
}
