//! An office's funding sources and what each allocates by financial year.

use domain::commissioning::FundingKind;
use domain::policy::{Action, Actor};
use domain::validation::{FieldErrors, Lines, required_text, text};
use domain::values::Pence;
use jiff::civil::Date;
use serde_json::json;
use store::commissioning::{BudgetLine, FundingSource};

use super::access::check_office;
use super::messages::CommissioningMessage;
use super::{AllocationInput, FundingSourceInput};
use crate::audit::{AuditAction, Change};
use crate::secrets::new_id;
use crate::{App, AppError, Result};

/// An office's money in one financial year.
#[derive(Debug, Clone)]
pub struct BudgetYear {
    pub office_id: String,
    /// The year's first and last day (1 April to 31 March).
    pub year: (Date, Date),
    pub lines: Vec<BudgetLine>,
    pub sources: Vec<FundingSource>,
    /// Paid in the year from each source: (source id, pence), each
    /// contract's payments apportioned by its funding shares.
    pub paid: Vec<(String, i64)>,
    /// What the contracts running in the year are worth a year, from each
    /// source: (source id, pence), each contract's value a year shared by
    /// its funding shares.
    pub contracted: Vec<(String, i64)>,
}

impl BudgetYear {
    pub fn allocated(&self) -> Pence {
        Pence(self.lines.iter().map(|l| l.allocated_pence).sum())
    }

    pub fn committed(&self) -> Pence {
        Pence(self.lines.iter().map(|l| l.committed_pence).sum())
    }

    /// Paid in the year from one source.
    pub fn paid_from(&self, source_id: &str) -> Pence {
        Pence(
            self.paid
                .iter()
                .filter(|(s, _)| s == source_id)
                .map(|(_, p)| p)
                .sum(),
        )
    }

    pub fn paid_total(&self) -> Pence {
        Pence(self.paid.iter().map(|(_, p)| p).sum())
    }

    /// What the contracts running in the year draw from one source a year.
    pub fn contracted_from(&self, source_id: &str) -> Pence {
        Pence(
            self.contracted
                .iter()
                .filter(|(s, _)| s == source_id)
                .map(|(_, p)| p)
                .sum(),
        )
    }

    pub fn contracted_total(&self) -> Pence {
        Pence(self.contracted.iter().map(|(_, p)| p).sum())
    }
}

/// What is left of an allocation once commitments are taken off: below
/// zero when a source is over-committed, shown so.
pub fn remaining(line: &BudgetLine) -> i64 {
    line.allocated_pence - line.committed_pence
}

/// A source as typed, checked: its name, kind code and origin.
fn checked_source(input: &FundingSourceInput) -> Result<(String, String, String)> {
    let mut errors = FieldErrors::new();
    let name = required_text(&mut errors, "name", &input.name, "the source's name", 120);
    let kind = FundingKind::parse(input.kind.trim());
    if kind.is_none() {
        errors.add("kind", CommissioningMessage::ChooseKind);
    }
    let origin = text(
        &mut errors,
        "origin",
        &input.origin,
        "where the money came from",
        500,
        Lines::One,
    )
    .unwrap_or_default();
    errors.into_result().map_err(AppError::Invalid)?;
    let kind = kind.map(|k| k.code().to_string()).unwrap_or_default();
    Ok((name, kind, origin))
}

/// Refuses a name another of the office's sources has.
async fn name_free(conn: &mut store::Conn, office: &str, name: &str, besides: &str) -> Result<()> {
    let taken = store::commissioning::sources(conn, office)
        .await?
        .iter()
        .any(|s| s.id != besides && s.name.eq_ignore_ascii_case(name));
    if taken {
        return Err(AppError::invalid(
            "name",
            CommissioningMessage::SourceNameTaken,
        ));
    }
    Ok(())
}

