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
use crate::staff::messages::StaffMessage;

/// The fields of a new staff member, each read once.
struct StaffFields {
    display_name: String,
    username: String,
    role: Option<Role>,
    organisation_id: String,
    service_id: Option<String>,
    team_id: Option<String>,
}

fn read_fields(errors: &mut FieldErrors, input: &NewStaff) -> StaffFields {
    let display_name = required_text(
        errors,
        "display_name",
        &input.display_name,
        "the person's full name",
        120,
    );
    let username = normalise_username(&input.username);
    if username.is_empty() {
        errors.add("username", StaffMessage::EnterPersonsWorkEmailAddress);
    } else if domain::values::Email::parse(&username).is_err() {
        errors.add("username", StaffMessage::EnterEmailAddressRightFormat);
    }
    let role = Role::parse(input.role.trim()).filter(|r| !r.tokens_only());
    if role.is_none() {
        errors.add("role", StaffMessage::ChoosePersonsRole);
    } else if role.is_some_and(Role::is_marac) {
        errors.add("role", StaffMessage::MaracRoleGivenAfter);
    }
    let service_id = blank_to_none(&input.service_id);
    if matches!(
        role,
        Some(Role::Caseworker | Role::TeamLeader | Role::ServiceManager)
    ) && service_id.is_none()
    {
        errors.add("service_id", StaffMessage::ChooseServicePersonWorksRole);
    }
    StaffFields {
        display_name,
        username,
        role,
        organisation_id: input.organisation_id.trim().to_string(),
        service_id,
        team_id: blank_to_none(&input.team_id),
    }
}

/// The first role: over the service, or the organisation for a commissioner
/// or someone without a service.
fn first_grant(fields: &StaffFields) -> Option<Grant> {
    fields.role.map(|role| Grant {
        role,
        scope: match &fields.service_id {
            Some(s) if !matches!(role, Role::Commissioner) => GrantScope::Service(s.clone()),
            _ => GrantScope::Organisation(fields.organisation_id.clone()),
        },
    })
}

impl App {
    /// Adds a staff member with a first role.
    pub async fn create_staff(&self, actor: &Actor, input: &NewStaff) -> Result<User> {
        let mut errors = FieldErrors::new();
        let fields = read_fields(&mut errors, input);
        let place = self.place_of_new_staff(&mut errors, &fields).await?;

        // The permission check comes before the password is judged.
        if let Some(place) = &place
            && !policy::may(actor, Action::ManageStaff, place)
        {
            return Err(AppError::Forbidden);
        }
        let grant = first_grant(&fields);
        if let (Some(grant), Some(place)) = (&grant, &place)
            && !policy::may_assign(actor, grant, place)
        {
            errors.add("role", StaffMessage::CannotGiveRoleAskAdministrator);
        }
        domain::password::check_new_password(
            &mut errors,
            "password",
            &input.password,
            &[&fields.username, &fields.display_name, "waymark"],
        );
        errors.into_result().map_err(AppError::Invalid)?;
        let grant =
            grant.ok_or_else(|| AppError::invalid("role", StaffMessage::ChoosePersonsRole))?;
        let hash = hash_password(&input.password).await?;
        self.insert_staff(actor, &fields, &grant, hash).await
    }

    /// Where the new member of staff will be, once their organisation,
    /// service and team are found and agree; `None` (with the fields named
    /// in `errors`) when the organisation is not found.
    async fn place_of_new_staff(
        &self,
        errors: &mut FieldErrors,
        fields: &StaffFields,
    ) -> Result<Option<Place>> {
        let mut conn = self.db.conn().await?;
        let org = store::directory::find_organisation(&mut conn, &fields.organisation_id).await?;
        if org.is_none() {
            errors.add("organisation_id", StaffMessage::ChoosePersonsOrganisation);
        }
        let everything = policy::Visibility {
            everything: true,
            ..Default::default()
        };
        let mut service = None;
        if let Some(id) = &fields.service_id {
            service = store::directory::find_service(&mut conn, id, &everything).await?;
            match &service {
                None => errors.add("service_id", StaffMessage::ChooseServiceList),
                Some(s) if s.organisation_id != fields.organisation_id => errors.add(
                    "service_id",
                    StaffMessage::ChooseServicePersonsOwnOrganisation,
                ),
                _ => {}
            }
        }
        if let Some(team) = &fields.team_id {
            match store::directory::find_team(&mut conn, team, &everything).await? {
                Some(t) if Some(&t.service_id) == fields.service_id.as_ref() => {}
                _ => errors.add("team_id", StaffMessage::ChooseTeamPersonsServiceNone),
            }
        }
        Ok(org.map(|_| match &service {
            Some(s) => place_of_service(s),
            None => Place {
                organisation_id: Some(fields.organisation_id.clone()),
                ..Place::default()
            },
        }))
    }

    async fn insert_staff(
        &self,
        actor: &Actor,
        fields: &StaffFields,
        grant: &Grant,
        password_hash: String,
    ) -> Result<User> {
        let now = self.clock.now_text();
        let id = new_id();
        let mut tx = self.write(actor, &now).await?;
        let user = NewUser {
            id: id.clone(),
            username: fields.username.clone(),
            display_name: fields.display_name.clone(),
            organisation_id: fields.organisation_id.clone(),
            service_id: fields.service_id.clone(),
            team_id: fields.team_id.clone(),
            password_hash,
            created_at: now.clone(),
        };
        store::users::insert(tx.conn(), &user).await.map_err(|e| {
            if e.is_unique_violation() {
                AppError::invalid("username", StaffMessage::SomeoneAlreadyHasEmailAddress)
            } else {
                AppError::Store(e)
            }
        })?;
        store::users::insert_grant(tx.conn(), &new_id(), &id, grant, &now).await?;
        let change = Change::new(AuditAction::UserCreated, "user", &id)
            .place(Some(&user.organisation_id), user.service_id.as_deref())
            .after(json!({
                "username": user.username, "display_name": user.display_name,
                "organisation_id": user.organisation_id, "service_id": user.service_id,
                "team_id": user.team_id, "role": grant.role.code(),
            }));
        let user = store::users::find(tx.conn(), &id)
            .await?
            .ok_or(AppError::NotFound)?;
        tx.commit(change).await?;
        Ok(user)
    }
}
