//! The Victims' Code: who is entitled to the enhanced service, what consent a
//! referral needs, and the clocks that say how fast things must happen, in
//! working days of the victim's nation.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::calendar::Calendar;
use crate::directory::coded_enum;

coded_enum! {
    /// Why a victim is entitled to the enhanced service.
    EnhancedReason {
        MostSeriousCrime => ("most_serious_crime", "Victim of the most serious crime"),
        PersistentlyTargeted => ("persistently_targeted", "Persistently targeted"),
        Vulnerable => ("vulnerable", "Vulnerable"),
        Intimidated => ("intimidated", "Intimidated"),
    }
}

/// How a crime type's referrals need consent to be passed to a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentRule {
    /// Passed only if the victim said yes (sexual offences, domestic abuse,
    /// bereaved families).
    OptIn,
    /// Passed unless the victim said no.
    OptOut,
}

/// What the victim said about being contacted by a support service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Consent {
    Given,
    Declined,
    Withdrawn,
    NotAsked,
}

impl Consent {
    pub fn parse(code: &str) -> Option<Consent> {
        match code {
            "given" => Some(Consent::Given),
            "declined" => Some(Consent::Declined),
            "withdrawn" => Some(Consent::Withdrawn),
            "not_asked" => Some(Consent::NotAsked),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Consent::Given => "given",
            Consent::Declined => "declined",
            Consent::Withdrawn => "withdrawn",
            Consent::NotAsked => "not_asked",
        }
    }
}

/// Whether a referral with this consent may be passed on under the rule;
/// `Err` says why not, for the person entering it.
pub fn may_refer(rule: ConsentRule, consent: Consent) -> Result<(), &'static str> {
    match (rule, consent) {
        (_, Consent::Given) => Ok(()),
        (_, Consent::Declined | Consent::Withdrawn) => {
            Err("The victim has not agreed to be contacted: do not pass this referral on")
        }
        (ConsentRule::OptOut, Consent::NotAsked) => Ok(()),
        (ConsentRule::OptIn, Consent::NotAsked) => Err(
            "This crime type needs the victim's consent before a referral is passed on: record that consent was given",
        ),
    }
}

/// A kind of crime or incident a service supports, with its consent rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrimeType {
    pub code: String,
    pub label: String,
    pub consent: ConsentRule,
}

/// The crime types Waymark starts with; services can add their own.
pub fn default_crime_types() -> Vec<CrimeType> {
    let t = |code: &str, label: &str, consent| CrimeType {
        code: code.into(),
        label: label.into(),
        consent,
    };
    use ConsentRule::*;
    vec![
        t(
            "violence_against_the_person",
            "Violence against the person",
            OptOut,
        ),
        t("domestic_abuse", "Domestic abuse", OptIn),
        t("sexual_offence", "Sexual offence", OptIn),
        t("stalking_harassment", "Stalking or harassment", OptOut),
        t("homicide_bereaved", "Homicide (bereaved family)", OptIn),
        t("robbery", "Robbery", OptOut),
        t("burglary", "Burglary", OptOut),
        t("theft", "Theft", OptOut),
        t("criminal_damage", "Criminal damage and arson", OptOut),
        t("fraud", "Fraud", OptOut),
        t("identity_theft", "Identity theft", OptOut),
        t("hate_crime", "Hate crime", OptOut),
        t("hate_incident", "Hate incident", OptOut),
        t("anti_social_behaviour", "Anti-social behaviour", OptOut),
        t("road_traffic_collision", "Road traffic collision", OptOut),
        t("modern_slavery", "Modern slavery", OptIn),
        t("other_crime", "Other crime", OptOut),
    ]
}

/// The reasons for enhanced rights: those given, the one the crime type
/// carries by itself (most serious crime for domestic abuse, say), and
/// "vulnerable" for anyone under 18 at the time of the offence, as the Code
/// does.
pub fn enhanced_reasons(
    given: &[EnhancedReason],
    by_crime_type: Option<EnhancedReason>,
    date_of_birth: Option<Date>,
    incident: Option<Date>,
) -> Vec<EnhancedReason> {
    let mut reasons: Vec<EnhancedReason> = Vec::new();
    for r in given.iter().chain(&by_crime_type) {
        if !reasons.contains(r) {
            reasons.push(*r);
        }
    }
    if let (Some(born), Some(on)) = (date_of_birth, incident)
        && age_on(born, on) < 18
        && !reasons.contains(&EnhancedReason::Vulnerable)
    {
        reasons.push(EnhancedReason::Vulnerable);
    }
    reasons
}

