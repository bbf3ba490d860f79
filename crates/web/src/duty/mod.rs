//! The duty service's pages: who is on duty now, and a rota with its gaps
//! where managers put workers on shifts.

mod now;
mod rota;
mod swap;

use axum::routing::{get, post};
use now::*;
use rota::*;
use swap::*;

use crate::routes::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .route("/duty", get(duty))
        .route("/help/duty", get(help))
        .route("/duty/rotas/{id}", get(rota))
        .route("/duty/rotas/{id}/shifts", post(assign))
        .route("/duty/rotas/{id}/shifts/{shift}/clear", post(clear))
        .route("/duty/rotas/{id}/swaps/{swap}", post(decide))
        .route("/duty/shifts/{id}/swap", get(swap_form).post(ask_swap))
}

/// How the duty service works, written once in `docs/duty.md` and shown here.
async fn help(crate::extract::Signed(ctx): crate::extract::Signed) -> axum::response::Response {
    crate::returns::help_page(&ctx, "How the duty service works", "/duty", &DUTY_RULES)
}

static DUTY_RULES: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| crate::returns::markdown(include_str!("../../../../docs/duty.md")));
