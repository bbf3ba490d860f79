//! The one field list for a person: entered with a referral, or corrected
//! afterwards. The referral's field list flattens it in.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::fields::flag;

/// A victim's details as typed: names, date of birth (`YYYY-MM-DD`), how to
/// reach them, and the characteristics the MoJ return counts (codes from
/// the code lists in the documentation).
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct PersonInput {
    #[schema(required = true)]
    pub given_name: String,
    #[schema(required = true)]
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
    #[serde(deserialize_with = "flag")]
    pub interpreter_needed: bool,
}

impl From<&store::people::Person> for PersonInput {
    /// The details held, as the correction form starts from them.
    fn from(p: &store::people::Person) -> Self {
        let held = |v: &Option<String>| v.clone().unwrap_or_default();
        PersonInput {
            given_name: p.given_name.clone(),
            family_name: p.family_name.clone(),
            date_of_birth: held(&p.date_of_birth),
            phone: held(&p.phone),
            email: held(&p.email),
            address: held(&p.address),
            postcode: held(&p.postcode),
            gender: p.gender.clone(),
            ethnicity: p.ethnicity.clone(),
            disability: p.disability.clone(),
            sexual_orientation: p.sexual_orientation.clone(),
            religion: p.religion.clone(),
            first_language: held(&p.first_language),
            interpreter_needed: p.interpreter_needed != 0,
        }
    }
}

/// A date of birth as typed on a short form (a duty request, a call-out):
/// blank for not known; otherwise a real day no later than today, or the
/// field refused with `refusal`.
pub(crate) fn date_of_birth(
    errors: &mut domain::validation::FieldErrors,
    typed: &str,
    today: jiff::civil::Date,
    refusal: impl Into<String>,
) -> Option<jiff::civil::Date> {
    match typed.trim() {
        "" => None,
        d => match domain::values::Day::parse(d) {
            Ok(day) if day.date() <= today => Some(day.date()),
            _ => {
                errors.add("date_of_birth", refusal);
                None
            }
        },
    }
}
