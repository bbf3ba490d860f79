//! One assessment with its answers: a read of the victim's personal data,
//! audited.

use app::risk::AssessmentView;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;

use crate::AppState;
use crate::chrome::Chrome;
use crate::errors::{PageError, render};
use crate::extract::Signed;

#[derive(Template)]
#[template(path = "risk/assessment.html")]
pub(crate) struct AssessmentPage {
    chrome: Chrome,
    v: AssessmentView,
}

pub(crate) async fn assessment(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Path((id, assessment)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let v = state
        .app
        .risk_assessment(&ctx.actor, &id, &assessment)
        .await?
        .into_inner();
    Ok(render(&AssessmentPage {
        chrome: Chrome::signed(&ctx, "Risk assessment", "/cases"),
        v,
    }))
}
