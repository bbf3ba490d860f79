//! The working-day calendar in use: the rules, the shipped changes, and
//! changes loaded at run time with `waymark calendar import`.

use domain::calendar::{Calendar, HolidayChange, Nation, parse_changes, shipped_changes};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use store::calendar::HolidayChangeRow;

use crate::audit::AuditAction;
use crate::messages::RuleMessage;
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

    /// The day from which commissioners' reporting periods are counted: a
    /// period ended before it may be read. Today, less the days a service
    /// has to finish recording a period (`Settings::report_closing_days`).
    pub fn reporting_day(&self) -> Date {
        let closing = jiff::Span::new().days(self.settings.report_closing_days.max(0));
        self.today().checked_sub(closing).unwrap_or(self.today())
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
        let mut tx = self.write_unattributed("command line", &now).await?;
        for change in &changes {
            let row = HolidayChangeRow {
                nation: change.nation.code().to_string(),
                day: change.date.to_string(),
                holiday: i64::from(change.holiday),
                name: change.name.clone(),
            };
            store::calendar::upsert(tx.conn(), &row, &now).await?;
        }
        let change = crate::audit::Change::about(AuditAction::CalendarImported, "calendar")
            .after(serde_json::json!({ "changes": changes.len() }));
        tx.commit(change).await?;
        Ok(changes.len())
    }

    /// The Victims' Code clocks in force: the Code's usual lengths, with
    /// any local lengths set for this installation.
    pub async fn clocks(&self) -> Result<Vec<domain::victims_code::Clock>> {
        let mut conn = self.db.conn().await?;
        let local = store::calendar::clock_lengths(&mut conn).await?;
        let mut clocks = domain::victims_code::default_clocks();
        for clock in &mut clocks {
            if let Some(l) = local.iter().find(|l| l.code == clock.code) {
                clock.working_days = u32::try_from(l.working_days).unwrap_or(clock.working_days);
                clock.enhanced_working_days =
                    l.enhanced_working_days.and_then(|d| u32::try_from(d).ok());
            }
        }
        Ok(clocks)
    }

    /// Sets a clock's local length (system administrators and the command line).
    pub async fn set_clock(
        &self,
        actor: &domain::policy::Actor,
        code: &str,
        working_days: i64,
        enhanced_working_days: Option<i64>,
    ) -> Result<()> {
        use domain::policy::{Action, Place, may};
        if !may(actor, Action::ManageDirectory, &Place::default()) {
            return Err(AppError::Forbidden);
        }
        let known = domain::victims_code::default_clocks();
        let mut errors = domain::validation::FieldErrors::new();
        if !known.iter().any(|c| c.code == code) {
            let codes: Vec<&str> = known.iter().map(|c| c.code.as_str()).collect();
            errors.add(
                "clock",
                RuleMessage::NotAClock {
                    code: code.into(),
                    clocks: codes.join(", "),
                },
            );
        }
        for (field, days) in [
            ("working_days", Some(working_days)),
            ("enhanced_working_days", enhanced_working_days),
        ] {
            if days.is_some_and(|d| !(0..=60).contains(&d)) {
                errors.add(field, RuleMessage::GiveNumberWorkingDays0);
            }
        }
        // Enhanced rights mean sooner, never later.
        if enhanced_working_days.is_some_and(|enhanced| enhanced > working_days)
            && errors.get("enhanced_working_days").is_none()
        {
            errors.add("enhanced_working_days", RuleMessage::EnhancedNotLonger);
        }
        errors.into_result().map_err(AppError::Invalid)?;
        let now = self.clock.now_text();
        let length = store::calendar::ClockLength {
            code: code.to_string(),
            working_days,
            enhanced_working_days,
        };
        let mut tx = self.write(actor, &now).await?;
        store::calendar::set_clock_length(tx.conn(), &length, &now).await?;
        let change = crate::audit::Change::new(AuditAction::ClockSet, "clock", code).after(serde_json::json!({ "working_days": working_days, "enhanced_working_days": enhanced_working_days }));
        tx.commit(change).await?;
        Ok(())
    }
}
