//! The MARAC over the API, for member agencies' own systems (scope
//! `marac:member`, acting for the token's organisation at every MARAC it
//! is a member agency of): read a meeting's agenda, acknowledge its
//! confidentiality, add research to a case on it, and update an action.
//! The same use cases as the pages, so the same refusals and audit.

use app::marac::{ActionUpdateInput, ResearchInput};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;

use super::types::Problem;
use super::{ApiActor, ApiJson, ApiResult};
use crate::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(agenda))
        .routes(routes!(acknowledge))
        .routes(routes!(add_research))
        .routes(routes!(update_action))
}

/// A case on the agenda: who it is about (never an address or contacts)
/// and why it is there.
#[derive(Serialize, ToSchema)]
pub struct AgendaCaseBody {
    /// The case at the MARAC: research is added to it.
    pub id: String,
    pub given_name: String,
    pub family_name: String,
    pub date_of_birth: Option<String>,
    pub referred_on: String,
    /// visible_high_risk, professional_judgement, potential_escalation, repeat
    pub criteria: Vec<String>,
    pub level: Option<String>,
    pub score: Option<i64>,
    pub children: i64,
    pub repeat: bool,
    /// pending or heard
    pub status: String,
}

/// An action agreed at a meeting.
#[derive(Serialize, ToSchema)]
pub struct ActionBody {
    pub id: String,
    pub case_id: String,
    pub agency: String,
    pub description: String,
    pub due_on: String,
    /// open, done or not_done
    pub status: String,
    /// For not_done: circumstances_changed or agency_did_not_act.
    pub not_done_class: String,
    pub note: String,
}

impl From<app::store::marac::Action> for ActionBody {
    fn from(a: app::store::marac::Action) -> Self {
        ActionBody {
            id: a.id,
            case_id: a.referral_id,
            agency: a.agency_name,
            description: a.description,
            due_on: a.due_on,
            status: a.status,
            not_done_class: a.not_done_class,
            note: a.note,
        }
    }
}

/// A meeting's agenda. Its cases and carried actions are empty until the
/// token's organisation has acknowledged the meeting's confidentiality.
#[derive(Serialize, ToSchema)]
pub struct AgendaBody {
    pub meeting_id: String,
    pub marac: String,
    pub meets_on: String,
    pub acknowledged: bool,
    /// The statement acknowledged.
    pub confidentiality: String,
    pub cases: Vec<AgendaCaseBody>,
    /// Actions agreed at earlier meetings and still open.
    pub carried_actions: Vec<ActionBody>,
}

/// A meeting's agenda, in the MARAC's order; each read is audited.
#[utoipa::path(get, path = "/v1/marac-meetings/{id}/agenda", tag = "marac", params(("id" = String, Path)),
    responses((status = 200, body = AgendaBody), (status = 404, body = Problem)))]
pub async fn agenda(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<Json<AgendaBody>> {
    let v = state.app.marac_meeting(&actor, &id).await?.into_inner();
    Ok(Json(AgendaBody {
        meeting_id: v.meeting.meeting.id,
        marac: v.marac.name,
        meets_on: v.meeting.meeting.meets_on,
        acknowledged: v.acknowledged,
        confidentiality: app::marac::CONFIDENTIALITY_STATEMENT.into(),
        cases: v
            .agenda
            .into_iter()
            .map(|e| AgendaCaseBody {
                id: e.id,
                given_name: e.given_name,
                family_name: e.family_name,
                date_of_birth: e.date_of_birth,
                referred_on: e.referred_on,
                criteria: e.criteria.split(',').map(str::to_string).collect(),
                level: e.level,
                score: e.score,
                children: e.children,
                repeat: e.is_repeat != 0,
                status: e.status,
            })
            .collect(),
        carried_actions: v.carried_actions.into_iter().map(Into::into).collect(),
    }))
}

/// Acknowledges the meeting's confidentiality statement for the token's
/// organisation; once is enough.
#[utoipa::path(post, path = "/v1/marac-meetings/{id}/acknowledgement", tag = "marac", params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = Problem)))]
pub async fn acknowledge(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    state.app.acknowledge_confidentiality(&actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// An item of research, as added.
#[derive(Serialize, ToSchema)]
pub struct ResearchBody {
    pub id: String,
    pub agency: String,
    pub item: String,
    pub shareable: bool,
    pub reason: String,
    pub added_at: String,
}

/// Adds the agency's research to a case on the agenda, shareable or not.
#[utoipa::path(post, path = "/v1/marac-cases/{id}/research", tag = "marac", params(("id" = String, Path)),
    request_body = ResearchInput,
    responses((status = 201, body = ResearchBody), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn add_research(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ResearchInput>,
) -> ApiResult<(StatusCode, Json<ResearchBody>)> {
    let r = state.app.add_marac_research(&actor, &id, &input).await?;
    Ok((
        StatusCode::CREATED,
        Json(ResearchBody {
            id: r.id,
            agency: r.agency_name,
            item: r.item,
            shareable: r.shareable != 0,
            reason: r.reason,
            added_at: r.added_at,
        }),
    ))
}

/// Updates an action the token's agency owns: done, not done (and why), or
/// open again, with a note. The audit event keeps what it said before.
#[utoipa::path(patch, path = "/v1/marac-actions/{id}", tag = "marac", params(("id" = String, Path)),
    request_body = ActionUpdateInput,
    responses((status = 200, body = ActionBody), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn update_action(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ActionUpdateInput>,
) -> ApiResult<Json<ActionBody>> {
    Ok(Json(
        state
            .app
            .update_marac_action(&actor, &id, &input)
            .await?
            .into(),
    ))
}
