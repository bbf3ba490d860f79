//! Multi-row inserts for generating large demonstration and benchmark data
//! sets. Not for casework: use cases write one audited record at a time.

use crate::cases::Outcome;
use crate::people::NewPerson;
use crate::referrals::NewReferral;
use crate::{Conn, Result, Sql};

/// A generated referral with where it got to.
pub struct GeneratedReferral {
    pub referral: NewReferral,
    pub status: String,
    pub first_contact_on: Option<String>,
}

/// A generated case.
pub struct GeneratedCase {
    pub id: String,
    pub referral_id: String,
    pub service_id: String,
    pub person_id: String,
    pub caseworker_id: Option<String>,
    pub opened_at: String,
    pub opened_on: String,
    pub closed: Option<(String, String)>,
    pub outcomes: Vec<Outcome>,
}

fn text(sql: &mut Sql, value: &str) {
    sql.text(value.to_string());
}

fn maybe(sql: &mut Sql, value: &Option<String>) {
    match value {
        Some(v) => {
            sql.text(v.clone());
        }
        None => {
            sql.push("NULL");
        }
    }
}

/// Rows per statement: SQLite binds many parameters slowly, so statements
/// stay small and a transaction holds several.
const ROWS_PER_STATEMENT: usize = 50;

pub async fn people(conn: &mut Conn, rows: &[NewPerson]) -> Result<()> {
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        people_statement(conn, chunk).await?;
    }
    Ok(())
}

async fn people_statement(conn: &mut Conn, rows: &[NewPerson]) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut sql = Sql::new(
        "INSERT INTO people (id, service_id, given_name, family_name, name_key, given_key, family_key, date_of_birth,
            phone, phone_key, gender, ethnicity, disability, sexual_orientation, religion, interpreter_needed, created_at) VALUES ",
    );
    for (i, n) in rows.iter().enumerate() {
        let p = &n.person;
        sql.push(if i == 0 { "(" } else { ", (" });
        for (j, v) in [
            &p.id,
            &p.service_id,
            &p.given_name,
            &p.family_name,
            &n.name_key,
            &n.given_key,
            &n.family_key,
        ]
        .iter()
        .enumerate()
        {
            if j > 0 {
                sql.push(", ");
            }
            text(&mut sql, v);
        }
        sql.push(", ");
        maybe(&mut sql, &p.date_of_birth);
        sql.push(", ");
        maybe(&mut sql, &p.phone);
        sql.push(", ");
        maybe(&mut sql, &n.phone_key);
        for v in [
            &p.gender,
            &p.ethnicity,
            &p.disability,
            &p.sexual_orientation,
            &p.religion,
        ] {
            sql.push(", ");
            text(&mut sql, v);
        }
        sql.push(", ").int(p.interpreter_needed).push(", ");
        text(&mut sql, &p.created_at);
        sql.push(")");
    }
    sql.query().execute(conn).await?;
    Ok(())
}

pub async fn referrals(conn: &mut Conn, rows: &[GeneratedReferral]) -> Result<()> {
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        referrals_statement(conn, chunk).await?;
    }
    Ok(())
}

async fn referrals_statement(conn: &mut Conn, rows: &[GeneratedReferral]) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut sql = Sql::new(
        "INSERT INTO referrals (id, reference, service_id, person_id, source, received_at, received_on, crime_reported_on,
            crime_reference, crime_type, incident_date, consent, enhanced_reasons, enhanced, status, passed_due_on,
            information_due_on, contact_due_on, first_contact_on, created_at) VALUES ",
    );
    for (i, g) in rows.iter().enumerate() {
        let r = &g.referral;
        sql.push(if i == 0 { "(" } else { ", (" });
        for (j, v) in [
            &r.id,
            &r.reference,
            &r.service_id,
            &r.person_id,
            &r.source,
            &r.received_at,
            &r.received_on,
        ]
        .iter()
        .enumerate()
        {
            if j > 0 {
                sql.push(", ");
            }
            text(&mut sql, v);
        }
        sql.push(", ");
        maybe(&mut sql, &r.crime_reported_on);
        sql.push(", ");
        maybe(&mut sql, &r.crime_reference);
        sql.push(", ");
        text(&mut sql, &r.crime_type);
        sql.push(", ");
        maybe(&mut sql, &r.incident_date);
        sql.push(", ");
        text(&mut sql, &r.consent);
        sql.push(", ");
        text(&mut sql, &r.enhanced_reasons);
        sql.push(", ").int(r.enhanced).push(", ");
        text(&mut sql, &g.status);
        sql.push(", ");
        maybe(&mut sql, &r.passed_due_on);
        sql.push(", ");
        text(&mut sql, &r.information_due_on);
        sql.push(", ");
        text(&mut sql, &r.contact_due_on);
        sql.push(", ");
        maybe(&mut sql, &g.first_contact_on);
        sql.push(", ");
        text(&mut sql, &r.created_at);
        sql.push(")");
    }
    sql.query().execute(conn).await?;
    Ok(())
}

