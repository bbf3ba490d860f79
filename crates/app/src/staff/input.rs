//! The one field list for a new member of staff: the form and the API body.

use serde::Deserialize;

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
