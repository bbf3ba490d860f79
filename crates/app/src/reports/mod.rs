//! The MoJ monitoring return and Victims' Code compliance for a period and
//! one or more services, as tables that render to a page, CSV and XLSX.
//! The counting rules are in `docs/moj-return.md`; each table links there.

use domain::disclosure::Shown;
use domain::policy::{self, Action, Actor};
use domain::reports::percent;
use jiff::civil::Date;

use crate::directory::place_of_service;
use crate::{App, AppError, Result};

mod build;
pub(crate) mod disclosure;
pub(crate) mod frozen;
pub mod messages;
mod tables;

/// The MoJ return's title.
pub const MOJ_RETURN: &str = "Victims' services monitoring return";

/// One cell of a table.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Cell {
    Count(i64),
    /// A share: part of whole.
    Share(i64, i64),
    /// A count as someone outside the service sees it.
    Protected(Shown),
    /// A share of two protected counts, from the counts as shown; none when
    /// either is under 5 (`domain::disclosure::share`).
    ProtectedShare(Option<(i64, i64)>),
    /// A number of days; none when there is nothing to measure, or too few
    /// for someone outside the service to see.
    Days(Option<i64>),
    /// A figure not known, such as a baseline measure never given.
    NotKnown,
    /// A change between two shares, in whole percentage points, worked out
    /// from the shares as shown; none when either is not shown.
    Points(Option<i64>),
    /// An amount of money, in pence; none when it cannot be worked out.
    Money(Option<i64>),
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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

/// A return, with whether its figures are protected for a reader outside
/// the service (`domain::disclosure`).
#[derive(Debug, Clone)]
pub struct MojReturn {
    /// What the figures are: the workbook's first line.
    pub title: &'static str,
    pub from: Date,
    pub to: Date,
    pub services: Vec<String>,
    pub suppressed: bool,
    pub tables: Vec<Table>,
    /// When protected figures were first shown and kept (an instant):
    /// they are shown as they were then (`frozen`).
    pub frozen_at: Option<String>,
}

impl MojReturn {
    /// A cell as shown to this return's reader.
    pub fn show(&self, cell: &Cell) -> String {
        match cell {
            Cell::Count(n) => n.to_string(),
            Cell::Share(part, whole) => percent(*part, *whole),
            Cell::Protected(shown) => shown.text(),
            Cell::ProtectedShare(Some((part, whole))) => percent(*part, *whole),
            Cell::ProtectedShare(None) => "–".to_string(),
            Cell::Days(Some(days)) => days.to_string(),
            Cell::Days(None) | Cell::NotKnown | Cell::Points(None) => "–".to_string(),
            Cell::Points(Some(0)) => "no change".to_string(),
            Cell::Points(Some(p)) if *p > 0 => format!("up {p}"),
            Cell::Points(Some(p)) => format!("down {}", p.unsigned_abs()),
            Cell::Money(Some(pence)) => domain::values::Pence(*pence).to_string(),
            Cell::Money(None) => "–".to_string(),
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
        let quote = domain::reports::csv_cell;
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
            out.push_str(&format!("<p>{}</p>\n", escape(PROTECTION_NOTE)));
        }
        if let Some(at) = &self.frozen_at {
            out.push_str(&format!("<p>{} {}.</p>\n", KEPT_NOTE, escape(at)));
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
        // Shares are numbers a spreadsheet can add up, shown as whole percentages.
        let percentage = Format::new().set_num_format("0%");
        let pounds = Format::new().set_num_format("£#,##0.00");
        let about = workbook.add_worksheet();
        about.set_name("Return").map_err(xlsx)?;
        about
            .write_with_format(0, 0, self.title, &bold)
            .map_err(xlsx)?;
        about.write(1, 0, "Period").map_err(xlsx)?;
        about
            .write(1, 1, format!("{} to {}", self.from, self.to))
            .map_err(xlsx)?;
        about.write(2, 0, "Services").map_err(xlsx)?;
        about.write(2, 1, self.services.join("; ")).map_err(xlsx)?;
        if self.suppressed {
            about.write(3, 0, PROTECTION_NOTE).map_err(xlsx)?;
        }
        if let Some(at) = &self.frozen_at {
            about.write(4, 0, KEPT_NOTE).map_err(xlsx)?;
            about.write(4, 1, at.as_str()).map_err(xlsx)?;
        }
        about.set_column_width(0, 28).map_err(xlsx)?;
        about.set_column_width(1, 80).map_err(xlsx)?;
        for (number, table) in self.tables.iter().enumerate() {
            let sheet = workbook.add_worksheet();
            sheet
                .set_name(sheet_name(number + 1, table.title))
                .map_err(xlsx)?;
            // The headings and the row labels stay in view while scrolling.
            sheet.set_freeze_panes(1, 1).map_err(xlsx)?;
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
                    let number = match cell {
                        Cell::Count(n) | Cell::Days(Some(n)) | Cell::Points(Some(n)) => Some(*n),
                        Cell::Protected(shown) => shown.number(),
                        _ => None,
                    };
                    let share = match cell {
                        Cell::Share(part, whole) | Cell::ProtectedShare(Some((part, whole))) => {
                            Some((*part, *whole))
                        }
                        _ => None,
                    };
                    if let Cell::Money(Some(pence)) = cell {
                        sheet
                            .write_with_format(line, column, *pence as f64 / 100.0, &pounds)
                            .map_err(xlsx)?;
                        continue;
                    }
                    match (number, share) {
                        (Some(n), _) => {
                            sheet.write(line, column, n as f64).map_err(xlsx)?;
                        }
                        (_, Some((part, whole))) if whole > 0 => {
                            sheet
                                .write_with_format(
                                    line,
                                    column,
                                    part as f64 / whole as f64,
                                    &percentage,
                                )
                                .map_err(xlsx)?;
                        }
                        _ => {
                            sheet.write(line, column, self.show(cell)).map_err(xlsx)?;
                        }
                    }
                }
            }
            sheet.set_column_width(0, 48).map_err(xlsx)?;
        }
        workbook.save_to_buffer().map_err(xlsx)
    }
}

