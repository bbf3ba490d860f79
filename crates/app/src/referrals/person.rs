//! A new person from the referral's fields, and the keys the duplicate
//! check matches on.

use domain::journey::{self};
use domain::validation::{FieldErrors, Lines, required_text, text};
use jiff::civil::Date;
use store::people::{NewPerson, Person};

use crate::people::PersonInput;
use crate::secrets::new_id;

use super::*;
use crate::referrals::messages::ReferralMessage;

pub(crate) fn coded(
    errors: &mut FieldErrors,
    field: &str,
    value: &str,
    valid: impl Fn(&str) -> bool,
    what: &str,
) -> String {
    let value = value.trim();
    if value.is_empty() {
        return "not_known".to_string();
    }
    if !valid(value) {
        errors.add(field, ReferralMessage::NotInList { what: what.into() });
    }
    value.to_string()
}

/// A new person from the fields typed, with the keys the duplicate check
/// matches on.
pub(crate) fn new_person(
    input: &PersonInput,
    service_id: &str,
    born: Option<Date>,
    errors: &mut FieldErrors,
) -> NewPerson {
    let given = required_text(
        errors,
        "given_name",
        &input.given_name,
        "the victim's first name",
        100,
    );
    let family = required_text(
        errors,
        "family_name",
        &input.family_name,
        "the victim's last name",
        100,
    );
    let contact = contact_fields(input, errors);
    let person = Person {
        id: new_id(),
        service_id: service_id.to_string(),
        given_name: given.clone(),
        family_name: family.clone(),
        date_of_birth: born.map(|d| d.to_string()),
        phone: contact.phone,
        email: contact.email,
        address: text(
            errors,
            "address",
            &input.address,
            "the address",
            500,
            Lines::Many,
        ),
        postcode: contact.postcode_key.clone(),
        gender: coded(
            errors,
            "gender",
            &input.gender,
            |c| journey::Gender::parse(c).is_some(),
            "a gender",
        ),
        ethnicity: coded(
            errors,
            "ethnicity",
            &input.ethnicity,
            |c| journey::Ethnicity::parse(c).is_some(),
            "an ethnic group",
        ),
        disability: coded(
            errors,
            "disability",
            &input.disability,
            |c| journey::Disability::parse(c).is_some(),
            "an answer",
        ),
        sexual_orientation: coded(
            errors,
            "sexual_orientation",
            &input.sexual_orientation,
            |c| journey::SexualOrientation::parse(c).is_some(),
            "an answer",
        ),
        religion: coded(
            errors,
            "religion",
            &input.religion,
            |c| journey::Religion::parse(c).is_some(),
            "a religion or none",
        ),
        first_language: text(
            errors,
            "first_language",
            &input.first_language,
            "the first language",
            100,
            Lines::One,
        ),
        interpreter_needed: i64::from(input.interpreter_needed),
        created_at: String::new(),
    };
    NewPerson {
        name_key: journey::name_key(&given, &family),
        given_key: journey::word_key(&given),
        family_key: journey::word_key(&family),
        phone_key: contact.phone_key,
        postcode_key: contact.postcode_key.map(|p| p.replace(' ', "")),
        person,
    }
}

/// How to reach the person, each in a form that can be used.
struct ContactFields {
    phone: Option<String>,
    phone_key: Option<String>,
    email: Option<String>,
    postcode_key: Option<String>,
}

fn contact_fields(input: &PersonInput, errors: &mut FieldErrors) -> ContactFields {
    use domain::values::{Email, Phone, Postcode};
    let mut read = |field: &str, value: &str, parse: &dyn Fn(&str) -> Result<String, String>| {
        optional(value).and_then(|v| match parse(&v) {
            Ok(parsed) => Some(parsed),
            Err(message) => {
                errors.add(field, message);
                None
            }
        })
    };
    let phone = read("phone", &input.phone, &|v| {
        Phone::parse(v)
            .map(Phone::into_string)
            .map_err(|e| e.to_string())
    });
    let email = read("email", &input.email, &|v| {
        Email::parse(v)
            .map(Email::into_string)
            .map_err(|e| e.to_string())
    });
    let postcode_key = read("postcode", &input.postcode, &|v| {
        Postcode::parse(v)
            .map(Postcode::into_string)
            .map_err(|e| e.to_string())
    });
    ContactFields {
        phone_key: phone.as_deref().and_then(journey::phone_key),
        phone,
        email,
        postcode_key,
    }
}
