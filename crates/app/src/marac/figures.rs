//! The MARAC's quarterly data, for its coordinator and chair: cases heard,
//! repeats, children, the victims the national MARAC data asks about, and
//! referrals by agency (docs/marac.md#figures). Shown as tables that render
//! to a page, CSV and XLSX, like the MoJ return.

use domain::marac::{CountedReferral, quarter};
use domain::policy::{Action, Actor};
use domain::victims_code::age_on;
use jiff::civil::Date;

use crate::marac::access::check;
use crate::reports::{Cell, MojReturn, Row, Table};
use crate::{App, AppError, Result};

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
        check(actor, marac_id, Action::RunMarac)?;
        if to < from {
            return Err(AppError::invalid(
                "to",
                crate::reports::messages::ReportMessage::EndPeriodMustAfterStart,
            ));
        }
        let mut conn = self.db.conn().await?;
        let marac = store::marac::maracs(&mut conn)
            .await?
            .into_iter()
            .find(|m| m.id == marac_id)
            .ok_or(AppError::NotFound)?;
        let rows = store::marac::referrals_to_meetings_in(
            &mut conn,
            marac_id,
            &from.to_string(),
            &to.to_string(),
        )
        .await?;
        let counted: Vec<CountedReferral> = rows
            .into_iter()
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
            .collect();
        let q = quarter(&counted);
        let of_heard = |label: &str, n: i64| Row {
            label: label.to_string(),
            cells: vec![Cell::Count(n), Cell::Share(n, q.heard)],
        };
        let heard = Table {
            definition: "marac-heard",
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
            label: "All referrals".into(),
            cells: vec![Cell::Count(q.referrals)],
        });
        let agencies = Table {
            definition: "marac-agencies",
            title: "Referrals by referring agency",
            columns: vec!["Referrals"],
            rows: by_agency,
        };
        Ok(MojReturn {
            title: MARAC_FIGURES,
            from,
            to,
            services: vec![marac.name],
            suppressed: false,
            tables: vec![heard, agencies],
        })
    }
}
