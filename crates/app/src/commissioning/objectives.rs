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

/// An objective, with the contracts serving it and the services each pays
/// for.
#[derive(Debug, Clone)]
pub struct ObjectiveServed {
    pub objective: Objective,
    pub contracts: Vec<(Contract, Vec<String>)>,
}

/// The objective as typed, checked: its code and words.
fn checked(input: &ObjectiveInput) -> Result<(String, String)> {
    let mut errors = FieldErrors::new();
    let code = required_text(&mut errors, "code", &input.code, "the objective's code", 20);
    let title = required_text(&mut errors, "title", &input.title, "the objective", 300);
    errors.into_result().map_err(AppError::Invalid)?;
    Ok((code, title))
}

/// Refuses a code another of the office's objectives has.
async fn code_free(conn: &mut store::Conn, office: &str, code: &str, besides: &str) -> Result<()> {
    let taken = store::commissioning::objectives(conn, Some(office))
        .await?
        .iter()
        .any(|o| o.id != besides && o.code.eq_ignore_ascii_case(code));
    if taken {
        return Err(AppError::invalid(
            "code",
            CommissioningMessage::ObjectiveCodeTaken,
        ));
    }
    Ok(())
}

impl App {
    /// Adds one of the actor's office's objectives.
    pub async fn create_objective(
        &self,
        actor: &Actor,
        input: &ObjectiveInput,
    ) -> Result<Objective> {
        let (code, title) = checked(input)?;
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        let office = actor.organisation_id.clone();
        check_office(actor, &office, Action::ManageCommissioning)?;
        code_free(tx.conn(), &office, &code, "").await?;
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

    /// One of the actor's office's objectives; another office's is not
    /// found.
    pub async fn objective(&self, actor: &Actor, id: &str) -> Result<Objective> {
        let mut conn = self.db.conn().await?;
        let office = actor.organisation_id.clone();
        check_office(actor, &office, Action::ViewCommissioning)?;
        store::commissioning::objectives(&mut conn, Some(&office))
            .await?
            .into_iter()
            .find(|o| o.id == id)
            .ok_or(AppError::NotFound)
    }

    /// Corrects an objective's code or words, keeping both before and
    /// after in the audit event. Contracts that serve it go on serving it.
    pub async fn correct_objective(
        &self,
        actor: &Actor,
        id: &str,
        input: &ObjectiveInput,
    ) -> Result<Objective> {
        let (code, title) = checked(input)?;
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        let office = actor.organisation_id.clone();
        let before = store::commissioning::objectives(tx.conn(), Some(&office))
            .await?
            .into_iter()
            .find(|o| o.id == id)
            .ok_or(AppError::NotFound)?;
        check_office(actor, &office, Action::ManageCommissioning)?;
        code_free(tx.conn(), &office, &code, id).await?;
        let after = Objective {
            code,
            title,
            ..before.clone()
        };
        store::commissioning::update_objective(tx.conn(), &after).await?;
        tx.commit(
            Change::new(AuditAction::ObjectiveCorrected, "objective", id)
                .place(Some(&office), None)
                .before(json!({ "code": before.code, "title": before.title }))
                .after(json!({ "code": after.code, "title": after.title })),
        )
        .await?;
        Ok(after)
    }

    /// The actor's office's objectives, each with the contracts that serve
    /// it and the services those contracts pay for.
    pub async fn objectives(&self, actor: &Actor) -> Result<Vec<ObjectiveServed>> {
        let office = actor.organisation_id.clone();
        check_office(actor, &office, Action::ViewCommissioning)?;
        let mut conn = self.db.conn().await?;
        let objectives = store::commissioning::objectives(&mut conn, Some(&office)).await?;
        let contracts = store::commissioning::contracts_of(&mut conn, Some(&office), None).await?;
        let commissioned = domain::policy::Visibility {
            commissioned_by: vec![office.clone()],
            ..Default::default()
        };
        let services = store::directory::list_services(&mut conn, &commissioned).await?;
        // (objective id, contract, its services' names)
        let mut serving: Vec<(String, Contract, Vec<String>)> = Vec::new();
        for c in &contracts {
            let served = store::commissioning::contract_objectives(&mut conn, &c.id).await?;
            if served.is_empty() {
                continue;
            }
            let parts = store::commissioning::contract_parts(&mut conn, &c.id).await?;
            let names: Vec<String> = services
                .iter()
                .filter(|s| parts.service_ids.contains(&s.id))
                .map(|s| s.name.clone())
                .collect();
            for o in served {
                serving.push((o, c.clone(), names.clone()));
            }
        }
        Ok(objectives
            .into_iter()
            .map(|objective| ObjectiveServed {
                contracts: serving
                    .iter()
                    .filter(|(o, _, _)| *o == objective.id)
                    .map(|(_, c, names)| (c.clone(), names.clone()))
                    .collect(),
                objective,
            })
            .collect())
    }
}
