//! An office's funding sources and budgets, and its decisions with their
//! amounts and consultations. Money is whole pence.

use sqlx::FromRow;

use crate::audit::escape_like;
use crate::paging::{Listing, Order, Page, Start, page};
use crate::{Conn, Result, Sql};

#[derive(Debug, Clone, FromRow, PartialEq, Eq, Default)]
pub struct FundingSource {
    pub id: String,
    pub office_id: String,
    pub name: String,
    pub kind: String,
    /// Where the money came from, for reserves (such as a provider's
    /// underspend).
    pub origin: String,
    pub created_at: String,
}

/// A source's money in one financial year: allocated, and committed by the
/// decisions approved in the year.
#[derive(Debug, Clone, FromRow, PartialEq, Eq, Default)]
pub struct BudgetLine {
    pub source_id: String,
    pub name: String,
    pub kind: String,
    pub allocated_pence: i64,
    pub committed_pence: i64,
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq, Default)]
pub struct Decision {
    pub id: String,
    pub office_id: String,
    pub office_name: String,
    pub number: String,
    pub title: String,
    pub received_on: String,
    pub author: String,
    pub summary: String,
    pub background: String,
    pub decision: String,
    pub financial: String,
    pub legal: String,
    pub equality: String,
    pub spend: String,
    /// Why part of the supporting information is not published; empty
    /// when all of it is.
    pub exemption: String,
    pub exempt_text: String,
    pub section_b: String,
    pub interests: String,
    pub corrects_id: Option<String>,
    pub corrects_number: Option<String>,
    pub stage: String,
    pub approved_on: Option<String>,
    pub approved_by_name: Option<String>,
    pub publish_on: Option<String>,
    pub deferral_reason: String,
    pub total_pence: i64,
    /// The contract whose value a year the decision changes, and to what.
    pub contract_id: Option<String>,
    pub contract_reference: Option<String>,
    pub contract_annual_pence: Option<i64>,
    /// How many of the two officers have approved it as it stands.
    pub approvals: i64,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq, Default)]
pub struct Amount {
    pub recipient: String,
    pub source_id: String,
    pub source_name: String,
    pub amount_pence: i64,
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq, Default)]
pub struct Consultation {
    pub consultee: String,
    pub user_id: String,
    pub user_name: String,
    pub on_day: String,
    pub note: String,
}

pub async fn insert_source(conn: &mut Conn, s: &FundingSource) -> Result<()> {
    sqlx::query(
        "INSERT INTO funding_sources (id, office_id, name, kind, origin, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(s.id.clone())
    .bind(s.office_id.clone())
    .bind(s.name.clone())
    .bind(s.kind.clone())
    .bind(s.origin.clone())
    .bind(s.created_at.clone())
    .execute(conn)
    .await?;
    Ok(())
}

/// An office's funding sources, by name.
pub async fn sources(conn: &mut Conn, office_id: &str) -> Result<Vec<FundingSource>> {
    Ok(sqlx::query_as(
        "SELECT id, office_id, name, kind, origin, created_at FROM funding_sources
         WHERE office_id = $1 ORDER BY name",
    )
    .bind(office_id.to_string())
    .fetch_all(conn)
    .await?)
}

/// Corrects a source's name, kind and origin.
pub async fn update_source(conn: &mut Conn, s: &FundingSource) -> Result<()> {
    sqlx::query("UPDATE funding_sources SET name = $1, kind = $2, origin = $3 WHERE id = $4")
        .bind(s.name.clone())
        .bind(s.kind.clone())
        .bind(s.origin.clone())
        .bind(s.id.clone())
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn find_source(conn: &mut Conn, id: &str) -> Result<Option<FundingSource>> {
    Ok(sqlx::query_as(
        "SELECT id, office_id, name, kind, origin, created_at FROM funding_sources WHERE id = $1",
    )
    .bind(id.to_string())
    .fetch_optional(conn)
    .await?)
}

/// What a source allocates in the year starting `year_from`, or nothing.
pub async fn allocation(conn: &mut Conn, source_id: &str, year_from: &str) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT allocated_pence FROM budgets WHERE source_id = $1 AND year_from = $2",
    )
    .bind(source_id.to_string())
    .bind(year_from.to_string())
    .fetch_optional(conn)
    .await?)
}

/// Sets what a source allocates in a year, in place of what it was.
pub async fn set_allocation(
    conn: &mut Conn,
    source_id: &str,
    year_from: &str,
    pence: i64,
) -> Result<()> {
    sqlx::query("DELETE FROM budgets WHERE source_id = $1 AND year_from = $2")
        .bind(source_id.to_string())
        .bind(year_from.to_string())
        .execute(&mut *conn)
        .await?;
    sqlx::query("INSERT INTO budgets (source_id, year_from, allocated_pence) VALUES ($1, $2, $3)")
        .bind(source_id.to_string())
        .bind(year_from.to_string())
        .bind(pence)
        .execute(conn)
        .await?;
    Ok(())
}

/// Each of an office's sources in the financial year `year_from` to
/// `year_to`: allocated, and committed by decisions approved in the year.
pub async fn budget_year(
    conn: &mut Conn,
    office_id: &str,
    year_from: &str,
    year_to: &str,
) -> Result<Vec<BudgetLine>> {
    Ok(sqlx::query_as(
        "SELECT s.id AS source_id, s.name, s.kind,
            CAST(COALESCE((SELECT b.allocated_pence FROM budgets b
                WHERE b.source_id = s.id AND b.year_from = $2), 0) AS BIGINT) AS allocated_pence,
            CAST(COALESCE((SELECT SUM(a.amount_pence) FROM decision_amounts a
                JOIN decisions d ON d.id = a.decision_id
                WHERE a.source_id = s.id AND d.stage = 'approved'
                  AND d.approved_on >= $2 AND d.approved_on <= $3), 0) AS BIGINT) AS committed_pence
         FROM funding_sources s WHERE s.office_id = $1 ORDER BY s.name",
    )
    .bind(office_id.to_string())
    .bind(year_from.to_string())
    .bind(year_to.to_string())
    .fetch_all(conn)
    .await?)
}

