//! Linking people to the case, and a person's own page.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;

use crate::AppState;
use crate::chrome::Chrome;
use crate::errors::{PageError, render};
use crate::extract::{Signed, SignedForm};

use super::*;
use crate::messages::Done;

#[derive(Deserialize, Default)]
pub(crate) struct LinkForm {
    #[serde(default)]
    pub(crate) link_given_name: String,
    #[serde(default)]
    pub(crate) link_family_name: String,
    #[serde(default)]
    pub(crate) link_date_of_birth: String,
    #[serde(default)]
    pub(crate) relationship: String,
}

pub(crate) async fn link_person(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: SignedForm<LinkForm>,
) -> Result<Response, PageError> {
    let f = &form.form;
    let result = state
        .app
        .link_person(
            &form.ctx.actor,
            &id,
            &f.link_given_name,
            &f.link_family_name,
            &f.link_date_of_birth,
            &f.relationship,
        )
        .await
        .map(|_| Done::PersonLinked);
    outcome(&state, &form.ctx, &id, result, form.pairs.clone()).await
}

#[derive(Template)]
#[template(path = "cases/person.html")]
pub(crate) struct PersonPage {
    pub(crate) chrome: Chrome,
    pub(crate) v: app::cases::PersonView,
}

pub(crate) async fn person(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let v = state.app.person(&ctx.actor, &id).await?.into_inner();
    let title = format!("{} {}", v.person.given_name, v.person.family_name);
    Ok(render(&PersonPage {
        chrome: Chrome::signed(&ctx, &title, "/search"),
        v,
    }))
}
