//! The safety plan, saved from the case's Safety plan part, and its
//! discreet print: plain, with no service name and no alarming words.

use app::cases::CaseDetail;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;

use crate::AppState;
use crate::errors::{PageError, render};
use crate::extract::{ByName, Signed, SignedForm, field as kept};

use super::*;
use crate::messages::Done;

pub(crate) async fn safety_plan(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm { ctx, pairs, .. }: SignedForm<ByName>,
) -> Result<Response, PageError> {
    let input = app::risk::SafetyPlanInput {
        risks: kept(&pairs, "risks").into(),
        safety_measures: kept(&pairs, "safety_measures").into(),
        actions: kept(&pairs, "actions").into(),
        safe_places: kept(&pairs, "safe_places").into(),
        emergency_plan: kept(&pairs, "emergency_plan").into(),
        code_word: kept(&pairs, "code_word").into(),
        review_on: kept(&pairs, "review_on").into(),
    };
    let result = state
        .app
        .save_safety_plan(&ctx.actor, &id, &input)
        .await
        .map(|_| Done::SafetyPlanSaved);
    outcome(&state, &ctx, &id, Section::SafetyPlan, result, pairs).await
}

/// The plan's latest version on a page of its own, outside the layout: no
/// header, no service name, neutral headings; the code word is left off.
#[derive(Template)]
#[template(path = "cases/safety_plan_print.html")]
pub(crate) struct DiscreetPrint {
    d: CaseDetail,
}

pub(crate) async fn safety_plan_print(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let d = state.app.case(&ctx.actor, &id).await?.into_inner();
    Ok(render(&DiscreetPrint { d }))
}
