//! Allocating cases to a caseworker of their service: one case from its
//! page, or many at once from a list.

use domain::cases::CaseEvent;
use domain::policy::{self, Action, Actor, Role};
use serde_json::json;
use store::cases::Case;
use store::directory::Service;
use store::users::User;

use crate::audit::AuditAction;
use crate::audit::Change;
use crate::cases::messages::CaseMessage;
use crate::secrets::new_id;
use crate::{App, AppError, Result, Write};

impl App {
    /// Allocates a case to a caseworker of its service.
    pub async fn allocate(&self, actor: &Actor, case_id: &str, user_id: &str) -> Result<()> {
        self.allocate_many(actor, &[case_id.to_string()], user_id)
            .await
    }

    /// Allocates several cases to one caseworker, all or none: a case that
    /// cannot be given to them (closed, another service's) refuses the lot.
    pub async fn allocate_many(
        &self,
        actor: &Actor,
        case_ids: &[String],
        user_id: &str,
    ) -> Result<()> {
        if case_ids.is_empty() {
            return Err(AppError::invalid(
                "case_ids",
                CaseMessage::ChooseCasesToAllocate,
            ));
        }
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        let mut changes = Vec::new();
        for case_id in case_ids {
            // Checked under the writer's lock: a case may have closed meanwhile.
            let (case, service) = tx.open_case(case_id, Action::AllocateCases).await?;
            let worker = holder_in(&mut tx, &service, user_id.trim())
                .await?
                .ok_or_else(|| {
                    AppError::invalid("caseworker_id", CaseMessage::ChooseCaseworkerService)
                })?;
            changes.push(assign(&mut tx, &case, &service, &worker, CaseEvent::Allocated).await?);
        }
        tx.commit_all(changes).await
    }

    /// A caseworker takes an unallocated case of their own service.
    pub async fn take_case(&self, actor: &Actor, case_id: &str) -> Result<()> {
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        let (case, service) = tx.open_case(case_id, Action::ManageCases).await?;
        if let Some(worker) = &case.caseworker_name {
            return Err(AppError::invalid(
                "case",
                CaseMessage::CaseAlreadyAllocated {
                    worker: worker.clone(),
                },
            ));
        }
        let Some(me) = holder_in(&mut tx, &service, &actor.id).await? else {
            return Err(AppError::invalid(
                "case",
                CaseMessage::OnlyCaseworkersOfServiceTake,
            ));
        };
        let change = assign(&mut tx, &case, &service, &me, CaseEvent::Taken).await?;
        tx.commit(change).await
    }

    /// Staff who can hold cases in the services where the actor allocates:
    /// those a list's cases may be given to.
    pub async fn case_holders(&self, actor: &Actor) -> Result<Vec<User>> {
        if !policy::may_somewhere(actor, Action::AllocateCases) {
            return Err(AppError::Forbidden);
        }
        let visibility = policy::visibility(actor, Action::AllocateCases);
        let mut conn = self.db.conn().await?;
        let staff = store::users::list(&mut conn, &visibility, None).await?;
        let mut holders = Vec::new();
        for user in staff {
            if user.disabled == 0
                && user.service_id.is_some()
                && holds_cases(&store::users::grants(&mut conn, &user.id).await?)
            {
                holders.push(user);
            }
        }
        Ok(holders)
    }

    /// Staff of a case's service who can hold cases.
    pub async fn allocatable(&self, case: &Case) -> Result<Vec<User>> {
        self.holders_in_service(&case.service_id).await
    }

    /// Staff of a service who can sign in and hold its cases.
    pub(crate) async fn holders_in_service(&self, service_id: &str) -> Result<Vec<User>> {
        let visibility = policy::Visibility {
            services: vec![service_id.to_string()],
            ..Default::default()
        };
        let mut conn = self.db.conn().await?;
        let staff = store::users::list(&mut conn, &visibility, None).await?;
        let mut holders = Vec::new();
        for user in staff {
            if user.disabled == 0
                && user.service_id.as_deref() == Some(service_id)
                && holds_cases(&store::users::grants(&mut conn, &user.id).await?)
            {
                holders.push(user);
            }
        }
        Ok(holders)
    }
}

/// Whether someone's roles let them hold cases.
fn holds_cases(grants: &[store::users::GrantRow]) -> bool {
    grants.iter().filter_map(|g| g.grant()).any(|g| {
        matches!(
            g.role,
            Role::Caseworker | Role::TeamLeader | Role::ServiceManager
        )
    })
}

/// The member of staff, if they work in the service, can sign in, and hold
/// cases; read in the transaction.
pub(crate) async fn holder_in(
    tx: &mut Write<'_>,
    service: &Service,
    user_id: &str,
) -> Result<Option<User>> {
    let Some(user) = store::users::find(tx.conn(), user_id).await? else {
        return Ok(None);
    };
    if user.disabled != 0 || user.service_id.as_deref() != Some(service.id.as_str()) {
        return Ok(None);
    }
    let grants = store::users::grants(tx.conn(), &user.id).await?;
    Ok(holds_cases(&grants).then_some(user))
}

/// Gives the case to the worker, in its history and in the audit log.
pub(crate) async fn assign(
    tx: &mut Write<'_>,
    case: &Case,
    service: &Service,
    worker: &User,
    event: CaseEvent,
) -> Result<Change> {
    store::cases::set_caseworker(tx.conn(), &case.id, &worker.id).await?;
    let actor_id = tx.actor_id().to_string();
    let now = tx.now().to_string();
    store::cases::add_status(
        tx.conn(),
        &new_id(),
        &case.id,
        event.code(),
        Some(&worker.display_name),
        &actor_id,
        &now,
    )
    .await?;
    Ok(Change::new(AuditAction::CaseAllocated, "case", &case.id)
        .place(Some(&service.organisation_id), Some(&service.id))
        .before(json!({ "caseworker_id": case.caseworker_id }))
        .after(json!({ "caseworker_id": worker.id, "how": event.code() })))
}
