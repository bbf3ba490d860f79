//! Staff and the audit log over the API.

use app::paging::{ListRequest, Start};
use app::staff::{NewStaff, StaffFilter, StaffSort};
use app::store::audit::Filter;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::IntoParams;

use super::types::*;
use super::{ApiActor, ApiJson, ApiResult};
use crate::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_staff, create_staff))
        .routes(routes!(get_staff))
        .routes(routes!(disable_staff))
        .routes(routes!(enable_staff))
        .routes(routes!(add_grant))
        .routes(routes!(remove_grant))
        .routes(routes!(list_audit))
}

#[derive(Deserialize, IntoParams)]
pub struct StaffQuery {
    /// Part of a name or email address.
    pub q: Option<String>,
    /// The `next` of the page before, to read the page after it.
    pub cursor: Option<String>,
}

/// Staff the token may see, by name, 50 to a page.
#[utoipa::path(get, path = "/v1/staff", tag = "staff", params(StaffQuery),
    responses((status = 200, body = Listed<StaffBody>), (status = 403, body = Problem)))]
pub async fn list_staff(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Query(q): Query<StaffQuery>,
) -> ApiResult<Json<Listed<StaffBody>>> {
    let filter = StaffFilter {
        search: q.q.clone(),
        ..StaffFilter::default()
    };
    let request = ListRequest {
        sort: StaffSort::Name,
        descending: false,
        start: q.cursor.clone().map(Start::After).unwrap_or_default(),
    };
    let page = state.app.staff_page(&actor, &filter, &request).await?;
    Ok(Json(Listed::of(
        page,
        "/api/v1/staff",
        &[("q", q.q.as_deref())],
        |u| u.id.clone(),
        Into::into,
    )))
}

/// One member of staff with their roles (the read is audited).
#[utoipa::path(get, path = "/v1/staff/{id}", tag = "staff", params(("id" = String, Path)),
    responses((status = 200, body = StaffDetailBody), (status = 404, body = Problem)))]
pub async fn get_staff(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<Json<StaffDetailBody>> {
    let detail = state.app.staff_member(&actor, &id).await?.into_inner();
    Ok(Json(StaffDetailBody {
        staff: detail.user.into(),
        grants: detail.grants.into_iter().map(Into::into).collect(),
    }))
}

/// Adds a member of staff with a first role.
#[utoipa::path(post, path = "/v1/staff", tag = "staff", request_body = NewStaff,
    responses((status = 201, body = StaffBody), (status = 422, body = Problem), (status = 403, body = Problem)))]
pub async fn create_staff(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiJson(input): ApiJson<NewStaff>,
) -> ApiResult<(StatusCode, Json<StaffBody>)> {
    let user = state.app.create_staff(&actor, &input).await?;
    Ok((StatusCode::CREATED, Json(user.into())))
}

/// Disables an account and ends its sessions.
#[utoipa::path(post, path = "/v1/staff/{id}/disable", tag = "staff", params(("id" = String, Path)),
    responses((status = 200, body = StaffBody), (status = 404, body = Problem)))]
pub async fn disable_staff(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<Json<StaffBody>> {
    Ok(Json(
        state
            .app
            .set_staff_disabled(&actor, &id, true)
            .await?
            .into(),
    ))
}

/// Enables an account.
#[utoipa::path(post, path = "/v1/staff/{id}/enable", tag = "staff", params(("id" = String, Path)),
    responses((status = 200, body = StaffBody), (status = 404, body = Problem)))]
pub async fn enable_staff(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<Json<StaffBody>> {
    Ok(Json(
        state
            .app
            .set_staff_disabled(&actor, &id, false)
            .await?
            .into(),
    ))
}

/// Gives a role.
#[utoipa::path(post, path = "/v1/staff/{id}/grants", tag = "staff", params(("id" = String, Path)), request_body = NewGrantBody,
    responses((status = 201, body = GrantBody), (status = 422, body = Problem)))]
pub async fn add_grant(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<NewGrantBody>,
) -> ApiResult<(StatusCode, Json<GrantBody>)> {
    let grant = state
        .app
        .add_grant(&actor, &id, &body.role, &body.scope)
        .await?;
    Ok((StatusCode::CREATED, Json(grant.into())))
}

/// Removes a role.
#[utoipa::path(delete, path = "/v1/staff/{id}/grants/{grant_id}", tag = "staff",
    params(("id" = String, Path), ("grant_id" = String, Path)),
    responses((status = 204), (status = 404, body = Problem)))]
pub async fn remove_grant(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path((id, grant)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    state.app.remove_grant(&actor, &id, &grant).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
pub struct AuditQuery {
    /// Only actions starting with this, e.g. `login.`
    pub action: Option<String>,
    /// Only events by this username or token label.
    pub actor: Option<String>,
    /// Only events with a sequence number below this (for paging back).
    pub before: Option<i64>,
    /// At most this many events (1–500, default 100).
    pub limit: Option<i64>,
}

/// The audit log, newest first (auditors only).
#[utoipa::path(get, path = "/v1/audit", tag = "audit", params(AuditQuery),
    responses((status = 200, body = [AuditEventBody]), (status = 403, body = Problem)))]
pub async fn list_audit(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Query(q): Query<AuditQuery>,
) -> ApiResult<Json<Vec<AuditEventBody>>> {
    let filter = Filter {
        action_prefix: q.action,
        actor_label: q.actor,
        record_id: None,
        before_seq: q.before,
    };
    let events = state
        .app
        .audit_events(&actor, &filter, q.limit.unwrap_or(100))
        .await?;
    Ok(Json(events.into_iter().map(Into::into).collect()))
}
