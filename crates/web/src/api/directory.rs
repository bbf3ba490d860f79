//! Organisations, areas, services and teams over the API.

use app::directory::{NewArea, NewOrganisation, NewServiceInput, NewTeam};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;

use super::types::*;
use super::{ApiActor, ApiJson, ApiResult};
use crate::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_organisations, create_organisation))
        .routes(routes!(list_areas, create_area))
        .routes(routes!(list_services, create_service))
        .routes(routes!(get_service, update_service))
        .routes(routes!(rename_team))
        .routes(routes!(list_teams, create_team))
}

/// Every organisation.
#[utoipa::path(get, path = "/v1/organisations", tag = "directory",
    responses((status = 200, body = [OrganisationBody]), (status = 403, body = Problem)))]
pub async fn list_organisations(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
) -> ApiResult<Json<Vec<OrganisationBody>>> {
    Ok(Json(
        state
            .app
            .organisations(&actor)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

/// Adds an organisation (system administrators only).
#[utoipa::path(post, path = "/v1/organisations", tag = "directory", request_body = NewOrganisation,
    responses((status = 201, body = OrganisationBody), (status = 422, body = Problem), (status = 403, body = Problem)))]
pub async fn create_organisation(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiJson(input): ApiJson<NewOrganisation>,
) -> ApiResult<(StatusCode, Json<OrganisationBody>)> {
    let org = state.app.create_organisation(&actor, &input).await?;
    Ok((StatusCode::CREATED, Json(org.into())))
}

/// Every area.
#[utoipa::path(get, path = "/v1/areas", tag = "directory", responses((status = 200, body = [AreaBody])))]
pub async fn list_areas(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
) -> ApiResult<Json<Vec<AreaBody>>> {
    Ok(Json(
        state
            .app
            .areas(&actor)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

/// Adds an area (system administrators only).
#[utoipa::path(post, path = "/v1/areas", tag = "directory", request_body = NewArea,
    responses((status = 201, body = AreaBody), (status = 422, body = Problem)))]
pub async fn create_area(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiJson(input): ApiJson<NewArea>,
) -> ApiResult<(StatusCode, Json<AreaBody>)> {
    let area = state.app.create_area(&actor, &input).await?;
    Ok((StatusCode::CREATED, Json(area.into())))
}

/// Services the token may see.
#[utoipa::path(get, path = "/v1/services", tag = "directory", responses((status = 200, body = [ServiceBody])))]
pub async fn list_services(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
) -> ApiResult<Json<Vec<ServiceBody>>> {
    Ok(Json(
        state
            .app
            .services(&actor)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

/// Adds a service to a provider the token administers.
#[utoipa::path(post, path = "/v1/services", tag = "directory", request_body = NewServiceInput,
    responses((status = 201, body = ServiceBody), (status = 422, body = Problem), (status = 403, body = Problem)))]
pub async fn create_service(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiJson(input): ApiJson<NewServiceInput>,
) -> ApiResult<(StatusCode, Json<ServiceBody>)> {
    let service = state.app.create_service(&actor, &input).await?;
    Ok((StatusCode::CREATED, Json(service.into())))
}

/// One service.
#[utoipa::path(get, path = "/v1/services/{id}", tag = "directory", params(("id" = String, Path)),
    responses((status = 200, body = ServiceBody), (status = 404, body = Problem)))]
pub async fn get_service(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<Json<ServiceBody>> {
    Ok(Json(state.app.service(&actor, &id).await?.into()))
}

/// A service's teams.
#[utoipa::path(get, path = "/v1/services/{id}/teams", tag = "directory", params(("id" = String, Path)),
    responses((status = 200, body = [TeamBody]), (status = 404, body = Problem)))]
pub async fn list_teams(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<TeamBody>>> {
    let service = state.app.service(&actor, &id).await?;
    Ok(Json(
        state
            .app
            .teams(&actor, Some(&service.id))
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

/// Adds a team to a service.
#[utoipa::path(post, path = "/v1/services/{id}/teams", tag = "directory", params(("id" = String, Path)), request_body = NewTeam,
    responses((status = 201, body = TeamBody), (status = 422, body = Problem), (status = 403, body = Problem)))]
pub async fn create_team(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<NewTeam>,
) -> ApiResult<(StatusCode, Json<TeamBody>)> {
    let team = state.app.create_team(&actor, &id, &input).await?;
    Ok((StatusCode::CREATED, Json(team.into())))
}

/// Changes a service's name, kind, commissioner and area.
#[utoipa::path(put, path = "/v1/services/{id}", tag = "directory", params(("id" = String, Path)), request_body = UpdateServiceBody,
    responses((status = 200, body = ServiceBody), (status = 422, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn update_service(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<UpdateServiceBody>,
) -> ApiResult<Json<ServiceBody>> {
    let input = NewServiceInput {
        name: body.name,
        kind: body.kind,
        organisation_id: String::new(),
        commissioner_id: body.commissioner_id,
        area_id: body.area_id,
    };
    Ok(Json(
        state.app.update_service(&actor, &id, &input).await?.into(),
    ))
}

/// Renames a team.
#[utoipa::path(put, path = "/v1/teams/{id}", tag = "directory", params(("id" = String, Path)), request_body = NewTeam,
    responses((status = 200, body = TeamBody), (status = 422, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn rename_team(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<NewTeam>,
) -> ApiResult<Json<TeamBody>> {
    Ok(Json(
        state.app.rename_team(&actor, &id, &input).await?.into(),
    ))
}
