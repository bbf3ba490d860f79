//! Errors for machine clients: `application/problem+json` (RFC 9457), with
//! the field each error is about.

use app::AppError;
use axum::Json;
use axum::http::header::{CONTENT_TYPE, WWW_AUTHENTICATE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use domain::validation::FieldError;

use super::log_internal;
use crate::messages::ProblemMessage;
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
                &ProblemMessage::InvalidTitle.english(),
                &ProblemMessage::InvalidDetail.english(),
                errors.0,
            ),
            AppError::PossibleDuplicates(_) => problem(
                StatusCode::CONFLICT,
                &ProblemMessage::DuplicateTitle.english(),
                &ProblemMessage::DuplicateDetail.english(),
                vec![],
            ),
            AppError::SentDifferently(fields) => problem(
                StatusCode::CONFLICT,
                &ProblemMessage::SentDifferentlyTitle.english(),
                &ProblemMessage::SentDifferentlyDetail.english(),
                fields
                    .into_iter()
                    .map(|field| FieldError {
                        field,
                        message: ProblemMessage::SentDifferentlyField.english(),
                    })
                    .collect(),
            ),
            AppError::AlreadySent => problem(
                StatusCode::CONFLICT,
                &ProblemMessage::AlreadySentTitle.english(),
                &ProblemMessage::AlreadySentDetail.english(),
                vec![],
            ),
            AppError::NotFound => problem(
                StatusCode::NOT_FOUND,
                &ProblemMessage::NotFoundTitle.english(),
                &ProblemMessage::NotFoundDetail.english(),
                vec![],
            ),
            AppError::Forbidden | AppError::LoginFailed => problem(
                StatusCode::FORBIDDEN,
                &ProblemMessage::ForbiddenTitle.english(),
                &ProblemMessage::ForbiddenDetail.english(),
                vec![],
            ),
            AppError::Unauthenticated => unauthenticated(),
            AppError::Throttled { retry_after_secs } => {
                let mut response = problem(
                    StatusCode::TOO_MANY_REQUESTS,
                    &ProblemMessage::ThrottledTitle.english(),
                    &ProblemMessage::ThrottledDetail {
                        seconds: retry_after_secs,
                    }
                    .english(),
                    vec![],
                );
                response.headers_mut().insert(
                    axum::http::header::RETRY_AFTER,
                    axum::http::HeaderValue::from(retry_after_secs.max(1)),
                );
                response
            }
            other if other.storage_failure().is_some() => {
                let cause = other.storage_failure().unwrap_or_default();
                crate::errors::storage_unavailable(
                    problem(
                        StatusCode::SERVICE_UNAVAILABLE,
                        &ProblemMessage::StorageTitle.english(),
                        &ProblemMessage::StorageDetail.english(),
                        vec![],
                    ),
                    cause,
                )
            }
            other => {
                let reference = log_internal(&other);
                problem(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    &ProblemMessage::InternalTitle.english(),
                    &ProblemMessage::InternalDetail { reference }.english(),
                    vec![],
                )
            }
        }
    }
}

fn unauthenticated() -> Response {
    let mut response = problem(
        StatusCode::UNAUTHORIZED,
        &ProblemMessage::UnauthenticatedTitle.english(),
        &ProblemMessage::UnauthenticatedDetail.english(),
        vec![],
    );
    response
        .headers_mut()
        .insert(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    response
}
