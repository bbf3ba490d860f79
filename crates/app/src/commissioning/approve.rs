//! The Police and Crime Commissioner approves a consulted decision. It is
//! published that day, or deferred to a later day with the reason; from
//! then on it never changes.

use domain::commissioning::{DecisionStage, Step, next_stage, publication_day};
use domain::policy::{Action, Actor};
use domain::validation::{FieldErrors, Lines, text};
use domain::values::Day;
use serde_json::json;

use super::ApprovalInput;
use super::access::check_office;
use super::draft::{consultees, refused};
use super::messages::CommissioningMessage;
use crate::audit::{AuditAction, Change};
use crate::{App, AppError, Result};

impl App {
    pub async fn approve_decision(
        &self,
        actor: &Actor,
        id: &str,
        input: &ApprovalInput,
    ) -> Result<DecisionStage> {
        let today = self.today();
        let mut errors = FieldErrors::new();
        let defer_until = match input.defer_until.trim() {
            "" => None,
            typed => {
                let day = Day::parse(typed)
                    .ok()
                    .map(|d| d.date())
                    .filter(|d| *d > today);
                if day.is_none() {
                    errors.add("defer_until", CommissioningMessage::DeferUntil);
                }
                day
            }
        };
        let reason = text(
            &mut errors,
            "deferral_reason",
            &input.deferral_reason,
            "the reason",
            2_000,
            Lines::Many,
        )
        .unwrap_or_default();
        if !input.confirmed {
            errors.add("confirmed", CommissioningMessage::ConfirmApproval);
        }
        match (input.defer_until.trim().is_empty(), reason.is_empty()) {
            (false, true) => errors.add("deferral_reason", CommissioningMessage::DeferralReason),
            (true, false) => errors.add("defer_until", CommissioningMessage::ReasonWithoutDay),
            _ => {}
        }
        errors.into_result().map_err(AppError::Invalid)?;
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        let decision = store::commissioning::find_decision(tx.conn(), id)
            .await?
            .ok_or(AppError::NotFound)?;
        check_office(actor, &decision.office_id, Action::ApproveDecisions)?;
        let stage = DecisionStage::parse(&decision.stage)
            .ok_or_else(|| AppError::Internal("a stored stage".into()))?;
        let consulted = consultees(tx.conn(), id).await?;
        next_stage(stage, &consulted, &Step::Approve, None, today).map_err(refused)?;
        let publish_on = publication_day(today, defer_until);
        store::commissioning::approve(
            tx.conn(),
            id,
            &today.to_string(),
            &actor.id,
            &publish_on.to_string(),
            &reason,
            &now,
        )
        .await?;
        // A decision that changes a contract's value a year sets it now,
        // in the same transaction as its approval.
        let mut contract_change = serde_json::Value::Null;
        if let (Some(contract_id), Some(pence)) =
            (&decision.contract_id, decision.contract_annual_pence)
        {
            let contract = store::commissioning::find_contract(tx.conn(), contract_id)
                .await?
                .ok_or_else(|| AppError::Internal("a decision's contract".into()))?;
            store::commissioning::set_annual_value(tx.conn(), contract_id, pence, &now).await?;
            contract_change = json!({
                "contract_id": contract_id,
                "annual_pence_before": contract.annual_pence,
                "annual_pence_after": pence,
            });
        }
        tx.commit(
            Change::new(AuditAction::DecisionApproved, "decision", id)
                .place(Some(&decision.office_id), None)
                .before(json!({ "stage": decision.stage }))
                .after(json!({
                    "stage": DecisionStage::Approved.code(),
                    "approved_on": today.to_string(),
                    "publish_on": publish_on.to_string(),
                    "deferral_reason": reason,
                    "contract": contract_change,
                })),
        )
        .await?;
        Ok(domain::commissioning::stage_on(
            DecisionStage::Approved,
            Some(publish_on),
            today,
        ))
    }
}
