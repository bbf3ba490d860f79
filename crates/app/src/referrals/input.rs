//! The one field list for a referral: the form, the API body and the police
//! feed's columns all fill it.

use serde::Deserialize;

/// A referral as entered on the form, sent over the API or read from a feed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ReferralInput {
    pub service_id: String,
    /// The area the referral concerns, by name or id; optional.
    pub area: String,
    pub source: String,
    /// The sender's own reference: a resent referral with the same one is not duplicated.
    pub sender_reference: String,
    /// When the service received it (RFC 3339); now if empty.
    pub received_at: String,
    pub crime_reported_on: String,
    pub crime_reference: String,
    pub crime_type: String,
    pub incident_date: String,
    pub consent: String,
    pub consent_recorded_on: String,
    pub consent_how: String,
    pub consent_by: String,
    pub enhanced_reasons: Vec<String>,
    pub given_name: String,
    pub family_name: String,
    pub date_of_birth: String,
    pub phone: String,
    pub email: String,
    pub address: String,
    pub postcode: String,
    pub gender: String,
    pub ethnicity: String,
    pub disability: String,
    pub sexual_orientation: String,
    pub religion: String,
    pub first_language: String,
    pub interpreter_needed: bool,
    /// Link the referral to this person, already known to the service.
    pub existing_person_id: String,
    /// Create a new person even though similar people exist.
    pub confirm_new_person: bool,
}
