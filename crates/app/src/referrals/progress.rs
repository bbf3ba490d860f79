//! A sender's view of a referral it sent: where it stands, and its
//! deadlines, without the victim's details. Police and partners are asked
//! this by victims; they see only what they sent.

use domain::policy::{self, Action, Actor, Visibility};
use serde_json::json;

use super::*;
use crate::audit::{AuditAction, Change};
use crate::{App, AppError, Result};

impl App {
    /// A referral the actor's organisation sent, as its sender may follow it.
    /// Anyone else's, or one that does not exist, is not found alike.
    pub async fn referral_progress(
        &self,
        actor: &Actor,
        referral_id: &str,
    ) -> Result<crate::Seen<WorkItem>> {
        if !policy::may_somewhere(actor, Action::SubmitReferral) {
            return Err(AppError::NotFound);
        }
        let everywhere = Visibility {
            everything: true,
            ..Visibility::default()
        };
        let mut conn = self.db.conn().await?;
        let referral = store::referrals::find_visible(&mut conn, referral_id, &everywhere)
            .await?
            .filter(|r| r.sender_id.as_deref() == Some(actor.organisation_id.as_str()))
            .ok_or(AppError::NotFound)?;
        drop(conn);
        let service = self.service_of(&referral).await?;
        let read = Change::new(AuditAction::ReferralProgressRead, "referral", &referral.id)
            .place(Some(&service.organisation_id), Some(&service.id))
            .after(json!({ "by_sender": actor.organisation_id }));
        let item = self.work_item(referral);
        self.disclose(actor, read, item).await
    }
}
