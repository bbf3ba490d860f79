//! Removing a document attached by mistake (to the wrong case, say): its
//! content is deleted; who removed it, when and why stay on the case.

use domain::policy::{Action, Actor};
use domain::validation::{FieldErrors, required_text};
use serde_json::json;

use super::messages::DocumentMessage;
use crate::audit::{AuditAction, Change};
use crate::{App, AppError, Result};

impl App {
    pub async fn remove_document(
        &self,
        actor: &Actor,
        case_id: &str,
        document_id: &str,
        reason: &str,
    ) -> Result<()> {
        let mut errors = FieldErrors::new();
        let reason = required_text(
            &mut errors,
            "reason",
            reason,
            "why the document is being removed",
            500,
        );
        errors.into_result().map_err(AppError::Invalid)?;
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        let (case, service) = tx.open_case(case_id, Action::ManageCases).await?;
        let document = store::documents::find(tx.conn(), &case.id, document_id)
            .await?
            .ok_or(AppError::NotFound)?;
        if document.removed_at.is_some() {
            tx.abandon().await?;
            return Err(AppError::invalid(
                "reason",
                DocumentMessage::DocumentAlreadyRemoved,
            ));
        }
        store::documents::remove(tx.conn(), &document.id, &actor.id, &reason, &now).await?;
        let change = Change::new(AuditAction::DocumentRemoved, "case", &case.id)
            .place(Some(&service.organisation_id), Some(&service.id))
            .after(json!({ "document_id": document.id, "sha256": document.sha256 }));
        tx.commit(change).await?;
        Ok(())
    }
}
