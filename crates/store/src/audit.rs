//! The audit log: appended inside the same transaction as the change it
//! records, chained by hash, read by auditors, verified by `waymark audit verify`.

use domain::audit::{AuditEvent, BrokenLink, ChainVerifier, EventRecord, event_hash};
use domain::policy::Visibility;
use sqlx::Row;

use crate::sql::ScopeColumns;
use crate::{Conn, Result, Sql, Value};

/// What a use case says happened; the store adds sequence and hashes.
pub type NewEvent = EventRecord;

/// Events per insert statement (14 parameters each).
const EVENTS_PER_STATEMENT: usize = 100;

/// Appends events in order, each chained to the one before: one read and
/// one update of the head, and multi-row inserts. Call only inside a
/// writing transaction, which holds the head's lock.
pub async fn append_many(conn: &mut Conn, new: Vec<NewEvent>) -> Result<Vec<AuditEvent>> {
    if new.is_empty() {
        return Ok(Vec::new());
    }
    let head = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
        .fetch_one(&mut *conn)
        .await?;
    let mut seq: i64 = head.try_get(0)?;
    let mut prev_hash: String = head.try_get(1)?;
    let mut events = Vec::with_capacity(new.len());
    for new in new {
        seq += 1;
        let mut event = AuditEvent {
            seq,
            record: new,
            prev_hash: prev_hash.clone(),
            hash: String::new(),
        };
        event.hash = event_hash(&event, &prev_hash);
        prev_hash = event.hash.clone();
        events.push(event);
    }
    for chunk in events.chunks(EVENTS_PER_STATEMENT) {
        let mut sql = Sql::many(
            conn,
            &format!("INSERT INTO audit_events ({COLUMNS}) VALUES "),
        );
        for (i, e) in chunk.iter().enumerate() {
            sql.row(
                i == 0,
                &[
                    Value::Int(e.seq),
                    Value::Text(&e.record.id),
                    Value::Text(&e.record.occurred_at),
                    Value::MaybeText(e.record.actor_id.as_deref()),
                    Value::Text(&e.record.actor_label),
                    Value::Text(&e.record.action),
                    Value::Text(&e.record.record_type),
                    Value::MaybeText(e.record.record_id.as_deref()),
                    Value::MaybeText(e.record.organisation_id.as_deref()),
                    Value::MaybeText(e.record.service_id.as_deref()),
                    Value::MaybeText(e.record.before_json.as_deref()),
                    Value::MaybeText(e.record.after_json.as_deref()),
                    Value::Text(&e.prev_hash),
                    Value::Text(&e.hash),
                ],
            );
        }
        sql.query().execute(&mut *conn).await?;
    }
    sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
        .bind(seq)
        .bind(prev_hash)
        .execute(&mut *conn)
        .await?;
    Ok(events)
}

const COLUMNS: &str = "seq, id, occurred_at, actor_id, actor_label, action, record_type, record_id,
    organisation_id, service_id, before_json, after_json, prev_hash, hash";

fn from_row(row: &sqlx::any::AnyRow) -> Result<AuditEvent> {
    Ok(AuditEvent {
        seq: row.try_get(0)?,
        record: EventRecord {
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
        },
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

/// Appends the conditions of what the auditor may see and asked for.
fn matching(sql: &mut Sql, visibility: &Visibility, filter: &Filter) {
    sql.scope(
        visibility,
        &ScopeColumns {
            organisation: Some("organisation_id"),
            service: Some("service_id"),
            commissioner: None,
            ..ScopeColumns::NONE
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
}

/// The newest events first, within what the auditor may see.
pub async fn list(
    conn: &mut Conn,
    visibility: &Visibility,
    filter: &Filter,
    limit: i64,
) -> Result<Vec<AuditEvent>> {
    let mut sql = Sql::new(&format!("SELECT {COLUMNS} FROM audit_events WHERE "));
    matching(&mut sql, visibility, filter);
    sql.push(" ORDER BY seq DESC LIMIT ").int(limit);
    let rows = sql.query().fetch_all(&mut *conn).await?;
    rows.iter().map(from_row).collect()
}

/// How many events the auditor may see match the filter.
pub async fn count_matching(
    conn: &mut Conn,
    visibility: &Visibility,
    filter: &Filter,
) -> Result<i64> {
    let mut sql = Sql::new("SELECT CAST(COUNT(*) AS BIGINT) FROM audit_events WHERE ");
    matching(&mut sql, visibility, filter);
    let (count,): (i64,) = sql.query_as().fetch_one(conn).await?;
    Ok(count)
}

pub(crate) fn escape_like(text: &str) -> String {
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
