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
    /// The reader's office.
    pub office_id: String,
}

impl App {
    /// Sets up a pool led by the actor's office, with its contributions,
    /// as a funding source of the office allocating their total.
    pub async fn create_pool(&self, actor: &Actor, input: &PoolInput) -> Result<Pool> {
        let mut errors = FieldErrors::new();
        let name = required_text(&mut errors, "name", &input.name, "the pool's name", 120);
        let agreement = required_text(
            &mut errors,
            "agreement",
            &input.agreement,
            "the collaboration agreement",
            300,
        );
        let year = input
            .year
            .trim()
            .parse::<i16>()
            .ok()
            .and_then(|y| Date::new(y, 4, 1).ok())
            .filter(|d| (2000..=2100).contains(&d.year()));
        if year.is_none() {
            errors.add("year", CommissioningMessage::Year);
        }
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        let office = actor.organisation_id.clone();
        check_office(actor, &office, Action::ManageCommissioning)?;
        let offices: Vec<(String, String)> = store::directory::list_organisations(tx.conn())
            .await?
            .into_iter()
            .filter(|o| o.kind == "commissioner")
            .map(|o| (o.id, o.name))
            .collect();
        let mut contributions: Vec<(String, i64)> = Vec::new();
        let mut problems = Vec::new();
        for (i, raw) in input.contributions.lines().enumerate() {
            if raw.trim().is_empty() {
                continue;
            }
            let cells: Vec<&str> = raw.split('|').map(str::trim).collect();
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
                    i + 1
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
        errors.into_result().map_err(AppError::Invalid)?;
        let year = year.ok_or_else(|| AppError::Internal("checked above".into()))?;
        let source_name = format!("{name} (pooled regional fund)");
        let taken = store::commissioning::sources(tx.conn(), &office)
            .await?
            .iter()
            .any(|s| s.name.eq_ignore_ascii_case(&source_name));
        if taken
            || store::commissioning::pools_of(tx.conn(), &office)
                .await?
                .iter()
                .any(|p| p.name.eq_ignore_ascii_case(&name))
        {
            return Err(AppError::invalid(
                "name",
                CommissioningMessage::PoolNameTaken,
            ));
        }
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
        Ok(PoolView {
            pool,
            contributions,
            total,
            decisions,
            committed,
            office_id: office,
        })
    }
}
