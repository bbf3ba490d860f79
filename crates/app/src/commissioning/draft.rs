//! A decision drafted, and amended while a draft or consulted on, by a
//! commissioning officer of the office. Once approved it never changes: a
//! correction is a new decision that names the first.

use domain::commissioning::{
    AmountFault, DecisionStage, Exemption, SectionB, Spend, Step, StepRefused, next_stage,
    parse_amounts,
};
use domain::policy::{Action, Actor};
use domain::validation::{FieldErrors, Lines, required_lines, required_text, text};
use domain::values::Day;
use serde_json::{Value, json};
use store::Conn;
use store::commissioning::{Affected, Amount, Decision, FundingSource, Split};

use super::split;

use super::DecisionInput;
use super::access::check_office;
use super::messages::CommissioningMessage;
use crate::audit::{AuditAction, Change};
use crate::secrets::new_id;
use crate::{App, AppError, Result};

/// The longest a decision's text may be, in characters.
const LONG: usize = 20_000;

/// A decision's fields checked, and its amounts read against the office's
/// sources, every problem named by field.
fn checked(
    input: &DecisionInput,
    sources: &[FundingSource],
    errors: &mut FieldErrors,
) -> (Decision, Vec<Amount>) {
    let mut long =
        |field: &str, value: &str, label: &str| required_lines(errors, field, value, label, LONG);
    let summary = long("summary", &input.summary, "the executive summary");
    let background = long("background", &input.background, "the background");
    let decision = long("decision", &input.decision, "the decision");
    let financial = long("financial", &input.financial, "the financial implications");
    let legal = long("legal", &input.legal, "the legal implications");
    let equality = long("equality", &input.equality, "the equality implications");
    let interests = long(
        "interests",
        &input.interests,
        "the declaration of interests (None, or the details)",
    );
    let number = required_text(errors, "number", &input.number, "the decision's number", 40);
    let title = required_text(errors, "title", &input.title, "the title", 200);
    let author = required_text(errors, "author", &input.author, "the author", 120);
    let received_on = Day::parse(&input.received_on).ok().map(|d| d.date());
    if received_on.is_none() {
        errors.add("received_on", CommissioningMessage::ReceivedOn);
    }
    let spend = Spend::parse(input.spend.trim());
    if spend.is_none() {
        errors.add("spend", CommissioningMessage::ChooseSpend);
    }
    let section_b = SectionB::parse(input.section_b.trim());
    if section_b.is_none() {
        errors.add("section_b", CommissioningMessage::ChooseSectionB);
    }
    let exemption = match input.exemption.trim() {
        "" => None,
        code => {
            let known = Exemption::parse(code);
            if known.is_none() {
                errors.add("exemption", CommissioningMessage::ChooseExemption);
            }
            known
        }
    };
    let exempt_text = text(
        errors,
        "exempt_text",
        &input.exempt_text,
        "the information not published",
        LONG,
        Lines::Many,
    )
    .unwrap_or_default();
    match (
        exemption.is_some() || !input.exemption.trim().is_empty(),
        exempt_text.is_empty(),
    ) {
        (true, true) => errors.add("exempt_text", CommissioningMessage::ExemptTextNeeded),
        (false, false) => errors.add("exemption", CommissioningMessage::ExemptionNeeded),
        _ => {}
    }
    let names: Vec<&str> = sources.iter().map(|s| s.name.as_str()).collect();
    let amounts = match parse_amounts(&input.amounts, &names) {
        Ok(lines) if lines.is_empty() => {
            // A split that failed has said why on its own fields.
            if input.split_method.trim().is_empty() {
                errors.add("amounts", CommissioningMessage::NoAmounts);
            }
            Vec::new()
        }
        Ok(lines) => lines
            .into_iter()
            .map(|l| {
                let source = sources
                    .iter()
                    .find(|s| s.name == l.source)
                    .map(|s| s.id.clone())
                    .unwrap_or_default();
                Amount {
                    recipient: l.recipient,
                    source_id: source,
                    source_name: l.source,
                    amount_pence: l.amount.0,
                }
            })
            .collect(),
        Err(problems) => {
            let said: Vec<String> = problems
                .iter()
                .map(|p| {
                    let what = match p.what {
                        AmountFault::Shape => {
                            "give the recipient, the amount and the funding source, separated by |"
                        }
                        AmountFault::NoRecipient => "give the recipient",
                        AmountFault::Amount => "give the amount in pounds, more than nothing",
                        AmountFault::UnknownSource => "name one of the office's funding sources",
                    };
                    format!("line {}: {what}", p.line)
                })
                .collect();
            errors.add(
                "amounts",
                CommissioningMessage::Amounts {
                    problems: said.join("; "),
                },
            );
            Vec::new()
        }
    };
    let decision = Decision {
        number,
        title,
        received_on: received_on.map(|d| d.to_string()).unwrap_or_default(),
        author,
        summary,
        background,
        decision,
        financial,
        legal,
        equality,
        spend: spend.map(|s| s.code().to_string()).unwrap_or_default(),
        exemption: exemption.map(|e| e.code().to_string()).unwrap_or_default(),
        exempt_text,
        section_b: section_b.map(|s| s.code().to_string()).unwrap_or_default(),
        interests,
        stage: DecisionStage::Draft.code().to_string(),
        ..Decision::default()
    };
    (decision, amounts)
}

