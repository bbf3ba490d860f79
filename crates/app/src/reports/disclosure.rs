//! The return as someone outside the service sees it: every count and share
//! protected, and a total withheld where it would let a small count be
//! worked out from the tables that break it down (`domain::disclosure`,
//! `docs/moj-return.md#disclosure`).

use domain::disclosure::{Shown, continuing_narrows, protect, share, total_is_safe};

use super::tables::{
    BY_RECEIVED, BY_SUPPORTED, CONTINUING, RECEIVED, RISK, RISK_CHANGE, SUMMARY, SUPPORTED,
    SUPPORTED_INFORMATION, SUPPORTED_TAILORED,
};

/// The fewest people a median or percentile is shown for: with fewer, it
/// would come close to one person's wait.
const FEWEST_FOR_A_MEASURE: i64 = 10;
use super::{Cell, Table};

/// Protects every figure of the return's tables, in place.
pub(super) fn protect_tables(tables: &mut [Table]) {
    protect_cells(tables);
    withhold_if_unsafe(tables, SUMMARY, RECEIVED, BY_RECEIVED, &[]);
    withhold_if_unsafe(
        tables,
        SUMMARY,
        SUPPORTED,
        BY_SUPPORTED,
        &[SUPPORTED_INFORMATION, SUPPORTED_TAILORED],
    );
    withhold_risk_if_unsafe(tables);
}

/// Protects each count, share and measure of the tables on its own: counts
/// rounded, shares from the counts as shown, measures over enough people.
/// Totals are then checked against their parts by `withhold_if_unsafe`.
pub(crate) fn protect_cells(tables: &mut [Table]) {
    for table in tables.iter_mut() {
        for row in &mut table.rows {
            // Days measured over a row's people, shown only for enough of them.
            let people = match row.cells.first() {
                Some(Cell::Count(n)) => *n,
                _ => 0,
            };
            row.cells = row
                .cells
                .iter()
                .map(|cell| match cell {
                    Cell::Count(n) => Cell::Protected(protect(*n)),
                    Cell::Share(part, whole) => {
                        Cell::ProtectedShare(share(protect(*part), protect(*whole)))
                    }
                    Cell::Days(_) if people < FEWEST_FOR_A_MEASURE => Cell::Days(None),
                    protected => protected.clone(),
                })
                .collect();
        }
    }
}

/// The risk tables' three columns each add up to the cases closed with an
/// assessment, a number not shown. When together they would leave a cell
/// (or that number) one possible value, every figure of both is withheld.
fn withhold_risk_if_unsafe(tables: &mut [Table]) {
    let column = |tables: &[Table], definition: &str, index: usize| -> Vec<Shown> {
        tables
            .iter()
            .filter(|t| t.definition == definition)
            .flat_map(|t| t.rows.iter())
            .filter_map(|r| r.cells.get(index).and_then(protected))
            .collect()
    };
    let groups = [
        column(tables, RISK, 0),
        column(tables, RISK, 1),
        column(tables, RISK_CHANGE, 0),
    ];
    if groups.iter().all(|g| g.iter().all(|c| *c == Shown::Zero)) {
        return;
    }
    let groups: Vec<&[Shown]> = groups.iter().map(Vec::as_slice).collect();
    if total_is_safe(Shown::Withheld, &groups) {
        return;
    }
    for table in tables
        .iter_mut()
        .filter(|t| t.definition == RISK || t.definition == RISK_CHANGE)
    {
        for row in &mut table.rows {
            for cell in &mut row.cells {
                *cell = Cell::Protected(Shown::Withheld);
            }
        }
    }
}