/// Whole years of age on a date.
pub fn age_on(born: Date, on: Date) -> i32 {
    let mut age = i32::from(on.year()) - i32::from(born.year());
    if (on.month(), on.day()) < (born.month(), born.day()) {
        age -= 1;
    }
    age
}

/// From what a clock runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockStart {
    CrimeReported,
    ReferralReceived,
}

/// One Victims' Code timescale. Lengths are configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clock {
    pub code: String,
    pub label: String,
    pub starts: ClockStart,
    pub working_days: u32,
    /// A different length for victims entitled to the enhanced service.
    pub enhanced_working_days: Option<u32>,
}

/// The Code's clocks with their usual lengths.
pub fn default_clocks() -> Vec<Clock> {
    vec![
        Clock {
            code: "referral_passed".into(),
            label: "Referral passed to the service".into(),
            starts: ClockStart::CrimeReported,
            working_days: 2,
            enhanced_working_days: None,
        },
        Clock {
            code: "information_given".into(),
            label: "Information about support given to the victim".into(),
            starts: ClockStart::ReferralReceived,
            working_days: 5,
            enhanced_working_days: Some(1),
        },
        Clock {
            code: "first_contact".into(),
            label: "First contact by the service".into(),
            starts: ClockStart::ReferralReceived,
            working_days: 2,
            enhanced_working_days: None,
        },
    ]
}

/// Where a deadline stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineState {
    Met,
    Missed,
    DueToday,
    Overdue,
    Pending,
}

/// A clock applied to one referral.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deadline {
    pub clock: String,
    pub due: Date,
    pub done_on: Option<Date>,
}

impl Deadline {
    /// The state on `today` (dates are in the victim's nation's local time).
    pub fn state(&self, today: Date) -> DeadlineState {
        match self.done_on {
            Some(done) if done <= self.due => DeadlineState::Met,
            Some(_) => DeadlineState::Missed,
            None if today == self.due => DeadlineState::DueToday,
            None if today > self.due => DeadlineState::Overdue,
            None => DeadlineState::Pending,
        }
    }
}

