//! The return's tables, one function each, from the counts read for it.

use domain::cases::{OutcomeMeasure, OutcomeResult, Satisfaction};
use domain::journey::{Disability, Ethnicity, Gender, ReferralSource, Religion, SexualOrientation};
use domain::reports::{AGE_BANDS, band_of_age};
use domain::risk::{AbuseType, Level};
use store::reports::{OutcomeCount, ReferralGroup, RiskChange, SupportedGroup};

use super::build::Counts;
use super::{Cell, Row, Table};

/// The summary table, whose rows other tables break down.
pub(super) const SUMMARY: &str = "summary";
/// Summary rows that other tables break down.
pub(super) const RECEIVED: &str = "Referrals received";
pub(super) const SUPPORTED: &str = "Victims supported: new";
pub(super) const CONTINUING: &str = "Victims supported: continuing";
pub(super) const SUPPORTED_INFORMATION: &str = "New victims given information and signposting only";
pub(super) const SUPPORTED_TAILORED: &str = "New victims given tailored support";
/// The tables that break down referrals received, and victims supported.
/// The tables of risk at intake and exit: their columns each add up to the
/// same (unshown) number of cases, so they are protected together.
pub(super) const RISK: &str = "risk";
pub(super) const RISK_CHANGE: &str = "risk-change";

pub(super) const BY_RECEIVED: &[&str] = &["by-source", "by-crime-type"];
pub(super) const BY_SUPPORTED: &[&str] = &[
    "age",
    "gender",
    "ethnicity",
    "disability",
    "sexual-orientation",
    "religion",
];

pub(super) fn count_rows<I: IntoIterator<Item = (String, i64)>>(rows: I) -> Vec<Row> {
    rows.into_iter()
        .map(|(label, n)| Row {
            label,
            cells: vec![Cell::Count(n)],
        })
        .collect()
}

/// The summary, and referrals by source and by crime type.
pub(super) fn referral_tables(counts: &Counts) -> Vec<Table> {
    let groups = &counts.groups;
    let received: i64 = groups.iter().map(|g| g.received).sum();
    let by_source = |code: &str| -> i64 {
        groups
            .iter()
            .filter(|g| g.source == code)
            .map(|g| g.received)
            .sum()
    };
    // Crime types by label, the most referred first.
    let mut crime_types: Vec<(String, i64)> = Vec::new();
    for g in groups {
        match crime_types
            .iter_mut()
            .find(|(label, _)| *label == g.crime_type_label)
        {
            Some((_, n)) => *n += g.received,
            None => crime_types.push((g.crime_type_label.clone(), g.received)),
        }
    }
    crime_types.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let supported_total: i64 = counts.supported.iter().map(|g| g.people).sum();
    let of_supported = |keep: fn(&SupportedGroup) -> bool| -> i64 {
        counts
            .supported
            .iter()
            .filter(|g| keep(g))
            .map(|g| g.people)
            .sum()
    };
    let tailored = of_supported(|g| g.tailored != 0);
    let enhanced = of_supported(|g| g.enhanced != 0);
    vec![
        Table {
            definition: SUMMARY,
            title: "Summary",
            columns: vec!["Number"],
            rows: count_rows([
                (RECEIVED.to_string(), received),
                ("Victims referred".to_string(), counts.referred),
                ("Victims contacted".to_string(), counts.contacted),
                (SUPPORTED.to_string(), supported_total),
                (CONTINUING.to_string(), counts.continuing),
                (
                    SUPPORTED_INFORMATION.to_string(),
                    supported_total - tailored,
                ),
                (SUPPORTED_TAILORED.to_string(), tailored),
                (
                    "New victims with enhanced rights (Victims' Code)".to_string(),
                    enhanced,
                ),
            ]),
        },
        Table {
            definition: "by-source",
            title: "Referrals by source",
            columns: vec!["Referrals"],
            rows: count_rows(
                ReferralSource::ALL
                    .iter()
                    .map(|s| (s.label().to_string(), by_source(s.code()))),
            ),
        },
        Table {
            definition: "by-crime-type",
            title: "Referrals by crime type",
            columns: vec!["Referrals"],
            rows: count_rows(crime_types),
        },
    ]
}

