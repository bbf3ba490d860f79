//! The MoJ return: chosen on a page, shown as tables, downloaded as XLSX or
//! CSV; and the page that explains how each figure is counted.

use std::sync::LazyLock;

use app::reports::MojReturn;
use app::store::directory::Service;
use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use domain::reports::{financial_year, previous_quarter, quarter};
use domain::validation::FieldErrors;
use jiff::civil::Date;

use crate::AppState;
use crate::chrome::Chrome;
use crate::errors::{PageError, render, render_form};
use crate::extract::Signed;
use crate::messages::FormMessage;
use crate::routes::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .route("/reports/moj", get(moj))
        .route("/help/moj-return", get(help))
}

#[derive(Template)]
#[template(path = "reports/moj_return.html")]
struct ReturnPage {
    chrome: Chrome,
    errors: FieldErrors,
    from: String,
    to: String,
    quarter: (Date, Date),
    last_quarter: (Date, Date),
    year: (Date, Date),
    services: Vec<Service>,
    chosen: Vec<String>,
    report: Option<MojReturn>,
    download: String,
    protection_note: &'static str,
    /// The reporting periods to choose from, latest first, for someone
    /// outside the service, who sees one ended period of one service at a
    /// time; empty for the service's own staff, who enter any days.
    periods: Vec<(Date, Date)>,
    /// The period chosen from `periods`, as its option's value.
    period: String,
    /// The MARACs in the commissioner's area, whose figures they may see.
    maracs: Vec<app::marac::Marac>,
    /// Days after a period ends before it may be read (`Settings`).
    closing_days: i64,
}

/// The period asked for: a reporting period chosen from the list (its two
/// days joined by "/"), or the days typed.
pub(crate) fn asked_period(value: impl Fn(&str) -> String) -> (String, String) {
    match value("period").split_once('/') {
        Some((first, last)) => (first.to_string(), last.to_string()),
        None => (value("from"), value("to")),
    }
}

/// The reporting periods someone outside the service chooses from: the
/// latest eight to have ended, latest first.
pub(crate) fn ended_periods(state: &AppState) -> Vec<(Date, Date)> {
    let blocks = state.app.settings.report_periods;
    blocks.latest(blocks.before(state.app.reporting_day()).0, 8)
}

/// Errors of the typed days, named as the one field a protected form has.
pub(crate) fn errors_on_period(errors: &mut FieldErrors) {
    for e in errors
        .0
        .iter_mut()
        .filter(|e| e.field == "from" || e.field == "to")
    {
        e.field = "period".into();
    }
}

/// A day typed into a period's form, or the field named as not a real date.
pub(crate) fn date(
    errors: &mut FieldErrors,
    field: &str,
    value: &str,
    label: &str,
) -> Option<Date> {
    match domain::values::Day::parse(value).map(|d| d.date()) {
        Ok(d) => Some(d),
        Err(_) => {
            errors.add(
                field,
                FormMessage::NotARealDate {
                    label: label.into(),
                },
            );
            None
        }
    }
}

async fn moj(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    RawQuery(query): RawQuery,
) -> Result<Response, PageError> {
    // The period's days are entered as day, month and year boxes.
    let pairs = crate::extract::join_dates(
        serde_urlencoded::from_str(query.as_deref().unwrap_or_default()).unwrap_or_default(),
    );
    let value = |key: &str| crate::extract::field(&pairs, key).to_string();
    let chosen: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| k == "service")
        .map(|(_, v)| v.clone())
        .collect();
    let services = state.app.reportable_services(&ctx.actor).await?;
    if services.is_empty() {
        return Err(app::AppError::Forbidden.into());
    }
    let today = state.app.today();
    let (from, to) = asked_period(value);
    let mut errors = FieldErrors::new();
    let mut report = None;
    if !from.is_empty() || !to.is_empty() {
        let start = date(&mut errors, "from", &from, "the first day of the period");
        let end = date(&mut errors, "to", &to, "the last day of the period");
        if let (Some(start), Some(end)) = (start, end) {
            match state.app.moj_return(&ctx.actor, start, end, &chosen).await {
                Ok(r) => report = Some(r),
                Err(app::AppError::Invalid(e)) => errors = e,
                Err(e) => return Err(e.into()),
            }
        }
    }
    let protected = domain::disclosure::sees_protected_figures(&ctx.actor);
    if protected {
        errors_on_period(&mut errors);
    }
    let mut download = format!("/reports/moj?from={from}&to={to}");
    for s in &chosen {
        download.push_str(&format!("&service={s}"));
    }
    match (value("format").as_str(), &report) {
        ("csv", Some(r)) => {
            let name = format!(
                "attachment; filename=\"moj-return-{}-{}.csv\"",
                r.from, r.to
            );
            return Ok((
                [
                    (CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                    (CONTENT_DISPOSITION, name),
                ],
                r.to_csv(),
            )
                .into_response());
        }
        ("xlsx", Some(r)) => {
            let name = format!(
                "attachment; filename=\"moj-return-{}-{}.xlsx\"",
                r.from, r.to
            );
            let kind =
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string();
            return Ok((
                [(CONTENT_TYPE, kind), (CONTENT_DISPOSITION, name)],
                r.to_xlsx()?,
            )
                .into_response());
        }
        _ => {}
    }
    let periods = if protected {
        ended_periods(&state)
    } else {
        Vec::new()
    };
    let period = format!("{from}/{to}");
    let maracs = state.app.maracs_with_protected_figures(&ctx.actor).await?;
    let page = ReturnPage {
        chrome: Chrome::signed(&ctx, "MoJ monitoring return", "/reports/moj"),
        errors,
        from,
        to,
        quarter: quarter(today),
        last_quarter: previous_quarter(today),
        year: financial_year(today),
        services,
        chosen,
        report,
        download,
        protection_note: app::reports::PROTECTION_NOTE,
        periods,
        period,
        maracs,
        closing_days: state.app.settings.report_closing_days,
    };
    Ok(render_form(&page, page.errors.is_empty()))
}

