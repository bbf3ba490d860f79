//! The MARAC's own pages, for its members, coordinator and chair: the
//! MARACs they serve on, a meeting with its agenda, and a case on it.
//! A referral to a MARAC is made from the case's page (`cases::marac`).

mod case;
mod figures;
mod list;
mod meeting;
mod setup;

use axum::routing::{get, post};
use case::*;
use figures::*;
use list::*;
use meeting::*;
use setup::*;

use crate::routes::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .route("/maracs", get(maracs))
        .route("/maracs/setup", get(setup).post(create))
        .route("/maracs/{id}/edit", get(edit_form).post(correct))
        .route("/maracs/{id}/figures", get(figures))
        .route("/maracs/{id}/meetings", post(schedule))
        .route("/help/marac", get(help))
        .route("/maracs/meetings/{id}", get(meeting))
        .route("/maracs/meetings/{id}/acknowledge", post(acknowledge))
        .route("/maracs/meetings/{id}/minutes", post(minutes))
        .route("/maracs/cases/{id}", get(marac_case))
        .route("/maracs/cases/{id}/move", post(move_case))
        .route("/maracs/cases/{id}/research", post(research))
        .route("/maracs/cases/{id}/actions", post(add_action))
        .route("/maracs/cases/{id}/outcome", post(outcome_of_case))
        .route("/maracs/actions/{id}", post(update_action))
        .route("/maracs/research/{id}", post(correct_research))
}

/// How the MARAC works and how its figures are counted, written once in
/// `docs/marac.md` and shown here.
async fn help(crate::extract::Signed(ctx): crate::extract::Signed) -> axum::response::Response {
    crate::returns::help_page(&ctx, "How the MARAC works", "/maracs", &MARAC_RULES)
}

static MARAC_RULES: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    crate::returns::markdown(include_str!("../../../../docs/marac.md"))
});

/// An action's status in words.
pub fn status_label(code: &str) -> &'static str {
    domain::marac::ActionStatus::parse(code).map_or("Unknown", |s| s.label())
}

/// Why an action was not done, in words.
pub fn class_label(code: &str) -> &'static str {
    domain::marac::NotDoneClass::parse(code).map_or("", |c| c.label())
}

/// A gender in words, from its code.
pub fn gender_label(code: &str) -> &'static str {
    domain::journey::Gender::parse(code).map_or("Not known", |g| g.label())
}
