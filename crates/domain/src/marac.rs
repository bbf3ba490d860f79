//! The MARAC (multi-agency risk assessment conference): which cases meet
//! its referral criteria, when a referral is a repeat, and the order of a
//! meeting's agenda. Read "DASH and MARAC" in the domain notes.

use jiff::ToSpan;
use jiff::civil::Date;

use crate::directory::coded_enum;
use crate::risk::{Level, potential_escalation};

coded_enum! {
    /// Why a case goes to the MARAC.
    Criterion {
        VisibleHighRisk => ("visible_high_risk", "Visible high risk: the checklist's score reaches high"),
        ProfessionalJudgement => ("professional_judgement", "Professional judgement: high risk in the assessor's judgement"),
        PotentialEscalation => ("potential_escalation", "Potential escalation: enough incidents within 12 months"),
        Repeat => ("repeat", "Repeat: heard before, with a further incident within 12 months of the last referral"),
    }
}

coded_enum! {
    /// A kind of member agency.
    AgencyKind {
        Police => ("police", "Police"),
        ChildrensSocialCare => ("childrens_social_care", "Children's social care"),
        AdultSocialCare => ("adult_social_care", "Adult social care"),
        Health => ("health", "Health"),
        Housing => ("housing", "Housing"),
        Probation => ("probation", "Probation"),
        Idva => ("idva", "IDVA service"),
        Education => ("education", "Education"),
        Other => ("other", "Other"),
    }
}

coded_enum! {
    /// Where an action agreed at a meeting stands.
    ActionStatus {
        Open => ("open", "Open"),
        Done => ("done", "Done"),
        NotDone => ("not_done", "Not done"),
    }
}

coded_enum! {
    /// Why an action was not done: the MARAC's figures tell these apart.
    NotDoneClass {
        CircumstancesChanged => ("circumstances_changed", "Circumstances changed"),
        AgencyDidNotAct => ("agency_did_not_act", "The agency did not act"),
    }
}

/// What is known of a case when deciding whether it meets the criteria.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseRisk {
    /// The level the latest assessment's answers give.
    pub actuarial: Option<Level>,
    /// The level its professional judgement set, if any.
    pub judgement: Option<Level>,
    /// The days of the victim's incidents.
    pub incidents: Vec<Date>,
    /// How many incidents within 12 months are potential escalation.
    pub escalation_threshold: usize,
    /// The day of the last referral of this victim to this MARAC, if any.
    pub last_referral_on: Option<Date>,
}

/// The last day of the 12 months that start on a referral's day: the day
/// before its anniversary. An incident up to then makes a repeat; from
/// the anniversary on, it is a new referral.
pub fn repeat_until(referred_on: Date) -> Date {
    referred_on.saturating_add(1.year()).saturating_sub(1.day())
}

/// Whether a further incident on `incident` makes a repeat of a referral
/// made on `referred_on`: after the referral, within its 12 months.
pub fn is_repeat(referred_on: Date, incident: Date) -> bool {
    incident > referred_on && incident <= repeat_until(referred_on)
}

/// The criteria a case meets today, in the order the form lists them.
pub fn criteria(case: &CaseRisk, today: Date) -> Vec<Criterion> {
    let mut met = Vec::new();
    if case.actuarial == Some(Level::High) {
        met.push(Criterion::VisibleHighRisk);
    }
    if case.judgement == Some(Level::High) && case.actuarial != Some(Level::High) {
        met.push(Criterion::ProfessionalJudgement);
    }
    if potential_escalation(&case.incidents, today, case.escalation_threshold) {
        met.push(Criterion::PotentialEscalation);
    }
    if let Some(referred_on) = case.last_referral_on
        && case.incidents.iter().any(|i| is_repeat(referred_on, *i))
    {
        met.push(Criterion::Repeat);
    }
    met
}

coded_enum! {
    /// What an agenda is ordered by, in a MARAC's chosen order.
    AgendaKey {
        Repeats => ("repeats", "Repeats first"),
        Children => ("children", "Cases with children in the household first"),
        HighestScore => ("highest_score", "Highest checklist score first"),
        Referred => ("referred", "Earliest referred first"),
    }
}

