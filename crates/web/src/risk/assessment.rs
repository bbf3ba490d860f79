//! One assessment with its answers: a read of the victim's personal data,
//! audited. An assessment recorded in error is withdrawn from here, with
//! the reason, after asking first.

use app::AppError;
use app::auth::SessionContext;
use app::risk::AssessmentView;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use domain::validation::FieldErrors;

use crate::AppState;
use crate::chrome::Chrome;
use crate::errors::{PageError, render_form};
use crate::extract::{ByName, Signed, SignedForm, field as kept};
use crate::messages::{ConfirmMessage, Done, after_change};

#[derive(Template)]
#[template(path = "risk/assessment.html")]
pub(crate) struct AssessmentPage {
    chrome: Chrome,
    v: AssessmentView,
    errors: FieldErrors,
    /// The reason typed, when the withdrawal was refused.
    reason: String,
}

async fn assessment_page(
    state: &AppState,
    ctx: &SessionContext,
    id: &str,
    assessment: &str,
    errors: FieldErrors,
    reason: String,
) -> Result<Response, PageError> {
    let v = state
        .app
        .risk_assessment(&ctx.actor, id, assessment)
        .await?
        .into_inner();
    let page = AssessmentPage {
        chrome: Chrome::signed(ctx, "Risk assessment", "/cases"),
        v,
        errors,
        reason,
    };
    Ok(render_form(&page, page.errors.is_empty()))
}

pub(crate) async fn assessment(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Path((id, assessment)): Path<(String, String)>,
) -> Result<Response, PageError> {
    assessment_page(
        &state,
        &ctx,
        &id,
        &assessment,
        FieldErrors::new(),
        String::new(),
    )
    .await
}

/// Withdraws the assessment as recorded in error; asks first.
pub(crate) async fn withdraw(
    State(state): State<AppState>,
    Path((id, assessment)): Path<(String, String)>,
    form: SignedForm<ByName>,
) -> Result<Response, PageError> {
    let ask = crate::confirm::Ask {
        question: ConfirmMessage::WithdrawRiskAssessment,
        consequence: ConfirmMessage::WithdrawRiskAssessmentConsequence,
        yes: ConfirmMessage::WithdrawRiskAssessmentYes,
    };
    let back = format!("/cases/{id}/risk/{assessment}");
    let action = format!("/cases/{id}/risk/{assessment}/withdraw");
    if let Some(asking) = crate::confirm::ask_first(&form, ask, &action, &back) {
        return Ok(asking);
    }
    let SignedForm { ctx, pairs, .. } = form;
    let reason = kept(&pairs, "withdrawn_reason").to_string();
    match state
        .app
        .withdraw_risk_assessment(&ctx.actor, &id, &assessment, &reason)
        .await
    {
        Ok(()) => Ok(after_change(
            &format!("/cases/{id}?section=risk"),
            Done::RiskAssessmentWithdrawn,
        )),
        Err(AppError::Invalid(errors)) => {
            assessment_page(&state, &ctx, &id, &assessment, errors, reason).await
        }
        Err(e) => Err(e.into()),
    }
}