const DECISION_COLUMNS: &str = "d.id, d.office_id, o.name AS office_name, d.number, d.title,
    d.received_on, d.author, d.summary, d.background, d.decision, d.financial, d.legal,
    d.equality, d.spend, d.exemption, d.exempt_text, d.section_b, d.interests, d.corrects_id,
    c.number AS corrects_number, d.stage, d.approved_on, u.display_name AS approved_by_name,
    d.publish_on, d.deferral_reason,
    CAST(COALESCE((SELECT SUM(a.amount_pence) FROM decision_amounts a
        WHERE a.decision_id = d.id), 0) AS BIGINT) AS total_pence,
    d.contract_id, k.reference AS contract_reference, d.contract_annual_pence,
    CAST((SELECT COUNT(*) FROM decision_consultations dc WHERE dc.decision_id = d.id)
        AS BIGINT) AS approvals,
    d.created_at, d.updated_at";

const DECISION_FROM: &str = "FROM decisions d JOIN organisations o ON o.id = d.office_id
    LEFT JOIN decisions c ON c.id = d.corrects_id
    LEFT JOIN users u ON u.id = d.approved_by
    LEFT JOIN contracts k ON k.id = d.contract_id WHERE ";

const DECISIONS: Listing = Listing {
    columns: DECISION_COLUMNS,
    from: DECISION_FROM,
    count_from: "FROM decisions d WHERE ",
    id: "d.id",
};

pub async fn insert_decision(conn: &mut Conn, d: &Decision, amounts: &[Amount]) -> Result<()> {
    sqlx::query(
        "INSERT INTO decisions (id, office_id, number, title, received_on, author, summary,
            background, decision, financial, legal, equality, spend, exemption, exempt_text,
            section_b, interests, corrects_id, stage, created_at, updated_at, contract_id,
            contract_annual_pence)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
            $18, $19, $20, $21, $22, $23)",
    )
    .bind(d.id.clone())
    .bind(d.office_id.clone())
    .bind(d.number.clone())
    .bind(d.title.clone())
    .bind(d.received_on.clone())
    .bind(d.author.clone())
    .bind(d.summary.clone())
    .bind(d.background.clone())
    .bind(d.decision.clone())
    .bind(d.financial.clone())
    .bind(d.legal.clone())
    .bind(d.equality.clone())
    .bind(d.spend.clone())
    .bind(d.exemption.clone())
    .bind(d.exempt_text.clone())
    .bind(d.section_b.clone())
    .bind(d.interests.clone())
    .bind(d.corrects_id.clone())
    .bind(d.stage.clone())
    .bind(d.created_at.clone())
    .bind(d.updated_at.clone())
    .bind(d.contract_id.clone())
    .bind(d.contract_annual_pence)
    .execute(&mut *conn)
    .await?;
    insert_amounts(conn, &d.id, amounts).await
}

/// Amends a draft's words and amounts; the consultations given on the
/// words before are removed, and it is a draft again.
pub async fn amend_decision(conn: &mut Conn, d: &Decision, amounts: &[Amount]) -> Result<()> {
    sqlx::query(
        "UPDATE decisions SET number = $1, title = $2, received_on = $3, author = $4,
            summary = $5, background = $6, decision = $7, financial = $8, legal = $9,
            equality = $10, spend = $11, exemption = $12, exempt_text = $13, section_b = $14,
            interests = $15, stage = $16, updated_at = $17, contract_id = $18,
            contract_annual_pence = $19 WHERE id = $20",
    )
    .bind(d.number.clone())
    .bind(d.title.clone())
    .bind(d.received_on.clone())
    .bind(d.author.clone())
    .bind(d.summary.clone())
    .bind(d.background.clone())
    .bind(d.decision.clone())
    .bind(d.financial.clone())
    .bind(d.legal.clone())
    .bind(d.equality.clone())
    .bind(d.spend.clone())
    .bind(d.exemption.clone())
    .bind(d.exempt_text.clone())
    .bind(d.section_b.clone())
    .bind(d.interests.clone())
    .bind(d.stage.clone())
    .bind(d.updated_at.clone())
    .bind(d.contract_id.clone())
    .bind(d.contract_annual_pence)
    .bind(d.id.clone())
    .execute(&mut *conn)
    .await?;
    for delete in [
        "DELETE FROM decision_amounts WHERE decision_id = $1",
        "DELETE FROM decision_consultations WHERE decision_id = $1",
    ] {
        sqlx::query(delete)
            .bind(d.id.clone())
            .execute(&mut *conn)
            .await?;
    }
    insert_amounts(conn, &d.id, amounts).await
}

