//! Tasks on a case, with due dates.

use domain::policy::{Action, Actor};
use domain::validation::{FieldErrors, required_text};
use serde_json::json;

use crate::audit::AuditAction;
use crate::audit::Change;
use crate::cases::messages::CaseMessage;
use crate::secrets::new_id;
use crate::{App, AppError, Result};

impl App {
    /// Adds a task with a due date, for the actor unless someone else is named.
    pub async fn add_task(
        &self,
        actor: &Actor,
        case_id: &str,
        title: &str,
        due_on: &str,
    ) -> Result<()> {
        let (case, _) = self
            .open_case_for(actor, case_id, Action::ManageCases)
            .await?;
        let mut errors = FieldErrors::new();
        let title = required_text(&mut errors, "task_title", title, "what needs doing", 300);
        let due = super::due_date(
            &mut errors,
            "task_due_on",
            due_on,
            self.today(),
            CaseMessage::EnterWhenDueRealDate,
        );
        errors.into_result().map_err(AppError::Invalid)?;
        let due = due.map(|d| d.to_string()).unwrap_or_default();
        let now = self.clock.now_text();
        let id = new_id();
        let assignee = case
            .caseworker_id
            .clone()
            .unwrap_or_else(|| actor.id.clone());
        let mut tx = self.write(actor, &now).await?;
        // Checked again under the writer's lock: the case may have closed meanwhile.
        let (case, service) = tx.open_case(case_id, Action::ManageCases).await?;
        store::cases::add_task(
            tx.conn(),
            &id,
            &case.id,
            &title,
            &due,
            Some(&assignee),
            &now,
        )
        .await?;
        let change = Change::new(AuditAction::CaseTaskAdded, "case", &case.id)
            .place(Some(&service.organisation_id), Some(&service.id))
            .after(json!({ "task_id": id, "due_on": due, "assigned_to": assignee }));
        tx.commit(change).await?;
        Ok(())
    }

    pub async fn complete_task(&self, actor: &Actor, case_id: &str, task_id: &str) -> Result<()> {
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        // Checked again under the writer's lock: the case may have closed meanwhile.
        let (case, service) = tx.open_case(case_id, Action::ManageCases).await?;
        if !store::cases::complete_task(tx.conn(), task_id, &case.id, &now).await? {
            return Err(AppError::invalid(
                "task",
                CaseMessage::TaskAlreadyDoneNotCase,
            ));
        }
        let change = Change::new(AuditAction::CaseTaskDone, "case", &case.id)
            .place(Some(&service.organisation_id), Some(&service.id))
            .after(json!({ "task_id": task_id }));
        tx.commit(change).await?;
        Ok(())
    }
}
