//! A synthetic victim: an invented name, a phone number in the range kept
//! for drama, and characteristics in proportions like those services see.

use domain::journey::{name_key, phone_key, word_key};
use store::people::{NewPerson, Person};

use super::dice::{Dice, FAMILY_END, FAMILY_MIDDLE, FAMILY_START, GIVEN_END, GIVEN_START};

const GENDERS: &[(&str, u64)] = &[
    ("female", 62),
    ("male", 34),
    ("non_binary", 1),
    ("prefer_not_to_say", 1),
    ("not_known", 2),
];
const ETHNICITIES: &[(&str, u64)] = &[
    ("white_british", 72),
    ("white_other", 5),
    ("asian_pakistani", 4),
    ("asian_indian", 3),
    ("black_caribbean", 3),
    ("black_african", 3),
    ("mixed_white_black_caribbean", 2),
    ("other_arab", 1),
    ("prefer_not_to_say", 2),
    ("not_known", 5),
];
const DISABILITY: &[(&str, u64)] = &[
    ("yes", 18),
    ("no", 62),
    ("prefer_not_to_say", 5),
    ("not_known", 15),
];
const ORIENTATIONS: &[(&str, u64)] = &[
    ("heterosexual", 75),
    ("gay_lesbian", 3),
    ("bisexual", 3),
    ("prefer_not_to_say", 6),
    ("not_known", 13),
];
const RELIGIONS: &[(&str, u64)] = &[
    ("no_religion", 40),
    ("christian", 35),
    ("muslim", 7),
    ("hindu", 2),
    ("sikh", 1),
    ("prefer_not_to_say", 5),
    ("not_known", 10),
];

/// A new synthetic person in `service_id`, recorded at `created_at`.
pub(super) fn synthetic_person(
    dice: &mut Dice,
    service_id: &str,
    born: Option<jiff::civil::Date>,
    created_at: &str,
) -> NewPerson {
    let given = format!("{}{}", dice.pick(GIVEN_START), dice.pick(GIVEN_END));
    let family = format!(
        "{}{}{}",
        dice.pick(FAMILY_START),
        dice.pick(FAMILY_MIDDLE),
        dice.pick(FAMILY_END)
    );
    let phone = format!("07700 9{:05}", dice.below(100_000));
    NewPerson {
        name_key: name_key(&given, &family),
        given_key: word_key(&given),
        family_key: word_key(&family),
        phone_key: phone_key(&phone),
        postcode_key: None,
        person: Person {
            id: crate::secrets::new_id(),
            service_id: service_id.into(),
            given_name: given,
            family_name: family,
            date_of_birth: born.map(|b| b.to_string()),
            phone: Some(phone),
            email: None,
            address: None,
            postcode: None,
            gender: dice.weighted(GENDERS).to_string(),
            ethnicity: dice.weighted(ETHNICITIES).to_string(),
            disability: dice.weighted(DISABILITY).to_string(),
            sexual_orientation: dice.weighted(ORIENTATIONS).to_string(),
            religion: dice.weighted(RELIGIONS).to_string(),
            first_language: None,
            interpreter_needed: i64::from(dice.chance(3)),
            created_at: created_at.into(),
        },
    }
}
