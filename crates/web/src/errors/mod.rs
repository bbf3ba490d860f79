//! How errors reach people: a page that says what happened and what to do.
//! Internal failures show a reference that matches the server log, which
//! holds the detail (and never personal data).

use app::AppError;
use askama::Template;
use axum::http::{StatusCode, Uri};
use axum::response::{Html, IntoResponse, Redirect, Response};

use crate::chrome::Chrome;
use crate::messages::{PageMessage, ProblemMessage};

mod problem;

pub(crate) use problem::{ApiError, Problem, ProblemField, problem};

#[derive(Debug)]
pub enum PageError {
    App(AppError),
    /// Send the browser elsewhere, e.g. to sign in.
    Redirect(String),
    /// The request itself was malformed.
    BadRequest(String),
}

impl From<AppError> for PageError {
    fn from(e: AppError) -> Self {
        PageError::App(e)
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    chrome: Chrome,
    heading: String,
    message: String,
    reference: Option<String>,
}

pub fn reference_id() -> String {
    let mut bytes = [0u8; 5];
    let _ = getrandom::fill(&mut bytes);
    hex::encode_upper(bytes)
}

/// What an error page says, kept on the response so [`with_chrome`] can
/// render it again with the signed-in person's navigation.
#[derive(Clone)]
struct ErrorInfo {
    heading: String,
    message: String,
    reference: Option<String>,
}

fn render_error(status: StatusCode, chrome: Chrome, info: &ErrorInfo) -> Response {
    let body = ErrorPage {
        chrome,
        heading: info.heading.clone(),
        message: info.message.clone(),
        reference: info.reference.clone(),
    };
    let mut response = match body.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(_) => (status, info.heading.clone()).into_response(),
    };
    response.extensions_mut().insert(info.clone());
    response
}

fn page(status: StatusCode, heading: &str, message: &str, reference: Option<String>) -> Response {
    let info = ErrorInfo {
        heading: heading.to_string(),
        message: message.to_string(),
        reference,
    };
    render_error(status, Chrome::anonymous(heading), &info)
}

/// Error pages are made without knowing who asked; for a signed-in person
/// this renders them again with their navigation and sign-out, so a refusal
/// or a missing page is not a dead end.
pub async fn with_chrome(
    axum::extract::State(state): axum::extract::State<crate::AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let token = crate::cookies::get(
        request.headers(),
        crate::cookies::SESSION,
        state.config.secure_cookies,
    );
    let response = next.run(request).await;
    let (Some(info), Some(token)) = (response.extensions().get::<ErrorInfo>().cloned(), token)
    else {
        return response;
    };
    match state.app.session(&token).await {
        Ok(Some(ctx)) if ctx.stage == app::auth::Stage::Full => {
            let mut again = render_error(
                response.status(),
                Chrome::signed(&ctx, &info.heading, ""),
                &info,
            );
            if let Some(retry) = response.headers().get(axum::http::header::RETRY_AFTER) {
                again
                    .headers_mut()
                    .insert(axum::http::header::RETRY_AFTER, retry.clone());
            }
            if let Some(failure) = response.extensions().get::<StorageFailure>() {
                again.extensions_mut().insert(failure.clone());
            }
            again
        }
        _ => response,
    }
}

/// How long a client is asked to wait after a storage failure.
pub const RETRY_AFTER_SECS: u32 = 30;

/// Storage failed under this response. The response carries it so that
/// [`note_storage_failures`] can record it once in the storage health,
/// instead of each request logging its own line.
#[derive(Clone)]
pub struct StorageFailure(pub String);

/// Marks a response as a storage failure: `Retry-After`, and the cause for
/// [`note_storage_failures`].
pub fn storage_unavailable(mut response: Response, cause: String) -> Response {
    response.headers_mut().insert(
        axum::http::header::RETRY_AFTER,
        axum::http::HeaderValue::from(RETRY_AFTER_SECS),
    );
    response.extensions_mut().insert(StorageFailure(cause));
    response
}

/// Records the storage failures that responses carry in the storage health,
/// which logs when failing starts and when it ends.
pub async fn note_storage_failures(
    axum::extract::State(state): axum::extract::State<crate::AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let response = next.run(request).await;
    if let Some(StorageFailure(cause)) = response.extensions().get::<StorageFailure>() {
        state.app.db.health().refused(cause);
    }
    response
}

