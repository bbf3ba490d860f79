//! Withdrawing a risk assessment recorded in error (on the wrong case, or
//! with answers that were not the victim's), with the reason. It is kept
//! in the case's history as withdrawn; the case's current risk becomes the
//! latest assessment still standing, and the figures no longer count it.
//! A wrong answer is put right by recording a new assessment.

use domain::policy::{Action, Actor};
use domain::validation::{FieldErrors, required_lines};
use serde_json::json;

use crate::audit::{AuditAction, Change};
use crate::risk::messages::RiskUseMessage;
use crate::{App, AppError, Result};

impl App {
    pub async fn withdraw_risk_assessment(
        &self,
        actor: &Actor,
        case_id: &str,
        assessment_id: &str,
        reason: &str,
    ) -> Result<()> {
        let mut errors = FieldErrors::new();
        let reason = required_lines(
            &mut errors,
            "withdrawn_reason",
            reason,
            "why the assessment is withdrawn",
            2_000,
        );
        errors.into_result().map_err(AppError::Invalid)?;
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        let (case, service) = tx.open_case(case_id, Action::ManageCases).await?;
        let assessment = store::risk::assessment(tx.conn(), &case.id, assessment_id)
            .await?
            .ok_or(AppError::NotFound)?;
        if assessment.withdrawn_at.is_some() {
            return Err(AppError::invalid(
                "withdrawn_reason",
                RiskUseMessage::AlreadyWithdrawn,
            ));
        }
        store::risk::withdraw_assessment(tx.conn(), &assessment, &actor.id, &now, &reason).await?;
        let current = store::risk::assessments(tx.conn(), &case.id)
            .await?
            .into_iter()
            .next();
        // The reason may name what was wrong, so it is kept on the record,
        // not in the audit log; the event says what changed.
        tx.commit(
            Change::new(AuditAction::RiskAssessmentWithdrawn, "case", &case.id)
                .place(Some(&service.organisation_id), Some(&service.id))
                .before(json!({
                    "assessment_id": assessment.id,
                    "level": assessment.level,
                    "case_risk": case.risk_level,
                }))
                .after(json!({
                    "assessment_id": assessment.id,
                    "withdrawn": true,
                    "case_risk": current.as_ref().and_then(|a| a.level.clone()),
                    "review_on": current.map(|a| a.review_on),
                })),
        )
        .await
    }
}
