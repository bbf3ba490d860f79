//! Organisations, areas, services and teams: the landscape the rest hangs on.

use domain::directory::{AreaKind, OrganisationKind, ServiceKind};
use domain::policy::{self, Action, Actor, Place};
use domain::validation::{FieldErrors, required_text};
use serde::Deserialize;
use serde_json::json;
use store::directory::{Area, NewService, Organisation, Service, ServiceFigures, Team};

use crate::audit::AuditAction;
use crate::audit::Change;
use crate::secrets::new_id;
use crate::{App, AppError, Result};

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewOrganisation {
    pub name: String,
    pub kind: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewArea {
    pub name: String,
    pub kind: String,
    #[serde(default)]
    pub parent_id: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewServiceInput {
    pub name: String,
    pub kind: String,
    pub organisation_id: String,
    #[serde(default)]
    pub commissioner_id: Option<String>,
    pub area_id: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewTeam {
    pub name: String,
}

fn blank_to_none(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

/// Maps a unique-index refusal to a message on the field that clashed.
fn unique_as_field(e: store::StoreError, field: &str, message: &str) -> AppError {
    if e.is_unique_violation() {
        AppError::invalid(field, message)
    } else {
        AppError::Store(e)
    }
}

pub fn place_of_service(service: &Service) -> Place {
    Place {
        organisation_id: Some(service.organisation_id.clone()),
        service_id: Some(service.id.clone()),
        commissioner_id: service.commissioner_id.clone(),
    }
}

impl App {
    pub async fn organisations(&self, actor: &Actor) -> Result<Vec<Organisation>> {
        if !policy::may_somewhere(actor, Action::ViewDirectory)
            && !policy::may_somewhere(actor, Action::ManageStaff)
        {
            return Err(AppError::Forbidden);
        }
        let mut conn = self.db.conn().await?;
        Ok(store::directory::list_organisations(&mut conn).await?)
    }

    pub async fn areas(&self, actor: &Actor) -> Result<Vec<Area>> {
        if !policy::may_somewhere(actor, Action::ViewDirectory) {
            return Err(AppError::Forbidden);
        }
        let mut conn = self.db.conn().await?;
        Ok(store::directory::list_areas(&mut conn).await?)
    }

    /// Only system administrators add organisations.
    pub async fn create_organisation(
        &self,
        actor: &Actor,
        input: &NewOrganisation,
    ) -> Result<Organisation> {
        if !policy::may(actor, Action::ManageDirectory, &Place::default()) {
            return Err(AppError::Forbidden);
        }
        let mut errors = FieldErrors::new();
        let name = required_text(
            &mut errors,
            "name",
            &input.name,
            "the organisation's name",
            200,
        );
        let kind = OrganisationKind::parse(input.kind.trim());
        if kind.is_none() {
            errors.add("kind", "Choose what kind of organisation this is");
        }
        errors.into_result().map_err(AppError::Invalid)?;
        let now = self.clock.now_text();
        let org = Organisation {
            id: new_id(),
            name,
            kind: kind.map(|k| k.code()).unwrap_or_default().to_string(),
            created_at: now.clone(),
        };
        let mut tx = self.write(actor, &now).await?;
        store::directory::insert_organisation(tx.conn(), &org)
            .await
            .map_err(|e| {
                unique_as_field(e, "name", "An organisation with this name already exists")
            })?;
        let change = Change::new(AuditAction::OrganisationCreated, "organisation", &org.id)
            .place(Some(&org.id), None)
            .after(json!({ "name": org.name, "kind": org.kind }));
        tx.commit(change).await?;
        Ok(org)
    }

    /// Only system administrators add areas.
    pub async fn create_area(&self, actor: &Actor, input: &NewArea) -> Result<Area> {
        if !policy::may(actor, Action::ManageDirectory, &Place::default()) {
            return Err(AppError::Forbidden);
        }
        let mut errors = FieldErrors::new();
        let name = required_text(&mut errors, "name", &input.name, "the area's name", 200);
        let kind = AreaKind::parse(input.kind.trim());
        if kind.is_none() {
            errors.add(
                "kind",
                "Choose whether this is a police force area or a local authority district",
            );
        }
        let parent_id = blank_to_none(&input.parent_id);
        let mut conn = self.db.conn().await?;
        if let Some(parent) = &parent_id
            && store::directory::find_area(&mut conn, parent)
                .await?
                .is_none()
        {
            errors.add("parent_id", "Choose an area from the list");
        }
        drop(conn);
        if kind == Some(AreaKind::LocalAuthority) && parent_id.is_none() {
            errors.add(
                "parent_id",
                "Choose the police force area this district is in",
            );
        }
        errors.into_result().map_err(AppError::Invalid)?;
        let now = self.clock.now_text();
        let area = Area {
            id: new_id(),
            name,
            kind: kind.map(|k| k.code()).unwrap_or_default().to_string(),
            parent_id,
            created_at: now.clone(),
        };
        let mut tx = self.write(actor, &now).await?;
        store::directory::insert_area(tx.conn(), &area)
            .await
            .map_err(|e| unique_as_field(e, "name", "An area with this name already exists"))?;
        let change = Change::new(AuditAction::AreaCreated, "area", &area.id)
            .after(json!({ "name": area.name, "kind": area.kind, "parent_id": area.parent_id }));
        tx.commit(change).await?;
        Ok(area)
    }

    /// Administrators of the providing organisation add its services.
    pub async fn create_service(&self, actor: &Actor, input: &NewServiceInput) -> Result<Service> {
        let mut errors = FieldErrors::new();
        let name = required_text(&mut errors, "name", &input.name, "the service's name", 200);
        let kind = ServiceKind::parse(input.kind.trim());
        if kind.is_none() {
            errors.add("kind", "Choose what kind of service this is");
        }
        let mut conn = self.db.conn().await?;
        let provider =
            store::directory::find_organisation(&mut conn, input.organisation_id.trim()).await?;
        match &provider {
            None => errors.add("organisation_id", "Choose the organisation that provides this service"),
            Some(p) if p.kind != OrganisationKind::Provider.code() && p.kind != OrganisationKind::Partner.code() => {
                errors.add("organisation_id", "Choose a provider or partner organisation: commissioners and police do not provide services here")
            }
            Some(_) => {}
        }
        let commissioner_id = blank_to_none(&input.commissioner_id);
        if let Some(c) = &commissioner_id {
            match store::directory::find_organisation(&mut conn, c).await? {
                Some(o) if o.kind == OrganisationKind::Commissioner.code() => {}
                _ => errors.add(
                    "commissioner_id",
                    "Choose a commissioner from the list, or none",
                ),
            }
        }
        if store::directory::find_area(&mut conn, input.area_id.trim())
            .await?
            .is_none()
        {
            errors.add("area_id", "Choose the area this service covers");
        }
        drop(conn);
        // Permission is checked against the chosen provider before anything
        // else is said about it.
        if let Some(p) = &provider {
            let place = Place {
                organisation_id: Some(p.id.clone()),
                ..Place::default()
            };
            if !policy::may(actor, Action::ManageDirectory, &place) {
                return Err(AppError::Forbidden);
            }
        } else if !policy::may_somewhere(actor, Action::ManageDirectory) {
            return Err(AppError::Forbidden);
        }
        errors.into_result().map_err(AppError::Invalid)?;
        let now = self.clock.now_text();
        let new = NewService {
            id: new_id(),
            organisation_id: input.organisation_id.trim().to_string(),
            commissioner_id,
            area_id: input.area_id.trim().to_string(),
            name,
            kind: kind.map(|k| k.code()).unwrap_or_default().to_string(),
            created_at: now.clone(),
        };
        let mut tx = self.write(actor, &now).await?;
        store::directory::insert_service(tx.conn(), &new)
            .await
            .map_err(|e| {
                unique_as_field(
                    e,
                    "name",
                    "This organisation already has a service with this name",
                )
            })?;
        let change = Change::new(AuditAction::ServiceCreated, "service", &new.id)
            .place(Some(&new.organisation_id), Some(&new.id))
            .after(json!({
                "name": new.name, "kind": new.kind, "organisation_id": new.organisation_id,
                "commissioner_id": new.commissioner_id, "area_id": new.area_id,
            }));
        let service = store::directory::find_service(
            tx.conn(),
            &new.id,
            &domain::policy::Visibility {
                everything: true,
                ..Default::default()
            },
        )
        .await?
        .ok_or(AppError::NotFound)?;
        tx.commit(change).await?;
        Ok(service)
    }

    /// Services the actor may see.
    pub async fn services(&self, actor: &Actor) -> Result<Vec<Service>> {
        let visibility = policy::visibility(actor, Action::ViewDirectory);
        let mut conn = self.db.conn().await?;
        Ok(store::directory::list_services(&mut conn, &visibility).await?)
    }

    /// One service, or `NotFound` if it does not exist or is out of sight.
    pub async fn service(&self, actor: &Actor, id: &str) -> Result<Service> {
        let visibility = policy::visibility(actor, Action::ViewDirectory);
        let mut conn = self.db.conn().await?;
        store::directory::find_service(&mut conn, id, &visibility)
            .await?
            .ok_or(AppError::NotFound)
    }

    pub async fn teams(&self, actor: &Actor, service_id: Option<&str>) -> Result<Vec<Team>> {
        let visibility = policy::visibility(actor, Action::ViewDirectory);
        let mut conn = self.db.conn().await?;
        Ok(store::directory::list_teams(&mut conn, &visibility, service_id).await?)
    }

    pub async fn team(&self, actor: &Actor, id: &str) -> Result<Team> {
        let visibility = policy::visibility(actor, Action::ViewDirectory);
        let mut conn = self.db.conn().await?;
        store::directory::find_team(&mut conn, id, &visibility)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// Service managers and administrators add teams to a service.
    pub async fn create_team(
        &self,
        actor: &Actor,
        service_id: &str,
        input: &NewTeam,
    ) -> Result<Team> {
        let service = self.service(actor, service_id).await?;
        if !policy::may(actor, Action::ManageTeams, &place_of_service(&service)) {
            return Err(AppError::Forbidden);
        }
        let mut errors = FieldErrors::new();
        let name = required_text(&mut errors, "name", &input.name, "the team's name", 120);
        errors.into_result().map_err(AppError::Invalid)?;
        let now = self.clock.now_text();
        let id = new_id();
        let mut tx = self.write(actor, &now).await?;
        store::directory::insert_team(tx.conn(), &id, &service.id, &name, &now)
            .await
            .map_err(|e| {
                unique_as_field(e, "name", "This service already has a team with this name")
            })?;
        let change = Change::new(AuditAction::TeamCreated, "team", &id)
            .place(Some(&service.organisation_id), Some(&service.id))
            .after(json!({ "name": name, "service_id": service.id }));
        tx.commit(change).await?;
        self.team(actor, &id).await
    }

    /// Renames a team; the old and new names are audited.
    pub async fn rename_team(&self, actor: &Actor, team_id: &str, input: &NewTeam) -> Result<Team> {
        let team = self.team(actor, team_id).await?;
        let service = self.service(actor, &team.service_id).await?;
        if !policy::may(actor, Action::ManageTeams, &place_of_service(&service)) {
            return Err(AppError::Forbidden);
        }
        let mut errors = FieldErrors::new();
        let name = required_text(&mut errors, "name", &input.name, "the team's name", 120);
        errors.into_result().map_err(AppError::Invalid)?;
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        store::directory::rename_team(tx.conn(), &team.id, &name)
            .await
            .map_err(|e| {
                unique_as_field(e, "name", "This service already has a team with this name")
            })?;
        let change = Change::new(AuditAction::TeamRenamed, "team", &team.id)
            .place(Some(&service.organisation_id), Some(&service.id))
            .before(json!({ "name": team.name }))
            .after(json!({ "name": name }));
        tx.commit(change).await?;
        self.team(actor, &team.id).await
    }

    /// Changes a service's name, kind, commissioner or area.
    pub async fn update_service(
        &self,
        actor: &Actor,
        id: &str,
        input: &NewServiceInput,
    ) -> Result<Service> {
        let service = self.service(actor, id).await?;
        let place = Place {
            organisation_id: Some(service.organisation_id.clone()),
            ..Place::default()
        };
        if !policy::may(actor, Action::ManageDirectory, &place) {
            return Err(AppError::Forbidden);
        }
        let mut errors = FieldErrors::new();
        let name = required_text(&mut errors, "name", &input.name, "the service's name", 200);
        let kind = ServiceKind::parse(input.kind.trim());
        if kind.is_none() {
            errors.add("kind", "Choose what kind of service this is");
        }
        let commissioner_id = blank_to_none(&input.commissioner_id);
        let mut conn = self.db.conn().await?;
        if let Some(c) = &commissioner_id {
            match store::directory::find_organisation(&mut conn, c).await? {
                Some(o) if o.kind == OrganisationKind::Commissioner.code() => {}
                _ => errors.add(
                    "commissioner_id",
                    "Choose a commissioner from the list, or none",
                ),
            }
        }
        if store::directory::find_area(&mut conn, input.area_id.trim())
            .await?
            .is_none()
        {
            errors.add("area_id", "Choose the area this service covers");
        }
        drop(conn);
        errors.into_result().map_err(AppError::Invalid)?;
        let kind = kind.map(|k| k.code()).unwrap_or_default().to_string();
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        store::directory::update_service(
            tx.conn(),
            &service.id,
            &name,
            &kind,
            commissioner_id.as_deref(),
            input.area_id.trim(),
        )
        .await
        .map_err(|e| {
            unique_as_field(
                e,
                "name",
                "This organisation already has a service with this name",
            )
        })?;
        let change = Change::new(AuditAction::ServiceUpdated, "service", &service.id)
            .place(Some(&service.organisation_id), Some(&service.id))
            .before(json!({ "name": service.name, "kind": service.kind,
                    "commissioner_id": service.commissioner_id, "area_id": service.area_id }))
            .after(json!({ "name": name, "kind": kind,
                    "commissioner_id": commissioner_id, "area_id": input.area_id.trim() }));
        tx.commit(change).await?;
        self.service(actor, &service.id).await
    }

    /// Counts for the services the actor may see in aggregate: for
    /// commissioners, the services they commission. Never a person.
    pub async fn service_figures(&self, actor: &Actor) -> Result<Vec<ServiceFigures>> {
        if !policy::may_somewhere(actor, Action::ViewAggregates) {
            return Err(AppError::Forbidden);
        }
        let visibility = policy::visibility(actor, Action::ViewAggregates);
        let mut conn = self.db.conn().await?;
        Ok(store::directory::service_figures(&mut conn, &visibility).await?)
    }
}
