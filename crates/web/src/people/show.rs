//! A person's own page: their details, their referrals, and the history of
//! corrections to their record.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;

use crate::AppState;
use crate::chrome::Chrome;
use crate::errors::{PageError, render};
use crate::extract::Signed;
use crate::messages::DoneQuery;

#[derive(Template)]
#[template(path = "people/show.html")]
pub(crate) struct PersonPage {
    pub(crate) chrome: Chrome,
    pub(crate) v: app::cases::PersonView,
    pub(crate) notice: Option<String>,
}

pub(crate) async fn person(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Path(id): Path<String>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let v = state.app.person(&ctx.actor, &id).await?.into_inner();
    let title = format!("{} {}", v.person.given_name, v.person.family_name);
    Ok(render(&PersonPage {
        chrome: Chrome::signed(&ctx, &title, "/search"),
        v,
        notice: done.notice(),
    }))
}

/// A field's name as the history shows it.
pub fn field_label(field: &str) -> &str {
    match field {
        "given_name" => "First name",
        "family_name" => "Last name",
        "date_of_birth" => "Date of birth",
        "phone" => "Phone",
        "email" => "Email",
        "address" => "Address",
        "postcode" => "Postcode",
        "gender" => "Gender",
        "ethnicity" => "Ethnic group",
        "disability" => "Disability",
        "sexual_orientation" => "Sexual orientation",
        "religion" => "Religion",
        "first_language" => "First language",
        "interpreter_needed" => "Needs an interpreter",
        "source" => "Where it came from",
        "area_id" => "Area",
        "received_at" => "Received",
        "crime_reported_on" => "Date reported",
        "crime_reference" => "Crime reference",
        "crime_type" => "Crime type",
        "incident_date" => "Date of the incident",
        "account" => "What happened",
        "consent" => "Consent",
        "consent_recorded_on" => "Date consent was recorded",
        "consent_how" => "How consent was given",
        "consent_by" => "Consent recorded by",
        "enhanced_reasons" => "Enhanced rights",
        "passed_due_on" => "Referral passed on by",
        "information_due_on" => "Information due by",
        "contact_due_on" => "First contact due by",
        other => other,
    }
}
