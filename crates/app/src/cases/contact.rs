//! Contacts with the victim, in a safe channel.

use domain::cases::ContactKind;
use domain::journey::Channel;
use domain::policy::{Action, Actor};
use domain::validation::{FieldErrors, Lines, text};
use serde_json::json;
use store::cases::Contact;

use crate::audit::AuditAction;
use crate::audit::Change;
use crate::secrets::new_id;
use crate::{App, AppError, Result};

use super::*;
use crate::cases::messages::CaseMessage;

impl App {
    /// When a contact recorded afterwards happened, as a stored instant;
    /// `None` for now. Read as UK time; refused in the future.
    fn when_it_happened(&self, input: &ContactInput, errors: &mut FieldErrors) -> Option<String> {
        let (day, time) = (input.contact_date.trim(), input.contact_time.trim());
        if day.is_empty() && time.is_empty() {
            return None;
        }
        let Ok(day) = domain::values::Day::parse(day).map(|d| d.date()) else {
            errors.add("contact_date", CaseMessage::ContactDateReal);
            return None;
        };
        let Ok(time) = time.parse::<jiff::civil::Time>() else {
            errors.add("contact_time", CaseMessage::ContactTimeReal);
            return None;
        };
        let london = jiff::tz::TimeZone::get("Europe/London").unwrap_or(jiff::tz::TimeZone::UTC);
        let Ok(at) = day.to_datetime(time).to_zoned(london) else {
            errors.add("contact_time", CaseMessage::ContactTimeReal);
            return None;
        };
        let at = at.timestamp();
        if at > self.clock.now() {
            errors.add("contact_date", CaseMessage::ContactInFuture);
            return None;
        }
        if at < self.clock.now() - jiff::SignedDuration::from_hours(24 * 366) {
            errors.add("contact_date", CaseMessage::ContactTooLongAgo);
            return None;
        }
        Some(crate::clock::instant_text(at))
    }

    /// Records a support contact, when it happened (now, or earlier and
    /// recorded afterwards, never in the future); a channel marked unsafe
    /// for the person is refused.
    pub async fn record_case_contact(
        &self,
        actor: &Actor,
        case_id: &str,
        input: &ContactInput,
    ) -> Result<()> {
        let (kind, channel, minutes, notes) = (
            &input.kind,
            &input.channel,
            &input.duration_minutes,
            &input.notes,
        );
        let (case, _) = self
            .open_case_for(actor, case_id, Action::ManageCases)
            .await?;
        let mut errors = FieldErrors::new();
        let kind = ContactKind::parse(kind.trim());
        if kind.is_none() {
            errors.add("kind", CaseMessage::ChooseWhatKindSupportWas);
        }
        let channel = Channel::parse(channel.trim());
        if channel.is_none() {
            errors.add("contact_channel", CaseMessage::ChooseHowContactWasMade);
        }
        let minutes: Option<i64> = minutes
            .trim()
            .parse()
            .ok()
            .filter(|m| (1..=1440).contains(m));
        if minutes.is_none() {
            errors.add("duration_minutes", CaseMessage::EnterHowLongTookMinutes);
        }
        let notes = text(
            &mut errors,
            "contact_notes",
            notes,
            "the notes on the contact",
            20_000,
            Lines::Many,
        );
        if let Some(channel) = channel {
            let mut conn = self.db.conn().await?;
            let prefs = store::people::preferences(&mut conn, &case.person_id).await?;
            if let Some(p) = prefs
                .iter()
                .find(|p| p.channel == channel.code() && p.safe == 0)
            {
                let why = p
                    .notes
                    .as_deref()
                    .map(|n| format!(" Note: {n}"))
                    .unwrap_or_default();
                errors.add(
                    "contact_channel",
                    CaseMessage::ChannelUnsafe {
                        channel: channel.label().into(),
                        why,
                    },
                );
            }
        }
        let happened = self.when_it_happened(input, &mut errors);
        errors.into_result().map_err(AppError::Invalid)?;
        let now = self.clock.now_text();
        let contact = Contact {
            id: new_id(),
            kind: kind.map(|k| k.code()).unwrap_or_default().into(),
            channel: channel.map(|c| c.code()).unwrap_or_default().into(),
            duration_minutes: minutes.unwrap_or(0),
            notes: notes.clone(),
            contacted_at: happened.clone().unwrap_or_else(|| now.clone()),
            recorded_at: happened.is_some().then(|| now.clone()),
            user_name: None,
        };
        let mut tx = self.write(actor, &now).await?;
        // Checked again under the writer's lock: the case may have closed meanwhile.
        let (case, service) = tx.open_case(case_id, Action::ManageCases).await?;
        store::cases::add_contact(tx.conn(), &case.id, &contact, &actor.id).await?;
        let change = Change::new(AuditAction::CaseContactRecorded, "case", &case.id)
                .place(Some(&service.organisation_id), Some(&service.id))
                .after(json!({ "kind": contact.kind, "channel": contact.channel, "minutes": contact.duration_minutes }));
        tx.commit(change).await?;
        Ok(())
    }
}