/// Logs an internal failure under a fresh reference and returns the reference.
pub fn log_internal(error: &dyn std::fmt::Display) -> String {
    let reference = reference_id();
    tracing::error!(reference = %reference, error = %error, "request failed");
    reference
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        match self {
            PageError::Redirect(to) => Redirect::to(&to).into_response(),
            PageError::BadRequest(what) => page(
                StatusCode::BAD_REQUEST,
                &PageMessage::BadRequestTitle.english(),
                &what,
                None,
            ),
            PageError::App(e) => match e {
                AppError::NotFound => not_found_page(),
                AppError::Forbidden | AppError::LoginFailed => page(
                    StatusCode::FORBIDDEN,
                    &PageMessage::ForbiddenTitle.english(),
                    &PageMessage::ForbiddenBody.english(),
                    None,
                ),
                AppError::Unauthenticated => Redirect::to("/login").into_response(),
                AppError::Throttled { retry_after_secs } => {
                    let minutes = (retry_after_secs + 59) / 60;
                    page(
                        StatusCode::TOO_MANY_REQUESTS,
                        &PageMessage::ThrottledTitle.english(),
                        &PageMessage::ThrottledBody { minutes }.english(),
                        None,
                    )
                }
                AppError::SentDifferently(_) => page(
                    StatusCode::CONFLICT,
                    &PageMessage::SentDifferentlyTitle.english(),
                    &PageMessage::SentDifferentlyBody.english(),
                    None,
                ),
                AppError::AlreadySent => page(
                    StatusCode::CONFLICT,
                    &PageMessage::AlreadySentTitle.english(),
                    &PageMessage::AlreadySentBody.english(),
                    None,
                ),
                AppError::PossibleDuplicates(_) => page(
                    StatusCode::CONFLICT,
                    &PageMessage::DuplicateTitle.english(),
                    &PageMessage::DuplicateBody.english(),
                    None,
                ),
                AppError::Invalid(errors) => {
                    let text = errors
                        .0
                        .iter()
                        .map(|e| e.message.clone())
                        .collect::<Vec<_>>()
                        .join(". ");
                    page(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        &PageMessage::InvalidTitle.english(),
                        &text,
                        None,
                    )
                }
                other if other.storage_failure().is_some() => {
                    let cause = other.storage_failure().unwrap_or_default();
                    storage_unavailable(
                        page(
                            StatusCode::SERVICE_UNAVAILABLE,
                            &PageMessage::StorageTitle.english(),
                            &PageMessage::StorageBody.english(),
                            None,
                        ),
                        cause,
                    )
                }
                other => {
                    let reference = log_internal(&other);
                    page(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        &PageMessage::InternalTitle.english(),
                        &PageMessage::InternalBody.english(),
                        Some(reference),
                    )
                }
            },
        }
    }
}

fn not_found_page() -> Response {
    page(
        StatusCode::NOT_FOUND,
        &PageMessage::NotFoundTitle.english(),
        &PageMessage::NotFoundBody.english(),
        None,
    )
}

/// A form's address opened as a page (Enter in the address bar after a
/// post, a bookmark): to the page it belongs to, the nearest address above
/// it that the router serves. If that one also only takes posts, this
/// answer repeats one level up. Other methods get 405 as before.
pub async fn method_not_allowed(method: axum::http::Method, uri: Uri) -> Response {
    if method != axum::http::Method::GET || uri.path().starts_with("/api/") {
        return StatusCode::METHOD_NOT_ALLOWED.into_response();
    }
    // A case's forms belong to the part of the case they sit on.
    if let Some(page) = crate::cases::page_of_form(uri.path()) {
        return Redirect::to(&page).into_response();
    }
    static ROUTES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    let routes = ROUTES.get_or_init(crate::route_paths);
    let mut segments: Vec<&str> = uri.path().trim_end_matches('/').split('/').collect();
    while segments.len() > 1 {
        segments.pop();
        let candidate = segments.join("/");
        if routes.iter().any(|route| route_fits(route, &candidate)) {
            return Redirect::to(&candidate).into_response();
        }
    }
    Redirect::to("/").into_response()
}

/// Whether a concrete path is served by a route pattern (`{…}` segments match anything).
fn route_fits(route: &str, path: &str) -> bool {
    let (route, path): (Vec<&str>, Vec<&str>) =
        (route.split('/').collect(), path.split('/').collect());
    route.len() == path.len()
        && route
            .iter()
            .zip(&path)
            .all(|(r, p)| r.starts_with('{') || r == p)
}

pub async fn not_found(uri: Uri) -> Response {
    if uri.path().starts_with("/api/") {
        return problem(
            StatusCode::NOT_FOUND,
            &ProblemMessage::NotFoundTitle.english(),
            &ProblemMessage::NoSuchEndpoint.english(),
            Vec::new(),
        );
    }
    not_found_page()
}

/// Renders a page, or the internal-error page if the template fails.
pub fn render<T: Template>(template: &T) -> Response {
    match template.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => PageError::App(AppError::Internal(format!("template: {e}"))).into_response(),
    }
}

/// Renders a form page: as usual when `valid`, otherwise as 422 (the form
/// shown again with its errors), so tools can tell.
pub fn render_form<T: Template>(template: &T, valid: bool) -> Response {
    let mut response = render(template);
    if !valid && response.status() == StatusCode::OK {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full_disk() -> AppError {
        AppError::Store(store::StoreError::Database(sqlx::Error::Io(
            std::io::Error::other("No space left on device"),
        )))
    }

    #[test]
    fn storage_failures_are_503_with_retry_after_on_pages_and_api() {
        for response in [
            PageError::App(full_disk()).into_response(),
            ApiError::from(full_disk()).into_response(),
        ] {
            assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
            assert_eq!(
                response.headers()[axum::http::header::RETRY_AFTER],
                RETRY_AFTER_SECS.to_string()
            );
            assert!(
                response.extensions().get::<StorageFailure>().is_some(),
                "noted for the storage health"
            );
        }
        let internal = PageError::App(AppError::Internal("a bug".into())).into_response();
        assert_eq!(internal.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(
            internal
                .headers()
                .get(axum::http::header::RETRY_AFTER)
                .is_none()
        );
    }
}
