//! Services, teams, organisations and areas.

use app::AppError;
use app::directory::{NewArea, NewOrganisation, NewServiceInput, NewTeam};
use app::store::directory::{Area, Organisation, Service, Team};
use app::store::users::User;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::directory::{AreaKind, OrganisationKind, ServiceKind};
use domain::policy::{self, Action};
use domain::validation::FieldErrors;
use serde::Deserialize;

use crate::AppState;
use crate::chrome::Chrome;
use crate::errors::{PageError, render, render_form};
use crate::extract::{Signed, SignedForm};
use crate::routes::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .route("/services", get(services))
        .route("/services/new", get(new_service_page).post(create_service))
        .route("/services/{id}", get(service))
        .route("/services/{id}/teams", post(create_team))
        .route(
            "/services/{id}/edit",
            get(edit_service_page).post(update_service),
        )
        .route("/teams/{id}", get(team))
        .route("/teams/{id}/rename", post(rename_team))
        .route(
            "/organisations",
            get(organisations).post(create_organisation),
        )
        .route("/areas", get(areas).post(create_area))
}

pub fn service_kind(code: &str) -> &'static str {
    ServiceKind::parse(code)
        .map(|k| k.label())
        .unwrap_or("Other")
}

pub fn organisation_kind(code: &str) -> &'static str {
    OrganisationKind::parse(code)
        .map(|k| k.label())
        .unwrap_or("Other")
}

pub fn area_kind(code: &str) -> &'static str {
    AreaKind::parse(code).map(|k| k.label()).unwrap_or("Other")
}

fn area_name<'a>(areas: &'a [Area], id: &Option<String>) -> &'a str {
    id.as_ref()
        .and_then(|id| areas.iter().find(|a| &a.id == id))
        .map(|a| a.name.as_str())
        .unwrap_or("–")
}

#[derive(Template)]
#[template(path = "services.html")]
struct ServicesPage {
    chrome: Chrome,
    services: Vec<Service>,
    can_add: bool,
}

async fn services(
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
#[template(path = "service.html")]
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

async fn service_page(
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

async fn service(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    service_page(&state, &ctx, &id, FieldErrors::new(), String::new()).await
}

#[derive(Deserialize, Default)]
struct NameForm {
    #[serde(default)]
    name: String,
}

async fn create_team(
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
#[template(path = "team.html")]
struct TeamPage {
    chrome: Chrome,
    team: Team,
    members: Option<Vec<User>>,
    can_manage: bool,
    errors: FieldErrors,
    new_name: String,
}

async fn team_page(
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

async fn team(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    team_page(&state, &ctx, &id, FieldErrors::new(), String::new()).await
}

async fn rename_team(
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

#[derive(Deserialize, Default)]
struct ServiceForm {
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
#[template(path = "service_new.html")]
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

async fn new_service_form(
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

async fn new_service_page(
    State(state): State<AppState>,
    Signed(ctx): Signed,
) -> Result<Response, PageError> {
    new_service_form(&state, &ctx, ServiceForm::default(), FieldErrors::new()).await
}

async fn create_service(
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

#[derive(Deserialize, Default)]
struct KindForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    parent_id: String,
}

#[derive(Template)]
#[template(path = "organisations.html")]
struct OrganisationsPage {
    chrome: Chrome,
    errors: FieldErrors,
    form: KindForm,
    organisations: Vec<Organisation>,
    kinds: Vec<(&'static str, &'static str)>,
    can_add: bool,
    notice: Option<String>,
}

async fn organisations_page(
    state: &AppState,
    ctx: &app::auth::SessionContext,
    form: KindForm,
    errors: FieldErrors,
    notice: Option<String>,
) -> Result<Response, PageError> {
    if !policy::may_somewhere(&ctx.actor, Action::ManageDirectory) {
        return Err(AppError::Forbidden.into());
    }
    let page = OrganisationsPage {
        chrome: Chrome::signed(ctx, "Organisations", "/organisations"),
        organisations: state.app.organisations(&ctx.actor).await?,
        kinds: OrganisationKind::options(),
        can_add: policy::may(
            &ctx.actor,
            Action::ManageDirectory,
            &policy::Place::default(),
        ),
        form,
        errors,
        notice,
    };
    Ok(render_form(&page, page.errors.is_empty()))
}

async fn organisations(
    State(state): State<AppState>,
    Signed(ctx): Signed,
) -> Result<Response, PageError> {
    organisations_page(&state, &ctx, KindForm::default(), FieldErrors::new(), None).await
}

async fn create_organisation(
    State(state): State<AppState>,
    form: SignedForm<KindForm>,
) -> Result<Response, PageError> {
    let SignedForm { ctx, form, .. } = form;
    let input = NewOrganisation {
        name: form.name.clone(),
        kind: form.kind.clone(),
    };
    match state.app.create_organisation(&ctx.actor, &input).await {
        Ok(org) => {
            organisations_page(
                &state,
                &ctx,
                KindForm::default(),
                FieldErrors::new(),
                Some(format!("{} has been added.", org.name)),
            )
            .await
        }
        Err(AppError::Invalid(errors)) => {
            organisations_page(&state, &ctx, form, errors, None).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "areas.html")]
struct AreasPage {
    chrome: Chrome,
    errors: FieldErrors,
    form: KindForm,
    areas: Vec<Area>,
    kinds: Vec<(&'static str, &'static str)>,
    can_add: bool,
    notice: Option<String>,
}

async fn areas_page(
    state: &AppState,
    ctx: &app::auth::SessionContext,
    form: KindForm,
    errors: FieldErrors,
    notice: Option<String>,
) -> Result<Response, PageError> {
    if !policy::may_somewhere(&ctx.actor, Action::ManageDirectory) {
        return Err(AppError::Forbidden.into());
    }
    let page = AreasPage {
        chrome: Chrome::signed(ctx, "Areas", "/areas"),
        areas: state.app.areas(&ctx.actor).await?,
        kinds: AreaKind::options(),
        can_add: policy::may(
            &ctx.actor,
            Action::ManageDirectory,
            &policy::Place::default(),
        ),
        form,
        errors,
        notice,
    };
    Ok(render_form(&page, page.errors.is_empty()))
}

async fn areas(State(state): State<AppState>, Signed(ctx): Signed) -> Result<Response, PageError> {
    areas_page(&state, &ctx, KindForm::default(), FieldErrors::new(), None).await
}

async fn create_area(
    State(state): State<AppState>,
    form: SignedForm<KindForm>,
) -> Result<Response, PageError> {
    let SignedForm { ctx, form, .. } = form;
    let input = NewArea {
        name: form.name.clone(),
        kind: form.kind.clone(),
        parent_id: Some(form.parent_id.clone()),
    };
    match state.app.create_area(&ctx.actor, &input).await {
        Ok(area) => {
            areas_page(
                &state,
                &ctx,
                KindForm::default(),
                FieldErrors::new(),
                Some(format!("{} has been added.", area.name)),
            )
            .await
        }
        Err(AppError::Invalid(errors)) => areas_page(&state, &ctx, form, errors, None).await,
        Err(e) => Err(e.into()),
    }
}

async fn edit_service_form(
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

async fn edit_service_page(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    edit_service_form(&state, &ctx, &id, None, FieldErrors::new()).await
}

async fn update_service(
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