/// The order most MARACs use: repeats, then cases with children, then the
/// earliest referred.
pub const DEFAULT_AGENDA: &[AgendaKey] =
    &[AgendaKey::Repeats, AgendaKey::Children, AgendaKey::Referred];

/// What the agenda orders a referral by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgendaItem {
    pub id: String,
    pub repeat: bool,
    pub children: u32,
    pub score: u32,
    pub referred_on: Date,
    /// A place the coordinator set by hand (1 first); set places come
    /// before the ordered rest.
    pub placed: Option<u32>,
}

/// The agenda: items the coordinator placed, in their places, then the
/// rest by `order`, each key breaking the ties of the one before, then by
/// id so the order is always the same.
pub fn agenda(mut items: Vec<AgendaItem>, order: &[AgendaKey]) -> Vec<AgendaItem> {
    items.sort_by(|a, b| {
        let placed = match (a.placed, b.placed) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        };
        let keyed = order.iter().fold(std::cmp::Ordering::Equal, |so_far, key| {
            so_far.then_with(|| match key {
                AgendaKey::Repeats => b.repeat.cmp(&a.repeat),
                AgendaKey::Children => (b.children > 0).cmp(&(a.children > 0)),
                AgendaKey::HighestScore => b.score.cmp(&a.score),
                AgendaKey::Referred => a.referred_on.cmp(&b.referred_on),
            })
        });
        placed.then(keyed).then_with(|| a.id.cmp(&b.id))
    });
    items
}

/// Reads an agenda order as written: keys separated by commas.
pub fn parse_agenda_order(text: &str) -> Option<Vec<AgendaKey>> {
    let keys: Option<Vec<AgendaKey>> = text
        .split(',')
        .map(|k| AgendaKey::parse(k.trim()))
        .collect();
    let keys = keys?;
    let unique = keys.iter().enumerate().all(|(i, k)| !keys[..i].contains(k));
    (!keys.is_empty() && unique).then_some(keys)
}

/// An area and the area it lies in (a district in its force area).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AreaIn<'a> {
    pub id: &'a str,
    pub parent: Option<&'a str>,
}

/// Whether a service in `service` may see victims heard at a MARAC for
/// `marac`, so flags them ("flag and tag"): the same area, a force-wide
/// service for a district's MARAC, or a district's service for a force
/// area's MARAC.
pub fn area_covers(marac: AreaIn<'_>, service: AreaIn<'_>) -> bool {
    marac.id == service.id || marac.parent == Some(service.id) || service.parent == Some(marac.id)
}

/// A referral to a meeting, as the MARAC's figures count it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CountedReferral {
    pub heard: bool,
    pub repeat: bool,
    pub children: i64,
    /// The referring agency (the service that made the referral).
    pub agency: String,
    pub gender: String,
    pub ethnicity: String,
    pub disability: String,
    pub sexual_orientation: String,
    /// Whole years at the referral's day, when the date of birth is known.
    pub age: Option<i64>,
}

/// The MARAC's quarterly data: what the national MARAC data asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Quarter {
    pub referrals: i64,
    pub heard: i64,
    pub repeats: i64,
    pub children: i64,
    pub minority_ethnic: i64,
    pub lgbt: i64,
    pub disabled: i64,
    pub male: i64,
    pub aged_16_17: i64,
    /// (agency, referrals), by agency.
    pub by_agency: Vec<(String, i64)>,
}

/// From a Black or minority ethnic group: any group recorded other than
/// White British (White Irish, Gypsy or Irish Traveller, Roma and other
/// White backgrounds included, as the national MARAC data counts them).
pub fn is_minority_ethnic(code: &str) -> bool {
    !matches!(
        code,
        "white_british" | "prefer_not_to_say" | "not_known" | ""
    )
}

/// Lesbian, gay, bisexual or another sexual orientation, or a gender other
/// than female or male.
pub fn is_lgbt(sexual_orientation: &str, gender: &str) -> bool {
    matches!(sexual_orientation, "gay_lesbian" | "bisexual" | "other")
        || matches!(gender, "non_binary" | "other")
}

