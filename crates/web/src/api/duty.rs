//! Who is on duty now, for partners' systems (a police control room, a
//! hospital) with a `directory:read` token: each rota's duty role and how
//! to reach it, never a person's name or own number.

use app::duty::{OnDuty, SentRequestInput};
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
        .routes(routes!(on_duty_now))
        .routes(routes!(receive_duty_request))
}

/// What the sender gets back: the request's id and when its first attempt
/// is due; nothing of anyone's details.
#[derive(Serialize, ToSchema)]
pub struct DutyRequestReceipt {
    pub id: String,
    pub rota_id: String,
    pub service_id: String,
    pub sender_reference: Option<String>,
    pub received_at: String,
    /// When the first attempt is due, by the rota's rule (UTC).
    pub target_at: String,
    /// False when this was a resend of a request already received.
    pub created: bool,
}

/// Sends a request to a duty rota (scope `referrals:write`, the token
/// pointing at a service that shares the rota). Idempotent on
/// `sender_reference`: a resend answers 200 with the request already held;
/// different content under the same reference answers 409.
#[utoipa::path(post, path = "/v1/duty/rotas/{id}/requests", tag = "duty",
    params(("id" = String, Path)), request_body = SentRequestInput,
    responses((status = 201, body = DutyRequestReceipt), (status = 200, body = DutyRequestReceipt),
        (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem)))]
pub async fn receive_duty_request(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<SentRequestInput>,
) -> ApiResult<(StatusCode, Json<DutyRequestReceipt>)> {
    let received = state.app.receive_duty_request(&actor, &id, &input).await?;
    let q = received.request;
    let status = if received.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        Json(DutyRequestReceipt {
            id: q.id,
            rota_id: q.rota_id,
            service_id: q.service_id,
            sender_reference: q.sender_reference,
            received_at: q.received_at,
            target_at: q.target_at,
            created: received.created,
        }),
    ))
}

/// Every duty rota's role and duty line now, whether anyone is on duty,
/// and until when (UTC).
#[utoipa::path(get, path = "/v1/duty/now", tag = "duty",
    responses((status = 200, body = [OnDuty]), (status = 403, body = Problem)))]
pub async fn on_duty_now(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
) -> ApiResult<Json<Vec<OnDuty>>> {
    Ok(Json(state.app.on_duty_now(&actor).await?))
}
