//! The services pages: the list, one service, adding and changing a service.

use app::AppError;
use app::directory::NewServiceInput;
use app::store::directory::{Area, Organisation, Service, Team};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::directory::ServiceKind;
use domain::policy::{self, Action};
use domain::validation::FieldErrors;
use serde::Deserialize;

use crate::AppState;
use crate::chrome::Chrome;
use crate::errors::{PageError, render, render_form};
use crate::extract::{Signed, SignedForm};

use super::*;

#[derive(Template)]
#[template(path = "directory/services.html")]
struct ServicesPage {
    chrome: Chrome,
    services: Vec<Service>,
    can_add: bool,
}

pub(crate) async fn services(
    State(state): State<AppState>,
    Signed(ctx): Signed,
) -> Result<Response, PageError> {
    if !policy::may_somewhere(&ctx.actor, Action::ViewDirectory) {
        return Err(AppError::Forbidden.into());
    }
    let services = state.app.services(&ctx.actor).await?;
    Ok(render(&ServicesPage {
        chrome: Chrome::signed(&ctx, "Services", "/services"),
        services,
        can_add: policy::may_somewhere(&ctx.actor, Action::ManageDirectory),
    }))
}

#[derive(Template)]
#[template(path = "directory/service.html")]
struct ServicePage {
    chrome: Chrome,
    service: Service,
    teams: Vec<Team>,
    can_manage_teams: bool,
    can_view_staff: bool,
    can_edit: bool,
    errors: FieldErrors,
    team_name: String,
}

pub(crate) async fn service_page(
    state: &AppState,
    ctx: &app::auth::SessionContext,
    id: &str,
    errors: FieldErrors,
    team_name: String,
) -> Result<Response, PageError> {
    let service = state.app.service(&ctx.actor, id).await?;
    let teams = state.app.teams(&ctx.actor, Some(&service.id)).await?;
    let place = app::directory::place_of_service(&service);
    let page = ServicePage {
        chrome: Chrome::signed(ctx, &service.name, "/services"),
        can_manage_teams: policy::may(&ctx.actor, Action::ManageTeams, &place),
        can_view_staff: policy::may(&ctx.actor, Action::ViewStaff, &place),
        can_edit: policy::may(
            &ctx.actor,
            Action::ManageDirectory,
            &policy::Place {
                organisation_id: Some(service.organisation_id.clone()),
                ..Default::default()
            },
        ),
        service,
        teams,
        team_name,
        errors,
    };
    Ok(render_form(&page, page.errors.is_empty()))
}

pub(crate) async fn service(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    service_page(&state, &ctx, &id, FieldErrors::new(), String::new()).await
}

#[derive(Deserialize, Default)]
pub(crate) struct ServiceForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    organisation_id: String,
    #[serde(default)]
    commissioner_id: String,
    #[serde(default)]
    area_id: String,
}

#[derive(Template)]
#[template(path = "directory/service_new.html")]
struct NewServicePage {
    chrome: Chrome,
    heading: String,
    action: String,
    button: String,
    errors: FieldErrors,
    form: ServiceForm,
    kinds: Vec<(&'static str, &'static str)>,
    providers: Vec<Organisation>,
    commissioners: Vec<Organisation>,
    areas: Vec<Area>,
}

pub(crate) async fn new_service_form(
    state: &AppState,
    ctx: &app::auth::SessionContext,
    form: ServiceForm,
    errors: FieldErrors,
) -> Result<Response, PageError> {
    if !policy::may_somewhere(&ctx.actor, Action::ManageDirectory) {
        return Err(AppError::Forbidden.into());
    }
    let organisations = state.app.organisations(&ctx.actor).await?;
    let manageable = |o: &Organisation| {
        policy::may(
            &ctx.actor,
            Action::ManageDirectory,
            &policy::Place {
                organisation_id: Some(o.id.clone()),
                ..Default::default()
            },
        )
    };
    let providers = organisations
        .iter()
        .filter(|o| (o.kind == "provider" || o.kind == "partner") && manageable(o))
        .cloned()
        .collect();
    let commissioners = organisations
        .into_iter()
        .filter(|o| o.kind == "commissioner")
        .collect();
    let page = NewServicePage {
        chrome: Chrome::signed(ctx, "Add a service", "/services"),
        heading: "Add a service".into(),
        action: "/services/new".into(),
        button: "Add service".into(),
        kinds: ServiceKind::options(),
        providers,
        commissioners,
        areas: state.app.areas(&ctx.actor).await?,
        form,
        errors,
    };
    Ok(render_form(&page, page.errors.is_empty()))
}

