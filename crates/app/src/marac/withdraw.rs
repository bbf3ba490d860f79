//! Withdrawing a referral to a MARAC before its meeting (made in error, or
//! no longer needed), from the case, with the reason. It leaves the agenda,
//! the figures and the flags, and no longer makes a later one a repeat.

use domain::policy::{Action, Actor};
use domain::validation::{FieldErrors, required_lines};
use serde_json::json;

use crate::audit::{AuditAction, Change};
use crate::marac::messages::MaracMessage;
use crate::{App, AppError, Result};

impl App {
    pub async fn withdraw_marac_referral(
        &self,
        actor: &Actor,
        case_id: &str,
        referral_id: &str,
        reason: &str,
    ) -> Result<()> {
        let mut errors = FieldErrors::new();
        let reason = required_lines(
            &mut errors,
            "withdrawn_reason",
            reason,
            "why the referral is withdrawn",
            2_000,
        );
        errors.into_result().map_err(AppError::Invalid)?;
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        let (case, service) = tx.open_case(case_id, Action::ManageCases).await?;
        let referral = store::marac::referral(tx.conn(), referral_id)
            .await?
            .filter(|r| r.case_id == case.id)
            .ok_or(AppError::NotFound)?;
        if referral.status != "pending" {
            return Err(AppError::invalid(
                "withdrawn_reason",
                MaracMessage::OnlyPendingWithdrawn,
            ));
        }
        store::marac::withdraw_referral(tx.conn(), &referral.id, &reason).await?;
        tx.commit(
            Change::new(AuditAction::MaracReferralWithdrawn, "case", &case.id)
                .place(Some(&service.organisation_id), Some(&service.id))
                .before(json!({ "referral_id": referral.id, "status": referral.status }))
                .after(
                    json!({ "referral_id": referral.id, "status": "withdrawn", "reason": reason }),
                ),
        )
        .await
    }
}
