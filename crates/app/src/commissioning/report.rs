//! The office's commissioning report for a financial year: funding by
//! source against what is committed and paid, what decisions commit to
//! each recipient, contracts' values over the coming years, what was paid
//! by provider, service and objective, and each contract's cost per victim
//! supported and per outcome improved, from figures protected as the
//! office sees them. As a page, CSV and XLSX (the return's tables).

use domain::disclosure::Shown;
use domain::policy::{Action, Actor};
use domain::values::largest_remainder;
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
        let paid_in_year =
            store::commissioning::paid_in(&mut conn, &office, &from.to_string(), &to.to_string())
                .await?;
        let commissioned = domain::policy::Visibility {
            commissioned_by: vec![office.clone()],
            ..Default::default()
        };
        let services: Vec<(String, String)> =
            store::directory::list_services(&mut conn, &commissioned)
                .await?
                .into_iter()
                .map(|s| (s.id, s.name))
                .collect();
        let objectives = store::commissioning::objectives(&mut conn, Some(&office)).await?;
        let period = self.settings.report_periods.before(self.reporting_day());
        // For each contract: paid in the year, paid in the latest ended
        // reporting period, its services and the objectives it serves.
        let paid_in_period = store::commissioning::paid_in(
            &mut conn,
            &office,
            &period.0.to_string(),
            &period.1.to_string(),
        )
        .await?;
        let paid = |sums: &[(String, i64)], id: &str| {
            sums.iter().find(|(c, _)| c == id).map_or(0, |(_, p)| *p)
        };
        let mut spend = Vec::new();
        for c in &contracts {
            spend.push(ContractSpend {
                paid_in_year: paid(&paid_in_year, &c.id),
                paid_in_period: paid(&paid_in_period, &c.id),
                service_ids: store::commissioning::contract_parts(&mut conn, &c.id)
                    .await?
                    .service_ids,
                objective_ids: store::commissioning::contract_objectives(&mut conn, &c.id).await?,
            });
        }
        drop(conn);
        let money = |p: i64| Cell::Money(Some(p));
        let mut tables = vec![
            Table {
                definition: "funding",
                title: "Funding by source: budget against actual",
                columns: vec!["Allocated", "Committed", "Paid", "Remaining", "Contracted"],
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
                            money(budget.contracted_from(&l.source_id).0),
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
        tables.extend(spend_tables(&contracts, &spend, &services, &objectives));
        // Cost per victim supported and per outcome improved in the latest
        // ended reporting period: what was paid in it over the counts as
        // the office sees them (protected); none where a count is under 5
        // or withheld. Each service's return is read once.
        let mut returns: Vec<(String, MojReturn)> = Vec::new();
        for service in spend.iter().flat_map(|s| &s.service_ids) {
            if !returns.iter().any(|(id, _)| id == service) {
                let report = self
                    .moj_return_for_system(period.0, period.1, std::slice::from_ref(service), true)
                    .await?;
                returns.push((service.clone(), report));
            }
        }
        let counted = |services: &[String], count: fn(&MojReturn) -> Option<i64>| {
            services.iter().try_fold(0i64, |sum, service| {
                let report = returns.iter().find(|(id, _)| id == service).map(|r| &r.1)?;
                Some(sum + count(report)?)
            })
        };
        let protected = |count: Option<i64>| match count {
            Some(0) => Cell::Protected(Shown::Zero),
            Some(v) => Cell::Protected(Shown::Rounded(v)),
            None => Cell::NotKnown,
        };
        let cost = |paid: i64, count: Option<i64>| {
            Cell::Money(count.filter(|v| *v > 0).map(|v| (paid + v / 2) / v))
        };
        let mut value_rows = Vec::new();
        for (c, s) in contracts.iter().zip(&spend) {
            let victims = counted(&s.service_ids, new_victims_supported);
            let improved = counted(&s.service_ids, outcomes_improved);
            value_rows.push(Row {
                label: format!("{}: {}", c.reference, c.title),
                cells: vec![
                    money(s.paid_in_period),
                    protected(victims),
                    cost(s.paid_in_period, victims),
                    protected(improved),
                    cost(s.paid_in_period, improved),
                    money(contract_value(c)),
                ],
            });
        }
        tables.push(Table {
            definition: "value-for-money",
            title: "Value for money, latest reporting period ended",
            columns: vec![
                "Paid in the period",
                "New victims supported (as shown)",
                "Cost per victim supported",
                "Outcomes improved (as shown)",
                "Cost per outcome improved",
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
            // Its money moves as payments are made; the counts it divides
            // by come from returns kept as first shown.
            frozen_at: None,
        })
    }
}

/// What one contract paid and whom it serves, for the report.
struct ContractSpend {
    paid_in_year: i64,
    paid_in_period: i64,
    service_ids: Vec<String>,
    objective_ids: Vec<String>,
}

/// A shown count of a service's protected return, as a number: none when
/// it is under 5 or withheld.
fn shown(cell: Option<&Cell>) -> Option<i64> {
    match cell {
        Some(Cell::Protected(s)) => s.number(),
        _ => None,
    }
}

fn new_victims_supported(report: &MojReturn) -> Option<i64> {
    let summary = report.tables.iter().find(|t| t.definition == "summary")?;
    let row = summary
        .rows
        .iter()
        .find(|r| r.label == "Victims supported: new")?;
    shown(row.cells.first())
}

/// Outcomes improved, over every cope-and-recover measure: each measure a
/// victim improved on counts once.
fn outcomes_improved(report: &MojReturn) -> Option<i64> {
    let outcomes = report.tables.iter().find(|t| t.definition == "outcomes")?;
    let column = outcomes.columns.iter().position(|c| *c == "Improved")?;
    outcomes
        .rows
        .iter()
        .try_fold(0, |sum, row| Some(sum + shown(row.cells.get(column))?))
}

/// What the year's payments went to: by provider, by service (a
/// contract's payments shared equally between its services, to the penny)
/// and by objective (a contract counting under each objective it serves,
/// so that table does not add up to the year's total).
fn spend_tables(
    contracts: &[store::commissioning::Contract],
    spend: &[ContractSpend],
    services: &[(String, String)],
    objectives: &[store::commissioning::Objective],
) -> Vec<Table> {
    let money = |p: i64| Cell::Money(Some(p));
    let mut by_provider: Vec<(String, i64)> = Vec::new();
    let mut by_service: Vec<(String, i64)> = Vec::new();
    let mut by_objective: Vec<(String, i64)> = Vec::new();
    fn add(to: &mut Vec<(String, i64)>, label: String, pence: i64) {
        match to.iter_mut().find(|(l, _)| *l == label) {
            Some((_, sum)) => *sum += pence,
            None => to.push((label, pence)),
        }
    }
    for (c, s) in contracts.iter().zip(spend) {
        add(&mut by_provider, c.provider_name.clone(), s.paid_in_year);
        let shares = largest_remainder(s.paid_in_year, &vec![1; s.service_ids.len()]);
        for (service, pence) in s.service_ids.iter().zip(shares) {
            let name = services
                .iter()
                .find(|(id, _)| id == service)
                .map_or_else(|| service.clone(), |(_, name)| name.clone());
            add(&mut by_service, name, pence);
        }
        let served: Vec<&store::commissioning::Objective> = objectives
            .iter()
            .filter(|o| s.objective_ids.contains(&o.id))
            .collect();
        if served.is_empty() {
            add(&mut by_objective, NO_OBJECTIVE.to_string(), s.paid_in_year);
        }
        for o in served {
            add(
                &mut by_objective,
                format!("{}: {}", o.code, o.title),
                s.paid_in_year,
            );
        }
    }
    let table = |definition, title, mut rows: Vec<(String, i64)>| {
        rows.sort_by(|a, b| a.0.cmp(&b.0));
        Table {
            definition,
            title,
            columns: vec!["Paid in the year"],
            rows: rows
                .into_iter()
                .map(|(label, pence)| Row {
                    label,
                    cells: vec![money(pence)],
                })
                .collect(),
        }
    };
    vec![
        table(
            "spend-provider",
            "Paid in the year, by provider",
            by_provider,
        ),
        table(
            "spend-service",
            "Paid in the year, by service (a contract's payments shared equally between its services)",
            by_service,
        ),
        table(
            "spend-objective",
            "Paid in the year, by objective (a contract counts under each objective it serves)",
            by_objective,
        ),
    ]
}

/// The row of the spend by objective for contracts that serve none.
pub const NO_OBJECTIVE: &str = "Serving no objective recorded";

#[cfg(test)]
mod tests {
    use super::*;

    fn outcomes(cells: [Shown; 2]) -> MojReturn {
        MojReturn {
            title: COMMISSIONING_REPORT,
            from: jiff::civil::date(2026, 4, 1),
            to: jiff::civil::date(2026, 6, 30),
            services: vec![],
            suppressed: true,
            frozen_at: None,
            tables: vec![Table {
                definition: "outcomes",
                title: "Outcomes at exit",
                columns: vec!["Asked", "Improved"],
                rows: cells
                    .into_iter()
                    .map(|improved| Row {
                        label: "a measure".into(),
                        cells: vec![
                            Cell::Protected(Shown::Rounded(50)),
                            Cell::Protected(improved),
                        ],
                    })
                    .collect(),
            }],
        }
    }

    #[test]
    fn outcomes_improved_add_up_over_measures_only_when_each_is_shown() {
        let both = outcomes([Shown::Rounded(10), Shown::Rounded(25)]);
        assert_eq!(outcomes_improved(&both), Some(35));
        let none = outcomes([Shown::Zero, Shown::Zero]);
        assert_eq!(outcomes_improved(&none), Some(0));
        for hidden in [Shown::UnderFive, Shown::Withheld] {
            let one_hidden = outcomes([Shown::Rounded(10), hidden]);
            assert_eq!(outcomes_improved(&one_hidden), None, "{hidden:?}");
        }
        assert_eq!(new_victims_supported(&both), None, "no summary table");
    }

    #[test]
    fn spend_is_shared_between_services_to_the_penny_and_counted_under_each_objective() {
        let contract = store::commissioning::Contract {
            provider_name: "City Advocacy Partnership".into(),
            ..Default::default()
        };
        let spend = ContractSpend {
            paid_in_year: 10_001,
            paid_in_period: 0,
            service_ids: vec!["a".into(), "b".into()],
            objective_ids: vec!["v1".into(), "v2".into()],
        };
        let service = |id: &str, name: &str| (id.to_string(), name.to_string());
        let objective = |id: &str, code: &str| store::commissioning::Objective {
            id: id.into(),
            code: code.into(),
            title: "Safer".into(),
            ..Default::default()
        };
        let tables = spend_tables(
            &[contract],
            &[spend],
            &[service("a", "City"), service("b", "County")],
            &[objective("v1", "V1"), objective("v2", "V2")],
        );
        let pence = |t: &Table| -> Vec<(String, i64)> {
            t.rows
                .iter()
                .map(|r| match r.cells[0] {
                    Cell::Money(Some(p)) => (r.label.clone(), p),
                    _ => panic!("money"),
                })
                .collect()
        };
        assert_eq!(
            pence(&tables[0]),
            vec![("City Advocacy Partnership".into(), 10_001)]
        );
        assert_eq!(
            pence(&tables[1]),
            vec![("City".into(), 5_001), ("County".into(), 5_000)],
            "the parts add up to the whole"
        );
        assert_eq!(
            pence(&tables[2]),
            vec![("V1: Safer".into(), 10_001), ("V2: Safer".into(), 10_001)]
        );
    }
}
