//! The working-day calendar in use: the rules, the shipped changes, and
//! changes loaded at run time with `waymark calendar import`.

use domain::calendar::{Calendar, HolidayChange, Nation, parse_changes, shipped_changes};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use store::calendar::HolidayChangeRow;

use crate::{App, AppError, Result};

/// Dates people see and deadlines count in are in UK local time.
pub fn uk_time_zone() -> TimeZone {
    TimeZone::get("Europe/London").unwrap_or(TimeZone::UTC)
}

impl App {
    /// Today's date in the UK.
    pub fn today(&self) -> Date {
        self.clock.now().to_zoned(uk_time_zone()).date()
    }

    /// A nation's calendar with every change known to this database.
    pub async fn calendar(&self, nation: Nation) -> Result<Calendar> {
        let mut changes = shipped_changes();
        let mut conn = self.db.conn().await?;
        for row in store::calendar::list(&mut conn).await? {
            if let (Some(nation), Ok(date)) = (Nation::parse(&row.nation), row.day.parse::<Date>())
            {
                changes.push(HolidayChange {
                    nation,
                    date,
                    holiday: row.holiday != 0,
                    name: row.name,
                });
            }
        }
        Ok(Calendar::new(nation, &changes))
    }

    /// Loads bank holiday changes from a file's text; nothing is loaded if
    /// any line is wrong, and the errors name each line.
    pub async fn import_holiday_changes(&self, text: &str) -> Result<usize> {
        let changes = parse_changes(text).map_err(|lines| {
            let mut errors = domain::validation::FieldErrors::new();
            for line in lines {
                errors.add("file", line);
            }
            AppError::Invalid(errors)
        })?;
        let now = self.clock.now_text();
        let mut tx = self.db.begin_write(&now).await?;
        for change in &changes {
            let row = HolidayChangeRow {
                nation: change.nation.code().to_string(),
                day: change.date.to_string(),
                holiday: i64::from(change.holiday),
                name: change.name.clone(),
            };
            store::calendar::upsert(tx.conn(), &row, &now).await?;
        }
        crate::audit::record(
            tx.conn(),
            &now,
            None,
            "command line",
            crate::audit::Change {
                action: "calendar.imported",
                record_type: "calendar",
                after: Some(serde_json::json!({ "changes": changes.len() })),
                ..Default::default()
            },
        )
        .await?;
        tx.commit().await?;
        Ok(changes.len())
    }
}
