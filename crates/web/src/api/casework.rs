//! Casework over the API: referrals, people and cases, read and changed
//! through the same use cases as the pages, so each is scoped exactly as
//! the pages are and audited the same way. Scopes `casework:read` (reads)
//! and `casework:write` (reads and changes).

use app::cases::{CaseFilter, CaseSort, ContactInput, WorkerFilter};
use app::paging::{ListRequest, Start};
use app::people::PersonInput;
use app::referrals::{ReferralCorrection, ReferralSort, WorklistFilter};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::referrals::{DeadlineBody, deadline_bodies};
use super::types::{Listed, Problem};
use super::{ApiActor, ApiJson, ApiResult};
use crate::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_person, correct_person))
        .routes(routes!(list_cases))
        .routes(routes!(get_case))
        .routes(routes!(record_contact))
        .routes(routes!(add_task))
        .routes(routes!(add_note))
        .routes(routes!(reveal_note))
}

#[derive(Deserialize, IntoParams)]
pub struct ReferralQuery {
    /// new, accepted, declined, not_contactable, signposted or out_of_area
    pub status: Option<String>,
    /// The `next` of the page before, to read the page after it.
    pub cursor: Option<String>,
}

/// A referral as listed: who, where it stands, its deadlines.
#[derive(Serialize, ToSchema)]
pub struct ReferralItem {
    pub id: String,
    pub reference: String,
    pub service_id: String,
    pub person_id: String,
    pub given_name: String,
    pub family_name: String,
    pub status: String,
    pub crime_type: String,
    pub received_at: String,
    pub enhanced: bool,
    pub deadlines: Vec<DeadlineBody>,
}

impl From<app::referrals::WorkItem> for ReferralItem {
    fn from(item: app::referrals::WorkItem) -> Self {
        let r = item.referral;
        ReferralItem {
            id: r.id,
            reference: r.reference,
            service_id: r.service_id,
            person_id: r.person_id,
            given_name: r.given_name,
            family_name: r.family_name,
            status: r.status,
            crime_type: r.crime_type,
            received_at: r.received_at,
            enhanced: r.enhanced != 0,
            deadlines: deadline_bodies(item.deadlines),
        }
    }
}

/// The referrals the token may see, the earliest deadline first, 50 to a page.
#[utoipa::path(get, path = "/v1/referrals", tag = "casework", params(ReferralQuery),
    responses((status = 200, body = Listed<ReferralItem>), (status = 403, body = Problem)))]
pub async fn list_referrals(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Query(q): Query<ReferralQuery>,
) -> ApiResult<Json<Listed<ReferralItem>>> {
    let filter = WorklistFilter {
        status: q.status.clone().filter(|s| !s.is_empty()),
        ..WorklistFilter::default()
    };
    let request = ListRequest {
        sort: ReferralSort::Deadline,
        descending: false,
        start: q.cursor.clone().map(Start::After).unwrap_or_default(),
    };
    let page = state.app.worklist(&actor, &filter, &request).await?;
    Ok(Json(Listed::of(
        page,
        "/api/v1/referrals",
        &[("status", q.status.as_deref())],
        |item| item.referral.id.clone(),
        Into::into,
    )))
}

/// A referral in full: the crime, consent, the account, the attempts to
/// make contact, and its case if one opened.
#[derive(Serialize, ToSchema)]
pub struct ReferralDetailBody {
    #[serde(flatten)]
    pub item: ReferralItem,
    pub source: String,
    pub crime_reference: Option<String>,
    pub crime_reported_on: Option<String>,
    pub incident_date: Option<String>,
    pub area_id: Option<String>,
    pub account: Option<String>,
    pub consent: String,
    pub enhanced_reasons: Vec<String>,
    pub triage_note: Option<String>,
    pub first_contact_on: Option<String>,
    pub attempts: Vec<AttemptBody>,
    pub case_id: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct AttemptBody {
    pub channel: String,
    pub result: String,
    pub attempted_at: String,
}

/// A referral the token may see, in full (the read of the person is audited).
#[utoipa::path(get, path = "/v1/referrals/{id}/details", tag = "casework", params(("id" = String, Path)),
    responses((status = 200, body = ReferralDetailBody), (status = 404, body = Problem)))]
