//! Contacts with the victim, in a safe channel.

use domain::cases::ContactKind;
use domain::journey::Channel;
use domain::policy::{Action, Actor};
use domain::validation::FieldErrors;
use serde_json::json;
use store::cases::Contact;

use crate::audit::AuditAction;
use crate::audit::Change;
use crate::secrets::new_id;
use crate::{App, AppError, Result};

use super::*;
use crate::cases::messages::CaseMessage;

impl App {
    /// Records a support contact; a channel marked unsafe for the person is refused.
    pub async fn record_case_contact(
        &self,
        actor: &Actor,
        case_id: &str,
        kind: &str,
        channel: &str,
        minutes: &str,
        notes: &str,
    ) -> Result<()> {
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
        errors.into_result().map_err(AppError::Invalid)?;
        let now = self.clock.now_text();
        let contact = Contact {
            id: new_id(),
            kind: kind.map(|k| k.code()).unwrap_or_default().into(),
            channel: channel.map(|c| c.code()).unwrap_or_default().into(),
            duration_minutes: minutes.unwrap_or(0),
            notes: optional(notes),
            contacted_at: now.clone(),
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
