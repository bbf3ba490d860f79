//! Disclosure control for figures seen outside the service (commissioners,
//! and anything published): no count from 1 to 4 can be read off the
//! figures, nor worked out from totals, other cells, shares, differences,
//! or the same table for another period. The method and its reasoning are
//! in `docs/moj-return.md` (how figures are protected).
//!
//! - A count of 0 is shown as 0; 1 to 4 as "<5"; 5 and over rounded to the
//!   nearest 5. Rounding is the same for every period, so a longer period
//!   never shows less than a shorter one inside it.
//! - A total is withheld when, beside the tables that add up to it, it would
//!   leave any of their cells one possible value ([`total_is_safe`]).
//! - A share is worked out from the figures as shown, and only when both are
//!   5 or more ([`share`]): it tells nothing the figures do not.
//! - Periods are blocks of a fixed length from 1 April that never overlap
//!   ([`ReportingPeriods`]), and each table covers one service: rounding
//!   cannot survive two tables of which one holds the other, since their
//!   difference is a third table of exact sums.

use jiff::civil::Date;

/// The periods someone outside the service may see figures for: blocks of
/// a whole number of months that divides the year, counted from 1 April,
/// so that every financial year is split the same way and no two blocks
/// overlap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportingPeriods {
    months: i8,
}

impl ReportingPeriods {
    /// Financial quarters.
    pub const QUARTERS: ReportingPeriods = ReportingPeriods { months: 3 };

    /// Blocks of this many months, if it divides the year.
    pub fn of_months(months: u32) -> Option<ReportingPeriods> {
        matches!(months, 1 | 2 | 3 | 4 | 6 | 12).then_some(ReportingPeriods {
            months: months as i8,
        })
    }

    /// What a block is called: "one financial quarter".
    pub fn name(self) -> String {
        match self.months {
            1 => "one month".to_string(),
            3 => "one financial quarter".to_string(),
            12 => "one financial year".to_string(),
            n => format!("{n} months"),
        }
    }

    /// How many months a block lasts.
    pub fn months(self) -> u32 {
        self.months as u32
    }

    /// The block a day falls in: its first and last day.
    pub fn containing(self, day: Date) -> (Date, Date) {
        // Months since April, 0 to 11.
        let into_year = (day.month() + 8) % 12;
        let start_month = into_year / self.months * self.months;
        let start_year = if day.month() >= 4 {
            day.year()
        } else {
            day.year() - 1
        };
        let first = Date::new(start_year, 4, 1)
            .expect("1 April")
            .checked_add(jiff::Span::new().months(start_month))
            .expect("a month of the year");
        let last = first
            .checked_add(jiff::Span::new().months(self.months))
            .expect("a month of the year")
            .yesterday()
            .expect("a day");
        (first, last)
    }

    /// Whether `from` to `to` is exactly one block.
    pub fn is_one(self, from: Date, to: Date) -> bool {
        self.containing(from) == (from, to)
    }

    /// The block before the one holding `day`.
    pub fn before(self, day: Date) -> (Date, Date) {
        let (first, _) = self.containing(day);
        self.containing(first.yesterday().expect("a day"))
    }

    /// The block holding `day` and the `count - 1` before it, latest first.
    pub fn latest(self, day: Date, count: usize) -> Vec<(Date, Date)> {
        let mut blocks = vec![self.containing(day)];
        while blocks.len() < count {
            let earlier = self.before(blocks[blocks.len() - 1].0);
            blocks.push(earlier);
        }
        blocks
    }
}

/// Whether the reader is outside the services whose figures they see (a
/// commissioner), and so sees every figure protected.
pub fn sees_protected_figures(reader: &crate::policy::Actor) -> bool {
    reader.has_role(crate::policy::Role::Commissioner)
}

/// A count as someone outside the service sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Shown {
    /// Zero: shown as it is.
    Zero,
    /// From 1 to 4.
    UnderFive,
    /// 5 or more, rounded to the nearest 5 (halves up).
    Rounded(i64),
    /// Not shown, because showing it would give a small number away.
    Withheld,
}

/// How a count is shown to someone outside the service.
pub fn protect(count: i64) -> Shown {
    match count {
        i64::MIN..=0 => Shown::Zero,
        1..=4 => Shown::UnderFive,
        n => Shown::Rounded((n + 2) / 5 * 5),
    }
}

