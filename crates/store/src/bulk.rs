//! Multi-row inserts for generating large demonstration and benchmark data
//! sets. Not for casework: use cases write one audited record at a time.

use crate::cases::Outcome;
use crate::people::NewPerson;
use crate::referrals::NewReferral;
use crate::{Conn, Result, Sql, Value};

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
    /// The referral's `received_on` and `enhanced`, kept on the case.
    pub referral_received_on: String,
    pub enhanced: i64,
    pub closed: Option<(String, String)>,
    pub outcomes: Vec<Outcome>,
}

/// Writes generated people, referrals and cases.
pub async fn write(
    conn: &mut Conn,
    people: &[NewPerson],
    referrals: &[GeneratedReferral],
    cases: &[GeneratedCase],
) -> Result<()> {
    crate::people::insert_many(conn, people).await?;
    crate::referrals::insert_with_status(
        conn,
        referrals.iter().map(|g| {
            (
                &g.referral,
                g.status.as_str(),
                g.first_contact_on.as_deref(),
            )
        }),
    )
    .await?;
    insert_cases(conn, cases).await
}

/// Cases per insert statement (14 parameters each).
const CASES_PER_STATEMENT: usize = 200;

async fn insert_cases(conn: &mut Conn, rows: &[GeneratedCase]) -> Result<()> {
    for chunk in rows.chunks(CASES_PER_STATEMENT) {
        let mut sql = Sql::many(
            conn,
            "INSERT INTO cases (id, referral_id, service_id, person_id, caseworker_id, status, opened_at, opened_on,
                closed_at, closed_on, closure_reason, satisfaction, referral_received_on, enhanced) VALUES ",
        );
        for (i, c) in chunk.iter().enumerate() {
            let closed = c.closed.as_ref();
            sql.row(
                i == 0,
                &[
                    Value::Text(&c.id),
                    Value::Text(&c.referral_id),
                    Value::Text(&c.service_id),
                    Value::Text(&c.person_id),
                    Value::MaybeText(c.caseworker_id.as_deref()),
                    Value::Text(if closed.is_some() { "closed" } else { "open" }),
                    Value::Text(&c.opened_at),
                    Value::Text(&c.opened_on),
                    Value::MaybeText(closed.map(|(at, _)| at.as_str())),
                    Value::MaybeText(closed.map(|(_, on)| on.as_str())),
                    Value::MaybeText(closed.map(|_| "support_completed")),
                    Value::MaybeText(closed.map(|_| "satisfied")),
                    Value::Text(&c.referral_received_on),
                    Value::Int(c.enhanced),
                ],
            );
        }
        sql.query().execute(&mut *conn).await?;
        let ids: Vec<&str> = chunk.iter().map(|c| c.id.as_str()).collect();
        crate::people::copy_person(conn, crate::people::CopiesPerson::Cases, &ids).await?;
    }
    let outcomes: Vec<(&GeneratedCase, &Outcome)> = rows
        .iter()
        .flat_map(|c| c.outcomes.iter().map(move |o| (c, o)))
        .collect();
    for chunk in outcomes.chunks(CASES_PER_STATEMENT * 4) {
        let mut sql = Sql::many(
            conn,
            "INSERT INTO case_outcomes (case_id, measure, result, service_id, closed_on) VALUES ",
        );
        for (i, (case, o)) in chunk.iter().enumerate() {
            sql.row(
                i == 0,
                &[
                    Value::Text(&case.id),
                    Value::Text(&o.measure),
                    Value::Text(&o.result),
                    Value::Text(&case.service_id),
                    Value::MaybeText(case.closed.as_ref().map(|(_, on)| on.as_str())),
                ],
            );
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
