//! Teams of a service: adding, one team's page, renaming.

use app::AppError;
use app::directory::NewTeam;
use app::store::directory::Team;
use app::store::users::User;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::policy::{self, Action};
use domain::validation::FieldErrors;
use serde::Deserialize;

use crate::AppState;
use crate::chrome::Chrome;
use crate::errors::{PageError, render_form};
use crate::extract::{Signed, SignedForm};

use super::*;

#[derive(Deserialize, Default)]
pub(crate) struct NameForm {
    #[serde(default)]
    name: String,
}

pub(crate) async fn create_team(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: SignedForm<NameForm>,
) -> Result<Response, PageError> {
    let SignedForm { ctx, form, .. } = form;
    match state
        .app
        .create_team(
            &ctx.actor,
            &id,
            &NewTeam {
                name: form.name.clone(),
            },
        )
        .await
    {
        Ok(team) => Ok(Redirect::to(&format!("/teams/{}", team.id)).into_response()),
        Err(AppError::Invalid(errors)) => service_page(&state, &ctx, &id, errors, form.name).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "directory/team.html")]
struct TeamPage {
    chrome: Chrome,
    team: Team,
    members: Option<Vec<User>>,
    can_manage: bool,
    errors: FieldErrors,
    new_name: String,
}

pub(crate) async fn team_page(
    state: &AppState,
    ctx: &app::auth::SessionContext,
    id: &str,
    errors: FieldErrors,
    new_name: String,
) -> Result<Response, PageError> {
    let team = state.app.team(&ctx.actor, id).await?;
    let service = state.app.service(&ctx.actor, &team.service_id).await?;
    let place = app::directory::place_of_service(&service);
    let members = if policy::may(&ctx.actor, Action::ViewStaff, &place) {
        let staff = state.app.staff(&ctx.actor, None).await?;
        Some(
            staff
                .into_iter()
                .filter(|u| u.team_id.as_deref() == Some(team.id.as_str()))
                .collect(),
        )
    } else {
        None
    };
    let page = TeamPage {
        chrome: Chrome::signed(ctx, &team.name, "/services"),
        can_manage: policy::may(&ctx.actor, Action::ManageTeams, &place),
        team,
        members,
        errors,
        new_name,
    };
    Ok(render_form(&page, page.errors.is_empty()))
}

pub(crate) async fn team(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    team_page(&state, &ctx, &id, FieldErrors::new(), String::new()).await
}

pub(crate) async fn rename_team(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: SignedForm<NameForm>,
) -> Result<Response, PageError> {
    let SignedForm { ctx, form, .. } = form;
    match state
        .app
        .rename_team(
            &ctx.actor,
            &id,
            &NewTeam {
                name: form.name.clone(),
            },
        )
        .await
    {
        Ok(team) => Ok(Redirect::to(&format!("/teams/{}", team.id)).into_response()),
        Err(AppError::Invalid(errors)) => team_page(&state, &ctx, &id, errors, form.name).await,
        Err(e) => Err(e.into()),
    }
}
