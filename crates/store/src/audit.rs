//! The audit log: appended inside the same transaction as the change it
//! records, chained by hash, read by auditors, verified by `waymark audit verify`.

use domain::audit::{AuditEvent, BrokenLink, ChainVerifier, event_hash};
use domain::policy::Visibility;
use sqlx::Row;

use crate::sql::ScopeColumns;
use crate::{Conn, Result, Sql};

/// What a use case says happened; the store adds sequence and hashes.
#[derive(Debug, Clone, Default)]
pub struct NewEvent {
    pub id: String,
    pub occurred_at: String,
    pub actor_id: Option<String>,
    pub actor_label: String,
    pub action: String,
    pub record_type: String,
    pub record_id: Option<String>,
    pub organisation_id: Option<String>,
    pub service_id: Option<String>,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
}

/// Appends an event, chained to the head. Call only inside a writing
/// transaction ([`crate::Db::begin_write`]), which holds the head's lock.
pub async fn append(conn: &mut Conn, new: NewEvent) -> Result<AuditEvent> {
    let head = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
        .fetch_one(&mut *conn)
        .await?;
    let prev_seq: i64 = head.try_get(0)?;
    let prev_hash: String = head.try_get(1)?;
    let mut event = AuditEvent {
        seq: prev_seq + 1,
        id: new.id,
        occurred_at: new.occurred_at,
        actor_id: new.actor_id,
        actor_label: new.actor_label,
        action: new.action,
        record_type: new.record_type,
        record_id: new.record_id,
        organisation_id: new.organisation_id,
        service_id: new.service_id,
        before_json: new.before_json,
        after_json: new.after_json,
        prev_hash: prev_hash.clone(),
        hash: String::new(),
    };
    event.hash = event_hash(&event, &prev_hash);
    sqlx::query(
        "INSERT INTO audit_events (seq, id, occurred_at, actor_id, actor_label, action, record_type,
            record_id, organisation_id, service_id, before_json, after_json, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
    )
    .bind(event.seq)
    .bind(event.id.clone())
    .bind(event.occurred_at.clone())
    .bind(event.actor_id.clone())
    .bind(event.actor_label.clone())
    .bind(event.action.clone())
    .bind(event.record_type.clone())
    .bind(event.record_id.clone())
    .bind(event.organisation_id.clone())
    .bind(event.service_id.clone())
    .bind(event.before_json.clone())
    .bind(event.after_json.clone())
    .bind(event.prev_hash.clone())
    .bind(event.hash.clone())
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
        .bind(event.seq)
        .bind(event.hash.clone())
        .execute(&mut *conn)
        .await?;
    Ok(event)
}

const COLUMNS: &str = "seq, id, occurred_at, actor_id, actor_label, action, record_type, record_id,
    organisation_id, service_id, before_json, after_json, prev_hash, hash";

fn from_row(row: &sqlx::any::AnyRow) -> Result<AuditEvent> {
    Ok(AuditEvent {
        seq: row.try_get(0)?,
        id: row.try_get(1)?,
        occurred_at: row.try_get(2)?,
        actor_id: row.try_get(3)?,
        actor_label: row.try_get(4)?,
        action: row.try_get(5)?,
        record_type: row.try_get(6)?,
        record_id: row.try_get(7)?,
        organisation_id: row.try_get(8)?,
        service_id: row.try_get(9)?,
        before_json: row.try_get(10)?,
        after_json: row.try_get(11)?,
        prev_hash: row.try_get(12)?,
        hash: row.try_get(13)?,
    })
}

/// Filters an auditor can apply when browsing.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub action_prefix: Option<String>,
    pub actor_label: Option<String>,
    pub record_id: Option<String>,
    /// Only events with `seq` below this (for paging back in time).
    pub before_seq: Option<i64>,
}

/// The newest events first, within what the auditor may see.
pub async fn list(
    conn: &mut Conn,
    visibility: &Visibility,
    filter: &Filter,
    limit: i64,
) -> Result<Vec<AuditEvent>> {
    let mut sql = Sql::new(&format!("SELECT {COLUMNS} FROM audit_events WHERE "));
    sql.scope(
        visibility,
        &ScopeColumns {
            organisation: Some("organisation_id"),
            service: Some("service_id"),
            commissioner: None,
        },
    );
    if let Some(prefix) = &filter.action_prefix {
        sql.push(" AND action LIKE ")
            .text(format!("{}%", escape_like(prefix)))
            .push(" ESCAPE '\\'");
    }
    if let Some(actor) = &filter.actor_label {
        sql.push(" AND LOWER(actor_label) = ")
            .text(actor.to_lowercase());
    }
    if let Some(record) = &filter.record_id {
        sql.push(" AND record_id = ").text(record.clone());
    }
    if let Some(before) = filter.before_seq {
        sql.push(" AND seq < ").int(before);
    }
    sql.push(" ORDER BY seq DESC LIMIT ").int(limit);
    let rows = sql.query().fetch_all(&mut *conn).await?;
    rows.iter().map(from_row).collect()
}

fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// Checks the whole chain, reading it in pages so a long log needs little memory.
pub async fn verify(conn: &mut Conn) -> Result<Result<u64, BrokenLink>> {
    let head = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
        .fetch_one(&mut *conn)
        .await?;
    let head_seq: i64 = head.try_get(0)?;
    let head_hash: String = head.try_get(1)?;
    let mut verifier = ChainVerifier::default();
    let mut after = 0i64;
    loop {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT 5000"
        )))
        .bind(after)
        .fetch_all(&mut *conn)
        .await?;
        if rows.is_empty() {
            break;
        }
        for row in &rows {
            let event = from_row(row)?;
            after = event.seq;
            if let Err(broken) = verifier.push(&event) {
                return Ok(Err(broken));
            }
        }
    }
    Ok(verifier.finish((head_seq, &head_hash)))
}

/// How many events the log holds.
pub async fn count(conn: &mut Conn) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM audit_events")
            .fetch_one(&mut *conn)
            .await?,
    )
}
