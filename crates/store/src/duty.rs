//! Duty rotas, the services that share them, and the shifts worked.
//! Instants are stored as UTC text of one shape, so they compare as text.

use sqlx::FromRow;

use crate::{Conn, Result};

#[derive(Debug, Clone, FromRow, PartialEq, Eq, Default)]
pub struct Rota {
    pub id: String,
    pub name: String,
    pub role: String,
    pub contact: String,
    pub pattern: String,
    pub created_at: String,
    /// The response target: hours in cover, else by this local time.
    pub response_hours: i64,
    pub out_of_hours_by: String,
    /// When cases opened on duty are handed over, local time.
    pub handover_at: String,
}

/// A service sharing a rota.
#[derive(Debug, Clone, FromRow, PartialEq, Eq, Default)]
pub struct RotaService {
    pub rota_id: String,
    pub service_id: String,
    pub service_name: String,
    pub organisation_id: String,
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq, Default)]
pub struct Shift {
    pub id: String,
    pub rota_id: String,
    pub on_day: String,
    pub slot: i64,
    pub starts_at: String,
    pub ends_at: String,
    pub worker_id: String,
    pub worker_name: String,
    pub service_id: String,
    pub created_at: String,
}

const SHIFTS: &str = "SELECT s.id, s.rota_id, s.on_day, s.slot, s.starts_at, s.ends_at,
    s.worker_id, u.display_name AS worker_name, s.service_id, s.created_at
    FROM duty_shifts s JOIN users u ON u.id = s.worker_id WHERE ";

