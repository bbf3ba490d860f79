//! The return's tables, one function each, from the counts read for it.

use domain::cases::{OutcomeMeasure, OutcomeResult};
use domain::journey::{Disability, Ethnicity, Gender, ReferralSource, Religion, SexualOrientation};
use domain::reports::{AGE_BANDS, band_of_age};
use store::reports::{OutcomeCount, ReferralGroup, SupportedGroup};

use super::build::Counts;
use super::{Cell, Row, Table};

/// Summary rows that other tables break down.
pub(super) const RECEIVED: &str = "Referrals received";
pub(super) const SUPPORTED: &str = "Victims supported";
pub(super) const SUPPORTED_BASIC: &str = "Victims supported: basic service";
pub(super) const SUPPORTED_ENHANCED: &str = "Victims supported: enhanced service";
/// The tables that break down referrals received, and victims supported.
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
    let enhanced: i64 = counts
        .supported
        .iter()
        .filter(|g| g.enhanced != 0)
        .map(|g| g.people)
        .sum();
    vec![
        Table {
            definition: "summary",
            title: "Summary",
            columns: vec!["Number"],
            rows: count_rows([
                (RECEIVED.to_string(), received),
                ("Victims contacted".to_string(), counts.contacted),
                (SUPPORTED.to_string(), supported_total),
                (SUPPORTED_BASIC.to_string(), supported_total - enhanced),
                (SUPPORTED_ENHANCED.to_string(), enhanced),
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

/// For each cope-and-recover measure: how many were asked at exit, and how
/// many improved or sustained.
pub(super) fn outcome_table(outcomes: &[OutcomeCount]) -> Table {
    Table {
        definition: "outcomes",
        title: "Outcomes at exit",
        columns: vec![
            "Asked",
            "Improved or sustained",
            "Share improved or sustained",
        ],
        rows: OutcomeMeasure::ALL
            .iter()
            .map(|m| {
                let of = |keep: fn(OutcomeResult) -> bool| {
                    outcomes
                        .iter()
                        .filter(|o| {
                            o.measure == m.code()
                                && OutcomeResult::parse(&o.result).is_some_and(keep)
                        })
                        .map(|o| o.people)
                        .sum::<i64>()
                };
                let asked = of(OutcomeResult::asked);
                let positive = of(OutcomeResult::positive);
                Row {
                    label: m.label().to_string(),
                    cells: vec![
                        Cell::Count(asked),
                        Cell::Count(positive),
                        Cell::Share(positive, asked),
                    ],
                }
            })
            .collect(),
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
