//! Giving and taking away roles.

use domain::policy::{self, Actor, Grant, GrantScope, Place, Role};
use serde_json::json;
use store::users::GrantRow;

use crate::audit::AuditAction;
use crate::audit::Change;
use crate::secrets::new_id;
use crate::{App, AppError, Result};

use super::*;
use crate::staff::messages::StaffMessage;

fn marac_place(marac_id: &str) -> Place {
    Place {
        marac_id: Some(marac_id.to_string()),
        ..Place::default()
    }
}

impl App {
    /// Gives a staff member a role over their service, their organisation or everywhere.
    pub async fn add_grant(
        &self,
        actor: &Actor,
        user_id: &str,
        role: &str,
        scope: &str,
    ) -> Result<GrantRow> {
        let user = self.managed_user(actor, user_id).await?;
        let Some(role) = Role::parse(role.trim()).filter(|r| !r.tokens_only()) else {
            return Err(AppError::invalid("role", StaffMessage::ChooseRole));
        };
        let scope = scope.trim();
        let marac = scope.strip_prefix("marac:");
        if role.is_marac() != marac.is_some() {
            return Err(AppError::invalid(
                "scope",
                StaffMessage::MaracRolesOverAMarac,
            ));
        }
        let (grant_scope, scope_place) = match scope {
            _ if marac.is_some() => {
                let id = marac.unwrap_or_default().to_string();
                let mut conn = self.db.conn().await?;
                if !store::marac::maracs(&mut conn)
                    .await?
                    .iter()
                    .any(|m| m.id == id)
                {
                    return Err(AppError::invalid(
                        "scope",
                        StaffMessage::ChooseWhereRoleApplies,
                    ));
                }
                (GrantScope::Marac(id.clone()), marac_place(&id))
            }
            "service" => {
                let Some(service_id) = &user.service_id else {
                    return Err(AppError::invalid(
                        "scope",
                        StaffMessage::PersonHasNoServiceChoose,
                    ));
                };
                (
                    GrantScope::Service(service_id.clone()),
                    place_of_user(&user),
                )
            }
            "organisation" => (
                GrantScope::Organisation(user.organisation_id.clone()),
                Place {
                    organisation_id: Some(user.organisation_id.clone()),
                    ..Place::default()
                },
            ),
            "everywhere" if matches!(role, Role::Administrator | Role::Auditor) => {
                (GrantScope::Everywhere, Place::default())
            }
            "everywhere" => {
                return Err(AppError::invalid(
                    "scope",
                    StaffMessage::OnlyAdministratorsAuditorsCanHold,
                ));
            }
            _ => {
                return Err(AppError::invalid(
                    "scope",
                    StaffMessage::ChooseWhereRoleApplies,
                ));
            }
        };
        let grant = Grant {
            role,
            scope: grant_scope,
        };
        if !policy::may_assign(actor, &grant, &scope_place) {
            return Err(AppError::invalid(
                "role",
                StaffMessage::CannotGiveRoleHereAsk,
            ));
        }
        let now = self.clock.now_text();
        let id = new_id();
        let mut tx = self.write(actor, &now).await?;
        // Read under the writer's lock, so two grants at once cannot both pass.
        let existing = store::users::grants(tx.conn(), &user.id).await?;
        if existing.iter().any(|g| g.grant().as_ref() == Some(&grant)) {
            return Err(AppError::invalid(
                "role",
                StaffMessage::PersonAlreadyHasRoleHere,
            ));
        }
        let held: Vec<Role> = existing
            .iter()
            .filter_map(|g| g.grant())
            .map(|g| g.role)
            .collect();
        if policy::kept_apart(&held, role) {
            return Err(AppError::invalid("role", StaffMessage::RolesKeptApart));
        }
        store::users::insert_grant(tx.conn(), &id, &user.id, &grant, &now).await?;
        let change = Change::new(AuditAction::GrantAdded, "user", &user.id)
            .place(Some(&user.organisation_id), user.service_id.as_deref())
            .after(json!({ "grant_id": id, "role": role.code(), "scope": scope }));
        let row = store::users::find_grant(tx.conn(), &id)
            .await?
            .ok_or(AppError::NotFound)?;
        tx.commit(change).await?;
        Ok(row)
    }

    /// Takes a role away. Nobody removes their own roles, so an
    /// administrator cannot lock everyone out by accident.
    pub async fn remove_grant(&self, actor: &Actor, user_id: &str, grant_id: &str) -> Result<()> {
        let user = self.managed_user(actor, user_id).await?;
        let mut conn = self.db.conn().await?;
        let row = store::users::find_grant(&mut conn, grant_id)
            .await?
            .ok_or(AppError::NotFound)?;
        drop(conn);
        if row.user_id != user.id {
            return Err(AppError::NotFound);
        }
        if user.id == actor.id {
            return Err(AppError::invalid(
                "grant",
                StaffMessage::CannotRemoveOwnRolesAsk,
            ));
        }
        let grant = row.grant().ok_or(AppError::NotFound)?;
        let scope_place = match &grant.scope {
            GrantScope::Everywhere => Place::default(),
            GrantScope::Organisation(o) => Place {
                organisation_id: Some(o.clone()),
                ..Place::default()
            },
            GrantScope::Service(_) | GrantScope::Team(_) | GrantScope::OwnCaseload(_) => {
                place_of_user(&user)
            }
            GrantScope::Region(r) => Place {
                region_id: Some(r.clone()),
                ..Place::default()
            },
            GrantScope::Marac(m) => marac_place(m),
        };
        if !policy::may_assign(actor, &grant, &scope_place) {
            return Err(AppError::Forbidden);
        }
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        store::users::delete_grant(tx.conn(), &row.id).await?;
        let change = Change::new(AuditAction::GrantRemoved, "user", &user.id)
            .place(Some(&user.organisation_id), user.service_id.as_deref())
            .before(json!({ "grant_id": row.id, "role": row.role,
                    "organisation_id": row.organisation_id, "service_id": row.service_id }));
        tx.commit(change).await?;
        Ok(())
    }
}
