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
    OpenApiRouter::new()
        .routes(routes!(receive_referral, super::casework::list_referrals))
        .routes(routes!(
            referral_progress,
            super::casework::correct_referral
        ))
        .routes(routes!(super::casework::referral_details))
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

/// Where a referral the token's organisation sent stands: no one's details,
/// only its reference, status, first contact and deadlines.
#[derive(Serialize, ToSchema)]
pub struct ReferralProgress {
    pub id: String,
    pub reference: String,
    pub service_id: String,
    pub sender_reference: Option<String>,
    /// new (awaiting contact), accepted, declined, not_contactable, signposted or out_of_area
    pub status: String,
    pub received_at: String,
    /// The day the victim was first reached, if they have been.
    pub first_contact_on: Option<String>,
    pub deadlines: Vec<DeadlineBody>,
}

/// One Victims' Code deadline and whether it was met.
#[derive(Serialize, ToSchema)]
pub struct DeadlineBody {
    pub label: String,
    pub due_on: String,
    /// met, missed, due_today, overdue or due
    pub state: String,
}

/// A referral the token's organisation sent (scope `referrals:write`): where
/// it stands. Another sender's referral is not found. Each read is audited.
#[utoipa::path(get, path = "/v1/referrals/{id}", tag = "referrals", params(("id" = String, Path)),
    responses((status = 200, body = ReferralProgress), (status = 404, body = super::types::Problem)))]
pub async fn referral_progress(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> ApiResult<Json<ReferralProgress>> {
    let item = state.app.referral_progress(&actor, &id).await?.into_inner();
    let r = item.referral;
    Ok(Json(ReferralProgress {
        id: r.id,
        reference: r.reference,
        service_id: r.service_id,
        sender_reference: r.sender_reference,
        status: r.status,
        received_at: r.received_at,
        first_contact_on: r.first_contact_on,
        deadlines: deadline_bodies(item.deadlines),
    }))
}

/// A referral's deadlines as the API gives them.
pub(super) fn deadline_bodies(deadlines: Vec<app::referrals::DeadlineView>) -> Vec<DeadlineBody> {
    deadlines
        .into_iter()
        .map(|d| DeadlineBody {
            label: d.label.to_string(),
            due_on: d.due,
            state: match d.state {
                domain::victims_code::DeadlineState::Met => "met",
                domain::victims_code::DeadlineState::Missed => "missed",
                domain::victims_code::DeadlineState::DueToday => "due_today",
                domain::victims_code::DeadlineState::Overdue => "overdue",
                domain::victims_code::DeadlineState::Pending => "due",
            }
            .to_string(),
        })
        .collect()
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