pub async fn referral_details(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<Json<ReferralDetailBody>> {
    let d = state.app.referral(&actor, &id).await?.into_inner();
    Ok(Json(detail_body(d)))
}

fn detail_body(d: app::referrals::ReferralDetail) -> ReferralDetailBody {
    let r = d.item.referral.clone();
    ReferralDetailBody {
        source: r.source,
        crime_reference: r.crime_reference,
        crime_reported_on: r.crime_reported_on,
        incident_date: r.incident_date,
        area_id: r.area_id,
        account: r.account,
        consent: r.consent,
        enhanced_reasons: r
            .enhanced_reasons
            .split_whitespace()
            .map(str::to_string)
            .collect(),
        triage_note: r.triage_note,
        first_contact_on: r.first_contact_on,
        attempts: d
            .attempts
            .into_iter()
            .map(|a| AttemptBody {
                channel: a.channel,
                result: a.result,
                attempted_at: a.attempted_at,
            })
            .collect(),
        case_id: d.case.map(|c| c.id),
        item: d.item.into(),
    }
}

/// Corrects a referral's details: only the fields sent change. Deadlines
/// are worked out again when their inputs change; the change is audited
/// with what it was before.
#[utoipa::path(patch, path = "/v1/referrals/{id}", tag = "casework", params(("id" = String, Path)),
    request_body = ReferralCorrection,
    responses((status = 200, body = ReferralDetailBody), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn correct_referral(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
    ApiJson(correction): ApiJson<ReferralCorrection>,
) -> ApiResult<Json<ReferralDetailBody>> {
    state.app.correct_referral(&actor, &id, &correction).await?;
    let d = state.app.referral(&actor, &id).await?.into_inner();
    Ok(Json(detail_body(d)))
}

/// A person as held, with their referrals and cases across time.
#[derive(Serialize, ToSchema)]
pub struct PersonBody {
    pub id: String,
    pub service_id: String,
    pub given_name: String,
    pub family_name: String,
    pub date_of_birth: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub postcode: Option<String>,
    pub gender: String,
    pub ethnicity: String,
    pub disability: String,
    pub first_language: Option<String>,
    pub interpreter_needed: bool,
    pub referral_ids: Vec<String>,
    pub case_ids: Vec<String>,
}

impl From<app::cases::PersonView> for PersonBody {
    fn from(v: app::cases::PersonView) -> Self {
        let p = v.person;
        PersonBody {
            id: p.id,
            service_id: p.service_id,
            given_name: p.given_name,
            family_name: p.family_name,
            date_of_birth: p.date_of_birth,
            phone: p.phone,
            email: p.email,
            address: p.address,
            postcode: p.postcode,
            gender: p.gender,
            ethnicity: p.ethnicity,
            disability: p.disability,
            first_language: p.first_language,
            interpreter_needed: p.interpreter_needed != 0,
            referral_ids: v.referrals.into_iter().map(|r| r.id).collect(),
            case_ids: v.cases.into_iter().map(|c| c.id).collect(),
        }
    }
}

/// A person the token may see (the read is audited).
#[utoipa::path(get, path = "/v1/people/{id}", tag = "casework", params(("id" = String, Path)),
    responses((status = 200, body = PersonBody), (status = 404, body = Problem)))]
