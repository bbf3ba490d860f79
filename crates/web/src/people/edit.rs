//! Correcting a person's details: the form, filled with what is held, and
//! its post.

use app::AppError;
use app::auth::SessionContext;
use app::people::PersonInput;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use domain::validation::FieldErrors;
use serde::Deserialize;

use crate::AppState;
use crate::chrome::Chrome;
use crate::errors::{PageError, render_form};
use crate::extract::{Signed, SignedForm};
use crate::messages::{Done, after_change};
use crate::referrals::Options;

/// The correction form: the person's one field list.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct PersonForm {
    #[serde(flatten)]
    pub(crate) person: PersonInput,
}

#[derive(Template)]
#[template(path = "people/edit.html")]
pub(crate) struct EditPage {
    pub(crate) chrome: Chrome,
    pub(crate) id: String,
    pub(crate) errors: FieldErrors,
    pub(crate) form: PersonForm,
    pub(crate) demographics: Vec<(&'static str, &'static str, Options)>,
}

fn edit_form(ctx: &SessionContext, id: &str, form: PersonForm, errors: FieldErrors) -> Response {
    let page = EditPage {
        chrome: Chrome::signed(ctx, "Correct a person's details", "/search"),
        id: id.to_string(),
        errors,
        form,
        demographics: super::demographics(),
    };
    render_form(&page, page.errors.is_empty())
}

/// The form, filled with the details held (a read of the person, audited).
pub(crate) async fn edit_page(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let held = state.app.person(&ctx.actor, &id).await?.into_inner().person;
    let form = PersonForm {
        person: PersonInput::from(&held),
    };
    Ok(edit_form(&ctx, &id, form, FieldErrors::new()))
}

pub(crate) async fn correct(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm { ctx, form, .. }: SignedForm<PersonForm>,
) -> Result<Response, PageError> {
    match state
        .app
        .correct_person(&ctx.actor, &id, &form.person)
        .await
    {
        Ok(_) => Ok(after_change(
            &format!("/people/{id}"),
            Done::PersonCorrected,
        )),
        Err(AppError::Invalid(errors)) => Ok(edit_form(&ctx, &id, form, errors)),
        Err(e) => Err(e.into()),
    }
}
