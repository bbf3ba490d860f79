//! The one field list for each programme input.

use serde::Deserialize;
use utoipa::ToSchema;

/// A new programme: its name, the service that delivers it, its period and
/// baseline period (days), its funding and source, and its partners, each
/// "Name: part" (such as "County Council: lead commissioner").
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct ProgrammeInput {
    pub name: String,
    pub service: String,
    pub starts_on: String,
    pub ends_on: String,
    pub baseline_from: String,
    pub baseline_to: String,
    pub funding: String,
    pub funding_source: String,
    pub partners: Vec<String>,
}

/// A call-out: when, the police incident reference and area, the victim,
/// and what was done. The victim is recorded when the call-out is; a
/// correction leaves them as they were.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct CallOutInput {
    pub day: String,
    /// HH:MM, London time.
    pub time: String,
    pub incident_reference: String,
    pub area: String,
    pub given_name: String,
    pub family_name: String,
    pub date_of_birth: String,
    pub joint_attendance: bool,
    pub dash_done: bool,
    /// standard, medium or high, when a DASH was done.
    pub dash_level: String,
    pub safety_plan: bool,
    pub children_present: bool,
    pub arrest: bool,
    pub protection_applied: bool,
    pub protection_granted: bool,
    pub engaged: bool,
    pub onward_referral: bool,
    /// awaiting, charged, convicted or no_further_action (blank: awaiting).
    pub justice_outcome: String,
}
