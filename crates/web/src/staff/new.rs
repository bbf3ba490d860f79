//! Adding a member of staff.

use app::AppError;
use app::auth::SessionContext;
use app::staff::NewStaff;
use app::store::directory::{Organisation, Service, Team};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use domain::policy::{self, Action, Role};
use domain::validation::FieldErrors;

use crate::AppState;
use crate::chrome::Chrome;
use crate::errors::{PageError, render_form};
use crate::extract::{Signed, SignedForm};

#[derive(Template)]
#[template(path = "staff/new.html")]
pub(crate) struct NewPage {
    chrome: Chrome,
    errors: FieldErrors,
    form: NewStaff,
    organisations: Vec<Organisation>,
    services: Vec<Service>,
    teams: Vec<Team>,
    roles: Vec<(&'static str, &'static str)>,
}

pub(crate) async fn new_form(
    state: &AppState,
    ctx: &SessionContext,
    form: NewStaff,
    errors: FieldErrors,
) -> Result<Response, PageError> {
    if !policy::may_somewhere(&ctx.actor, Action::ManageStaff) {
        return Err(AppError::Forbidden.into());
    }
    let manage = policy::visibility(&ctx.actor, Action::ManageStaff);
    let services: Vec<Service> = state
        .app
        .services(&ctx.actor)
        .await?
        .into_iter()
        .filter(|s| manage.contains(&app::directory::place_of_service(s)))
        .collect();
    let organisations = state
        .app
        .organisations(&ctx.actor)
        .await?
        .into_iter()
        .filter(|o| {
            manage.contains(&policy::Place {
                organisation_id: Some(o.id.clone()),
                ..Default::default()
            }) || services.iter().any(|s| s.organisation_id == o.id)
        })
        .collect();
    let teams = state
        .app
        .teams(&ctx.actor, None)
        .await?
        .into_iter()
        .filter(|t| services.iter().any(|s| s.id == t.service_id))
        .collect();
    let page = NewPage {
        chrome: Chrome::signed(ctx, "Add a member of staff", "/staff"),
        errors,
        form,
        organisations,
        services,
        teams,
        roles: Role::for_people(),
    };
    Ok(render_form(&page, page.errors.is_empty()))
}

pub(crate) async fn new_page(
    State(state): State<AppState>,
    Signed(ctx): Signed,
) -> Result<Response, PageError> {
    new_form(&state, &ctx, NewStaff::default(), FieldErrors::new()).await
}

pub(crate) async fn create(
    State(state): State<AppState>,
    form: SignedForm<NewStaff>,
) -> Result<Response, PageError> {
    let SignedForm { ctx, mut form, .. } = form;
    match state.app.create_staff(&ctx.actor, &form).await {
        Ok(user) => Ok(Redirect::to(&format!("/staff/{}", user.id)).into_response()),
        Err(AppError::Invalid(errors)) => {
            form.password.clear();
            new_form(&state, &ctx, form, errors).await
        }
        Err(e) => Err(e.into()),
    }
}
