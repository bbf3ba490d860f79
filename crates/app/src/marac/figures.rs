//! The MARAC's quarterly data: cases heard, repeats, children, the victims
//! the national MARAC data asks about, and referrals by agency
//! (docs/marac.md#figures). Shown as tables that render to a page, CSV and
//! XLSX, like the MoJ return. Its coordinator and chair see the counts as
//! they are; a commissioner of a service in the MARAC's area sees them
//! protected, for whole months, as they see the return.

use domain::disclosure::sees_protected_figures;
use domain::marac::{AreaIn, CountedReferral, Quarter, area_covers, quarter};
use domain::policy::{self, Action, Actor};
use domain::victims_code::age_on;
use jiff::civil::Date;
use store::marac::Marac;

use crate::marac::access::{check, marac_place};
use crate::reports::disclosure::{protect_cells, withhold_if_unsafe};
use crate::reports::frozen::Figures;
use crate::reports::{Cell, MojReturn, Row, Table, one_period};
use crate::{App, AppError, Result};

const HEARD: &str = "marac-heard";
const AGENCIES: &str = "marac-agencies";
const ALL_REFERRALS: &str = "All referrals";

/// What the MARAC figures are called in the workbook.
pub const MARAC_FIGURES: &str = "MARAC quarterly data";

impl App {
    /// The figures for the meetings of a MARAC held from one day to another.
    pub async fn marac_figures(
        &self,
        actor: &Actor,
        marac_id: &str,
        from: Date,
        to: Date,
    ) -> Result<MojReturn> {
        let runs_it = policy::may(actor, Action::RunMarac, &marac_place(marac_id));
        let marac = if runs_it {
            None
        } else {
            let seen = self.maracs_with_protected_figures(actor).await?;
            match seen.into_iter().find(|m| m.id == marac_id) {
                Some(marac) => Some(marac),
                None => {
                    check(actor, marac_id, Action::RunMarac)?;
                    return Err(AppError::NotFound);
                }
            }
        };
        let protected = marac.is_some();
        if protected {
            one_period(from, to, &self.settings, self.reporting_day())?;
        } else if to < from {
            return Err(AppError::invalid(
                "to",
                crate::reports::messages::ReportMessage::EndPeriodMustAfterStart,
            ));
        }
        let mut conn = self.db.conn().await?;
        let marac = match marac {
            Some(marac) => marac,
            None => store::marac::maracs(&mut conn)
                .await?
                .into_iter()
                .find(|m| m.id == marac_id)
                .ok_or(AppError::NotFound)?,
        };
        drop(conn);
        let counted = async {
            let mut conn = self.db.conn().await?;
            let rows = store::marac::referrals_to_meetings_in(
                &mut conn,
                marac_id,
                &from.to_string(),
                &to.to_string(),
            )
            .await?;
            Ok::<_, AppError>(tables(&quarter(&counted(rows))))
        };
        let (tables, frozen_at) = if protected {
            let protected = async {
                let mut tables = counted.await?;
                protect(&mut tables);
                Ok(tables)
            };
            let shapes = tables(&quarter(&[]));
            let figures = Figures::Marac { marac_id };
            // Not checked beside other quarters: repeats are bounded by the
            // cases heard in the year before (docs/moj-return.md#frozen).
            let (tables, at) = self
                .frozen(figures, (from, to), shapes, protected, |_, _| {})
                .await?;
            (tables, Some(at))
        } else {
            (counted.await?, None)
        };
        Ok(MojReturn {
            title: MARAC_FIGURES,
            from,
            to,
            services: vec![marac.name],
            suppressed: protected,
            tables,
            frozen_at,
        })
    }

    /// The MARACs whose figures someone outside the service sees, protected:
    /// for a commissioner, those whose area covers a service they may see
    /// in aggregate (the same rule as flag and tag). None for anyone else.
    pub async fn maracs_with_protected_figures(&self, actor: &Actor) -> Result<Vec<Marac>> {
        if !sees_protected_figures(actor) {
            return Ok(Vec::new());
        }
        let services = self.reportable_services(actor).await?;
        if services.is_empty() {
            return Ok(Vec::new());
        }
        let mut conn = self.db.conn().await?;
        let areas = store::directory::list_areas(&mut conn).await?;
        let parent = |id: &str| {
            areas
                .iter()
                .find(|a| a.id == id)
                .and_then(|a| a.parent_id.clone())
        };
        Ok(store::marac::maracs(&mut conn)
            .await?
            .into_iter()
            .filter(|m| {
                let marac_parent = parent(&m.area_id);
                let marac_area = AreaIn {
                    id: &m.area_id,
                    parent: marac_parent.as_deref(),
                };
                services.iter().any(|s| {
                    let service_parent = parent(&s.area_id);
                    area_covers(
                        marac_area,
                        AreaIn {
                            id: &s.area_id,
                            parent: service_parent.as_deref(),
                        },
                    )
                })
            })
            .collect())
    }
}

