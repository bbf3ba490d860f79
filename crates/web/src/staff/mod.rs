//! Staff accounts: lists, adding people, roles, disabling and resets.

mod list;
mod member;
mod new;

use list::*;
use member::*;
use new::*;

use axum::routing::{get, post};
use domain::policy::Role;

use crate::routes::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .route("/staff", get(list))
        .route("/staff/new", get(new_page).post(create))
        .route("/staff/{id}", get(member))
        .route("/staff/{id}/disable", post(disable))
        .route("/staff/{id}/enable", post(enable))
        .route("/staff/{id}/password", post(reset_password))
        .route("/staff/{id}/second-factor/reset", post(reset_second_factor))
        .route("/staff/{id}/grants", post(add_grant))
        .route("/staff/{id}/team", post(set_team))
        .route("/staff/{id}/grants/{grant}/remove", post(remove_grant))
}

pub fn role_label(code: &str) -> &'static str {
    Role::parse(code)
        .map(|r| r.label())
        .unwrap_or("Unknown role")
}
