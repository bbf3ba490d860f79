//! Correcting a referral to a MARAC while it waits for its meeting: moved
//! to another of the MARAC's coming meetings, or its consent put right.
//! What it says of the case (criteria, score, children) stays as it was
//! when referred; a referral that is no longer needed is withdrawn instead.

use domain::marac::Criterion;
use domain::policy::{Action, Actor};
use domain::validation::FieldErrors;
use serde_json::json;
use store::marac::{MaracReferral, Meeting};

use crate::audit::{AuditAction, Change};
use crate::marac::messages::MaracMessage;
use crate::marac::refer::{MaracReferralInput, coming_meeting, consent};
use crate::{App, AppError, Result};

/// A referral waiting for its meeting, with the MARAC's coming meetings it
/// may move to, for the correction form.
#[derive(Debug, Clone)]
pub struct ReferralToCorrect {
    pub referral: MaracReferral,
    pub meetings: Vec<Meeting>,
}

impl App {
    pub async fn marac_referral_to_correct(
        &self,
        actor: &Actor,
        case_id: &str,
        referral_id: &str,
    ) -> Result<crate::Seen<ReferralToCorrect>> {
        let case = self.visible_case(actor, case_id).await?;
        let mut conn = self.db.conn().await?;
        let referral = store::marac::referral(&mut conn, referral_id)
            .await?
            .filter(|r| r.case_id == case.id)
            .ok_or(AppError::NotFound)?;
        let meetings =
            store::marac::meetings_from(&mut conn, &referral.marac_id, &self.today().to_string())
                .await?;
        drop(conn);
        // The reason for referring without consent is the victim's story.
        let service = self.service_by_id(&case.service_id).await?;
        let read = Change::new(AuditAction::PersonViewed, "person", &case.person_id)
            .place(Some(&service.organisation_id), Some(&service.id));
        self.disclose(actor, read, ReferralToCorrect { referral, meetings })
            .await
    }

    /// Moves a waiting referral to another coming meeting of its MARAC, or
    /// corrects its consent; the MARAC itself cannot change.
    pub async fn correct_marac_referral(
        &self,
        actor: &Actor,
        case_id: &str,
        referral_id: &str,
        input: &MaracReferralInput,
    ) -> Result<MaracReferral> {
        let now = self.clock.now_text();
        let today = self.today();
        let mut tx = self.write(actor, &now).await?;
        let (case, service) = tx.open_case(case_id, Action::ManageCases).await?;
        let before = store::marac::referral(tx.conn(), referral_id)
            .await?
            .filter(|r| r.case_id == case.id)
            .ok_or(AppError::NotFound)?;
        let mut errors = FieldErrors::new();
        if before.status != "pending" {
            errors.add("meeting", MaracMessage::OnlyPendingCorrected);
            return Err(AppError::Invalid(errors));
        }
        let meeting = store::marac::meeting(tx.conn(), input.meeting.trim())
            .await?
            .filter(|m| m.marac_id == before.marac_id);
        coming_meeting(&mut errors, meeting.as_ref(), today);
        let high = before.criteria.split(',').any(|c| {
            c == Criterion::VisibleHighRisk.code() || c == Criterion::ProfessionalJudgement.code()
        });
        let reason = consent(&mut errors, input, high);
        errors.into_result().map_err(AppError::Invalid)?;
        let Some(meeting) = meeting else {
            return Err(AppError::Internal(
                "a checked correction lost its meeting".into(),
            ));
        };
        let after = MaracReferral {
            meeting_id: meeting.id.clone(),
            meets_on: meeting.meets_on.clone(),
            consent: input.consent.trim().to_string(),
            without_consent_reason: reason,
            // A move leaves the coordinator's placing on the old agenda.
            agenda_place: if meeting.id == before.meeting_id {
                before.agenda_place
            } else {
                None
            },
            ..before.clone()
        };
        store::marac::correct_referral(tx.conn(), &after).await?;
        let shown = |r: &MaracReferral| {
            json!({
                "referral_id": r.id,
                "meeting_id": r.meeting_id,
                "consent": r.consent,
                "without_consent_reason_given": !r.without_consent_reason.is_empty(),
            })
        };
        tx.commit(
            Change::new(AuditAction::MaracReferralCorrected, "case", &case.id)
                .place(Some(&service.organisation_id), Some(&service.id))
                .before(shown(&before))
                .after(shown(&after)),
        )
        .await?;
        Ok(after)
    }
}
