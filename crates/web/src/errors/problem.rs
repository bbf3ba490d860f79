//! Errors for machine clients: `application/problem+json` (RFC 9457), with
//! the field each error is about.

use app::AppError;
use axum::Json;
use axum::http::header::{CONTENT_TYPE, WWW_AUTHENTICATE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use domain::validation::FieldError;

use super::log_internal;
use serde::Serialize;
use utoipa::ToSchema;

/// An error, as RFC 9457 problem details with the fields at fault.
#[derive(Serialize, ToSchema)]
pub struct Problem {
    pub r#type: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    pub errors: Vec<ProblemField>,
}

#[derive(Serialize, ToSchema)]
pub struct ProblemField {
    pub field: String,
    pub message: String,
}

/// A problem document response.
pub fn problem(status: StatusCode, title: &str, detail: &str, errors: Vec<FieldError>) -> Response {
    let body = Problem {
        r#type: "about:blank".into(),
        title: title.into(),
        status: status.as_u16(),
        detail: detail.into(),
        errors: errors
            .into_iter()
            .map(|e| ProblemField {
                field: e.field,
                message: e.message,
            })
            .collect(),
    };
    let mut response = (status, Json(body)).into_response();
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    response
}

/// Errors from API handlers, as problem documents.
pub struct ApiError(pub(crate) AppError);

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self.0 {
            AppError::Invalid(errors) => problem(
                StatusCode::UNPROCESSABLE_ENTITY,
                "The request has invalid fields",
                "Correct the fields listed in errors and send it again.",
                errors.0,
            ),
            AppError::PossibleDuplicates(_) => problem(
                StatusCode::CONFLICT,
                "This person may already be known",
                "Send existing_person_id to link, or confirm_new_person: true.",
                vec![],
            ),
            AppError::NotFound => problem(
                StatusCode::NOT_FOUND,
                "Not found",
                "No such record, or not one this token may see.",
                vec![],
            ),
            AppError::Forbidden | AppError::LoginFailed => problem(
                StatusCode::FORBIDDEN,
                "Forbidden",
                "This token's scopes do not allow this.",
                vec![],
            ),
            AppError::Unauthenticated => unauthenticated(),
            AppError::Throttled { retry_after_secs } => problem(
                StatusCode::TOO_MANY_REQUESTS,
                "Too many requests",
                &format!("Try again in {retry_after_secs} seconds."),
                vec![],
            ),
            other if other.storage_failure().is_some() => {
                let cause = other.storage_failure().unwrap_or_default();
                crate::errors::storage_unavailable(
                    problem(
                        StatusCode::SERVICE_UNAVAILABLE,
                        "Storage unavailable",
                        "Nothing was changed. Send the same request again after Retry-After seconds.",
                        vec![],
                    ),
                    cause,
                )
            }
            other => {
                let reference = log_internal(&other);
                problem(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Internal error",
                    &format!(
                        "Nothing was changed. Quote reference {reference} to the administrator."
                    ),
                    vec![],
                )
            }
        }
    }
}

fn unauthenticated() -> Response {
    let mut response = problem(
        StatusCode::UNAUTHORIZED,
        "Authentication required",
        "Send a live API token as 'Authorization: Bearer wm_…'.",
        vec![],
    );
    response
        .headers_mut()
        .insert(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    response
}
