//! The one field list for each input at a MARAC meeting.

use serde::Deserialize;
use utoipa::ToSchema;

/// An agency's research on a case on the agenda.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct ResearchInput {
    /// What the agency knows that bears on the risk.
    pub item: String,
    /// `yes` when every agency at the meeting may see it, `no` when only
    /// the agency itself may.
    pub shareable: String,
    /// Why it may, or may not, be shared.
    pub reason: String,
}

/// An action agreed for a case.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct ActionInput {
    /// The id of the member agency that owns it.
    pub agency: String,
    pub description: String,
    /// Day/month/year.
    pub due_on: String,
}

/// Where an action stands now.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct ActionUpdateInput {
    /// `open`, `done` or `not_done`.
    pub status: String,
    /// For `not_done`: `circumstances_changed` or `agency_did_not_act`.
    pub not_done_class: String,
    pub note: String,
}
