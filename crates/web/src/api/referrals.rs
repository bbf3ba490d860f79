//! Referrals received from police forces, hubs and partners.

use app::referrals::ReferralInput;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ApiActor, ApiJson, ApiResult};
use crate::AppState;
use crate::routes::Routes;

pub fn routes() -> Routes {
    Routes::new().route("/v1/referrals", post(receive_referral))
}

/// A referral as a sender sends it. Dates are `YYYY-MM-DD`; `received_at`
/// is RFC 3339 (now if left out). Codes are those of the code lists in the
/// documentation.
#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct NewReferralBody {
    /// The receiving service; leave empty to route by `area`.
    pub service_id: String,
    /// The area the referral concerns: a police force area or district, by name or id (optional).
    pub area: String,
    /// police, hub, partner, self or other
    pub source: String,
    /// The sender's own reference. Sending the same one again returns the
    /// referral already received instead of making a second.
    pub sender_reference: String,
    pub received_at: String,
    pub crime_reported_on: String,
    pub crime_reference: String,
    pub crime_type: String,
    pub incident_date: String,
    /// given, declined, withdrawn or not_asked
    pub consent: String,
    pub consent_recorded_on: String,
    pub consent_how: String,
    pub consent_by: String,
    /// most_serious_crime, persistently_targeted, vulnerable, intimidated
    pub enhanced_reasons: Vec<String>,
    pub given_name: String,
    pub family_name: String,
    pub date_of_birth: String,
    pub phone: String,
    pub email: String,
    pub address: String,
    pub postcode: String,
    pub gender: String,
    pub ethnicity: String,
    pub disability: String,
    pub sexual_orientation: String,
    pub religion: String,
    pub first_language: String,
    pub interpreter_needed: bool,
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
#[utoipa::path(post, path = "/api/v1/referrals", tag = "referrals", request_body = NewReferralBody,
    responses((status = 201, body = ReferralReceipt), (status = 200, body = ReferralReceipt),
        (status = 422, body = super::types::Problem), (status = 403, body = super::types::Problem)))]
pub async fn receive_referral(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiJson(body): ApiJson<NewReferralBody>,
) -> ApiResult<(StatusCode, Json<ReferralReceipt>)> {
    let input = ReferralInput {
        service_id: body.service_id,
        area: body.area,
        source: body.source,
        sender_reference: body.sender_reference,
        received_at: body.received_at,
        crime_reported_on: body.crime_reported_on,
        crime_reference: body.crime_reference,
        crime_type: body.crime_type,
        incident_date: body.incident_date,
        consent: body.consent,
        consent_recorded_on: body.consent_recorded_on,
        consent_how: body.consent_how,
        consent_by: body.consent_by,
        enhanced_reasons: body.enhanced_reasons,
        given_name: body.given_name,
        family_name: body.family_name,
        date_of_birth: body.date_of_birth,
        phone: body.phone,
        email: body.email,
        address: body.address,
        postcode: body.postcode,
        gender: body.gender,
        ethnicity: body.ethnicity,
        disability: body.disability,
        sexual_orientation: body.sexual_orientation,
        religion: body.religion,
        first_language: body.first_language,
        interpreter_needed: body.interpreter_needed,
        // Senders cannot see who is known: a possible duplicate is recorded
        // as a new person and the service links them if they are the same.
        existing_person_id: String::new(),
        confirm_new_person: true,
    };
    let taken = state.app.take_referral(&actor, &input).await?;
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
