//! Case notes; a sensitive note is revealed on request, each reveal audited.

use domain::policy::{Action, Actor};
use domain::validation::{FieldErrors, required_lines};
use serde_json::json;

use crate::audit::AuditAction;
use crate::audit::Change;
use crate::secrets::new_id;
use crate::{App, AppError, Result};

impl App {
    /// Adds a note; a sensitive note is hidden until someone reveals it.
    pub async fn add_case_note(
        &self,
        actor: &Actor,
        case_id: &str,
        body: &str,
        sensitive: bool,
    ) -> Result<()> {
        let mut errors = FieldErrors::new();
        let body = required_lines(&mut errors, "note", body, "the note", 20_000);
        errors.into_result().map_err(AppError::Invalid)?;
        let now = self.clock.now_text();
        let id = new_id();
        let mut tx = self.write(actor, &now).await?;
        // Checked again under the writer's lock: the case may have closed meanwhile.
        let (case, service) = tx.open_case(case_id, Action::ManageCases).await?;
        store::cases::add_note(tx.conn(), &id, &case.id, &body, sensitive, &actor.id, &now).await?;
        let change = Change::new(AuditAction::CaseNoteAdded, "case", &case.id)
            .place(Some(&service.organisation_id), Some(&service.id))
            .after(json!({ "note_id": id, "sensitive": sensitive }));
        tx.commit(change).await?;
        Ok(())
    }

    /// The text of a sensitive note; each reveal is audited.
    pub async fn reveal_note(
        &self,
        actor: &Actor,
        case_id: &str,
        note_id: &str,
    ) -> Result<crate::Seen<String>> {
        let case = self.visible_case(actor, case_id).await?;
        let service = self.service_by_id(&case.service_id).await?;
        let mut conn = self.db.conn().await?;
        let note = store::cases::notes(&mut conn, &case.id)
            .await?
            .into_iter()
            .find(|n| n.id == note_id)
            .ok_or(AppError::NotFound)?;
        drop(conn);
        let read = Change::new(AuditAction::CaseNoteRevealed, "case", &case.id)
            .place(Some(&service.organisation_id), Some(&service.id))
            .after(json!({ "note_id": note.id }));
        self.disclose(actor, read, note.body).await
    }
}
