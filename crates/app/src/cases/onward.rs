//! Onward referrals to other agencies, with or without consent.

use domain::policy::{self, Action, Actor};
use domain::validation::{FieldErrors, Lines, required_lines, required_text, text};
use serde_json::json;
use store::cases::OnwardReferral;

use crate::audit::AuditAction;
use crate::audit::Change;
use crate::directory::place_of_service;
use crate::secrets::new_id;
use crate::{App, AppError, Result};

use crate::cases::messages::CaseMessage;

impl App {
    /// Refers the victim on to another agency. Without their consent this is
    /// refused, unless someone with the override permission records why.
    pub async fn refer_on(
        &self,
        actor: &Actor,
        case_id: &str,
        agency: &str,
        reason: &str,
        consent_given: bool,
        override_reason: &str,
    ) -> Result<()> {
        let (_, service) = self
            .open_case_for(actor, case_id, Action::ManageCases)
            .await?;
        let mut errors = FieldErrors::new();
        let agency = required_text(&mut errors, "agency", agency, "the agency", 200);
        let reason = required_lines(
            &mut errors,
            "onward_reason",
            reason,
            "why they are being referred",
            1000,
        );
        let override_reason = text(
            &mut errors,
            "override_reason",
            override_reason,
            "why the referral is made without consent",
            1000,
            Lines::Many,
        );
        if !consent_given {
            if !policy::may(actor, Action::OverrideConsent, &place_of_service(&service)) {
                errors.add("consent_given", CaseMessage::VictimHasNotConsentedReferral);
            } else if override_reason.is_none() {
                errors.add("override_reason", CaseMessage::RecordWhyReferralBeingMade);
            }
        }
        errors.into_result().map_err(AppError::Invalid)?;
        let now = self.clock.now_text();
        let onward = OnwardReferral {
            id: new_id(),
            agency,
            reason,
            consent_given: i64::from(consent_given),
            override_reason: if consent_given { None } else { override_reason },
            made_at: now.clone(),
        };
        let mut tx = self.write(actor, &now).await?;
        // Checked again under the writer's lock: the case may have closed meanwhile.
        let (case, service) = tx.open_case(case_id, Action::ManageCases).await?;
        store::cases::add_onward(tx.conn(), &case.id, &onward, &actor.id).await?;
        let change = Change::new(if consent_given { AuditAction::CaseReferredOn } else { AuditAction::CaseReferredOnWithoutConsent }, "case", &case.id)
                .place(Some(&service.organisation_id), Some(&service.id))
                .after(json!({ "onward_id": onward.id, "agency": onward.agency, "consent_given": consent_given }));
        tx.commit(change).await?;
        Ok(())
    }
}