/// What an office's contracts were paid in a financial year, from each of
/// its sources: each payment shared between the contract's sources by its
/// shares, to the penny. (source id, pence)
pub(super) async fn paid_by_source(
    conn: &mut store::Conn,
    office: &str,
    year: (Date, Date),
) -> Result<Vec<(String, i64)>> {
    let mut paid: Vec<(String, i64)> = Vec::new();
    let payments =
        store::commissioning::paid_in(conn, office, &year.0.to_string(), &year.1.to_string())
            .await?;
    for (contract, amount) in payments {
        let parts = store::commissioning::contract_parts(conn, &contract).await?;
        add_by_shares(&mut paid, amount, &parts.funding)?;
    }
    Ok(paid)
}

/// The first day of the financial year typed by the year it starts in
/// ("2026" for April 2026 to March 2027), between 2000 and 2100.
pub(super) fn year_starting(typed: &str) -> Option<Date> {
    typed
        .trim()
        .parse::<i16>()
        .ok()
        .and_then(|y| Date::new(y, 4, 1).ok())
        .filter(|d| (2000..=2100).contains(&d.year()))
}

/// Adds an amount to each source's sum, shared by a contract's funding
/// shares (source id, basis points) to the penny.
fn add_by_shares(
    sums: &mut Vec<(String, i64)>,
    pence: i64,
    funding: &[(String, i64)],
) -> Result<()> {
    let shares: Vec<i64> = funding.iter().map(|(_, s)| *s).collect();
    let split = domain::commissioning::split_by_shares(Pence(pence), &shares)
        .map_err(|_| AppError::Internal("a contract's shares".into()))?;
    for ((source, _), part) in funding.iter().zip(split) {
        match sums.iter_mut().find(|(s, _)| s == source) {
            Some((_, p)) => *p += part.0,
            None => sums.push((source.clone(), part.0)),
        }
    }
    Ok(())
}

/// What an office's contracts running in a financial year (their period or
/// extension reaching into it) are worth a year, from each of its sources:
/// each contract's value a year shared by its funding shares, to the
/// penny. (source id, pence)
async fn contracted_by_source(
    conn: &mut store::Conn,
    office: &str,
    year: (Date, Date),
) -> Result<Vec<(String, i64)>> {
    let (first, last) = (year.0.to_string(), year.1.to_string());
    let mut contracted: Vec<(String, i64)> = Vec::new();
    for c in store::commissioning::contracts_of(conn, Some(office), None).await? {
        let ends = c.extension_until.as_deref().unwrap_or(&c.ends_on);
        if c.starts_on.as_str() > last.as_str() || ends < first.as_str() {
            continue;
        }
        let parts = store::commissioning::contract_parts(conn, &c.id).await?;
        add_by_shares(&mut contracted, c.annual_pence, &parts.funding)?;
    }
    Ok(contracted)
}

fn source_fields(s: &FundingSource) -> serde_json::Value {
    json!({ "name": s.name, "kind": s.kind, "origin": s.origin })
}

impl App {
    /// Sets up a funding source of the actor's own office.
    pub async fn create_funding_source(
        &self,
        actor: &Actor,
        input: &FundingSourceInput,
    ) -> Result<FundingSource> {
        let (name, kind, origin) = checked_source(input)?;
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        let office = actor.organisation_id.clone();
        check_office(actor, &office, Action::ManageCommissioning)?;
        name_free(tx.conn(), &office, &name, "").await?;
        let source = FundingSource {
            id: new_id(),
            office_id: office.clone(),
            name,
            kind,
            origin,
            created_at: now.clone(),
        };
        store::commissioning::insert_source(tx.conn(), &source).await?;
        tx.commit(
            Change::new(
                AuditAction::FundingSourceCreated,
                "funding_source",
                &source.id,
            )
            .place(Some(&office), None)
            .after(source_fields(&source)),
        )
        .await?;
        Ok(source)
    }