/// Victims supported by age, gender, ethnic group, disability, sexual
/// orientation and religion.
pub(super) fn demographic_tables(supported: &[SupportedGroup]) -> Vec<Table> {
    let table = |definition, title, rows| Table {
        definition,
        title,
        columns: vec!["Victims"],
        rows,
    };
    let ages = count_rows(AGE_BANDS.iter().map(|band| {
        let n = supported
            .iter()
            .filter(|g| band_of_age(g.age) == *band)
            .map(|g| g.people)
            .sum();
        (band.to_string(), n)
    }));
    vec![
        table("age", "Victims supported by age", ages),
        table(
            "gender",
            "Victims supported by gender",
            breakdown(supported, Gender::ALL, Gender::code, Gender::label, |p| {
                &p.gender
            }),
        ),
        table(
            "ethnicity",
            "Victims supported by ethnic group",
            breakdown(
                supported,
                Ethnicity::ALL,
                Ethnicity::code,
                Ethnicity::label,
                |p| &p.ethnicity,
            ),
        ),
        table(
            "disability",
            "Victims supported by disability",
            breakdown(
                supported,
                Disability::ALL,
                Disability::code,
                Disability::label,
                |p| &p.disability,
            ),
        ),
        table(
            "sexual-orientation",
            "Victims supported by sexual orientation",
            breakdown(
                supported,
                SexualOrientation::ALL,
                SexualOrientation::code,
                SexualOrientation::label,
                |p| &p.sexual_orientation,
            ),
        ),
        table(
            "religion",
            "Victims supported by religion",
            breakdown(
                supported,
                Religion::ALL,
                Religion::code,
                Religion::label,
                |p| &p.religion,
            ),
        ),
    ]
}

/// For each cope-and-recover measure: how many were asked at exit, how many
/// improved and how many sustained (from start and exit ratings, or as the
/// victim said), and how many were not asked, and why.
pub(super) fn outcome_table(outcomes: &[OutcomeCount]) -> Table {
    Table {
        definition: "outcomes",
        title: "Outcomes at exit",
        columns: vec![
            "Asked",
            "Improved",
            "Sustained",
            "Improved or sustained",
            "Share improved or sustained",
            "Declined to answer",
            "Not asked: could not be reached",
            "Not asked: not appropriate",
            "Not asked: another reason",
        ],
        rows: OutcomeMeasure::ALL
            .iter()
            .map(|m| {
                let of = |keep: &dyn Fn(OutcomeResult) -> bool| {
                    outcomes
                        .iter()
                        .filter(|o| {
                            o.measure == m.code()
                                && OutcomeResult::parse(&o.result).is_some_and(keep)
                        })
                        .map(|o| o.people)
                        .sum::<i64>()
                };
                let asked = of(&OutcomeResult::asked);
                let positive = of(&OutcomeResult::positive);
                let answered = |answer: OutcomeResult| Cell::Count(of(&move |r| r == answer));
                Row {
                    label: m.label().to_string(),
                    cells: vec![
                        Cell::Count(asked),
                        answered(OutcomeResult::Improved),
                        answered(OutcomeResult::Sustained),
                        Cell::Count(positive),
                        Cell::Share(positive, asked),
                        answered(OutcomeResult::Declined),
                        answered(OutcomeResult::NotAskedUnreachable),
                        answered(OutcomeResult::NotAskedInappropriate),
                        answered(OutcomeResult::NotAsked),
                    ],
                }
            })
            .collect(),
    }
}

/// The Victims Funding Strategy's four national outcomes, each from what is
/// recorded at exit (the mapping is in `docs/moj-return.md`): people asked,
/// people for whom it was achieved, and the share.
pub(super) fn national_outcomes_table(counts: &Counts) -> Table {
    let measure = |m: OutcomeMeasure| {
        let of = |keep: fn(OutcomeResult) -> bool| -> i64 {
            counts
                .outcomes
                .iter()
                .filter(|o| {
                    o.measure == m.code() && OutcomeResult::parse(&o.result).is_some_and(keep)
                })
                .map(|o| o.people)
                .sum()
        };
        (of(OutcomeResult::asked), of(OutcomeResult::positive))
    };
    let satisfied = |keep: fn(Satisfaction) -> bool| -> i64 {
        counts
            .satisfaction
            .iter()
            .filter(|(answer, _)| {
                answer
                    .as_deref()
                    .and_then(Satisfaction::parse)
                    .is_some_and(keep)
            })
            .map(|(_, n)| n)
            .sum()
    };
    let support = (
        satisfied(|s| s != Satisfaction::NotAsked),
        satisfied(|s| matches!(s, Satisfaction::Satisfied | Satisfaction::VerySatisfied)),
    );
    let row = |label: &str, (asked, achieved): (i64, i64)| Row {
        label: label.to_string(),
        cells: vec![
            Cell::Count(asked),
            Cell::Count(achieved),
            Cell::Share(achieved, asked),
        ],
    };
    Table {
        definition: "national-outcomes",
        title: "National outcomes (Victims Funding Strategy)",
        columns: vec!["Asked", "Achieved", "Share achieved"],
        rows: vec![
            row(
                "Coped and built resilience to move forward with daily life",
                measure(OutcomeMeasure::CopeEveryday),
            ),
            row(
                "Felt more informed",
                measure(OutcomeMeasure::InformedEmpowered),
            ),
            row(
                "Received the support they needed, when they wanted it",
                support,
            ),
            row(
                "Increased engagement with the criminal justice system",
                measure(OutcomeMeasure::CriminalJustice),
            ),
        ],
    }
}

