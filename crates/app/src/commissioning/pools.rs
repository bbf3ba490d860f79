//! Regional pools: money several commissioners' offices contribute under a
//! collaboration agreement (seed 003), held by the lead office as one of
//! its funding sources, so the pool's decisions are the lead office's
//! decisions drawing on it. Each contributing office sees the pool, its
//! own share and what has been committed.

use domain::policy::{Action, Actor};
use domain::validation::{FieldErrors, required_text};
use domain::values::{Pence, largest_remainder};
use jiff::civil::Date;
use serde_json::json;
use store::commissioning::{FundingSource, Pool};

use super::PoolInput;
use super::access::check_office;
use super::messages::CommissioningMessage;
use crate::audit::{AuditAction, Change};
use crate::secrets::new_id;
use crate::{App, AppError, Result};

/// A pool as a contributing office sees it.
#[derive(Debug, Clone)]
pub struct PoolView {
    pub pool: Pool,
    /// (office id, office name, pence, share in basis points)
    pub contributions: Vec<(String, String, i64, i64)>,
    pub total: i64,
    /// The lead office's approved decisions drawing on the pool: (id,
    /// number, title, pence).
    pub decisions: Vec<(String, String, String, i64)>,
    pub committed: i64,
    /// Paid in the pool's year by the lead office's contracts drawing on
    /// it (each payment shared by the contract's funding shares).
    pub paid: i64,
    /// The reader's office.
    pub office_id: String,
    /// Whether the reader may correct it: the lead office's officers.
    pub may_correct: bool,
}

/// The contributions as typed, `office | amount` one to a line: each a
/// commissioner's office, once, with an amount over nothing, from two
/// offices or more. Problems are named by line on `contributions`.
async fn contributions_of(
    conn: &mut store::Conn,
    typed: &str,
    errors: &mut FieldErrors,
) -> Result<Vec<(String, i64)>> {
    let offices: Vec<(String, String)> = store::directory::list_organisations(conn)
        .await?
        .into_iter()
        .filter(|o| o.kind == "commissioner")
        .map(|o| (o.id, o.name))
        .collect();
    let mut contributions: Vec<(String, i64)> = Vec::new();
    let mut problems = Vec::new();
    for (line, cells) in domain::commissioning::lines_of(typed) {
        let found = cells.first().and_then(|n| {
            offices
                .iter()
                .find(|(_, name)| name.eq_ignore_ascii_case(n))
        });
        let amount = cells
            .get(1)
            .and_then(|a| Pence::parse(a).ok())
            .filter(|p| p.0 > 0);
        match (found, amount, cells.len()) {
            (Some((id, _)), Some(amount), 2) if !contributions.iter().any(|(o, _)| o == id) => {
                contributions.push((id.clone(), amount.0));
            }
            _ => problems.push(format!(
                "line {}: give a commissioner's office, once, and its contribution in pounds, separated by |",
                line
            )),
        }
    }
    if problems.is_empty() && contributions.len() < 2 {
        problems.push("a pool has contributions from two offices or more".to_string());
    }
    if !problems.is_empty() {
        errors.add(
            "contributions",
            CommissioningMessage::Contributions {
                problems: problems.join("; "),
            },
        );
    }
    Ok(contributions)
}

/// Refuses a name the office gives another of its pools, or its source.
async fn pool_name_free(
    conn: &mut store::Conn,
    office: &str,
    name: &str,
    besides: Option<&Pool>,
) -> Result<()> {
    let source_name = pool_source_name(name);
    let taken = store::commissioning::sources(conn, office)
        .await?
        .iter()
        .any(|s| {
            Some(&s.id) != besides.map(|p| &p.source_id)
                && s.name.eq_ignore_ascii_case(&source_name)
        })
        || store::commissioning::pools_of(conn, office)
            .await?
            .iter()
            .any(|p| Some(&p.id) != besides.map(|b| &b.id) && p.name.eq_ignore_ascii_case(name));
    if taken {
        return Err(AppError::invalid(
            "name",
            CommissioningMessage::PoolNameTaken,
        ));
    }
    Ok(())
}

/// The pool's name and agreement as typed, checked.
fn pool_words(input: &PoolInput, errors: &mut FieldErrors) -> (String, String) {
    let name = required_text(errors, "name", &input.name, "the pool's name", 120);
    let agreement = required_text(
        errors,
        "agreement",
        &input.agreement,
        "the collaboration agreement",
        300,
    );
    (name, agreement)
}

/// The name of the lead office's funding source holding a pool.
fn pool_source_name(pool_name: &str) -> String {
    format!("{pool_name} (pooled regional fund)")
}

impl App {
    /// Sets up a pool led by the actor's office, with its contributions,
    /// as a funding source of the office allocating their total.
    pub async fn create_pool(&self, actor: &Actor, input: &PoolInput) -> Result<Pool> {
        let mut errors = FieldErrors::new();
        let (name, agreement) = pool_words(input, &mut errors);
        let year = super::funding::year_starting(&input.year);
        if year.is_none() {
            errors.add("year", CommissioningMessage::Year);
        }
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        let office = actor.organisation_id.clone();
        check_office(actor, &office, Action::ManageCommissioning)?;
        let contributions = contributions_of(tx.conn(), &input.contributions, &mut errors).await?;
        errors.into_result().map_err(AppError::Invalid)?;
        let year = year.ok_or_else(|| AppError::Internal("checked above".into()))?;
        pool_name_free(tx.conn(), &office, &name, None).await?;
        let source_name = pool_source_name(&name);
        let source = FundingSource {
            id: new_id(),
            office_id: office.clone(),
            name: source_name,
            kind: domain::commissioning::FundingKind::RegionalPool
                .code()
                .to_string(),
            origin: agreement.clone(),
            created_at: now.clone(),
        };
        store::commissioning::insert_source(tx.conn(), &source).await?;
        let total: i64 = contributions.iter().map(|(_, p)| p).sum();
        store::commissioning::set_allocation(tx.conn(), &source.id, &year.to_string(), total)
            .await?;
        let pool = Pool {
            id: new_id(),
            name,
            agreement,
            lead_office_id: office.clone(),
            source_id: source.id.clone(),
            year_from: year.to_string(),
            created_at: now.clone(),
            ..Pool::default()
        };
        store::commissioning::insert_pool(tx.conn(), &pool, &contributions).await?;
        tx.commit(
            Change::new(AuditAction::PoolCreated, "pool", &pool.id)
                .place(Some(&office), None)
                .after(json!({
                    "name": pool.name,
                    "agreement": pool.agreement,
                    "year_from": pool.year_from,
                    "source_id": source.id,
                    "contributions": contributions,
                })),
        )
        .await?;
        Ok(pool)
    }