async fn insert_amounts(conn: &mut Conn, decision_id: &str, amounts: &[Amount]) -> Result<()> {
    for (position, a) in amounts.iter().enumerate() {
        sqlx::query(
            "INSERT INTO decision_amounts (decision_id, position, recipient, source_id, amount_pence)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(decision_id.to_string())
        .bind(position as i64)
        .bind(a.recipient.clone())
        .bind(a.source_id.clone())
        .bind(a.amount_pence)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

pub async fn find_decision(conn: &mut Conn, id: &str) -> Result<Option<Decision>> {
    let mut sql = Sql::new(&format!("SELECT {DECISION_COLUMNS} {DECISION_FROM}"));
    sql.push("d.id = ").text(id);
    Ok(sql.query_as().fetch_optional(conn).await?)
}

/// An office's decision by its number.
pub async fn find_by_number(
    conn: &mut Conn,
    office_id: &str,
    number: &str,
) -> Result<Option<Decision>> {
    let mut sql = Sql::new(&format!("SELECT {DECISION_COLUMNS} {DECISION_FROM}"));
    sql.push("d.office_id = ")
        .text(office_id)
        .push(" AND d.number = ")
        .text(number);
    Ok(sql.query_as().fetch_optional(conn).await?)
}

/// The decisions that correct this one.
pub async fn corrected_by(conn: &mut Conn, id: &str) -> Result<Vec<(String, String)>> {
    Ok(
        sqlx::query_as("SELECT id, number FROM decisions WHERE corrects_id = $1 ORDER BY number")
            .bind(id.to_string())
            .fetch_all(conn)
            .await?,
    )
}

/// Whether an office has another decision of this number.
pub async fn number_taken(
    conn: &mut Conn,
    office_id: &str,
    number: &str,
    except_id: &str,
) -> Result<bool> {
    let found: Option<String> = sqlx::query_scalar(
        "SELECT id FROM decisions WHERE office_id = $1 AND number = $2 AND id <> $3",
    )
    .bind(office_id.to_string())
    .bind(number.to_string())
    .bind(except_id.to_string())
    .fetch_optional(conn)
    .await?;
    Ok(found.is_some())
}

pub async fn amounts(conn: &mut Conn, decision_id: &str) -> Result<Vec<Amount>> {
    Ok(sqlx::query_as(
        "SELECT a.recipient, a.source_id, s.name AS source_name, a.amount_pence
         FROM decision_amounts a JOIN funding_sources s ON s.id = a.source_id
         WHERE a.decision_id = $1 ORDER BY a.position",
    )
    .bind(decision_id.to_string())
    .fetch_all(conn)
    .await?)
}

pub async fn consultations(conn: &mut Conn, decision_id: &str) -> Result<Vec<Consultation>> {
    Ok(sqlx::query_as(
        "SELECT c.consultee, c.user_id, u.display_name AS user_name, c.on_day, c.note
         FROM decision_consultations c JOIN users u ON u.id = c.user_id
         WHERE c.decision_id = $1 ORDER BY c.on_day, c.consultee",
    )
    .bind(decision_id.to_string())
    .fetch_all(conn)
    .await?)
}

/// Records a consultee's approval, and the stage it leaves the decision at.
pub async fn add_consultation(
    conn: &mut Conn,
    decision_id: &str,
    c: &Consultation,
    stage: &str,
    now: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO decision_consultations (decision_id, consultee, user_id, on_day, note)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(decision_id.to_string())
    .bind(c.consultee.clone())
    .bind(c.user_id.clone())
    .bind(c.on_day.clone())
    .bind(c.note.clone())
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE decisions SET stage = $1, updated_at = $2 WHERE id = $3")
        .bind(stage.to_string())
        .bind(now.to_string())
        .bind(decision_id.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

/// Records the commissioner's approval and the day it is published.
pub async fn approve(
    conn: &mut Conn,
    decision_id: &str,
    on_day: &str,
    by: &str,
    publish_on: &str,
    deferral_reason: &str,
    now: &str,
) -> Result<()> {
    sqlx::query(
        "UPDATE decisions SET stage = 'approved', approved_on = $1, approved_by = $2,
            publish_on = $3, deferral_reason = $4, updated_at = $5 WHERE id = $6",
    )
    .bind(on_day.to_string())
    .bind(by.to_string())
    .bind(publish_on.to_string())
    .bind(deferral_reason.to_string())
    .bind(now.to_string())
    .bind(decision_id.to_string())
    .execute(conn)
    .await?;
    Ok(())
}

/// The order of a list of decisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DecisionSort {
    /// By number (which offices give in date order).
    #[default]
    Number,
    /// By the day it was published (the register), or received.
    Day,
    Title,
}

impl DecisionSort {
    fn key(self, published: bool) -> &'static str {
        match (self, published) {
            (DecisionSort::Number, _) => "d.number",
            (DecisionSort::Day, true) => "COALESCE(d.publish_on, '')",
            (DecisionSort::Day, false) => "d.received_on",
            (DecisionSort::Title, _) => "d.title",
        }
    }
}

/// What a list of decisions is narrowed to.
#[derive(Debug, Clone, Default)]
pub struct DecisionFilter {
    /// The offices whose decisions may be listed, unless every office's
    /// may (the public register).
    pub offices: Vec<String>,
    pub every_office: bool,
    /// Only those published by this day (the public register).
    pub published_by: Option<String>,
    /// Only those approved (or, unpublished, received) from and to these
    /// days: a financial year.
    pub from: Option<String>,
    pub to: Option<String>,
    /// Words in the number or title, case aside.
    pub words: String,
    /// A recipient of one of its amounts, case aside.
    pub recipient: String,
    /// The provider (organisation id) of the contract it affects.
    pub provider: String,
    /// An objective served by the contract it affects.
    pub objective: String,
}

/// A page of decisions.
pub async fn page_of_decisions(
    conn: &mut Conn,
    filter: &DecisionFilter,
    sort: DecisionSort,
    descending: bool,
    start: &Start,
    size: i64,
) -> Result<Page<Decision>> {
    let filter = filter.clone();
    let published = filter.published_by.is_some();
    let conditions = move |sql: &mut Sql| {
        if filter.every_office {
            sql.push("1 = 1");
        } else {
            sql.push("d.office_id IN (");
            for (i, office) in filter.offices.iter().enumerate() {
                if i > 0 {
                    sql.push(", ");
                }
                sql.text(office.clone());
            }
            if filter.offices.is_empty() {
                sql.push("NULL");
            }
            sql.push(")");
        }
        let day = if published {
            "d.approved_on"
        } else {
            "d.received_on"
        };
        if let Some(by) = &filter.published_by {
            sql.push(" AND d.stage = 'approved' AND d.publish_on <= ")
                .text(by.clone());
        }
        if let Some(from) = &filter.from {
            sql.push(&format!(" AND {day} >= ")).text(from.clone());
        }
        if let Some(to) = &filter.to {
            sql.push(&format!(" AND {day} <= ")).text(to.clone());
        }
        let words = filter.words.trim().to_lowercase();
        if !words.is_empty() {
            let like = format!("%{}%", escape_like(&words));
            sql.push(" AND (LOWER(d.title) LIKE ")
                .text(like.clone())
                .push(" ESCAPE '\\' OR LOWER(d.number) LIKE ")
                .text(like)
                .push(" ESCAPE '\\')");
        }
        let recipient = filter.recipient.trim().to_lowercase();
        if !recipient.is_empty() {
            sql.push(
                " AND EXISTS (SELECT 1 FROM decision_amounts a WHERE a.decision_id = d.id AND LOWER(a.recipient) = ",
            )
            .text(recipient)
            .push(")");
        }
        let provider = filter.provider.trim();
        if !provider.is_empty() {
            sql.push(" AND EXISTS (SELECT 1 FROM contracts c WHERE c.id = d.contract_id AND c.provider_id = ")
                .text(provider.to_string())
                .push(")");
        }
        let objective = filter.objective.trim();
        if !objective.is_empty() {
            sql.push(" AND EXISTS (SELECT 1 FROM contract_objectives o WHERE o.contract_id = d.contract_id AND o.objective_id = ")
                .text(objective.to_string())
                .push(")");
        }
    };
    let order = Order {
        key: sort.key(published),
        descending,
    };
    page(conn, &DECISIONS, &conditions, order, start, size).await
}

/// The recipients named in an office's published decisions, for the
/// register's filter.
pub async fn published_recipients(conn: &mut Conn, today: &str) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT DISTINCT a.recipient FROM decision_amounts a
         JOIN decisions d ON d.id = a.decision_id
         WHERE d.stage = 'approved' AND d.publish_on <= $1 ORDER BY a.recipient",
    )
    .bind(today.to_string())
    .fetch_all(conn)
    .await?)
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq, Default)]
pub struct Contract {
    pub id: String,
    pub office_id: String,
    pub reference: String,
    pub title: String,
    pub kind: String,
    pub provider_id: String,
    pub provider_name: String,
    pub starts_on: String,
    pub ends_on: String,
    pub extension_until: Option<String>,
    pub annual_pence: i64,
    pub paid_pence: i64,
    pub created_at: String,
    pub updated_at: String,
}

