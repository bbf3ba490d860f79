//! Recorded activity and its sums.

use sqlx::FromRow;

use crate::{Conn, Result};

#[derive(Debug, Clone, FromRow, PartialEq, Eq, Default)]
pub struct Activity {
    pub id: String,
    pub service_id: String,
    pub worker_id: String,
    pub on_day: String,
    pub kind: String,
    pub minutes: i64,
    pub case_id: Option<String>,
    pub case_reference: Option<String>,
    pub area_id: String,
    pub area_name: String,
    pub funder_id: Option<String>,
    pub funder_name: Option<String>,
    pub note: String,
    pub recorded_at: String,
}

const SELECT: &str = "SELECT t.id, t.service_id, t.worker_id, t.on_day, t.kind, t.minutes,
    t.case_id, r.reference AS case_reference, t.area_id, a.name AS area_name, t.funder_id,
    o.name AS funder_name, t.note, t.recorded_at
    FROM activities t JOIN areas a ON a.id = t.area_id
    LEFT JOIN cases c ON c.id = t.case_id LEFT JOIN referrals r ON r.id = c.referral_id
    LEFT JOIN organisations o ON o.id = t.funder_id WHERE ";

pub async fn insert(conn: &mut Conn, t: &Activity) -> Result<()> {
    sqlx::query(
        "INSERT INTO activities (id, service_id, worker_id, on_day, kind, minutes, case_id,
            area_id, funder_id, note, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(t.id.clone())
    .bind(t.service_id.clone())
    .bind(t.worker_id.clone())
    .bind(t.on_day.clone())
    .bind(t.kind.clone())
    .bind(t.minutes)
    .bind(t.case_id.clone())
    .bind(t.area_id.clone())
    .bind(t.funder_id.clone())
    .bind(t.note.clone())
    .bind(t.recorded_at.clone())
    .execute(conn)
    .await?;
    Ok(())
}

/// Corrects what an entry says (not whose or which service's it is).
pub async fn update(conn: &mut Conn, t: &Activity) -> Result<()> {
    sqlx::query(
        "UPDATE activities SET on_day = $1, kind = $2, minutes = $3, case_id = $4, area_id = $5,
            funder_id = $6, note = $7 WHERE id = $8",
    )
    .bind(t.on_day.clone())
    .bind(t.kind.clone())
    .bind(t.minutes)
    .bind(t.case_id.clone())
    .bind(t.area_id.clone())
    .bind(t.funder_id.clone())
    .bind(t.note.clone())
    .bind(t.id.clone())
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn find(conn: &mut Conn, id: &str) -> Result<Option<Activity>> {
    let mut sql = crate::Sql::new(SELECT);
    sql.push("t.id = ").text(id);
    Ok(sql.query_as().fetch_optional(conn).await?)
}

/// A worker's entries from one day to another, the latest day first.
pub async fn of_worker(
    conn: &mut Conn,
    worker_id: &str,
    from: &str,
    to: &str,
) -> Result<Vec<Activity>> {
    let mut sql = crate::Sql::new(SELECT);
    sql.push("t.worker_id = ")
        .text(worker_id)
        .push(" AND t.on_day >= ")
        .text(from)
        .push(" AND t.on_day <= ")
        .text(to)
        .push(" ORDER BY t.on_day DESC, t.recorded_at DESC");
    Ok(sql.query_as().fetch_all(conn).await?)
}

/// The minutes a worker has recorded on a day, leaving one entry out.
pub async fn minutes_on(conn: &mut Conn, worker_id: &str, day: &str, except: &str) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(minutes), 0) AS BIGINT) FROM activities
         WHERE worker_id = $1 AND on_day = $2 AND id <> $3",
    )
    .bind(worker_id.to_string())
    .bind(day.to_string())
    .bind(except.to_string())
    .fetch_one(conn)
    .await?)
}

/// Minutes summed by worker, area, funder and kind, for services in a period.
#[derive(Debug, Clone, FromRow, PartialEq, Eq, Default)]
pub struct Sum {
    pub worker_name: String,
    pub area_name: String,
    pub funder_name: Option<String>,
    pub kind: String,
    pub minutes: i64,
}

pub async fn sums(conn: &mut Conn, services: &[String], from: &str, to: &str) -> Result<Vec<Sum>> {
    let mut sql = crate::Sql::new(
        "SELECT u.display_name AS worker_name, a.name AS area_name, o.name AS funder_name, t.kind,
            CAST(SUM(t.minutes) AS BIGINT) AS minutes
         FROM activities t JOIN users u ON u.id = t.worker_id JOIN areas a ON a.id = t.area_id
         LEFT JOIN organisations o ON o.id = t.funder_id WHERE ",
    );
    if services.is_empty() {
        sql.push("1 = 0");
    } else {
        sql.push("t.service_id IN (");
        for (i, s) in services.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.text(s.clone());
        }
        sql.push(")");
    }
    sql.push(" AND t.on_day >= ")
        .text(from)
        .push(" AND t.on_day <= ")
        .text(to)
        .push(" GROUP BY u.display_name, a.name, o.name, t.kind");
    Ok(sql.query_as().fetch_all(conn).await?)
}

/// Whether any activity is recorded at all.
pub async fn any(conn: &mut Conn) -> Result<bool> {
    let found: Option<String> = sqlx::query_scalar("SELECT id FROM activities LIMIT 1")
        .fetch_optional(conn)
        .await?;
    Ok(found.is_some())
}