/// Whether `from` to `to` is a reporting period a commissioner may see on
/// `day` (`App::reporting_day`): one of the blocks, and ended before it,
/// since a period still running read on two days would give the days
/// between away, and one still being recorded would be kept incomplete.
pub(crate) fn one_period(
    from: Date,
    to: Date,
    settings: &crate::Settings,
    day: Date,
) -> Result<()> {
    let periods = settings.report_periods;
    if to < from {
        return Err(AppError::invalid(
            "to",
            messages::ReportMessage::EndPeriodMustAfterStart,
        ));
    }
    if !periods.is_one(from, to) || to >= day {
        let (first, last) = periods.before(day);
        return Err(AppError::invalid(
            "from",
            messages::ReportMessage::ChooseOnePeriod {
                period: periods.name(),
                first: domain::values::long_date(first),
                last: domain::values::long_date(last),
                closing: settings.report_closing_days,
            },
        ));
    }
    Ok(())
}

/// The one service a commissioner's return covers: the one chosen, or the
/// only one they may see. Several services together would hold each one's
/// figures, and the difference would undo the rounding.
fn one_service(visible: &[store::directory::Service], chosen: &[String]) -> Result<()> {
    if chosen.len() == 1 || (chosen.is_empty() && visible.len() == 1) {
        Ok(())
    } else {
        Err(AppError::invalid(
            "services",
            messages::ReportMessage::ChooseOneService,
        ))
    }
}

/// What a return kept as first shown says, before the instant (UTC).
pub const KEPT_NOTE: &str = "These figures were kept as first shown, and corrections made since to the period's records do not change them. Kept at (UTC):";

/// What a protected return says about its figures.
pub const PROTECTION_NOTE: &str = "Counts are rounded to the nearest 5; counts from 1 to 4 are shown as <5, and [c] marks a total withheld so that a small count cannot be worked out. Shares are worked out from the figures as shown, and only where both are 5 or more.";

/// A sheet's name: its table's number and as much of its title as fits in
/// a spreadsheet's 31 characters, ending at a whole word. The number keeps
/// names apart when titles begin alike; the full title is the sheet's first
/// cell.
pub fn sheet_name(number: usize, title: &str) -> String {
    let clean: String = title
        .chars()
        .filter(|c| !"[]:*?/\\'".contains(*c))
        .collect();
    let mut name = format!("{number}.");
    for word in clean.split_whitespace() {
        if name.chars().count() + 1 + word.chars().count() > 31 {
            break;
        }
        name.push(' ');
        name.push_str(word);
    }
    name
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
        let outside = domain::disclosure::sees_protected_figures(actor);
        if outside {
            one_period(from, to, &self.settings, self.reporting_day())?;
        }
        let visibility = policy::visibility(actor, Action::ViewAggregates);
        let visible: Vec<_> = self
            .all_services()
            .await?
            .into_iter()
            .filter(|s| visibility.contains(&place_of_service(s)))
            .collect();
        if outside {
            one_service(&visible, services)?;
        }
        self.build_return(visible, from, to, services, outside)
            .await
    }

    /// The return for any services, for the command line run by whoever
    /// holds the database; `suppress` applies the small-number rule. A
    /// protected return is one meant for someone outside the service, so
    /// it keeps their rules too: one ended reporting period, one service.
    pub async fn moj_return_for_system(
        &self,
        from: Date,
        to: Date,
        services: &[String],
        suppress: bool,
    ) -> Result<MojReturn> {
        let all = self.all_services().await?;
        if suppress {
            one_period(from, to, &self.settings, self.reporting_day())?;
            one_service(&all, services)?;
        }
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
}

#[cfg(test)]
mod sheet_tests {
    use super::sheet_name;

    #[test]
    fn sheet_names_fit_end_at_a_word_and_differ() {
        let long = "Outcomes at exit for victims supported, by cope-and-recover measure";
        let name = sheet_name(7, long);
        assert!(name.chars().count() <= 31, "{name}");
        assert_eq!(name, "7. Outcomes at exit for victims");
        assert_ne!(sheet_name(1, "Referrals"), sheet_name(2, "Referrals"));
        assert_eq!(sheet_name(3, "Who: age [years]?"), "3. Who age years");
    }
}
