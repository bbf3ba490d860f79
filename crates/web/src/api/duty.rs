//! Who is on duty now, for partners' systems (a police control room, a
//! hospital) with a `directory:read` token: each rota's duty role and how
//! to reach it, never a person's name or own number.

use app::duty::OnDuty;
use axum::Json;
use axum::extract::State;

use super::types::Problem;
use super::{ApiActor, ApiResult};
use crate::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(on_duty_now))
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
