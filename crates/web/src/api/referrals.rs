//! Referrals received from police forces, hubs and partners.

use app::referrals::{PersonChoice, ReferralInput};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;

use super::{ApiActor, ApiJson, ApiResult};
use crate::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(receive_referral))
}

/// What the sender gets back: the service's reference and its deadlines.
#[derive(Serialize, ToSchema)]
pub struct ReferralReceipt {
    pub id: String,
    pub reference: String,
    pub service_id: String,
    pub status: String,
    pub enhanced: bool,
    pub passed_due_on: Option<String>,
    pub information_due_on: String,
    pub contact_due_on: String,
    /// False when this was a resend of a referral already received.
    pub created: bool,
}

/// Sends a referral to a service (scope `referrals:write`). Idempotent on
/// `sender_reference`: a resend answers 200 with the referral already held.
#[utoipa::path(post, path = "/v1/referrals", tag = "referrals", request_body = ReferralInput,
    responses((status = 201, body = ReferralReceipt), (status = 200, body = ReferralReceipt),
        (status = 422, body = super::types::Problem), (status = 403, body = super::types::Problem)))]
pub async fn receive_referral(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiJson(input): ApiJson<ReferralInput>,
) -> ApiResult<(StatusCode, Json<ReferralReceipt>)> {
    let taken = state
        .app
        .take_referral(&actor, &input, &PersonChoice::sender())
        .await?;
    let r = taken.referral;
    let status = if taken.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        Json(ReferralReceipt {
            id: r.id,
            reference: r.reference,
            service_id: r.service_id,
            status: r.status,
            enhanced: r.enhanced != 0,
            passed_due_on: r.passed_due_on,
            information_due_on: r.information_due_on,
            contact_due_on: r.contact_due_on,
            created: taken.created,
        }),
    ))
}
