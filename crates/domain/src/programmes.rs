//! Programmes (pilots) judged from their own records, such as a domestic
//! abuse partnership car: its call-outs, what each achieved, the criminal
//! justice outcome added later, repeat call-outs, and the evaluation of the
//! pilot period against a baseline (docs/programmes.md).

use std::collections::HashMap;

use jiff::ToSpan;
use jiff::civil::Date;

use crate::directory::coded_enum;

coded_enum! {
    /// The criminal justice outcome of a call-out, added when known.
    JusticeOutcome {
        Awaiting => ("awaiting", "Not known yet"),
        Charged => ("charged", "Charged"),
        Convicted => ("convicted", "Convicted"),
        NoFurtherAction => ("no_further_action", "No further action"),
    }
}

coded_enum! {
    /// What the evaluation counts. The codes are those of a baseline file.
    Measure {
        CallOuts => ("call_outs", "Call-outs"),
        JointAttendance => ("joint_attendance", "Attended jointly"),
        DashDone => ("dash_done", "DASH done at the scene"),
        SafetyPlan => ("safety_plan", "Safety plan made"),
        ChildrenPresent => ("children_present", "Children present"),
        Arrest => ("arrest", "Arrest made"),
        ProtectionApplied => ("protection_applied", "Protection notice or order applied for"),
        ProtectionGranted => ("protection_granted", "Protection notice or order granted"),
        Engaged => ("engaged", "Victim engaged with support"),
        OnwardReferral => ("onward_referral", "Onward referral"),
        Charged => ("charged", "Charged (or convicted)"),
        Convicted => ("convicted", "Convicted"),
        NoFurtherAction => ("no_further_action", "No further action"),
        Repeat => ("repeat", "Repeat call-outs (the same victim within 12 months)"),
    }
}

/// The rates the evaluation compares, each a measure over the call-outs.
pub const RATES: [Measure; 6] = [
    Measure::Engaged,
    Measure::DashDone,
    Measure::SafetyPlan,
    Measure::Arrest,
    Measure::Charged,
    Measure::Repeat,
];

/// What a call-out recorded, as the evaluation counts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallOutFacts {
    pub day: Date,
    /// The victim, to recognise a repeat.
    pub person: String,
    pub joint: bool,
    pub dash_done: bool,
    pub safety_plan: bool,
    pub children_present: bool,
    pub arrest: bool,
    pub protection_applied: bool,
    pub protection_granted: bool,
    pub engaged: bool,
    pub onward_referral: bool,
    pub outcome: JusticeOutcome,
}

/// Whether a call-out on `day` repeats one on `earlier` to the same victim:
/// the earlier one was within the 12 months before it, from the day after
/// the same date a year before (on the anniversary it is a new call-out,
/// as a MARAC repeat is).
pub fn is_repeat(day: Date, earlier: Date) -> bool {
    let year_before = day.saturating_sub(1.year());
    earlier <= day && earlier > year_before
}

/// Counts each measure over the call-outs on the days from `from` to `to`.
/// `all` is every call-out of the programme, in the order they happened,
/// so a call-out in the period repeats one from before it.
pub fn tally(all: &[CallOutFacts], from: Date, to: Date) -> HashMap<Measure, i64> {
    let mut counts: HashMap<Measure, i64> = Measure::ALL.iter().map(|m| (*m, 0)).collect();
    for (i, c) in all.iter().enumerate() {
        if c.day < from || c.day > to {
            continue;
        }
        let repeat = all[..i]
            .iter()
            .any(|e| e.person == c.person && is_repeat(c.day, e.day));
        let facts = [
            (Measure::CallOuts, true),
            (Measure::JointAttendance, c.joint),
            (Measure::DashDone, c.dash_done),
            (Measure::SafetyPlan, c.safety_plan),
            (Measure::ChildrenPresent, c.children_present),
            (Measure::Arrest, c.arrest),
            (Measure::ProtectionApplied, c.protection_applied),
            (Measure::ProtectionGranted, c.protection_granted),
            (Measure::Engaged, c.engaged),
            (Measure::OnwardReferral, c.onward_referral),
            (
                Measure::Charged,
                matches!(
                    c.outcome,
                    JusticeOutcome::Charged | JusticeOutcome::Convicted
                ),
            ),
            (Measure::Convicted, c.outcome == JusticeOutcome::Convicted),
            (
                Measure::NoFurtherAction,
                c.outcome == JusticeOutcome::NoFurtherAction,
            ),
            (Measure::Repeat, repeat),
        ];
        for (measure, happened) in facts {
            if happened {
                *counts.entry(measure).or_default() += 1;
            }
        }
    }
    counts
}

