//! Cases and their casework: needs, plan, contacts, notes, tasks, onward
//! referrals, status history and outcomes.

use domain::policy::Visibility;
use sqlx::FromRow;

use crate::paging::{Listing, Order, Page, Start, page};
use crate::sql::ScopeColumns;
use crate::{Conn, Result, Sql};

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct Case {
    pub id: String,
    pub referral_id: String,
    pub reference: String,
    pub service_id: String,
    pub service_name: String,
    pub person_id: String,
    pub given_name: String,
    pub family_name: String,
    pub caseworker_id: Option<String>,
    pub caseworker_name: Option<String>,
    pub status: String,
    pub opened_at: String,
    pub closed_at: Option<String>,
    pub closure_reason: Option<String>,
    pub satisfaction: Option<String>,
    pub enhanced: i64,
    pub consent: String,
    pub crime_type_label: String,
    /// Where the case sits for the policy beyond its service.
    pub caseworker_team_id: Option<String>,
    pub commissioner_region_id: Option<String>,
    pub restricted: i64,
    /// The level of the latest risk assessment; none when there is none,
    /// or it was incomplete (then `risk_review_on` is set).
    pub risk_level: Option<String>,
    pub risk_review_on: Option<String>,
}

pub const CASE_SCOPE: ScopeColumns = ScopeColumns {
    organisation: Some("s.organisation_id"),
    service: Some("c.service_id"),
    commissioner: Some("s.commissioner_id"),
    region: Some("(SELECT ro.region_id FROM organisations ro WHERE ro.id = s.commissioner_id)"),
    team: Some("(SELECT tu.team_id FROM users tu WHERE tu.id = c.caseworker_id)"),
    worker: Some("c.caseworker_id"),
    restricted: Some("c.restricted"),
};

macro_rules! case_columns {
    () => {
        "c.id, c.referral_id, r.reference, c.service_id, s.name AS service_name, c.person_id,
        p.given_name, p.family_name, c.caseworker_id, u.display_name AS caseworker_name, c.status, c.opened_at,
        c.closed_at, c.closure_reason, c.satisfaction, r.enhanced, r.consent, ct.label AS crime_type_label,
        u.team_id AS caseworker_team_id,
        (SELECT ro.region_id FROM organisations ro WHERE ro.id = s.commissioner_id) AS commissioner_region_id,
        c.restricted, c.risk_level, c.risk_review_on"
    };
}

macro_rules! case_from {
    () => {
        "FROM cases c
    JOIN referrals r ON r.id = c.referral_id
    JOIN services s ON s.id = c.service_id
    JOIN people p ON p.id = c.person_id
    JOIN crime_types ct ON ct.code = r.crime_type
    LEFT JOIN users u ON u.id = c.caseworker_id
    WHERE "
    };
}

const SELECT: &str = concat!("SELECT ", case_columns!(), " ", case_from!());

/// The case list, for paging: each case with when it was last contacted.
pub const LISTING: Listing = Listing {
    columns: concat!(
        case_columns!(),
        ", ",
        "(SELECT MAX(cc.contacted_at) FROM case_contacts cc WHERE cc.case_id = c.id) AS last_contact_at"
    ),
    from: case_from!(),
    // The filters name cases, their service (the scope) and their referral
    // (crime type, area): a count of a caseworker's thousands joins no more.
    count_from: "FROM cases c JOIN services s ON s.id = c.service_id
        JOIN referrals r ON r.id = c.referral_id WHERE ",
    id: "c.id",
};

/// The case list when no filter names its referral: its count reads only
/// cases and their service.
const LISTING_OF_CASES_ONLY: Listing = Listing {
    count_from: "FROM cases c JOIN services s ON s.id = c.service_id WHERE ",
    ..LISTING
};

/// Opens a case; `today` is the UK date, kept for counting by period.
pub async fn insert(
    conn: &mut Conn,
    id: &str,
    referral_id: &str,
    service_id: &str,
    person_id: &str,
    now: &str,
    today: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO cases (id, referral_id, service_id, person_id, status, opened_at, opened_on,
            referral_received_on, enhanced)
         SELECT $1, r.id, $3, $4, 'open', $5, $6, r.received_on, r.enhanced
         FROM referrals r WHERE r.id = $2",
    )
    .bind(id.to_string())
    .bind(referral_id.to_string())
    .bind(service_id.to_string())
    .bind(person_id.to_string())
    .bind(now.to_string())
    .bind(today.to_string())
    .execute(&mut *conn)
    .await?;
    crate::people::copy_person(conn, crate::people::CopiesPerson::Cases, &[id]).await?;
    relink_person(conn, person_id).await
}