/// A contract's parts, as stored beside it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContractParts {
    pub service_ids: Vec<String>,
    /// (source id, basis points)
    pub funding: Vec<(String, i64)>,
    /// (name, basis points, lead)
    pub partners: Vec<(String, i64, bool)>,
    /// (due day, pence)
    pub schedule: Vec<(String, i64)>,
    /// (measure code, target)
    pub kpis: Vec<(String, i64)>,
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq, Default)]
pub struct Payment {
    pub id: String,
    pub contract_id: String,
    pub paid_on: String,
    pub amount_pence: i64,
    pub note: String,
    pub recorded_by_name: String,
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq, Default)]
pub struct Narrative {
    pub quarter_from: String,
    pub narrative: String,
    pub written_by_name: String,
    pub written_at: String,
}

const CONTRACT_FIELDS: &str = "c.id, c.office_id, c.reference, c.title, c.kind,
    c.provider_id, o.name AS provider_name, c.starts_on, c.ends_on, c.extension_until,
    c.annual_pence,
    CAST(COALESCE((SELECT SUM(p.amount_pence) FROM contract_payments p
        WHERE p.contract_id = c.id), 0) AS BIGINT) AS paid_pence,
    c.created_at, c.updated_at";

const CONTRACT_FROM: &str = "FROM contracts c JOIN organisations o ON o.id = c.provider_id WHERE ";

const CONTRACTS: Listing = Listing {
    columns: CONTRACT_FIELDS,
    from: CONTRACT_FROM,
    count_from: "FROM contracts c WHERE ",
    id: "c.id",
};

/// The order of a list of contracts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ContractSort {
    #[default]
    Reference,
    /// By the provider's name (the key looks it up, so the count need not
    /// join the providers).
    Provider,
    /// By the day the period ends.
    Ends,
}

impl ContractSort {
    fn key(self) -> &'static str {
        match self {
            ContractSort::Reference => "c.reference",
            ContractSort::Provider => {
                "(SELECT COALESCE(MIN(p.name), '') FROM organisations p WHERE p.id = c.provider_id)"
            }
            ContractSort::Ends => "c.ends_on",
        }
    }
}

/// What a list of contracts is narrowed to; every office's when no office
/// or provider is named (the public register).
#[derive(Debug, Clone, Default)]
pub struct ContractFilter {
    pub office: Option<String>,
    pub provider: Option<String>,
    /// An objective (id) the contract serves.
    pub objective: Option<String>,
}

/// A page of contracts.
pub async fn page_of_contracts(
    conn: &mut Conn,
    filter: &ContractFilter,
    sort: ContractSort,
    descending: bool,
    start: &Start,
    size: i64,
) -> Result<Page<Contract>> {
    let filter = filter.clone();
    let conditions = move |sql: &mut Sql| {
        sql.push("1 = 1");
        if let Some(office) = &filter.office {
            sql.push(" AND c.office_id = ").text(office.clone());
        }
        if let Some(provider) = &filter.provider {
            sql.push(" AND c.provider_id = ").text(provider.clone());
        }
        if let Some(objective) = &filter.objective {
            sql.push(" AND EXISTS (SELECT 1 FROM contract_objectives x WHERE x.contract_id = c.id AND x.objective_id = ")
                .text(objective.clone())
                .push(")");
        }
    };
    let order = Order {
        key: sort.key(),
        descending,
    };
    page(conn, &CONTRACTS, &conditions, order, start, size).await
}

