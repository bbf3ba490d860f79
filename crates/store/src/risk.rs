//! Risk assessments on cases, the templates a service imported, and each
//! service's own bands.

use sqlx::FromRow;

use crate::{Conn, Result, Sql};

/// A template as a service imported it: the file's text, by key and version.
#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct StoredTemplate {
    pub template_key: String,
    pub version: i64,
    pub name: String,
    pub source: String,
}

pub async fn imported_templates(conn: &mut Conn) -> Result<Vec<StoredTemplate>> {
    Ok(sqlx::query_as(
        "SELECT template_key, version, name, source FROM risk_templates ORDER BY template_key, version",
    )
    .fetch_all(conn)
    .await?)
}

pub async fn insert_template(
    conn: &mut Conn,
    template: &StoredTemplate,
    by: &str,
    now: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO risk_templates (template_key, version, name, source, imported_by, imported_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(template.template_key.clone())
    .bind(template.version)
    .bind(template.name.clone())
    .bind(template.source.clone())
    .bind(by.to_string())
    .bind(now.to_string())
    .execute(conn)
    .await?;
    Ok(())
}

/// A service's own bands for a template, as written (`standard 0, high 14`).
pub async fn service_bands(
    conn: &mut Conn,
    service_id: &str,
    template_key: &str,
) -> Result<Option<String>> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT bands FROM risk_bands WHERE service_id = $1 AND template_key = $2")
            .bind(service_id.to_string())
            .bind(template_key.to_string())
            .fetch_optional(conn)
            .await?;
    Ok(row.map(|(b,)| b))
}

pub async fn set_service_bands(
    conn: &mut Conn,
    service_id: &str,
    template_key: &str,
    bands: &str,
    by: &str,
    now: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO risk_bands (service_id, template_key, bands, set_by, set_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (service_id, template_key) DO UPDATE SET bands = $3, set_by = $4, set_at = $5",
    )
    .bind(service_id.to_string())
    .bind(template_key.to_string())
    .bind(bands.to_string())
    .bind(by.to_string())
    .bind(now.to_string())
    .execute(conn)
    .await?;
    Ok(())
}

/// One completed assessment.
#[derive(Debug, Clone, FromRow, PartialEq, Eq, Default)]
pub struct Assessment {
    pub id: String,
    pub case_id: String,
    pub service_id: String,
    pub template_key: String,
    pub template_version: i64,
    pub template_name: String,
    pub assessed_on: String,
    pub assessor_id: String,
    pub assessor_name: String,
    pub prompted_by: String,
    /// JSON: question id to answer code.
    pub answers: String,
    /// JSON: text box id to its words.
    pub texts: String,
    pub yes_count: i64,
    pub unanswered: i64,
    pub actuarial_level: Option<String>,
    pub judgement_level: Option<String>,
    pub judgement_reasons: String,
    pub level: Option<String>,
    pub bands: String,
    pub review_on: String,
    pub created_at: String,
    /// When it was withdrawn as recorded in error; it then sets nothing.
    pub withdrawn_at: Option<String>,
    pub withdrawn_reason: String,
}

const SELECT: &str = "SELECT a.id, a.case_id, a.service_id, a.template_key, a.template_version,
    a.template_name, a.assessed_on, a.assessor_id, COALESCE(u.display_name, '') AS assessor_name,
    a.prompted_by, a.answers, a.texts, a.yes_count, a.unanswered, a.actuarial_level,
    a.judgement_level, a.judgement_reasons, a.level, a.bands, a.review_on, a.created_at,
    a.withdrawn_at, a.withdrawn_reason
    FROM risk_assessments a LEFT JOIN users u ON u.id = a.assessor_id WHERE ";

/// Records an assessment and makes the case's current risk the latest
/// assessment's (by the day assessed, then when recorded).
pub async fn insert_assessment(conn: &mut Conn, a: &Assessment) -> Result<()> {
    sqlx::query(
        "INSERT INTO risk_assessments (id, case_id, service_id, template_key, template_version,
            template_name, assessed_on, assessor_id, prompted_by, answers, texts, yes_count, unanswered,
            actuarial_level, judgement_level, judgement_reasons, level, bands, review_on, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)",
    )
    .bind(a.id.clone())
    .bind(a.case_id.clone())
    .bind(a.service_id.clone())
    .bind(a.template_key.clone())
    .bind(a.template_version)
    .bind(a.template_name.clone())
    .bind(a.assessed_on.clone())
    .bind(a.assessor_id.clone())
    .bind(a.prompted_by.clone())
    .bind(a.answers.clone())
    .bind(a.texts.clone())
    .bind(a.yes_count)
    .bind(a.unanswered)
    .bind(a.actuarial_level.clone())
    .bind(a.judgement_level.clone())
    .bind(a.judgement_reasons.clone())
    .bind(a.level.clone())
    .bind(a.bands.clone())
    .bind(a.review_on.clone())
    .bind(a.created_at.clone())
    .execute(&mut *conn)
    .await?;
    crate::cases::mark_tailored(conn, &a.case_id).await?;
    keep_current(conn, &a.case_id).await
}

