//! Commissioning's rules: money split exactly by shares or by measured
//! activity, and a decision's way from draft to publication
//! (docs/commissioning.md). Financial years are `reports::financial_year`.

use jiff::civil::Date;

use crate::directory::coded_enum;
use crate::values::{Pence, largest_remainder};

coded_enum! {
    /// Where money for victims' services comes from.
    FundingKind {
        MojVictimsGrant => ("moj_victims_grant", "MoJ victims' services grant"),
        RingFencedAbuse => ("ring_fenced_abuse", "Ring-fenced domestic and sexual abuse funding (IDVA and ISVA posts)"),
        CommunitySafetyGrant => ("community_safety_grant", "Community Safety Grant"),
        Reserves => ("reserves", "PCC reserves"),
        PartnerContribution => ("partner_contribution", "Partner contribution"),
        RegionalPool => ("regional_pool", "Pooled regional fund"),
    }
}

coded_enum! {
    /// Whether a decision spends capital or revenue.
    Spend {
        Revenue => ("revenue", "Revenue"),
        Capital => ("capital", "Capital"),
    }
}

coded_enum! {
    /// What becomes of a decision's "Section B" report (its non-public
    /// supporting information).
    SectionB {
        NoReport => ("none", "There is no Section B report"),
        Published => ("published", "Published with the decision"),
        Withheld => ("withheld", "Not published"),
    }
}

coded_enum! {
    /// Why part of a decision's supporting information is not published:
    /// the Freedom of Information Act's exemptions that PCC offices use.
    Exemption {
        CommerciallySensitive => ("commercially_sensitive", "Commercially sensitive (section 43)"),
        PersonalInformation => ("personal_information", "Personal information (section 40)"),
        LawEnforcement => ("law_enforcement", "Law enforcement (section 31)"),
        LegalAdvice => ("legal_advice", "Legal professional privilege (section 42)"),
        FuturePublication => ("future_publication", "Intended for future publication (section 22)"),
    }
}

/// One amount a decision spends: to whom, how much, and from which
/// funding source (by its name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmountLine {
    pub recipient: String,
    pub amount: Pence,
    pub source: String,
}

/// A problem with one line of a decision's amounts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmountProblem {
    /// Counted from 1, as the form shows the lines.
    pub line: usize,
    pub what: AmountFault,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmountFault {
    /// Not three parts separated by "|".
    Shape,
    NoRecipient,
    Amount,
    /// A source the office has not set up.
    UnknownSource,
}

/// Reads a decision's amounts, one to a line: `recipient | amount |
/// source`, such as `Eastmoor Women's Aid | 23,966 | Community Safety
/// Grant`. Blank lines are skipped; sources are matched by name, case
/// aside, against `sources`. Every problem is named with its line.
pub fn parse_amounts(text: &str, sources: &[&str]) -> Result<Vec<AmountLine>, Vec<AmountProblem>> {
    let mut lines = Vec::new();
    let mut problems = Vec::new();
    for (line, parts) in lines_of(text) {
        let [recipient, amount, source] = parts[..] else {
            problems.push(AmountProblem {
                line,
                what: AmountFault::Shape,
            });
            continue;
        };
        let mut fault = |what| problems.push(AmountProblem { line, what });
        if recipient.is_empty() {
            fault(AmountFault::NoRecipient);
        }
        let amount = Pence::parse(amount).ok().filter(|p| p.0 > 0);
        if amount.is_none() {
            fault(AmountFault::Amount);
        }
        let known = sources.iter().find(|s| s.eq_ignore_ascii_case(source));
        if known.is_none() {
            fault(AmountFault::UnknownSource);
        }
        if let (Some(amount), Some(known), false) = (amount, known, recipient.is_empty()) {
            lines.push(AmountLine {
                recipient: recipient.to_string(),
                amount,
                source: known.to_string(),
            });
        }
    }
    if problems.is_empty() {
        Ok(lines)
    } else {
        Err(problems)
    }
}

coded_enum! {
    /// A contract or a grant.
    AgreementKind {
        Contract => ("contract", "Contract"),
        Grant => ("grant", "Grant"),
    }
}

