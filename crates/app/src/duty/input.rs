//! The one field list for each duty input.

use serde::Deserialize;
use utoipa::ToSchema;

/// A new rota: its name, the duty role partners ask for, the duty line,
/// the cover pattern as written, and the services (ids or names) sharing it.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct RotaInput {
    pub name: String,
    pub role: String,
    pub contact: String,
    pub pattern: String,
    pub services: Vec<String>,
}

/// A worker put on one of the pattern's shifts: the day, which of the
/// day's shifts (from 0), and who.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct ShiftInput {
    pub day: String,
    pub slot: String,
    pub worker: String,
}

/// A worker's request that a colleague take their shift, and why.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct SwapInput {
    pub cover_by: String,
    pub reason: String,
}