/// The record as the audit log keeps it, before and after.
pub(super) fn audited(d: &Decision, amounts: &[Amount]) -> Value {
    json!({
        "number": d.number,
        "title": d.title,
        "received_on": d.received_on,
        "author": d.author,
        "summary": d.summary,
        "background": d.background,
        "decision": d.decision,
        "financial": d.financial,
        "legal": d.legal,
        "equality": d.equality,
        "spend": d.spend,
        "exemption": d.exemption,
        "exempt_text": d.exempt_text,
        "section_b": d.section_b,
        "interests": d.interests,
        "corrects_id": d.corrects_id,
        "contract_id": d.contract_id,
        "contract_annual_pence": d.contract_annual_pence,
        "stage": d.stage,
        "amounts": amounts.iter().map(|a| json!({
            "recipient": a.recipient,
            "source_id": a.source_id,
            "amount_pence": a.amount_pence,
        })).collect::<Vec<_>>(),
    })
}

/// The contract a decision changes, and its new value a year: both, or
/// neither, by the office's reference.
async fn contract_link(
    conn: &mut Conn,
    office_id: &str,
    input: &DecisionInput,
    errors: &mut FieldErrors,
) -> Result<(Option<String>, Option<i64>)> {
    let reference = input.contract.trim();
    let value = input.contract_annual_value.trim();
    if reference.is_empty() {
        if !value.is_empty() {
            errors.add("contract", CommissioningMessage::ValueWithoutContract);
        }
        return Ok((None, None));
    }
    let contract = store::commissioning::contracts_of(conn, Some(office_id), None)
        .await?
        .into_iter()
        .find(|c| c.reference.eq_ignore_ascii_case(reference));
    if contract.is_none() {
        errors.add("contract", CommissioningMessage::ContractUnknown);
    }
    let pence = domain::values::Pence::parse(value).ok().filter(|p| p.0 > 0);
    if pence.is_none() {
        errors.add("contract_annual_value", CommissioningMessage::ContractValue);
    }
    Ok((contract.map(|c| c.id), pence.map(|p| p.0)))
}

/// The contracts and programmes a decision affects, one to a line: each
/// the reference of one of the office's contracts, or the name of a
/// programme delivered by a service it commissions. Problems are named by
/// line on `affects`.
async fn affected(
    conn: &mut Conn,
    office_id: &str,
    input: &DecisionInput,
    errors: &mut FieldErrors,
) -> Result<Vec<Affected>> {
    let contracts = store::commissioning::contracts_of(conn, Some(office_id), None).await?;
    let programmes: Vec<store::programmes::Programme> = store::programmes::programmes(conn)
        .await?
        .into_iter()
        .filter(|p| p.commissioner_id.as_deref() == Some(office_id))
        .collect();
    let mut affects: Vec<Affected> = Vec::new();
    let mut problems = Vec::new();
    for (line, raw) in input.affects.lines().enumerate() {
        let named = raw.trim();
        if named.is_empty() {
            continue;
        }
        let found = match contracts
            .iter()
            .find(|c| c.reference.eq_ignore_ascii_case(named))
        {
            Some(c) => Some(Affected {
                contract_id: Some(c.id.clone()),
                programme_id: None,
                label: c.reference.clone(),
            }),
            None => programmes
                .iter()
                .find(|p| p.name.eq_ignore_ascii_case(named))
                .map(|p| Affected {
                    contract_id: None,
                    programme_id: Some(p.id.clone()),
                    label: p.name.clone(),
                }),
        };
        match found {
            Some(a) if !affects.contains(&a) => affects.push(a),
            Some(_) => {}
            None => problems.push((line + 1).to_string()),
        }
    }
    if !problems.is_empty() {
        errors.add(
            "affects",
            CommissioningMessage::AffectsUnknown {
                lines: problems.join(", "),
            },
        );
    }
    Ok(affects)
}