#[derive(Template)]
#[template(path = "help.html")]
struct HelpPage {
    chrome: Chrome,
    body: String,
}

/// A page of the documentation, as HTML.
/// Links between documentation files point at the help page that serves
/// the file; a link to a file no page serves keeps its words, unlinked.
pub(crate) fn markdown(text: &str) -> String {
    use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};
    const SERVED: &[(&str, &str)] = &[
        ("moj-return.md", "/help/moj-return"),
        ("marac.md", "/help/marac"),
        ("duty.md", "/help/duty"),
        ("activity.md", "/help/activity"),
        ("programmes.md", "/help/programmes"),
        ("commissioning.md", "/help/commissioning"),
    ];
    let mut unlinked = 0usize;
    let events = Parser::new_ext(
        text,
        Options::ENABLE_HEADING_ATTRIBUTES | Options::ENABLE_TABLES,
    )
    .filter_map(|event| match event {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let (file, anchor) = dest_url.split_once('#').unwrap_or((&dest_url, ""));
            if !file.ends_with(".md") {
                return Some(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            match SERVED.iter().find(|(name, _)| *name == file) {
                Some((_, page)) => {
                    let href = if anchor.is_empty() {
                        (*page).to_string()
                    } else {
                        format!("{page}#{anchor}")
                    };
                    Some(Event::Start(Tag::Link {
                        link_type,
                        dest_url: CowStr::from(href),
                        title,
                        id,
                    }))
                }
                None => {
                    unlinked += 1;
                    None
                }
            }
        }
        Event::End(TagEnd::Link) if unlinked > 0 => {
            unlinked -= 1;
            None
        }
        other => Some(other),
    });
    let mut out = String::new();
    html::push_html(&mut out, events);
    out
}

/// The counting rules, written once in `docs/moj-return.md` and shown here.
static COUNTING_RULES: LazyLock<String> =
    LazyLock::new(|| markdown(include_str!("../../../docs/moj-return.md")));

/// A help page showing a page of the documentation.
pub(crate) fn help_page(
    ctx: &app::auth::SessionContext,
    title: &str,
    section: &str,
    body: &str,
) -> Response {
    render(&HelpPage {
        chrome: Chrome::signed(ctx, title, section),
        body: body.to_string(),
    })
}

async fn help(Signed(ctx): Signed) -> Response {
    help_page(
        &ctx,
        "How the MoJ return is counted",
        "/reports/moj",
        &COUNTING_RULES,
    )
}

#[cfg(test)]
mod tests {
    use super::markdown;

    #[test]
    fn links_between_documents_point_at_their_help_pages_or_are_unlinked() {
        let html = markdown(
            "See [the return](moj-return.md#abuse), [the MARAC](marac.md), [risk](risk.md) and [a site](https://example.org).",
        );
        assert!(
            html.contains(r#"<a href="/help/moj-return#abuse">the return</a>"#),
            "{html}"
        );
        assert!(
            html.contains(r#"<a href="/help/marac">the MARAC</a>"#),
            "{html}"
        );
        assert!(html.contains(" risk and "), "{html}");
        assert!(!html.contains("risk.md"), "{html}");
        assert!(
            html.contains(r#"<a href="https://example.org">a site</a>"#),
            "{html}"
        );
    }
}
