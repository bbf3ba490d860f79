//! A programme's evaluation: the pilot period's call-outs against the
//! baseline's aggregate figures, as counts, rates and their change. Someone
//! outside the service sees it protected.

use std::collections::HashMap;

use domain::disclosure::sees_protected_figures;
use domain::policy::{self, Action, Actor};
use domain::programmes::{CallOutFacts, JusticeOutcome, Measure, RATES, tally};
use jiff::civil::Date;

use crate::programmes::access::reached;
use crate::reports::disclosure::protect_cells;
use crate::reports::frozen::Figures;
use crate::reports::{Cell, MojReturn, Row, Table};
use crate::{App, AppError, Result};

/// The evaluation's title: the workbook's first line.
pub const PROGRAMME_EVALUATION: &str = "Programme evaluation";
pub const COUNTS: &str = "programme-counts";
pub const RATES_TABLE: &str = "programme-rates";

/// An evaluation: its tables, and each rate's bars for the charts (whole
/// percentages, none where a share is not shown).
#[derive(Debug, Clone)]
pub struct Evaluation {
    pub name: String,
    pub report: MojReturn,
    pub baseline_from: Date,
    pub baseline_to: Date,
    /// Whether the baseline's figures have been given.
    pub baseline_given: bool,
    pub rates: Vec<RateBars>,
}

#[derive(Debug, Clone)]
pub struct RateBars {
    pub label: &'static str,
    pub pilot: Option<i64>,
    pub baseline: Option<i64>,
}

/// A share as shown, as a whole percentage.
fn percent(cell: &Cell) -> Option<i64> {
    match cell {
        Cell::Share(part, whole) | Cell::ProtectedShare(Some((part, whole))) => {
            domain::reports::whole_percent(*part, *whole)
        }
        _ => None,
    }
}

impl App {
    /// The pilot period (to today, while it runs) against the baseline.
    /// For the staff of the delivering service, or protected for its
    /// commissioners.
    pub async fn programme_evaluation(&self, actor: &Actor, id: &str) -> Result<Evaluation> {
        let mut conn = self.db.conn().await?;
        let staff = reached(&mut conn, actor, id, Action::ViewCases).await;
        let reached = match staff {
            Ok(r) => r,
            Err(AppError::NotFound) => {
                reached(&mut conn, actor, id, Action::ViewAggregates).await?
            }
            Err(e) => return Err(e),
        };
        let suppressed = sees_protected_figures(actor)
            && !policy::may(actor, Action::ViewCases, &reached.place());
        let rows = store::programmes::call_out_facts(&mut conn, id).await?;
        let imported = store::programmes::baseline(&mut conn, id).await?;
        drop(conn);
        let p = &reached.programme;
        let date = |text: &str| {
            text.parse::<Date>()
                .map_err(|_| AppError::Internal("a stored day".into()))
        };
        let (starts, ends) = (date(&p.starts_on)?, date(&p.ends_on)?);
        let (base_from, base_to) = (date(&p.baseline_from)?, date(&p.baseline_to)?);
        // Someone outside the service sees one reporting period of the
        // pilot, the latest to have ended, as in the return: the pilot so
        // far, read in two periods, would give the difference away.
        let (from, to) = if suppressed {
            let periods = self.settings.report_periods;
            let known = ends.min(periods.before(self.reporting_day()).1);
            let (first, last) = periods.containing(known);
            (starts.max(first), ends.min(last))
        } else {
            (starts, ends.min(self.today()))
        };
        let facts: Vec<CallOutFacts> = rows
            .iter()
            .filter_map(|r| {
                Some(CallOutFacts {
                    day: r.on_day.parse().ok()?,
                    person: r.person_id.clone(),
                    joint: r.joint_attendance != 0,
                    dash_done: r.dash_done != 0,
                    safety_plan: r.safety_plan != 0,
                    children_present: r.children_present != 0,
                    arrest: r.arrest != 0,
                    protection_applied: r.protection_applied != 0,
                    protection_granted: r.protection_granted != 0,
                    engaged: r.engaged != 0,
                    onward_referral: r.onward_referral != 0,
                    outcome: JusticeOutcome::parse(&r.justice_outcome)
                        .unwrap_or(JusticeOutcome::Awaiting),
                })
            })
            .collect();
        let pilot = tally(&facts, from, to);
        let baseline: HashMap<Measure, i64> = imported
            .iter()
            .filter_map(|(code, count)| Some((Measure::parse(code)?, *count)))
            .collect();
        // Before the pilot's first period has ended there is nothing to keep.
        let (tables, frozen_at) = if suppressed && from <= to {
            // Kept as first shown, like the return: a call-out corrected
            // after the evaluation was read would show as a difference.
            let figures = Figures::Programme { programme_id: id };
            let shapes = evaluation_tables(&HashMap::new(), &HashMap::new(), true);
            let build = async { Ok(evaluation_tables(&pilot, &baseline, true)) };
            let (tables, at) = self
                .frozen(figures, (from, to), shapes, build, |_, _| {})
                .await?;
            (tables, Some(at))
        } else {
            (evaluation_tables(&pilot, &baseline, suppressed), None)
        };
        let rates = tables
            .iter()
            .find(|t| t.definition == RATES_TABLE)
            .map(|t| {
                t.rows
                    .iter()
                    .zip(RATES)
                    .map(|(row, measure)| RateBars {
                        label: measure.label(),
                        pilot: row.cells.first().and_then(percent),
                        baseline: row.cells.get(1).and_then(percent),
                    })
                    .collect()
            })
            .unwrap_or_default();
        Ok(Evaluation {
            name: p.name.clone(),
            report: MojReturn {
                title: PROGRAMME_EVALUATION,
                from,
                to,
                services: vec![reached.service.name.clone()],
                suppressed,
                tables,
                frozen_at,
            },
            baseline_from: base_from,
            baseline_to: base_to,
            baseline_given: !baseline.is_empty(),
            rates,
        })
    }
}

