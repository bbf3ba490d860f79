//! The dates a referral carries: each a real date, none in the future, in
//! an order that makes sense.

use domain::validation::FieldErrors;
use jiff::civil::Date;

use crate::App;
use crate::calendar::uk_time_zone;
use crate::clock::parse_instant;

use super::*;
use crate::referrals::messages::ReferralMessage;

/// Reads an optional date field, adding an error that names it if it is not one.
pub(crate) fn date_field(
    errors: &mut FieldErrors,
    field: &str,
    value: &str,
    label: &str,
) -> Option<Date> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    match domain::values::Day::parse(value) {
        Ok(d) => Some(d.date()),
        Err(_) => {
            errors.add(
                field,
                ReferralMessage::NotARealDate {
                    label: label.into(),
                },
            );
            None
        }
    }
}

/// The dates a referral carries, read and checked against each other.
pub(crate) struct Dates {
    pub(crate) incident: Option<Date>,
    pub(crate) reported: Option<Date>,
    pub(crate) consent_on: Option<Date>,
    pub(crate) born: Option<Date>,
    pub(crate) received_at: jiff::Timestamp,
    pub(crate) received_on: Date,
}

/// The instant to record for a referral received on `day` (UK): now if it
/// is today, noon UK time on an earlier day; `None` for a day to come.
fn received_on_day(day: &str, now: jiff::Timestamp) -> Option<jiff::Timestamp> {
    let day = domain::values::Day::parse(day).ok()?.date();
    let today = now.to_zoned(uk_time_zone()).date();
    if day > today {
        return None;
    }
    if day == today {
        return Some(now);
    }
    day.at(12, 0, 0, 0)
        .to_zoned(uk_time_zone())
        .ok()
        .map(|z| z.timestamp())
}

impl App {
    /// Every date the referral gives, each real, none in the future, and in
    /// an order that makes sense.
    pub(crate) fn check_dates(&self, input: &ReferralInput, errors: &mut FieldErrors) -> Dates {
        let today = self.today();
        let incident = date_field(
            errors,
            "incident_date",
            &input.incident_date,
            "the date of the incident",
        );
        let reported = date_field(
            errors,
            "crime_reported_on",
            &input.crime_reported_on,
            "the date the crime was reported",
        );
        let consent_on = date_field(
            errors,
            "consent_recorded_on",
            &input.consent_recorded_on,
            "the date consent was recorded",
        );
        let born = date_field(
            errors,
            "date_of_birth",
            &input.person.date_of_birth,
            "the date of birth",
        );
        for (field, date, label) in [
            ("incident_date", incident, "The incident"),
            ("crime_reported_on", reported, "The report"),
            ("consent_recorded_on", consent_on, "Consent"),
            ("date_of_birth", born, "The date of birth"),
        ] {
            if date.is_some_and(|d| d > today) {
                errors.add(
                    field,
                    ReferralMessage::DateInFuture {
                        label: label.into(),
                    },
                );
            }
        }
        if let (Some(i), Some(r)) = (incident, reported)
            && r < i
        {
            errors.add(
                "crime_reported_on",
                ReferralMessage::CrimeCannotHaveBeenReported,
            );
        }
        if let (Some(b), Some(i)) = (born, incident)
            && b > i
        {
            errors.add(
                "date_of_birth",
                ReferralMessage::DateBirthMustBeforeIncident,
            );
        }
        let now = self.clock.now();
        let received_at = match optional(&input.received_at) {
            None => now,
            // A date alone (the hand form): that day, or now if it is today.
            Some(text) if domain::values::Day::parse(&text).is_ok() => {
                match received_on_day(&text, now) {
                    Some(t) => t,
                    None => {
                        errors.add("received_at", ReferralMessage::TimeReceivedCannotFuture);
                        now
                    }
                }
            }
            Some(text) => match parse_instant(&text) {
                Some(t) if t <= now => t,
                Some(_) => {
                    errors.add("received_at", ReferralMessage::TimeReceivedCannotFuture);
                    now
                }
                None => {
                    errors.add("received_at", ReferralMessage::EnterTimeReceivedDateTime);
                    now
                }
            },
        };
        let received_on = received_at.to_zoned(uk_time_zone()).date();
        if reported.is_some_and(|r| r > received_on) {
            errors.add(
                "crime_reported_on",
                ReferralMessage::CrimeCannotHaveBeenReported2,
            );
        }
        Dates {
            incident,
            reported,
            consent_on,
            born,
            received_at,
            received_on,
        }
    }
}
