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
    /// The organisation whose members speak for the agency.
    pub organisation_id: Option<String>,
}

pub async fn insert_agency(conn: &mut Conn, a: &Agency) -> Result<()> {
    sqlx::query(
        "INSERT INTO marac_agencies (id, marac_id, name, kind, organisation_id) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(a.id.clone())
    .bind(a.marac_id.clone())
    .bind(a.name.clone())
    .bind(a.kind.clone())
    .bind(a.organisation_id.clone())
    .execute(conn)
    .await?;
    Ok(())
}

/// Corrects a MARAC's name, agenda order and minutes' due days.
pub async fn update_marac(conn: &mut Conn, m: &Marac) -> Result<()> {
    sqlx::query(
        "UPDATE maracs SET name = $1, agenda_order = $2, minutes_due_days = $3 WHERE id = $4",
    )
    .bind(m.name.clone())
    .bind(m.agenda_order.clone())
    .bind(m.minutes_due_days)
    .bind(m.id.clone())
    .execute(conn)
    .await?;
    Ok(())
}

/// Corrects an agency's name, kind and organisation.
pub async fn update_agency(conn: &mut Conn, a: &Agency) -> Result<()> {
    sqlx::query(
        "UPDATE marac_agencies SET name = $1, kind = $2, organisation_id = $3 WHERE id = $4 AND marac_id = $5",
    )
    .bind(a.name.clone())
    .bind(a.kind.clone())
    .bind(a.organisation_id.clone())
    .bind(a.id.clone())
    .bind(a.marac_id.clone())
    .execute(conn)
    .await?;
    Ok(())
}

/// The MARACs an organisation is a member agency of.
pub async fn maracs_of_organisation(conn: &mut Conn, organisation_id: &str) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT DISTINCT marac_id FROM marac_agencies WHERE organisation_id = $1 ORDER BY marac_id",
    )
    .bind(organisation_id.to_string())
    .fetch_all(conn)
    .await?)
}

