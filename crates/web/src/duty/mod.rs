//! The duty service's pages: who is on duty now, and a rota with its gaps
//! where managers put workers on shifts.

mod handover;
mod now;
mod requests;
mod rota;
mod setup;
mod swap;

use axum::routing::{get, post};
use handover::*;
use now::*;
use requests::*;
use rota::*;
use setup::{correct as correct_rota, create as create_rota, edit_form as edit_rota, setup};
use swap::*;

use crate::routes::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .route("/duty", get(duty))
        .route("/help/duty", get(help))
        .route("/duty/setup", get(setup).post(create_rota))
        .route("/duty/rotas/{id}", get(rota))
        .route("/duty/rotas/{id}/edit", get(edit_rota).post(correct_rota))
        .route("/duty/rotas/{id}/shifts", post(assign))
        .route("/duty/rotas/{id}/shifts/{shift}/clear", post(clear))
        .route("/duty/rotas/{id}/swaps/{swap}", post(decide))
        .route(
            "/duty/rotas/{id}/requests",
            get(requests).post(take_request),
        )
        .route(
            "/duty/rotas/{id}/requests/{request}/actioned",
            post(action_request),
        )
        .route("/duty/shifts/{id}/swap", get(swap_form).post(ask_swap))
        .route("/cases/{id}/handover", get(handover_form).post(hand_over))
}

/// How the duty service works, written once in `docs/duty.md` and shown here.
async fn help(crate::extract::Signed(ctx): crate::extract::Signed) -> axum::response::Response {
    crate::returns::help_page(&ctx, "How the duty service works", "/duty", &DUTY_RULES)
}

static DUTY_RULES: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| crate::returns::markdown(include_str!("../../../../docs/duty.md")));

/// Who a request came from, in words.
pub fn source_label(code: &str) -> &'static str {
    domain::duty::RequestSource::parse(code).map_or("Unknown", |s| s.label())
}

/// What came of a request, in words.
pub fn outcome_label(code: &str) -> &'static str {
    domain::duty::RequestOutcome::parse(code).map_or("Unknown", |o| o.label())
}
