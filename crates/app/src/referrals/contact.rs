//! Contacting the victim: safe-contact preferences and contact attempts.

use domain::journey::{AttemptResult, Channel};
use domain::policy::Actor;
use domain::validation::FieldErrors;
use serde_json::json;
use store::people::ContactPreference;
use store::referrals::ContactAttempt;

use crate::audit::AuditAction;
use crate::audit::Change;
use crate::secrets::new_id;
use crate::{App, AppError, Result};

use super::*;
use crate::referrals::messages::ReferralMessage;

impl App {
    /// Records whether a channel is safe for the person, with safe times and notes.
    pub async fn set_contact_preference(
        &self,
        actor: &Actor,
        referral_id: &str,
        channel: &str,
        safe: bool,
        safe_times: &str,
        notes: &str,
    ) -> Result<()> {
        let (referral, service) = self.workable(actor, referral_id).await?;
        let Some(channel) = Channel::parse(channel.trim()) else {
            return Err(AppError::invalid("channel", ReferralMessage::ChooseChannel));
        };
        let now = self.clock.now_text();
        let pref = ContactPreference {
            channel: channel.code().to_string(),
            safe: i64::from(safe),
            safe_times: optional(safe_times),
            notes: optional(notes),
        };
        let mut tx = self.write(actor, &now).await?;
        store::people::set_preference(tx.conn(), &referral.person_id, &pref, &now).await?;
        let change = Change::new(
            AuditAction::PersonContactPreferenceSet,
            "person",
            &referral.person_id,
        )
        .place(Some(&service.organisation_id), Some(&service.id))
        .after(json!({ "channel": pref.channel, "safe": safe }));
        tx.commit(change).await?;
        Ok(())
    }

    /// Records an attempt to contact the victim. A channel marked unsafe for
    /// the person is refused, saying why; an attempt found unsafe marks its
    /// channel unsafe from then on.
    pub async fn record_contact_attempt(
        &self,
        actor: &Actor,
        referral_id: &str,
        channel: &str,
        result: &str,
        notes: &str,
    ) -> Result<()> {
        let (referral, service) = self.workable(actor, referral_id).await?;
        let mut errors = FieldErrors::new();
        let channel = Channel::parse(channel.trim());
        let result = AttemptResult::parse(result.trim());
        if channel.is_none() {
            errors.add("channel", ReferralMessage::ChooseHowTriedMakeContact);
        }
        if result.is_none() {
            errors.add("result", ReferralMessage::ChooseWhatHappened);
        }
        let mut conn = self.db.conn().await?;
        let preferences = store::people::preferences(&mut conn, &referral.person_id).await?;
        drop(conn);
        if let Some(channel) = channel
            && let Some(pref) = preferences
                .iter()
                .find(|p| p.channel == channel.code() && p.safe == 0)
        {
            let why = pref
                .notes
                .as_deref()
                .map(|n| format!(" Note: {n}"))
                .unwrap_or_default();
            errors.add(
                "channel",
                ReferralMessage::ChannelUnsafe {
                    channel: channel.label().into(),
                    why,
                },
            );
        }
        errors.into_result().map_err(AppError::Invalid)?;
        let (Some(channel), Some(result)) = (channel, result) else {
            return Err(AppError::invalid(
                "channel",
                ReferralMessage::ChooseHowTriedMakeContact,
            ));
        };
        let now = self.clock.now_text();
        let today = self.today().to_string();
        let mut tx = self.write(actor, &now).await?;
        let attempt = ContactAttempt {
            id: new_id(),
            referral_id: referral.id.clone(),
            attempted_at: now.clone(),
            channel: channel.code().to_string(),
            result: result.code().to_string(),
            notes: optional(notes),
            user_id: Some(actor.id.clone()),
            user_name: None,
        };
        store::referrals::insert_attempt(tx.conn(), &attempt, &now).await?;
        if result.reached() {
            store::referrals::set_first_contact(tx.conn(), &referral.id, &today).await?;
        }
        if result == AttemptResult::Unsafe {
            let pref = ContactPreference {
                channel: channel.code().to_string(),
                safe: 0,
                safe_times: None,
                notes: Some(format!(
                    "Found unsafe on {today}: someone else may see or answer"
                )),
            };
            store::people::set_preference(tx.conn(), &referral.person_id, &pref, &now).await?;
        }
        let change = Change::new(
            AuditAction::ReferralContactAttempted,
            "referral",
            &referral.id,
        )
        .place(Some(&service.organisation_id), Some(&service.id))
        .after(json!({ "channel": attempt.channel, "result": attempt.result }));
        tx.commit(change).await?;
        Ok(())
    }
}
