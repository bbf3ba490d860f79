//! The commissioner's victim objectives, from the police and crime plan,
//! with the contracts (and so the services) that serve each.

use domain::policy::{Action, Actor};
use domain::validation::{FieldErrors, required_text};
use serde_json::json;
use store::commissioning::{Contract, Objective};

use super::ObjectiveInput;
use super::access::check_office;
use super::messages::CommissioningMessage;
use crate::audit::{AuditAction, Change};
use crate::secrets::new_id;
use crate::{App, AppError, Result};

impl App {
    /// Adds one of the actor's office's objectives.
    pub async fn create_objective(
        &self,
        actor: &Actor,
        input: &ObjectiveInput,
    ) -> Result<Objective> {
        let mut errors = FieldErrors::new();
        let code = required_text(&mut errors, "code", &input.code, "the objective's code", 20);
        let title = required_text(&mut errors, "title", &input.title, "the objective", 300);
        errors.into_result().map_err(AppError::Invalid)?;
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        let office = actor.organisation_id.clone();
        check_office(actor, &office, Action::ManageCommissioning)?;
        if store::commissioning::objectives(tx.conn(), Some(&office))
            .await?
            .iter()
            .any(|o| o.code.eq_ignore_ascii_case(&code))
        {
            return Err(AppError::invalid(
                "code",
                CommissioningMessage::ObjectiveCodeTaken,
            ));
        }
        let objective = Objective {
            id: new_id(),
            office_id: office.clone(),
            code,
            title,
            created_at: now.clone(),
        };
        store::commissioning::insert_objective(tx.conn(), &objective).await?;
        tx.commit(
            Change::new(AuditAction::ObjectiveCreated, "objective", &objective.id)
                .place(Some(&office), None)
                .after(json!({ "code": objective.code, "title": objective.title })),
        )
        .await?;
        Ok(objective)
    }

    /// The actor's office's objectives, each with the contracts that serve
    /// it.
    pub async fn objectives(&self, actor: &Actor) -> Result<Vec<(Objective, Vec<Contract>)>> {
        let office = actor.organisation_id.clone();
        check_office(actor, &office, Action::ViewCommissioning)?;
        let mut conn = self.db.conn().await?;
        let objectives = store::commissioning::objectives(&mut conn, Some(&office)).await?;
        let contracts = store::commissioning::contracts_of(&mut conn, Some(&office), None).await?;
        let mut serving: Vec<(String, String)> = Vec::new();
        for c in &contracts {
            for o in store::commissioning::contract_objectives(&mut conn, &c.id).await? {
                serving.push((o, c.id.clone()));
            }
        }
        Ok(objectives
            .into_iter()
            .map(|o| {
                let theirs = contracts
                    .iter()
                    .filter(|c| serving.contains(&(o.id.clone(), c.id.clone())))
                    .cloned()
                    .collect();
                (o, theirs)
            })
            .collect())
    }
}