crate::messages! {
    /// What a baseline file's problems say, each with its line.
    pub enum BaselineMessage {
        Header => "Line 1: the first line is the header: measure,count",
        BadLine { line: usize } => "Line {line}: give a measure and a count separated by a comma, such as: engaged,41",
        UnknownMeasure { line: usize, measure: String } => "Line {line}: there is no measure called '{measure}'; use one of the codes in the programmes guide",
        BadCount { line: usize } => "Line {line}: the count is a whole number from 0",
        Repeated { line: usize, first: usize } => "Line {line}: this measure is given already on line {first}; give each once",
        NoCallOuts => "The file has no call_outs line: every rate is a share of the call-outs, so give their number",
        MoreThanCallOuts { line: usize } => "Line {line}: this count is more than the call-outs; a measure counts call-outs, so it cannot be more",
    }
}

/// Reads a baseline file of aggregate figures, `measure,count` per line
/// after a header (line ends LF or CRLF). Every problem is given, each with
/// its line; a measure left out is not known for the baseline.
pub fn parse_baseline(text: &str) -> Result<HashMap<Measure, i64>, Vec<BaselineMessage>> {
    let mut problems = Vec::new();
    let mut lines = text.lines().enumerate();
    match lines.next() {
        Some((_, header)) if header.trim().eq_ignore_ascii_case("measure,count") => {}
        _ => problems.push(BaselineMessage::Header),
    }
    // (measure, count, line), in the file's order.
    let mut counts: Vec<(Measure, i64, usize)> = Vec::new();
    for (index, text) in lines {
        let line = index + 1;
        if text.trim().is_empty() {
            continue;
        }
        let Some((code, count)) = text.split_once(',') else {
            problems.push(BaselineMessage::BadLine { line });
            continue;
        };
        let Some(measure) = Measure::parse(code.trim()) else {
            problems.push(BaselineMessage::UnknownMeasure {
                line,
                measure: code.trim().chars().take(40).collect(),
            });
            continue;
        };
        let Ok(count) = count
            .trim()
            .parse::<i64>()
            .map_err(|_| ())
            .and_then(|c| if c >= 0 { Ok(c) } else { Err(()) })
        else {
            problems.push(BaselineMessage::BadCount { line });
            continue;
        };
        if let Some((_, _, first)) = counts.iter().find(|(m, _, _)| *m == measure) {
            problems.push(BaselineMessage::Repeated {
                line,
                first: *first,
            });
            continue;
        }
        counts.push((measure, count, line));
    }
    match counts.iter().find(|(m, _, _)| *m == Measure::CallOuts) {
        None => problems.push(BaselineMessage::NoCallOuts),
        Some((_, call_outs, _)) => {
            for (_, count, line) in &counts {
                if count > call_outs {
                    problems.push(BaselineMessage::MoreThanCallOuts { line: *line });
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(counts.into_iter().map(|(m, c, _)| (m, c)).collect())
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn call_out(day: Date, person: &str) -> CallOutFacts {
        CallOutFacts {
            day,
            person: person.into(),
            joint: true,
            dash_done: false,
            safety_plan: false,
            children_present: false,
            arrest: false,
            protection_applied: false,
            protection_granted: false,
            engaged: false,
            onward_referral: false,
            outcome: JusticeOutcome::Awaiting,
        }
    }

    #[test]
    fn a_repeat_is_within_the_twelve_months_before_and_not_on_the_anniversary() {
        let day = date(2026, 6, 15);
        assert!(is_repeat(day, date(2026, 6, 15)), "the same day");
        assert!(
            is_repeat(day, date(2025, 6, 16)),
            "the day after a year before"
        );
        assert!(
            !is_repeat(day, date(2025, 6, 15)),
            "the same date a year before"
        );
        assert!(!is_repeat(day, date(2024, 6, 16)));
        assert!(
            !is_repeat(day, date(2026, 6, 16)),
            "a later one repeats nothing"
        );
        // From a leap day: a year before is 28 February.
        let leap = date(2028, 2, 29);
        assert!(is_repeat(leap, date(2027, 3, 1)));
        assert!(!is_repeat(leap, date(2027, 2, 28)));
        // To a leap day's anniversary: 28 February 2029 looks back to 2028.
        assert!(is_repeat(date(2029, 2, 28), date(2028, 2, 29)));
    }

    #[test]
    fn the_tally_counts_the_period_and_finds_repeats_from_before_it() {
        let mut all = vec![
            call_out(date(2025, 12, 1), "ann"),
            call_out(date(2026, 1, 10), "ann"),
            call_out(date(2026, 1, 12), "bea"),
            call_out(date(2026, 1, 20), "bea"),
            call_out(date(2026, 2, 5), "cat"),
        ];
        all[2].dash_done = true;
        all[2].arrest = true;
        all[2].outcome = JusticeOutcome::Convicted;
        all[3].outcome = JusticeOutcome::Charged;
        all[4].outcome = JusticeOutcome::NoFurtherAction;
        all[4].engaged = true;
        let counts = tally(&all, date(2026, 1, 1), date(2026, 1, 31));
        assert_eq!(counts[&Measure::CallOuts], 3);
        assert_eq!(
            counts[&Measure::Repeat],
            2,
            "ann from December, bea's second"
        );
        assert_eq!(counts[&Measure::DashDone], 1);
        assert_eq!(counts[&Measure::Arrest], 1);
        assert_eq!(counts[&Measure::Charged], 2, "charged or convicted");
        assert_eq!(counts[&Measure::Convicted], 1);
        assert_eq!(counts[&Measure::NoFurtherAction], 0, "February is outside");
        assert_eq!(counts[&Measure::Engaged], 0);
        assert_eq!(counts[&Measure::JointAttendance], 3);
        // The period's first and last days are in it.
        let edges = tally(&all, date(2026, 1, 10), date(2026, 1, 20));
        assert_eq!(edges[&Measure::CallOuts], 3);
        let february = tally(&all, date(2026, 2, 1), date(2026, 2, 28));
        assert_eq!(february[&Measure::CallOuts], 1);
        assert_eq!(february[&Measure::Repeat], 0);
        assert_eq!(february[&Measure::Engaged], 1);
    }

    #[test]
    fn a_baseline_file_is_read_and_every_problem_named_with_its_line() {
        let good = "measure,count\r\ncall_outs,120\r\nengaged,41\r\n\r\nrepeat,30\r\n";
        let read = parse_baseline(good).expect("good");
        assert_eq!(read[&Measure::CallOuts], 120);
        assert_eq!(read[&Measure::Engaged], 41);
        assert_eq!(read.get(&Measure::Arrest), None, "left out is not known");
        let bad = "measure,count\ncall_outs,10\nengagd,4\narrest,x\nengaged,3\nengaged,2\ndash_done,11\nnonsense\n";
        let problems = parse_baseline(bad).expect_err("bad");
        assert_eq!(
            problems,
            vec![
                BaselineMessage::UnknownMeasure {
                    line: 3,
                    measure: "engagd".into()
                },
                BaselineMessage::BadCount { line: 4 },
                BaselineMessage::Repeated { line: 6, first: 5 },
                BaselineMessage::BadLine { line: 8 },
                BaselineMessage::MoreThanCallOuts { line: 7 },
            ]
        );
        assert_eq!(
            parse_baseline("count,measure\nengaged,-1\n").expect_err("bad"),
            vec![
                BaselineMessage::Header,
                BaselineMessage::BadCount { line: 2 },
                BaselineMessage::NoCallOuts,
            ]
        );
    }
}