pub async fn get_person(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<Json<PersonBody>> {
    Ok(Json(
        state.app.person(&actor, &id).await?.into_inner().into(),
    ))
}

/// Corrects a person's details (all of them, as on the page); the change is
/// audited with what it was before.
#[utoipa::path(put, path = "/v1/people/{id}", tag = "casework", params(("id" = String, Path)),
    request_body = PersonInput,
    responses((status = 200, body = PersonBody), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn correct_person(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<PersonInput>,
) -> ApiResult<Json<PersonBody>> {
    state.app.correct_person(&actor, &id, &input).await?;
    Ok(Json(
        state.app.person(&actor, &id).await?.into_inner().into(),
    ))
}

#[derive(Deserialize, IntoParams)]
pub struct CaseQuery {
    /// open or closed; every status when absent.
    pub status: Option<String>,
    /// The `next` of the page before, to read the page after it.
    pub cursor: Option<String>,
}

/// A case as listed.
#[derive(Serialize, ToSchema)]
pub struct CaseItem {
    pub id: String,
    pub reference: String,
    pub referral_id: String,
    pub service_id: String,
    pub person_id: String,
    pub given_name: String,
    pub family_name: String,
    pub status: String,
    pub caseworker_id: Option<String>,
    pub caseworker_name: Option<String>,
    pub opened_at: String,
    pub closed_at: Option<String>,
    pub closure_reason: Option<String>,
    pub last_contact_at: Option<String>,
    /// The latest risk assessment's level (`standard`, `medium`, `high`);
    /// none when there is none or it was incomplete.
    pub risk_level: Option<String>,
    /// When the latest risk assessment is due for review.
    pub risk_review_on: Option<String>,
}

impl CaseItem {
    fn of(c: app::store::cases::Case, last_contact_at: Option<String>) -> Self {
        CaseItem {
            id: c.id,
            reference: c.reference,
            referral_id: c.referral_id,
            service_id: c.service_id,
            person_id: c.person_id,
            given_name: c.given_name,
            family_name: c.family_name,
            status: c.status,
            caseworker_id: c.caseworker_id,
            caseworker_name: c.caseworker_name,
            opened_at: c.opened_at,
            closed_at: c.closed_at,
            closure_reason: c.closure_reason,
            last_contact_at,
            risk_level: c.risk_level,
            risk_review_on: c.risk_review_on,
        }
    }
}

/// The cases the token may see, the latest opened first, 50 to a page.
#[utoipa::path(get, path = "/v1/cases", tag = "casework", params(CaseQuery),
    responses((status = 200, body = Listed<CaseItem>), (status = 403, body = Problem)))]
pub async fn list_cases(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Query(q): Query<CaseQuery>,
) -> ApiResult<Json<Listed<CaseItem>>> {
    let filter = CaseFilter {
        status: q.status.clone().filter(|s| !s.is_empty()),
        worker: WorkerFilter::Anyone,
        ..CaseFilter::default()
    };
    let request = ListRequest {
        sort: CaseSort::Opened,
        descending: true,
        start: q.cursor.clone().map(Start::After).unwrap_or_default(),
    };
    let page = state.app.cases(&actor, &filter, &request).await?;
    Ok(Json(Listed::of(
        page,
        "/api/v1/cases",
        &[("status", q.status.as_deref())],
        |c| c.case.id.clone(),
        |c| CaseItem::of(c.case, c.last_contact_at),
    )))
}

