//! Sign-in, the second factor, sign-out and the person's own account.

mod account;
mod second_factor;
mod sign_in;

use account::*;
use second_factor::*;
use sign_in::*;

use axum::routing::{get, post};

use crate::routes::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .route("/login", get(login_page).post(login))
        .route("/login/code", get(code_page).post(code))
        .route("/logout", post(logout))
        .route("/account", get(account_page))
        .route("/account/keep-alive", get(keep_alive))
        .route("/account/password", post(change_password))
        .route("/account/second-factor", get(enrol_page).post(enrol))
}
