//! The office's commissioning report for a financial year: funding by
//! source against what is committed and paid, what decisions commit to
//! each recipient, contracts' values over the coming years, and each
//! contract's cost per victim supported, from figures protected as the
//! office sees them. As a page, CSV and XLSX (the return's tables).

use domain::disclosure::Shown;
use domain::policy::{Action, Actor};
use jiff::ToSpan;
use jiff::civil::Date;

use super::access::check_office;
use super::payments::contract_value;
use crate::reports::{Cell, MojReturn, Row, Table};
use crate::{App, Result};

/// What the report is, as the workbook's first line says.
pub const COMMISSIONING_REPORT: &str = "Commissioning report";

impl App {
    pub async fn commissioning_report(&self, actor: &Actor, on: Date) -> Result<MojReturn> {
        let office = actor.organisation_id.clone();
        check_office(actor, &office, Action::ViewCommissioning)?;
        let budget = self.budget_year(actor, on).await?;
        let (from, to) = budget.year;
        let mut conn = self.db.conn().await?;
        let recipients = store::commissioning::committed_by_recipient(
            &mut conn,
            &office,
            &from.to_string(),
            &to.to_string(),
        )
        .await?;
        let contracts = store::commissioning::contracts_of(&mut conn, Some(&office), None).await?;
        let mut paid_in_period = Vec::new();
        let period = self.settings.report_periods.before(self.today());
        for c in &contracts {
            let paid: i64 = store::commissioning::payments(&mut conn, &c.id)
                .await?
                .iter()
                .filter(|p| {
                    p.paid_on.as_str() >= period.0.to_string().as_str()
                        && p.paid_on.as_str() <= period.1.to_string().as_str()
                })
                .map(|p| p.amount_pence)
                .sum();
            let parts = store::commissioning::contract_parts(&mut conn, &c.id).await?;
            paid_in_period.push((paid, parts.service_ids));
        }
        drop(conn);
        let money = |p: i64| Cell::Money(Some(p));
        let mut tables = vec![
            Table {
                definition: "funding",
                title: "Funding by source: budget against actual",
                columns: vec!["Allocated", "Committed", "Paid", "Remaining"],
                rows: budget
                    .lines
                    .iter()
                    .map(|l| Row {
                        label: l.name.clone(),
                        cells: vec![
                            money(l.allocated_pence),
                            money(l.committed_pence),
                            money(budget.paid_from(&l.source_id).0),
                            money(l.allocated_pence - l.committed_pence),
                        ],
                    })
                    .collect(),
            },
            Table {
                definition: "recipients",
                title: "Committed by the year's decisions, by recipient",
                columns: vec!["Committed"],
                rows: recipients
                    .iter()
                    .map(|(recipient, pence)| Row {
                        label: recipient.clone(),
                        cells: vec![money(*pence)],
                    })
                    .collect(),
            },
        ];
        // Each contract's value in this financial year and the next two,
        // where its period reaches into the year.
        let years: Vec<(Date, Date)> = (0..3)
            .map(|n| domain::reports::financial_year(from.saturating_add((12 * n).months())))
            .collect();
        let in_year = |c: &store::commissioning::Contract, (start, end): (Date, Date)| {
            let runs = c.starts_on.as_str() <= end.to_string().as_str()
                && c.ends_on.as_str() >= start.to_string().as_str();
            if runs { c.annual_pence } else { 0 }
        };
        let mut commitment_rows: Vec<Row> = contracts
            .iter()
            .map(|c| Row {
                label: format!("{}: {}", c.reference, c.title),
                cells: years.iter().map(|y| money(in_year(c, *y))).collect(),
            })
            .collect();
        commitment_rows.push(Row {
            label: "All contracts".to_string(),
            cells: years
                .iter()
                .map(|y| money(contracts.iter().map(|c| in_year(c, *y)).sum()))
                .collect(),
        });
        tables.push(Table {
            definition: "commitments",
            title: "Contracts' values by financial year",
            columns: vec!["This year", "Next year", "The year after"],
            rows: commitment_rows,
        });
        // Cost per victim supported in the latest ended reporting period:
        // what was paid in it over the new victims supported, as the office
        // sees them (protected); none where a count is under 5 or withheld.
        let mut value_rows = Vec::new();
        for (c, (paid, services)) in contracts.iter().zip(&paid_in_period) {
            let mut victims = Some(0i64);
            for service in services {
                let report = self
                    .moj_return_for_system(period.0, period.1, std::slice::from_ref(service), true)
                    .await?;
                let shown = report
                    .tables
                    .iter()
                    .find(|t| t.definition == "summary")
                    .and_then(|t| t.rows.iter().find(|r| r.label == "Victims supported: new"))
                    .and_then(|r| r.cells.first().cloned());
                let number = match shown {
                    Some(Cell::Protected(s)) => s.number(),
                    _ => None,
                };
                victims = victims.zip(number).map(|(a, b)| a + b);
            }
            let cost = victims.filter(|v| *v > 0).map(|v| (paid + v / 2) / v);
            value_rows.push(Row {
                label: format!("{}: {}", c.reference, c.title),
                cells: vec![
                    money(*paid),
                    match victims {
                        Some(0) => Cell::Protected(Shown::Zero),
                        Some(v) => Cell::Protected(Shown::Rounded(v)),
                        None => Cell::NotKnown,
                    },
                    Cell::Money(cost),
                    money(contract_value(c)),
                ],
            });
        }
        tables.push(Table {
            definition: "value-for-money",
            title: "Cost per victim supported, latest reporting period ended",
            columns: vec![
                "Paid in the period",
                "New victims supported (as shown)",
                "Cost per victim supported",
                "Value over the contract's period",
            ],
            rows: value_rows,
        });
        Ok(MojReturn {
            title: COMMISSIONING_REPORT,
            from,
            to,
            services: contracts.iter().map(|c| c.reference.clone()).collect(),
            suppressed: true,
            tables,
        })
    }
}
