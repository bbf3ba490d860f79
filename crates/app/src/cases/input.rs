//! The field lists of casework's inputs.

use serde::Deserialize;
use utoipa::ToSchema;

/// A support contact with the victim. `contact_date` (`YYYY-MM-DD`) and
/// `contact_time` (`HH:MM`, UK time) say when it happened, if it is being
/// recorded afterwards; left empty, it happened now.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct ContactInput {
    /// support, safety_planning, advocacy, information or court_support
    pub kind: String,
    /// call, voicemail, text, email, letter or visit
    pub channel: String,
    pub duration_minutes: String,
    pub notes: String,
    pub contact_date: String,
    pub contact_time: String,
}