pub async fn find_visible(
    conn: &mut Conn,
    id: &str,
    visibility: &Visibility,
) -> Result<Option<Case>> {
    let mut sql = Sql::new(SELECT);
    sql.push("c.id = ").text(id).push(" AND ");
    sql.scope(visibility, &CASE_SCOPE);
    Ok(sql.query_as().fetch_optional(conn).await?)
}

/// Every case of a person, the latest first.
/// The case of a service with a reference (its referral's), if any.
pub async fn find_by_reference(
    conn: &mut Conn,
    service_id: &str,
    reference: &str,
) -> Result<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT c.id FROM cases c JOIN referrals r ON r.id = c.referral_id
         WHERE c.service_id = $1 AND r.reference = $2",
    )
    .bind(service_id.to_string())
    .bind(reference.to_string())
    .fetch_optional(conn)
    .await?)
}

pub async fn cases_of_person(conn: &mut Conn, person_id: &str) -> Result<Vec<Case>> {
    let mut sql = Sql::new(SELECT);
    sql.push("c.person_id = ")
        .text(person_id)
        .push(" ORDER BY c.opened_at DESC");
    Ok(sql.query_as().fetch_all(conn).await?)
}

pub async fn find_by_referral(conn: &mut Conn, referral_id: &str) -> Result<Option<Case>> {
    let mut sql = Sql::new(SELECT);
    sql.push("c.referral_id = ").text(referral_id);
    Ok(sql.query_as().fetch_optional(conn).await?)
}

/// A case in a list, with when it was last contacted.
#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct ListedCase {
    #[sqlx(flatten)]
    pub case: Case,
    pub last_contact_at: Option<String>,
}

/// How the case list may be ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CaseSort {
    #[default]
    Opened,
    Name,
    Caseworker,
    LastContact,
    /// By the current risk level: none, incomplete, standard, medium, high.
    Risk,
    /// By when the risk assessment is due for review; none last.
    Review,
}

impl CaseSort {
    fn key(self) -> &'static str {
        match self {
            CaseSort::Opened => "c.opened_at",
            CaseSort::Name => "c.name_order",
            CaseSort::Caseworker => "COALESCE(LOWER(u.display_name), '')",
            CaseSort::Risk => "c.risk_order",
            CaseSort::Review => "COALESCE(c.risk_review_on, '9999-12-31')",
            CaseSort::LastContact => {
                "COALESCE((SELECT MAX(lc.contacted_at) FROM case_contacts lc WHERE lc.case_id = c.id), '')"
            }
        }
    }
}

/// Whose cases a list shows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum WorkerFilter {
    #[default]
    Anyone,
    Unallocated,
    Worker(String),
}

/// Which cases a list shows.
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    pub status: Option<String>,
    pub worker: WorkerFilter,
    pub crime_type: Option<String>,
    /// The area its referral concerns.
    pub area_id: Option<String>,
}

/// A page of the cases within the visibility that the filter lets through.
pub async fn list(
    conn: &mut Conn,
    visibility: &Visibility,
    filter: &CaseFilter,
    sort: CaseSort,
    descending: bool,
    start: &Start,
    size: i64,
) -> Result<Page<ListedCase>> {
    let conditions = |sql: &mut Sql| {
        sql.scope(visibility, &CASE_SCOPE);
        if let Some(status) = &filter.status {
            sql.push(" AND c.status = ").text(status.clone());
        }
        match &filter.worker {
            WorkerFilter::Anyone => {}
            WorkerFilter::Unallocated => {
                sql.push(" AND c.caseworker_id IS NULL");
            }
            WorkerFilter::Worker(id) => {
                sql.push(" AND c.caseworker_id = ").text(id.clone());
            }
        }
        crate::referrals::crime_and_area(
            sql,
            filter.crime_type.as_deref(),
            filter.area_id.as_deref(),
        );
    };
    let order = Order {
        key: sort.key(),
        descending,
    };
    let listing = if filter.crime_type.is_none() && filter.area_id.is_none() {
        &LISTING_OF_CASES_ONLY
    } else {
        &LISTING
    };
    page(conn, listing, &conditions, order, start, size).await
}