    /// One of the actor's office's funding sources; another office's is
    /// not found.
    pub async fn funding_source(&self, actor: &Actor, id: &str) -> Result<FundingSource> {
        let mut conn = self.db.conn().await?;
        let source = store::commissioning::find_source(&mut conn, id)
            .await?
            .ok_or(AppError::NotFound)?;
        check_office(actor, &source.office_id, Action::ViewCommissioning)?;
        Ok(source)
    }

    /// Corrects a source's name, kind or origin, keeping both before and
    /// after in the audit event. Its allocations, and the contracts and
    /// decisions drawing on it, stay with it.
    pub async fn correct_funding_source(
        &self,
        actor: &Actor,
        id: &str,
        input: &FundingSourceInput,
    ) -> Result<FundingSource> {
        let (name, kind, origin) = checked_source(input)?;
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        let before = store::commissioning::find_source(tx.conn(), id)
            .await?
            .ok_or(AppError::NotFound)?;
        check_office(actor, &before.office_id, Action::ManageCommissioning)?;
        name_free(tx.conn(), &before.office_id, &name, id).await?;
        let after = FundingSource {
            name,
            kind,
            origin,
            ..before.clone()
        };
        store::commissioning::update_source(tx.conn(), &after).await?;
        tx.commit(
            Change::new(AuditAction::FundingSourceCorrected, "funding_source", id)
                .place(Some(&before.office_id), None)
                .before(source_fields(&before))
                .after(source_fields(&after)),
        )
        .await?;
        Ok(after)
    }

    /// Sets what a source allocates in a financial year, with the amount
    /// before in the audit event.
    pub async fn set_allocation(&self, actor: &Actor, input: &AllocationInput) -> Result<()> {
        let mut errors = FieldErrors::new();
        let year = year_starting(&input.year);
        if year.is_none() {
            errors.add("year", CommissioningMessage::Year);
        }
        let amount = Pence::parse(&input.amount).ok();
        if amount.is_none() {
            errors.add("amount", CommissioningMessage::Amount);
        }
        errors.into_result().map_err(AppError::Invalid)?;
        let (Some(year), Some(amount)) = (year, amount) else {
            return Err(AppError::Internal("checked above".into()));
        };
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        let source = store::commissioning::find_source(tx.conn(), input.source_id.trim())
            .await?
            .ok_or_else(|| AppError::invalid("source_id", CommissioningMessage::ChooseSource))?;
        check_office(actor, &source.office_id, Action::ManageCommissioning).map_err(
            |e| match e {
                AppError::NotFound => {
                    AppError::invalid("source_id", CommissioningMessage::ChooseSource)
                }
                other => other,
            },
        )?;
        let year_from = year.to_string();
        let before = store::commissioning::allocation(tx.conn(), &source.id, &year_from).await?;
        store::commissioning::set_allocation(tx.conn(), &source.id, &year_from, amount.0).await?;
        tx.commit(
            Change::new(AuditAction::BudgetSet, "funding_source", &source.id)
                .place(Some(&source.office_id), None)
                .before(json!({ "year_from": year_from, "allocated_pence": before }))
                .after(json!({ "year_from": year_from, "allocated_pence": amount.0 })),
        )
        .await?;
        Ok(())
    }

    /// The actor's office's money in the financial year holding `on`.
    pub async fn budget_year(&self, actor: &Actor, on: Date) -> Result<BudgetYear> {
        let office = actor.organisation_id.clone();
        check_office(actor, &office, Action::ViewCommissioning)?;
        let year = domain::reports::financial_year(on);
        let mut conn = self.db.conn().await?;
        let lines = store::commissioning::budget_year(
            &mut conn,
            &office,
            &year.0.to_string(),
            &year.1.to_string(),
        )
        .await?;
        let sources = store::commissioning::sources(&mut conn, &office).await?;
        let paid = paid_by_source(&mut conn, &office, year).await?;
        let contracted = contracted_by_source(&mut conn, &office, year).await?;
        Ok(BudgetYear {
            office_id: office,
            year,
            lines,
            sources,
            paid,
            contracted,
        })
    }
}
