//! The support plan: goals and actions.

use domain::cases::NeedArea;
use domain::policy::{Action, Actor};
use domain::validation::{FieldErrors, required_text};
use serde_json::json;
use store::cases::PlanItem;

use crate::audit::AuditAction;
use crate::audit::Change;
use crate::secrets::new_id;
use crate::{App, AppError, Result};

use super::*;
use crate::cases::messages::CaseMessage;

impl App {
    /// Adds a goal, or an action under a goal, to the support plan.
    pub async fn add_plan_item(
        &self,
        actor: &Actor,
        case_id: &str,
        description: &str,
        need_area: &str,
        due_on: &str,
        goal_id: &str,
    ) -> Result<()> {
        let (case, _) = self
            .open_case_for(actor, case_id, Action::ManageCases)
            .await?;
        let mut errors = FieldErrors::new();
        let description = required_text(
            &mut errors,
            "description",
            description,
            "what the goal or action is",
            500,
        );
        let need_area = optional(need_area);
        if need_area
            .as_deref()
            .is_some_and(|a| NeedArea::parse(a).is_none())
        {
            errors.add("need_area", CaseMessage::ChooseAreaNeedNone);
        }
        let due = optional(due_on).and_then(|text| {
            super::due_date(
                &mut errors,
                "due_on",
                &text,
                self.today(),
                CaseMessage::EnterDueDateRealDate,
            )
            .map(|d| d.to_string())
        });
        let goal_id = optional(goal_id);
        if let Some(goal) = &goal_id {
            let mut conn = self.db.conn().await?;
            let plan = store::cases::plan(&mut conn, &case.id).await?;
            if !plan.iter().any(|p| &p.id == goal && p.goal_id.is_none()) {
                errors.add("goal_id", CaseMessage::ChooseGoalCaseNoneAdd);
            }
        }
        errors.into_result().map_err(AppError::Invalid)?;
        let now = self.clock.now_text();
        let item = PlanItem {
            id: new_id(),
            goal_id: goal_id.clone(),
            need_area,
            description,
            due_on: due,
            done_on: None,
        };
        let mut tx = self.write(actor, &now).await?;
        // Checked again under the writer's lock: the case may have closed meanwhile.
        let (case, service) = tx.open_case(case_id, Action::ManageCases).await?;
        store::cases::add_plan_item(tx.conn(), &case.id, &item, &now).await?;
        let change = Change::new(
            if goal_id.is_some() {
                AuditAction::CaseActionAdded
            } else {
                AuditAction::CaseGoalAdded
            },
            "case",
            &case.id,
        )
        .place(Some(&service.organisation_id), Some(&service.id))
        .after(json!({ "plan_item_id": item.id, "due_on": item.due_on }));
        tx.commit(change).await?;
        Ok(())
    }
}
