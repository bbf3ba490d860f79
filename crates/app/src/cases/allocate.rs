//! Allocating a case to a caseworker of its service.

use domain::policy::{self, Action, Actor, Role};
use serde_json::json;
use store::cases::Case;
use store::users::User;

use crate::audit::AuditAction;
use crate::audit::Change;
use crate::cases::messages::CaseMessage;
use crate::{App, AppError, Result};

impl App {
    /// Allocates a case to a caseworker of its service.
    pub async fn allocate(&self, actor: &Actor, case_id: &str, user_id: &str) -> Result<()> {
        let (case, _) = self
            .open_case_for(actor, case_id, Action::AllocateCases)
            .await?;
        let staff = self.allocatable(actor, &case).await?;
        let Some(worker) = staff.iter().find(|u| u.id == user_id.trim()) else {
            return Err(AppError::invalid(
                "caseworker_id",
                CaseMessage::ChooseCaseworkerService,
            ));
        };
        let mut conn = self.db.conn().await?;
        let grants = store::users::grants(&mut conn, &worker.id).await?;
        drop(conn);
        let holds_cases = grants.iter().filter_map(|g| g.grant()).any(|g| {
            matches!(
                g.role,
                Role::Caseworker | Role::TeamLeader | Role::ServiceManager
            )
        });
        if !holds_cases {
            return Err(AppError::invalid(
                "caseworker_id",
                CaseMessage::PersonsRoleDoesNotHold,
            ));
        }
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        // Checked again under the writer's lock: the case may have closed meanwhile.
        let (case, service) = tx.open_case(case_id, Action::AllocateCases).await?;
        store::cases::set_caseworker(tx.conn(), &case.id, &worker.id).await?;
        let change = Change::new(AuditAction::CaseAllocated, "case", &case.id)
            .place(Some(&service.organisation_id), Some(&service.id))
            .before(json!({ "caseworker_id": case.caseworker_id }))
            .after(json!({ "caseworker_id": worker.id }));
        tx.commit(change).await?;
        Ok(())
    }

    /// Staff of a case's service who can hold cases.
    pub async fn allocatable(&self, actor: &Actor, case: &Case) -> Result<Vec<User>> {
        let visibility = policy::Visibility {
            services: vec![case.service_id.clone()],
            ..Default::default()
        };
        let mut conn = self.db.conn().await?;
        let staff = store::users::list(&mut conn, &visibility, None).await?;
        let _ = actor;
        Ok(staff
            .into_iter()
            .filter(|u| {
                u.disabled == 0 && u.service_id.as_deref() == Some(case.service_id.as_str())
            })
            .collect())
    }
}
