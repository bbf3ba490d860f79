//! Referrals, crime types, readable references and contact attempts.

use domain::policy::Visibility;
use sqlx::{FromRow, Row};

use crate::paging::{Listing, Order, Page, Start, page};
use crate::sql::ScopeColumns;
use crate::{Conn, Result, Sql, Value};

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct CrimeTypeRow {
    pub code: String,
    pub label: String,
    pub consent_rule: String,
    /// The Victims' Code reason its victims have enhanced rights for, if
    /// the crime type gives them by itself.
    pub enhanced_reason: Option<String>,
}

/// A crime type as administrators see it: offered or retired.
#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct CrimeTypeSetting {
    pub code: String,
    pub label: String,
    pub consent_rule: String,
    pub enhanced_reason: Option<String>,
    pub active: i64,
}

/// Every crime type, offered ones first, then by name.
pub async fn crime_type_settings(conn: &mut Conn) -> Result<Vec<CrimeTypeSetting>> {
    Ok(sqlx::query_as(
        "SELECT code, label, consent_rule, enhanced_reason, CAST(active AS BIGINT) AS active FROM crime_types
         ORDER BY active DESC, label",
    )
    .fetch_all(conn)
    .await?)
}

pub async fn crime_types(conn: &mut Conn) -> Result<Vec<CrimeTypeRow>> {
    Ok(sqlx::query_as(
        "SELECT code, label, consent_rule, enhanced_reason FROM crime_types WHERE active = 1 ORDER BY label",
    )
    .fetch_all(conn)
    .await?)
}

/// Adds a crime type or changes its label, consent rule and whether it is offered.
pub async fn upsert_crime_type(conn: &mut Conn, row: &CrimeTypeRow, active: bool) -> Result<()> {
    sqlx::query(
        "INSERT INTO crime_types (code, label, consent_rule, enhanced_reason, active) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (code) DO UPDATE SET label = $2, consent_rule = $3, enhanced_reason = $4, active = $5",
    )
    .bind(row.code.clone())
    .bind(row.label.clone())
    .bind(row.consent_rule.clone())
    .bind(row.enhanced_reason.clone())
    .bind(crate::flag(active))
    .execute(conn)
    .await?;
    Ok(())
}

