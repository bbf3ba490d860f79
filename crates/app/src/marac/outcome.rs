//! The outcome the meeting records for each case it hears, and the
//! meeting's minutes.

use domain::policy::{Action, Actor};
use domain::validation::{FieldErrors, required_lines};
use serde_json::json;

use crate::audit::{AuditAction, Change};
use crate::marac::access::{meeting_for, referral_for};
use crate::marac::messages::MaracMessage;
use crate::marac::research::require_acknowledged;
use crate::{App, AppError, Result};

impl App {
    /// Records a case's outcome; the case is then heard. Recording it again
    /// corrects it, and the audit event keeps what it said before.
    pub async fn record_marac_outcome(
        &self,
        actor: &Actor,
        referral_id: &str,
        outcome: &str,
    ) -> Result<()> {
        let mut errors = FieldErrors::new();
        let outcome = required_lines(&mut errors, "outcome", outcome, "the outcome", 5_000);
        errors.into_result().map_err(AppError::Invalid)?;
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        let referral = referral_for(tx.conn(), actor, referral_id, Action::RunMarac).await?;
        require_acknowledged(tx.conn(), &referral.meeting_id, actor).await?;
        if referral.meets_on > self.today().to_string() {
            return Err(AppError::invalid(
                "outcome",
                MaracMessage::MinutesBeforeMeeting,
            ));
        }
        store::marac::record_outcome(tx.conn(), &referral.id, &outcome, &now).await?;
        tx.commit(
            Change::new(
                AuditAction::MaracOutcomeRecorded,
                "marac_referral",
                &referral.id,
            )
            .place(None, Some(&referral.service_id))
            .before(json!({ "status": referral.status, "outcome": referral.outcome }))
            .after(json!({ "status": "heard", "outcome": outcome })),
        )
        .await
    }

    /// Records (or corrects) a meeting's minutes, once it has met.
    pub async fn record_marac_minutes(
        &self,
        actor: &Actor,
        meeting_id: &str,
        minutes: &str,
    ) -> Result<()> {
        let mut errors = FieldErrors::new();
        let minutes = required_lines(&mut errors, "minutes", minutes, "the minutes", 50_000);
        errors.into_result().map_err(AppError::Invalid)?;
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        let meeting = meeting_for(tx.conn(), actor, meeting_id, Action::RunMarac).await?;
        if meeting.meets_on > self.today().to_string() {
            return Err(AppError::invalid(
                "minutes",
                MaracMessage::MinutesBeforeMeeting,
            ));
        }
        store::marac::record_minutes(tx.conn(), &meeting.id, &minutes, &now).await?;
        tx.commit(
            Change::new(
                AuditAction::MaracMinutesRecorded,
                "marac_meeting",
                &meeting.id,
            )
            .before(json!({ "minutes": meeting.minutes }))
            .after(json!({ "minutes": minutes })),
        )
        .await
    }
}
