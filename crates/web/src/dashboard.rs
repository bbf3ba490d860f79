//! The team dashboard: caseloads with what is overdue, the referrals whose
//! deadlines are missed or due today, the team's overdue tasks, and charts
//! of referrals in and cases open over twelve weeks. Every count links to
//! the list behind it.

use app::cases::{Dashboard, Week};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;

use crate::AppState;
use crate::charts::BarChart;
use crate::chrome::Chrome;
use crate::errors::{PageError, render};
use crate::extract::Signed;
use crate::routes::Routes;

pub fn routes() -> Routes {
    Routes::new().route("/dashboard", get(dashboard))
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    chrome: Chrome,
    d: Dashboard,
    charts: Vec<BarChart>,
}

/// A week's label: the day it starts, short ("23 Nov").
fn week_label(week: &Week) -> String {
    week.starts.strftime("%-d %b").to_string()
}

async fn dashboard(
    State(state): State<AppState>,
    Signed(ctx): Signed,
) -> Result<Response, PageError> {
    let d = state.app.team_dashboard(&ctx.actor).await?;
    let figures = |weeks: &[Week]| -> Vec<(String, i64)> {
        weeks.iter().map(|w| (week_label(w), w.value)).collect()
    };
    let charts = vec![
        BarChart::new("Referrals received each week", &figures(&d.referrals_in)),
        BarChart::new(
            "Cases open at the end of each week",
            &figures(&d.cases_open),
        ),
    ];
    Ok(render(&DashboardPage {
        chrome: Chrome::signed(&ctx, "Team dashboard", "/dashboard"),
        d,
        charts,
    }))
}
