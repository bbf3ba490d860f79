//! Services, teams, organisations and areas.

mod areas;
mod organisations;
mod services;
mod teams;

use areas::*;
use organisations::*;
use services::*;
use teams::*;

use app::store::directory::Area;
use axum::routing::{get, post};
use domain::directory::{AreaKind, OrganisationKind, ServiceKind};
use serde::Deserialize;

use crate::routes::Routes;

/// The form for a named record of a kind: an organisation, or an area
/// (which may have a parent).
#[derive(Deserialize, Default)]
pub(crate) struct KindForm {
    #[serde(default)]
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) kind: String,
    #[serde(default)]
    pub(crate) parent_id: String,
}

pub fn routes() -> Routes {
    Routes::new()
        .route("/services", get(services))
        .route("/services/new", get(new_service_page).post(create_service))
        .route("/services/{id}", get(service))
        .route("/services/{id}/teams", post(create_team))
        .route(
            "/services/{id}/edit",
            get(edit_service_page).post(update_service),
        )
        .route("/teams/{id}", get(team))
        .route("/teams/{id}/rename", post(rename_team))
        .route(
            "/organisations",
            get(organisations).post(create_organisation),
        )
        .route("/areas", get(areas).post(create_area))
}

pub fn service_kind(code: &str) -> &'static str {
    ServiceKind::parse(code)
        .map(|k| k.label())
        .unwrap_or("Other")
}

pub fn organisation_kind(code: &str) -> &'static str {
    OrganisationKind::parse(code)
        .map(|k| k.label())
        .unwrap_or("Other")
}

pub fn area_kind(code: &str) -> &'static str {
    AreaKind::parse(code).map(|k| k.label()).unwrap_or("Other")
}

pub(crate) fn area_name<'a>(areas: &'a [Area], id: &Option<String>) -> &'a str {
    id.as_ref()
        .and_then(|id| areas.iter().find(|a| &a.id == id))
        .map(|a| a.name.as_str())
        .unwrap_or("–")
}
