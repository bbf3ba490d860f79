//! Activity reports for a period: hours by worker, by area and by funder,
//! with each area's and funder's share of the whole, shares that add up to
//! exactly 100%. Managers see their services'; a commissioner sees the
//! areas and funders of the services they commission, never a worker.

use domain::activity::{ActivityKind, shares};
use domain::disclosure::sees_protected_figures;
use domain::policy::{self, Action, Actor};
use domain::values::Pence;
use jiff::civil::Date;
use std::collections::BTreeMap;

use crate::reports::messages::ReportMessage;
use crate::{App, AppError, Result};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRow {
    pub label: String,
    pub minutes: i64,
    /// The row's share of all the minutes, in basis points.
    pub share: i64,
}

#[derive(Debug, Clone)]
pub struct ActivityReport {
    pub from: Date,
    pub to: Date,
    pub services: Vec<String>,
    pub total_minutes: i64,
    /// None for a commissioner: workers are the provider's own business.
    pub by_worker: Option<Vec<ReportRow>>,
    pub by_area: Vec<ReportRow>,
    pub by_funder: Vec<ReportRow>,
    pub by_kind: Vec<ReportRow>,
}

impl ActivityReport {
    /// An amount split between each table's rows by their minutes, to the
    /// penny (largest remainder, so each table's parts add up to the
    /// amount): the split of a cost by activity. A table with nothing
    /// recorded gets none.
    pub fn apportion(&self, amount: Pence) -> Vec<Vec<Option<Pence>>> {
        self.tables()
            .iter()
            .map(|(_, rows)| {
                let minutes: Vec<i64> = rows.iter().map(|r| r.minutes).collect();
                match domain::commissioning::split(amount, &minutes) {
                    Ok(parts) => parts.into_iter().map(Some).collect(),
                    Err(_) => vec![None; rows.len()],
                }
            })
            .collect()
    }

    /// The tables as they are shown, each with its title.
    pub fn tables(&self) -> Vec<(&'static str, &[ReportRow])> {
        let mut tables = vec![
            ("By area (district)", self.by_area.as_slice()),
            ("By funder", self.by_funder.as_slice()),
            ("By kind of work", self.by_kind.as_slice()),
        ];
        if let Some(workers) = &self.by_worker {
            tables.push(("By worker", workers.as_slice()));
        }
        tables
    }

    /// An XLSX workbook: a sheet describing the report, then a sheet per
    /// table with each row's minutes, hours and share (a number the
    /// spreadsheet shows as a percentage with two decimals).
    pub fn to_xlsx(&self) -> crate::Result<Vec<u8>> {
        use rust_xlsxwriter::{Format, Workbook};
        let xlsx =
            |e: rust_xlsxwriter::XlsxError| crate::AppError::Internal(format!("workbook: {e}"));
        let mut workbook = Workbook::new();
        let bold = Format::new().set_bold();
        let percentage = Format::new().set_num_format("0.00%");
        let about = workbook.add_worksheet();
        about.set_name("Report").map_err(xlsx)?;
        about
            .write_with_format(0, 0, "Activity report", &bold)
            .map_err(xlsx)?;
        about.write(1, 0, "Period").map_err(xlsx)?;
        about
            .write(1, 1, format!("{} to {}", self.from, self.to))
            .map_err(xlsx)?;
        about.write(2, 0, "Services").map_err(xlsx)?;
        about.write(2, 1, self.services.join("; ")).map_err(xlsx)?;
        about.write(3, 0, "Minutes recorded").map_err(xlsx)?;
        about.write(3, 1, self.total_minutes as f64).map_err(xlsx)?;
        about.set_column_width(0, 20).map_err(xlsx)?;
        about.set_column_width(1, 60).map_err(xlsx)?;
        for (number, (title, rows)) in self.tables().into_iter().enumerate() {
            let sheet = workbook.add_worksheet();
            sheet
                .set_name(crate::reports::sheet_name(number + 1, title))
                .map_err(xlsx)?;
            sheet.set_freeze_panes(1, 1).map_err(xlsx)?;
            for (c, heading) in [title, "Minutes", "Hours", "Share"].iter().enumerate() {
                sheet
                    .write_with_format(0, c as u16, *heading, &bold)
                    .map_err(xlsx)?;
            }
            for (r, row) in rows.iter().enumerate() {
                let line = r as u32 + 1;
                sheet.write(line, 0, &row.label).map_err(xlsx)?;
                sheet.write(line, 1, row.minutes as f64).map_err(xlsx)?;
                sheet
                    .write(line, 2, row.minutes as f64 / 60.0)
                    .map_err(xlsx)?;
                sheet
                    .write_with_format(line, 3, row.share as f64 / 10_000.0, &percentage)
                    .map_err(xlsx)?;
            }
            sheet.set_column_width(0, 40).map_err(xlsx)?;
        }
        workbook.save_to_buffer().map_err(xlsx)
    }

