//! The one field list for recorded activity.

use serde::Deserialize;
use utoipa::ToSchema;

/// Time spent on a day: its kind, hours and minutes, the service and area
/// (district) it is for, the funder (blank: the service's commissioner),
/// the case by its reference (blank for none) and a note.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct ActivityInput {
    pub day: String,
    pub kind: String,
    pub hours: String,
    pub minutes: String,
    pub service: String,
    pub area: String,
    pub funder: String,
    pub case: String,
    pub note: String,
}