coded_enum! {
    /// A key performance indicator: a figure Waymark measures for the
    /// contract's services each quarter, held against a target.
    Kpi {
        FirstContactInTime => ("first_contact_in_time", "Victims first contacted within the Code's time (% of deadlines)"),
        InformationInTime => ("information_in_time", "Victims given information within the Code's time (% of deadlines)"),
        VictimsSupported => ("victims_supported", "New victims supported in the quarter (number)"),
        VictimsReferred => ("victims_referred", "Victims referred in the quarter (number)"),
        CopedImproved => ("coped_improved", "Victims who coped better at exit: improved or sustained (% of those asked)"),
    }
}

impl Kpi {
    /// Where the figure is in the MoJ return: the table, the row and the
    /// column.
    pub fn in_return(self) -> (&'static str, &'static str, usize) {
        match self {
            Kpi::FirstContactInTime => ("compliance", "First contact by the service", 2),
            Kpi::InformationInTime => ("compliance", "Information given to the victim", 2),
            Kpi::VictimsSupported => ("summary", "Victims supported: new", 0),
            Kpi::VictimsReferred => ("summary", "Victims referred", 0),
            Kpi::CopedImproved => (
                "national-outcomes",
                "Coped and built resilience to move forward with daily life",
                2,
            ),
        }
    }

    /// Whether the target is a percentage (otherwise a number).
    pub fn is_share(self) -> bool {
        matches!(
            self,
            Kpi::FirstContactInTime | Kpi::InformationInTime | Kpi::CopedImproved
        )
    }

    /// Whether a figure as shown (such as "85%", "120", "<5", "–") meets
    /// the target: `None` when the figure shown cannot say.
    pub fn meets(self, shown: &str, target: i64) -> Option<bool> {
        let number: i64 = shown.trim().trim_end_matches('%').parse().ok()?;
        Some(number >= target)
    }
}

/// A problem with one line of a list typed one item to a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineProblem {
    /// Counted from 1.
    pub line: usize,
    pub what: &'static str,
}

/// The lines of a text typed as `a | b | c`, one record to a line: each
/// line's number (from 1, counting blank lines) and its cells, trimmed.
/// Blank lines are skipped.
pub fn lines_of(text: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| (i + 1, l.split('|').map(str::trim).collect()))
}

/// A share in basis points from "60", "60%" or "12.5%".
pub fn basis_points(text: &str) -> Option<i64> {
    let text = text.trim().trim_end_matches('%').trim();
    let (whole, part) = text.split_once('.').unwrap_or((text, ""));
    if whole.is_empty()
        || part.len() > 2
        || !whole
            .chars()
            .chain(part.chars())
            .all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let part = format!("{part:0<2}");
    let bp = whole.parse::<i64>().ok()? * 100 + part.parse::<i64>().ok()?;
    (bp <= 10_000).then_some(bp)
}

/// One named share, such as a funding source's or a co-commissioner's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedShare {
    pub name: String,
    /// Basis points: 6000 is 60%.
    pub share: i64,
    /// Marked "lead" on its line (a lead commissioner).
    pub lead: bool,
}

