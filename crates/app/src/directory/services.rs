//! Services: what a provider delivers, where, and for which commissioner.

use domain::directory::{OrganisationKind, ServiceKind};
use domain::policy::{self, Action, Actor, Place};
use domain::validation::{FieldErrors, required_text};
use serde_json::json;
use store::directory::{NewService, Service, ServiceFigures};

use crate::audit::AuditAction;
use crate::audit::Change;
use crate::secrets::new_id;
use crate::{App, AppError, Result};

use super::*;
use crate::directory::messages::DirectoryMessage;

/// A service's own fields, checked.
struct ServiceFields {
    name: String,
    kind: String,
    commissioner_id: Option<String>,
    area_id: String,
}

impl App {
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

    /// The fields a new and a changed service share: name, kind,
    /// commissioner and area, each checked, errors named in `errors`.
    async fn service_fields(
        &self,
        input: &NewServiceInput,
        errors: &mut FieldErrors,
    ) -> Result<ServiceFields> {
        let name = required_text(errors, "name", &input.name, "the service's name", 200);
        let kind = ServiceKind::parse(input.kind.trim());
        if kind.is_none() {
            errors.add("kind", DirectoryMessage::ChooseWhatKindService);
        }
        let commissioner_id = blank_to_none(&input.commissioner_id);
        let mut conn = self.db.conn().await?;
        if let Some(c) = &commissioner_id {
            match store::directory::find_organisation(&mut conn, c).await? {
                Some(o) if o.kind == OrganisationKind::Commissioner.code() => {}
                _ => errors.add(
                    "commissioner_id",
                    DirectoryMessage::ChooseCommissionerListNone,
                ),
            }
        }
        if store::directory::find_area(&mut conn, input.area_id.trim())
            .await?
            .is_none()
        {
            errors.add("area_id", DirectoryMessage::ChooseAreaServiceCovers);
        }
        Ok(ServiceFields {
            name,
            kind: kind.map(|k| k.code()).unwrap_or_default().to_string(),
            commissioner_id,
            area_id: input.area_id.trim().to_string(),
        })
    }

    /// Administrators of the providing organisation add its services.
    pub async fn create_service(&self, actor: &Actor, input: &NewServiceInput) -> Result<Service> {
        let mut errors = FieldErrors::new();
        let fields = self.service_fields(input, &mut errors).await?;
        let mut conn = self.db.conn().await?;
        let provider =
            store::directory::find_organisation(&mut conn, input.organisation_id.trim()).await?;
        match &provider {
            None => errors.add(
                "organisation_id",
                DirectoryMessage::ChooseOrganisationProvidesService,
            ),
            Some(p)
                if p.kind != OrganisationKind::Provider.code()
                    && p.kind != OrganisationKind::Partner.code() =>
            {
                errors.add(
                    "organisation_id",
                    DirectoryMessage::ChooseProviderPartnerOrganisationCommissioners,
                )
            }
            Some(_) => {}
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
            commissioner_id: fields.commissioner_id,
            area_id: fields.area_id,
            name: fields.name,
            kind: fields.kind,
            created_at: now.clone(),
        };
        let mut tx = self.write(actor, &now).await?;
        store::directory::insert_service(tx.conn(), &new)
            .await
            .map_err(|e| unique_as_field(e, "name", DirectoryMessage::ServiceNameTaken))?;
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
        let ServiceFields {
            name,
            kind,
            commissioner_id,
            area_id,
        } = self.service_fields(input, &mut errors).await?;
        errors.into_result().map_err(AppError::Invalid)?;
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        store::directory::update_service(
            tx.conn(),
            &service.id,
            &name,
            &kind,
            commissioner_id.as_deref(),
            &area_id,
        )
        .await
        .map_err(|e| unique_as_field(e, "name", DirectoryMessage::ServiceNameTaken))?;
        let change = Change::new(AuditAction::ServiceUpdated, "service", &service.id)
            .place(Some(&service.organisation_id), Some(&service.id))
            .before(json!({ "name": service.name, "kind": service.kind,
                    "commissioner_id": service.commissioner_id, "area_id": service.area_id }))
            .after(json!({ "name": name, "kind": kind,
                    "commissioner_id": commissioner_id, "area_id": area_id }));
        tx.commit(change).await?;
        self.service(actor, &service.id).await
    }

    /// Counts for the services the actor may see in aggregate: for
    /// commissioners, the services they commission, with the counts
    /// protected as every figure seen outside a service is
    /// (`domain::disclosure`). Never a person.
    pub async fn service_figures(&self, actor: &Actor) -> Result<Vec<ServiceFiguresShown>> {
        if !policy::may_somewhere(actor, Action::ViewAggregates) {
            return Err(AppError::Forbidden);
        }
        let visibility = policy::visibility(actor, Action::ViewAggregates);
        let mut conn = self.db.conn().await?;
        let outside = domain::disclosure::sees_protected_figures(actor);
        let shown = |n: i64| {
            if outside {
                domain::disclosure::protect(n).text()
            } else {
                n.to_string()
            }
        };
        Ok(store::directory::service_figures(&mut conn, &visibility)
            .await?
            .into_iter()
            .map(|figures| ServiceFiguresShown {
                teams: shown(figures.teams),
                active_staff: shown(figures.active_staff),
                figures,
            })
            .collect())
    }
}

/// A service's figures as their reader sees them.
#[derive(Debug, Clone)]
pub struct ServiceFiguresShown {
    pub figures: ServiceFigures,
    pub teams: String,
    pub active_staff: String,
}
