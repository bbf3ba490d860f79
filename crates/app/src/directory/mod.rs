//! Organisations, areas, services and teams: the landscape the rest hangs on.

mod areas;
mod input;
pub mod messages;
mod organisations;
mod services;
mod teams;

pub use input::*;
pub use services::ServiceFiguresShown;

use domain::policy::Place;
use store::directory::Service;

use crate::AppError;
use messages::DirectoryMessage;

pub(crate) use crate::fields::blank_to_none;

/// Maps a unique-index refusal to a message on the field that clashed.
pub(crate) fn unique_as_field(
    e: store::StoreError,
    field: &str,
    message: DirectoryMessage,
) -> AppError {
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
        region_id: service.commissioner_region_id.clone(),
        ..Place::default()
    }
}