/// Withholds a total (the first cell of `total_row` in the table
/// `total_table`) when, beside the tables that break it down (and rows of
/// its own table that do), some cell would be left one possible value. A
/// breakdown may be the total's own table; the total's row is not a part.
pub(crate) fn withhold_if_unsafe(
    tables: &mut [Table],
    total_table: &str,
    total_row: &str,
    breakdowns: &[&str],
    summary_parts: &[&str],
) {
    let first_cell = |table: &Table, label: &str| -> Option<Shown> {
        table
            .rows
            .iter()
            .find(|r| r.label == label)
            .and_then(|r| r.cells.first())
            .and_then(protected)
    };
    let Some(summary) = tables.iter().find(|t| t.definition == total_table) else {
        return;
    };
    let Some(total) = first_cell(summary, total_row) else {
        return;
    };
    let mut groups: Vec<Vec<Shown>> = tables
        .iter()
        .filter(|t| breakdowns.contains(&t.definition))
        .map(|t| {
            t.rows
                .iter()
                .filter(|r| !(t.definition == total_table && r.label == total_row))
                .filter_map(|r| r.cells.first().and_then(protected))
                .collect()
        })
        .collect();
    if !summary_parts.is_empty() {
        groups.push(
            summary_parts
                .iter()
                .filter_map(|label| first_cell(summary, label))
                .collect(),
        );
    }
    let groups: Vec<&[Shown]> = groups.iter().map(Vec::as_slice).collect();
    if total_is_safe(total, &groups) {
        return;
    }
    if let Some(cell) = tables
        .iter_mut()
        .find(|t| t.definition == total_table)
        .and_then(|t| t.rows.iter_mut().find(|r| r.label == total_row))
        .and_then(|r| r.cells.first_mut())
    {
        *cell = Cell::Protected(Shown::Withheld);
    }
}

/// Withholds the victims continuing in a period when, beside the figures
/// kept for the period before or after it, the bound between periods
/// (`domain::disclosure::continuing_narrows`) would narrow any of them.
/// Withheld, it bounds nothing, in either pair.
pub(super) fn withhold_continuing_beside(
    tables: &mut [Table],
    before: Option<&[Table]>,
    after: Option<&[Table]>,
) {
    let summary = |tables: &[Table], label: &str| -> Option<Shown> {
        tables
            .iter()
            .find(|t| t.definition == SUMMARY)?
            .rows
            .iter()
            .find(|r| r.label == label)?
            .cells
            .first()
            .and_then(protected)
    };
    let (Some(new), Some(continuing)) = (summary(tables, SUPPORTED), summary(tables, CONTINUING))
    else {
        return;
    };
    let narrows_before = before.is_some_and(|before| {
        match (summary(before, SUPPORTED), summary(before, CONTINUING)) {
            (Some(new_before), Some(continuing_before)) => {
                continuing_narrows(new_before, continuing_before, continuing)
            }
            _ => false,
        }
    });
    let narrows_after = after
        .and_then(|after| summary(after, CONTINUING))
        .is_some_and(|continuing_after| continuing_narrows(new, continuing, continuing_after));
    if !(narrows_before || narrows_after) {
        return;
    }
    if let Some(cell) = tables
        .iter_mut()
        .find(|t| t.definition == SUMMARY)
        .and_then(|t| t.rows.iter_mut().find(|r| r.label == CONTINUING))
        .and_then(|r| r.cells.first_mut())
    {
        *cell = Cell::Protected(Shown::Withheld);
    }
}

fn protected(cell: &Cell) -> Option<Shown> {
    match cell {
        Cell::Protected(shown) => Some(*shown),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reports::tables::risk_tables;
    use store::reports::RiskChange;

    fn change(intake: &str, exit: &str, cases: i64) -> RiskChange {
        RiskChange {
            intake: Some(intake.to_string()),
            exit: Some(exit.to_string()),
            cases,
        }
    }

    fn shown(tables: &[Table]) -> Vec<String> {
        tables
            .iter()
            .flat_map(|t| t.rows.iter())
            .flat_map(|r| r.cells.iter())
            .map(|c| match c {
                Cell::Protected(s) => s.text(),
                other => format!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn risk_tables_that_would_pin_a_small_count_are_withheld_whole() {
        // Intake: 5 high (5 to 7). Exit: 5 high, 1 medium, 1 standard. The
        // exit column then needs at least 7, so the total is 7 and each
        // "<5" at exit is 1: withheld.
        let mut tables = risk_tables(&[
            change("high", "high", 5),
            change("high", "medium", 1),
            change("high", "standard", 1),
        ]);
        protect_tables(&mut tables);
        assert!(
            shown(&tables).iter().all(|s| s == "[c]"),
            "{:?}",
            shown(&tables)
        );

        // Enough cases at each level: shown, rounded.
        let mut tables = risk_tables(&[
            change("high", "high", 20),
            change("high", "medium", 12),
            change("medium", "standard", 9),
            change("medium", "medium", 8),
        ]);
        protect_tables(&mut tables);
        let figures = shown(&tables);
        assert!(!figures.contains(&"[c]".to_string()), "{figures:?}");
        assert_eq!(&figures[..2], &["30", "20"], "high at intake and at exit");
    }
}