pub async fn cases(conn: &mut Conn, rows: &[GeneratedCase]) -> Result<()> {
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        cases_statement(conn, chunk).await?;
    }
    Ok(())
}

async fn cases_statement(conn: &mut Conn, rows: &[GeneratedCase]) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut sql = Sql::new(
        "INSERT INTO cases (id, referral_id, service_id, person_id, caseworker_id, status, opened_at, opened_on,
            closed_at, closed_on, closure_reason, satisfaction) VALUES ",
    );
    for (i, c) in rows.iter().enumerate() {
        sql.push(if i == 0 { "(" } else { ", (" });
        for (j, v) in [&c.id, &c.referral_id, &c.service_id, &c.person_id]
            .iter()
            .enumerate()
        {
            if j > 0 {
                sql.push(", ");
            }
            text(&mut sql, v);
        }
        sql.push(", ");
        maybe(&mut sql, &c.caseworker_id);
        sql.push(", ");
        text(&mut sql, if c.closed.is_some() { "closed" } else { "open" });
        sql.push(", ");
        text(&mut sql, &c.opened_at);
        sql.push(", ");
        text(&mut sql, &c.opened_on);
        match &c.closed {
            Some((at, on)) => {
                sql.push(", ");
                text(&mut sql, at);
                sql.push(", ");
                text(&mut sql, on);
                sql.push(", 'support_completed', 'satisfied'");
            }
            None => {
                sql.push(", NULL, NULL, NULL, NULL");
            }
        }
        sql.push(")");
    }
    sql.query().execute(&mut *conn).await?;
    let outcomes: Vec<(&String, &Outcome)> = rows
        .iter()
        .flat_map(|c| c.outcomes.iter().map(move |o| (&c.id, o)))
        .collect();
    for chunk in outcomes.chunks(ROWS_PER_STATEMENT * 4) {
        let mut sql = Sql::new("INSERT INTO case_outcomes (case_id, measure, result) VALUES ");
        for (i, (case_id, o)) in chunk.iter().enumerate() {
            sql.push(if i == 0 { "(" } else { ", (" });
            text(&mut sql, case_id);
            sql.push(", ");
            text(&mut sql, &o.measure);
            sql.push(", ");
            text(&mut sql, &o.result);
            sql.push(")");
        }
        sql.query().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Moves a year's reference counter past numbers used by generated data.
pub async fn raise_reference_counter(conn: &mut Conn, year: i64, last: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO reference_counters (year, last_number) VALUES ($1, $2)
         ON CONFLICT (year) DO UPDATE SET last_number = CASE WHEN reference_counters.last_number > $2
             THEN reference_counters.last_number ELSE $2 END",
    )
    .bind(year)
    .bind(last)
    .execute(conn)
    .await?;
    Ok(())
}

/// The last reference number used in a year.
pub async fn reference_counter(conn: &mut Conn, year: i64) -> Result<i64> {
    let last: Option<i64> =
        sqlx::query_scalar("SELECT last_number FROM reference_counters WHERE year = $1")
            .bind(year)
            .fetch_optional(conn)
            .await?;
    Ok(last.unwrap_or(0))
}