/// Open cases per caseworker (and unallocated), for team leaders.
#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct Caseload {
    pub caseworker_id: Option<String>,
    pub caseworker_name: Option<String>,
    pub open_cases: i64,
}

pub async fn caseloads(conn: &mut Conn, visibility: &Visibility) -> Result<Vec<Caseload>> {
    let mut sql = Sql::new(
        "SELECT c.caseworker_id, u.display_name AS caseworker_name, CAST(COUNT(*) AS BIGINT) AS open_cases
         FROM cases c JOIN services s ON s.id = c.service_id LEFT JOIN users u ON u.id = c.caseworker_id
         WHERE c.status = 'open' AND ",
    );
    sql.scope(visibility, &CASE_SCOPE);
    sql.push(" GROUP BY c.caseworker_id, u.display_name ORDER BY u.display_name");
    Ok(sql.query_as().fetch_all(conn).await?)
}

/// Open tasks overdue on `today`, per caseworker the case is allocated to.
pub async fn overdue_tasks_by_worker(
    conn: &mut Conn,
    visibility: &Visibility,
    today: &str,
) -> Result<Vec<(Option<String>, i64)>> {
    let mut sql = Sql::new(
        "SELECT c.caseworker_id, CAST(COUNT(*) AS BIGINT)
         FROM tasks t JOIN cases c ON c.id = t.case_id JOIN services s ON s.id = c.service_id
         WHERE t.done_at IS NULL AND c.status = 'open' AND t.due_on < ",
    );
    sql.text(today).push(" AND ");
    sql.scope(visibility, &CASE_SCOPE);
    sql.push(" GROUP BY c.caseworker_id");
    Ok(sql.query_as().fetch_all(conn).await?)
}

/// An overdue task, with whose case it is on.
#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct OverdueTask {
    pub id: String,
    pub case_id: String,
    pub reference: String,
    pub title: String,
    pub due_on: String,
    pub caseworker_name: Option<String>,
}

/// The team's open tasks overdue on `today`, the longest overdue first.
pub async fn overdue_tasks(
    conn: &mut Conn,
    visibility: &Visibility,
    today: &str,
    limit: i64,
) -> Result<Vec<OverdueTask>> {
    let mut sql = Sql::new(
        "SELECT t.id, t.case_id, r.reference, t.title, t.due_on, u.display_name AS caseworker_name
         FROM tasks t JOIN cases c ON c.id = t.case_id JOIN services s ON s.id = c.service_id
         JOIN referrals r ON r.id = c.referral_id LEFT JOIN users u ON u.id = c.caseworker_id
         WHERE t.done_at IS NULL AND c.status = 'open' AND t.due_on < ",
    );
    sql.text(today).push(" AND ");
    sql.scope(visibility, &CASE_SCOPE);
    sql.push(" ORDER BY t.due_on, t.id LIMIT ").int(limit);
    Ok(sql.query_as().fetch_all(conn).await?)
}

/// How many cases were open at the end of each of `days` (oldest first), in
/// one pass over the cases open at some time between the first and the last.
pub async fn open_at_ends(
    conn: &mut Conn,
    visibility: &Visibility,
    days: &[String],
) -> Result<Vec<i64>> {
    let (Some(first), Some(last)) = (days.first(), days.last()) else {
        return Ok(Vec::new());
    };
    let mut sql = Sql::new("SELECT ");
    for (i, day) in days.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.push("CAST(COALESCE(SUM(CASE WHEN c.opened_on <= ")
            .text(day.clone())
            .push(" AND (c.closed_on IS NULL OR c.closed_on > ")
            .text(day.clone())
            .push(") THEN 1 ELSE 0 END), 0) AS BIGINT)");
    }
    sql.push(" FROM cases c JOIN services s ON s.id = c.service_id WHERE c.opened_on <= ")
        .text(last.clone())
        .push(" AND (c.closed_on IS NULL OR c.closed_on > ")
        .text(first.clone())
        .push(") AND ");
    sql.scope(visibility, &CASE_SCOPE);
    let row = sql.query().fetch_one(conn).await?;
    (0..days.len())
        .map(|i| Ok(sqlx::Row::try_get::<i64, _>(&row, i)?))
        .collect()
}

