//! Staff accounts: adding people, their roles, disabling and password resets.

use domain::policy::{self, Action, Actor, Grant, GrantScope, Place, Role};
use domain::validation::{FieldErrors, required_text};
use serde::Deserialize;
use serde_json::json;
use store::users::{GrantRow, NewUser, User};

use crate::audit::AuditAction;
use crate::audit::Change;
use crate::auth::{hash_password, normalise_username};
use crate::directory::place_of_service;
use crate::secrets::new_id;
use crate::{App, AppError, Result};

/// The one field list for a new member of staff: the form deserialises into
/// it and the API body is exactly it. An empty service or team is none.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct NewStaff {
    #[schema(required = true)]
    pub username: String,
    #[schema(required = true)]
    pub display_name: String,
    #[schema(required = true)]
    pub organisation_id: String,
    pub service_id: Option<String>,
    pub team_id: Option<String>,
    /// The first role, granted over the service if one is given, otherwise
    /// over the organisation.
    #[schema(required = true)]
    pub role: String,
    #[schema(required = true)]
    pub password: String,
}

/// A staff member with their grants, as an administrator sees them.
#[derive(Debug, Clone)]
pub struct StaffDetail {
    pub user: User,
    pub grants: Vec<GrantRow>,
}

pub fn place_of_user(user: &User) -> Place {
    Place {
        organisation_id: Some(user.organisation_id.clone()),
        service_id: user.service_id.clone(),
        commissioner_id: user.commissioner_id.clone(),
    }
}

