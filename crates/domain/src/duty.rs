//! The duty service's rules: a cover pattern of shifts for weekdays,
//! weekends and bank holidays, the shifts it gives on a day (in
//! Europe/London, across the clock changes, overnight shifts included), and
//! when one worker's shifts overlap (docs/duty.md).

use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

use crate::calendar::Calendar;
use crate::directory::coded_enum;

coded_enum! {
    /// Which of the pattern's lists a day takes its shifts from.
    DayKind {
        Weekday => ("weekday", "Weekdays"),
        Weekend => ("weekend", "Weekends"),
        BankHoliday => ("bank_holiday", "Bank holidays"),
    }
}

impl DayKind {
    /// A bank holiday of the nation's calendar, else a weekend day, else a
    /// weekday. A bank holiday on a weekend (none in England and Wales
    /// today, but substitutes move) follows the bank holiday's pattern.
    pub fn of(day: Date, calendar: &Calendar) -> DayKind {
        if calendar.holiday_name(day).is_some() {
            DayKind::BankHoliday
        } else if matches!(
            day.weekday(),
            jiff::civil::Weekday::Saturday | jiff::civil::Weekday::Sunday
        ) {
            DayKind::Weekend
        } else {
            DayKind::Weekday
        }
    }
}

coded_enum! {
    /// Who a duty request comes from.
    RequestSource {
        Police => ("police", "Police"),
        Hospital => ("hospital", "Hospital"),
        Marac => ("marac", "MARAC"),
        Court => ("court", "Court"),
        Victim => ("victim", "The victim"),
    }
}

coded_enum! {
    /// How soon a duty request needs an answer.
    Urgency {
        Urgent => ("urgent", "Urgent"),
        Routine => ("routine", "Routine"),
    }
}

coded_enum! {
    /// What came of a duty request.
    RequestOutcome {
        Advice => ("advice", "Advice to the professional"),
        ReferralTaken => ("referral_taken", "A referral taken"),
        CaseOpened => ("case_opened", "A case opened"),
        Signposted => ("signposted", "Signposted elsewhere"),
    }
}

impl RequestOutcome {
    /// Whether this outcome writes a referral (and perhaps a case) into
    /// the service from the request.
    pub fn takes_referral(self) -> bool {
        matches!(
            self,
            RequestOutcome::ReferralTaken | RequestOutcome::CaseOpened
        )
    }
}

impl RequestSource {
    /// Where a referral taken from the request came from, in the
    /// referral's own terms.
    pub fn referral_source(self) -> crate::journey::ReferralSource {
        use crate::journey::ReferralSource;
        match self {
            RequestSource::Police => ReferralSource::Police,
            RequestSource::Victim => ReferralSource::SelfReferral,
            RequestSource::Hospital | RequestSource::Marac | RequestSource::Court => {
                ReferralSource::Partner
            }
        }
    }
}

/// When a request received at `received` must have its first attempt: within
/// `hours` when it comes in cover hours (during a shift of the pattern,
/// the day before's overnight shift included), otherwise by the next `by`
/// (local time) after it came, such as 10:00 the next morning.
pub fn response_target(
    received: Timestamp,
    pattern: &Pattern,
    calendar: &Calendar,
    zone: &TimeZone,
    hours: i64,
    by: Time,
) -> Timestamp {
    let local = received.to_zoned(zone.clone());
    let today = local.date();
    let yesterday = today.yesterday().unwrap_or(today);
    let covered = [yesterday, today].iter().any(|day| {
        pattern.slots_on(*day, calendar).iter().any(|slot| {
            let (starts, ends) = slot.on(*day, zone);
            starts <= received && received < ends
        })
    });
    if covered {
        return received
            .checked_add(jiff::SignedDuration::from_hours(hours))
            .unwrap_or(received);
    }
    next_local(received, by, zone)
}