/// Counts the referrals to a period's meetings. The victims' figures, the
/// repeats and the children are of the cases heard; referrals by agency
/// count every referral to those meetings, heard or not.
pub fn quarter(referrals: &[CountedReferral]) -> Quarter {
    let mut q = Quarter {
        referrals: referrals.len() as i64,
        ..Quarter::default()
    };
    for r in referrals {
        match q.by_agency.iter_mut().find(|(a, _)| *a == r.agency) {
            Some((_, n)) => *n += 1,
            None => q.by_agency.push((r.agency.clone(), 1)),
        }
        if !r.heard {
            continue;
        }
        q.heard += 1;
        q.repeats += i64::from(r.repeat);
        q.children += r.children;
        q.minority_ethnic += i64::from(is_minority_ethnic(&r.ethnicity));
        q.lgbt += i64::from(is_lgbt(&r.sexual_orientation, &r.gender));
        q.disabled += i64::from(r.disability == "yes");
        q.male += i64::from(r.gender == "male");
        q.aged_16_17 += i64::from(matches!(r.age, Some(16 | 17)));
    }
    q.by_agency.sort();
    q
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Date {
        s.parse().expect("date")
    }

    #[test]
    fn a_repeat_is_within_twelve_months_of_the_last_referral() {
        let referred = day("2026-03-01");
        assert_eq!(repeat_until(referred), day("2027-02-28"));
        for (incident, repeat) in [
            ("2026-03-01", false),
            ("2026-03-02", true),
            ("2027-02-28", true),
            ("2027-03-01", false),
        ] {
            assert_eq!(is_repeat(referred, day(incident)), repeat, "{incident}");
        }
        // From a leap day: the last day is 28 February.
        assert_eq!(repeat_until(day("2028-02-29")), day("2029-02-27"));
    }

    #[test]
    fn the_criteria_met_are_computed_from_the_case() {
        let today = day("2026-11-29");
        let base = CaseRisk {
            escalation_threshold: 3,
            ..Default::default()
        };
        let cases = [
            (
                CaseRisk {
                    actuarial: Some(Level::High),
                    ..base.clone()
                },
                vec![Criterion::VisibleHighRisk],
            ),
            (
                CaseRisk {
                    actuarial: Some(Level::Medium),
                    judgement: Some(Level::High),
                    ..base.clone()
                },
                vec![Criterion::ProfessionalJudgement],
            ),
            (
                CaseRisk {
                    actuarial: Some(Level::Medium),
                    judgement: Some(Level::Medium),
                    ..base.clone()
                },
                vec![],
            ),
            (
                CaseRisk {
                    incidents: vec![day("2026-01-10"), day("2026-06-01"), day("2026-11-01")],
                    ..base.clone()
                },
                vec![Criterion::PotentialEscalation],
            ),
            (
                CaseRisk {
                    incidents: vec![day("2026-06-01")],
                    last_referral_on: Some(day("2026-01-15")),
                    ..base.clone()
                },
                vec![Criterion::Repeat],
            ),
            (
                CaseRisk {
                    incidents: vec![day("2026-06-01")],
                    last_referral_on: Some(day("2025-05-15")),
                    ..base.clone()
                },
                vec![],
            ),
            (
                CaseRisk {
                    actuarial: Some(Level::High),
                    judgement: Some(Level::High),
                    incidents: vec![day("2026-02-01"), day("2026-03-01"), day("2026-04-01")],
                    last_referral_on: Some(day("2026-01-01")),
                    ..base.clone()
                },
                vec![
                    Criterion::VisibleHighRisk,
                    Criterion::PotentialEscalation,
                    Criterion::Repeat,
                ],
            ),
        ];
        for (case, expected) in cases {
            assert_eq!(criteria(&case, today), expected, "{case:?}");
        }
    }

    fn item(id: &str, repeat: bool, children: u32, score: u32, referred: &str) -> AgendaItem {
        AgendaItem {
            id: id.into(),
            repeat,
            children,
            score,
            referred_on: day(referred),
            placed: None,
        }
    }

    #[test]
    fn the_agenda_is_ordered_by_the_marac_s_keys_and_the_coordinator_s_places() {
        let items = vec![
            item("a", false, 0, 20, "2026-11-01"),
            item("b", false, 2, 14, "2026-11-10"),
            item("c", true, 0, 15, "2026-11-12"),
            item("d", false, 1, 16, "2026-11-02"),
            item("e", true, 3, 14, "2026-11-20"),
        ];
        let ids = |items: Vec<AgendaItem>| items.into_iter().map(|i| i.id).collect::<Vec<_>>();
        assert_eq!(
            ids(agenda(items.clone(), DEFAULT_AGENDA)),
            ["e", "c", "d", "b", "a"]
        );
        assert_eq!(
            ids(agenda(
                items.clone(),
                &[AgendaKey::HighestScore, AgendaKey::Referred]
            )),
            ["a", "d", "c", "b", "e"]
        );
        // Children first whichever way round they come, though referred later.
        let with = item("with", false, 1, 0, "2026-11-20");
        let without = item("without", false, 0, 0, "2026-11-01");
        for pair in [
            vec![with.clone(), without.clone()],
            vec![without.clone(), with.clone()],
        ] {
            assert_eq!(
                ids(agenda(pair, &[AgendaKey::Children, AgendaKey::Referred])),
                ["with", "without"]
            );
        }
        let mut placed = items;
        placed[0].placed = Some(1);
        assert_eq!(
            ids(agenda(placed, DEFAULT_AGENDA)),
            ["a", "e", "c", "d", "b"]
        );
    }

    #[test]
    fn an_agenda_order_is_read_as_written() {
        assert_eq!(
            parse_agenda_order("repeats, children, referred"),
            Some(DEFAULT_AGENDA.to_vec())
        );
        assert_eq!(parse_agenda_order("children,children"), None);
        assert_eq!(parse_agenda_order("loudest"), None);
        assert_eq!(parse_agenda_order(""), None);
    }

    #[test]
    fn the_quarter_counts_heard_cases_and_every_referral_by_agency() {
        let heard = |gender: &str, ethnicity: &str, orientation: &str, age| CountedReferral {
            heard: true,
            agency: "City IDVA".into(),
            gender: gender.into(),
            ethnicity: ethnicity.into(),
            disability: "no".into(),
            sexual_orientation: orientation.into(),
            age,
            ..CountedReferral::default()
        };
        let referrals = vec![
            CountedReferral {
                repeat: true,
                children: 2,
                disability: "yes".into(),
                ..heard("female", "white_british", "heterosexual", Some(34))
            },
            heard("male", "white_irish", "gay_lesbian", Some(17)),
            heard("non_binary", "not_known", "not_known", Some(16)),
            heard("female", "black_african", "prefer_not_to_say", Some(18)),
            heard("female", "prefer_not_to_say", "bisexual", None),
            // Waiting for its meeting: counted only as a referral.
            CountedReferral {
                heard: false,
                repeat: true,
                children: 5,
                agency: "Police".into(),
                gender: "male".into(),
                age: Some(16),
                ..CountedReferral::default()
            },
        ];
        let q = quarter(&referrals);
        assert_eq!((q.referrals, q.heard, q.repeats, q.children), (6, 5, 1, 2));
        assert_eq!((q.minority_ethnic, q.lgbt, q.disabled), (2, 3, 1));
        assert_eq!((q.male, q.aged_16_17), (1, 2));
        assert_eq!(
            q.by_agency,
            vec![("City IDVA".to_string(), 5), ("Police".to_string(), 1)]
        );
        assert!(!is_minority_ethnic("white_british") && is_minority_ethnic("white_roma"));
        assert!(!is_lgbt("heterosexual", "female") && is_lgbt("heterosexual", "other"));
    }

    #[test]
    fn a_marac_flags_its_area_the_force_around_it_and_the_districts_within() {
        let district = AreaIn {
            id: "city",
            parent: Some("force"),
        };
        let other_district = AreaIn {
            id: "vale",
            parent: Some("force"),
        };
        let force = AreaIn {
            id: "force",
            parent: None,
        };
        let elsewhere = AreaIn {
            id: "north",
            parent: None,
        };
        assert!(area_covers(district, district));
        assert!(area_covers(district, force), "a force-wide service");
        assert!(area_covers(force, district), "a force area's MARAC");
        assert!(
            !area_covers(district, other_district),
            "a neighbouring district"
        );
        assert!(!area_covers(district, elsewhere));
        assert!(!area_covers(force, elsewhere));
    }
}