/// Victims' Code deadlines that passed in the period, and how many were met.
pub(super) fn compliance_table(groups: &[ReferralGroup]) -> Table {
    let total = |field: fn(&ReferralGroup) -> i64| -> i64 { groups.iter().map(field).sum() };
    let row = |label: &str, due: i64, met: i64| Row {
        label: label.to_string(),
        cells: vec![Cell::Count(due), Cell::Count(met), Cell::Share(met, due)],
    };
    Table {
        definition: "compliance",
        title: "Victims' Code compliance",
        columns: vec!["Deadlines passed", "Met in time", "Share met"],
        rows: vec![
            row(
                "Referral passed to the service",
                total(|g| g.passed_due),
                total(|g| g.passed_met),
            ),
            row(
                "Information given to the victim",
                total(|g| g.informed_due),
                total(|g| g.informed_met),
            ),
            row(
                "First contact by the service",
                total(|g| g.contact_due),
                total(|g| g.contact_met),
            ),
        ],
    }
}

/// Counts supported people by one demographic, in the list's order.
pub(super) fn breakdown<T: Copy>(
    groups: &[SupportedGroup],
    all: &[T],
    code: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
    value: fn(&SupportedGroup) -> &str,
) -> Vec<Row> {
    count_rows(all.iter().map(|k| {
        let n = groups
            .iter()
            .filter(|g| value(g) == code(*k))
            .map(|g| g.people)
            .sum();
        (label(*k).to_string(), n)
    }))
}

/// How long victims waited: from the referral received to first contact,
/// and to support starting (the case opened), in calendar days.
pub(super) fn waiting_table(counts: &Counts) -> Table {
    let row = |label: &str, waits: &store::reports::Waits| {
        let (people, median, ninetieth) = waiting_days(waits);
        Row {
            label: label.to_string(),
            cells: vec![
                Cell::Count(people),
                Cell::Days(median),
                Cell::Days(ninetieth),
            ],
        }
    };
    Table {
        definition: "waiting",
        title: "Waiting times",
        columns: vec!["Referrals", "Median days", "90th percentile days"],
        rows: vec![
            row(
                "Referral received to first contact",
                &counts.waits_for_contact,
            ),
            row(
                "Referral received to support starting",
                &counts.waits_for_support,
            ),
        ],
    }
}

/// How many waited, and the median and 90th percentile of their waits in
/// days (the nearest-rank percentile: the wait that many had no longer than).
pub(super) fn waiting_days(waits: &store::reports::Waits) -> (i64, Option<i64>, Option<i64>) {
    let mut days: Vec<(i64, i64)> = waits
        .iter()
        .filter_map(|(from, to, n)| {
            let from: jiff::civil::Date = from.parse().ok()?;
            let to: jiff::civil::Date = to.parse().ok()?;
            let span = from.until(to).ok()?;
            Some((i64::from(span.get_days()).max(0), *n))
        })
        .collect();
    days.sort();
    let total: i64 = days.iter().map(|(_, n)| n).sum();
    let rank = |share: i64| -> Option<i64> {
        if total == 0 {
            return None;
        }
        // The smallest wait that at least share% of people had no longer than.
        let needed = (total * share + 99) / 100;
        let mut seen = 0;
        days.iter().find_map(|(d, n)| {
            seen += n;
            (seen >= needed).then_some(*d)
        })
    };
    (total, rank(50), rank(90))
}