/// The order lists sort a level in: none, incomplete, then lowest to highest.
pub fn risk_order(assessed: bool, level: Option<&str>) -> &'static str {
    match (assessed, level) {
        (false, _) => "0",
        (true, None) => "1",
        (true, Some("standard")) => "2",
        (true, Some("medium")) => "3",
        (true, Some(_)) => "4",
    }
}

async fn keep_current(conn: &mut Conn, case_id: &str) -> Result<()> {
    let latest = assessments(conn, case_id).await?.into_iter().next();
    let order = risk_order(
        latest.is_some(),
        latest.as_ref().and_then(|a| a.level.as_deref()),
    );
    sqlx::query(
        "UPDATE cases SET risk_level = $1, risk_order = $2, risk_review_on = $3 WHERE id = $4",
    )
    .bind(latest.as_ref().and_then(|a| a.level.clone()))
    .bind(order.to_string())
    .bind(latest.map(|a| a.review_on))
    .bind(case_id.to_string())
    .execute(conn)
    .await?;
    Ok(())
}

/// A case's assessments that stand (not withdrawn), the latest first: the
/// first is the case's current risk.
pub async fn assessments(conn: &mut Conn, case_id: &str) -> Result<Vec<Assessment>> {
    let mut sql = Sql::new(SELECT);
    sql.push("a.case_id = ")
        .text(case_id)
        .push(" AND a.withdrawn_at IS NULL")
        .push(" ORDER BY a.assessed_on DESC, a.created_at DESC, a.id DESC");
    Ok(sql.query_as().fetch_all(conn).await?)
}

/// A case's assessments withdrawn as recorded in error, the latest first.
pub async fn withdrawn_assessments(conn: &mut Conn, case_id: &str) -> Result<Vec<Assessment>> {
    let mut sql = Sql::new(SELECT);
    sql.push("a.case_id = ")
        .text(case_id)
        .push(" AND a.withdrawn_at IS NOT NULL")
        .push(" ORDER BY a.assessed_on DESC, a.created_at DESC, a.id DESC");
    Ok(sql.query_as().fetch_all(conn).await?)
}

/// Withdraws an assessment recorded in error; the case's current risk
/// becomes that of the latest assessment still standing.
pub async fn withdraw_assessment(
    conn: &mut Conn,
    a: &Assessment,
    by: &str,
    at: &str,
    reason: &str,
) -> Result<()> {
    sqlx::query(
        "UPDATE risk_assessments SET withdrawn_at = $1, withdrawn_by = $2, withdrawn_reason = $3
         WHERE id = $4 AND withdrawn_at IS NULL",
    )
    .bind(at.to_string())
    .bind(by.to_string())
    .bind(reason.to_string())
    .bind(a.id.clone())
    .execute(&mut *conn)
    .await?;
    keep_current(conn, &a.case_id).await
}

pub async fn assessment(conn: &mut Conn, case_id: &str, id: &str) -> Result<Option<Assessment>> {
    let mut sql = Sql::new(SELECT);
    sql.push("a.case_id = ")
        .text(case_id)
        .push(" AND a.id = ")
        .text(id);
    Ok(sql.query_as().fetch_optional(conn).await?)
}

/// One incident, with its alleged perpetrator's name where linked.
#[derive(Debug, Clone, FromRow, PartialEq, Eq, Default)]
pub struct Incident {
    pub id: String,
    pub person_id: String,
    pub service_id: String,
    pub case_id: String,
    pub occurred_on: String,
    pub source: String,
    pub perpetrator_link_id: Option<String>,
    pub perpetrator_name: Option<String>,
    pub summary: String,
    pub recorded_by: String,
    pub recorded_at: String,
}

