//! Recorded activity's pages: a worker's own time, recorded and corrected,
//! and the activity report with its shares.

mod mine;
mod report;

use axum::routing::get;
use mine::*;
use report::*;

use crate::routes::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .route("/activity", get(activity).post(record))
        .route("/activity/report", get(report))
        .route("/activity/{id}", get(correct_form).post(correct))
        .route("/help/activity", get(help))
}

/// How recorded activity and its shares work, written once in
/// `docs/activity.md` and shown here.
async fn help(crate::extract::Signed(ctx): crate::extract::Signed) -> axum::response::Response {
    crate::returns::help_page(
        &ctx,
        "How recorded activity works",
        "/activity",
        &ACTIVITY_RULES,
    )
}

static ACTIVITY_RULES: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    crate::returns::markdown(include_str!("../../../../docs/activity.md"))
});

/// Minutes as hours and minutes: "1h 30m".
pub fn hours(minutes: &i64) -> String {
    format!("{}h {:02}m", minutes / 60, minutes % 60)
}

/// A kind of work in words.
pub fn kind_label(code: &str) -> &'static str {
    domain::activity::ActivityKind::parse(code).map_or("Other", |k| k.label())
}