/// The input with the split's amounts in place of the typed ones.
fn with_split(input: &DecisionInput, worked: &Option<(String, Split)>) -> DecisionInput {
    match worked {
        Some((lines, _)) => DecisionInput {
            amounts: lines.clone(),
            ..input.clone()
        },
        // A split that failed has said why; the typed amounts are not read.
        None if !input.split_method.trim().is_empty() => DecisionInput {
            amounts: String::new(),
            ..input.clone()
        },
        None => input.clone(),
    }
}

/// The audited record with what the decision affects beside it.
fn with_affects(mut record: Value, affects: &[Affected]) -> Value {
    record["affects"] = json!(affects.iter().map(|a| &a.label).collect::<Vec<_>>());
    record
}

/// The audited record with the split's inputs beside it.
fn with_audited_split(mut record: Value, split: &Option<Split>) -> Value {
    if let Some(s) = split {
        record["split"] = json!({
            "method": s.method,
            "total_pence": s.total_pence,
            "period_from": s.period_from,
            "period_to": s.period_to,
            "inputs": serde_json::from_str::<Value>(&s.inputs).unwrap_or(Value::Null),
        });
    }
    record
}

/// The refusal a step of the workflow meets, by field.
pub(super) fn refused(why: StepRefused) -> AppError {
    let (field, message) = match why {
        StepRefused::Immutable => ("decision", CommissioningMessage::Immutable),
        StepRefused::AlreadyConsulted => ("note", CommissioningMessage::AlreadyConsulted),
        StepRefused::NotConsulted => ("decision", CommissioningMessage::NotConsulted),
        StepRefused::NotApproved | StepRefused::Deferred { .. } | StepRefused::AlreadyPublished => {
            ("decision", CommissioningMessage::Immutable)
        }
    };
    AppError::invalid(field, message)
}

/// The approved decision of the office a correction names, by number.
async fn corrected(conn: &mut Conn, office_id: &str, number: &str) -> Result<Option<String>> {
    let number = number.trim();
    if number.is_empty() {
        return Ok(None);
    }
    match store::commissioning::find_by_number(conn, office_id, number).await? {
        Some(d) if d.stage == DecisionStage::Approved.code() => Ok(Some(d.id)),
        _ => Err(AppError::invalid(
            "corrects",
            CommissioningMessage::CorrectsUnknown,
        )),
    }
}

impl App {
    /// Drafts a decision of the actor's office.
    pub async fn draft_decision(&self, actor: &Actor, input: &DecisionInput) -> Result<Decision> {
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        let office = actor.organisation_id.clone();
        check_office(actor, &office, Action::ManageCommissioning)?;
        let sources = store::commissioning::sources(tx.conn(), &office).await?;
        let mut errors = FieldErrors::new();
        let today = self.today();
        let worked =
            split::work_out(tx.conn(), &office, input, &sources, today, &mut errors).await?;
        let input = with_split(input, &worked);
        let (contract_id, contract_annual_pence) =
            contract_link(tx.conn(), &office, &input, &mut errors).await?;
        let affects = affected(tx.conn(), &office, &input, &mut errors).await?;
        let (checked, amounts) = checked(&input, &sources, &mut errors);
        errors.into_result().map_err(AppError::Invalid)?;
        if store::commissioning::number_taken(tx.conn(), &office, &checked.number, "").await? {
            return Err(AppError::invalid(
                "number",
                CommissioningMessage::NumberTaken,
            ));
        }
        let corrects_id = corrected(tx.conn(), &office, &input.corrects).await?;
        let decision = Decision {
            id: new_id(),
            office_id: office.clone(),
            corrects_id,
            contract_id,
            contract_annual_pence,
            created_at: now.clone(),
            updated_at: now.clone(),
            ..checked
        };
        store::commissioning::insert_decision(tx.conn(), &decision, &amounts).await?;
        store::commissioning::set_affects(tx.conn(), &decision.id, &affects).await?;
        let split = worked.map(|(_, s)| s);
        store::commissioning::set_split(tx.conn(), &decision.id, split.as_ref()).await?;
        tx.commit(
            Change::new(AuditAction::DecisionDrafted, "decision", &decision.id)
                .place(Some(&office), None)
                .after(with_affects(
                    with_audited_split(audited(&decision, &amounts), &split),
                    &affects,
                )),
        )
        .await?;
        Ok(decision)
    }

