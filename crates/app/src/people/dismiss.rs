//! Dismissing a pair: the caseworker has found they are two people. The
//! pair stays decided, so it is not asked about again.

use domain::policy::Actor;
use domain::validation::{FieldErrors, Lines, text};
use serde_json::json;

use super::PeopleMessage;
use crate::audit::{AuditAction, Change};
use crate::{App, AppError, Result};

impl App {
    /// Dismisses a waiting pair, with why if given. Staff who may work the
    /// service's cases may.
    pub async fn dismiss_possible_duplicate(
        &self,
        actor: &Actor,
        pair_id: &str,
        reason: &str,
    ) -> Result<()> {
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        let pair = super::pair_to_decide(&mut tx, actor, pair_id).await?;
        // Only someone who may see the pair learns what is wrong with the form.
        let mut errors = FieldErrors::new();
        let reason = text(
            &mut errors,
            "reason",
            reason,
            "the reason",
            500,
            Lines::Many,
        );
        if pair.status != "open" {
            errors.add("reason", PeopleMessage::PairAlreadyDecided);
        }
        errors.into_result().map_err(AppError::Invalid)?;
        let service = tx.service(&pair.service_id).await?;
        store::duplicates::decide(
            tx.conn(),
            &pair.id,
            "dismissed",
            &actor.id,
            &now,
            reason.as_deref(),
        )
        .await?;
        tx.commit(
            Change::new(
                AuditAction::PossibleDuplicateDismissed,
                "possible_duplicate",
                &pair.id,
            )
            .place(Some(&service.organisation_id), Some(&service.id))
            .after(json!({
                "person_id": pair.person_id, "other_person_id": pair.other_person_id,
                "reason": reason,
            })),
        )
        .await
    }
}
