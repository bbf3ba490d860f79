//! The audit log for auditors: newest first, filterable, with the chain's state.

use app::store::audit::Filter;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use domain::audit::AuditEvent;
use serde::Deserialize;

use crate::AppState;
use crate::chrome::Chrome;
use crate::errors::{PageError, render};
use crate::extract::Signed;
use crate::routes::Routes;

pub fn routes() -> Routes {
    Routes::new().route("/audit", get(audit))
}

const PAGE: i64 = 100;

#[derive(Deserialize, Default)]
struct AuditQuery {
    #[serde(default)]
    action: String,
    #[serde(default)]
    actor: String,
    #[serde(default)]
    record: String,
    #[serde(default)]
    before: Option<i64>,
    /// Verifying reads the whole log, so it runs when asked for.
    #[serde(default)]
    verify: Option<String>,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    chrome: Chrome,
    events: Vec<AuditEvent>,
    filter_action: String,
    filter_actor: String,
    filter_record: String,
    older: Option<i64>,
    /// "1–100 of 4,210": where this page is among the events matching.
    summary: String,
    chain_ok: bool,
    chain_status: Option<String>,
}

fn non_empty(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

async fn audit(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Query(q): Query<AuditQuery>,
) -> Result<Response, PageError> {
    let filter = Filter {
        action_prefix: non_empty(&q.action),
        actor_label: non_empty(&q.actor),
        record_id: non_empty(&q.record),
        before_seq: q.before,
    };
    let events = state.app.audit_events(&ctx.actor, &filter, PAGE).await?;
    // The page's place: all that match, less those older than the page.
    let total = state
        .app
        .audit_count(
            &ctx.actor,
            &Filter {
                before_seq: None,
                ..filter.clone()
            },
        )
        .await?;
    let from_here = if filter.before_seq.is_some() {
        state.app.audit_count(&ctx.actor, &filter).await?
    } else {
        total
    };
    let first = total - from_here + 1;
    let summary = if events.is_empty() {
        "None".to_string()
    } else {
        format!("{first}–{} of {total}", first + events.len() as i64 - 1)
    };
    let (chain_ok, chain_status) = if q.verify.is_some() {
        match state.app.verify_audit().await? {
            Ok(n) => (
                true,
                Some(format!(
                    "The chain of {n} events is intact: no event has been altered, removed or reordered."
                )),
            ),
            Err(broken) => (
                false,
                Some(format!(
                    "The chain is broken at {broken}. Report this to your data protection officer."
                )),
            ),
        }
    } else {
        (false, None)
    };
    let older = if events.len() as i64 == PAGE {
        events.last().map(|e| e.seq)
    } else {
        None
    };
    Ok(render(&AuditPage {
        chrome: Chrome::signed(&ctx, "Audit log", "/audit"),
        events,
        filter_action: q.action,
        filter_actor: q.actor,
        filter_record: q.record,
        older,
        summary,
        chain_ok,
        chain_status,
    }))
}
