//! Programmes, their partners, their call-outs and their baselines.
//! Booleans are stored as 0 or 1 so both engines read them the same.

use sqlx::FromRow;

use crate::paging::{Listing, Order, Page, Start, page};
use crate::{Conn, Result, Sql};

#[derive(Debug, Clone, FromRow, PartialEq, Eq, Default)]
pub struct Programme {
    pub id: String,
    pub name: String,
    pub service_id: String,
    pub service_name: String,
    pub organisation_id: String,
    pub commissioner_id: Option<String>,
    pub starts_on: String,
    pub ends_on: String,
    pub baseline_from: String,
    pub baseline_to: String,
    pub funding_pence: i64,
    pub funding_source: String,
    pub created_at: String,
}

/// A partner in a programme and its part, such as "lead commissioner".
#[derive(Debug, Clone, FromRow, PartialEq, Eq, Default)]
pub struct Partner {
    pub name: String,
    pub part: String,
}

const PROGRAMMES: &str = "SELECT p.id, p.name, p.service_id, s.name AS service_name,
    s.organisation_id, s.commissioner_id, p.starts_on, p.ends_on, p.baseline_from,
    p.baseline_to, p.funding_pence, p.funding_source, p.created_at
    FROM programmes p JOIN services s ON s.id = p.service_id";

