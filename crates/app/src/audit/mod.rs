//! Recording audit events from use cases, and reading the log.

mod action;
mod batch;

pub use action::AuditAction;
pub(crate) use batch::ReadLog;

use domain::audit::{AuditEvent, BrokenLink};
use domain::policy::{self, Action, Actor};
use serde_json::Value;
use store::Conn;
use store::audit::{Filter, NewEvent};

use crate::secrets::new_id;
use crate::{App, AppError, Result};

/// What happened, to which record, where it belongs, before and after.
#[derive(Debug, Clone)]
pub struct Change {
    pub action: AuditAction,
    pub record_type: &'static str,
    pub record_id: Option<String>,
    pub organisation_id: Option<String>,
    pub service_id: Option<String>,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

impl Change {
    pub fn new(action: AuditAction, record_type: &'static str, record_id: &str) -> Self {
        Change {
            action,
            record_type,
            record_id: Some(record_id.to_string()),
            organisation_id: None,
            service_id: None,
            before: None,
            after: None,
        }
    }

    /// An event about a kind of record rather than one record (a search, an
    /// import).
    pub fn about(action: AuditAction, record_type: &'static str) -> Self {
        Change {
            record_id: None,
            ..Change::new(action, record_type, "")
        }
    }

    pub fn place(mut self, organisation_id: Option<&str>, service_id: Option<&str>) -> Self {
        self.organisation_id = organisation_id.map(str::to_string);
        self.service_id = service_id.map(str::to_string);
        self
    }

    pub fn before(mut self, value: Value) -> Self {
        self.before = Some(value);
        self
    }

    pub fn after(mut self, value: Value) -> Self {
        self.after = Some(value);
        self
    }
}

/// Appends several events, in order, inside the caller's writing transaction.
pub(crate) async fn record_many(
    conn: &mut Conn,
    now: &str,
    actor: Option<&Actor>,
    label: &str,
    changes: Vec<Change>,
) -> Result<()> {
    let events = changes
        .into_iter()
        .map(|change| event(now, actor, label, change))
        .collect();
    store::audit::append_many(conn, events).await?;
    Ok(())
}

/// The event recording `change`, made by `actor` (or the system, as
/// `label`) at `now`.
pub(crate) fn event(now: &str, actor: Option<&Actor>, label: &str, change: Change) -> NewEvent {
    NewEvent {
        id: new_id(),
        occurred_at: now.to_string(),
        actor_id: actor.map(|a| a.id.clone()),
        actor_label: label.to_string(),
        action: change.action.code().to_string(),
        record_type: change.record_type.to_string(),
        record_id: change.record_id,
        organisation_id: change.organisation_id,
        service_id: change.service_id,
        before_json: change.before.map(|v| v.to_string()),
        after_json: change.after.map(|v| v.to_string()),
    }
}

impl App {
    /// The log, newest first, within what this auditor may see.
    pub async fn audit_events(
        &self,
        actor: &Actor,
        filter: &Filter,
        limit: i64,
    ) -> Result<Vec<AuditEvent>> {
        if !policy::may_somewhere(actor, Action::ViewAudit) {
            return Err(AppError::Forbidden);
        }
        let visibility = policy::visibility(actor, Action::ViewAudit);
        let mut conn = self.db.conn().await?;
        Ok(store::audit::list(&mut conn, &visibility, filter, limit.clamp(1, 500)).await?)
    }

    /// How many events the actor may see match the filter.
    pub async fn audit_count(&self, actor: &Actor, filter: &Filter) -> Result<i64> {
        if !policy::may_somewhere(actor, Action::ViewAudit) {
            return Err(AppError::Forbidden);
        }
        let visibility = policy::visibility(actor, Action::ViewAudit);
        let mut conn = self.db.conn().await?;
        Ok(store::audit::count_matching(&mut conn, &visibility, filter).await?)
    }

    /// Verifies the whole chain: the count of events checked, or the first broken link.
    /// How many batches of reads this `App` has committed (see `ReadLog`).
    pub fn read_batches(&self) -> u64 {
        self.reads.batches()
    }

    pub async fn verify_audit(&self) -> Result<Result<u64, BrokenLink>> {
        let mut conn = self.db.conn().await?;
        Ok(store::audit::verify(&mut conn).await?)
    }
}

/// The fields of a correction that changed, from a record's fields before
/// and after (JSON objects by field name): what each was, and what it
/// became. Both are empty when nothing changed.
pub(crate) fn changed_fields(
    before: Value,
    after: Value,
) -> (
    serde_json::Map<String, Value>,
    serde_json::Map<String, Value>,
) {
    let (Value::Object(before), Value::Object(after)) = (before, after) else {
        return Default::default();
    };
    let mut was = serde_json::Map::new();
    let mut now_is = serde_json::Map::new();
    for (field, old) in before {
        let new = after.get(&field).cloned().unwrap_or(Value::Null);
        if old != new {
            was.insert(field.clone(), old);
            now_is.insert(field, new);
        }
    }
    (was, now_is)
}
