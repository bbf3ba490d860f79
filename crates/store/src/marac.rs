//! MARACs, their agencies and meetings, and referrals to them.

use sqlx::FromRow;

use crate::{Conn, Result};

#[derive(Debug, Clone, FromRow, PartialEq, Eq, Default)]
pub struct Marac {
    pub id: String,
    pub name: String,
    pub area_id: String,
    pub area_name: String,
    pub agenda_order: String,
    pub minutes_due_days: i64,
    pub created_at: String,
}

/// Every MARAC, by name.
pub async fn maracs(conn: &mut Conn) -> Result<Vec<Marac>> {
    Ok(sqlx::query_as(
        "SELECT m.id, m.name, m.area_id, a.name AS area_name, m.agenda_order,
            m.minutes_due_days, m.created_at FROM maracs m JOIN areas a ON a.id = m.area_id ORDER BY m.name",
    )
    .fetch_all(conn)
    .await?)
}

pub async fn insert_marac(conn: &mut Conn, m: &Marac) -> Result<()> {
    sqlx::query(
        "INSERT INTO maracs (id, name, area_id, agenda_order, minutes_due_days, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(m.id.clone())
    .bind(m.name.clone())
    .bind(m.area_id.clone())
    .bind(m.agenda_order.clone())
    .bind(m.minutes_due_days)
    .bind(m.created_at.clone())
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq, Default)]
pub struct Agency {
    pub id: String,
    pub marac_id: String,
    pub name: String,
    pub kind: String,
}

pub async fn insert_agency(conn: &mut Conn, a: &Agency) -> Result<()> {
    sqlx::query("INSERT INTO marac_agencies (id, marac_id, name, kind) VALUES ($1, $2, $3, $4)")
        .bind(a.id.clone())
        .bind(a.marac_id.clone())
        .bind(a.name.clone())
        .bind(a.kind.clone())
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn agencies(conn: &mut Conn, marac_id: &str) -> Result<Vec<Agency>> {
    Ok(sqlx::query_as(
        "SELECT id, marac_id, name, kind FROM marac_agencies WHERE marac_id = $1 ORDER BY name",
    )
    .bind(marac_id.to_string())
    .fetch_all(conn)
    .await?)
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq, Default)]
pub struct Meeting {
    pub id: String,
    pub marac_id: String,
    pub meets_on: String,
}

pub async fn insert_meeting(conn: &mut Conn, m: &Meeting, by: &str, now: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO marac_meetings (id, marac_id, meets_on, created_by, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(m.id.clone())
    .bind(m.marac_id.clone())
    .bind(m.meets_on.clone())
    .bind(by.to_string())
    .bind(now.to_string())
    .execute(conn)
    .await?;
    Ok(())
}

/// A MARAC's meetings on or after a day, the soonest first.
pub async fn meetings_from(conn: &mut Conn, marac_id: &str, from: &str) -> Result<Vec<Meeting>> {
    Ok(sqlx::query_as(
        "SELECT id, marac_id, meets_on FROM marac_meetings WHERE marac_id = $1 AND meets_on >= $2 ORDER BY meets_on",
    )
    .bind(marac_id.to_string())
    .bind(from.to_string())
    .fetch_all(conn)
    .await?)
}

pub async fn meeting(conn: &mut Conn, id: &str) -> Result<Option<Meeting>> {
    Ok(
        sqlx::query_as("SELECT id, marac_id, meets_on FROM marac_meetings WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(conn)
            .await?,
    )
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq, Default)]
pub struct MaracReferral {
    pub id: String,
    pub marac_id: String,
    pub marac_name: String,
    pub meeting_id: String,
    pub meets_on: String,
    pub case_id: String,
    pub person_id: String,
    pub service_id: String,
    pub referred_on: String,
    pub criteria: String,
    pub assessment_id: Option<String>,
    pub score: Option<i64>,
    pub level: Option<String>,
    pub children: i64,
    pub incidents_in_year: i64,
    pub is_repeat: i64,
    pub summary: String,
    pub consent: String,
    pub without_consent_reason: String,
    pub status: String,
    pub referred_by: String,
    pub created_at: String,
}

pub async fn insert_referral(conn: &mut Conn, r: &MaracReferral) -> Result<()> {
    sqlx::query(
        "INSERT INTO marac_referrals (id, marac_id, meeting_id, case_id, person_id, service_id, referred_on,
            criteria, assessment_id, score, level, children, incidents_in_year, is_repeat, summary,
            consent, without_consent_reason, status, referred_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, 'pending', $18, $19)",
    )
    .bind(r.id.clone())
    .bind(r.marac_id.clone())
    .bind(r.meeting_id.clone())
    .bind(r.case_id.clone())
    .bind(r.person_id.clone())
    .bind(r.service_id.clone())
    .bind(r.referred_on.clone())
    .bind(r.criteria.clone())
    .bind(r.assessment_id.clone())
    .bind(r.score)
    .bind(r.level.clone())
    .bind(r.children)
    .bind(r.incidents_in_year)
    .bind(r.is_repeat)
    .bind(r.summary.clone())
    .bind(r.consent.clone())
    .bind(r.without_consent_reason.clone())
    .bind(r.referred_by.clone())
    .bind(r.created_at.clone())
    .execute(conn)
    .await?;
    Ok(())
}

const REFERRALS: &str = "SELECT r.id, r.marac_id, m.name AS marac_name, r.meeting_id, mt.meets_on,
    r.case_id, r.person_id, r.service_id, r.referred_on, r.criteria, r.assessment_id, r.score, r.level,
    r.children, r.incidents_in_year, r.is_repeat, r.summary, r.consent, r.without_consent_reason,
    r.status, r.referred_by, r.created_at
    FROM marac_referrals r JOIN maracs m ON m.id = r.marac_id JOIN marac_meetings mt ON mt.id = r.meeting_id";

/// A victim's referrals to MARACs (from any service), the latest first.
pub async fn referrals_of_person(conn: &mut Conn, person_id: &str) -> Result<Vec<MaracReferral>> {
    let mut sql = crate::Sql::new(REFERRALS);
    sql.push(" WHERE r.person_id = ")
        .text(person_id)
        .push(" ORDER BY r.referred_on DESC, r.created_at DESC");
    Ok(sql.query_as().fetch_all(conn).await?)
}