/// The next readable reference number for a year. Call inside a writing transaction.
/// Takes `count` consecutive reference numbers for a year and returns the
/// first. Call inside a writing transaction.
pub async fn next_reference_numbers(conn: &mut Conn, year: i64, count: i64) -> Result<i64> {
    sqlx::query(
        "INSERT INTO reference_counters (year, last_number) VALUES ($1, 0) ON CONFLICT (year) DO NOTHING",
    )
    .bind(year)
    .execute(&mut *conn)
    .await?;
    let row = sqlx::query(
        "UPDATE reference_counters SET last_number = last_number + $1 WHERE year = $2 RETURNING last_number",
    )
    .bind(count)
    .bind(year)
    .fetch_one(&mut *conn)
    .await?;
    let last: i64 = row.try_get(0)?;
    Ok(last - count + 1)
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct Referral {
    pub id: String,
    pub reference: String,
    pub service_id: String,
    pub service_name: String,
    pub person_id: String,
    pub given_name: String,
    pub family_name: String,
    pub source: String,
    pub sender_id: Option<String>,
    pub sender_reference: Option<String>,
    pub received_at: String,
    pub crime_reported_on: Option<String>,
    pub crime_reference: Option<String>,
    pub crime_type: String,
    pub crime_type_label: String,
    pub area_id: Option<String>,
    pub area_name: Option<String>,
    pub incident_date: Option<String>,
    /// What happened, in the victim's or the referrer's words.
    pub account: Option<String>,
    pub consent: String,
    pub consent_recorded_on: Option<String>,
    pub consent_how: Option<String>,
    pub consent_by: Option<String>,
    pub enhanced_reasons: String,
    pub enhanced: i64,
    pub status: String,
    pub triage_note: Option<String>,
    pub passed_due_on: Option<String>,
    pub information_due_on: String,
    pub contact_due_on: String,
    pub first_contact_on: Option<String>,
    pub created_at: String,
}

/// What is stored for a new referral.
#[derive(Debug, Clone)]
pub struct NewReferral {
    pub id: String,
    pub reference: String,
    pub service_id: String,
    pub person_id: String,
    pub source: String,
    pub sender_id: Option<String>,
    pub sender_reference: Option<String>,
    /// What the sender sent, as canonical JSON (see `app::referrals::resend`).
    pub sender_content: Option<String>,
    pub received_at: String,
    /// The UK date of `received_at`, for counting by period.
    pub received_on: String,
    pub area_id: Option<String>,
    pub crime_reported_on: Option<String>,
    pub crime_reference: Option<String>,
    pub crime_type: String,
    pub incident_date: Option<String>,
    pub account: Option<String>,
    pub consent: String,
    pub consent_recorded_on: Option<String>,
    pub consent_how: Option<String>,
    pub consent_by: Option<String>,
    pub enhanced_reasons: String,
    pub enhanced: i64,
    pub passed_due_on: Option<String>,
    pub information_due_on: String,
    pub contact_due_on: String,
    pub created_by: Option<String>,
    pub created_at: String,
}

pub const REFERRAL_SCOPE: ScopeColumns = ScopeColumns {
    organisation: Some("s.organisation_id"),
    service: Some("r.service_id"),
    commissioner: Some("s.commissioner_id"),
    region: Some("(SELECT ro.region_id FROM organisations ro WHERE ro.id = s.commissioner_id)"),
    ..ScopeColumns::NONE
};

macro_rules! referral_columns {
    () => {
        "r.id, r.reference, r.service_id, s.name AS service_name, r.person_id,
        p.given_name, p.family_name, r.source, r.sender_id, r.sender_reference, r.received_at,
        r.crime_reported_on, r.crime_reference, r.crime_type, c.label AS crime_type_label, r.area_id, ar.name AS area_name, r.incident_date, r.account,
        r.consent, r.consent_recorded_on, r.consent_how, r.consent_by, r.enhanced_reasons, r.enhanced,
        r.status, r.triage_note, r.passed_due_on, r.information_due_on, r.contact_due_on, r.first_contact_on,
        r.created_at"
    };
}

macro_rules! referral_from {
    () => {
        "FROM referrals r
    JOIN services s ON s.id = r.service_id
    JOIN people p ON p.id = r.person_id
    JOIN crime_types c ON c.code = r.crime_type
    LEFT JOIN areas ar ON ar.id = r.area_id
    WHERE "
    };
}

const SELECT: &str = concat!("SELECT ", referral_columns!(), " ", referral_from!());

/// The referral list, for paging.
pub const LISTING: Listing = Listing {
    columns: referral_columns!(),
    from: referral_from!(),
    // The list's conditions name only referrals and services: a count need
    // not join every person, crime type and area of a backlog.
    count_from: "FROM referrals r JOIN services s ON s.id = r.service_id WHERE ",
    id: "r.id",
};

/// Inserts new referrals with multi-row statements.
pub async fn insert_many(conn: &mut Conn, rows: &[NewReferral]) -> Result<()> {
    insert_with_status(conn, rows.iter().map(|r| (r, "new", None))).await
}

/// Referrals per insert statement (29 parameters each).
const REFERRALS_PER_STATEMENT: usize = 100;

/// Inserts referrals, each with its status and first contact date (new
/// referrals have none; generated data sets have both).
pub async fn insert_with_status<'a>(
    conn: &mut Conn,
    rows: impl Iterator<Item = (&'a NewReferral, &'a str, Option<&'a str>)>,
) -> Result<()> {
    let rows: Vec<_> = rows.collect();
    for chunk in rows.chunks(REFERRALS_PER_STATEMENT) {
        let mut sql = Sql::many(
            conn,
            "INSERT INTO referrals (id, reference, service_id, person_id, source, sender_id, sender_reference,
                received_at, crime_reported_on, crime_reference, crime_type, incident_date, consent,
                consent_recorded_on, consent_how, consent_by, enhanced_reasons, enhanced, status,
                passed_due_on, information_due_on, contact_due_on, created_by, created_at, received_on, area_id,
                first_contact_on, account, sender_content) VALUES ",
        );
        for (i, (r, status, first_contact_on)) in chunk.iter().enumerate() {
            sql.row(
                i == 0,
                &[
                    Value::Text(&r.id),
                    Value::Text(&r.reference),
                    Value::Text(&r.service_id),
                    Value::Text(&r.person_id),
                    Value::Text(&r.source),
                    Value::MaybeText(r.sender_id.as_deref()),
                    Value::MaybeText(r.sender_reference.as_deref()),
                    Value::Text(&r.received_at),
                    Value::MaybeText(r.crime_reported_on.as_deref()),
                    Value::MaybeText(r.crime_reference.as_deref()),
                    Value::Text(&r.crime_type),
                    Value::MaybeText(r.incident_date.as_deref()),
                    Value::Text(&r.consent),
                    Value::MaybeText(r.consent_recorded_on.as_deref()),
                    Value::MaybeText(r.consent_how.as_deref()),
                    Value::MaybeText(r.consent_by.as_deref()),
                    Value::Text(&r.enhanced_reasons),
                    Value::Int(r.enhanced),
                    Value::Text(status),
                    Value::MaybeText(r.passed_due_on.as_deref()),
                    Value::Text(&r.information_due_on),
                    Value::Text(&r.contact_due_on),
                    Value::MaybeText(r.created_by.as_deref()),
                    Value::Text(&r.created_at),
                    Value::Text(&r.received_on),
                    Value::MaybeText(r.area_id.as_deref()),
                    Value::MaybeText(*first_contact_on),
                    Value::MaybeText(r.account.as_deref()),
                    Value::MaybeText(r.sender_content.as_deref()),
                ],
            );
        }
        sql.query().execute(&mut *conn).await?;
        let ids: Vec<&str> = chunk.iter().map(|(r, _, _)| r.id.as_str()).collect();
        crate::people::copy_person(conn, crate::people::CopiesPerson::Referrals, &ids).await?;
    }
    Ok(())
}

