//! Correcting a referral's own details after intake: the crime type, the
//! crime reference, dates, consent, enhanced rights. Deadlines are worked
//! out again from the corrected details; every change is audited with what
//! it was and what it became. A referral whose case has closed stays as it is.

use domain::cases::CaseStatus;
use domain::policy::{self, Action, Actor};
use domain::validation::FieldErrors;
use serde_json::{Map, Value, json};
use store::referrals::{NewReferral, Referral};

use super::*;
use crate::audit::{AuditAction, Change};
use crate::calendar::uk_time_zone;
use crate::clock::parse_instant;
use crate::directory::place_of_service;
use crate::referrals::messages::ReferralMessage;
use crate::{App, AppError, Result};

impl App {
    /// Corrects a referral's details; fields left out stay as they were.
    pub async fn correct_referral(
        &self,
        actor: &Actor,
        referral_id: &str,
        correction: &ReferralCorrection,
    ) -> Result<Referral> {
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        let visibility = policy::visibility(actor, Action::ViewCases);
        let held = store::referrals::find_visible(tx.conn(), referral_id, &visibility)
            .await?
            .ok_or(AppError::NotFound)?;
        let service = tx.service(&held.service_id).await?;
        if !policy::may(actor, Action::ManageCases, &place_of_service(&service)) {
            return Err(AppError::Forbidden);
        }
        if let Some(case) = store::cases::find_by_referral(tx.conn(), &held.id).await?
            && case.status == CaseStatus::Closed.code()
        {
            return Err(AppError::invalid(
                "referral",
                ReferralMessage::CaseClosedCannotCorrect,
            ));
        }
        let mut lookups = Lookups::default();
        let Some(change) = self
            .rework(&mut tx, &held, &service, correction, &mut lookups)
            .await?
        else {
            tx.abandon().await?;
            return Ok(held);
        };
        let everywhere = policy::Visibility {
            everything: true,
            ..Default::default()
        };
        let found = store::referrals::find_visible(tx.conn(), &held.id, &everywhere)
            .await?
            .ok_or(AppError::NotFound)?;
        tx.commit(change).await?;
        Ok(found)
    }

    /// Applies a crime type's rules as they are now (the enhanced rights it
    /// carries) to the referrals of that type still awaiting contact, working
    /// each one's rights and deadlines out again: the explicit step that
    /// changes referrals already received. System administrators and the
    /// command line; each referral changed is audited as a correction, all
    /// in one transaction. Returns how many were looked at and changed.
    pub async fn apply_crime_type_rules(
        &self,
        actor: &Actor,
        code: &str,
    ) -> Result<(usize, usize)> {
        if !policy::may(actor, Action::ManageDirectory, &policy::Place::default()) {
            return Err(AppError::Forbidden);
        }
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        let held = store::referrals::awaiting_contact_of_crime_type(tx.conn(), code).await?;
        let mut lookups = Lookups::default();
        let mut changes = Vec::new();
        for referral in &held {
            let service = tx.service(&referral.service_id).await?;
            let correction = ReferralCorrection::default();
            match self
                .rework(&mut tx, referral, &service, &correction, &mut lookups)
                .await
            {
                Ok(Some(change)) => changes.push(change),
                // One that no longer passes today's checks is left as it
                // was; a caseworker corrects it by hand.
                Ok(None) | Err(AppError::Invalid(_)) => {}
                Err(e) => return Err(e),
            }
        }
        let changed = changes.len();
        if changes.is_empty() {
            tx.abandon().await?;
        } else {
            tx.commit_all(changes).await?;
        }
        Ok((held.len(), changed))
    }

    /// Works a held referral's details and deadlines out again with the
    /// correction applied, and writes them in `tx`: the audited change, or
    /// none if nothing changed.
    async fn rework(
        &self,
        tx: &mut crate::Write<'_>,
        held: &Referral,
        service: &store::directory::Service,
        correction: &ReferralCorrection,
        lookups: &mut Lookups,
    ) -> Result<Option<Change>> {
        let everywhere = policy::Visibility {
            everything: true,
            ..Default::default()
        };
        let person = store::people::find_visible(tx.conn(), &held.person_id, &everywhere)
            .await?
            .ok_or(AppError::NotFound)?;
        let mut input = correction.onto(ReferralInput::held(held, &person));
        // The same day typed again keeps the moment it was received.
        if input.received_at.trim() == received_day(&held.received_at) {
            input.received_at = held.received_at.clone();
        }
        let mut errors = FieldErrors::new();
        let checked = self.check_details(&input, lookups, &mut errors).await?;
        errors.into_result().map_err(AppError::Invalid)?;
        let corrected = self
            .stored_referral(&input, checked, service, lookups)
            .await?;
        let (was, now_is) = differences(held, &corrected);
        if was.is_empty() {
            return Ok(None);
        }
        store::referrals::correct(tx.conn(), &held.id, &corrected).await?;
        Ok(Some(
            Change::new(AuditAction::ReferralCorrected, "referral", &held.id)
                .place(Some(&service.organisation_id), Some(&service.id))
                .before(Value::Object(was))
                .after(Value::Object(now_is)),
        ))
    }
}

/// The UK day a stored instant fell on, as `YYYY-MM-DD`.
fn received_day(instant: &str) -> String {
    parse_instant(instant)
        .map(|t| t.to_zoned(uk_time_zone()).date().to_string())
        .unwrap_or_default()
}

/// The details and deadlines that changed: what each was, and what it became.
fn differences(
    held: &Referral,
    corrected: &NewReferral,
) -> (Map<String, Value>, Map<String, Value>) {
    let before = json!({
        "source": held.source, "area_id": held.area_id, "received_at": held.received_at,
        "crime_reported_on": held.crime_reported_on, "crime_reference": held.crime_reference,
        "crime_type": held.crime_type, "incident_date": held.incident_date,
        "account": held.account,
        "consent": held.consent, "consent_recorded_on": held.consent_recorded_on,
        "consent_how": held.consent_how, "consent_by": held.consent_by,
        "enhanced_reasons": held.enhanced_reasons, "passed_due_on": held.passed_due_on,
        "information_due_on": held.information_due_on, "contact_due_on": held.contact_due_on,
    });
    let after = json!({
        "source": corrected.source, "area_id": corrected.area_id,
        "received_at": corrected.received_at, "crime_reported_on": corrected.crime_reported_on,
        "crime_reference": corrected.crime_reference, "crime_type": corrected.crime_type,
        "incident_date": corrected.incident_date, "account": corrected.account,
        "consent": corrected.consent,
        "consent_recorded_on": corrected.consent_recorded_on,
        "consent_how": corrected.consent_how, "consent_by": corrected.consent_by,
        "enhanced_reasons": corrected.enhanced_reasons,
        "passed_due_on": corrected.passed_due_on,
        "information_due_on": corrected.information_due_on,
        "contact_due_on": corrected.contact_due_on,
    });
    crate::audit::changed_fields(before, after)
}