pub async fn insert(conn: &mut Conn, p: &Programme, partners: &[Partner]) -> Result<()> {
    sqlx::query(
        "INSERT INTO programmes (id, name, service_id, starts_on, ends_on, baseline_from,
            baseline_to, funding_pence, funding_source, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(p.id.clone())
    .bind(p.name.clone())
    .bind(p.service_id.clone())
    .bind(p.starts_on.clone())
    .bind(p.ends_on.clone())
    .bind(p.baseline_from.clone())
    .bind(p.baseline_to.clone())
    .bind(p.funding_pence)
    .bind(p.funding_source.clone())
    .bind(p.created_at.clone())
    .execute(&mut *conn)
    .await?;
    insert_partners(conn, &p.id, partners).await
}

/// Corrects a programme's details, and puts its partners in place of
/// those before.
pub async fn update(conn: &mut Conn, p: &Programme, partners: &[Partner]) -> Result<()> {
    sqlx::query(
        "UPDATE programmes SET name = $1, starts_on = $2, ends_on = $3, baseline_from = $4,
            baseline_to = $5, funding_pence = $6, funding_source = $7 WHERE id = $8",
    )
    .bind(p.name.clone())
    .bind(p.starts_on.clone())
    .bind(p.ends_on.clone())
    .bind(p.baseline_from.clone())
    .bind(p.baseline_to.clone())
    .bind(p.funding_pence)
    .bind(p.funding_source.clone())
    .bind(p.id.clone())
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM programme_partners WHERE programme_id = $1")
        .bind(p.id.clone())
        .execute(&mut *conn)
        .await?;
    insert_partners(conn, &p.id, partners).await
}

async fn insert_partners(conn: &mut Conn, programme_id: &str, partners: &[Partner]) -> Result<()> {
    for (position, partner) in partners.iter().enumerate() {
        sqlx::query(
            "INSERT INTO programme_partners (programme_id, position, name, part)
             VALUES ($1, $2, $3, $4)",
        )
        .bind(programme_id.to_string())
        .bind(position as i64)
        .bind(partner.name.clone())
        .bind(partner.part.clone())
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Every programme, by name: few, so the caller filters by who may see.
pub async fn programmes(conn: &mut Conn) -> Result<Vec<Programme>> {
    let mut sql = Sql::new(PROGRAMMES);
    sql.push(" ORDER BY p.name");
    Ok(sql.query_as().fetch_all(conn).await?)
}

pub async fn find(conn: &mut Conn, id: &str) -> Result<Option<Programme>> {
    let mut sql = Sql::new(&format!("{PROGRAMMES} WHERE p.id = "));
    sql.text(id);
    Ok(sql.query_as().fetch_optional(conn).await?)
}

pub async fn partners(conn: &mut Conn, programme_id: &str) -> Result<Vec<Partner>> {
    Ok(sqlx::query_as(
        "SELECT name, part FROM programme_partners WHERE programme_id = $1 ORDER BY position",
    )
    .bind(programme_id.to_string())
    .fetch_all(conn)
    .await?)
}

/// One call-out, with its victim's name and the area's.
#[derive(Debug, Clone, FromRow, PartialEq, Eq, Default)]
pub struct CallOut {
    pub id: String,
    pub programme_id: String,
    pub attended_at: String,
    pub on_day: String,
    pub incident_reference: String,
    pub area_id: String,
    pub area_name: String,
    pub person_id: String,
    pub given_name: String,
    pub family_name: String,
    pub joint_attendance: i64,
    pub dash_done: i64,
    pub dash_level: Option<String>,
    pub safety_plan: i64,
    pub children_present: i64,
    pub arrest: i64,
    pub protection_applied: i64,
    pub protection_granted: i64,
    pub engaged: i64,
    pub onward_referral: i64,
    pub justice_outcome: String,
    pub recorded_by: String,
    pub recorded_at: String,
    pub corrected_at: Option<String>,
}

const CALL_OUT_COLUMNS: &str = "c.id, c.programme_id, c.attended_at, c.on_day,
    c.incident_reference, c.area_id, a.name AS area_name, c.person_id, pe.given_name,
    pe.family_name, c.joint_attendance, c.dash_done, c.dash_level, c.safety_plan,
    c.children_present, c.arrest, c.protection_applied, c.protection_granted, c.engaged,
    c.onward_referral, c.justice_outcome, c.recorded_by, c.recorded_at, c.corrected_at";

const CALL_OUT_FROM: &str = "FROM call_outs c JOIN areas a ON a.id = c.area_id
    JOIN people pe ON pe.id = c.person_id WHERE ";

const CALL_OUTS: Listing = Listing {
    columns: CALL_OUT_COLUMNS,
    from: CALL_OUT_FROM,
    count_from: "FROM call_outs c WHERE ",
    id: "c.id",
};

pub async fn insert_call_out(conn: &mut Conn, c: &CallOut) -> Result<()> {
    sqlx::query(
        "INSERT INTO call_outs (id, programme_id, attended_at, on_day, incident_reference,
            area_id, person_id, joint_attendance, dash_done, dash_level, safety_plan,
            children_present, arrest, protection_applied, protection_granted, engaged,
            onward_referral, justice_outcome, recorded_by, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
            $18, $19, $20)",
    )
    .bind(c.id.clone())
    .bind(c.programme_id.clone())
    .bind(c.attended_at.clone())
    .bind(c.on_day.clone())
    .bind(c.incident_reference.clone())
    .bind(c.area_id.clone())
    .bind(c.person_id.clone())
    .bind(c.joint_attendance)
    .bind(c.dash_done)
    .bind(c.dash_level.clone())
    .bind(c.safety_plan)
    .bind(c.children_present)
    .bind(c.arrest)
    .bind(c.protection_applied)
    .bind(c.protection_granted)
    .bind(c.engaged)
    .bind(c.onward_referral)
    .bind(c.justice_outcome.clone())
    .bind(c.recorded_by.clone())
    .bind(c.recorded_at.clone())
    .execute(conn)
    .await?;
    Ok(())
}

/// Corrects what a call-out recorded (its victim stays).
pub async fn correct_call_out(conn: &mut Conn, c: &CallOut, now: &str) -> Result<()> {
    sqlx::query(
        "UPDATE call_outs SET attended_at = $1, on_day = $2, incident_reference = $3,
            area_id = $4, joint_attendance = $5, dash_done = $6, dash_level = $7,
            safety_plan = $8, children_present = $9, arrest = $10, protection_applied = $11,
            protection_granted = $12, engaged = $13, onward_referral = $14,
            justice_outcome = $15, corrected_at = $16
         WHERE id = $17",
    )
    .bind(c.attended_at.clone())
    .bind(c.on_day.clone())
    .bind(c.incident_reference.clone())
    .bind(c.area_id.clone())
    .bind(c.joint_attendance)
    .bind(c.dash_done)
    .bind(c.dash_level.clone())
    .bind(c.safety_plan)
    .bind(c.children_present)
    .bind(c.arrest)
    .bind(c.protection_applied)
    .bind(c.protection_granted)
    .bind(c.engaged)
    .bind(c.onward_referral)
    .bind(c.justice_outcome.clone())
    .bind(now.to_string())
    .bind(c.id.clone())
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn call_out(conn: &mut Conn, id: &str) -> Result<Option<CallOut>> {
    let mut sql = Sql::new(&format!("SELECT {CALL_OUT_COLUMNS} {CALL_OUT_FROM}"));
    sql.push("c.id = ").text(id);
    Ok(sql.query_as().fetch_optional(conn).await?)
}

/// A page of a programme's call-outs, the latest first unless asked.
pub async fn page_of_call_outs(
    conn: &mut Conn,
    programme_id: &str,
    descending: bool,
    start: &Start,
    size: i64,
) -> Result<Page<CallOut>> {
    let programme_id = programme_id.to_string();
    let conditions = move |sql: &mut Sql| {
        sql.push("c.programme_id = ").text(programme_id.clone());
    };
    let order = Order {
        key: "c.attended_at",
        descending,
    };
    page(conn, &CALL_OUTS, &conditions, order, start, size).await
}

/// What the evaluation reads of every call-out of a programme, in the order
/// they happened: no names.
#[derive(Debug, Clone, FromRow, PartialEq, Eq, Default)]
pub struct CallOutFacts {
    pub on_day: String,
    pub person_id: String,
    pub joint_attendance: i64,
    pub dash_done: i64,
    pub safety_plan: i64,
    pub children_present: i64,
    pub arrest: i64,
    pub protection_applied: i64,
    pub protection_granted: i64,
    pub engaged: i64,
    pub onward_referral: i64,
    pub justice_outcome: String,
}

pub async fn call_out_facts(conn: &mut Conn, programme_id: &str) -> Result<Vec<CallOutFacts>> {
    Ok(sqlx::query_as(
        "SELECT on_day, person_id, joint_attendance, dash_done, safety_plan, children_present,
            arrest, protection_applied, protection_granted, engaged, onward_referral,
            justice_outcome
         FROM call_outs WHERE programme_id = $1 ORDER BY attended_at, id",
    )
    .bind(programme_id.to_string())
    .fetch_all(conn)
    .await?)
}

/// The baseline's aggregate figures, as imported: (measure, count).
pub async fn baseline(conn: &mut Conn, programme_id: &str) -> Result<Vec<(String, i64)>> {
    Ok(sqlx::query_as(
        "SELECT measure, count FROM programme_baselines WHERE programme_id = $1 ORDER BY measure",
    )
    .bind(programme_id.to_string())
    .fetch_all(conn)
    .await?)
}

/// Replaces the baseline's aggregate figures.
pub async fn replace_baseline(
    conn: &mut Conn,
    programme_id: &str,
    counts: &[(String, i64)],
    now: &str,
) -> Result<()> {
    sqlx::query("DELETE FROM programme_baselines WHERE programme_id = $1")
        .bind(programme_id.to_string())
        .execute(&mut *conn)
        .await?;
    for (measure, count) in counts {
        sqlx::query(
            "INSERT INTO programme_baselines (programme_id, measure, count, imported_at)
             VALUES ($1, $2, $3, $4)",
        )
        .bind(programme_id.to_string())
        .bind(measure.clone())
        .bind(*count)
        .bind(now.to_string())
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
