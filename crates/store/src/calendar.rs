//! Bank holiday changes loaded at run time, on top of the shipped ones.

use sqlx::FromRow;

use crate::{Conn, Result};

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct HolidayChangeRow {
    pub nation: String,
    pub day: String,
    pub holiday: i64,
    pub name: String,
}

pub async fn list(conn: &mut Conn) -> Result<Vec<HolidayChangeRow>> {
    Ok(
        sqlx::query_as("SELECT nation, day, holiday, name FROM holiday_changes ORDER BY day")
            .fetch_all(conn)
            .await?,
    )
}

/// Adds or replaces the change for a nation and day.
pub async fn upsert(conn: &mut Conn, row: &HolidayChangeRow, now: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO holiday_changes (nation, day, holiday, name, loaded_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (nation, day) DO UPDATE SET holiday = $3, name = $4, loaded_at = $5",
    )
    .bind(row.nation.clone())
    .bind(row.day.clone())
    .bind(row.holiday)
    .bind(row.name.clone())
    .bind(now.to_string())
    .execute(conn)
    .await?;
    Ok(())
}

/// A local length for a Victims' Code clock.
#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct ClockLength {
    pub code: String,
    pub working_days: i64,
    pub enhanced_working_days: Option<i64>,
}

pub async fn clock_lengths(conn: &mut Conn) -> Result<Vec<ClockLength>> {
    Ok(
        sqlx::query_as("SELECT code, working_days, enhanced_working_days FROM code_clocks")
            .fetch_all(conn)
            .await?,
    )
}

pub async fn set_clock_length(conn: &mut Conn, length: &ClockLength, now: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO code_clocks (code, working_days, enhanced_working_days, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (code) DO UPDATE SET working_days = $2, enhanced_working_days = $3, updated_at = $4",
    )
    .bind(length.code.clone())
    .bind(length.working_days)
    .bind(length.enhanced_working_days)
    .bind(now.to_string())
    .execute(conn)
    .await?;
    Ok(())
}
