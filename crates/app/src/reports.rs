//! The MoJ monitoring return and Victims' Code compliance for a period and
//! one or more services, as tables that render to a page, CSV and XLSX.
//! The counting rules are in `docs/moj-return.md`; each table links there.

use domain::cases::{OutcomeMeasure, OutcomeResult};
use domain::journey::{Disability, Ethnicity, Gender, ReferralSource, Religion, SexualOrientation};
use domain::policy::{self, Action, Actor, Role};
use domain::reports::{AGE_BANDS, band_of_age, percent, shown};
use jiff::civil::Date;
use store::reports::{Scope, SupportedGroup};

use crate::directory::place_of_service;
use crate::{App, AppError, Result};

/// One cell of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Count(i64),
    /// A share: part of whole.
    Share(i64, i64),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub label: String,
    pub cells: Vec<Cell>,
}

/// A table of the return; `definition` is the anchor of its counting rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub definition: &'static str,
    pub title: &'static str,
    pub columns: Vec<&'static str>,
    pub rows: Vec<Row>,
}

/// A return, with whether small numbers are suppressed for its reader.
#[derive(Debug, Clone)]
pub struct MojReturn {
    pub from: Date,
    pub to: Date,
    pub services: Vec<String>,
    pub suppressed: bool,
    pub tables: Vec<Table>,
}

impl MojReturn {
    /// A cell as shown to this return's reader.
    pub fn show(&self, cell: &Cell) -> String {
        match cell {
            Cell::Count(n) => shown(*n, self.suppressed),
            // A share of a suppressed whole would give the small number away.
            Cell::Share(_, whole) if self.suppressed && (1..=4).contains(whole) => "–".to_string(),
            Cell::Share(part, whole) => percent(*part, *whole),
        }
    }

    /// The figure in a table's row and column, as shown: for tests and summaries.
    pub fn figure(&self, definition: &str, row: &str, column: usize) -> Option<String> {
        let table = self.tables.iter().find(|t| t.definition == definition)?;
        let row = table.rows.iter().find(|r| r.label == row)?;
        row.cells.get(column).map(|c| self.show(c))
    }

    /// CSV: one line per figure, `table,row,column,value`, with a header.
    pub fn to_csv(&self) -> String {
        let mut out = String::from("table,row,column,value\n");
        let quote = |s: &str| {
            if s.contains([',', '"', '\n']) {
                format!("\"{}\"", s.replace('"', "\"\""))
            } else {
                s.to_string()
            }
        };
        for table in &self.tables {
            for row in &table.rows {
                for (column, cell) in table.columns.iter().zip(&row.cells) {
                    out.push_str(&format!(
                        "{},{},{},{}\n",
                        quote(table.title),
                        quote(&row.label),
                        quote(column),
                        quote(&self.show(cell))
                    ));
                }
            }
        }
        out
    }

    /// A standalone HTML document of the return, for the command line.
    pub fn to_html(&self) -> String {
        let escape = |s: &str| {
            s.replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
        };
        let mut out = format!(
            "<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>MoJ monitoring return {} to {}</title></head><body>\n<h1>MoJ monitoring return, {} to {}</h1>\n<p>Services: {}</p>\n",
            self.from,
            self.to,
            self.from,
            self.to,
            escape(&self.services.join("; "))
        );
        if self.suppressed {
            out.push_str("<p>Counts from 1 to 4 are shown as &lt;5.</p>\n");
        }
        for table in &self.tables {
            out.push_str(&format!(
                "<table>\n<caption>{}</caption>\n<tr><th scope=\"col\">Figure</th>",
                escape(table.title)
            ));
            for column in &table.columns {
                out.push_str(&format!("<th scope=\"col\">{}</th>", escape(column)));
            }
            out.push_str("</tr>\n");
            for row in &table.rows {
                out.push_str(&format!(
                    "<tr><th scope=\"row\">{}</th>",
                    escape(&row.label)
                ));
                for cell in &row.cells {
                    out.push_str(&format!("<td>{}</td>", escape(&self.show(cell))));
                }
                out.push_str("</tr>\n");
            }
            out.push_str("</table>\n");
        }
        out.push_str("</body></html>\n");
        out
    }

