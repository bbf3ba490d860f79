//! Triage: accepting (which opens a case), declining or closing a referral.

use domain::journey::ReferralStatus;
use domain::policy::Actor;
use serde_json::json;
use store::referrals::Referral;

use crate::audit::AuditAction;
use crate::audit::Change;
use crate::{App, AppError, Result};

use super::*;
use crate::referrals::messages::ReferralMessage;

impl App {
    /// Ends triage with an outcome. "Not contactable" needs at least three attempts.
    pub async fn triage(
        &self,
        actor: &Actor,
        referral_id: &str,
        outcome: &str,
        note: &str,
    ) -> Result<Referral> {
        let (referral, service) = self.workable(actor, referral_id).await?;
        let Some(outcome) =
            ReferralStatus::parse(outcome.trim()).filter(|s| *s != ReferralStatus::New)
        else {
            return Err(AppError::invalid(
                "outcome",
                ReferralMessage::ChooseOutcomeTriage,
            ));
        };
        if referral.status != ReferralStatus::New.code() {
            return Err(AppError::invalid(
                "outcome",
                ReferralMessage::ReferralHasAlreadyBeenTriaged,
            ));
        }
        if outcome == ReferralStatus::NotContactable {
            let mut conn = self.db.conn().await?;
            let attempts = store::referrals::attempts(&mut conn, &referral.id).await?;
            if attempts.len() < 3 {
                return Err(AppError::invalid(
                    "outcome",
                    ReferralMessage::TooFewAttempts {
                        so_far: attempts.len(),
                    },
                ));
            }
        }
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        store::referrals::set_status(
            tx.conn(),
            &referral.id,
            outcome.code(),
            optional(note).as_deref(),
        )
        .await?;
        let mut changes = Vec::new();
        if outcome == ReferralStatus::Accepted {
            changes.push(
                self.open_case_for_referral(&mut tx, actor, &referral, &service)
                    .await?,
            );
        }
        changes.push(
            Change::new(AuditAction::ReferralTriaged, "referral", &referral.id)
                .place(Some(&service.organisation_id), Some(&service.id))
                .before(json!({ "status": referral.status }))
                .after(json!({ "status": outcome.code() })),
        );
        tx.commit_all(changes).await?;
        self.visible_referral(actor, referral_id).await
    }
}
