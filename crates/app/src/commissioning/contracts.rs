//! A contract or grant set up, and corrected, by a commissioning officer
//! of the office: its provider and services, period and value, funding
//! shares, co-commissioners, payment schedule and KPIs.

use domain::commissioning::{AgreementKind, parse_kpis, parse_schedule, parse_shares, said};
use domain::policy::{Action, Actor, Visibility};
use domain::validation::{FieldErrors, required_text};
use domain::values::{Day, Pence};
use serde_json::{Value, json};
use store::Conn;
use store::commissioning::{Contract, ContractParts, FundingSource};

use super::ContractInput;
use super::access::check_office;
use super::messages::CommissioningMessage;
use crate::audit::{AuditAction, Change};
use crate::secrets::new_id;
use crate::{App, AppError, Result};

/// The contract's terms checked against the office's sources and the
/// provider's services, every problem named by field.
async fn checked(
    conn: &mut Conn,
    office_id: &str,
    input: &ContractInput,
    errors: &mut FieldErrors,
) -> Result<(Contract, ContractParts, Vec<String>)> {
    let reference = required_text(errors, "reference", &input.reference, "the reference", 40);
    let title = required_text(errors, "title", &input.title, "the title", 200);
    let kind = AgreementKind::parse(input.kind.trim());
    if kind.is_none() {
        errors.add("kind", CommissioningMessage::ChooseAgreementKind);
    }
    let everything = Visibility {
        everything: true,
        ..Visibility::default()
    };
    let provider = store::directory::list_organisations(conn)
        .await?
        .into_iter()
        .find(|o| o.id == input.provider.trim());
    if provider.is_none() {
        errors.add("provider", CommissioningMessage::ChooseProvider);
    }
    // The provider's services that this office commissions.
    let offered: Vec<String> = store::directory::list_services(conn, &everything)
        .await?
        .into_iter()
        .filter(|s| {
            Some(&s.organisation_id) == provider.as_ref().map(|p| &p.id)
                && s.commissioner_id.as_deref() == Some(office_id)
        })
        .map(|s| s.id)
        .collect();
    let mut service_ids: Vec<String> = input
        .services
        .iter()
        .map(|s| s.trim().to_string())
        .collect();
    service_ids.sort();
    service_ids.dedup();
    if provider.is_some()
        && (service_ids.is_empty() || service_ids.iter().any(|s| !offered.contains(s)))
    {
        errors.add("services", CommissioningMessage::ChooseServices);
    }
    let day = |text: &str| Day::parse(text).ok().map(|d| d.date());
    let starts = day(&input.starts_on);
    if starts.is_none() {
        errors.add("starts_on", CommissioningMessage::StartsOn);
    }
    let ends = day(&input.ends_on).filter(|e| starts.is_none_or(|s| *e >= s));
    if ends.is_none() {
        errors.add("ends_on", CommissioningMessage::EndsOn);
    }
    let extension = match input.extension_until.trim() {
        "" => None,
        typed => {
            let until = day(typed).filter(|u| ends.is_none_or(|e| *u > e));
            if until.is_none() {
                errors.add("extension_until", CommissioningMessage::ExtensionUntil);
            }
            until
        }
    };
    let annual = Pence::parse(&input.annual_value).ok().filter(|p| p.0 > 0);
    if annual.is_none() {
        errors.add("annual_value", CommissioningMessage::AnnualValue);
    }
    let sources: Vec<FundingSource> = store::commissioning::sources(conn, office_id).await?;
    let lines = |errors: &mut FieldErrors,
                 field: &str,
                 what: &str,
                 problems: &[domain::commissioning::LineProblem]| {
        errors.add(
            field,
            CommissioningMessage::Lines {
                what: what.to_string(),
                problems: said(problems),
            },
        );
    };
    let mut funding = Vec::new();
    match parse_shares(&input.funding) {
        Ok(shares) if shares.is_empty() => {
            errors.add("funding", CommissioningMessage::FundingNeeded)
        }
        Ok(shares) => {
            let unknown: Vec<String> = shares
                .iter()
                .filter(|s| !sources.iter().any(|k| k.name.eq_ignore_ascii_case(&s.name)))
                .map(|s| s.name.clone())
                .collect();
            if unknown.is_empty() {
                funding = shares
                    .iter()
                    .filter_map(|s| {
                        let source = sources
                            .iter()
                            .find(|k| k.name.eq_ignore_ascii_case(&s.name))?;
                        Some((source.id.clone(), s.share))
                    })
                    .collect();
            } else {
                errors.add(
                    "funding",
                    CommissioningMessage::UnknownSources {
                        names: unknown.join(", "),
                    },
                );
            }
        }
        Err(problems) => lines(errors, "funding", "funding shares", &problems),
    }
    let partners = match parse_shares(&input.partners) {
        Ok(shares) => shares
            .into_iter()
            .map(|s| (s.name, s.share, s.lead))
            .collect(),
        Err(problems) => {
            lines(errors, "partners", "co-commissioners", &problems);
            Vec::new()
        }
    };
    let last_day = extension.or(ends);
    let schedule = match parse_schedule(&input.schedule) {
        Ok(due) => {
            let outside = due.iter().position(|(d, _)| {
                starts.is_some_and(|s| *d < s) || last_day.is_some_and(|e| *d > e)
            });
            if let Some(i) = outside {
                let line = input
                    .schedule
                    .lines()
                    .enumerate()
                    .filter(|(_, l)| !l.trim().is_empty())
                    .nth(i)
                    .map_or(i + 1, |(n, _)| n + 1);
                errors.add("schedule", CommissioningMessage::ScheduleOutside { line });
            }
            due.into_iter().map(|(d, p)| (d.to_string(), p.0)).collect()
        }
        Err(problems) => {
            lines(errors, "schedule", "payment schedule", &problems);
            Vec::new()
        }
    };
    let known: Vec<String> = store::commissioning::objectives(conn, Some(office_id))
        .await?
        .into_iter()
        .map(|o| o.id)
        .collect();
    let mut objective_ids: Vec<String> = input
        .objectives
        .iter()
        .map(|o| o.trim().to_string())
        .collect();
    objective_ids.sort();
    objective_ids.dedup();
    if objective_ids.iter().any(|o| !known.contains(o)) {
        errors.add("objectives", CommissioningMessage::ChooseObjectives);
    }
    let kpis = match parse_kpis(&input.kpis) {
        Ok(kpis) => kpis
            .into_iter()
            .map(|(k, t)| (k.code().to_string(), t))
            .collect(),
        Err(problems) => {
            lines(errors, "kpis", "KPIs", &problems);
            Vec::new()
        }
    };
    let contract = Contract {
        office_id: office_id.to_string(),
        reference,
        title,
        kind: kind.map(|k| k.code().to_string()).unwrap_or_default(),
        provider_id: provider.as_ref().map(|p| p.id.clone()).unwrap_or_default(),
        provider_name: provider.map(|p| p.name).unwrap_or_default(),
        starts_on: starts.map(|d| d.to_string()).unwrap_or_default(),
        ends_on: ends.map(|d| d.to_string()).unwrap_or_default(),
        extension_until: extension.map(|d| d.to_string()),
        annual_pence: annual.map_or(0, |p| p.0),
        ..Contract::default()
    };
    let parts = ContractParts {
        service_ids,
        funding,
        partners,
        schedule,
        kpis,
    };
    Ok((contract, parts, objective_ids))
}