pub async fn insert_incident(conn: &mut Conn, i: &Incident) -> Result<()> {
    sqlx::query(
        "INSERT INTO incidents (id, person_id, service_id, case_id, occurred_on, source,
            perpetrator_link_id, summary, recorded_by, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(i.id.clone())
    .bind(i.person_id.clone())
    .bind(i.service_id.clone())
    .bind(i.case_id.clone())
    .bind(i.occurred_on.clone())
    .bind(i.source.clone())
    .bind(i.perpetrator_link_id.clone())
    .bind(i.summary.clone())
    .bind(i.recorded_by.clone())
    .bind(i.recorded_at.clone())
    .execute(conn)
    .await?;
    Ok(())
}

/// A victim's incidents known to a service, on any of their cases there,
/// the latest first.
/// One incident recorded on a case.
pub async fn incident(conn: &mut Conn, case_id: &str, id: &str) -> Result<Option<Incident>> {
    Ok(sqlx::query_as(
        "SELECT i.id, i.person_id, i.service_id, i.case_id, i.occurred_on, i.source,
            i.perpetrator_link_id,
            CASE WHEN p.id IS NULL THEN NULL ELSE p.given_name || ' ' || p.family_name END AS perpetrator_name,
            i.summary, i.recorded_by, i.recorded_at
         FROM incidents i
         LEFT JOIN case_people cp ON cp.id = i.perpetrator_link_id
         LEFT JOIN people p ON p.id = cp.person_id
         WHERE i.case_id = $1 AND i.id = $2",
    )
    .bind(case_id.to_string())
    .bind(id.to_string())
    .fetch_optional(conn)
    .await?)
}

/// Corrects an incident's day, source, perpetrator and summary.
pub async fn correct_incident(conn: &mut Conn, i: &Incident) -> Result<()> {
    sqlx::query(
        "UPDATE incidents SET occurred_on = $1, source = $2, perpetrator_link_id = $3, summary = $4
         WHERE id = $5",
    )
    .bind(i.occurred_on.clone())
    .bind(i.source.clone())
    .bind(i.perpetrator_link_id.clone())
    .bind(i.summary.clone())
    .bind(i.id.clone())
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn incidents_of(
    conn: &mut Conn,
    person_id: &str,
    service_id: &str,
) -> Result<Vec<Incident>> {
    Ok(sqlx::query_as(
        "SELECT i.id, i.person_id, i.service_id, i.case_id, i.occurred_on, i.source,
            i.perpetrator_link_id,
            CASE WHEN p.id IS NULL THEN NULL ELSE p.given_name || ' ' || p.family_name END AS perpetrator_name,
            i.summary, i.recorded_by, i.recorded_at
         FROM incidents i
         LEFT JOIN case_people cp ON cp.id = i.perpetrator_link_id
         LEFT JOIN people p ON p.id = cp.person_id
         WHERE i.person_id = $1 AND i.service_id = $2
         ORDER BY i.occurred_on DESC, i.recorded_at DESC, i.id DESC",
    )
    .bind(person_id.to_string())
    .bind(service_id.to_string())
    .fetch_all(conn)
    .await?)
}

/// How many incidents within 12 months make potential escalation in this
/// service, where it has set its own number.
pub async fn escalation_incidents(conn: &mut Conn, service_id: &str) -> Result<Option<i64>> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT escalation_incidents FROM risk_settings WHERE service_id = $1")
            .bind(service_id.to_string())
            .fetch_optional(conn)
            .await?;
    Ok(row.map(|(n,)| n))
}

pub async fn set_escalation_incidents(
    conn: &mut Conn,
    service_id: &str,
    incidents: i64,
    by: &str,
    now: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO risk_settings (service_id, escalation_incidents, set_by, set_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (service_id) DO UPDATE SET escalation_incidents = $2, set_by = $3, set_at = $4",
    )
    .bind(service_id.to_string())
    .bind(incidents)
    .bind(by.to_string())
    .bind(now.to_string())
    .execute(conn)
    .await?;
    Ok(())
}

/// One version of a case's safety plan.
#[derive(Debug, Clone, FromRow, PartialEq, Eq, Default)]
pub struct SafetyPlan {
    pub id: String,
    pub case_id: String,
    pub version: i64,
    pub risks: String,
    pub safety_measures: String,
    pub actions: String,
    pub safe_places: String,
    pub emergency_plan: String,
    pub code_word: String,
    pub review_on: String,
    pub assessment_id: Option<String>,
    pub recorded_by: String,
    pub recorded_by_name: String,
    pub recorded_at: String,
}

/// Saves a new version of a case's plan, numbered after the last; returns
/// its number. Called inside the write transaction, so versions never
/// collide.
pub async fn insert_safety_plan(conn: &mut Conn, plan: &SafetyPlan) -> Result<i64> {
    let (last,): (i64,) = sqlx::query_as(
        "SELECT CAST(COALESCE(MAX(version), 0) AS BIGINT) FROM safety_plans WHERE case_id = $1",
    )
    .bind(plan.case_id.clone())
    .fetch_one(&mut *conn)
    .await?;
    let version = last + 1;
    sqlx::query(
        "INSERT INTO safety_plans (id, case_id, version, risks, safety_measures, actions, safe_places,
            emergency_plan, code_word, review_on, assessment_id, recorded_by, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(plan.id.clone())
    .bind(plan.case_id.clone())
    .bind(version)
    .bind(plan.risks.clone())
    .bind(plan.safety_measures.clone())
    .bind(plan.actions.clone())
    .bind(plan.safe_places.clone())
    .bind(plan.emergency_plan.clone())
    .bind(plan.code_word.clone())
    .bind(plan.review_on.clone())
    .bind(plan.assessment_id.clone())
    .bind(plan.recorded_by.clone())
    .bind(plan.recorded_at.clone())
    .execute(conn)
    .await?;
    Ok(version)
}

/// A case's safety plan, every version, the latest first.
pub async fn safety_plans(conn: &mut Conn, case_id: &str) -> Result<Vec<SafetyPlan>> {
    Ok(sqlx::query_as(
        "SELECT s.id, s.case_id, s.version, s.risks, s.safety_measures, s.actions, s.safe_places,
            s.emergency_plan, s.code_word, s.review_on, s.assessment_id, s.recorded_by,
            COALESCE(u.display_name, '') AS recorded_by_name, s.recorded_at
         FROM safety_plans s LEFT JOIN users u ON u.id = s.recorded_by
         WHERE s.case_id = $1 ORDER BY s.version DESC",
    )
    .bind(case_id.to_string())
    .fetch_all(conn)
    .await?)
}
