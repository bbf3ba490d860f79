//! Risk assessment pages: the form for a case, and one assessment with its
//! answers. The case's risk history is a part of the case page.

mod assessment;
mod new;

use assessment::*;
use axum::routing::{get, post};
use new::*;

use crate::routes::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .route("/cases/{id}/risk/new", get(new_form).post(assess))
        .route("/cases/{id}/risk/{assessment}", get(assessment))
        .route("/cases/{id}/risk/{assessment}/withdraw", post(withdraw))
}

/// A level's words, from its code.
pub fn level_label(code: &str) -> &'static str {
    domain::risk::Level::parse(code)
        .map(|l| l.label())
        .unwrap_or("Unknown")
}

/// The tag colour for a level: high stands out.
pub fn level_class(code: &str) -> &'static str {
    match code {
        "high" => " tag-red",
        "medium" => " tag-amber",
        _ => "",
    }
}
