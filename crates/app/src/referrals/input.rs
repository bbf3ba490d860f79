//! The one field list for a referral. The form deserialises into it (adding
//! only its choice of person), the API body is exactly it, and the police
//! feed's columns are its field names.

use serde::Deserialize;
use utoipa::ToSchema;

use crate::fields::{flag, list};
pub use crate::people::PersonInput;

/// A referral as entered on the form, sent over the API or read from a
/// feed. Dates are `YYYY-MM-DD` (or `DD/MM/YYYY`, between 1900 and 2100); `received_at` is RFC 3339 (now if left
/// out). Codes are those of the code lists in the documentation.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct ReferralInput {
    /// The receiving service; leave empty to route by `area`.
    #[serde(alias = "service")]
    pub service_id: String,
    /// The area the referral concerns: a police force area or district, by
    /// name or id (optional).
    pub area: String,
    /// police, hub, partner, self or other
    #[schema(required = true)]
    pub source: String,
    /// The sender's own reference. Sending the same one again returns the
    /// referral already received instead of making a second.
    #[serde(alias = "police_reference")]
    pub sender_reference: String,
    /// When the service received it (RFC 3339), or the day (`YYYY-MM-DD`,
    /// UK); now if empty. Deadlines run from it.
    pub received_at: String,
    pub crime_reported_on: String,
    pub crime_reference: String,
    #[schema(required = true)]
    pub crime_type: String,
    pub incident_date: String,
    /// given, declined, withdrawn or not_asked
    #[schema(required = true)]
    pub consent: String,
    pub consent_recorded_on: String,
    pub consent_how: String,
    pub consent_by: String,
    /// most_serious_crime, persistently_targeted, vulnerable, intimidated
    #[serde(deserialize_with = "list")]
    pub enhanced_reasons: Vec<String>,
    /// Who the referral is about.
    #[serde(flatten)]
    pub person: PersonInput,
}

/// Who the referral is about, when the service may already know them: only
/// the hand form offers this choice, since only the service can see whom it
/// knows.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PersonChoice {
    /// Link the referral to this person, already known to the service.
    pub existing_person_id: String,
    /// Create a new person even though similar people exist.
    #[serde(deserialize_with = "flag")]
    pub confirm_new_person: bool,
}

impl PersonChoice {
    /// For senders, who cannot see whom a service knows: a possible
    /// duplicate is recorded as a new person, and the service links them if
    /// they turn out to be the same.
    pub fn sender() -> Self {
        PersonChoice {
            existing_person_id: String::new(),
            confirm_new_person: true,
        }
    }

    /// Links to a person the service already knows.
    pub fn existing(person_id: &str) -> Self {
        PersonChoice {
            existing_person_id: person_id.to_string(),
            confirm_new_person: false,
        }
    }
}