    /// The pools the actor's office leads or contributes to.
    pub async fn pools(&self, actor: &Actor) -> Result<Vec<Pool>> {
        let office = actor.organisation_id.clone();
        check_office(actor, &office, Action::ViewCommissioning)?;
        let mut conn = self.db.conn().await?;
        Ok(store::commissioning::pools_of(&mut conn, &office).await?)
    }

    /// A pool, for an office that leads it or contributes to it.
    pub async fn pool(&self, actor: &Actor, id: &str) -> Result<PoolView> {
        let office = actor.organisation_id.clone();
        check_office(actor, &office, Action::ViewCommissioning)?;
        let mut conn = self.db.conn().await?;
        let pool = store::commissioning::find_pool(&mut conn, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let raw = store::commissioning::contributions(&mut conn, id).await?;
        if pool.lead_office_id != office && !raw.iter().any(|(o, _, _)| *o == office) {
            return Err(AppError::NotFound);
        }
        let total: i64 = raw.iter().map(|(_, _, p)| p).sum();
        let amounts: Vec<i64> = raw.iter().map(|(_, _, p)| *p).collect();
        let shares = largest_remainder(10_000, &amounts);
        let contributions = raw
            .into_iter()
            .zip(shares)
            .map(|((id, name, pence), share)| (id, name, pence, share))
            .collect();
        let decisions =
            store::commissioning::decisions_from_source(&mut conn, &pool.source_id).await?;
        let committed = decisions.iter().map(|d| d.3).sum();
        let year = pool
            .year_from
            .parse::<Date>()
            .map(domain::reports::financial_year)
            .map_err(|_| AppError::Internal("a pool's year".into()))?;
        let paid = super::funding::paid_by_source(&mut conn, &pool.lead_office_id, year)
            .await?
            .into_iter()
            .filter(|(source, _)| *source == pool.source_id)
            .map(|(_, pence)| pence)
            .sum();
        let may_correct = pool.lead_office_id == office
            && check_office(actor, &office, Action::ManageCommissioning).is_ok();
        Ok(PoolView {
            pool,
            contributions,
            total,
            decisions,
            committed,
            paid,
            office_id: office,
            may_correct,
        })
    }

    /// Corrects a pool the actor's office leads: its name, agreement and
    /// contributions. The pool's funding source follows its name and
    /// agreement, and its allocation for the pool's year becomes the new
    /// total. Before and after are kept in the audit event.
    pub async fn correct_pool(&self, actor: &Actor, id: &str, input: &PoolInput) -> Result<Pool> {
        let mut errors = FieldErrors::new();
        let (name, agreement) = pool_words(input, &mut errors);
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        let office = actor.organisation_id.clone();
        check_office(actor, &office, Action::ViewCommissioning)?;
        let before = store::commissioning::find_pool(tx.conn(), id)
            .await?
            .ok_or(AppError::NotFound)?;
        let before_contributions = store::commissioning::contributions(tx.conn(), id).await?;
        if before.lead_office_id != office {
            let contributes = before_contributions.iter().any(|(o, _, _)| *o == office);
            return Err(if contributes {
                AppError::Forbidden
            } else {
                AppError::NotFound
            });
        }
        check_office(actor, &office, Action::ManageCommissioning)?;
        let contributions = contributions_of(tx.conn(), &input.contributions, &mut errors).await?;
        errors.into_result().map_err(AppError::Invalid)?;
        pool_name_free(tx.conn(), &office, &name, Some(&before)).await?;
        let after = Pool {
            name,
            agreement,
            ..before.clone()
        };
        store::commissioning::update_pool(tx.conn(), &after, &contributions).await?;
        let source = store::commissioning::find_source(tx.conn(), &before.source_id)
            .await?
            .ok_or_else(|| AppError::Internal("a pool's source".into()))?;
        store::commissioning::update_source(
            tx.conn(),
            &FundingSource {
                name: pool_source_name(&after.name),
                origin: after.agreement.clone(),
                ..source
            },
        )
        .await?;
        let total: i64 = contributions.iter().map(|(_, p)| p).sum();
        store::commissioning::set_allocation(
            tx.conn(),
            &before.source_id,
            &before.year_from,
            total,
        )
        .await?;
        let before_pairs: Vec<(String, i64)> = before_contributions
            .into_iter()
            .map(|(o, _, p)| (o, p))
            .collect();
        tx.commit(
            Change::new(AuditAction::PoolCorrected, "pool", id)
                .place(Some(&office), None)
                .before(json!({
                    "name": before.name,
                    "agreement": before.agreement,
                    "contributions": before_pairs,
                }))
                .after(json!({
                    "name": after.name,
                    "agreement": after.agreement,
                    "contributions": contributions,
                })),
        )
        .await?;
        Ok(after)
    }
}
