//! Figures for commissioners and managers: counts only, never a person.

use app::directory::ServiceFiguresShown;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;

use crate::AppState;
use crate::chrome::Chrome;
use crate::errors::{PageError, render};
use crate::extract::Signed;
use crate::routes::Routes;

pub fn routes() -> Routes {
    Routes::new().route("/figures", get(figures))
}

#[derive(Template)]
#[template(path = "reports/figures.html")]
struct FiguresPage {
    chrome: Chrome,
    figures: Vec<ServiceFiguresShown>,
    /// Whether the counts are protected for a reader outside the services.
    protected: bool,
}

async fn figures(
    State(state): State<AppState>,
    Signed(ctx): Signed,
) -> Result<Response, PageError> {
    let figures = state.app.service_figures(&ctx.actor).await?;
    Ok(render(&FiguresPage {
        chrome: Chrome::signed(&ctx, "Figures", "/figures"),
        figures,
        protected: domain::disclosure::sees_protected_figures(&ctx.actor),
    }))
}
