//! A person's own page, correcting their details (the person's fields are
//! shared with the new referral form), and the review of records that may
//! be one person.

mod duplicates;
mod edit;
mod show;

use axum::routing::{get, post};
use domain::journey::{Disability, Ethnicity, Gender, Religion, SexualOrientation};

use crate::referrals::{Options, not_known_first};
use crate::routes::Routes;
use duplicates::*;
use edit::*;
pub(crate) use show::field_label;
use show::*;

pub fn routes() -> Routes {
    Routes::new()
        .route("/people/duplicates", get(duplicates))
        .route("/people/duplicates/{id}", get(duplicate))
        .route("/people/duplicates/{id}/merge", post(merge))
        .route("/people/duplicates/{id}/dismiss", post(dismiss))
        .route("/people/{id}", get(person))
        .route("/people/{id}/edit", get(edit_page).post(correct))
}

/// The characteristics asked of a person: (field, question, options).
pub(crate) fn demographics() -> Vec<(&'static str, &'static str, Options)> {
    vec![
        ("gender", "Gender", not_known_first(Gender::options())),
        (
            "ethnicity",
            "Ethnic group",
            not_known_first(Ethnicity::options()),
        ),
        (
            "disability",
            "Disability",
            not_known_first(Disability::options()),
        ),
        (
            "sexual_orientation",
            "Sexual orientation",
            not_known_first(SexualOrientation::options()),
        ),
        ("religion", "Religion", not_known_first(Religion::options())),
    ]
}

/// The answer chosen for one of the [`demographics`].
pub(crate) fn chosen<'a>(person: &'a app::people::PersonInput, field: &str) -> &'a str {
    match field {
        "gender" => &person.gender,
        "ethnicity" => &person.ethnicity,
        "disability" => &person.disability,
        "sexual_orientation" => &person.sexual_orientation,
        "religion" => &person.religion,
        _ => "",
    }
}
