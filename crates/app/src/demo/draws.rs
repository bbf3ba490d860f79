//! What each generated referral draws at random: its crime, the victim's
//! age, reasons for enhanced rights, and how an accepted case went.

use std::collections::HashMap;

use jiff::ToSpan;
use jiff::civil::Date;
use store::bulk::GeneratedCase;
use store::cases::Outcome;
use store::referrals::NewReferral;

use super::dice::Dice;

const DOMESTIC_ABUSE_CRIMES: &[(&str, u64)] = &[
    ("domestic_abuse", 85),
    ("stalking_harassment", 10),
    ("sexual_offence", 5),
];

const OTHER_CRIMES: &[(&str, u64)] = &[
    ("violence_against_the_person", 25),
    ("burglary", 12),
    ("theft", 18),
    ("criminal_damage", 10),
    ("fraud", 8),
    ("hate_crime", 5),
    ("anti_social_behaviour", 10),
    ("robbery", 4),
    ("road_traffic_collision", 3),
    ("identity_theft", 3),
    ("other_crime", 2),
];

pub(super) fn crime_type(dice: &mut Dice, service_kind: &str) -> &'static str {
    if service_kind == "domestic_abuse" || service_kind == "idva" {
        dice.weighted(DOMESTIC_ABUSE_CRIMES)
    } else {
        dice.weighted(OTHER_CRIMES)
    }
}

/// Ages 10 to 85; one in twenty not known.
pub(super) fn birth_date(dice: &mut Dice, received_on: Date) -> Option<Date> {
    let age = 10 + dice.below(76) as i64;
    let born = received_on
        .checked_sub(age.years())
        .ok()
        .and_then(|d| d.checked_sub((dice.below(365) as i64).days()).ok());
    if dice.chance(5) { None } else { born }
}

/// About one in eight has a reason for enhanced rights; every child does;
/// and so does every victim of a crime type that carries one by itself (as
/// the shipped crime types do: migration 0021).
pub(super) fn enhanced_reasons(
    dice: &mut Dice,
    crime_type: &str,
    born: Option<Date>,
    received_on: Date,
) -> Vec<&'static str> {
    let mut reasons: Vec<&str> = Vec::new();
    match crime_type {
        "domestic_abuse" | "hate_crime" | "homicide_bereaved" => reasons.push("most_serious_crime"),
        "sexual_offence" | "modern_slavery" => reasons.push("intimidated"),
        _ => {}
    }
    // Drawn whatever the crime type, so the rest of the data set stays the same.
    if dice.chance(12) {
        let ticked = *dice.pick(&[
            "most_serious_crime",
            "persistently_targeted",
            "vulnerable",
            "intimidated",
        ]);
        if reasons.is_empty() {
            reasons.push(ticked);
        }
    }
    if born.is_some_and(|b| domain::victims_code::age_on(b, received_on) < 18)
        && !reasons.contains(&"vulnerable")
    {
        reasons.push("vulnerable");
    }
    reasons
}

/// An accepted referral's case: most have closed, with outcomes.
pub(super) fn case(
    dice: &mut Dice,
    workers: &HashMap<String, Vec<String>>,
    today: Date,
    referral: &NewReferral,
    opened: Date,
    enhanced: bool,
) -> GeneratedCase {
    let length = (30 + dice.below(150)) as i64;
    let closed_on = opened
        .checked_add(length.days())
        .ok()
        .filter(|d| *d <= today && dice.chance(85));
    let outcomes = match closed_on {
        Some(_) => domain::cases::OutcomeMeasure::ALL
            .iter()
            .map(|m| Outcome {
                measure: m.code().into(),
                result: dice
                    .weighted(&[
                        ("improved", 62),
                        ("sustained", 14),
                        ("not_improved", 9),
                        ("not_asked", 10),
                        ("declined", 5),
                    ])
                    .to_string(),
            })
            .collect(),
        None => Vec::new(),
    };
    // Cases opened in the last week and still open wait for the team
    // leader to allocate them, as on a normal day.
    let waiting = closed_on.is_none() && opened >= today.saturating_sub(7.days());
    let worker = workers
        .get(&referral.service_id)
        .filter(|w| !w.is_empty() && !waiting)
        .map(|w| dice.pick(w).clone());
    GeneratedCase {
        id: crate::secrets::new_id(),
        referral_id: referral.id.clone(),
        service_id: referral.service_id.clone(),
        person_id: referral.person_id.clone(),
        caseworker_id: worker,
        opened_at: format!("{opened}T12:00:00.000000Z"),
        opened_on: opened.to_string(),
        referral_received_on: referral.received_on.clone(),
        enhanced: i64::from(enhanced),
        closed: closed_on.map(|d| (format!("{d}T16:00:00.000000Z"), d.to_string())),
        outcomes,
    }
}