/// Each referral as the figures count it.
fn counted(rows: Vec<store::marac::CountedRow>) -> Vec<CountedReferral> {
    rows.into_iter()
        .map(|r| {
            let referred: Option<Date> = r.referred_on.parse().ok();
            let born: Option<Date> = r.date_of_birth.as_deref().and_then(|d| d.parse().ok());
            CountedReferral {
                heard: r.status == "heard",
                repeat: r.is_repeat != 0,
                children: r.children,
                agency: r.service_name,
                gender: r.gender,
                ethnicity: r.ethnicity,
                disability: r.disability,
                sexual_orientation: r.sexual_orientation,
                age: born
                    .zip(referred)
                    .map(|(born, on)| i64::from(age_on(born, on))),
            }
        })
        .collect()
}

/// The figures' two tables.
fn tables(q: &Quarter) -> Vec<Table> {
    let of_heard = |label: &str, n: i64| Row {
        label: label.to_string(),
        cells: vec![Cell::Count(n), Cell::Share(n, q.heard)],
    };
    let heard = Table {
        definition: HEARD,
        title: "Cases heard",
        columns: vec!["Number", "Share of cases heard"],
        rows: vec![
            Row {
                label: "Cases heard".into(),
                cells: vec![Cell::Count(q.heard)],
            },
            of_heard("Repeats", q.repeats),
            Row {
                label: "Children in the households".into(),
                cells: vec![Cell::Count(q.children)],
            },
            of_heard(
                "Victims from Black and minority ethnic groups",
                q.minority_ethnic,
            ),
            of_heard("Lesbian, gay, bisexual or trans victims (LGBT+)", q.lgbt),
            of_heard("Disabled victims", q.disabled),
            of_heard("Male victims", q.male),
            of_heard("Victims aged 16 or 17", q.aged_16_17),
        ],
    };
    let mut by_agency: Vec<Row> = q
        .by_agency
        .iter()
        .map(|(agency, n)| Row {
            label: agency.clone(),
            cells: vec![Cell::Count(*n)],
        })
        .collect();
    by_agency.push(Row {
        label: ALL_REFERRALS.into(),
        cells: vec![Cell::Count(q.referrals)],
    });
    let agencies = Table {
        definition: AGENCIES,
        title: "Referrals by referring agency",
        columns: vec!["Referrals"],
        rows: by_agency,
    };
    vec![heard, agencies]
}

/// The figures as someone outside the service sees them: each protected,
/// and the total of referrals withheld where, beside the agencies' counts,
/// it would leave one of them a single possible value.
fn protect(tables: &mut [Table]) {
    protect_cells(tables);
    withhold_if_unsafe(tables, AGENCIES, ALL_REFERRALS, &[AGENCIES], &[]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::disclosure::Shown;

    fn shown(agencies: &[i64]) -> Vec<Table> {
        let q = Quarter {
            referrals: agencies.iter().sum(),
            by_agency: agencies
                .iter()
                .enumerate()
                .map(|(i, n)| (format!("Agency {i}"), *n))
                .collect(),
            ..Quarter::default()
        };
        let mut t = tables(&q);
        protect(&mut t);
        t
    }

    fn total(tables: &[Table]) -> Cell {
        tables[1].rows.last().expect("total").cells[0].clone()
    }

    #[test]
    fn a_total_that_would_pin_two_small_counts_is_withheld() {
        // 4 + 4 shows as <5 + <5 = 10, which only 4 and 4 can make.
        assert_eq!(total(&shown(&[4, 4])), Cell::Protected(Shown::Withheld));
        assert_eq!(
            total(&shown(&[4, 6])),
            Cell::Protected(Shown::Rounded(10)),
            "many pairs make 10"
        );
        assert_eq!(
            shown(&[4, 4])[1].rows[0].cells[0],
            Cell::Protected(Shown::UnderFive)
        );
    }
}
