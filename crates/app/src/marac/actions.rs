//! Actions agreed for a case at a meeting: each owned by an agency, due on
//! a day, and open, done or not done (and if not done, why).

use domain::marac::{ActionStatus, NotDoneClass};
use domain::policy::{self, Action, Actor};
use domain::validation::{FieldErrors, Lines, required_lines, text};
use domain::values::Day;
use serde_json::json;

use crate::audit::{AuditAction, Change};
use crate::marac::access::{agency_of, check, marac_place, referral_for};
use crate::marac::messages::MaracMessage;
use crate::marac::research::require_acknowledged;
use crate::marac::{ActionInput, ActionUpdateInput};
use crate::secrets::new_id;
use crate::{App, AppError, Result};

impl App {
    /// Records an action the meeting agreed (the coordinator or the chair).
    pub async fn add_marac_action(
        &self,
        actor: &Actor,
        referral_id: &str,
        input: &ActionInput,
    ) -> Result<store::marac::Action> {
        let mut errors = FieldErrors::new();
        let description = required_lines(
            &mut errors,
            "description",
            &input.description,
            "what is to be done",
            2_000,
        );
        let due_on = match Day::parse(&input.due_on).map(Day::date) {
            Ok(day) => Some(day),
            Err(_) => {
                errors.add("due_on", MaracMessage::ActionDueReal);
                None
            }
        };
        if input.agency.trim().is_empty() {
            errors.add("agency", MaracMessage::ChooseOwner);
        }
        errors.into_result().map_err(AppError::Invalid)?;
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        let referral = referral_for(tx.conn(), actor, referral_id, Action::RunMarac).await?;
        require_acknowledged(tx.conn(), &referral.meeting_id, actor).await?;
        let mut errors = FieldErrors::new();
        let agency = store::marac::agencies(tx.conn(), &referral.marac_id)
            .await?
            .into_iter()
            .find(|a| a.id == input.agency.trim());
        if agency.is_none() {
            errors.add("agency", MaracMessage::ChooseOwner);
        }
        let due_on = due_on.map(|d| d.to_string()).unwrap_or_default();
        if due_on < referral.meets_on {
            errors.add("due_on", MaracMessage::ActionDueBeforeMeeting);
        }
        errors.into_result().map_err(AppError::Invalid)?;
        let Some(agency) = agency else {
            return Err(AppError::Internal("a checked action lost its owner".into()));
        };
        let action = store::marac::Action {
            id: new_id(),
            marac_id: referral.marac_id.clone(),
            referral_id: referral.id.clone(),
            meeting_id: referral.meeting_id.clone(),
            meets_on: referral.meets_on.clone(),
            agency_id: agency.id.clone(),
            agency_name: agency.name.clone(),
            description,
            due_on,
            status: ActionStatus::Open.code().into(),
            created_at: now.clone(),
            ..Default::default()
        };
        store::marac::insert_action(tx.conn(), &action, &actor.id).await?;
        tx.commit(
            Change::new(
                AuditAction::MaracActionAdded,
                "marac_referral",
                &referral.id,
            )
            .place(None, Some(&referral.service_id))
            .after(json!({
                "action_id": action.id,
                "agency_id": agency.id,
                "due_on": action.due_on,
            })),
        )
        .await?;
        Ok(action)
    }

    /// Updates where an action stands: its owning agency's members, the
    /// coordinator or the chair. The audit event keeps what it said before.
    pub async fn update_marac_action(
        &self,
        actor: &Actor,
        action_id: &str,
        input: &ActionUpdateInput,
    ) -> Result<store::marac::Action> {
        let mut errors = FieldErrors::new();
        let status = ActionStatus::parse(input.status.trim());
        if status.is_none() {
            errors.add("status", MaracMessage::ChooseActionStatus);
        }
        let class = match (status, NotDoneClass::parse(input.not_done_class.trim())) {
            (Some(ActionStatus::NotDone), None) => {
                errors.add("not_done_class", MaracMessage::ChooseNotDoneClass);
                ""
            }
            (Some(ActionStatus::NotDone), Some(class)) => class.code(),
            _ => "",
        };
        let note = text(
            &mut errors,
            "note",
            &input.note,
            "the note",
            2_000,
            Lines::Many,
        )
        .unwrap_or_default();
        errors.into_result().map_err(AppError::Invalid)?;
        let Some(status) = status else {
            return Err(AppError::Internal("a checked status was lost".into()));
        };
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        let before = store::marac::action(tx.conn(), action_id)
            .await?
            .ok_or(AppError::NotFound)?;
        check(actor, &before.marac_id, Action::ContributeToMarac)?;
        let runs = policy::may(actor, Action::RunMarac, &marac_place(&before.marac_id));
        let owns = agency_of(tx.conn(), actor, &before.marac_id)
            .await?
            .is_some_and(|a| a.id == before.agency_id);
        if !runs && !owns {
            return Err(AppError::Forbidden);
        }
        require_acknowledged(tx.conn(), &before.meeting_id, actor).await?;
        store::marac::update_action(
            tx.conn(),
            &before.id,
            status.code(),
            class,
            &note,
            &actor.id,
            &now,
        )
        .await?;
        let after = store::marac::action(tx.conn(), &before.id)
            .await?
            .ok_or(AppError::NotFound)?;
        tx.commit(
            Change::new(
                AuditAction::MaracActionUpdated,
                "marac_referral",
                &before.referral_id,
            )
            .before(json!({ "action_id": before.id, "status": before.status,
                    "not_done_class": before.not_done_class, "note": before.note }))
            .after(json!({ "action_id": after.id, "status": after.status,
                    "not_done_class": after.not_done_class, "note": after.note })),
        )
        .await?;
        Ok(after)
    }
}
