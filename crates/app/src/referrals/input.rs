//! The one field list for a referral. The form deserialises into it (adding
//! only its choice of person), the API body is exactly it, and the police
//! feed's columns are its field names.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::fields::{flag, list};
pub use crate::people::PersonInput;

/// A referral as entered on the form, sent over the API or read from a
/// feed. Dates are `YYYY-MM-DD` (or `DD/MM/YYYY`, between 1900 and 2100); `received_at` is RFC 3339 (now if left
/// out). Codes are those of the code lists in the documentation.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
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
    /// What happened, in the victim's or the referrer's words (up to 20,000
    /// characters).
    pub account: String,
    /// given, declined, withdrawn or not_asked
    #[schema(required = true)]
    pub consent: String,
    pub consent_recorded_on: String,
    pub consent_how: String,
    pub consent_by: String,
    /// most_serious_crime, persistently_targeted, vulnerable, intimidated
    #[serde(deserialize_with = "list")]
    pub enhanced_reasons: Vec<String>,
    /// Channels the victim says are safe to use: call, voicemail, text,
    /// email, letter, visit.
    #[serde(deserialize_with = "list")]
    pub safe_channels: Vec<String>,
    /// Channels that must not be used (someone else reads the texts, say).
    #[serde(deserialize_with = "list")]
    pub unsafe_channels: Vec<String>,
    /// Safe times and anything else about contacting them safely.
    pub safe_contact_notes: String,
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
    /// Link to the one person the service surely knows by this name and
    /// date of birth (senders' referrals; never the form's choice).
    #[serde(skip)]
    pub links_sure_matches: bool,
}

impl PersonChoice {
    /// For senders, who cannot see whom a service knows: the one person
    /// the service surely knows by this name and date of birth is linked;
    /// anyone less sure is recorded as a new person, and the service links
    /// them if they turn out to be the same.
    pub fn sender() -> Self {
        PersonChoice {
            existing_person_id: String::new(),
            confirm_new_person: true,
            links_sure_matches: true,
        }
    }

    /// Links to a person the service already knows.
    pub fn existing(person_id: &str) -> Self {
        PersonChoice {
            existing_person_id: person_id.to_string(),
            confirm_new_person: false,
            links_sure_matches: false,
        }
    }
}

/// Corrections to a referral's own details after intake: what was recorded
/// wrongly, or has come to light since. A field left out is unchanged; one
/// sent empty is cleared, where it may be. Who the referral is about is
/// corrected on the person; the service that received it stays.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct ReferralCorrection {
    pub area: Option<String>,
    pub source: Option<String>,
    /// The day it was received (`YYYY-MM-DD`); its deadlines run from it.
    pub received_at: Option<String>,
    pub crime_reported_on: Option<String>,
    pub crime_reference: Option<String>,
    pub crime_type: Option<String>,
    pub incident_date: Option<String>,
    pub account: Option<String>,
    pub consent: Option<String>,
    pub consent_recorded_on: Option<String>,
    pub consent_how: Option<String>,
    pub consent_by: Option<String>,
    #[serde(deserialize_with = "crate::fields::optional_list")]
    pub enhanced_reasons: Option<Vec<String>>,
}

impl ReferralCorrection {
    /// The referral as held, with these corrections made to it.
    pub fn onto(&self, mut input: ReferralInput) -> ReferralInput {
        let fields: [(&Option<String>, &mut String); 12] = [
            (&self.account, &mut input.account),
            (&self.area, &mut input.area),
            (&self.source, &mut input.source),
            (&self.received_at, &mut input.received_at),
            (&self.crime_reported_on, &mut input.crime_reported_on),
            (&self.crime_reference, &mut input.crime_reference),
            (&self.crime_type, &mut input.crime_type),
            (&self.incident_date, &mut input.incident_date),
            (&self.consent, &mut input.consent),
            (&self.consent_recorded_on, &mut input.consent_recorded_on),
            (&self.consent_how, &mut input.consent_how),
            (&self.consent_by, &mut input.consent_by),
        ];
        for (corrected, held) in fields {
            if let Some(value) = corrected {
                *held = value.clone();
            }
        }
        if let Some(reasons) = &self.enhanced_reasons {
            input.enhanced_reasons = reasons.clone();
        }
        input
    }
}

impl ReferralInput {
    /// A referral as held, as its field list, with the person as held now.
    /// The day it was received stands for the moment (UK).
    pub fn held(
        referral: &store::referrals::Referral,
        person: &store::people::Person,
    ) -> ReferralInput {
        let held = |v: &Option<String>| v.clone().unwrap_or_default();
        ReferralInput {
            service_id: referral.service_id.clone(),
            area: referral.area_id.clone().unwrap_or_default(),
            source: referral.source.clone(),
            sender_reference: held(&referral.sender_reference),
            received_at: crate::clock::parse_instant(&referral.received_at)
                .map(|t| {
                    t.to_zoned(crate::calendar::uk_time_zone())
                        .date()
                        .to_string()
                })
                .unwrap_or_default(),
            crime_reported_on: held(&referral.crime_reported_on),
            crime_reference: held(&referral.crime_reference),
            crime_type: referral.crime_type.clone(),
            incident_date: held(&referral.incident_date),
            account: held(&referral.account),
            consent: referral.consent.clone(),
            consent_recorded_on: held(&referral.consent_recorded_on),
            consent_how: held(&referral.consent_how),
            consent_by: held(&referral.consent_by),
            enhanced_reasons: referral
                .enhanced_reasons
                .split_whitespace()
                .map(str::to_string)
                .collect(),
            safe_channels: Vec::new(),
            unsafe_channels: Vec::new(),
            safe_contact_notes: String::new(),
            person: PersonInput::from(person),
        }
    }
}