/// The largest count the checks consider for a withheld figure.
const UNBOUNDED: i64 = i64::MAX / 4;

impl Shown {
    /// Every count that would be shown like this: the range a reader knows
    /// the true count lies in.
    pub fn range(self) -> (i64, i64) {
        match self {
            Shown::Zero => (0, 0),
            Shown::UnderFive => (1, 4),
            // 5 stands for 5 to 7: 3 and 4 would be "<5".
            Shown::Rounded(r) => ((r - 2).max(5), r + 2),
            Shown::Withheld => (0, UNBOUNDED),
        }
    }

    /// The figure as text.
    pub fn text(self) -> String {
        match self {
            Shown::Zero => "0".to_string(),
            Shown::UnderFive => "<5".to_string(),
            Shown::Rounded(r) => r.to_string(),
            Shown::Withheld => "[c]".to_string(),
        }
    }

    /// The figure as a number, where it is one.
    pub fn number(self) -> Option<i64> {
        match self {
            Shown::Zero => Some(0),
            Shown::Rounded(r) => Some(r),
            Shown::UnderFive | Shown::Withheld => None,
        }
    }
}

/// A share of two shown figures, as (part, whole) to divide: only when both
/// are 5 or more, and from the figures as shown, so that it gives nothing
/// away that they do not.
pub fn share(part: Shown, whole: Shown) -> Option<(i64, i64)> {
    match (part, whole) {
        (Shown::Rounded(p), Shown::Rounded(w)) => Some((p, w)),
        _ => None,
    }
}

/// Whether a total may be shown beside the groups of cells that each add up
/// to it (each group a breakdown of the same total: by source, by age, …).
///
/// A reader knows each cell and the total lie in their ranges, and that
/// each group sums to the total. The total first narrows to what every
/// group can reach; then each cell to what the total and the rest of its
/// group leave. Sums of whole-number ranges take every value between their
/// least and greatest, so these bounds are exact: the total is unsafe when
/// it or any cell it touches (zeros aside) is left one possible value.
pub fn total_is_safe(total: Shown, groups: &[&[Shown]]) -> bool {
    let (mut low, mut high) = total.range();
    for group in groups {
        let (sum_low, sum_high) = sum_of_ranges(group);
        low = low.max(sum_low);
        high = high.min(sum_high);
    }
    if low > high {
        // No data gives these figures: they were not made by this rule.
        return false;
    }
    if low == high && total != Shown::Zero {
        return false;
    }
    for group in groups {
        let (sum_low, sum_high) = sum_of_ranges(group);
        for cell in group.iter().filter(|c| **c != Shown::Zero) {
            let (cell_low, cell_high) = cell.range();
            let (others_low, others_high) = (sum_low - cell_low, sum_high - cell_high);
            let can_low = cell_low.max(low - others_high);
            let can_high = cell_high.min(high - others_low);
            if can_low >= can_high {
                return false;
            }
        }
    }
    true
}

/// Whether the victims continuing in a period, shown beside those new and
/// continuing in the period before, would tell a reader more than each
/// figure does alone. Everyone continuing in a period was supported in the
/// one before, new or continuing, so `continuing <= new_before +
/// continuing_before`; when the figures as shown leave that bound able to
/// narrow any of the three, one of them must be withheld. A withheld figure
/// has no upper bound, so beside it the bound narrows nothing that counts.
pub fn continuing_narrows(new_before: Shown, continuing_before: Shown, continuing: Shown) -> bool {
    if [new_before, continuing_before, continuing].contains(&Shown::Withheld) {
        return false;
    }
    let (new_low, new_high) = new_before.range();
    let (before_low, before_high) = continuing_before.range();
    let (low, high) = continuing.range();
    new_high + before_high < high || low - before_high > new_low || low - new_high > before_low
}