pub(super) fn audited(c: &Contract, parts: &ContractParts) -> Value {
    json!({
        "reference": c.reference,
        "title": c.title,
        "kind": c.kind,
        "provider_id": c.provider_id,
        "starts_on": c.starts_on,
        "ends_on": c.ends_on,
        "extension_until": c.extension_until,
        "annual_pence": c.annual_pence,
        "services": parts.service_ids,
        "funding": parts.funding,
        "partners": parts.partners,
        "schedule": parts.schedule,
        "kpis": parts.kpis,
    })
}

impl App {
    /// Sets up a contract or grant of the actor's office.
    pub async fn create_contract(&self, actor: &Actor, input: &ContractInput) -> Result<Contract> {
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        let office = actor.organisation_id.clone();
        check_office(actor, &office, Action::ManageCommissioning)?;
        let mut errors = FieldErrors::new();
        let (checked, parts, objectives) = checked(tx.conn(), &office, input, &mut errors).await?;
        errors.into_result().map_err(AppError::Invalid)?;
        if store::commissioning::contracts_of(tx.conn(), Some(&office), None)
            .await?
            .iter()
            .any(|c| c.reference.eq_ignore_ascii_case(&checked.reference))
        {
            return Err(AppError::invalid(
                "reference",
                CommissioningMessage::ReferenceTaken,
            ));
        }
        let contract = Contract {
            id: new_id(),
            created_at: now.clone(),
            updated_at: now.clone(),
            ..checked
        };
        store::commissioning::insert_contract(tx.conn(), &contract, &parts).await?;
        store::commissioning::set_contract_objectives(tx.conn(), &contract.id, &objectives).await?;
        let mut after = audited(&contract, &parts);
        after["objectives"] = json!(objectives);
        tx.commit(
            Change::new(AuditAction::ContractCreated, "contract", &contract.id)
                .place(Some(&office), None)
                .after(after),
        )
        .await?;
        Ok(contract)
    }

    /// Corrects a contract's terms; its provider stays.
    pub async fn correct_contract(
        &self,
        actor: &Actor,
        id: &str,
        input: &ContractInput,
    ) -> Result<Contract> {
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        let before = store::commissioning::find_contract(tx.conn(), id)
            .await?
            .ok_or(AppError::NotFound)?;
        check_office(actor, &before.office_id, Action::ManageCommissioning)?;
        let input = ContractInput {
            provider: before.provider_id.clone(),
            ..input.clone()
        };
        let mut errors = FieldErrors::new();
        let (checked, parts, objectives) =
            checked(tx.conn(), &before.office_id, &input, &mut errors).await?;
        errors.into_result().map_err(AppError::Invalid)?;
        if store::commissioning::contracts_of(tx.conn(), Some(&before.office_id), None)
            .await?
            .iter()
            .any(|c| c.id != id && c.reference.eq_ignore_ascii_case(&checked.reference))
        {
            return Err(AppError::invalid(
                "reference",
                CommissioningMessage::ReferenceTaken,
            ));
        }
        let before_parts = store::commissioning::contract_parts(tx.conn(), id).await?;
        let after = Contract {
            id: before.id.clone(),
            created_at: before.created_at.clone(),
            updated_at: now.clone(),
            ..checked
        };
        let before_objectives = store::commissioning::contract_objectives(tx.conn(), id).await?;
        store::commissioning::update_contract(tx.conn(), &after, &parts).await?;
        store::commissioning::set_contract_objectives(tx.conn(), id, &objectives).await?;
        let mut was = audited(&before, &before_parts);
        was["objectives"] = json!(before_objectives);
        let mut now_is = audited(&after, &parts);
        now_is["objectives"] = json!(objectives);
        tx.commit(
            Change::new(AuditAction::ContractCorrected, "contract", id)
                .place(Some(&before.office_id), None)
                .before(was)
                .after(now_is),
        )
        .await?;
        Ok(after)
    }
}