/// The first instant after `after` when London's clocks show `at`: the
/// same day's if it is still to come, else the next day's.
pub fn next_local(after: Timestamp, at: Time, zone: &TimeZone) -> Timestamp {
    let today = after.to_zoned(zone.clone()).date();
    let on = |day: Date| {
        day.to_datetime(at)
            .to_zoned(zone.clone())
            .map(|z| z.timestamp())
            .unwrap_or(after)
    };
    let same_day = on(today);
    if same_day > after {
        same_day
    } else {
        on(today.tomorrow().unwrap_or(today))
    }
}

/// When a case opened on duty at `opened` is to be handed over: at the
/// service's handover time (such as 20:00) that comes next.
pub fn handover_due(opened: Timestamp, handover: Time, zone: &TimeZone) -> Timestamp {
    next_local(opened, handover, zone)
}

/// The nearest-rank percentile: the smallest value that at least `share`
/// percent of the values are no larger than; none of none.
pub fn nearest_rank(values: &[i64], share: i64) -> Option<i64> {
    if values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    let needed = (sorted.len() as i64 * share + 99) / 100;
    sorted.get((needed.max(1) - 1) as usize).copied()
}

/// A shift's hours in local time: when `ends` is not after `starts`, it
/// ends the next day (an overnight shift).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    pub starts: Time,
    pub ends: Time,
}

impl Slot {
    pub fn overnight(&self) -> bool {
        self.ends <= self.starts
    }

    /// "09:00–20:00".
    pub fn text(&self) -> String {
        format!(
            "{:02}:{:02}-{:02}:{:02}",
            self.starts.hour(),
            self.starts.minute(),
            self.ends.hour(),
            self.ends.minute()
        )
    }

    /// The instants it runs between on a day, in the zone given: a local
    /// time the clocks skip is taken as the time after the change, and one
    /// they repeat as the earlier (jiff's "compatible" rule).
    pub fn on(&self, day: Date, zone: &TimeZone) -> (Timestamp, Timestamp) {
        let ends_on = if self.overnight() {
            day.tomorrow().unwrap_or(day)
        } else {
            day
        };
        let at = |d: Date, t: Time| {
            d.to_datetime(t)
                .to_zoned(zone.clone())
                .map(|z| z.timestamp())
                .unwrap_or(Timestamp::UNIX_EPOCH)
        };
        (at(day, self.starts), at(ends_on, self.ends))
    }
}

/// The cover pattern: the shifts of each kind of day, in the day's order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pattern {
    pub weekday: Vec<Slot>,
    pub weekend: Vec<Slot>,
    pub bank_holiday: Vec<Slot>,
}

crate::messages! {
    /// What the duty rules say about a pattern or a shift.
    pub enum DutyMessage {
        PatternPart { part: String } => "'{part}' is not part of a pattern: write a kind of day (weekday, weekend or bank_holiday) and its shifts, such as weekday 09:00-20:00",
        PatternTime { time: String } => "'{time}' is not a shift: write it as 09:00-20:00 (an overnight shift ends earlier than it starts, such as 20:00-09:00)",
        PatternTwice { kind: String } => "{kind} appear twice in the pattern: give each kind of day once",
        PatternEmpty => "Give at least one shift, such as weekday 09:00-20:00; weekend 09:00-20:00; bank_holiday 09:00-20:00",
        PatternOverlap { kind: String } => "{kind}' shifts overlap: give them in order, each starting when or after the one before ends",
    }
}

impl Pattern {
    pub fn slots(&self, kind: DayKind) -> &[Slot] {
        match kind {
            DayKind::Weekday => &self.weekday,
            DayKind::Weekend => &self.weekend,
            DayKind::BankHoliday => &self.bank_holiday,
        }
    }

    /// The shifts of a day, in the nation's calendar.
    pub fn slots_on(&self, day: Date, calendar: &Calendar) -> &[Slot] {
        self.slots(DayKind::of(day, calendar))
    }

