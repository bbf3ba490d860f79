//! Reopening a closed case: a service manager's decision, with its reason.

use domain::cases::{CaseEvent, CaseStatus};
use domain::policy::{self, Action, Actor};
use serde_json::json;

use crate::audit::AuditAction;
use crate::audit::Change;
use crate::cases::messages::CaseMessage;
use crate::directory::place_of_service;
use crate::secrets::new_id;
use crate::{App, AppError, Result};

/// The longest reason kept.
pub const REASON_LIMIT: usize = 2000;

impl App {
    /// Opens a closed case again. Its closure and the answers given at it no
    /// longer stand: the return counts the case when it next closes.
    pub async fn reopen_case(&self, actor: &Actor, case_id: &str, reason: &str) -> Result<()> {
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        let visibility = policy::visibility(actor, Action::ViewCases);
        let case = store::cases::find_visible(tx.conn(), case_id, &visibility)
            .await?
            .ok_or(AppError::NotFound)?;
        let service = tx.service(&case.service_id).await?;
        if !policy::may(actor, Action::ReopenCases, &place_of_service(&service)) {
            return Err(AppError::Forbidden);
        }
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(AppError::invalid(
                "reopen_reason",
                CaseMessage::EnterWhyReopening,
            ));
        }
        if reason.chars().count() > REASON_LIMIT {
            return Err(AppError::invalid(
                "reopen_reason",
                CaseMessage::ReasonTooLong {
                    limit: REASON_LIMIT,
                },
            ));
        }
        if case.status != CaseStatus::Closed.code() {
            return Err(AppError::invalid("case", CaseMessage::CaseIsOpenAlready));
        }
        let outcomes = store::cases::outcomes(tx.conn(), &case.id).await?;
        store::cases::reopen(tx.conn(), &case.id, &case.person_id).await?;
        store::cases::add_status(
            tx.conn(),
            &new_id(),
            &case.id,
            CaseEvent::Reopened.code(),
            Some(reason),
            &actor.id,
            &now,
        )
        .await?;
        let change = Change::new(AuditAction::CaseReopened, "case", &case.id)
            .place(Some(&service.organisation_id), Some(&service.id))
            .before(json!({
                "status": case.status, "closed_at": case.closed_at,
                "reason": case.closure_reason, "satisfaction": case.satisfaction,
                "outcomes": outcomes.iter().map(|o| (o.measure.clone(), o.result.clone())).collect::<Vec<_>>(),
            }))
            .after(json!({ "status": CaseStatus::Open.code(), "why": reason }));
        tx.commit(change).await
    }
}