#[derive(Serialize, ToSchema)]
pub struct ContactBody {
    pub id: String,
    pub kind: String,
    pub channel: String,
    pub duration_minutes: i64,
    pub notes: Option<String>,
    pub contacted_at: String,
    pub recorded_at: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct TaskBody {
    pub id: String,
    pub title: String,
    pub due_on: String,
    pub done_at: Option<String>,
    /// done or cancelled, once ended.
    pub outcome: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct NoteBody {
    pub id: String,
    pub sensitive: bool,
    /// Absent for a sensitive note: reveal it, and the reveal is audited.
    pub text: Option<String>,
    pub created_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct DocumentBody {
    pub id: String,
    pub file_name: String,
    pub kind: String,
    pub size_bytes: i64,
    pub added_at: String,
    pub removed_at: Option<String>,
}

/// A case with its casework.
#[derive(Serialize, ToSchema)]
pub struct CaseDetailBody {
    #[serde(flatten)]
    pub case: CaseItem,
    pub contacts: Vec<ContactBody>,
    pub tasks: Vec<TaskBody>,
    pub notes: Vec<NoteBody>,
    pub documents: Vec<DocumentBody>,
}

/// A case the token may see, with its contacts, tasks, notes (a sensitive
/// note's text only by revealing it) and documents. The read is audited.
#[utoipa::path(get, path = "/v1/cases/{id}", tag = "casework", params(("id" = String, Path)),
    responses((status = 200, body = CaseDetailBody), (status = 404, body = Problem)))]
pub async fn get_case(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<Json<CaseDetailBody>> {
    let d = state.app.case(&actor, &id).await?.into_inner();
    let last_contact_at = d.last_contact().map(str::to_string);
    Ok(Json(CaseDetailBody {
        contacts: d
            .contacts
            .into_iter()
            .map(|c| ContactBody {
                id: c.id,
                kind: c.kind,
                channel: c.channel,
                duration_minutes: c.duration_minutes,
                notes: c.notes,
                contacted_at: c.contacted_at,
                recorded_at: c.recorded_at,
            })
            .collect(),
        tasks: d
            .tasks
            .into_iter()
            .map(|t| TaskBody {
                id: t.id,
                title: t.title,
                due_on: t.due_on,
                outcome: t
                    .done_at
                    .as_ref()
                    .map(|_| t.outcome.unwrap_or_else(|| "done".into())),
                done_at: t.done_at,
            })
            .collect(),
        notes: d
            .notes
            .into_iter()
            .map(|n| NoteBody {
                id: n.id,
                sensitive: n.sensitive != 0,
                text: (n.sensitive == 0).then_some(n.body),
                created_at: n.created_at,
            })
            .collect(),
        documents: d
            .documents
            .into_iter()
            .map(|doc| DocumentBody {
                id: doc.id,
                file_name: doc.file_name,
                kind: doc.kind,
                size_bytes: doc.size_bytes,
                added_at: doc.added_at,
                removed_at: doc.removed_at,
            })
            .collect(),
        case: CaseItem::of(d.case, last_contact_at),
    }))
}

/// Records a support contact on an open case (scope `casework:write`);
/// a channel marked unsafe for the person is refused.
#[utoipa::path(post, path = "/v1/cases/{id}/contacts", tag = "casework", params(("id" = String, Path)),
    request_body = ContactInput,
    responses((status = 204), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn record_contact(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ContactInput>,
) -> ApiResult<StatusCode> {
    state.app.record_case_contact(&actor, &id, &input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A task to add to a case.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct NewTaskBody {
    pub title: String,
    /// YYYY-MM-DD, within a year before today and five years after.
    pub due_on: String,
}

/// Adds a task to an open case (scope `casework:write`).
#[utoipa::path(post, path = "/v1/cases/{id}/tasks", tag = "casework", params(("id" = String, Path)),
    request_body = NewTaskBody,
    responses((status = 204), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn add_task(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<NewTaskBody>,
) -> ApiResult<StatusCode> {
    state
        .app
        .add_task(&actor, &id, &body.title, &body.due_on)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A note to add to a case.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct NewNoteBody {
    pub note: String,
    /// Hidden until someone reveals it; each reveal is audited.
    pub sensitive: bool,
}

/// Adds a note to an open case (scope `casework:write`).
#[utoipa::path(post, path = "/v1/cases/{id}/notes", tag = "casework", params(("id" = String, Path)),
    request_body = NewNoteBody,
    responses((status = 204), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn add_note(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<NewNoteBody>,
) -> ApiResult<StatusCode> {
    state
        .app
        .add_case_note(&actor, &id, &body.note, body.sensitive)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A sensitive note's text.
#[derive(Serialize, ToSchema)]
pub struct RevealedNote {
    pub text: String,
}

/// Reveals a sensitive note's text; each reveal is audited.
#[utoipa::path(post, path = "/v1/cases/{id}/notes/{note_id}/reveal", tag = "casework",
    params(("id" = String, Path), ("note_id" = String, Path)),
    responses((status = 200, body = RevealedNote), (status = 404, body = Problem)))]
pub async fn reveal_note(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path((id, note_id)): Path<(String, String)>,
) -> ApiResult<Json<RevealedNote>> {
    let text = state
        .app
        .reveal_note(&actor, &id, &note_id)
        .await?
        .into_inner();
    Ok(Json(RevealedNote { text }))
}