    /// Amends a draft or consulted decision: it becomes a draft again, and
    /// the consultees' approvals of the words before are removed.
    pub async fn amend_decision(
        &self,
        actor: &Actor,
        id: &str,
        input: &DecisionInput,
    ) -> Result<Decision> {
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        let before = store::commissioning::find_decision(tx.conn(), id)
            .await?
            .ok_or(AppError::NotFound)?;
        check_office(actor, &before.office_id, Action::ManageCommissioning)?;
        let stage = DecisionStage::parse(&before.stage)
            .ok_or_else(|| AppError::Internal("a stored stage".into()))?;
        let consulted = consultees(tx.conn(), id).await?;
        let today = self.today();
        let next = next_stage(stage, &consulted, &Step::Amend, None, today).map_err(refused)?;
        let sources = store::commissioning::sources(tx.conn(), &before.office_id).await?;
        let mut errors = FieldErrors::new();
        let worked = split::work_out(
            tx.conn(),
            &before.office_id,
            input,
            &sources,
            today,
            &mut errors,
        )
        .await?;
        let input = with_split(input, &worked);
        let (contract_id, contract_annual_pence) =
            contract_link(tx.conn(), &before.office_id, &input, &mut errors).await?;
        let affects = affected(tx.conn(), &before.office_id, &input, &mut errors).await?;
        let (checked, amounts) = checked(&input, &sources, &mut errors);
        errors.into_result().map_err(AppError::Invalid)?;
        if store::commissioning::number_taken(tx.conn(), &before.office_id, &checked.number, id)
            .await?
        {
            return Err(AppError::invalid(
                "number",
                CommissioningMessage::NumberTaken,
            ));
        }
        let before_amounts = store::commissioning::amounts(tx.conn(), id).await?;
        let after = Decision {
            id: before.id.clone(),
            office_id: before.office_id.clone(),
            corrects_id: before.corrects_id.clone(),
            contract_id,
            contract_annual_pence,
            stage: next.code().to_string(),
            created_at: before.created_at.clone(),
            updated_at: now.clone(),
            ..checked
        };
        store::commissioning::amend_decision(tx.conn(), &after, &amounts).await?;
        let before_split = store::commissioning::split_of(tx.conn(), id).await?;
        let before_affects = store::commissioning::affects(tx.conn(), id).await?;
        store::commissioning::set_affects(tx.conn(), id, &affects).await?;
        let split = worked.map(|(_, s)| s);
        store::commissioning::set_split(tx.conn(), id, split.as_ref()).await?;
        tx.commit(
            Change::new(AuditAction::DecisionAmended, "decision", id)
                .place(Some(&before.office_id), None)
                .before(with_affects(
                    with_audited_split(audited(&before, &before_amounts), &before_split),
                    &before_affects,
                ))
                .after(with_affects(
                    with_audited_split(audited(&after, &amounts), &split),
                    &affects,
                )),
        )
        .await?;
        Ok(after)
    }
}

/// The consultees who have approved a decision as it stands.
pub(super) async fn consultees(
    conn: &mut Conn,
    id: &str,
) -> Result<Vec<domain::commissioning::Consultee>> {
    Ok(store::commissioning::consultations(conn, id)
        .await?
        .iter()
        .filter_map(|c| domain::commissioning::Consultee::parse(&c.consultee))
        .collect())
}