/// Reads shares one to a line, `name | 60%`, optionally `| lead`; the
/// shares must add up to 100%, and at most one may lead.
pub fn parse_shares(text: &str) -> Result<Vec<NamedShare>, Vec<LineProblem>> {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (line, parts) in lines_of(text) {
        let lead = match parts.get(2).map(|p| p.to_lowercase()) {
            None => false,
            Some(p) if p == "lead" => true,
            Some(_) => {
                problems.push(LineProblem {
                    line,
                    what: "the third part may only be \"lead\"",
                });
                continue;
            }
        };
        match (parts.first(), parts.get(1).and_then(|s| basis_points(s))) {
            (Some(name), Some(share)) if !name.is_empty() && parts.len() <= 3 => {
                out.push(NamedShare {
                    name: name.to_string(),
                    share,
                    lead,
                })
            }
            _ => problems.push(LineProblem {
                line,
                what: "give a name and a share such as 60%, separated by |",
            }),
        }
    }
    if problems.is_empty() && !out.is_empty() {
        let total: i64 = out.iter().map(|s| s.share).sum();
        if total != 10_000 {
            problems.push(LineProblem {
                line: 0,
                what: "the shares must add up to 100%",
            });
        }
        if out.iter().filter(|s| s.lead).count() > 1 {
            problems.push(LineProblem {
                line: 0,
                what: "only one may lead",
            });
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// Reads a payment schedule, `day | amount` to a line (the day as
/// YYYY-MM-DD or 27/3/2026), in the order given.
pub fn parse_schedule(text: &str) -> Result<Vec<(Date, Pence)>, Vec<LineProblem>> {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (line, parts) in lines_of(text) {
        let day = parts
            .first()
            .and_then(|d| crate::values::Day::parse(d).ok());
        let amount = parts
            .get(1)
            .and_then(|a| Pence::parse(a).ok())
            .filter(|p| p.0 > 0);
        match (day, amount, parts.len()) {
            (Some(day), Some(amount), 2) => out.push((day.date(), amount)),
            _ => problems.push(LineProblem {
                line,
                what: "give the day it is due and the amount, separated by |, such as 1/4/2026 | 13,750",
            }),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// Reads KPIs, `measure code | target` to a line.
pub fn parse_kpis(text: &str) -> Result<Vec<(Kpi, i64)>, Vec<LineProblem>> {
    let mut out: Vec<(Kpi, i64)> = Vec::new();
    let mut problems = Vec::new();
    for (line, parts) in lines_of(text) {
        let kpi = parts.first().and_then(|k| Kpi::parse(k));
        let target = parts
            .get(1)
            .and_then(|t| t.trim_end_matches('%').trim().parse::<i64>().ok())
            .filter(|t| *t >= 0);
        match (kpi, target, parts.len()) {
            (Some(kpi), Some(target), 2) if !kpi.is_share() || target <= 100 => {
                if out.iter().any(|(k, _)| *k == kpi) {
                    problems.push(LineProblem {
                        line,
                        what: "each measure is given once",
                    });
                } else {
                    out.push((kpi, target));
                }
            }
            _ => problems.push(LineProblem {
                line,
                what: "give a measure from the list and its target, separated by |",
            }),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// The problems of a list, said in one line: "line 2: …; line 3: …".
pub fn said(problems: &[LineProblem]) -> String {
    problems
        .iter()
        .map(|p| {
            if p.line == 0 {
                p.what.to_string()
            } else {
                format!("line {}: {}", p.line, p.what)
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The stage a decision shows on a day: an approved decision is published
/// from its publication day, worked out when read so no timer can miss it.
pub fn stage_on(stored: DecisionStage, publish_on: Option<Date>, today: Date) -> DecisionStage {
    match (stored, publish_on) {
        (DecisionStage::Approved, Some(day)) if day <= today => DecisionStage::Published,
        (stage, _) => stage,
    }
}

/// Why money could not be split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SplitError {
    /// Nothing to split by: no parts, or every weight zero.
    NoWeights,
    /// A weight below zero.
    NegativeWeight,
    /// A negative amount.
    NegativeAmount,
    /// Shares (in basis points) that do not add up to 100%.
    SharesNot100 { total: i64 },
}

/// Splits `total` in proportion to `weights` (such as minutes of recorded
/// activity), to the penny, so the parts always add up to the whole.
///
/// Largest remainder: each part is first rounded down; the pence left over
/// go one each to the parts with the largest fractions cut off, the part
/// listed first on a tie (`values::largest_remainder`).
pub fn split(total: Pence, weights: &[i64]) -> Result<Vec<Pence>, SplitError> {
    if total.0 < 0 {
        return Err(SplitError::NegativeAmount);
    }
    if weights.iter().any(|w| *w < 0) {
        return Err(SplitError::NegativeWeight);
    }
    if weights.iter().all(|w| *w == 0) {
        return Err(SplitError::NoWeights);
    }
    Ok(largest_remainder(total.0, weights)
        .into_iter()
        .map(Pence)
        .collect())
}

/// Splits `total` by fixed shares in basis points (6000 is 60%), which
/// must add up to exactly 100%.
pub fn split_by_shares(total: Pence, shares: &[i64]) -> Result<Vec<Pence>, SplitError> {
    let sum: i64 = shares.iter().sum();
    if sum != 10_000 {
        return Err(SplitError::SharesNot100 { total: sum });
    }
    split(total, shares)
}

coded_enum! {
    /// Where a decision is on its way to publication.
    DecisionStage {
        Draft => ("draft", "Draft"),
        Consulted => ("consulted", "Consulted"),
        Approved => ("approved", "Approved"),
        Published => ("published", "Published"),
    }
}

coded_enum! {
    /// Who must be consulted before the commissioner approves.
    Consultee {
        FinanceOfficer => ("finance_officer", "Chief finance officer"),
        MonitoringOfficer => ("monitoring_officer", "Chief executive or monitoring officer"),
    }
}

/// A step asked of a decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// The decision's words or amounts changed.
    Amend,
    /// A consultee records their approval.
    Consult(Consultee),
    /// The commissioner approves it.
    Approve,
    /// Published now (or on its deferral day).
    Publish,
}

/// Why a step was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepRefused {
    /// An approved or published decision never changes: a correction is a
    /// new decision that refers to it.
    Immutable,
    /// Approval needs both consultees' approvals first.
    NotConsulted,
    /// The consultee has already recorded their approval.
    AlreadyConsulted,
    /// Only an approved decision is published.
    NotApproved,
    /// A deferred decision is published on its day, not before.
    Deferred {
        until: Date,
    },
    AlreadyPublished,
}

/// The stage after `step`, given the consultations already recorded and any
/// deferral, or why it is refused.
pub fn next_stage(
    stage: DecisionStage,
    consulted: &[Consultee],
    step: &Step,
    deferred_until: Option<Date>,
    today: Date,
) -> Result<DecisionStage, StepRefused> {
    use DecisionStage::*;
    match (stage, step) {
        (Approved | Published, Step::Amend | Step::Consult(_) | Step::Approve) => {
            Err(StepRefused::Immutable)
        }
        (Draft | Consulted, Step::Amend) => Ok(Draft),
        (Draft | Consulted, Step::Consult(who)) => {
            if consulted.contains(who) {
                return Err(StepRefused::AlreadyConsulted);
            }
            let all = Consultee::ALL
                .iter()
                .all(|c| c == who || consulted.contains(c));
            Ok(if all { Consulted } else { Draft })
        }
        (Draft, Step::Approve) => Err(StepRefused::NotConsulted),
        (Consulted, Step::Approve) => Ok(Approved),
        (Draft | Consulted, Step::Publish) => Err(StepRefused::NotApproved),
        (Approved, Step::Publish) => match deferred_until {
            Some(until) if today < until => Err(StepRefused::Deferred { until }),
            _ => Ok(Published),
        },
        (Published, Step::Publish) => Err(StepRefused::AlreadyPublished),
    }
}

/// The day an approved decision is published: the day it was approved
/// (as soon as practicable), or its deferral day if later.
pub fn publication_day(approved_on: Date, deferred_until: Option<Date>) -> Date {
    match deferred_until {
        Some(until) if until > approved_on => until,
        _ => approved_on,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn pounds(p: i64) -> Pence {
        Pence(p * 100)
    }

    #[test]
    fn amounts_are_read_a_line_at_a_time_and_every_problem_named() {
        let sources = ["Community Safety Grant", "PCC reserves"];
        // Seed 002: £47,013 as two parts.
        let read = parse_amounts(
            "Eastmoor Women's Aid | 23,966 | community safety grant\r\n\nCity Advocacy | £23,047.00 | Community Safety Grant\n",
            &sources,
        )
        .expect("two lines");
        assert_eq!(read.len(), 2);
        assert_eq!(read[0].amount, pounds(23_966));
        assert_eq!(read[0].source, "Community Safety Grant");
        assert_eq!(read[1].recipient, "City Advocacy");
        assert_eq!(
            read.iter().map(|l| l.amount.0).sum::<i64>(),
            pounds(47_013).0
        );
        let problems = parse_amounts(
            "A | 6000 | PCC reserves\nB 6000 reserves\n | 0 | Lottery\nC | -5 | PCC reserves",
            &sources,
        )
        .expect_err("problems");
        use AmountFault::*;
        let faults: Vec<(usize, AmountFault)> = problems.iter().map(|p| (p.line, p.what)).collect();
        assert_eq!(
            faults,
            vec![
                (2, Shape),
                (3, NoRecipient),
                (3, Amount),
                (3, UnknownSource),
                (4, Amount)
            ]
        );
    }

    #[test]
    fn shares_schedules_and_kpis_are_read_a_line_at_a_time() {
        let shares = parse_shares("Community Safety Grant | 60%\r\nDomestic abuse funding | 40\n")
            .expect("shares");
        assert_eq!(shares[0].share, 6_000);
        assert_eq!(shares[1].share, 4_000);
        let partners =
            parse_shares("Eastmoor County Council | 50% | lead\nOffice | 50%").expect("partners");
        assert!(partners[0].lead && !partners[1].lead);
        assert_eq!(
            parse_shares("A | 12.5%\nB | 87.5%").expect("halves")[0].share,
            1_250
        );
        let bad = parse_shares("A | 60%\nB | 30%").expect_err("not 100");
        assert_eq!(said(&bad), "the shares must add up to 100%");
        let bad = parse_shares("A 60%\nB | 40% | first").expect_err("lines");
        assert_eq!(bad.iter().map(|p| p.line).collect::<Vec<_>>(), vec![1, 2]);
        assert!(parse_shares("A | 50% | lead\nB | 50% | lead").is_err());
        assert!(parse_shares("A | 101%").is_err());

        let schedule =
            parse_schedule("2026-04-01 | 13,750\n1/7/2026 | £13,750.00").expect("schedule");
        assert_eq!(schedule.len(), 2);
        assert_eq!(schedule[1].1, Pence(1_375_000));
        let bad = parse_schedule("2026-02-30 | 10\n2026-03-01 | 0").expect_err("bad");
        assert_eq!(said(&bad).matches("line").count(), 2);

        let kpis =
            parse_kpis("first_contact_in_time | 90%\nvictims_supported | 120").expect("kpis");
        assert_eq!(
            kpis,
            vec![(Kpi::FirstContactInTime, 90), (Kpi::VictimsSupported, 120)]
        );
        assert!(
            parse_kpis("first_contact_in_time | 120").is_err(),
            "a share over 100%"
        );
        assert!(parse_kpis("speed | 10").is_err());
        assert!(parse_kpis("victims_supported | 1\nvictims_supported | 2").is_err());
        assert_eq!(Kpi::FirstContactInTime.meets("92%", 90), Some(true));
        assert_eq!(Kpi::VictimsSupported.meets("115", 120), Some(false));
        assert_eq!(Kpi::VictimsSupported.meets("<5", 1), None);
        assert_eq!(Kpi::FirstContactInTime.meets("–", 90), None);
    }

    #[test]
    fn shares_are_read_exactly_and_kpis_found_in_the_return() {
        for (typed, read) in [
            ("60", Some(6_000)),
            ("60%", Some(6_000)),
            ("12.34%", Some(1_234)),
            ("5.5", Some(550)),
            ("100%", Some(10_000)),
            ("100.01%", None),
            ("12.345%", None),
            ("", None),
            ("%", None),
            (".5", None),
            ("1a", None),
            ("-5", None),
        ] {
            assert_eq!(basis_points(typed), read, "{typed:?}");
        }
        // A line needs its name, and at most three parts.
        assert!(parse_shares("| 100%").is_err());
        assert!(parse_shares("A | 100% | lead | more").is_err());
        // Nothing typed is no shares, not shares short of 100%; a bad line
        // is named alone.
        assert_eq!(parse_shares(""), Ok(Vec::new()));
        assert_eq!(
            said(&parse_shares("A | 60%\nB").expect_err("a bad line")),
            "line 2: give a name and a share such as 60%, separated by |"
        );
        // Nothing to split is split into nothings.
        assert_eq!(split(Pence(0), &[1, 1]), Ok(vec![Pence(0), Pence(0)]));
        assert_eq!(split(Pence(-1), &[1]), Err(SplitError::NegativeAmount));
        assert_eq!(
            Kpi::FirstContactInTime.in_return(),
            ("compliance", "First contact by the service", 2)
        );
        assert_eq!(
            Kpi::InformationInTime.in_return(),
            ("compliance", "Information given to the victim", 2)
        );
        assert_eq!(
            Kpi::VictimsSupported.in_return(),
            ("summary", "Victims supported: new", 0)
        );
        assert_eq!(
            Kpi::VictimsReferred.in_return(),
            ("summary", "Victims referred", 0)
        );
        assert_eq!(
            Kpi::CopedImproved.in_return(),
            (
                "national-outcomes",
                "Coped and built resilience to move forward with daily life",
                2
            )
        );
        assert!(Kpi::CopedImproved.is_share() && !Kpi::VictimsReferred.is_share());
    }

    #[test]
    fn an_approved_decision_is_published_from_its_day() {
        let day = date(2026, 11, 2);
        use DecisionStage::*;
        assert_eq!(stage_on(Approved, Some(day), day), Published);
        assert_eq!(stage_on(Approved, Some(day), date(2026, 11, 1)), Approved);
        assert_eq!(stage_on(Approved, None, day), Approved);
        assert_eq!(stage_on(Draft, Some(day), day), Draft);
        assert_eq!(stage_on(Consulted, None, day), Consulted);
    }

    #[test]
    fn the_seeds_figures_split_exactly() {
        // Seed 004: £55,000 a year split 60/40 between county and city.
        assert_eq!(
            split_by_shares(pounds(55_000), &[6_000, 4_000]),
            Ok(vec![pounds(33_000), pounds(22_000)])
        );
        // Seed 004's two contracts: £175k + £22k and £89k + £33k.
        assert_eq!(pounds(175_000).0 + pounds(22_000).0, pounds(197_000).0);
        assert_eq!(pounds(89_000).0 + pounds(33_000).0, pounds(122_000).0);
        // Seed 002: £47,013 from two parts, split evenly, to the penny.
        let halves = split(pounds(47_013), &[1, 1]).expect("split");
        assert_eq!(halves, vec![Pence(2_350_650), Pence(2_350_650)]);
        let uneven = split(pounds(47_013), &[2, 1]).expect("split");
        assert_eq!(uneven.iter().map(|p| p.0).sum::<i64>(), pounds(47_013).0);
        assert_eq!(uneven, vec![Pence(3_134_200), Pence(1_567_100)]);
    }

    #[test]
    fn a_hundred_pounds_three_ways_gives_the_odd_penny_to_the_first() {
        assert_eq!(
            split(pounds(100), &[1, 1, 1]),
            Ok(vec![Pence(3_334), Pence(3_333), Pence(3_333)])
        );
        // Equal fractions: the earlier part first.
        assert_eq!(split(Pence(1), &[1, 1]), Ok(vec![Pence(1), Pence(0)]));
        assert_eq!(
            split(Pence(10), &[1, 2, 1, 2]),
            Ok(vec![Pence(2), Pence(3), Pence(2), Pence(3)])
        );
        assert_eq!(split(Pence(1), &[1, 3]), Ok(vec![Pence(0), Pence(1)]));
        assert_eq!(split(Pence(5), &[0, 1]), Ok(vec![Pence(0), Pence(5)]));
    }

    #[test]
    fn bad_splits_are_refused() {
        assert_eq!(split(pounds(1), &[]), Err(SplitError::NoWeights));
        assert_eq!(split(pounds(1), &[0, 0]), Err(SplitError::NoWeights));
        assert_eq!(split(pounds(1), &[1, -1]), Err(SplitError::NegativeWeight));
        assert_eq!(split(Pence(-1), &[1]), Err(SplitError::NegativeAmount));
        assert_eq!(
            split_by_shares(pounds(1), &[6_000, 3_000]),
            Err(SplitError::SharesNot100 { total: 9_000 })
        );
    }

    proptest::proptest! {
        #[test]
        fn the_parts_always_add_up_to_the_whole(
            total in 0i64..10_000_000_000,
            weights in proptest::collection::vec(0i64..1_000_000, 1..12),
        ) {
            proptest::prop_assume!(weights.iter().any(|w| *w > 0));
            let parts = split(Pence(total), &weights).expect("split");
            proptest::prop_assert_eq!(parts.iter().map(|p| p.0).sum::<i64>(), total);
            let sum: i128 = weights.iter().map(|w| i128::from(*w)).sum();
            for (part, w) in parts.iter().zip(&weights) {
                // Each part is within a penny of its exact share.
                let exact = i128::from(total) * i128::from(*w);
                let given = i128::from(part.0) * sum;
                proptest::prop_assert!((given - exact).abs() < sum);
            }
        }
    }

    #[test]
    fn a_decision_is_consulted_on_approved_then_published_and_never_changed_after() {
        use DecisionStage::*;
        let today = date(2026, 12, 1);
        let step = |stage, consulted: &[Consultee], step: Step| {
            next_stage(stage, consulted, &step, None, today)
        };
        let finance = Consultee::FinanceOfficer;
        let monitoring = Consultee::MonitoringOfficer;
        assert_eq!(
            step(Draft, &[], Step::Approve),
            Err(StepRefused::NotConsulted)
        );
        assert_eq!(
            step(Draft, &[], Step::Publish),
            Err(StepRefused::NotApproved)
        );
        assert_eq!(step(Draft, &[], Step::Consult(finance)), Ok(Draft));
        assert_eq!(
            step(Draft, &[finance], Step::Consult(finance)),
            Err(StepRefused::AlreadyConsulted)
        );
        assert_eq!(
            step(Draft, &[finance], Step::Approve),
            Err(StepRefused::NotConsulted)
        );
        assert_eq!(
            step(Draft, &[finance], Step::Consult(monitoring)),
            Ok(Consulted)
        );
        assert_eq!(
            step(Draft, &[monitoring], Step::Consult(finance)),
            Ok(Consulted)
        );
        assert_eq!(
            step(Consulted, &[finance, monitoring], Step::Amend),
            Ok(Draft)
        );
        assert_eq!(
            step(Consulted, &[finance, monitoring], Step::Approve),
            Ok(Approved)
        );
        for change in [Step::Amend, Step::Approve, Step::Consult(finance)] {
            assert_eq!(
                step(Approved, &[], change.clone()),
                Err(StepRefused::Immutable)
            );
            assert_eq!(step(Published, &[], change), Err(StepRefused::Immutable));
        }
        assert_eq!(step(Approved, &[], Step::Publish), Ok(Published));
        assert_eq!(
            step(Published, &[], Step::Publish),
            Err(StepRefused::AlreadyPublished)
        );
        // Deferred: published on its day, not before.
        let until = date(2027, 1, 10);
        assert_eq!(
            next_stage(Approved, &[], &Step::Publish, Some(until), today),
            Err(StepRefused::Deferred { until })
        );
        assert_eq!(
            next_stage(Approved, &[], &Step::Publish, Some(until), until),
            Ok(Published)
        );
    }

    #[test]
    fn publication_is_the_day_of_approval_unless_deferred_to_later() {
        let approved = date(2026, 12, 1);
        assert_eq!(publication_day(approved, None), approved);
        assert_eq!(
            publication_day(approved, Some(date(2027, 1, 10))),
            date(2027, 1, 10)
        );
        assert_eq!(
            publication_day(approved, Some(date(2026, 11, 1))),
            approved,
            "a deferral day already passed publishes at once"
        );
    }
}