    /// An XLSX workbook: a sheet describing the return, then a sheet per table.
    pub fn to_xlsx(&self) -> Result<Vec<u8>> {
        use rust_xlsxwriter::{Format, Workbook};
        let xlsx = |e: rust_xlsxwriter::XlsxError| AppError::Internal(format!("workbook: {e}"));
        let mut workbook = Workbook::new();
        let bold = Format::new().set_bold();
        let about = workbook.add_worksheet();
        about.set_name("Return").map_err(xlsx)?;
        about
            .write_with_format(0, 0, "Victims' services monitoring return", &bold)
            .map_err(xlsx)?;
        about.write(1, 0, "Period").map_err(xlsx)?;
        about
            .write(1, 1, format!("{} to {}", self.from, self.to))
            .map_err(xlsx)?;
        about.write(2, 0, "Services").map_err(xlsx)?;
        about.write(2, 1, self.services.join("; ")).map_err(xlsx)?;
        if self.suppressed {
            about
                .write(3, 0, "Counts from 1 to 4 are shown as <5")
                .map_err(xlsx)?;
        }
        about.set_column_width(0, 28).map_err(xlsx)?;
        about.set_column_width(1, 80).map_err(xlsx)?;
        for table in &self.tables {
            let sheet = workbook.add_worksheet();
            let name: String = table
                .title
                .chars()
                .filter(|c| !"[]:*?/\\".contains(*c))
                .take(31)
                .collect();
            sheet.set_name(name).map_err(xlsx)?;
            sheet
                .write_with_format(0, 0, table.title, &bold)
                .map_err(xlsx)?;
            for (c, column) in table.columns.iter().enumerate() {
                sheet
                    .write_with_format(0, c as u16 + 1, *column, &bold)
                    .map_err(xlsx)?;
            }
            for (r, row) in table.rows.iter().enumerate() {
                let line = r as u32 + 1;
                sheet.write(line, 0, &row.label).map_err(xlsx)?;
                for (c, cell) in row.cells.iter().enumerate() {
                    let column = c as u16 + 1;
                    match cell {
                        Cell::Count(n) if !(self.suppressed && (1..=4).contains(n)) => {
                            sheet.write(line, column, *n as f64).map_err(xlsx)?;
                        }
                        other => {
                            sheet.write(line, column, self.show(other)).map_err(xlsx)?;
                        }
                    }
                }
            }
            sheet.set_column_width(0, 48).map_err(xlsx)?;
        }
        workbook.save_to_buffer().map_err(xlsx)
    }
}

fn count_rows<I: IntoIterator<Item = (String, i64)>>(rows: I) -> Vec<Row> {
    rows.into_iter()
        .map(|(label, n)| Row {
            label,
            cells: vec![Cell::Count(n)],
        })
        .collect()
}

/// Counts supported people by one demographic, in the list's order.
fn breakdown<T: Copy>(
    groups: &[SupportedGroup],
    all: &[T],
    code: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
    value: fn(&SupportedGroup) -> &str,
) -> Vec<Row> {
    count_rows(all.iter().map(|k| {
        let n = groups
            .iter()
            .filter(|g| value(g) == code(*k))
            .map(|g| g.people)
            .sum();
        (label(*k).to_string(), n)
    }))
}

impl App {
    /// The return for a period and services the actor may see in aggregate
    /// (all of them when none are named). Commissioners see small numbers suppressed.
    pub async fn moj_return(
        &self,
        actor: &Actor,
        from: Date,
        to: Date,
        services: &[String],
    ) -> Result<MojReturn> {
        if !policy::may_somewhere(actor, Action::ViewAggregates) {
            return Err(AppError::Forbidden);
        }
        let visibility = policy::visibility(actor, Action::ViewAggregates);
        let visible = self
            .all_services()
            .await?
            .into_iter()
            .filter(|s| visibility.contains(&place_of_service(s)))
            .collect();
        self.build_return(
            visible,
            from,
            to,
            services,
            actor.has_role(Role::Commissioner),
        )
        .await
    }