pub async fn insert_contract(conn: &mut Conn, c: &Contract, parts: &ContractParts) -> Result<()> {
    sqlx::query(
        "INSERT INTO contracts (id, office_id, reference, title, kind, provider_id, starts_on,
            ends_on, extension_until, annual_pence, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(c.id.clone())
    .bind(c.office_id.clone())
    .bind(c.reference.clone())
    .bind(c.title.clone())
    .bind(c.kind.clone())
    .bind(c.provider_id.clone())
    .bind(c.starts_on.clone())
    .bind(c.ends_on.clone())
    .bind(c.extension_until.clone())
    .bind(c.annual_pence)
    .bind(c.created_at.clone())
    .bind(c.updated_at.clone())
    .execute(&mut *conn)
    .await?;
    insert_parts(conn, &c.id, parts).await
}

/// Corrects a contract's terms, its parts put in place of those before.
pub async fn update_contract(conn: &mut Conn, c: &Contract, parts: &ContractParts) -> Result<()> {
    sqlx::query(
        "UPDATE contracts SET reference = $1, title = $2, kind = $3, starts_on = $4,
            ends_on = $5, extension_until = $6, annual_pence = $7, updated_at = $8 WHERE id = $9",
    )
    .bind(c.reference.clone())
    .bind(c.title.clone())
    .bind(c.kind.clone())
    .bind(c.starts_on.clone())
    .bind(c.ends_on.clone())
    .bind(c.extension_until.clone())
    .bind(c.annual_pence)
    .bind(c.updated_at.clone())
    .bind(c.id.clone())
    .execute(&mut *conn)
    .await?;
    for delete in [
        "DELETE FROM contract_services WHERE contract_id = $1",
        "DELETE FROM contract_funding WHERE contract_id = $1",
        "DELETE FROM contract_partners WHERE contract_id = $1",
        "DELETE FROM contract_schedule WHERE contract_id = $1",
        "DELETE FROM contract_kpis WHERE contract_id = $1",
    ] {
        sqlx::query(delete)
            .bind(c.id.clone())
            .execute(&mut *conn)
            .await?;
    }
    insert_parts(conn, &c.id, parts).await
}

async fn insert_parts(conn: &mut Conn, id: &str, parts: &ContractParts) -> Result<()> {
    for service in &parts.service_ids {
        sqlx::query("INSERT INTO contract_services (contract_id, service_id) VALUES ($1, $2)")
            .bind(id.to_string())
            .bind(service.clone())
            .execute(&mut *conn)
            .await?;
    }
    for (i, (source, share)) in parts.funding.iter().enumerate() {
        sqlx::query(
            "INSERT INTO contract_funding (contract_id, position, source_id, share_bp)
             VALUES ($1, $2, $3, $4)",
        )
        .bind(id.to_string())
        .bind(i as i64)
        .bind(source.clone())
        .bind(*share)
        .execute(&mut *conn)
        .await?;
    }
    for (i, (name, share, lead)) in parts.partners.iter().enumerate() {
        sqlx::query(
            "INSERT INTO contract_partners (contract_id, position, name, share_bp, lead)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id.to_string())
        .bind(i as i64)
        .bind(name.clone())
        .bind(*share)
        .bind(crate::flag(*lead))
        .execute(&mut *conn)
        .await?;
    }
    for (i, (due, amount)) in parts.schedule.iter().enumerate() {
        sqlx::query(
            "INSERT INTO contract_schedule (contract_id, position, due_on, amount_pence)
             VALUES ($1, $2, $3, $4)",
        )
        .bind(id.to_string())
        .bind(i as i64)
        .bind(due.clone())
        .bind(*amount)
        .execute(&mut *conn)
        .await?;
    }
    for (i, (measure, target)) in parts.kpis.iter().enumerate() {
        sqlx::query(
            "INSERT INTO contract_kpis (contract_id, position, measure, target)
             VALUES ($1, $2, $3, $4)",
        )
        .bind(id.to_string())
        .bind(i as i64)
        .bind(measure.clone())
        .bind(*target)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

pub async fn find_contract(conn: &mut Conn, id: &str) -> Result<Option<Contract>> {
    let mut sql = Sql::new(&format!("SELECT {CONTRACT_FIELDS} {CONTRACT_FROM}c.id = "));
    sql.text(id);
    Ok(sql.query_as().fetch_optional(conn).await?)
}

/// An office's contracts, or a provider's, by reference.
pub async fn contracts_of(
    conn: &mut Conn,
    office_id: Option<&str>,
    provider_id: Option<&str>,
) -> Result<Vec<Contract>> {
    let mut sql = Sql::new(&format!("SELECT {CONTRACT_FIELDS} {CONTRACT_FROM}1 = 1"));
    if let Some(office) = office_id {
        sql.push(" AND c.office_id = ").text(office);
    }
    if let Some(provider) = provider_id {
        sql.push(" AND c.provider_id = ").text(provider);
    }
    sql.push(" ORDER BY c.reference");
    Ok(sql.query_as().fetch_all(conn).await?)
}

pub async fn contract_parts(conn: &mut Conn, id: &str) -> Result<ContractParts> {
    let service_ids = sqlx::query_scalar(
        "SELECT service_id FROM contract_services WHERE contract_id = $1 ORDER BY service_id",
    )
    .bind(id.to_string())
    .fetch_all(&mut *conn)
    .await?;
    let funding = sqlx::query_as(
        "SELECT source_id, CAST(share_bp AS BIGINT) FROM contract_funding WHERE contract_id = $1 ORDER BY position",
    )
    .bind(id.to_string())
    .fetch_all(&mut *conn)
    .await?;
    let partners: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT name, CAST(share_bp AS BIGINT), CAST(lead AS BIGINT) FROM contract_partners WHERE contract_id = $1 ORDER BY position",
    )
    .bind(id.to_string())
    .fetch_all(&mut *conn)
    .await?;
    let schedule = sqlx::query_as(
        "SELECT due_on, amount_pence FROM contract_schedule WHERE contract_id = $1 ORDER BY position",
    )
    .bind(id.to_string())
    .fetch_all(&mut *conn)
    .await?;
    let kpis = sqlx::query_as(
        "SELECT measure, target FROM contract_kpis WHERE contract_id = $1 ORDER BY position",
    )
    .bind(id.to_string())
    .fetch_all(&mut *conn)
    .await?;
    Ok(ContractParts {
        service_ids,
        funding,
        partners: partners
            .into_iter()
            .map(|(n, s, l)| (n, s, l != 0))
            .collect(),
        schedule,
        kpis,
    })
}

pub async fn insert_payment(conn: &mut Conn, p: &Payment, by: &str, now: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO contract_payments (id, contract_id, paid_on, amount_pence, note, recorded_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(p.id.clone())
    .bind(p.contract_id.clone())
    .bind(p.paid_on.clone())
    .bind(p.amount_pence)
    .bind(p.note.clone())
    .bind(by.to_string())
    .bind(now.to_string())
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn payments(conn: &mut Conn, contract_id: &str) -> Result<Vec<Payment>> {
    Ok(sqlx::query_as(
        "SELECT p.id, p.contract_id, p.paid_on, p.amount_pence, p.note, u.display_name AS recorded_by_name
         FROM contract_payments p JOIN users u ON u.id = p.recorded_by
         WHERE p.contract_id = $1 ORDER BY p.paid_on, p.created_at",
    )
    .bind(contract_id.to_string())
    .fetch_all(conn)
    .await?)
}

/// Payments of an office's contracts made in a financial year, with each
/// contract's funding shares, so the year's payments can be apportioned
/// to sources: (contract id, pence paid).
pub async fn paid_in(
    conn: &mut Conn,
    office_id: &str,
    year_from: &str,
    year_to: &str,
) -> Result<Vec<(String, i64)>> {
    Ok(sqlx::query_as(
        "SELECT p.contract_id, CAST(SUM(p.amount_pence) AS BIGINT)
         FROM contract_payments p JOIN contracts c ON c.id = p.contract_id
         WHERE c.office_id = $1 AND p.paid_on >= $2 AND p.paid_on <= $3
         GROUP BY p.contract_id ORDER BY p.contract_id",
    )
    .bind(office_id.to_string())
    .bind(year_from.to_string())
    .bind(year_to.to_string())
    .fetch_all(conn)
    .await?)
}

pub async fn narratives(conn: &mut Conn, contract_id: &str) -> Result<Vec<Narrative>> {
    Ok(sqlx::query_as(
        "SELECT n.quarter_from, n.narrative, u.display_name AS written_by_name, n.written_at
         FROM contract_narratives n JOIN users u ON u.id = n.written_by
         WHERE n.contract_id = $1 ORDER BY n.quarter_from DESC",
    )
    .bind(contract_id.to_string())
    .fetch_all(conn)
    .await?)
}

/// The narrative of a quarter, in place of any before; returns the text
/// it replaced.
pub async fn set_narrative(
    conn: &mut Conn,
    contract_id: &str,
    quarter_from: &str,
    text: &str,
    by: &str,
    now: &str,
) -> Result<Option<String>> {
    let before: Option<String> = sqlx::query_scalar(
        "SELECT narrative FROM contract_narratives WHERE contract_id = $1 AND quarter_from = $2",
    )
    .bind(contract_id.to_string())
    .bind(quarter_from.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM contract_narratives WHERE contract_id = $1 AND quarter_from = $2")
        .bind(contract_id.to_string())
        .bind(quarter_from.to_string())
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO contract_narratives (contract_id, quarter_from, narrative, written_by, written_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(contract_id.to_string())
    .bind(quarter_from.to_string())
    .bind(text.to_string())
    .bind(by.to_string())
    .bind(now.to_string())
    .execute(conn)
    .await?;
    Ok(before)
}

/// How a decision's amounts were split from one sum.
#[derive(Debug, Clone, FromRow, PartialEq, Eq, Default)]
pub struct Split {
    pub method: String,
    pub total_pence: i64,
    pub period_from: Option<String>,
    pub period_to: Option<String>,
    /// JSON: the parts' inputs.
    pub inputs: String,
}

/// Keeps a decision's split in place of any before, or removes it.
pub async fn set_split(conn: &mut Conn, decision_id: &str, split: Option<&Split>) -> Result<()> {
    sqlx::query("DELETE FROM decision_splits WHERE decision_id = $1")
        .bind(decision_id.to_string())
        .execute(&mut *conn)
        .await?;
    if let Some(s) = split {
        sqlx::query(
            "INSERT INTO decision_splits (decision_id, method, total_pence, period_from, period_to, inputs)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(decision_id.to_string())
        .bind(s.method.clone())
        .bind(s.total_pence)
        .bind(s.period_from.clone())
        .bind(s.period_to.clone())
        .bind(s.inputs.clone())
        .execute(conn)
        .await?;
    }
    Ok(())
}

pub async fn split_of(conn: &mut Conn, decision_id: &str) -> Result<Option<Split>> {
    Ok(sqlx::query_as(
        "SELECT method, total_pence, period_from, period_to, inputs FROM decision_splits WHERE decision_id = $1",
    )
    .bind(decision_id.to_string())
    .fetch_optional(conn)
    .await?)
}

/// Sets a contract's value a year, as an approved decision says.
pub async fn set_annual_value(
    conn: &mut Conn,
    contract_id: &str,
    pence: i64,
    now: &str,
) -> Result<()> {
    sqlx::query("UPDATE contracts SET annual_pence = $1, updated_at = $2 WHERE id = $3")
        .bind(pence)
        .bind(now.to_string())
        .bind(contract_id.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

/// A contract or programme a decision affects, with what names it.
#[derive(Debug, Clone, FromRow, PartialEq, Eq, Default)]
pub struct Affected {
    pub contract_id: Option<String>,
    pub programme_id: Option<String>,
    /// The contract's reference, or the programme's name.
    pub label: String,
}

/// Sets what a decision affects, replacing what it said: each a contract
/// or a programme, in order.
pub async fn set_affects(conn: &mut Conn, decision_id: &str, affects: &[Affected]) -> Result<()> {
    sqlx::query("DELETE FROM decision_affects WHERE decision_id = $1")
        .bind(decision_id.to_string())
        .execute(&mut *conn)
        .await?;
    for (position, a) in affects.iter().enumerate() {
        sqlx::query(
            "INSERT INTO decision_affects (decision_id, position, contract_id, programme_id)
             VALUES ($1, $2, $3, $4)",
        )
        .bind(decision_id.to_string())
        .bind(position as i64)
        .bind(a.contract_id.clone())
        .bind(a.programme_id.clone())
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// What a decision affects, in the order typed.
pub async fn affects(conn: &mut Conn, decision_id: &str) -> Result<Vec<Affected>> {
    Ok(sqlx::query_as(
        "SELECT a.contract_id, a.programme_id, COALESCE(c.reference, p.name, '') AS label
         FROM decision_affects a
         LEFT JOIN contracts c ON c.id = a.contract_id
         LEFT JOIN programmes p ON p.id = a.programme_id
         WHERE a.decision_id = $1 ORDER BY a.position",
    )
    .bind(decision_id.to_string())
    .fetch_all(conn)
    .await?)
}

/// The decisions published by `today` that say they affect a programme:
/// (id, number, title, total pence), by number.
pub async fn decisions_affecting_programme(
    conn: &mut Conn,
    programme_id: &str,
    today: &str,
) -> Result<Vec<(String, String, String, i64)>> {
    Ok(sqlx::query_as(
        "SELECT d.id, d.number, d.title,
            CAST(COALESCE((SELECT SUM(m.amount_pence) FROM decision_amounts m
                WHERE m.decision_id = d.id), 0) AS BIGINT)
         FROM decisions d
         WHERE d.stage = 'approved' AND d.publish_on <= $2
           AND EXISTS (SELECT 1 FROM decision_affects a
             WHERE a.decision_id = d.id AND a.programme_id = $1)
         ORDER BY d.number",
    )
    .bind(programme_id.to_string())
    .bind(today.to_string())
    .fetch_all(conn)
    .await?)
}

/// The approved decisions that name a contract: (id, number, total pence,
/// new value a year).
pub async fn decisions_for_contract(
    conn: &mut Conn,
    contract_id: &str,
) -> Result<Vec<(String, String, i64, Option<i64>)>> {
    Ok(sqlx::query_as(
        "SELECT d.id, d.number,
            CAST(COALESCE((SELECT SUM(a.amount_pence) FROM decision_amounts a
                WHERE a.decision_id = d.id), 0) AS BIGINT),
            d.contract_annual_pence
         FROM decisions d WHERE d.contract_id = $1 AND d.stage = 'approved' ORDER BY d.number",
    )
    .bind(contract_id.to_string())
    .fetch_all(conn)
    .await?)
}

/// What an office's decisions approved in a period commit to each
/// recipient: (recipient, pence), by recipient.
pub async fn committed_by_recipient(
    conn: &mut Conn,
    office_id: &str,
    from: &str,
    to: &str,
) -> Result<Vec<(String, i64)>> {
    Ok(sqlx::query_as(
        "SELECT a.recipient, CAST(SUM(a.amount_pence) AS BIGINT)
         FROM decision_amounts a JOIN decisions d ON d.id = a.decision_id
         WHERE d.office_id = $1 AND d.stage = 'approved' AND d.approved_on >= $2
           AND d.approved_on <= $3
         GROUP BY a.recipient ORDER BY a.recipient",
    )
    .bind(office_id.to_string())
    .bind(from.to_string())
    .bind(to.to_string())
    .fetch_all(conn)
    .await?)
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq, Default)]
pub struct Objective {
    pub id: String,
    pub office_id: String,
    pub code: String,
    pub title: String,
    pub created_at: String,
}

/// Corrects an objective's code and words.
pub async fn update_objective(conn: &mut Conn, o: &Objective) -> Result<()> {
    sqlx::query("UPDATE objectives SET code = $1, title = $2 WHERE id = $3")
        .bind(o.code.clone())
        .bind(o.title.clone())
        .bind(o.id.clone())
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn insert_objective(conn: &mut Conn, o: &Objective) -> Result<()> {
    sqlx::query(
        "INSERT INTO objectives (id, office_id, code, title, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(o.id.clone())
    .bind(o.office_id.clone())
    .bind(o.code.clone())
    .bind(o.title.clone())
    .bind(o.created_at.clone())
    .execute(conn)
    .await?;
    Ok(())
}

/// An office's objectives, or every office's, by code.
pub async fn objectives(conn: &mut Conn, office_id: Option<&str>) -> Result<Vec<Objective>> {
    let mut sql =
        Sql::new("SELECT id, office_id, code, title, created_at FROM objectives WHERE 1 = 1");
    if let Some(office) = office_id {
        sql.push(" AND office_id = ").text(office);
    }
    sql.push(" ORDER BY code");
    Ok(sql.query_as().fetch_all(conn).await?)
}

/// The objectives some contract serves, by code: the register's filter.
pub async fn served_objectives(conn: &mut Conn) -> Result<Vec<Objective>> {
    Ok(sqlx::query_as(
        "SELECT o.id, o.office_id, o.code, o.title, o.created_at FROM objectives o
         WHERE EXISTS (SELECT 1 FROM contract_objectives x WHERE x.objective_id = o.id)
         ORDER BY o.code, o.title, o.id",
    )
    .fetch_all(conn)
    .await?)
}

/// The providers some contract pays, (organisation id, name) by name.
pub async fn funded_providers(conn: &mut Conn) -> Result<Vec<(String, String)>> {
    Ok(sqlx::query_as(
        "SELECT o.id, o.name FROM organisations o
         WHERE EXISTS (SELECT 1 FROM contracts c WHERE c.provider_id = o.id)
         ORDER BY o.name, o.id",
    )
    .fetch_all(conn)
    .await?)
}

/// The objectives a contract serves, by id.
pub async fn contract_objectives(conn: &mut Conn, contract_id: &str) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT objective_id FROM contract_objectives WHERE contract_id = $1 ORDER BY objective_id",
    )
    .bind(contract_id.to_string())
    .fetch_all(conn)
    .await?)
}

/// Puts a contract's objectives in place of those before.
pub async fn set_contract_objectives(
    conn: &mut Conn,
    contract_id: &str,
    objective_ids: &[String],
) -> Result<()> {
    sqlx::query("DELETE FROM contract_objectives WHERE contract_id = $1")
        .bind(contract_id.to_string())
        .execute(&mut *conn)
        .await?;
    for id in objective_ids {
        sqlx::query("INSERT INTO contract_objectives (contract_id, objective_id) VALUES ($1, $2)")
            .bind(contract_id.to_string())
            .bind(id.clone())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq, Default)]
pub struct Pool {
    pub id: String,
    pub name: String,
    pub agreement: String,
    pub lead_office_id: String,
    pub lead_office_name: String,
    pub source_id: String,
    pub year_from: String,
    pub created_at: String,
}

const POOL_COLUMNS: &str = "SELECT p.id, p.name, p.agreement, p.lead_office_id,
    o.name AS lead_office_name, p.source_id, p.year_from, p.created_at
    FROM pools p JOIN organisations o ON o.id = p.lead_office_id";

pub async fn insert_pool(conn: &mut Conn, p: &Pool, contributions: &[(String, i64)]) -> Result<()> {
    sqlx::query(
        "INSERT INTO pools (id, name, agreement, lead_office_id, source_id, year_from, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(p.id.clone())
    .bind(p.name.clone())
    .bind(p.agreement.clone())
    .bind(p.lead_office_id.clone())
    .bind(p.source_id.clone())
    .bind(p.year_from.clone())
    .bind(p.created_at.clone())
    .execute(&mut *conn)
    .await?;
    insert_contributions(conn, &p.id, contributions).await
}

async fn insert_contributions(
    conn: &mut Conn,
    pool_id: &str,
    contributions: &[(String, i64)],
) -> Result<()> {
    for (office, pence) in contributions {
        sqlx::query(
            "INSERT INTO pool_contributions (pool_id, office_id, amount_pence) VALUES ($1, $2, $3)",
        )
        .bind(pool_id.to_string())
        .bind(office.clone())
        .bind(*pence)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Corrects a pool's name, agreement and contributions.
pub async fn update_pool(conn: &mut Conn, p: &Pool, contributions: &[(String, i64)]) -> Result<()> {
    sqlx::query("UPDATE pools SET name = $1, agreement = $2 WHERE id = $3")
        .bind(p.name.clone())
        .bind(p.agreement.clone())
        .bind(p.id.clone())
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM pool_contributions WHERE pool_id = $1")
        .bind(p.id.clone())
        .execute(&mut *conn)
        .await?;
    insert_contributions(conn, &p.id, contributions).await
}

/// The pools an office leads or contributes to, by name.
pub async fn pools_of(conn: &mut Conn, office_id: &str) -> Result<Vec<Pool>> {
    let mut sql = Sql::new(&format!("{POOL_COLUMNS} WHERE p.lead_office_id = "));
    sql.text(office_id)
        .push(" OR p.id IN (SELECT c.pool_id FROM pool_contributions c WHERE c.office_id = ")
        .text(office_id)
        .push(") ORDER BY p.name");
    Ok(sql.query_as().fetch_all(conn).await?)
}

pub async fn find_pool(conn: &mut Conn, id: &str) -> Result<Option<Pool>> {
    let mut sql = Sql::new(&format!("{POOL_COLUMNS} WHERE p.id = "));
    sql.text(id);
    Ok(sql.query_as().fetch_optional(conn).await?)
}

/// A pool's contributions: (office id, office name, pence), by office.
pub async fn contributions(conn: &mut Conn, pool_id: &str) -> Result<Vec<(String, String, i64)>> {
    Ok(sqlx::query_as(
        "SELECT c.office_id, o.name, c.amount_pence FROM pool_contributions c
         JOIN organisations o ON o.id = c.office_id WHERE c.pool_id = $1 ORDER BY o.name",
    )
    .bind(pool_id.to_string())
    .fetch_all(conn)
    .await?)
}

/// The approved decisions drawing on a source: (id, number, title, pence
/// from the source), by number.
pub async fn decisions_from_source(
    conn: &mut Conn,
    source_id: &str,
) -> Result<Vec<(String, String, String, i64)>> {
    Ok(sqlx::query_as(
        "SELECT d.id, d.number, d.title, CAST(SUM(a.amount_pence) AS BIGINT)
         FROM decision_amounts a JOIN decisions d ON d.id = a.decision_id
         WHERE a.source_id = $1 AND d.stage = 'approved'
         GROUP BY d.id, d.number, d.title ORDER BY d.number",
    )
    .bind(source_id.to_string())
    .fetch_all(conn)
    .await?)
}