pub async fn agencies(conn: &mut Conn, marac_id: &str) -> Result<Vec<Agency>> {
    Ok(sqlx::query_as(
        "SELECT id, marac_id, name, kind, organisation_id FROM marac_agencies WHERE marac_id = $1 ORDER BY name",
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
    pub minutes: String,
    pub minutes_recorded_at: Option<String>,
}

const MEETINGS: &str =
    "SELECT id, marac_id, meets_on, minutes, minutes_recorded_at FROM marac_meetings WHERE ";

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
    let mut sql = crate::Sql::new(MEETINGS);
    sql.push("marac_id = ")
        .text(marac_id)
        .push(" AND meets_on >= ")
        .text(from)
        .push(" ORDER BY meets_on");
    Ok(sql.query_as().fetch_all(conn).await?)
}

/// A MARAC's meetings before a day, the latest first, at most `limit`.
pub async fn meetings_before(
    conn: &mut Conn,
    marac_id: &str,
    before: &str,
    limit: i64,
) -> Result<Vec<Meeting>> {
    let mut sql = crate::Sql::new(MEETINGS);
    sql.push("marac_id = ")
        .text(marac_id)
        .push(" AND meets_on < ")
        .text(before)
        .push(" ORDER BY meets_on DESC LIMIT ")
        .int(limit);
    Ok(sql.query_as().fetch_all(conn).await?)
}

pub async fn meeting(conn: &mut Conn, id: &str) -> Result<Option<Meeting>> {
    let mut sql = crate::Sql::new(MEETINGS);
    sql.push("id = ").text(id);
    Ok(sql.query_as().fetch_optional(conn).await?)
}

pub async fn record_minutes(conn: &mut Conn, id: &str, minutes: &str, now: &str) -> Result<()> {
    sqlx::query("UPDATE marac_meetings SET minutes = $1, minutes_recorded_at = $2 WHERE id = $3")
        .bind(minutes.to_string())
        .bind(now.to_string())
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(())
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
    pub agenda_place: Option<i64>,
    pub outcome: String,
    pub heard_at: Option<String>,
    pub withdrawn_reason: String,
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
    r.status, r.referred_by, r.created_at, r.agenda_place, r.outcome, r.heard_at,
    r.withdrawn_reason
    FROM marac_referrals r JOIN maracs m ON m.id = r.marac_id JOIN marac_meetings mt ON mt.id = r.meeting_id";

/// A victim's referrals to MARACs (from any service), the latest first.
pub async fn referrals_of_person(conn: &mut Conn, person_id: &str) -> Result<Vec<MaracReferral>> {
    let mut sql = crate::Sql::new(REFERRALS);
    sql.push(" WHERE r.person_id = ")
        .text(person_id)
        .push(" ORDER BY r.referred_on DESC, r.created_at DESC");
    Ok(sql.query_as().fetch_all(conn).await?)
}

pub async fn referral(conn: &mut Conn, id: &str) -> Result<Option<MaracReferral>> {
    let mut sql = crate::Sql::new(REFERRALS);
    sql.push(" WHERE r.id = ").text(id);
    Ok(sql.query_as().fetch_optional(conn).await?)
}

/// A case on an agenda: the referral and who it is about, with no way to
/// reach them (no address, no contacts).
#[derive(Debug, Clone, FromRow, PartialEq, Eq, Default)]
pub struct AgendaEntry {
    pub id: String,
    pub case_id: String,
    pub service_name: String,
    pub referred_on: String,
    pub criteria: String,
    pub score: Option<i64>,
    pub level: Option<String>,
    pub children: i64,
    pub is_repeat: i64,
    pub agenda_place: Option<i64>,
    pub status: String,
    pub outcome: String,
    pub given_name: String,
    pub family_name: String,
    pub date_of_birth: Option<String>,
}

/// The referrals to a meeting, in no order: the agenda orders them.
pub async fn agenda_entries(conn: &mut Conn, meeting_id: &str) -> Result<Vec<AgendaEntry>> {
    Ok(sqlx::query_as(
        "SELECT r.id, r.case_id, s.name AS service_name, r.referred_on, r.criteria, r.score, r.level,
            r.children, r.is_repeat, r.agenda_place, r.status, r.outcome,
            p.given_name, p.family_name, p.date_of_birth
         FROM marac_referrals r JOIN people p ON p.id = r.person_id JOIN services s ON s.id = r.service_id
         WHERE r.meeting_id = $1 AND r.status <> 'withdrawn'",
    )
    .bind(meeting_id.to_string())
    .fetch_all(conn)
    .await?)
}

pub async fn set_agenda_place(conn: &mut Conn, referral_id: &str, place: i64) -> Result<()> {
    sqlx::query("UPDATE marac_referrals SET agenda_place = $1 WHERE id = $2")
        .bind(place)
        .bind(referral_id.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

/// Corrects a waiting referral's meeting, consent and agenda placing.
pub async fn correct_referral(conn: &mut Conn, r: &MaracReferral) -> Result<()> {
    sqlx::query(
        "UPDATE marac_referrals SET meeting_id = $1, consent = $2, without_consent_reason = $3,
            agenda_place = $4 WHERE id = $5 AND status = 'pending'",
    )
    .bind(r.meeting_id.clone())
    .bind(r.consent.clone())
    .bind(r.without_consent_reason.clone())
    .bind(r.agenda_place)
    .bind(r.id.clone())
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn withdraw_referral(conn: &mut Conn, id: &str, reason: &str) -> Result<()> {
    sqlx::query(
        "UPDATE marac_referrals SET status = 'withdrawn', withdrawn_reason = $1 WHERE id = $2",
    )
    .bind(reason.to_string())
    .bind(id.to_string())
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn record_outcome(
    conn: &mut Conn,
    referral_id: &str,
    outcome: &str,
    now: &str,
) -> Result<()> {
    sqlx::query(
        "UPDATE marac_referrals SET outcome = $1, status = 'heard', heard_at = $2 WHERE id = $3",
    )
    .bind(outcome.to_string())
    .bind(now.to_string())
    .bind(referral_id.to_string())
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq, Default)]
pub struct Acknowledgement {
    pub user_id: String,
    pub display_name: String,
    pub agency_name: Option<String>,
    pub acknowledged_at: String,
}

pub async fn acknowledgements(conn: &mut Conn, meeting_id: &str) -> Result<Vec<Acknowledgement>> {
    Ok(sqlx::query_as(
        "SELECT k.user_id, COALESCE(u.display_name, k.user_id) AS display_name, a.name AS agency_name,
            k.acknowledged_at
         FROM marac_acknowledgements k LEFT JOIN users u ON u.id = k.user_id
         LEFT JOIN marac_agencies a ON a.id = k.agency_id
         WHERE k.meeting_id = $1 ORDER BY k.acknowledged_at",
    )
    .bind(meeting_id.to_string())
    .fetch_all(conn)
    .await?)
}

pub async fn has_acknowledged(conn: &mut Conn, meeting_id: &str, user_id: &str) -> Result<bool> {
    let found: Option<String> = sqlx::query_scalar(
        "SELECT user_id FROM marac_acknowledgements WHERE meeting_id = $1 AND user_id = $2",
    )
    .bind(meeting_id.to_string())
    .bind(user_id.to_string())
    .fetch_optional(conn)
    .await?;
    Ok(found.is_some())
}

pub async fn acknowledge(
    conn: &mut Conn,
    meeting_id: &str,
    user_id: &str,
    agency_id: Option<&str>,
    now: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO marac_acknowledgements (meeting_id, user_id, agency_id, acknowledged_at)
         VALUES ($1, $2, $3, $4)",
    )
    .bind(meeting_id.to_string())
    .bind(user_id.to_string())
    .bind(agency_id.map(str::to_string))
    .bind(now.to_string())
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq, Default)]
pub struct Research {
    pub id: String,
    pub referral_id: String,
    pub agency_id: String,
    pub agency_name: String,
    pub item: String,
    pub shareable: i64,
    pub reason: String,
    pub added_by: String,
    pub added_at: String,
}

pub async fn insert_research(conn: &mut Conn, r: &Research) -> Result<()> {
    sqlx::query(
        "INSERT INTO marac_research (id, referral_id, agency_id, item, shareable, reason, added_by, added_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(r.id.clone())
    .bind(r.referral_id.clone())
    .bind(r.agency_id.clone())
    .bind(r.item.clone())
    .bind(r.shareable)
    .bind(r.reason.clone())
    .bind(r.added_by.clone())
    .bind(r.added_at.clone())
    .execute(conn)
    .await?;
    Ok(())
}

const RESEARCH: &str = "SELECT x.id, x.referral_id, x.agency_id, a.name AS agency_name, x.item,
    x.shareable, x.reason, x.added_by, x.added_at
    FROM marac_research x JOIN marac_agencies a ON a.id = x.agency_id WHERE ";

pub async fn research_item(conn: &mut Conn, id: &str) -> Result<Option<Research>> {
    let mut sql = crate::Sql::new(RESEARCH);
    sql.push("x.id = ").text(id);
    Ok(sql.query_as().fetch_optional(conn).await?)
}

pub async fn correct_research(conn: &mut Conn, r: &Research) -> Result<()> {
    sqlx::query("UPDATE marac_research SET item = $1, shareable = $2, reason = $3 WHERE id = $4")
        .bind(r.item.clone())
        .bind(r.shareable)
        .bind(r.reason.clone())
        .bind(r.id.clone())
        .execute(conn)
        .await?;
    Ok(())
}

/// A case's research that an agency may read: every shareable item, and
/// the agency's own (`None`: shareable items only).
pub async fn research_of(
    conn: &mut Conn,
    referral_id: &str,
    agency_id: Option<&str>,
) -> Result<Vec<Research>> {
    let mut sql = crate::Sql::new(RESEARCH);
    sql.push("x.referral_id = ")
        .text(referral_id)
        .push(" AND (x.shareable = 1 OR x.agency_id = ")
        .maybe_text(agency_id)
        .push(")");
    sql.push(" ORDER BY a.name, x.added_at");
    Ok(sql.query_as().fetch_all(conn).await?)
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq, Default)]
pub struct Action {
    pub id: String,
    pub marac_id: String,
    pub referral_id: String,
    pub meeting_id: String,
    pub meets_on: String,
    pub agency_id: String,
    pub agency_name: String,
    pub description: String,
    pub due_on: String,
    pub status: String,
    pub not_done_class: String,
    pub note: String,
    pub created_at: String,
    pub updated_at: Option<String>,
}

const ACTIONS: &str = "SELECT x.id, x.marac_id, x.referral_id, x.meeting_id, mt.meets_on, x.agency_id,
    a.name AS agency_name, x.description, x.due_on, x.status, x.not_done_class, x.note, x.created_at,
    x.updated_at
    FROM marac_actions x JOIN marac_agencies a ON a.id = x.agency_id
    JOIN marac_meetings mt ON mt.id = x.meeting_id WHERE ";

pub async fn insert_action(conn: &mut Conn, x: &Action, by: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO marac_actions (id, marac_id, referral_id, meeting_id, agency_id, description, due_on,
            status, not_done_class, note, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', '', '', $8, $9)",
    )
    .bind(x.id.clone())
    .bind(x.marac_id.clone())
    .bind(x.referral_id.clone())
    .bind(x.meeting_id.clone())
    .bind(x.agency_id.clone())
    .bind(x.description.clone())
    .bind(x.due_on.clone())
    .bind(by.to_string())
    .bind(x.created_at.clone())
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn action(conn: &mut Conn, id: &str) -> Result<Option<Action>> {
    let mut sql = crate::Sql::new(ACTIONS);
    sql.push("x.id = ").text(id);
    Ok(sql.query_as().fetch_optional(conn).await?)
}

pub async fn update_action(
    conn: &mut Conn,
    id: &str,
    status: &str,
    class: &str,
    note: &str,
    by: &str,
    now: &str,
) -> Result<()> {
    sqlx::query(
        "UPDATE marac_actions SET status = $1, not_done_class = $2, note = $3, updated_by = $4, updated_at = $5
         WHERE id = $6",
    )
    .bind(status.to_string())
    .bind(class.to_string())
    .bind(note.to_string())
    .bind(by.to_string())
    .bind(now.to_string())
    .bind(id.to_string())
    .execute(conn)
    .await?;
    Ok(())
}

/// A case's actions, by due date.
pub async fn actions_of_referral(conn: &mut Conn, referral_id: &str) -> Result<Vec<Action>> {
    let mut sql = crate::Sql::new(ACTIONS);
    sql.push("x.referral_id = ")
        .text(referral_id)
        .push(" ORDER BY x.due_on, x.created_at");
    Ok(sql.query_as().fetch_all(conn).await?)
}

/// A MARAC's actions still open that earlier meetings agreed, by due date:
/// they come back on the next agenda.
pub async fn open_actions_before(
    conn: &mut Conn,
    marac_id: &str,
    meets_on: &str,
) -> Result<Vec<Action>> {
    let mut sql = crate::Sql::new(ACTIONS);
    sql.push("x.marac_id = ")
        .text(marac_id)
        .push(" AND x.status = 'open' AND mt.meets_on < ")
        .text(meets_on)
        .push(" ORDER BY x.due_on, x.created_at");
    Ok(sql.query_as().fetch_all(conn).await?)
}

/// Who a MARAC case is about, as far as the MARAC needs: never an address
/// or a way to reach them.
#[derive(Debug, Clone, FromRow, PartialEq, Eq, Default)]
pub struct Subject {
    pub given_name: String,
    pub family_name: String,
    pub date_of_birth: Option<String>,
    pub gender: String,
}

pub async fn subject(conn: &mut Conn, person_id: &str) -> Result<Option<Subject>> {
    Ok(sqlx::query_as(
        "SELECT given_name, family_name, date_of_birth, gender FROM people WHERE id = $1",
    )
    .bind(person_id.to_string())
    .fetch_optional(conn)
    .await?)
}

/// A referral to one of a MARAC's meetings in a period, with what its
/// figures count of the victim.
#[derive(Debug, Clone, FromRow, PartialEq, Eq, Default)]
pub struct CountedRow {
    pub status: String,
    pub is_repeat: i64,
    pub children: i64,
    pub referred_on: String,
    pub service_name: String,
    pub gender: String,
    pub ethnicity: String,
    pub disability: String,
    pub sexual_orientation: String,
    pub date_of_birth: Option<String>,
}

/// Every referral to a MARAC's meetings from one day to another, inclusive.
pub async fn referrals_to_meetings_in(
    conn: &mut Conn,
    marac_id: &str,
    from: &str,
    to: &str,
) -> Result<Vec<CountedRow>> {
    Ok(sqlx::query_as(
        "SELECT r.status, r.is_repeat, r.children, r.referred_on, s.name AS service_name,
            p.gender, p.ethnicity, p.disability, p.sexual_orientation, p.date_of_birth
         FROM marac_referrals r JOIN marac_meetings mt ON mt.id = r.meeting_id
         JOIN people p ON p.id = r.person_id JOIN services s ON s.id = r.service_id
         WHERE r.marac_id = $1 AND mt.meets_on >= $2 AND mt.meets_on <= $3
            AND r.status <> 'withdrawn'",
    )
    .bind(marac_id.to_string())
    .bind(from.to_string())
    .bind(to.to_string())
    .fetch_all(conn)
    .await?)
}

/// A MARAC at which someone of the same name and date of birth as a person
/// was referred, from a day on: the latest referral to each MARAC.
#[derive(Debug, Clone, FromRow, PartialEq, Eq, Default)]
pub struct FlagRow {
    pub marac_name: String,
    pub area_id: String,
    pub area_parent_id: Option<String>,
    pub referred_on: String,
}

pub async fn referred_alike(conn: &mut Conn, person_id: &str, since: &str) -> Result<Vec<FlagRow>> {
    Ok(sqlx::query_as(
        "SELECT m.name AS marac_name, m.area_id, a.parent_id AS area_parent_id,
            MAX(r.referred_on) AS referred_on
         FROM people me
         JOIN people p ON p.name_key = me.name_key AND p.date_of_birth = me.date_of_birth
         JOIN marac_referrals r ON r.person_id = p.id
         JOIN maracs m ON m.id = r.marac_id JOIN areas a ON a.id = m.area_id
         WHERE me.id = $1 AND me.date_of_birth IS NOT NULL AND r.referred_on >= $2
            AND r.status <> 'withdrawn'
         GROUP BY m.name, m.area_id, a.parent_id ORDER BY m.name",
    )
    .bind(person_id.to_string())
    .bind(since.to_string())
    .fetch_all(conn)
    .await?)
}