    /// The pattern as written: `weekday 09:00-20:00; weekend 09:00-20:00`.
    pub fn text(&self) -> String {
        DayKind::ALL
            .iter()
            .filter(|k| !self.slots(**k).is_empty())
            .map(|k| {
                let slots: Vec<String> = self.slots(*k).iter().map(Slot::text).collect();
                format!("{} {}", k.code(), slots.join(", "))
            })
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// Reads a pattern written as kinds of day, each with its shifts:
    /// `weekday 09:00-20:00; weekend 09:00-20:00; bank_holiday 09:00-20:00`.
    /// A kind left out has no cover. Every problem is given.
    pub fn parse(text: &str) -> Result<Pattern, Vec<DutyMessage>> {
        let mut pattern = Pattern::default();
        let mut problems = Vec::new();
        let mut seen = Vec::new();
        for part in text.split(';').map(str::trim).filter(|p| !p.is_empty()) {
            let (kind, times) = part.split_once(char::is_whitespace).unwrap_or((part, ""));
            let Some(kind) = DayKind::parse(kind.trim()) else {
                problems.push(DutyMessage::PatternPart { part: part.into() });
                continue;
            };
            if seen.contains(&kind) {
                problems.push(DutyMessage::PatternTwice {
                    kind: kind.label().into(),
                });
                continue;
            }
            seen.push(kind);
            let mut slots = Vec::new();
            for time in times.split(',').map(str::trim) {
                match parse_slot(time) {
                    Some(slot) => slots.push(slot),
                    None => problems.push(DutyMessage::PatternTime { time: time.into() }),
                }
            }
            if !in_order(&slots) {
                problems.push(DutyMessage::PatternOverlap {
                    kind: kind.label().into(),
                });
            }
            match kind {
                DayKind::Weekday => pattern.weekday = slots,
                DayKind::Weekend => pattern.weekend = slots,
                DayKind::BankHoliday => pattern.bank_holiday = slots,
            }
        }
        if problems.is_empty() && DayKind::ALL.iter().all(|k| pattern.slots(*k).is_empty()) {
            problems.push(DutyMessage::PatternEmpty);
        }
        if problems.is_empty() {
            Ok(pattern)
        } else {
            Err(problems)
        }
    }
}

fn parse_slot(text: &str) -> Option<Slot> {
    let (starts, ends) = text.split_once('-')?;
    let time = |t: &str| -> Option<Time> {
        let (h, m) = t.trim().split_once(':')?;
        let (h, m): (i8, i8) = (h.parse().ok()?, m.parse().ok()?);
        Time::new(h, m, 0, 0).ok()
    };
    let slot = Slot {
        starts: time(starts)?,
        ends: time(ends)?,
    };
    (slot.starts != slot.ends || slot.overnight()).then_some(slot)
}

/// A day's shifts in order, none starting before the one before has ended
/// (an overnight shift can only be the last).
fn in_order(slots: &[Slot]) -> bool {
    slots
        .windows(2)
        .all(|w| !w[0].overnight() && w[1].starts >= w[0].ends)
}

/// Whether two spans of time share any moment (touching ends do not).
pub fn overlaps(a: (Timestamp, Timestamp), b: (Timestamp, Timestamp)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// The days from `from`, `days` of them.
pub fn days_from(from: Date, days: i64) -> Vec<Date> {
    (0..days)
        .filter_map(|n| from.checked_add(n.days()).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::Nation;
    use jiff::civil::date;

    fn london() -> TimeZone {
        TimeZone::get("Europe/London").expect("zone")
    }

    fn hours(span: (Timestamp, Timestamp)) -> i64 {
        (span.1.as_second() - span.0.as_second()) / 3600
    }

    #[test]
    fn a_pattern_reads_each_kind_of_day_and_writes_back_the_same() {
        let p = Pattern::parse(
            "weekday 09:00-20:00; weekend 10:00-16:00, 16:00-20:00; bank_holiday 09:00-20:00",
        )
        .expect("pattern");
        assert_eq!(p.weekday.len(), 1);
        assert_eq!(p.weekend.len(), 2);
        assert_eq!(
            p.text(),
            "weekday 09:00-20:00; weekend 10:00-16:00, 16:00-20:00; bank_holiday 09:00-20:00"
        );
        assert_eq!(Pattern::parse(&p.text()), Ok(p));
    }

    #[test]
    fn a_bad_pattern_names_every_problem() {
        let problems = Pattern::parse("weekdays 09:00-20:00; weekend 9-5; weekend 09:00-20:00")
            .expect_err("refused");
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(matches!(problems[0], DutyMessage::PatternPart { .. }));
        assert!(matches!(problems[1], DutyMessage::PatternTime { .. }));
        assert!(matches!(problems[2], DutyMessage::PatternTwice { .. }));
        assert_eq!(Pattern::parse(" ; "), Err(vec![DutyMessage::PatternEmpty]));
        assert!(matches!(
            Pattern::parse("weekday 09:00-20:00, 19:00-22:00").expect_err("overlap")[0],
            DutyMessage::PatternOverlap { .. }
        ));
        assert!(matches!(
            Pattern::parse("weekday 20:00-09:00, 09:00-12:00").expect_err("after overnight")[0],
            DutyMessage::PatternOverlap { .. }
        ));
        assert!(matches!(
            Pattern::parse("weekday 25:00-09:00").expect_err("hour")[0],
            DutyMessage::PatternTime { .. }
        ));
    }

    #[test]
    fn days_take_the_bank_holiday_then_weekend_then_weekday_shifts() {
        let calendar = Calendar::shipped(Nation::EnglandAndWales);
        let p =
            Pattern::parse("weekday 09:00-17:00; weekend 10:00-16:00; bank_holiday 11:00-15:00")
                .expect("pattern");
        // Christmas Day 2026 is a Friday; Boxing Day a Saturday, its bank
        // holiday moved to Monday 28 December.
        assert_eq!(
            DayKind::of(date(2026, 12, 25), &calendar),
            DayKind::BankHoliday
        );
        assert_eq!(DayKind::of(date(2026, 12, 26), &calendar), DayKind::Weekend);
        assert_eq!(
            DayKind::of(date(2026, 12, 28), &calendar),
            DayKind::BankHoliday
        );
        assert_eq!(DayKind::of(date(2026, 12, 29), &calendar), DayKind::Weekday);
        assert_eq!(
            p.slots_on(date(2026, 12, 25), &calendar)[0].text(),
            "11:00-15:00"
        );
        assert_eq!(
            p.slots_on(date(2026, 12, 27), &calendar)[0].text(),
            "10:00-16:00"
        );
        // A kind with no shifts is a day without cover.
        let weekdays_only = Pattern::parse("weekday 09:00-17:00").expect("pattern");
        assert!(
            weekdays_only
                .slots_on(date(2026, 12, 25), &calendar)
                .is_empty()
        );
    }

    #[test]
    fn shifts_keep_local_hours_across_the_clock_changes_and_overnight() {
        let zone = london();
        let day = Slot {
            starts: Time::new(9, 0, 0, 0).expect("time"),
            ends: Time::new(20, 0, 0, 0).expect("time"),
        };
        let night = Slot {
            starts: Time::new(20, 0, 0, 0).expect("time"),
            ends: Time::new(9, 0, 0, 0).expect("time"),
        };
        assert!(night.overnight() && !day.overnight());
        // Winter (GMT): 09:00 is 09:00 UTC.
        let (starts, ends) = day.on(date(2026, 12, 1), &zone);
        assert_eq!(starts.to_string(), "2026-12-01T09:00:00Z");
        assert_eq!(ends.to_string(), "2026-12-01T20:00:00Z");
        // Summer (BST): 09:00 is 08:00 UTC.
        assert_eq!(
            day.on(date(2026, 7, 1), &zone).0.to_string(),
            "2026-07-01T08:00:00Z"
        );
        // The night the clocks go forward (28 March 2027) is an hour short;
        // the night they go back (25 October 2026) an hour long.
        assert_eq!(hours(night.on(date(2026, 12, 1), &zone)), 13);
        assert_eq!(hours(night.on(date(2027, 3, 27), &zone)), 12);
        assert_eq!(hours(night.on(date(2026, 10, 24), &zone)), 14);
        assert_eq!(hours(day.on(date(2027, 3, 28), &zone)), 11);
        // A shift at a time the clocks skip starts after the change.
        let skipped = Slot {
            starts: Time::new(1, 30, 0, 0).expect("time"),
            ends: Time::new(6, 0, 0, 0).expect("time"),
        };
        assert_eq!(
            skipped.on(date(2027, 3, 28), &zone).0.to_string(),
            "2027-03-28T01:30:00Z"
        );
    }

    fn at(text: &str) -> Timestamp {
        text.parse().expect("instant")
    }

    #[test]
    fn requests_in_cover_get_hours_and_out_of_hours_the_next_morning() {
        let zone = london();
        let calendar = Calendar::shipped(Nation::EnglandAndWales);
        let day_only =
            Pattern::parse("weekday 09:00-20:00; weekend 09:00-20:00; bank_holiday 09:00-20:00")
                .expect("pattern");
        let ten = Time::new(10, 0, 0, 0).expect("time");
        let target = |received: &str, pattern: &Pattern| {
            response_target(at(received), pattern, &calendar, &zone, 2, ten).to_string()
        };
        // In cover (winter, GMT): two hours on.
        assert_eq!(
            target("2026-12-01T12:00:00Z", &day_only),
            "2026-12-01T14:00:00Z"
        );
        // The minute cover ends is out of hours: 10:00 the next morning.
        assert_eq!(
            target("2026-12-01T20:00:00Z", &day_only),
            "2026-12-02T10:00:00Z"
        );
        // Before cover starts, the same morning.
        assert_eq!(
            target("2026-12-01T03:00:00Z", &day_only),
            "2026-12-01T10:00:00Z"
        );
        // Between 09:00 and 10:00 is in cover: two hours on, not 10:00.
        assert_eq!(
            target("2026-12-01T09:30:00Z", &day_only),
            "2026-12-01T11:30:00Z"
        );
        // Summer (BST): 10:00 local is 09:00 UTC.
        assert_eq!(
            target("2026-07-01T21:00:00Z", &day_only),
            "2026-07-02T09:00:00Z"
        );
        // An overnight shift covers the small hours of the next day.
        let nights =
            Pattern::parse("weekday 20:00-08:00; weekend 20:00-08:00; bank_holiday 20:00-08:00")
                .expect("pattern");
        assert_eq!(
            target("2026-12-02T03:00:00Z", &nights),
            "2026-12-02T05:00:00Z"
        );
        assert_eq!(
            target("2026-12-02T12:00:00Z", &nights),
            "2026-12-03T10:00:00Z"
        );
        // A pattern without weekend cover: Saturday afternoon waits for Sunday 10:00.
        let weekdays = Pattern::parse("weekday 09:00-17:00").expect("pattern");
        assert_eq!(
            target("2026-12-05T14:00:00Z", &weekdays),
            "2026-12-06T10:00:00Z"
        );
        // At 10:00 itself, the next 10:00 is the following day's.
        assert_eq!(
            target("2026-12-05T10:00:00Z", &weekdays),
            "2026-12-06T10:00:00Z"
        );
    }

    #[test]
    fn a_case_opened_on_duty_is_handed_over_at_the_next_handover_time() {
        let zone = london();
        let eight = Time::new(20, 0, 0, 0).expect("time");
        let due = |opened: &str| handover_due(at(opened), eight, &zone).to_string();
        // Winter (GMT): the same evening.
        assert_eq!(due("2026-12-01T09:15:00Z"), "2026-12-01T20:00:00Z");
        assert_eq!(due("2026-12-01T19:59:00Z"), "2026-12-01T20:00:00Z");
        // At or after 20:00 local: the next evening.
        assert_eq!(due("2026-12-01T20:00:00Z"), "2026-12-02T20:00:00Z");
        assert_eq!(due("2026-12-01T23:30:00Z"), "2026-12-02T20:00:00Z");
        // Summer (BST): 20:00 local is 19:00 UTC.
        assert_eq!(due("2027-07-01T18:30:00Z"), "2027-07-01T19:00:00Z");
        assert_eq!(due("2027-07-01T19:30:00Z"), "2027-07-02T19:00:00Z");
        // Across the clocks going forward: opened in GMT, handed over in BST.
        assert_eq!(due("2027-03-27T21:00:00Z"), "2027-03-28T19:00:00Z");
        // And back: opened in BST, handed over in GMT.
        assert_eq!(due("2026-10-24T19:30:00Z"), "2026-10-25T20:00:00Z");
    }

    #[test]
    fn every_request_source_becomes_a_referral_source() {
        use crate::journey::ReferralSource;
        assert_eq!(
            RequestSource::Police.referral_source(),
            ReferralSource::Police
        );
        assert_eq!(
            RequestSource::Victim.referral_source(),
            ReferralSource::SelfReferral
        );
        for partner in [
            RequestSource::Hospital,
            RequestSource::Marac,
            RequestSource::Court,
        ] {
            assert_eq!(partner.referral_source(), ReferralSource::Partner);
        }
        assert!(RequestOutcome::CaseOpened.takes_referral());
        assert!(RequestOutcome::ReferralTaken.takes_referral());
        assert!(!RequestOutcome::Advice.takes_referral());
        assert!(!RequestOutcome::Signposted.takes_referral());
    }

    #[test]
    fn the_median_and_ninetieth_percentile_are_by_nearest_rank() {
        assert_eq!(nearest_rank(&[], 50), None);
        assert_eq!(nearest_rank(&[30], 90), Some(30));
        assert_eq!(nearest_rank(&[40, 10, 30, 20], 50), Some(20));
        let minutes: Vec<i64> = (1..=10).map(|n| n * 10).collect();
        assert_eq!(nearest_rank(&minutes, 50), Some(50));
        assert_eq!(nearest_rank(&minutes, 90), Some(90));
        assert_eq!(nearest_rank(&minutes, 91), Some(100));
    }

    #[test]
    fn shifts_overlap_when_they_share_a_moment_and_not_when_they_touch() {
        let zone = london();
        let day = Slot {
            starts: Time::new(9, 0, 0, 0).expect("time"),
            ends: Time::new(20, 0, 0, 0).expect("time"),
        };
        let night = Slot {
            starts: Time::new(20, 0, 0, 0).expect("time"),
            ends: Time::new(9, 0, 0, 0).expect("time"),
        };
        let monday = date(2026, 11, 30);
        assert!(!overlaps(day.on(monday, &zone), night.on(monday, &zone)));
        assert!(!overlaps(
            night.on(monday, &zone),
            day.on(date(2026, 12, 1), &zone)
        ));
        let tuesday = date(2026, 12, 1);
        assert!(!overlaps(day.on(tuesday, &zone), night.on(monday, &zone)));
        assert!(overlaps(day.on(monday, &zone), day.on(monday, &zone)));
        let late = Slot {
            starts: Time::new(19, 0, 0, 0).expect("time"),
            ends: Time::new(23, 0, 0, 0).expect("time"),
        };
        assert!(overlaps(late.on(monday, &zone), night.on(monday, &zone)));
        assert_eq!(
            days_from(monday, 3),
            vec![monday, date(2026, 12, 1), date(2026, 12, 2)]
        );
    }
}