/// The due date of a clock: `working_days` after the start's date, the
/// start day itself being day 0.
pub fn due_date(calendar: &Calendar, clock: &Clock, start: Date, enhanced: bool) -> Date {
    let days = if enhanced {
        clock.enhanced_working_days.unwrap_or(clock.working_days)
    } else {
        clock.working_days
    };
    calendar.add_working_days(start, days)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::{Calendar, Nation};

    fn d(text: &str) -> Date {
        text.parse().expect("date")
    }

    #[test]
    fn consent_rules_table() {
        use Consent::*;
        use ConsentRule::*;
        let table = [
            (OptIn, Given, true),
            (OptIn, NotAsked, false),
            (OptIn, Declined, false),
            (OptIn, Withdrawn, false),
            (OptOut, Given, true),
            (OptOut, NotAsked, true),
            (OptOut, Declined, false),
            (OptOut, Withdrawn, false),
        ];
        for (rule, consent, allowed) in table {
            assert_eq!(
                may_refer(rule, consent).is_ok(),
                allowed,
                "{rule:?} {consent:?}"
            );
        }
        let types = default_crime_types();
        let rule = |code: &str| types.iter().find(|t| t.code == code).expect(code).consent;
        assert_eq!(rule("domestic_abuse"), OptIn);
        assert_eq!(rule("sexual_offence"), OptIn);
        assert_eq!(rule("homicide_bereaved"), OptIn);
        assert_eq!(rule("burglary"), OptOut);
        assert_eq!(rule("anti_social_behaviour"), OptOut);
    }

    #[test]
    fn under_eighteen_at_the_offence_is_vulnerable() {
        let table = [
            ("2009-06-15", "2027-06-14", true), // the day before their 18th birthday
            ("2009-06-15", "2027-06-15", false), // on their 18th birthday
            ("2010-02-28", "2026-11-01", true),
            ("1980-01-01", "2026-11-01", false),
        ];
        for (born, incident, vulnerable) in table {
            let reasons = enhanced_reasons(&[], None, Some(d(born)), Some(d(incident)));
            assert_eq!(
                reasons.contains(&EnhancedReason::Vulnerable),
                vulnerable,
                "{born} {incident}"
            );
        }
        let given = enhanced_reasons(
            &[EnhancedReason::Intimidated, EnhancedReason::Intimidated],
            None,
            None,
            None,
        );
        assert_eq!(given, vec![EnhancedReason::Intimidated]);
        let both = enhanced_reasons(
            &[EnhancedReason::Vulnerable],
            None,
            Some(d("2015-01-01")),
            Some(d("2026-01-01")),
        );
        assert_eq!(both, vec![EnhancedReason::Vulnerable], "not added twice");
    }

    #[test]
    fn a_crime_type_that_carries_enhanced_rights_gives_them_without_a_tick() {
        use EnhancedReason::*;
        // (ticked, the crime type's, expected)
        let table: [(&[EnhancedReason], Option<EnhancedReason>, &[EnhancedReason]); 4] = [
            (&[], Some(MostSeriousCrime), &[MostSeriousCrime]),
            (&[], None, &[]),
            (&[Vulnerable], Some(Intimidated), &[Vulnerable, Intimidated]),
            (
                &[MostSeriousCrime],
                Some(MostSeriousCrime),
                &[MostSeriousCrime],
            ),
        ];
        for (ticked, by_type, expected) in table {
            assert_eq!(
                enhanced_reasons(ticked, by_type, None, None),
                expected,
                "{ticked:?} {by_type:?}"
            );
        }
    }

    #[test]
    fn deadlines_by_clock_around_weekends_and_holidays() {
        let ew = Calendar::shipped(Nation::EnglandAndWales);
        let clocks = default_clocks();
        let clock = |code: &str| clocks.iter().find(|c| c.code == code).expect(code).clone();
        // (clock, start, enhanced, due)
        let table = [
            ("referral_passed", "2026-11-20", false, "2026-11-24"), // reported Friday: Tuesday
            ("information_given", "2026-11-20", true, "2026-11-23"), // enhanced, 1 day: Monday
            ("information_given", "2026-11-20", false, "2026-11-27"), // 5 days: next Friday
            ("information_given", "2026-12-24", true, "2026-12-29"), // over Christmas
            ("information_given", "2026-12-24", false, "2027-01-05"), // over Christmas and New Year
            ("referral_passed", "2026-04-02", false, "2026-04-08"), // over Easter
            ("referral_passed", "2023-05-05", false, "2023-05-10"), // over the Coronation holiday
        ];
        for (code, start, enhanced, due) in table {
            assert_eq!(
                due_date(&ew, &clock(code), d(start), enhanced),
                d(due),
                "{code} from {start} enhanced={enhanced}"
            );
        }
    }

    #[test]
    fn deadline_states() {
        let deadline = |done: Option<&str>| Deadline {
            clock: "x".into(),
            due: d("2026-11-24"),
            done_on: done.map(d),
        };
        assert_eq!(
            deadline(None).state(d("2026-11-23")),
            DeadlineState::Pending
        );
        assert_eq!(
            deadline(None).state(d("2026-11-24")),
            DeadlineState::DueToday
        );
        assert_eq!(
            deadline(None).state(d("2026-11-25")),
            DeadlineState::Overdue
        );
        assert_eq!(
            deadline(Some("2026-11-24")).state(d("2026-11-30")),
            DeadlineState::Met
        );
        assert_eq!(
            deadline(Some("2026-11-25")).state(d("2026-11-30")),
            DeadlineState::Missed
        );
    }

    #[test]
    fn consent_codes_read_back() {
        for consent in [
            Consent::Given,
            Consent::Declined,
            Consent::Withdrawn,
            Consent::NotAsked,
        ] {
            assert_eq!(Consent::parse(consent.code()), Some(consent));
        }
        assert_eq!(Consent::parse("maybe"), None);
    }
}
