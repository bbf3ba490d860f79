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
    /// The response target in cover: hours (blank for 2).
    pub response_hours: String,
    /// Out of hours: the local time the next morning (blank for 10:00).
    pub out_of_hours_by: String,
    /// When cases opened on duty are handed over (blank for 20:00).
    pub handover_at: String,
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

/// A request to the duty service, by hand: who it came from, when, how
/// urgent, who it is about and what is asked. The person is linked to one
/// the service knows (`existing_person_id`) or, once the duplicate check
/// has been seen, recorded as new (`confirm_new_person`).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct RequestInput {
    pub source: String,
    pub urgency: String,
    /// The day received (blank: now) and its time, HH:MM.
    pub received_on: String,
    pub received_time: String,
    pub given_name: String,
    pub family_name: String,
    pub date_of_birth: String,
    pub existing_person_id: String,
    pub confirm_new_person: bool,
    pub asked: String,
}

/// How a request was actioned: the day and time of the first attempt, and
/// what came of it.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct ActionedInput {
    pub actioned_on: String,
    pub actioned_time: String,
    pub outcome: String,
    pub note: String,
    /// For a referral taken or a case opened: the crime type and whether
    /// the victim agreed to be referred, as on the referral form.
    pub crime_type: String,
    pub consent: String,
}