pub async fn insert_rota(conn: &mut Conn, r: &Rota, services: &[String]) -> Result<()> {
    sqlx::query(
        "INSERT INTO duty_rotas (id, name, role, contact, pattern, created_at, response_hours,
            out_of_hours_by, handover_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(r.id.clone())
    .bind(r.name.clone())
    .bind(r.role.clone())
    .bind(r.contact.clone())
    .bind(r.pattern.clone())
    .bind(r.created_at.clone())
    .bind(r.response_hours)
    .bind(r.out_of_hours_by.clone())
    .bind(r.handover_at.clone())
    .execute(&mut *conn)
    .await?;
    for service in services {
        sqlx::query("INSERT INTO duty_rota_services (rota_id, service_id) VALUES ($1, $2)")
            .bind(r.id.clone())
            .bind(service.clone())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Every rota, by name.
pub async fn rotas(conn: &mut Conn) -> Result<Vec<Rota>> {
    Ok(sqlx::query_as(
        "SELECT id, name, role, contact, pattern, created_at, response_hours, out_of_hours_by,
            handover_at
         FROM duty_rotas ORDER BY name",
    )
    .fetch_all(conn)
    .await?)
}

/// Corrects a rota's own details.
pub async fn update_rota(conn: &mut Conn, r: &Rota) -> Result<()> {
    sqlx::query(
        "UPDATE duty_rotas SET name = $1, role = $2, contact = $3, pattern = $4,
            response_hours = $5, out_of_hours_by = $6, handover_at = $7 WHERE id = $8",
    )
    .bind(r.name.clone())
    .bind(r.role.clone())
    .bind(r.contact.clone())
    .bind(r.pattern.clone())
    .bind(r.response_hours)
    .bind(r.out_of_hours_by.clone())
    .bind(r.handover_at.clone())
    .bind(r.id.clone())
    .execute(conn)
    .await?;
    Ok(())
}

/// A rota's shifts not yet ended, in order.
pub async fn coming_shifts(conn: &mut Conn, rota_id: &str, now: &str) -> Result<Vec<Shift>> {
    let mut sql = crate::Sql::new(SHIFTS);
    sql.push("s.rota_id = ")
        .text(rota_id)
        .push(" AND s.ends_at > ")
        .text(now)
        .push(" ORDER BY s.starts_at");
    Ok(sql.query_as().fetch_all(conn).await?)
}

/// Which services share which rota.
pub async fn rota_services(conn: &mut Conn) -> Result<Vec<RotaService>> {
    Ok(sqlx::query_as(
        "SELECT r.rota_id, r.service_id, s.name AS service_name, s.organisation_id
         FROM duty_rota_services r JOIN services s ON s.id = r.service_id
         ORDER BY s.name",
    )
    .fetch_all(conn)
    .await?)
}

/// A rota's shifts starting on the days from one to another, in order.
pub async fn shifts_between(
    conn: &mut Conn,
    rota_id: &str,
    from_day: &str,
    to_day: &str,
) -> Result<Vec<Shift>> {
    let mut sql = crate::Sql::new(SHIFTS);
    sql.push("s.rota_id = ")
        .text(rota_id)
        .push(" AND s.on_day >= ")
        .text(from_day)
        .push(" AND s.on_day <= ")
        .text(to_day)
        .push(" ORDER BY s.on_day, s.slot");
    Ok(sql.query_as().fetch_all(conn).await?)
}

pub async fn shift(conn: &mut Conn, id: &str) -> Result<Option<Shift>> {
    let mut sql = crate::Sql::new(SHIFTS);
    sql.push("s.id = ").text(id);
    Ok(sql.query_as().fetch_optional(conn).await?)
}

/// A worker's shifts on any rota that share a moment with the span given,
/// leaving out one shift (the one being changed).
pub async fn worker_shifts_overlapping(
    conn: &mut Conn,
    worker_id: &str,
    starts_at: &str,
    ends_at: &str,
    except: &str,
) -> Result<Vec<Shift>> {
    let mut sql = crate::Sql::new(SHIFTS);
    sql.push("s.worker_id = ")
        .text(worker_id)
        .push(" AND s.starts_at < ")
        .text(ends_at)
        .push(" AND s.ends_at > ")
        .text(starts_at)
        .push(" AND s.id <> ")
        .text(except);
    Ok(sql.query_as().fetch_all(conn).await?)
}

/// A worker's shifts that have not ended by `now`, the soonest first.
pub async fn coming_shifts_of(
    conn: &mut Conn,
    worker_id: &str,
    now: &str,
    limit: i64,
) -> Result<Vec<Shift>> {
    let mut sql = crate::Sql::new(SHIFTS);
    sql.push("s.worker_id = ")
        .text(worker_id)
        .push(" AND s.ends_at > ")
        .text(now)
        .push(" ORDER BY s.starts_at LIMIT ")
        .int(limit);
    Ok(sql.query_as().fetch_all(conn).await?)
}

/// The shifts running at `now`, on every rota.
pub async fn shifts_at(conn: &mut Conn, now: &str) -> Result<Vec<Shift>> {
    let mut sql = crate::Sql::new(SHIFTS);
    sql.push("s.starts_at <= ")
        .text(now)
        .push(" AND s.ends_at > ")
        .text(now)
        .push(" ORDER BY s.rota_id, s.starts_at");
    Ok(sql.query_as().fetch_all(conn).await?)
}

pub async fn insert_shift(conn: &mut Conn, s: &Shift) -> Result<()> {
    sqlx::query(
        "INSERT INTO duty_shifts (id, rota_id, on_day, slot, starts_at, ends_at, worker_id,
            service_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(s.id.clone())
    .bind(s.rota_id.clone())
    .bind(s.on_day.clone())
    .bind(s.slot)
    .bind(s.starts_at.clone())
    .bind(s.ends_at.clone())
    .bind(s.worker_id.clone())
    .bind(s.service_id.clone())
    .bind(s.created_at.clone())
    .execute(conn)
    .await?;
    Ok(())
}

/// Gives a shift to another worker (covering for the same or another of
/// the rota's services).
pub async fn reassign_shift(
    conn: &mut Conn,
    id: &str,
    worker_id: &str,
    service_id: &str,
) -> Result<()> {
    sqlx::query("UPDATE duty_shifts SET worker_id = $1, service_id = $2 WHERE id = $3")
        .bind(worker_id.to_string())
        .bind(service_id.to_string())
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

/// Takes a worker off a shift: it becomes a gap again, and any swap asked
/// for it goes with it (the audit log keeps both).
pub async fn delete_shift(conn: &mut Conn, id: &str) -> Result<()> {
    sqlx::query("DELETE FROM duty_swaps WHERE shift_id = $1")
        .bind(id.to_string())
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM duty_shifts WHERE id = $1")
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

/// A request that a colleague take a worker's shift.
#[derive(Debug, Clone, FromRow, PartialEq, Eq, Default)]
pub struct Swap {
    pub id: String,
    pub shift_id: String,
    pub rota_id: String,
    pub asked_by: String,
    pub asked_by_name: String,
    pub cover_by: String,
    pub cover_by_name: String,
    pub reason: String,
    pub status: String,
    pub on_day: String,
    pub starts_at: String,
    pub ends_at: String,
    pub service_id: String,
    pub created_at: String,
}

const SWAPS: &str =
    "SELECT w.id, w.shift_id, w.rota_id, w.asked_by, a.display_name AS asked_by_name,
    w.cover_by, c.display_name AS cover_by_name, w.reason, w.status, s.on_day, s.starts_at,
    s.ends_at, s.service_id, w.created_at
    FROM duty_swaps w JOIN duty_shifts s ON s.id = w.shift_id
    JOIN users a ON a.id = w.asked_by JOIN users c ON c.id = w.cover_by WHERE ";

pub async fn insert_swap(
    conn: &mut Conn,
    id: &str,
    shift: &Shift,
    cover_by: &str,
    reason: &str,
    now: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO duty_swaps (id, shift_id, rota_id, asked_by, cover_by, reason, status, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7)",
    )
    .bind(id.to_string())
    .bind(shift.id.clone())
    .bind(shift.rota_id.clone())
    .bind(shift.worker_id.clone())
    .bind(cover_by.to_string())
    .bind(reason.to_string())
    .bind(now.to_string())
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn swap(conn: &mut Conn, id: &str) -> Result<Option<Swap>> {
    let mut sql = crate::Sql::new(SWAPS);
    sql.push("w.id = ").text(id);
    Ok(sql.query_as().fetch_optional(conn).await?)
}

/// A rota's swaps waiting for a decision, the soonest shift first.
pub async fn pending_swaps(conn: &mut Conn, rota_id: &str) -> Result<Vec<Swap>> {
    let mut sql = crate::Sql::new(SWAPS);
    sql.push("w.rota_id = ")
        .text(rota_id)
        .push(" AND w.status = 'pending' ORDER BY s.starts_at");
    Ok(sql.query_as().fetch_all(conn).await?)
}

/// The swaps a worker asked for that wait, or were decided, for shifts
/// not yet ended.
pub async fn swaps_asked_by(conn: &mut Conn, worker_id: &str, now: &str) -> Result<Vec<Swap>> {
    let mut sql = crate::Sql::new(SWAPS);
    sql.push("w.asked_by = ")
        .text(worker_id)
        .push(" AND s.ends_at > ")
        .text(now)
        .push(" ORDER BY s.starts_at");
    Ok(sql.query_as().fetch_all(conn).await?)
}

pub async fn decide_swap(
    conn: &mut Conn,
    id: &str,
    status: &str,
    by: &str,
    now: &str,
) -> Result<()> {
    sqlx::query(
        "UPDATE duty_swaps SET status = $1, decided_by = $2, decided_at = $3 WHERE id = $4 AND status = 'pending'",
    )
    .bind(status.to_string())
    .bind(by.to_string())
    .bind(now.to_string())
    .bind(id.to_string())
    .execute(conn)
    .await?;
    Ok(())
}

/// A duty request, with who it is about.
#[derive(Debug, Clone, FromRow, PartialEq, Eq, Default)]
pub struct Request {
    pub id: String,
    pub rota_id: String,
    pub service_id: String,
    pub source: String,
    pub urgency: String,
    pub received_at: String,
    pub target_at: String,
    pub person_id: String,
    pub given_name: String,
    pub family_name: String,
    pub asked: String,
    pub taken_by: String,
    pub taken_by_name: String,
    pub actioned_at: Option<String>,
    pub outcome: Option<String>,
    pub outcome_note: String,
    pub recorded_at: String,
    /// The referral taken from it, when its outcome took one.
    pub referral_id: Option<String>,
    /// A sender's own reference, when it came over the API.
    pub sender_id: Option<String>,
    pub sender_reference: Option<String>,
}

const REQUEST_COLUMNS: &str = "q.id, q.rota_id, q.service_id, q.source, q.urgency,
    q.received_at, q.target_at, q.person_id, p.given_name, p.family_name, q.asked, q.taken_by,
    COALESCE(u.display_name, o.name, '') AS taken_by_name, q.actioned_at, q.outcome,
    q.outcome_note, q.recorded_at, q.referral_id, q.sender_id, q.sender_reference";

const REQUEST_FROM: &str = "FROM duty_requests q JOIN people p ON p.id = q.person_id
    LEFT JOIN users u ON u.id = q.taken_by
    LEFT JOIN organisations o ON o.id = q.sender_id
    WHERE ";

/// The requests as a list pages them.
const REQUEST_LISTING: crate::paging::Listing = crate::paging::Listing {
    columns: REQUEST_COLUMNS,
    from: REQUEST_FROM,
    count_from: "FROM duty_requests q WHERE ",
    id: "q.id",
};

fn requests_where() -> crate::Sql {
    crate::Sql::new(&format!("SELECT {REQUEST_COLUMNS} {REQUEST_FROM}"))
}

/// Records a request; `sender_content` is what a sender sent, as canonical
/// JSON, to tell a resend from a different request under one reference.
pub async fn insert_request(
    conn: &mut Conn,
    q: &Request,
    sender_content: Option<&str>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO duty_requests (id, rota_id, service_id, source, urgency, received_at,
            target_at, person_id, asked, taken_by, recorded_at, sender_id, sender_reference,
            sender_content)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
    )
    .bind(q.id.clone())
    .bind(q.rota_id.clone())
    .bind(q.service_id.clone())
    .bind(q.source.clone())
    .bind(q.urgency.clone())
    .bind(q.received_at.clone())
    .bind(q.target_at.clone())
    .bind(q.person_id.clone())
    .bind(q.asked.clone())
    .bind(q.taken_by.clone())
    .bind(q.recorded_at.clone())
    .bind(q.sender_id.clone())
    .bind(q.sender_reference.clone())
    .bind(sender_content.map(str::to_string))
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn request(conn: &mut Conn, id: &str) -> Result<Option<Request>> {
    let mut sql = requests_where();
    sql.push("q.id = ").text(id);
    Ok(sql.query_as().fetch_optional(conn).await?)
}

/// A rota's requests received from one instant to another, the latest first.
pub async fn requests_between(
    conn: &mut Conn,
    rota_id: &str,
    from: &str,
    to: &str,
) -> Result<Vec<Request>> {
    let mut sql = requests_where();
    sql.push("q.rota_id = ")
        .text(rota_id)
        .push(" AND q.received_at >= ")
        .text(from)
        .push(" AND q.received_at < ")
        .text(to)
        .push(" ORDER BY q.received_at DESC");
    Ok(sql.query_as().fetch_all(conn).await?)
}

/// A page of a rota's requests received from one instant to another, of
/// the services given, the latest first unless asked.
#[allow(clippy::too_many_arguments)]
pub async fn page_of_requests(
    conn: &mut Conn,
    rota_id: &str,
    services: &[String],
    from: &str,
    to: &str,
    descending: bool,
    start: &crate::paging::Start,
    size: i64,
) -> Result<crate::paging::Page<Request>> {
    let conditions = |sql: &mut crate::Sql| {
        sql.push("q.rota_id = ")
            .text(rota_id)
            .push(" AND q.received_at >= ")
            .text(from)
            .push(" AND q.received_at < ")
            .text(to)
            .push(" AND q.service_id IN (");
        if services.is_empty() {
            sql.push("NULL");
        }
        for (i, service) in services.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.text(service.clone());
        }
        sql.push(")");
    };
    let order = crate::paging::Order {
        key: "q.received_at",
        descending,
    };
    crate::paging::page(conn, &REQUEST_LISTING, &conditions, order, start, size).await
}

pub async fn action_request(
    conn: &mut Conn,
    id: &str,
    actioned_at: &str,
    outcome: &str,
    note: &str,
    referral_id: Option<&str>,
) -> Result<()> {
    sqlx::query(
        "UPDATE duty_requests SET actioned_at = $1, outcome = $2, outcome_note = $3,
            referral_id = $4 WHERE id = $5",
    )
    .bind(actioned_at.to_string())
    .bind(outcome.to_string())
    .bind(note.to_string())
    .bind(referral_id.map(str::to_string))
    .bind(id.to_string())
    .execute(conn)
    .await?;
    Ok(())
}

/// A sender's request under their own reference, with what they sent.
pub async fn request_by_sender(
    conn: &mut Conn,
    sender_id: &str,
    reference: &str,
) -> Result<Option<(Request, Option<String>)>> {
    let mut sql = requests_where();
    sql.push("q.sender_id = ")
        .text(sender_id)
        .push(" AND q.sender_reference = ")
        .text(reference);
    let Some(request): Option<Request> = sql.query_as().fetch_optional(&mut *conn).await? else {
        return Ok(None);
    };
    let content: Option<(Option<String>,)> =
        sqlx::query_as("SELECT sender_content FROM duty_requests WHERE id = $1")
            .bind(request.id.clone())
            .fetch_optional(conn)
            .await?;
    Ok(Some((request, content.and_then(|c| c.0))))
}

/// A case opened on duty: who holds it on duty, and when it is to be (or
/// was) handed over, and to whom.
#[derive(Debug, Clone, FromRow, PartialEq, Eq, Default)]
pub struct DutyCase {
    pub case_id: String,
    pub rota_id: String,
    pub request_id: String,
    pub service_id: String,
    pub duty_worker_id: String,
    pub duty_worker_name: String,
    pub opened_at: String,
    pub hand_over_by: String,
    pub handed_over_at: Option<String>,
    pub handed_to: Option<String>,
    pub handed_to_name: Option<String>,
    /// The referral's reference, to name the case without its victim.
    pub reference: String,
}

const DUTY_CASES: &str = "SELECT d.case_id, d.rota_id, d.request_id, d.service_id,
    d.duty_worker_id, w.display_name AS duty_worker_name, d.opened_at, d.hand_over_by,
    d.handed_over_at, d.handed_to, t.display_name AS handed_to_name, r.reference
    FROM duty_cases d
    JOIN users w ON w.id = d.duty_worker_id
    LEFT JOIN users t ON t.id = d.handed_to
    JOIN cases c ON c.id = d.case_id
    JOIN referrals r ON r.id = c.referral_id
    WHERE ";

pub async fn insert_duty_case(conn: &mut Conn, d: &DutyCase) -> Result<()> {
    sqlx::query(
        "INSERT INTO duty_cases (case_id, rota_id, request_id, service_id, duty_worker_id,
            opened_at, hand_over_by) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(d.case_id.clone())
    .bind(d.rota_id.clone())
    .bind(d.request_id.clone())
    .bind(d.service_id.clone())
    .bind(d.duty_worker_id.clone())
    .bind(d.opened_at.clone())
    .bind(d.hand_over_by.clone())
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn duty_case(conn: &mut Conn, case_id: &str) -> Result<Option<DutyCase>> {
    let mut sql = crate::Sql::new(DUTY_CASES);
    sql.push("d.case_id = ").text(case_id);
    Ok(sql.query_as().fetch_optional(conn).await?)
}

/// A rota's cases opened on duty and not yet handed over, the soonest due
/// first.
pub async fn duty_cases_waiting(conn: &mut Conn, rota_id: &str) -> Result<Vec<DutyCase>> {
    let mut sql = crate::Sql::new(DUTY_CASES);
    sql.push("d.rota_id = ")
        .text(rota_id)
        .push(" AND d.handed_over_at IS NULL ORDER BY d.hand_over_by, d.opened_at");
    Ok(sql.query_as().fetch_all(conn).await?)
}

/// Every rota's cases opened on duty, not handed over, whose handover time
/// is `now` or earlier.
pub async fn duty_cases_past(conn: &mut Conn, now: &str) -> Result<Vec<DutyCase>> {
    let mut sql = crate::Sql::new(DUTY_CASES);
    sql.push("d.handed_over_at IS NULL AND d.hand_over_by <= ")
        .text(now)
        .push(" ORDER BY d.rota_id, d.hand_over_by");
    Ok(sql.query_as().fetch_all(conn).await?)
}

/// Records the handover; false when it had already been handed over.
pub async fn hand_over(
    conn: &mut Conn,
    case_id: &str,
    to: &str,
    by: &str,
    now: &str,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE duty_cases SET handed_over_at = $1, handed_to = $2, handed_by = $3
         WHERE case_id = $4 AND handed_over_at IS NULL",
    )
    .bind(now.to_string())
    .bind(to.to_string())
    .bind(by.to_string())
    .bind(case_id.to_string())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