fn sum_of_ranges(cells: &[Shown]) -> (i64, i64) {
    cells.iter().fold((0, 0), |(low, high), cell| {
        let (l, h) = cell.range();
        (low + l, (high + h).min(UNBOUNDED))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_shown_rounded_and_small_ones_hidden() {
        for (count, text) in [
            (0, "0"),
            (1, "<5"),
            (4, "<5"),
            (5, "5"),
            (7, "5"),
            (8, "10"),
            (12, "10"),
            (13, "15"),
            (1234, "1235"),
        ] {
            assert_eq!(protect(count).text(), text, "{count}");
            let (low, high) = protect(count).range();
            assert!(low <= count && count <= high, "{count} in its range");
        }
        // A spreadsheet gets numbers where the figure is one, text otherwise.
        assert_eq!(protect(0).number(), Some(0));
        assert_eq!(protect(12).number(), Some(10));
        assert_eq!(protect(3).number(), None);
        assert_eq!(Shown::Withheld.number(), None);
        assert_eq!(Shown::Rounded(5).range(), (5, 7));
        assert_eq!(Shown::Rounded(10).range(), (8, 12));
        assert_eq!(Shown::Withheld.text(), "[c]");
    }

    #[test]
    fn a_share_needs_both_figures_publishable_and_uses_them_as_shown() {
        assert_eq!(share(protect(17), protect(20)), Some((15, 20)));
        assert_eq!(share(protect(3), protect(20)), None);
        assert_eq!(share(protect(5), protect(4)), None);
        assert_eq!(share(protect(0), protect(20)), None);
    }

    #[test]
    fn reporting_periods_are_blocks_from_april_that_never_overlap() {
        let day = |text: &str| text.parse::<Date>().expect("date");
        let quarters = ReportingPeriods::QUARTERS;
        for (on, first, last) in [
            ("2026-04-01", "2026-04-01", "2026-06-30"),
            ("2026-06-30", "2026-04-01", "2026-06-30"),
            ("2026-11-29", "2026-10-01", "2026-12-31"),
            ("2027-02-14", "2027-01-01", "2027-03-31"),
        ] {
            assert_eq!(
                quarters.containing(day(on)),
                (day(first), day(last)),
                "{on}"
            );
        }
        let year = ReportingPeriods::of_months(12).expect("a year");
        assert_eq!(
            year.containing(day("2027-03-31")),
            (day("2026-04-01"), day("2027-03-31"))
        );
        let months = ReportingPeriods::of_months(1).expect("a month");
        assert_eq!(
            months.containing(day("2028-02-10")),
            (day("2028-02-01"), day("2028-02-29")),
            "a leap February"
        );
        let thirds = ReportingPeriods::of_months(4).expect("four months");
        assert_eq!(
            thirds.containing(day("2026-12-01")),
            (day("2026-12-01"), day("2027-03-31"))
        );
        assert_eq!(
            quarters.before(day("2026-05-01")),
            (day("2026-01-01"), day("2026-03-31"))
        );
        assert_eq!(
            quarters.latest(day("2026-11-29"), 3),
            vec![
                (day("2026-10-01"), day("2026-12-31")),
                (day("2026-07-01"), day("2026-09-30")),
                (day("2026-04-01"), day("2026-06-30")),
            ]
        );
        assert!(quarters.is_one(day("2027-01-01"), day("2027-03-31")));
        assert!(!quarters.is_one(day("2027-02-01"), day("2027-04-30")));
        assert!(!quarters.is_one(day("2027-01-01"), day("2027-02-28")));
        for months in [0, 5, 7, 24] {
            assert_eq!(ReportingPeriods::of_months(months), None, "{months}");
        }
    }

    proptest::proptest! {
        #[test]
        fn every_day_falls_in_one_block_and_blocks_follow_on(
            days in 0i64..20_000,
            months in proptest::sample::select(vec![1u32, 2, 3, 4, 6, 12]),
        ) {
            let periods = ReportingPeriods::of_months(months).expect("divides the year");
            let on = Date::new(2000, 1, 1).expect("day") + jiff::Span::new().days(days);
            let (first, last) = periods.containing(on);
            proptest::prop_assert!(first <= on && on <= last);
            proptest::prop_assert_eq!(first.day(), 1);
            proptest::prop_assert_eq!(last, last.last_of_month());
            let next = periods.containing(last.tomorrow().expect("day"));
            proptest::prop_assert_eq!(next.0, last.tomorrow().expect("day"));
            proptest::prop_assert_eq!(periods.containing(first), (first, last));
            proptest::prop_assert_eq!(periods.before(next.0), (first, last));
        }
    }

    #[test]
    fn a_total_that_would_pin_its_cells_is_withheld() {
        // Two cells of 4 and a total of 8, shown as 10 (8 to 12): the cells
        // can only be 4 and 4.
        let cells = [protect(4), protect(4)];
        assert!(!total_is_safe(protect(8), &[&cells]));
        // Two cells of 1 and 2, total 3 ("<5"): each cell could be 1 to 3.
        let cells = [protect(1), protect(2)];
        assert!(total_is_safe(protect(3), &[&cells]));
        // 154 = 115 + 19 + 10 + 9 + 1: the 1 cannot be worked out.
        let cells = [
            protect(115),
            protect(19),
            protect(10),
            protect(9),
            protect(1),
        ];
        assert!(total_is_safe(protect(154), &[&cells]));
        // A second breakdown that forces the total to the top of its range.
        let one = [protect(2), protect(2), protect(2), protect(2)];
        assert!(total_is_safe(protect(8), &[&one]));
        let two = [protect(8)];
        assert!(total_is_safe(protect(8), &[&one, &two]));
        // Zeros are shown and may be the only cells.
        assert!(total_is_safe(Shown::Zero, &[&[Shown::Zero, Shown::Zero]]));
        // Every cell at the top of its range and the total at the foot of
        // its: 4 + 7 + 7 = 18, shown as 20 (18 to 22).
        let cells = [protect(4), protect(7), protect(7)];
        assert!(!total_is_safe(protect(18), &[&cells]));
        // At the foot: 1 + 8 + 8 = 17, shown as 15 (13 to 17); the cells
        // are at least 1, 8 and 8.
        let cells = [protect(1), protect(8), protect(8)];
        assert!(!total_is_safe(protect(17), &[&cells]));
    }
}

/// An adversary with a calculator: given every figure of a table shown for
/// one period, it tries every possible set of true counts and collects what
/// each hidden cell could be.
#[cfg(test)]
mod adversary {
    use super::*;
    use proptest::prelude::*;

    /// A table as shown for one period: its cells and its total.
    struct Table {
        cells: Vec<Shown>,
        total: Shown,
    }

    fn shown_table(counts: &[i64]) -> Table {
        let cells: Vec<Shown> = counts.iter().map(|c| protect(*c)).collect();
        let total = protect(counts.iter().sum());
        let total = if total_is_safe(total, &[&cells]) {
            total
        } else {
            Shown::Withheld
        };
        Table { cells, total }
    }

    /// The values a shown figure leaves possible, with a withheld total
    /// bounded by what its cells can reach.
    fn candidates(shown: Shown) -> std::ops::RangeInclusive<i64> {
        let (low, high) = shown.range();
        low..=high.min(200)
    }

    fn vectors(cells: &[Shown]) -> Vec<Vec<i64>> {
        let mut all = vec![Vec::new()];
        for cell in cells {
            all = all
                .into_iter()
                .flat_map(|v| {
                    candidates(*cell).map(move |x| {
                        let mut v = v.clone();
                        v.push(x);
                        v
                    })
                })
                .collect();
        }
        all
    }

    fn total_fits(total: Shown, sum: i64) -> bool {
        let (low, high) = total.range();
        low <= sum && sum <= high
    }

    /// Every value each cell could hold, given its table as shown.
    fn possible(table: &Table) -> Vec<Vec<i64>> {
        let mut seen = vec![Vec::new(); table.cells.len()];
        for v in vectors(&table.cells) {
            if total_fits(table.total, v.iter().sum()) {
                for (i, x) in v.iter().enumerate() {
                    if !seen[i].contains(x) {
                        seen[i].push(*x);
                    }
                }
            }
        }
        seen
    }

    fn check(table: &Table, truth: &[i64]) {
        let seen = possible(table);
        for (i, cell) in table.cells.iter().enumerate() {
            assert!(
                seen[i].contains(&truth[i]),
                "the truth is among the possibilities"
            );
            if *cell != Shown::Zero {
                assert!(
                    seen[i].len() > 1,
                    "cell {i} ({}) worked out as {:?}",
                    cell.text(),
                    seen[i]
                );
            }
        }
    }

    /// Why a reader outside the service never sees two periods of which one
    /// holds the other: whatever the rounding, the parts and the whole
    /// together can leave a cell one possible value.
    #[test]
    fn periods_that_overlap_would_undo_the_rounding() {
        // Four months of one victim each, "<5" in every month, and "<5" over
        // the four: at least 4 in all and at most 4, so 1 in each month.
        let months = [protect(1); 4];
        let whole = protect(4);
        let low: i64 = months.iter().map(|m| m.range().0).sum();
        assert_eq!(low, whole.range().1, "each month is worked out as 1");
        // 13, 13, 11 (shown 15, 15, 10, total 35) and, inside it, 7, 0, 11
        // (5, 0, 10, total 20): the inner total leaves its third cell at
        // least 11, so the outer one is 11 and the other two 13 each.
        let outer = shown_table(&[13, 13, 11]);
        let inner = shown_table(&[7, 0, 11]);
        assert_eq!(outer.total, Shown::Rounded(35));
        assert_eq!(inner.total, Shown::Rounded(20));
        let inner_third_least =
            inner.total.range().0 - inner.cells[..2].iter().map(|c| c.range().1).sum::<i64>();
        assert_eq!(inner_third_least, outer.cells[2].range().1 - 1);
        // Each table alone keeps every cell open.
        check(&outer, &[13, 13, 11]);
        check(&inner, &[7, 0, 11]);
    }

    /// Every value each of (new before, continuing before, continuing) could
    /// hold, given the three as shown and that the third is at most the
    /// first two together.
    fn possible_across(shown: [Shown; 3]) -> [Vec<i64>; 3] {
        let mut seen: [Vec<i64>; 3] = Default::default();
        for v in vectors(&shown) {
            if v[2] <= v[0] + v[1] {
                for i in 0..3 {
                    if !seen[i].contains(&v[i]) {
                        seen[i].push(v[i]);
                    }
                }
            }
        }
        seen
    }

    /// The three as shown, the continuing ones withheld when the bound
    /// would narrow them.
    fn shown_across(new_before: i64, continuing_before: i64, continuing: i64) -> [Shown; 3] {
        let shown = [
            protect(new_before),
            protect(continuing_before),
            protect(continuing),
        ];
        if continuing_narrows(shown[0], shown[1], shown[2]) {
            [shown[0], shown[1], Shown::Withheld]
        } else {
            shown
        }
    }

    /// The known limit this closes: "<5" new and "<5" continuing in one
    /// quarter, 8 continuing ("10") in the next, would leave 4 and 4.
    #[test]
    fn continuing_beside_the_period_before_is_withheld_when_it_would_pin_it() {
        let open = [protect(4), protect(4), protect(8)];
        assert_eq!(possible_across(open)[0], vec![4], "pinned if shown");
        assert!(continuing_narrows(open[0], open[1], open[2]));
        let shown = shown_across(4, 4, 8);
        assert_eq!(shown[2], Shown::Withheld);
        let seen = possible_across(shown);
        assert!(seen[0].len() > 1 && seen[1].len() > 1, "{seen:?}");
        // Most quarters keep theirs: 20 and 30 before, 25 continuing; none
        // new and 10 continuing before, 5 still continuing.
        assert!(!continuing_narrows(protect(20), protect(30), protect(25)));
        assert!(!continuing_narrows(Shown::Zero, protect(10), protect(5)));
        // "10" continuing means 8 to 12, but "<5" and "5" before leave at
        // most 11: the bound narrows it, so it is withheld.
        assert!(continuing_narrows(protect(3), protect(6), protect(10)));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        #[test]
        fn no_cell_is_worked_out_from_continuing_beside_the_period_before(
            new_before in 0i64..16,
            continuing_before in 0i64..16,
            asked in 0i64..20,
        ) {
            // At most those before: often all of them, where pinning lies.
            let continuing = asked.min(new_before + continuing_before);
            let shown = shown_across(new_before, continuing_before, continuing);
            let seen = possible_across(shown);
            let truth = [new_before, continuing_before, continuing];
            for i in 0..3 {
                prop_assert!(seen[i].contains(&truth[i]));
                if shown[i] != Shown::Zero {
                    prop_assert!(
                        seen[i].len() > 1,
                        "{:?} leaves figure {} only {:?}", shown, i, seen[i]
                    );
                }
            }
        }

        #[test]
        fn no_hidden_cell_can_be_worked_out_from_a_table(
            counts in proptest::collection::vec(0i64..14, 1..6),
        ) {
            check(&shown_table(&counts), &counts);
        }
    }
}
