//! Staff accounts: lists, adding people, roles, disabling and resets.

use app::AppError;
use app::auth::SessionContext;
use app::staff::NewStaff;
use app::store::directory::{Organisation, Service, Team};
use app::store::users::{GrantRow, User};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::policy::{self, Action, Role};
use domain::validation::FieldErrors;
use serde::Deserialize;

use crate::AppState;
use crate::chrome::Chrome;
use crate::errors::{PageError, render, render_form};
use crate::extract::{Signed, SignedForm};
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

#[derive(Deserialize, Default)]
struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    service: String,
}

#[derive(Template)]
#[template(path = "staff_list.html")]
struct ListPage {
    chrome: Chrome,
    staff: Vec<User>,
    query: String,
    service: String,
    can_add: bool,
}

async fn list(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Query(query): Query<ListQuery>,
) -> Result<Response, PageError> {
    let mut staff = state.app.staff(&ctx.actor, Some(&query.q)).await?;
    if !query.service.is_empty() {
        staff.retain(|u| u.service_id.as_deref() == Some(query.service.as_str()));
    }
    Ok(render(&ListPage {
        chrome: Chrome::signed(&ctx, "Staff", "/staff"),
        staff,
        query: query.q,
        service: query.service,
        can_add: policy::may_somewhere(&ctx.actor, Action::ManageStaff),
    }))
}

#[derive(Template)]
#[template(path = "staff_new.html")]
struct NewPage {
    chrome: Chrome,
    errors: FieldErrors,
    form: NewStaff,
    organisations: Vec<Organisation>,
    services: Vec<Service>,
    teams: Vec<Team>,
    roles: Vec<(&'static str, &'static str)>,
}

async fn new_form(
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
        roles: Role::options(),
    };
    Ok(render_form(&page, page.errors.is_empty()))
}

async fn new_page(
    State(state): State<AppState>,
    Signed(ctx): Signed,
) -> Result<Response, PageError> {
    new_form(&state, &ctx, NewStaff::default(), FieldErrors::new()).await
}

async fn create(
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

#[derive(Template)]
#[template(path = "staff_member.html")]
struct MemberPage {
    chrome: Chrome,
    errors: FieldErrors,
    user: User,
    grants: Vec<GrantRow>,
    can_manage: bool,
    roles: Vec<(&'static str, &'static str)>,
    /// Teams of the person's service, offered to those who manage them.
    teams: Vec<Team>,
    notice: Option<String>,
}

async fn member_page(
    state: &AppState,
    ctx: &SessionContext,
    id: &str,
    errors: FieldErrors,
    notice: Option<String>,
) -> Result<Response, PageError> {
    let detail = state.app.staff_member(&ctx.actor, id).await?.into_inner();
    let can_manage = policy::may(
        &ctx.actor,
        Action::ManageStaff,
        &app::staff::place_of_user(&detail.user),
    );
    let teams = match (&detail.user.service_id, can_manage) {
        (Some(service), true) => state.app.teams(&ctx.actor, Some(service)).await?,
        _ => Vec::new(),
    };
    let page = MemberPage {
        teams,
        chrome: Chrome::signed(ctx, &detail.user.display_name, "/staff"),
        errors,
        user: detail.user,
        grants: detail.grants,
        can_manage,
        roles: Role::options(),
        notice,
    };
    Ok(render_form(&page, page.errors.is_empty()))
}

async fn member(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    member_page(&state, &ctx, &id, FieldErrors::new(), None).await
}

/// Shows the outcome of an action on the member's page: a notice, or the errors.
async fn outcome(
    state: &AppState,
    ctx: &SessionContext,
    id: &str,
    result: Result<&str, AppError>,
) -> Result<Response, PageError> {
    match result {
        Ok(notice) => {
            member_page(state, ctx, id, FieldErrors::new(), Some(notice.to_string())).await
        }
        Err(AppError::Invalid(errors)) => member_page(state, ctx, id, errors, None).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
struct Empty {}

async fn disable(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: SignedForm<Empty>,
) -> Result<Response, PageError> {
    let result = state
        .app
        .set_staff_disabled(&form.ctx.actor, &id, true)
        .await
        .map(|_| "The account has been disabled and its sessions ended.");
    outcome(&state, &form.ctx, &id, result).await
}

async fn enable(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: SignedForm<Empty>,
) -> Result<Response, PageError> {
    let result = state
        .app
        .set_staff_disabled(&form.ctx.actor, &id, false)
        .await
        .map(|_| "The account has been enabled.");
    outcome(&state, &form.ctx, &id, result).await
}

#[derive(Deserialize, Default)]
struct PasswordForm {
    #[serde(default)]
    password: String,
}

async fn reset_password(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: SignedForm<PasswordForm>,
) -> Result<Response, PageError> {
    let result = state
        .app
        .reset_staff_password(&form.ctx.actor, &id, &form.form.password)
        .await
        .map(|_| "The password has been changed and their sessions ended.");
    outcome(&state, &form.ctx, &id, result).await
}

async fn reset_second_factor(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: SignedForm<Empty>,
) -> Result<Response, PageError> {
    let result = state
        .app
        .reset_staff_second_factor(&form.ctx.actor, &id)
        .await
        .map(|_| "Their second factor has been removed. They will set up a new one when they next sign in, if their role needs it.");
    outcome(&state, &form.ctx, &id, result).await
}

#[derive(Deserialize, Default)]
struct GrantForm {
    #[serde(default)]
    role: String,
    #[serde(default)]
    scope: String,
}

async fn add_grant(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: SignedForm<GrantForm>,
) -> Result<Response, PageError> {
    let result = state
        .app
        .add_grant(&form.ctx.actor, &id, &form.form.role, &form.form.scope)
        .await
        .map(|_| "The role has been given.");
    outcome(&state, &form.ctx, &id, result).await
}

async fn remove_grant(
    State(state): State<AppState>,
    Path((id, grant)): Path<(String, String)>,
    form: SignedForm<Empty>,
) -> Result<Response, PageError> {
    let result = state
        .app
        .remove_grant(&form.ctx.actor, &id, &grant)
        .await
        .map(|_| "The role has been removed.");
    outcome(&state, &form.ctx, &id, result).await
}

#[derive(Deserialize, Default)]
struct TeamForm {
    #[serde(default)]
    team_id: String,
}

async fn set_team(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: SignedForm<TeamForm>,
) -> Result<Response, PageError> {
    let result = state
        .app
        .set_staff_team(&form.ctx.actor, &id, Some(&form.form.team_id))
        .await
        .map(|_| "Their team has been changed.");
    outcome(&state, &form.ctx, &id, result).await
}
