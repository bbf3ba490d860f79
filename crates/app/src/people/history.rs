//! A record's history of corrections (a person's, a referral's): each
//! correction, when, by whom, and what each field was and became. It is
//! read with the record (whose read is audited), so it needs no door of its
//! own.

use serde_json::Value;
use store::audit::Filter;

use crate::audit::AuditAction;
use crate::{App, Result};

/// One correction of a record's details.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    /// When (an instant, UTC).
    pub at: String,
    pub by: String,
    /// (field, what it was, what it became), as shown: empty for none.
    pub fields: Vec<(String, String, String)>,
}

/// The most corrections a person's page lists.
const SHOWN: i64 = 200;

impl App {
    /// The corrections of a record (recorded as `action`), newest first.
    /// The caller has already found the record within the actor's reach.
    pub(crate) async fn corrections(
        &self,
        action: AuditAction,
        record_id: &str,
    ) -> Result<Vec<Correction>> {
        let everything = domain::policy::Visibility {
            everything: true,
            ..Default::default()
        };
        let filter = Filter {
            action_prefix: Some(action.code().into()),
            record_id: Some(record_id.into()),
            ..Filter::default()
        };
        let mut conn = self.db.conn().await?;
        let events = store::audit::list(&mut conn, &everything, &filter, SHOWN).await?;
        Ok(events
            .into_iter()
            .map(|event| {
                let read = |json: &Option<String>| -> serde_json::Map<String, Value> {
                    json.as_deref()
                        .and_then(|j| serde_json::from_str(j).ok())
                        .unwrap_or_default()
                };
                let (was, now_is) = (
                    read(&event.record.before_json),
                    read(&event.record.after_json),
                );
                let shown = |v: Option<&Value>| match v {
                    Some(Value::String(s)) => s.clone(),
                    Some(Value::Null) | None => String::new(),
                    Some(other) => other.to_string(),
                };
                Correction {
                    at: event.record.occurred_at.clone(),
                    by: event.record.actor_label.clone(),
                    fields: was
                        .keys()
                        .map(|field| {
                            (
                                field.clone(),
                                shown(was.get(field)),
                                shown(now_is.get(field)),
                            )
                        })
                        .collect(),
                }
            })
            .collect())
    }
}