fn blank_to_none(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

/// A plausible email address: something@something.something, no spaces.
impl App {
    /// Staff the actor may see.
    pub async fn staff(&self, actor: &Actor, search: Option<&str>) -> Result<Vec<User>> {
        if !policy::may_somewhere(actor, Action::ViewStaff) {
            return Err(AppError::Forbidden);
        }
        let visibility = policy::visibility(actor, Action::ViewStaff);
        let mut conn = self.db.conn().await?;
        Ok(store::users::list(&mut conn, &visibility, search).await?)
    }

    /// One staff member and their roles; the read is audited.
    pub async fn staff_member(&self, actor: &Actor, id: &str) -> Result<crate::Seen<StaffDetail>> {
        let visibility = policy::visibility(actor, Action::ViewStaff);
        let mut conn = self.db.conn().await?;
        let user = store::users::find_visible(&mut conn, id, &visibility)
            .await?
            .ok_or(AppError::NotFound)?;
        let grants = store::users::grants(&mut conn, id).await?;
        drop(conn);
        let read = Change::new(AuditAction::UserViewed, "user", &user.id)
            .place(Some(&user.organisation_id), user.service_id.as_deref());
        self.disclose(actor, read, StaffDetail { user, grants })
            .await
    }

    /// Adds a staff member with a first role.
    pub async fn create_staff(&self, actor: &Actor, input: &NewStaff) -> Result<User> {
        let mut errors = FieldErrors::new();
        let display_name = required_text(
            &mut errors,
            "display_name",
            &input.display_name,
            "the person's full name",
            120,
        );
        let username = normalise_username(&input.username);
        if username.is_empty() {
            errors.add("username", "Enter the person's work email address");
        } else if domain::values::Email::parse(&username).is_err() {
            errors.add(
                "username",
                "Enter an email address in the right format, like name@example.org",
            );
        }
        let role = Role::parse(input.role.trim());
        let organisation_id = input.organisation_id.trim().to_string();
        let service_id = blank_to_none(&input.service_id);
        let team_id = blank_to_none(&input.team_id);

        let mut conn = self.db.conn().await?;
        let org = store::directory::find_organisation(&mut conn, &organisation_id).await?;
        if org.is_none() {
            errors.add("organisation_id", "Choose the person's organisation");
        }
        let everything = policy::Visibility {
            everything: true,
            ..Default::default()
        };
        let service = match &service_id {
            Some(id) => {
                let s = store::directory::find_service(&mut conn, id, &everything).await?;
                match &s {
                    None => errors.add("service_id", "Choose a service from the list"),
                    Some(s) if s.organisation_id != organisation_id => errors.add(
                        "service_id",
                        "Choose a service of the person's own organisation",
                    ),
                    _ => {}
                }
                s
            }
            None => None,
        };
        if let Some(team) = &team_id {
            match store::directory::find_team(&mut conn, team, &everything).await? {
                Some(t) if Some(&t.service_id) == service_id.as_ref() => {}
                _ => errors.add("team_id", "Choose a team of the person's service, or none"),
            }
        }
        if role.is_none() {
            errors.add("role", "Choose the person's role");
        }
        if matches!(
            role,
            Some(Role::Caseworker | Role::TeamLeader | Role::ServiceManager)
        ) && service_id.is_none()
        {
            errors.add(
                "service_id",
                "Choose the service this person works in: this role belongs to a service",
            );
        }
        drop(conn);

        // The permission check comes before the password is judged.
        let place = match &service {
            Some(s) => place_of_service(s),
            None => Place {
                organisation_id: Some(organisation_id.clone()),
                ..Place::default()
            },
        };
        if org.is_some() && !policy::may(actor, Action::ManageStaff, &place) {
            return Err(AppError::Forbidden);
        }
        let grant = role.map(|role| Grant {
            role,
            scope: match &service_id {
                Some(s) if !matches!(role, Role::Commissioner) => GrantScope::Service(s.clone()),
                _ => GrantScope::Organisation(organisation_id.clone()),
            },
        });
        if let Some(grant) = &grant
            && org.is_some()
            && !policy::may_assign(actor, grant, &place)
        {
            errors.add("role", "You cannot give this role: ask an administrator");
        }
        domain::password::check_new_password(
            &mut errors,
            "password",
            &input.password,
            &[&username, &display_name, "waymark"],
        );
        errors.into_result().map_err(AppError::Invalid)?;
        let grant = grant.ok_or_else(|| AppError::invalid("role", "Choose the person's role"))?;

        let hash = hash_password(&input.password)?;
        let now = self.clock.now_text();
        let id = new_id();
        let mut tx = self.write(actor, &now).await?;
        store::users::insert(
            tx.conn(),
            &NewUser {
                id: id.clone(),
                username: username.clone(),
                display_name: display_name.clone(),
                organisation_id: organisation_id.clone(),
                service_id: service_id.clone(),
                team_id: team_id.clone(),
                password_hash: hash,
                created_at: now.clone(),
            },
        )
        .await
        .map_err(|e| {
            if e.is_unique_violation() {
                AppError::invalid(
                    "username",
                    "Someone already has this email address as their username",
                )
            } else {
                AppError::Store(e)
            }
        })?;
        store::users::insert_grant(tx.conn(), &new_id(), &id, &grant, &now).await?;
        let change = Change::new(AuditAction::UserCreated, "user", &id)
            .place(Some(&organisation_id), service_id.as_deref())
            .after(json!({
                "username": username, "display_name": display_name,
                "organisation_id": organisation_id, "service_id": service_id, "team_id": team_id,
                "role": grant.role.code(),
            }));
        let user = store::users::find(tx.conn(), &id)
            .await?
            .ok_or(AppError::NotFound)?;
        tx.commit(change).await?;
        Ok(user)
    }

    /// Loads a staff member the actor may manage, or explains why not.
    async fn managed_user(&self, actor: &Actor, id: &str) -> Result<User> {
        let visibility = policy::visibility(actor, Action::ViewStaff);
        let mut conn = self.db.conn().await?;
        let user = store::users::find_visible(&mut conn, id, &visibility)
            .await?
            .ok_or(AppError::NotFound)?;
        if !policy::may(actor, Action::ManageStaff, &place_of_user(&user)) {
            return Err(AppError::Forbidden);
        }
        Ok(user)
    }

    /// Disables or re-enables an account; disabling ends its sessions.
    pub async fn set_staff_disabled(
        &self,
        actor: &Actor,
        id: &str,
        disabled: bool,
    ) -> Result<User> {
        let user = self.managed_user(actor, id).await?;
        if user.id == actor.id {
            return Err(AppError::invalid(
                "disabled",
                "You cannot disable your own account",
            ));
        }
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        store::users::set_disabled(tx.conn(), &user.id, disabled).await?;
        if disabled {
            store::sessions::delete_for_user(tx.conn(), &user.id).await?;
        }
        let change = Change::new(
            if disabled {
                AuditAction::UserDisabled
            } else {
                AuditAction::UserEnabled
            },
            "user",
            &user.id,
        )
        .place(Some(&user.organisation_id), user.service_id.as_deref())
        .before(json!({ "disabled": user.disabled != 0 }))
        .after(json!({ "disabled": disabled }));
        let updated = store::users::find(tx.conn(), &user.id)
            .await?
            .ok_or(AppError::NotFound)?;
        tx.commit(change).await?;
        Ok(updated)
    }

    /// Sets a new password chosen by an administrator or manager; the
    /// person's sessions end.
    pub async fn reset_staff_password(
        &self,
        actor: &Actor,
        id: &str,
        password: &str,
    ) -> Result<()> {
        let user = self.managed_user(actor, id).await?;
        let mut errors = FieldErrors::new();
        domain::password::check_new_password(
            &mut errors,
            "password",
            password,
            &[&user.username, &user.display_name, "waymark"],
        );
        errors.into_result().map_err(AppError::Invalid)?;
        let hash = hash_password(password)?;
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        store::users::set_password(tx.conn(), &user.id, &hash, &now).await?;
        store::sessions::delete_for_user(tx.conn(), &user.id).await?;
        let change = Change::new(AuditAction::UserPasswordReset, "user", &user.id)
            .place(Some(&user.organisation_id), user.service_id.as_deref());
        tx.commit(change).await?;
        Ok(())
    }

    /// Clears a person's second factor (a lost phone); they enrol again at
    /// next sign-in if their role requires it.
    pub async fn reset_staff_second_factor(&self, actor: &Actor, id: &str) -> Result<()> {
        let user = self.managed_user(actor, id).await?;
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        store::users::set_totp(tx.conn(), &user.id, None, None).await?;
        store::sessions::delete_for_user(tx.conn(), &user.id).await?;
        let change = Change::new(AuditAction::UserSecondFactorReset, "user", &user.id)
            .place(Some(&user.organisation_id), user.service_id.as_deref());
        tx.commit(change).await?;
        Ok(())
    }

    /// Gives a staff member a role over their service, their organisation or everywhere.
    pub async fn add_grant(
        &self,
        actor: &Actor,
        user_id: &str,
        role: &str,
        scope: &str,
    ) -> Result<GrantRow> {
        let user = self.managed_user(actor, user_id).await?;
        let Some(role) = Role::parse(role.trim()) else {
            return Err(AppError::invalid("role", "Choose a role"));
        };
        let (grant_scope, scope_place) = match scope.trim() {
            "service" => {
                let Some(service_id) = &user.service_id else {
                    return Err(AppError::invalid(
                        "scope",
                        "This person has no service: choose their organisation instead",
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
                    "Only administrators and auditors can hold a role everywhere",
                ));
            }
            _ => return Err(AppError::invalid("scope", "Choose where the role applies")),
        };
        let grant = Grant {
            role,
            scope: grant_scope,
        };
        if !policy::may_assign(actor, &grant, &scope_place) {
            return Err(AppError::invalid(
                "role",
                "You cannot give this role here: ask an administrator",
            ));
        }
        let mut conn = self.db.conn().await?;
        let existing = store::users::grants(&mut conn, &user.id).await?;
        drop(conn);
        if existing.iter().any(|g| g.grant().as_ref() == Some(&grant)) {
            return Err(AppError::invalid(
                "role",
                "This person already has this role here",
            ));
        }
        let now = self.clock.now_text();
        let id = new_id();
        let mut tx = self.write(actor, &now).await?;
        store::users::insert_grant(tx.conn(), &id, &user.id, &grant, &now).await?;
        let change = Change::new(AuditAction::GrantAdded, "user", &user.id)
            .place(Some(&user.organisation_id), user.service_id.as_deref())
            .after(json!({ "grant_id": id, "role": role.code(), "scope": scope.trim() }));
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
                "You cannot remove your own roles: ask another administrator",
            ));
        }
        let grant = row.grant().ok_or(AppError::NotFound)?;
        let scope_place = match &grant.scope {
            GrantScope::Everywhere => Place::default(),
            GrantScope::Organisation(o) => Place {
                organisation_id: Some(o.clone()),
                ..Place::default()
            },
            GrantScope::Service(_) => place_of_user(&user),
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

    /// Moves a staff member to another team of their service, or to none.
    pub async fn set_staff_team(
        &self,
        actor: &Actor,
        id: &str,
        team_id: Option<&str>,
    ) -> Result<User> {
        let user = self.managed_user(actor, id).await?;
        let team_id = team_id.map(str::trim).filter(|t| !t.is_empty());
        if let Some(team) = team_id {
            let everything = policy::Visibility {
                everything: true,
                ..Default::default()
            };
            let mut conn = self.db.conn().await?;
            match store::directory::find_team(&mut conn, team, &everything).await? {
                Some(t) if Some(&t.service_id) == user.service_id.as_ref() => {}
                _ => {
                    return Err(AppError::invalid(
                        "team_id",
                        "Choose a team of the person's service, or none",
                    ));
                }
            }
        }
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        store::users::set_team(tx.conn(), &user.id, team_id).await?;
        let change = Change::new(AuditAction::UserTeamChanged, "user", &user.id)
            .place(Some(&user.organisation_id), user.service_id.as_deref())
            .before(json!({ "team_id": user.team_id }))
            .after(json!({ "team_id": team_id }));
        let updated = store::users::find(tx.conn(), &user.id)
            .await?
            .ok_or(AppError::NotFound)?;
        tx.commit(change).await?;
        Ok(updated)
    }

    /// Looks a user up by username for the command line.
    pub async fn staff_by_username(&self, username: &str) -> Result<User> {
        let mut conn = self.db.conn().await?;
        store::users::find_by_username(&mut conn, &normalise_username(username))
            .await?
            .ok_or(AppError::NotFound)
    }
}