    /// CSV: `table,row,minutes,share`, one line per row, shares as
    /// percentages with two decimals (they add up to exactly 100.00%).
    pub fn to_csv(&self) -> String {
        let quote = domain::reports::csv_cell;
        let mut out = String::from("table,row,minutes,share\n");
        for (title, rows) in self.tables() {
            for row in rows {
                out.push_str(&format!(
                    "{},{},{},{}\n",
                    quote(title),
                    quote(&row.label),
                    row.minutes,
                    domain::activity::share_text(row.share)
                ));
            }
        }
        out
    }
}

/// Rows from summed minutes, each with its share, by label.
fn rows(sums: BTreeMap<String, i64>) -> Vec<ReportRow> {
    let minutes: Vec<i64> = sums.values().copied().collect();
    sums.into_iter()
        .zip(shares(&minutes))
        .map(|((label, minutes), share)| ReportRow {
            label,
            minutes,
            share,
        })
        .collect()
}

impl App {
    pub async fn activity_report(
        &self,
        actor: &Actor,
        from: Date,
        to: Date,
    ) -> Result<ActivityReport> {
        if !policy::may_somewhere(actor, Action::ViewAggregates) {
            return Err(AppError::Forbidden);
        }
        if to < from {
            return Err(AppError::invalid(
                "to",
                ReportMessage::EndPeriodMustAfterStart,
            ));
        }
        let services = self.reportable_services(actor).await?;
        let ids: Vec<String> = services.iter().map(|s| s.id.clone()).collect();
        let mut conn = self.db.conn().await?;
        let sums =
            store::activity::sums(&mut conn, &ids, &from.to_string(), &to.to_string()).await?;
        let mut by_worker = BTreeMap::new();
        let mut by_area = BTreeMap::new();
        let mut by_funder = BTreeMap::new();
        let mut by_kind = BTreeMap::new();
        for s in &sums {
            *by_worker.entry(s.worker_name.clone()).or_insert(0) += s.minutes;
            *by_area.entry(s.area_name.clone()).or_insert(0) += s.minutes;
            *by_funder
                .entry(
                    s.funder_name
                        .clone()
                        .unwrap_or_else(|| "No funder recorded".into()),
                )
                .or_insert(0) += s.minutes;
            let kind =
                ActivityKind::parse(&s.kind).map_or(s.kind.clone(), |k| k.label().to_string());
            *by_kind.entry(kind).or_insert(0) += s.minutes;
        }
        Ok(ActivityReport {
            from,
            to,
            services: services.into_iter().map(|s| s.name).collect(),
            total_minutes: sums.iter().map(|s| s.minutes).sum(),
            by_worker: (!sees_protected_figures(actor)).then(|| rows(by_worker)),
            by_area: rows(by_area),
            by_funder: rows(by_funder),
            by_kind: rows(by_kind),
        })
    }
}
