use crate::AppState;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
pub fn routes() -> axum::Router<AppState> { axum::Router::new() }
pub fn openapi_document() -> String { String::new() }
pub fn problem(status: StatusCode, title: &str, detail: &str, _e: Vec<()>) -> Response { (status, format!("{title}{detail}")).into_response() }