pub async fn find_visible(
    conn: &mut Conn,
    id: &str,
    visibility: &Visibility,
) -> Result<Option<Referral>> {
    let mut sql = Sql::new(SELECT);
    sql.push("r.id = ").text(id).push(" AND ");
    sql.scope(visibility, &REFERRAL_SCOPE);
    Ok(sql.query_as().fetch_optional(conn).await?)
}

/// A referral already received from this sender with this reference.
pub async fn find_by_sender(
    conn: &mut Conn,
    sender_id: &str,
    sender_reference: &str,
) -> Result<Option<Referral>> {
    let mut sql = Sql::new(SELECT);
    sql.push("r.sender_id = ")
        .text(sender_id)
        .push(" AND r.sender_reference = ")
        .text(sender_reference);
    Ok(sql.query_as().fetch_optional(conn).await?)
}

/// The referrals of a crime type still awaiting first contact, whose
/// deadlines are live. Call inside a writing transaction.
pub async fn awaiting_contact_of_crime_type(conn: &mut Conn, code: &str) -> Result<Vec<Referral>> {
    let mut sql = Sql::new(SELECT);
    sql.push("r.crime_type = ")
        .text(code)
        .push(" AND r.status = 'new' AND r.first_contact_on IS NULL ORDER BY r.received_at, r.id");
    Ok(sql.query_as().fetch_all(conn).await?)
}

/// What the sender sent for this referral, if it was kept.
pub async fn sender_content(conn: &mut Conn, referral_id: &str) -> Result<Option<String>> {
    let held: Option<Option<String>> =
        sqlx::query_scalar("SELECT sender_content FROM referrals WHERE id = $1")
            .bind(referral_id)
            .fetch_optional(conn)
            .await?;
    Ok(held.flatten())
}

/// Which of these references a sender has already sent, with what it sent
/// under each (none for referrals received before that was kept).
pub async fn sent_already(
    conn: &mut Conn,
    sender_id: &str,
    references: &[&str],
) -> Result<std::collections::HashMap<String, Option<String>>> {
    let mut found = std::collections::HashMap::new();
    for chunk in references.chunks(500) {
        let mut sql = Sql::many(
            conn,
            "SELECT sender_reference, sender_content FROM referrals WHERE sender_id = ",
        );
        sql.text(sender_id).push(" AND sender_reference IN (");
        for (i, reference) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.text(*reference);
        }
        sql.push(")");
        let rows: Vec<(String, Option<String>)> = sql.query_as().fetch_all(&mut *conn).await?;
        found.extend(rows);
    }
    Ok(found)
}