/// The evaluation's two tables, from the pilot's and the baseline's counts;
/// `protected` for someone outside the service.
fn evaluation_tables(
    pilot: &HashMap<Measure, i64>,
    baseline: &HashMap<Measure, i64>,
    protected: bool,
) -> Vec<Table> {
    let count = |counts: &HashMap<Measure, i64>, m: Measure| match counts.get(&m) {
        Some(n) => Cell::Count(*n),
        None => Cell::NotKnown,
    };
    let share = |counts: &HashMap<Measure, i64>, m: Measure| match (
        counts.get(&m),
        counts.get(&Measure::CallOuts),
    ) {
        (Some(part), Some(whole)) => Cell::Share(*part, *whole),
        _ => Cell::NotKnown,
    };
    let mut tables = vec![
        Table {
            definition: COUNTS,
            title: "What the call-outs achieved",
            columns: vec!["Pilot", "Baseline"],
            rows: Measure::ALL
                .iter()
                .map(|m| Row {
                    label: m.label().to_string(),
                    cells: vec![count(pilot, *m), count(baseline, *m)],
                })
                .collect(),
        },
        Table {
            definition: RATES_TABLE,
            title: "Rates, as a share of the call-outs",
            columns: vec!["Pilot", "Baseline", "Change (percentage points)"],
            rows: RATES
                .iter()
                .map(|m| Row {
                    label: m.label().to_string(),
                    cells: vec![share(pilot, *m), share(baseline, *m)],
                })
                .collect(),
        },
    ];
    if protected {
        protect_cells(&mut tables);
    }
    // The change is worked out from the shares as shown, so it gives away
    // nothing they do not.
    for row in &mut tables[1].rows {
        let (now, before) = (percent(&row.cells[0]), percent(&row.cells[1]));
        row.cells
            .push(Cell::Points(now.zip(before).map(|(n, b)| n - b)));
    }
    tables
}