    /// The return for any services, for the command line run by whoever
    /// holds the database; `suppress` applies the small-number rule.
    pub async fn moj_return_for_system(
        &self,
        from: Date,
        to: Date,
        services: &[String],
        suppress: bool,
    ) -> Result<MojReturn> {
        let all = self.all_services().await?;
        self.build_return(all, from, to, services, suppress).await
    }

    /// Services the actor may report on.
    pub async fn reportable_services(
        &self,
        actor: &Actor,
    ) -> Result<Vec<store::directory::Service>> {
        let visibility = policy::visibility(actor, Action::ViewAggregates);
        Ok(self
            .all_services()
            .await?
            .into_iter()
            .filter(|s| visibility.contains(&place_of_service(s)))
            .collect())
    }

    async fn all_services(&self) -> Result<Vec<store::directory::Service>> {
        let everything = policy::Visibility {
            everything: true,
            ..Default::default()
        };
        let mut conn = self.db.conn().await?;
        Ok(store::directory::list_services(&mut conn, &everything).await?)
    }

    async fn build_return(
        &self,
        visible: Vec<store::directory::Service>,
        from: Date,
        to: Date,
        services: &[String],
        suppressed: bool,
    ) -> Result<MojReturn> {
        if to < from {
            return Err(AppError::invalid(
                "to",
                "The end of the period must be on or after its start",
            ));
        }
        let chosen: Vec<&store::directory::Service> = if services.is_empty() {
            visible.iter().collect()
        } else {
            let mut chosen = Vec::new();
            for id in services {
                match visible
                    .iter()
                    .find(|s| &s.id == id || s.name.eq_ignore_ascii_case(id))
                {
                    Some(s) => chosen.push(s),
                    None => {
                        return Err(AppError::invalid(
                            "services",
                            "Choose services from the list",
                        ));
                    }
                }
            }
            chosen
        };
        let ids: Vec<String> = chosen.iter().map(|s| s.id.clone()).collect();
        let (from_text, to_text) = (from.to_string(), to.to_string());
        let scope = Scope {
            services: &ids,
            from: &from_text,
            to: &to_text,
        };
        let until = to.min(self.today()).to_string();
        // The four counts read different rows, so each runs on a connection
        // of its own, at the same time.
        let (groups, contacted, supported, outcomes) = tokio::try_join!(
            async {
                let mut conn = self.db.conn().await?;
                store::reports::referral_groups(&mut conn, &scope, &until).await
            },
            async {
                let mut conn = self.db.conn().await?;
                store::reports::victims_contacted(&mut conn, &scope).await
            },
            async {
                let mut conn = self.db.conn().await?;
                store::reports::supported(&mut conn, &scope).await
            },
            async {
                let mut conn = self.db.conn().await?;
                store::reports::outcomes(&mut conn, &scope).await
            },
        )?;
        let received: i64 = groups.iter().map(|g| g.received).sum();
        let total = |field: fn(&store::reports::ReferralGroup) -> i64| -> i64 {
            groups.iter().map(field).sum()
        };
        let passed = (total(|g| g.passed_due), total(|g| g.passed_met));
        let informed = (total(|g| g.informed_due), total(|g| g.informed_met));
        let first_contact = (total(|g| g.contact_due), total(|g| g.contact_met));
        let by_source = |code: &str| -> i64 {
            groups
                .iter()
                .filter(|g| g.source == code)
                .map(|g| g.received)
                .sum()
        };
        // Crime types by label, the most referred first.
        let mut crime_types: Vec<(String, i64)> = Vec::new();
        for g in &groups {
            match crime_types
                .iter_mut()
                .find(|(label, _)| *label == g.crime_type_label)
            {
                Some((_, n)) => *n += g.received,
                None => crime_types.push((g.crime_type_label.clone(), g.received)),
            }
        }
        crime_types.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let supported_total: i64 = supported.iter().map(|g| g.people).sum();
        let enhanced: i64 = supported
            .iter()
            .filter(|g| g.enhanced != 0)
            .map(|g| g.people)
            .sum();

        let mut tables = vec![
            Table {
                definition: "summary",
                title: "Summary",
                columns: vec!["Number"],
                rows: count_rows([
                    ("Referrals received".to_string(), received),
                    ("Victims contacted".to_string(), contacted),
                    ("Victims supported".to_string(), supported_total),
                    (
                        "Victims supported: basic service".to_string(),
                        supported_total - enhanced,
                    ),
                    ("Victims supported: enhanced service".to_string(), enhanced),
                ]),
            },
            Table {
                definition: "by-source",
                title: "Referrals by source",
                columns: vec!["Referrals"],
                rows: count_rows(
                    ReferralSource::ALL
                        .iter()
                        .map(|s| (s.label().to_string(), by_source(s.code()))),
                ),
            },
            Table {
                definition: "by-crime-type",
                title: "Referrals by crime type",
                columns: vec!["Referrals"],
                rows: count_rows(crime_types),
            },
        ];
        let ages = count_rows(AGE_BANDS.iter().map(|band| {
            let n = supported
                .iter()
                .filter(|g| band_of_age(g.age) == *band)
                .map(|g| g.people)
                .sum();
            (band.to_string(), n)
        }));
        tables.push(Table {
            definition: "age",
            title: "Victims supported by age",
            columns: vec!["Victims"],
            rows: ages,
        });
        tables.push(Table {
            definition: "gender",
            title: "Victims supported by gender",
            columns: vec!["Victims"],
            rows: breakdown(&supported, Gender::ALL, Gender::code, Gender::label, |p| {
                &p.gender
            }),
        });
        tables.push(Table {
            definition: "ethnicity",
            title: "Victims supported by ethnic group",
            columns: vec!["Victims"],
            rows: breakdown(
                &supported,
                Ethnicity::ALL,
                Ethnicity::code,
                Ethnicity::label,
                |p| &p.ethnicity,
            ),
        });
        tables.push(Table {
            definition: "disability",
            title: "Victims supported by disability",
            columns: vec!["Victims"],
            rows: breakdown(
                &supported,
                Disability::ALL,
                Disability::code,
                Disability::label,
                |p| &p.disability,
            ),
        });
        tables.push(Table {
            definition: "sexual-orientation",
            title: "Victims supported by sexual orientation",
            columns: vec!["Victims"],
            rows: breakdown(
                &supported,
                SexualOrientation::ALL,
                SexualOrientation::code,
                SexualOrientation::label,
                |p| &p.sexual_orientation,
            ),
        });
        tables.push(Table {
            definition: "religion",
            title: "Victims supported by religion",
            columns: vec!["Victims"],
            rows: breakdown(
                &supported,
                Religion::ALL,
                Religion::code,
                Religion::label,
                |p| &p.religion,
            ),
        });
        tables.push(Table {
            definition: "outcomes",
            title: "Outcomes at exit",
            columns: vec![
                "Asked",
                "Improved or sustained",
                "Share improved or sustained",
            ],
            rows: OutcomeMeasure::ALL
                .iter()
                .map(|m| {
                    let of = |keep: fn(OutcomeResult) -> bool| {
                        outcomes
                            .iter()
                            .filter(|o| {
                                o.measure == m.code()
                                    && OutcomeResult::parse(&o.result).is_some_and(keep)
                            })
                            .map(|o| o.people)
                            .sum::<i64>()
                    };
                    let asked = of(OutcomeResult::asked);
                    let positive = of(OutcomeResult::positive);
                    Row {
                        label: m.label().to_string(),
                        cells: vec![
                            Cell::Count(asked),
                            Cell::Count(positive),
                            Cell::Share(positive, asked),
                        ],
                    }
                })
                .collect(),
        });
        let compliance_row = |label: &str, (due, met): (i64, i64)| Row {
            label: label.to_string(),
            cells: vec![Cell::Count(due), Cell::Count(met), Cell::Share(met, due)],
        };
        tables.push(Table {
            definition: "compliance",
            title: "Victims' Code compliance",
            columns: vec!["Deadlines passed", "Met in time", "Share met"],
            rows: vec![
                compliance_row("Referral passed to the service", passed),
                compliance_row("Information given to the victim", informed),
                compliance_row("First contact by the service", first_contact),
            ],
        });
        Ok(MojReturn {
            from,
            to,
            services: chosen.iter().map(|s| s.name.clone()).collect(),
            suppressed,
            tables,
        })
    }
}