/// How the referral list may be ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReferralSort {
    /// The information deadline, the earliest first.
    #[default]
    Deadline,
    Received,
    Name,
    Reference,
}

impl ReferralSort {
    fn key(self) -> &'static str {
        match self {
            ReferralSort::Deadline => "r.information_due_on",
            ReferralSort::Received => "r.received_at",
            ReferralSort::Name => "r.name_order",
            ReferralSort::Reference => "r.reference",
        }
    }
}

/// Which referrals a list shows.
#[derive(Debug, Clone, Default)]
pub struct ReferralFilter {
    pub status: Option<String>,
    /// Only those awaiting first contact whose information deadline is
    /// before this day (overdue) …
    pub due_before: Option<String>,
    /// … or on this day (due today).
    pub due_on: Option<String>,
    pub crime_type: Option<String>,
    pub area_id: Option<String>,
}

/// A page of the referrals within the visibility that the filter lets through.
pub async fn list(
    conn: &mut Conn,
    visibility: &Visibility,
    filter: &ReferralFilter,
    sort: ReferralSort,
    descending: bool,
    start: &Start,
    size: i64,
) -> Result<Page<Referral>> {
    let conditions = |sql: &mut Sql| conditions(sql, visibility, filter);
    let order = Order {
        key: sort.key(),
        descending,
    };
    page(conn, &LISTING, &conditions, order, start, size).await
}

/// How many referrals within the visibility the filter lets through.
pub async fn count(
    conn: &mut Conn,
    visibility: &Visibility,
    filter: &ReferralFilter,
) -> Result<i64> {
    crate::paging::count(conn, &LISTING, &|sql: &mut Sql| {
        conditions(sql, visibility, filter)
    })
    .await
}

/// The referral list's conditions: the visibility, then the filter.
fn conditions(sql: &mut Sql, visibility: &Visibility, filter: &ReferralFilter) {
    sql.scope(visibility, &REFERRAL_SCOPE);
    if let Some(status) = &filter.status {
        sql.push(" AND r.status = ").text(status.clone());
    }
    if let Some(day) = &filter.due_before {
        sql.push(
            " AND r.status = 'new' AND r.first_contact_on IS NULL AND r.information_due_on < ",
        )
        .text(day.clone());
    }
    if let Some(day) = &filter.due_on {
        sql.push(
            " AND r.status = 'new' AND r.first_contact_on IS NULL AND r.information_due_on = ",
        )
        .text(day.clone());
    }
    crime_and_area(sql, filter.crime_type.as_deref(), filter.area_id.as_deref());
}

/// Narrows a list joined to its referral (`r`) to a crime type and an area.
pub fn crime_and_area(sql: &mut Sql, crime_type: Option<&str>, area_id: Option<&str>) {
    if let Some(code) = crime_type {
        sql.push(" AND r.crime_type = ").text(code);
    }
    if let Some(area) = area_id {
        sql.push(" AND r.area_id = ").text(area);
    }
}

/// Referrals received on each day from `from` (UK days) within the visibility.
pub async fn received_by_day(
    conn: &mut Conn,
    visibility: &Visibility,
    from: &str,
) -> Result<Vec<(String, i64)>> {
    let mut sql = Sql::new(
        "SELECT r.received_on, CAST(COUNT(*) AS BIGINT) FROM referrals r
         JOIN services s ON s.id = r.service_id WHERE r.received_on >= ",
    );
    sql.text(from).push(" AND ");
    sql.scope(visibility, &REFERRAL_SCOPE);
    sql.push(" GROUP BY r.received_on");
    Ok(sql.query_as().fetch_all(conn).await?)
}

