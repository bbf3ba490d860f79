//! Adding a member of staff with a first role.

use domain::policy::{self, Action, Actor, Grant, GrantScope, Place, Role};
use domain::validation::{FieldErrors, required_text};
use serde_json::json;
use store::users::{NewUser, User};

use crate::audit::AuditAction;
use crate::audit::Change;
use crate::auth::{hash_password, normalise_username};
use crate::directory::place_of_service;
use crate::secrets::new_id;
use crate::{App, AppError, Result};

use super::*;

impl App {
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
}