pub(crate) async fn new_service_page(
    State(state): State<AppState>,
    Signed(ctx): Signed,
) -> Result<Response, PageError> {
    new_service_form(&state, &ctx, ServiceForm::default(), FieldErrors::new()).await
}

pub(crate) async fn create_service(
    State(state): State<AppState>,
    form: SignedForm<ServiceForm>,
) -> Result<Response, PageError> {
    let SignedForm { ctx, form, .. } = form;
    let input = NewServiceInput {
        name: form.name.clone(),
        kind: form.kind.clone(),
        organisation_id: form.organisation_id.clone(),
        commissioner_id: Some(form.commissioner_id.clone()),
        area_id: form.area_id.clone(),
    };
    match state.app.create_service(&ctx.actor, &input).await {
        Ok(service) => Ok(Redirect::to(&format!("/services/{}", service.id)).into_response()),
        Err(AppError::Invalid(errors)) => new_service_form(&state, &ctx, form, errors).await,
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn edit_service_form(
    state: &AppState,
    ctx: &app::auth::SessionContext,
    id: &str,
    form: Option<ServiceForm>,
    errors: FieldErrors,
) -> Result<Response, PageError> {
    let service = state.app.service(&ctx.actor, id).await?;
    let place = policy::Place {
        organisation_id: Some(service.organisation_id.clone()),
        ..Default::default()
    };
    if !policy::may(&ctx.actor, Action::ManageDirectory, &place) {
        return Err(AppError::Forbidden.into());
    }
    let form = form.unwrap_or(ServiceForm {
        name: service.name.clone(),
        kind: service.kind.clone(),
        organisation_id: service.organisation_id.clone(),
        commissioner_id: service.commissioner_id.clone().unwrap_or_default(),
        area_id: service.area_id.clone(),
    });
    let commissioners = state
        .app
        .organisations(&ctx.actor)
        .await?
        .into_iter()
        .filter(|o| o.kind == "commissioner")
        .collect();
    let page = NewServicePage {
        chrome: Chrome::signed(ctx, "Change a service", "/services"),
        heading: format!("Change {}", service.name),
        action: format!("/services/{}/edit", service.id),
        button: "Save changes".into(),
        kinds: ServiceKind::options(),
        providers: Vec::new(),
        commissioners,
        areas: state.app.areas(&ctx.actor).await?,
        form,
        errors,
    };
    Ok(render_form(&page, page.errors.is_empty()))
}

pub(crate) async fn edit_service_page(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    edit_service_form(&state, &ctx, &id, None, FieldErrors::new()).await
}

pub(crate) async fn update_service(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: SignedForm<ServiceForm>,
) -> Result<Response, PageError> {
    let SignedForm { ctx, form, .. } = form;
    let input = NewServiceInput {
        name: form.name.clone(),
        kind: form.kind.clone(),
        organisation_id: String::new(),
        commissioner_id: Some(form.commissioner_id.clone()),
        area_id: form.area_id.clone(),
    };
    match state.app.update_service(&ctx.actor, &id, &input).await {
        Ok(service) => Ok(Redirect::to(&format!("/services/{}", service.id)).into_response()),
        Err(AppError::Invalid(errors)) => {
            edit_service_form(&state, &ctx, &id, Some(form), errors).await
        }
        Err(e) => Err(e.into()),
    }
}