pub async fn referrals_of_person(conn: &mut Conn, person_id: &str) -> Result<Vec<Referral>> {
    let mut sql = Sql::new(SELECT);
    sql.push("r.person_id = ")
        .text(person_id)
        .push(" ORDER BY r.received_at");
    Ok(sql.query_as().fetch_all(conn).await?)
}

/// Writes a referral's corrected details and deadlines, and what its case
/// copied from it (enhanced rights, the day received).
pub async fn correct(conn: &mut Conn, id: &str, r: &NewReferral) -> Result<()> {
    let mut sql = Sql::new("UPDATE referrals SET source = ");
    sql.text(r.source.clone())
        .push(", area_id = ")
        .maybe_text(r.area_id.as_deref())
        .push(", received_at = ")
        .text(r.received_at.clone())
        .push(", received_on = ")
        .text(r.received_on.clone())
        .push(", crime_reported_on = ")
        .maybe_text(r.crime_reported_on.as_deref())
        .push(", crime_reference = ")
        .maybe_text(r.crime_reference.as_deref())
        .push(", crime_type = ")
        .text(r.crime_type.clone())
        .push(", incident_date = ")
        .maybe_text(r.incident_date.as_deref())
        .push(", account = ")
        .maybe_text(r.account.as_deref())
        .push(", consent = ")
        .text(r.consent.clone())
        .push(", consent_recorded_on = ")
        .maybe_text(r.consent_recorded_on.as_deref())
        .push(", consent_how = ")
        .maybe_text(r.consent_how.as_deref())
        .push(", consent_by = ")
        .maybe_text(r.consent_by.as_deref())
        .push(", enhanced_reasons = ")
        .text(r.enhanced_reasons.clone())
        .push(", enhanced = ")
        .int(r.enhanced)
        .push(", passed_due_on = ")
        .maybe_text(r.passed_due_on.as_deref())
        .push(", information_due_on = ")
        .text(r.information_due_on.clone())
        .push(", contact_due_on = ")
        .text(r.contact_due_on.clone())
        .push(" WHERE id = ")
        .text(id);
    sql.query().execute(&mut *conn).await?;
    sqlx::query("UPDATE cases SET enhanced = $1, referral_received_on = $2 WHERE referral_id = $3")
        .bind(r.enhanced)
        .bind(r.received_on.clone())
        .bind(id.to_string())
        .execute(&mut *conn)
        .await?;
    crate::people::copy_person_to_case_of(conn, id).await
}

pub async fn set_first_contact(conn: &mut Conn, id: &str, on: &str) -> Result<()> {
    sqlx::query(
        "UPDATE referrals SET first_contact_on = $1 WHERE id = $2 AND first_contact_on IS NULL",
    )
    .bind(on.to_string())
    .bind(id.to_string())
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn set_status(conn: &mut Conn, id: &str, status: &str, note: Option<&str>) -> Result<()> {
    sqlx::query("UPDATE referrals SET status = $1, triage_note = $2 WHERE id = $3")
        .bind(status.to_string())
        .bind(note.map(str::to_string))
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct ContactAttempt {
    pub id: String,
    pub referral_id: String,
    pub attempted_at: String,
    pub channel: String,
    pub result: String,
    pub notes: Option<String>,
    pub user_id: Option<String>,
    pub user_name: Option<String>,
}

pub async fn insert_attempt(conn: &mut Conn, a: &ContactAttempt, now: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO contact_attempts (id, referral_id, attempted_at, channel, result, notes, user_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(a.id.clone())
    .bind(a.referral_id.clone())
    .bind(a.attempted_at.clone())
    .bind(a.channel.clone())
    .bind(a.result.clone())
    .bind(a.notes.clone())
    .bind(a.user_id.clone())
    .bind(now.to_string())
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn attempts(conn: &mut Conn, referral_id: &str) -> Result<Vec<ContactAttempt>> {
    Ok(sqlx::query_as(
        "SELECT a.id, a.referral_id, a.attempted_at, a.channel, a.result, a.notes, a.user_id, u.display_name AS user_name
         FROM contact_attempts a LEFT JOIN users u ON u.id = a.user_id
         WHERE a.referral_id = $1 ORDER BY a.attempted_at",
    )
    .bind(referral_id.to_string())
    .fetch_all(conn)
    .await?)
}