/// Risk at intake and at exit for cases closed in the period with an
/// assessment: how many at each level first and last, and how many ended
/// lower, the same, or higher.
pub(super) fn risk_tables(changes: &[RiskChange]) -> Vec<Table> {
    let level = |code: &Option<String>| code.as_deref().and_then(Level::parse);
    let at = |pick: &dyn Fn(&RiskChange) -> Option<Level>, wanted: Option<Level>| {
        changes
            .iter()
            .filter(|c| pick(c) == wanted)
            .map(|c| c.cases)
            .sum::<i64>()
    };
    let mut levels: Vec<(String, Option<Level>)> = Level::ALL
        .iter()
        .rev()
        .map(|l| (l.label().to_string(), Some(*l)))
        .collect();
    levels.push(("Incomplete".to_string(), None));
    let by_level = Table {
        definition: RISK,
        title: "Risk at intake and at exit",
        columns: vec!["At intake", "At exit"],
        rows: levels
            .into_iter()
            .map(|(label, wanted)| Row {
                label,
                cells: vec![
                    Cell::Count(at(&|c| level(&c.intake), wanted)),
                    Cell::Count(at(&|c| level(&c.exit), wanted)),
                ],
            })
            .collect(),
    };
    let moved = |keep: &dyn Fn(Level, Level) -> bool| {
        changes
            .iter()
            .filter(|c| match (level(&c.intake), level(&c.exit)) {
                (Some(i), Some(e)) => keep(i, e),
                _ => false,
            })
            .map(|c| c.cases)
            .sum::<i64>()
    };
    let incomplete = changes
        .iter()
        .filter(|c| level(&c.intake).is_none() || level(&c.exit).is_none())
        .map(|c| c.cases)
        .sum::<i64>();
    let row = |label: &str, n: i64| Row {
        label: label.to_string(),
        cells: vec![Cell::Count(n)],
    };
    let change = Table {
        definition: RISK_CHANGE,
        title: "Risk at exit against risk at intake",
        columns: vec!["Cases"],
        rows: vec![
            row("Lower at exit", moved(&|i, e| e < i)),
            row("The same", moved(&|i, e| e == i)),
            row("Higher at exit", moved(&|i, e| e > i)),
            row("Not comparable: an assessment incomplete", incomplete),
        ],
    };
    vec![by_level, change]
}

/// The kinds of abuse present at intake and at exit, for the same cases as
/// the risk tables: a case counts once in each kind its assessment showed.
pub(super) fn abuse_table(abuse: &[(Vec<AbuseType>, Vec<AbuseType>)]) -> Table {
    Table {
        definition: "abuse",
        title: "Abuse present at intake and at exit",
        columns: vec!["At intake", "At exit"],
        rows: AbuseType::ALL
            .iter()
            .map(|kind| Row {
                label: kind.label().to_string(),
                cells: vec![
                    Cell::Count(abuse.iter().filter(|(i, _)| i.contains(kind)).count() as i64),
                    Cell::Count(abuse.iter().filter(|(_, e)| e.contains(kind)).count() as i64),
                ],
            })
            .collect(),
    }
}

#[cfg(test)]
mod waiting_tests {
    use super::waiting_days;

    #[test]
    fn median_and_ninetieth_percentile_by_nearest_rank() {
        let w = |from: &str, to: &str, n: i64| (from.to_string(), to.to_string(), n);
        assert_eq!(waiting_days(&vec![]), (0, None, None));
        // Waits of 0, 1, 2 … 9 days, one each: the 5th is 4 days, the 9th 8.
        let ten: Vec<_> = (1..=10)
            .map(|d| w("2026-10-01", &format!("2026-10-{d:02}"), 1))
            .collect();
        assert_eq!(waiting_days(&ten), (10, Some(4), Some(8)));
        // Across a month's end, and many waiting the same.
        let many = vec![
            w("2026-09-30", "2026-10-02", 9),
            w("2026-09-30", "2026-10-30", 1),
        ];
        assert_eq!(waiting_days(&many), (10, Some(2), Some(2)));
        let few = vec![
            w("2026-09-30", "2026-10-02", 8),
            w("2026-09-30", "2026-10-30", 2),
        ];
        assert_eq!(waiting_days(&few), (10, Some(2), Some(30)));
    }
}