pub async fn set_caseworker(conn: &mut Conn, id: &str, caseworker: &str) -> Result<()> {
    sqlx::query("UPDATE cases SET caseworker_id = $1 WHERE id = $2")
        .bind(caseworker.to_string())
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

/// Keeps a person's cases linked in time after one opens or closes: each
/// case's `previous_opened_on` (when the person's previous case opened) and
/// `next_closed_on` (when their next closure came), which let the MoJ
/// return count each person once. A person has a handful of cases, so all
/// of them are read and those that changed written back.
pub async fn relink_person(conn: &mut Conn, person_id: &str) -> Result<()> {
    #[derive(FromRow)]
    struct Link {
        id: String,
        opened_on: String,
        closed_on: Option<String>,
        previous_opened_on: Option<String>,
        next_closed_on: Option<String>,
    }
    let cases: Vec<Link> = sqlx::query_as(
        "SELECT id, opened_on, closed_on, previous_opened_on, next_closed_on FROM cases WHERE person_id = $1",
    )
    .bind(person_id.to_string())
    .fetch_all(&mut *conn)
    .await?;
    for case in &cases {
        // Ties on the day are broken by id, so exactly one case comes first.
        let previous = cases
            .iter()
            .filter(|c| (&c.opened_on, &c.id) < (&case.opened_on, &case.id))
            .map(|c| c.opened_on.clone())
            .max();
        let next = case.closed_on.as_ref().and_then(|closed| {
            cases
                .iter()
                .filter_map(|c| c.closed_on.as_ref().map(|on| (on, &c.id)))
                .filter(|later| *later > (closed, &case.id))
                .map(|(on, _)| on.clone())
                .min()
        });
        if previous != case.previous_opened_on || next != case.next_closed_on {
            sqlx::query(
                "UPDATE cases SET previous_opened_on = $1, next_closed_on = $2 WHERE id = $3",
            )
            .bind(previous)
            .bind(next.clone())
            .bind(case.id.clone())
            .execute(&mut *conn)
            .await?;
            if next != case.next_closed_on {
                sqlx::query("UPDATE case_outcomes SET next_closed_on = $1 WHERE case_id = $2")
                    .bind(next)
                    .bind(case.id.clone())
                    .execute(&mut *conn)
                    .await?;
            }
        }
    }
    Ok(())
}

/// The same for every person with more than one case, in one pass (after
/// generating a data set).
pub async fn relink_everyone(conn: &mut Conn) -> Result<()> {
    // Only people with more than one case have anything to link.
    sqlx::query(
        "UPDATE cases SET previous_opened_on = (
            SELECT MAX(c2.opened_on) FROM cases c2
            WHERE c2.person_id = cases.person_id AND c2.id <> cases.id
              AND (c2.opened_on < cases.opened_on OR (c2.opened_on = cases.opened_on AND c2.id < cases.id)))
         WHERE person_id IN (SELECT person_id FROM cases GROUP BY person_id HAVING COUNT(*) > 1)",
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE cases SET next_closed_on = (
            SELECT MIN(c2.closed_on) FROM cases c2
            WHERE c2.person_id = cases.person_id AND c2.id <> cases.id AND c2.closed_on IS NOT NULL
              AND (c2.closed_on > cases.closed_on OR (c2.closed_on = cases.closed_on AND c2.id > cases.id)))
         WHERE closed_on IS NOT NULL
           AND person_id IN (SELECT person_id FROM cases GROUP BY person_id HAVING COUNT(*) > 1)",
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE case_outcomes SET next_closed_on = (
            SELECT k.next_closed_on FROM cases k WHERE k.id = case_outcomes.case_id)
         WHERE case_id IN (SELECT id FROM cases WHERE next_closed_on IS NOT NULL)",
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn close(
    conn: &mut Conn,
    id: &str,
    reason: &str,
    satisfaction: &str,
    now: &str,
    today: &str,
) -> Result<()> {
    sqlx::query(
        "UPDATE cases SET status = 'closed', closed_at = $1, closure_reason = $2, satisfaction = $3, closed_on = $5
         WHERE id = $4",
    )
        .bind(now.to_string())
        .bind(reason.to_string())
        .bind(satisfaction.to_string())
        .bind(id.to_string())
        .bind(today.to_string())
        .execute(&mut *conn)
        .await?;
    // The answers recorded at closing take the case's service and day.
    sqlx::query(
        "UPDATE case_outcomes SET closed_on = $1,
            service_id = (SELECT k.service_id FROM cases k WHERE k.id = case_outcomes.case_id)
         WHERE case_id = $2",
    )
    .bind(today.to_string())
    .bind(id.to_string())
    .execute(&mut *conn)
    .await?;
    let person_id: String = sqlx::query_scalar("SELECT person_id FROM cases WHERE id = $1")
        .bind(id.to_string())
        .fetch_one(&mut *conn)
        .await?;
    relink_person(conn, &person_id).await
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct StatusChange {
    pub status: String,
    pub note: Option<String>,
    pub changed_by_name: Option<String>,
    pub changed_at: String,
}

pub async fn add_status(
    conn: &mut Conn,
    id: &str,
    case_id: &str,
    status: &str,
    note: Option<&str>,
    by: &str,
    now: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO case_status_history (id, case_id, status, note, changed_by, changed_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id.to_string())
    .bind(case_id.to_string())
    .bind(status.to_string())
    .bind(note.map(str::to_string))
    .bind(by.to_string())
    .bind(now.to_string())
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn status_history(conn: &mut Conn, case_id: &str) -> Result<Vec<StatusChange>> {
    Ok(sqlx::query_as(
        "SELECT h.status, h.note, u.display_name AS changed_by_name, h.changed_at
         FROM case_status_history h LEFT JOIN users u ON u.id = h.changed_by
         WHERE h.case_id = $1 ORDER BY h.changed_at",
    )
    .bind(case_id.to_string())
    .fetch_all(conn)
    .await?)
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct Need {
    pub area: String,
    pub level: String,
    pub notes: Option<String>,
}

pub async fn set_need(
    conn: &mut Conn,
    case_id: &str,
    need: &Need,
    by: &str,
    now: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO case_needs (case_id, area, level, notes, assessed_by, assessed_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (case_id, area) DO UPDATE SET level = $3, notes = $4, assessed_by = $5, assessed_at = $6",
    )
    .bind(case_id.to_string())
    .bind(need.area.clone())
    .bind(need.level.clone())
    .bind(need.notes.clone())
    .bind(by.to_string())
    .bind(now.to_string())
    .execute(&mut *conn)
    .await?;
    mark_tailored(conn, case_id).await
}

pub async fn needs(conn: &mut Conn, case_id: &str) -> Result<Vec<Need>> {
    Ok(
        sqlx::query_as("SELECT area, level, notes FROM case_needs WHERE case_id = $1")
            .bind(case_id.to_string())
            .fetch_all(conn)
            .await?,
    )
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct PlanItem {
    pub id: String,
    pub goal_id: Option<String>,
    pub need_area: Option<String>,
    pub description: String,
    pub due_on: Option<String>,
    pub done_on: Option<String>,
}

pub async fn add_plan_item(
    conn: &mut Conn,
    case_id: &str,
    item: &PlanItem,
    now: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO plan_items (id, case_id, goal_id, need_area, description, due_on, done_on, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(item.id.clone())
    .bind(case_id.to_string())
    .bind(item.goal_id.clone())
    .bind(item.need_area.clone())
    .bind(item.description.clone())
    .bind(item.due_on.clone())
    .bind(item.done_on.clone())
    .bind(now.to_string())
    .execute(&mut *conn)
    .await?;
    mark_tailored(conn, case_id).await
}

pub async fn plan(conn: &mut Conn, case_id: &str) -> Result<Vec<PlanItem>> {
    Ok(sqlx::query_as(
        "SELECT id, goal_id, need_area, description, due_on, done_on FROM plan_items WHERE case_id = $1 ORDER BY created_at",
    )
    .bind(case_id.to_string())
    .fetch_all(conn)
    .await?)
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct Contact {
    pub id: String,
    pub kind: String,
    pub channel: String,
    pub duration_minutes: i64,
    pub notes: Option<String>,
    /// When it happened.
    pub contacted_at: String,
    /// When it was entered, if later than it happened.
    pub recorded_at: Option<String>,
    pub user_name: Option<String>,
}

pub async fn add_contact(conn: &mut Conn, case_id: &str, c: &Contact, user_id: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO case_contacts (id, case_id, kind, channel, duration_minutes, notes, contacted_at, user_id,
            recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(c.id.clone())
    .bind(case_id.to_string())
    .bind(c.kind.clone())
    .bind(c.channel.clone())
    .bind(c.duration_minutes)
    .bind(c.notes.clone())
    .bind(c.contacted_at.clone())
    .bind(user_id.to_string())
    .bind(c.recorded_at.clone())
    .execute(&mut *conn)
    .await?;
    mark_tailored(conn, case_id).await
}

/// Notes on the case that it has had tailored support (see migration 27).
pub(crate) async fn mark_tailored(conn: &mut Conn, case_id: &str) -> Result<()> {
    sqlx::query("UPDATE cases SET tailored = 1 WHERE id = $1 AND tailored = 0")
        .bind(case_id.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn contacts(conn: &mut Conn, case_id: &str) -> Result<Vec<Contact>> {
    Ok(sqlx::query_as(
        "SELECT k.id, k.kind, k.channel, k.duration_minutes, k.notes, k.contacted_at, k.recorded_at,
            u.display_name AS user_name
         FROM case_contacts k LEFT JOIN users u ON u.id = k.user_id WHERE k.case_id = $1 ORDER BY k.contacted_at",
    )
    .bind(case_id.to_string())
    .fetch_all(conn)
    .await?)
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct Note {
    pub id: String,
    pub body: String,
    pub sensitive: i64,
    pub created_by_name: Option<String>,
    pub created_at: String,
}

pub async fn add_note(
    conn: &mut Conn,
    id: &str,
    case_id: &str,
    body: &str,
    sensitive: bool,
    by: &str,
    now: &str,
) -> Result<()> {
    sqlx::query("INSERT INTO case_notes (id, case_id, body, sensitive, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(id.to_string())
        .bind(case_id.to_string())
        .bind(body.to_string())
        .bind(crate::flag(sensitive))
        .bind(by.to_string())
        .bind(now.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn notes(conn: &mut Conn, case_id: &str) -> Result<Vec<Note>> {
    Ok(sqlx::query_as(
        "SELECT n.id, n.body, n.sensitive, u.display_name AS created_by_name, n.created_at
         FROM case_notes n LEFT JOIN users u ON u.id = n.created_by WHERE n.case_id = $1 ORDER BY n.created_at",
    )
    .bind(case_id.to_string())
    .fetch_all(conn)
    .await?)
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct Task {
    pub id: String,
    pub case_id: String,
    pub reference: String,
    pub title: String,
    pub due_on: String,
    pub assigned_to: Option<String>,
    pub done_at: Option<String>,
    /// `cancelled` for a task ended without being done.
    pub outcome: Option<String>,
}

pub async fn add_task(
    conn: &mut Conn,
    id: &str,
    case_id: &str,
    title: &str,
    due_on: &str,
    assigned_to: Option<&str>,
    now: &str,
) -> Result<()> {
    sqlx::query("INSERT INTO tasks (id, case_id, title, due_on, assigned_to, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(id.to_string())
        .bind(case_id.to_string())
        .bind(title.to_string())
        .bind(due_on.to_string())
        .bind(assigned_to.map(str::to_string))
        .bind(now.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

const TASK_SELECT: &str =
    "SELECT t.id, t.case_id, r.reference, t.title, t.due_on, t.assigned_to, t.done_at, t.outcome
    FROM tasks t JOIN cases c ON c.id = t.case_id JOIN referrals r ON r.id = c.referral_id WHERE ";

pub async fn tasks_of_case(conn: &mut Conn, case_id: &str) -> Result<Vec<Task>> {
    let mut sql = Sql::new(TASK_SELECT);
    sql.push("t.case_id = ")
        .text(case_id)
        .push(" ORDER BY t.due_on");
    Ok(sql.query_as().fetch_all(conn).await?)
}

/// Open tasks assigned to a user, soonest first.
/// The columns and tables of a listed task.
pub const TASK_LISTING: Listing = Listing {
    columns: "t.id, t.case_id, r.reference, t.title, t.due_on, t.assigned_to, t.done_at, t.outcome",
    from: "FROM tasks t JOIN cases c ON c.id = t.case_id JOIN referrals r ON r.id = c.referral_id WHERE ",
    count_from: "FROM tasks t JOIN cases c ON c.id = t.case_id WHERE ",
    id: "t.id",
};

/// How someone's own task list may be ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TaskSort {
    #[default]
    Due,
    Case,
    Title,
}

impl TaskSort {
    fn key(self) -> &'static str {
        match self {
            TaskSort::Due => "t.due_on",
            TaskSort::Case => "r.reference",
            TaskSort::Title => "LOWER(t.title)",
        }
    }
}

/// A page of someone's open tasks. A closed case's tasks are nobody's
/// work, whatever became of them.
pub async fn page_of_open_tasks(
    conn: &mut Conn,
    user_id: &str,
    sort: TaskSort,
    descending: bool,
    start: &Start,
    size: i64,
) -> Result<Page<Task>> {
    let user_id = user_id.to_string();
    let conditions = move |sql: &mut Sql| {
        sql.push("t.assigned_to = ")
            .text(user_id.clone())
            .push(" AND t.done_at IS NULL AND c.status = 'open'");
    };
    let order = Order {
        key: sort.key(),
        descending,
    };
    page(conn, &TASK_LISTING, &conditions, order, start, size).await
}

pub async fn complete_task(conn: &mut Conn, id: &str, case_id: &str, now: &str) -> Result<bool> {
    Ok(sqlx::query(
        "UPDATE tasks SET done_at = $1, outcome = 'done' WHERE id = $2 AND case_id = $3 AND done_at IS NULL",
    )
    .bind(now.to_string())
    .bind(id.to_string())
    .bind(case_id.to_string())
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct OnwardReferral {
    pub id: String,
    pub agency: String,
    pub reason: String,
    pub consent_given: i64,
    pub override_reason: Option<String>,
    pub made_at: String,
}

pub async fn add_onward(
    conn: &mut Conn,
    case_id: &str,
    o: &OnwardReferral,
    by: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO onward_referrals (id, case_id, agency, reason, consent_given, override_reason, made_by, made_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(o.id.clone())
    .bind(case_id.to_string())
    .bind(o.agency.clone())
    .bind(o.reason.clone())
    .bind(o.consent_given)
    .bind(o.override_reason.clone())
    .bind(by.to_string())
    .bind(o.made_at.clone())
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn onward(conn: &mut Conn, case_id: &str) -> Result<Vec<OnwardReferral>> {
    Ok(sqlx::query_as(
        "SELECT id, agency, reason, consent_given, override_reason, made_at FROM onward_referrals WHERE case_id = $1 ORDER BY made_at",
    )
    .bind(case_id.to_string())
    .fetch_all(conn)
    .await?)
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct Outcome {
    pub measure: String,
    pub result: String,
}

/// Ends a case's open tasks as `done` or `cancelled`; how many ended.
pub async fn end_open_tasks(
    conn: &mut Conn,
    case_id: &str,
    outcome: &str,
    now: &str,
) -> Result<u64> {
    let done = sqlx::query(
        "UPDATE tasks SET done_at = $1, outcome = $2 WHERE case_id = $3 AND done_at IS NULL",
    )
    .bind(now.to_string())
    .bind(outcome.to_string())
    .bind(case_id.to_string())
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// How many of a case's tasks are still open.
pub async fn open_task_count(conn: &mut Conn, case_id: &str) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM tasks WHERE case_id = $1 AND done_at IS NULL",
    )
    .bind(case_id.to_string())
    .fetch_one(conn)
    .await?)
}

/// Opens a closed case again: its closure, and the answers given at it,
/// no longer stand, so the return counts the case when it next closes.
pub async fn reopen(conn: &mut Conn, id: &str, person_id: &str) -> Result<()> {
    sqlx::query(
        "UPDATE cases SET status = 'open', closed_at = NULL, closed_on = NULL, closure_reason = NULL,
            satisfaction = NULL WHERE id = $1",
    )
    .bind(id.to_string())
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM case_outcomes WHERE case_id = $1")
        .bind(id.to_string())
        .execute(&mut *conn)
        .await?;
    // The ratings at exit go with the closure; those at the start stand.
    sqlx::query("DELETE FROM case_ratings WHERE case_id = $1 AND stage = 'exit'")
        .bind(id.to_string())
        .execute(&mut *conn)
        .await?;
    relink_person(conn, person_id).await
}

/// How many open cases a caseworker holds.
pub async fn open_case_count(conn: &mut Conn, caseworker_id: &str) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM cases WHERE caseworker_id = $1 AND status = 'open'",
    )
    .bind(caseworker_id.to_string())
    .fetch_one(conn)
    .await?)
}

pub async fn set_outcome(conn: &mut Conn, case_id: &str, o: &Outcome) -> Result<()> {
    sqlx::query(
        "INSERT INTO case_outcomes (case_id, measure, result) VALUES ($1, $2, $3)
         ON CONFLICT (case_id, measure) DO UPDATE SET result = $3",
    )
    .bind(case_id.to_string())
    .bind(o.measure.clone())
    .bind(o.result.clone())
    .execute(conn)
    .await?;
    Ok(())
}

/// A measure's rating at one stage of a case: `start` or `exit`.
#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct Rating {
    pub measure: String,
    pub stage: String,
    pub rating: i64,
}

/// Records a measure's rating at a stage, replacing one given before.
pub async fn set_rating(
    conn: &mut Conn,
    case_id: &str,
    rating: &Rating,
    by: &str,
    now: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO case_ratings (case_id, measure, stage, rating, rated_by, rated_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (case_id, measure, stage) DO UPDATE SET rating = $4, rated_by = $5, rated_at = $6",
    )
    .bind(case_id.to_string())
    .bind(rating.measure.clone())
    .bind(rating.stage.clone())
    .bind(rating.rating)
    .bind(by.to_string())
    .bind(now.to_string())
    .execute(conn)
    .await?;
    Ok(())
}

/// A case's ratings, start and exit, by measure.
pub async fn ratings(conn: &mut Conn, case_id: &str) -> Result<Vec<Rating>> {
    Ok(sqlx::query_as(
        "SELECT measure, stage, rating FROM case_ratings WHERE case_id = $1 ORDER BY measure, stage DESC",
    )
    .bind(case_id.to_string())
    .fetch_all(conn)
    .await?)
}

pub async fn outcomes(conn: &mut Conn, case_id: &str) -> Result<Vec<Outcome>> {
    Ok(
        sqlx::query_as("SELECT measure, result FROM case_outcomes WHERE case_id = $1")
            .bind(case_id.to_string())
            .fetch_all(conn)
            .await?,
    )
}

/// A person linked to a case, as the case shows them.
#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct LinkedPerson {
    pub id: String,
    pub person_id: String,
    pub relationship: String,
    pub given_name: String,
    pub family_name: String,
    pub date_of_birth: Option<String>,
}

pub async fn link_person(
    conn: &mut Conn,
    id: &str,
    case_id: &str,
    person_id: &str,
    relationship: &str,
    now: &str,
) -> Result<()> {
    sqlx::query("INSERT INTO case_people (id, case_id, person_id, relationship, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(id.to_string())
        .bind(case_id.to_string())
        .bind(person_id.to_string())
        .bind(relationship.to_string())
        .bind(now.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn linked_people(conn: &mut Conn, case_id: &str) -> Result<Vec<LinkedPerson>> {
    Ok(sqlx::query_as(
        "SELECT l.id, l.person_id, l.relationship, p.given_name, p.family_name, p.date_of_birth
         FROM case_people l JOIN people p ON p.id = l.person_id WHERE l.case_id = $1 ORDER BY l.created_at",
    )
    .bind(case_id.to_string())
    .fetch_all(conn)
    .await?)
}

/// The cases a person is linked to and how, with each case's reference only.
#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct Link {
    pub case_id: String,
    pub reference: String,
    pub relationship: String,
}

pub async fn links_of_person(conn: &mut Conn, person_id: &str) -> Result<Vec<Link>> {
    Ok(sqlx::query_as(
        "SELECT l.case_id, r.reference, l.relationship
         FROM case_people l JOIN cases c ON c.id = l.case_id JOIN referrals r ON r.id = c.referral_id
         WHERE l.person_id = $1 ORDER BY l.created_at",
    )
    .bind(person_id.to_string())
    .fetch_all(conn)
    .await?)
}
