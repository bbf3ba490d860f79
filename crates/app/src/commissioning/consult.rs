//! A consultee (the chief finance officer, or the chief executive or
//! monitoring officer) records their approval of a decision as it stands.

use domain::commissioning::{Consultee, DecisionStage, Step, next_stage};
use domain::policy::{Action, Actor, Role};
use domain::validation::{FieldErrors, Lines, text};
use serde_json::json;
use store::commissioning::Consultation;

use super::ConsultInput;
use super::access::check_office;
use super::draft::{consultees, refused};
use crate::audit::{AuditAction, Change};
use crate::{App, AppError, Result};

/// The consultee an actor is, by the role they hold.
pub fn consultee_of(actor: &Actor) -> Option<Consultee> {
    if actor.has_role(Role::FinanceOfficer) {
        Some(Consultee::FinanceOfficer)
    } else if actor.has_role(Role::MonitoringOfficer) {
        Some(Consultee::MonitoringOfficer)
    } else {
        None
    }
}

impl App {
    pub async fn consult_on_decision(
        &self,
        actor: &Actor,
        id: &str,
        input: &ConsultInput,
    ) -> Result<DecisionStage> {
        let mut errors = FieldErrors::new();
        let note = text(
            &mut errors,
            "note",
            &input.note,
            "your note",
            5_000,
            Lines::Many,
        )
        .unwrap_or_default();
        errors.into_result().map_err(AppError::Invalid)?;
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        let decision = store::commissioning::find_decision(tx.conn(), id)
            .await?
            .ok_or(AppError::NotFound)?;
        check_office(actor, &decision.office_id, Action::ConsultOnDecisions)?;
        let who = consultee_of(actor).ok_or(AppError::Forbidden)?;
        let stage = DecisionStage::parse(&decision.stage)
            .ok_or_else(|| AppError::Internal("a stored stage".into()))?;
        let consulted = consultees(tx.conn(), id).await?;
        let today = self.today();
        let next =
            next_stage(stage, &consulted, &Step::Consult(who), None, today).map_err(refused)?;
        let consultation = Consultation {
            consultee: who.code().to_string(),
            user_id: actor.id.clone(),
            on_day: today.to_string(),
            note,
            ..Consultation::default()
        };
        store::commissioning::add_consultation(tx.conn(), id, &consultation, next.code(), &now)
            .await?;
        tx.commit(
            Change::new(AuditAction::DecisionConsulted, "decision", id)
                .place(Some(&decision.office_id), None)
                .before(json!({ "stage": decision.stage }))
                .after(json!({
                    "stage": next.code(),
                    "consultee": who.code(),
                    "on_day": consultation.on_day,
                    "note": consultation.note,
                })),
        )
        .await?;
        Ok(next)
    }
}
