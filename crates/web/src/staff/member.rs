//! One member of staff's page, and what a manager changes there: disabling, enabling, passwords, second factors, roles and team.

use app::AppError;
use app::auth::SessionContext;
use app::store::directory::Team;
use app::store::users::{GrantRow, User};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use domain::policy::{self, Action, Role};
use domain::validation::FieldErrors;
use serde::Deserialize;

use crate::AppState;
use crate::chrome::Chrome;
use crate::errors::{PageError, render_form};
use crate::extract::{Signed, SignedForm};

use super::*;
use crate::confirm::{Ask, ask_first};
use crate::messages::ConfirmMessage;
use crate::messages::{Done, DoneQuery, after_change};

#[derive(Template)]
#[template(path = "staff/member.html")]
pub(crate) struct MemberPage {
    chrome: Chrome,
    errors: FieldErrors,
    user: User,
    grants: Vec<GrantRow>,
    open_cases: i64,
    can_manage: bool,
    roles: Vec<(&'static str, &'static str)>,
    /// Teams of the person's service, offered to those who manage them.
    teams: Vec<Team>,
    /// MARACs a MARAC role may be held over.
    maracs: Vec<app::marac::Marac>,
    notice: Option<String>,
}

pub(crate) async fn member_page(
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
    let maracs = if can_manage {
        state.app.maracs().await?
    } else {
        Vec::new()
    };
    let page = MemberPage {
        teams,
        maracs,
        chrome: Chrome::signed(ctx, &detail.user.display_name, "/staff"),
        errors,
        user: detail.user,
        grants: detail.grants,
        open_cases: detail.open_cases,
        can_manage,
        roles: Role::for_people(),
        notice,
    };
    Ok(render_form(&page, page.errors.is_empty()))
}

pub(crate) async fn member(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Path(id): Path<String>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, PageError> {
    member_page(&state, &ctx, &id, FieldErrors::new(), done.notice()).await
}

/// Shows the outcome of an action on the member's page: a notice, or the errors.
pub(crate) async fn outcome(
    state: &AppState,
    ctx: &SessionContext,
    id: &str,
    result: Result<Done, AppError>,
) -> Result<Response, PageError> {
    match result {
        Ok(done) => Ok(after_change(&format!("/staff/{id}"), done)),
        Err(AppError::Invalid(errors)) => member_page(state, ctx, id, errors, None).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
pub(crate) struct Empty {}

pub(crate) async fn disable(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: SignedForm<Empty>,
) -> Result<Response, PageError> {
    let ask = Ask {
        question: ConfirmMessage::DisableAccount,
        consequence: ConfirmMessage::DisableAccountConsequence,
        yes: ConfirmMessage::DisableAccountYes,
    };
    let back = format!("/staff/{id}");
    let held = state.app.open_cases_held(&form.ctx.actor, &id).await?;
    let ask = if held > 0 {
        ask.warning_first(
            ConfirmMessage::DisableAccountHoldsCases { count: held },
            "Reallocate their open cases first",
            &format!("/cases?scope=service&worker={id}"),
        )
    } else {
        ask.into()
    };
    if let Some(asking) = ask_first(&form, ask, &format!("{back}/disable"), &back) {
        return Ok(asking);
    }
    let result = state
        .app
        .set_staff_disabled(&form.ctx.actor, &id, true)
        .await
        .map(|_| Done::AccountDisabled);
    outcome(&state, &form.ctx, &id, result).await
}

pub(crate) async fn enable(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: SignedForm<Empty>,
) -> Result<Response, PageError> {
    let result = state
        .app
        .set_staff_disabled(&form.ctx.actor, &id, false)
        .await
        .map(|_| Done::AccountEnabled);
    outcome(&state, &form.ctx, &id, result).await
}

#[derive(Deserialize, Default)]
pub(crate) struct PasswordForm {
    #[serde(default)]
    password: String,
}

pub(crate) async fn reset_password(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: SignedForm<PasswordForm>,
) -> Result<Response, PageError> {
    let result = state
        .app
        .reset_staff_password(&form.ctx.actor, &id, &form.form.password)
        .await
        .map(|_| Done::PasswordChanged);
    outcome(&state, &form.ctx, &id, result).await
}

pub(crate) async fn reset_second_factor(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: SignedForm<Empty>,
) -> Result<Response, PageError> {
    let result = state
        .app
        .reset_staff_second_factor(&form.ctx.actor, &id)
        .await
        .map(|_| Done::SecondFactorRemoved);
    outcome(&state, &form.ctx, &id, result).await
}

#[derive(Deserialize, Default)]
pub(crate) struct GrantForm {
    #[serde(default)]
    role: String,
    #[serde(default)]
    scope: String,
}

pub(crate) async fn add_grant(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: SignedForm<GrantForm>,
) -> Result<Response, PageError> {
    let result = state
        .app
        .add_grant(&form.ctx.actor, &id, &form.form.role, &form.form.scope)
        .await
        .map(|_| Done::RoleGiven);
    outcome(&state, &form.ctx, &id, result).await
}

pub(crate) async fn remove_grant(
    State(state): State<AppState>,
    Path((id, grant)): Path<(String, String)>,
    form: SignedForm<Empty>,
) -> Result<Response, PageError> {
    let ask = Ask {
        question: ConfirmMessage::RemoveRole,
        consequence: ConfirmMessage::RemoveRoleConsequence,
        yes: ConfirmMessage::RemoveRoleYes,
    };
    let back = format!("/staff/{id}");
    let action = format!("{back}/grants/{grant}/remove");
    if let Some(asking) = ask_first(&form, ask, &action, &back) {
        return Ok(asking);
    }
    let result = state
        .app
        .remove_grant(&form.ctx.actor, &id, &grant)
        .await
        .map(|_| Done::RoleRemoved);
    outcome(&state, &form.ctx, &id, result).await
}

#[derive(Deserialize, Default)]
pub(crate) struct TeamForm {
    #[serde(default)]
    team_id: String,
}

pub(crate) async fn set_team(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: SignedForm<TeamForm>,
) -> Result<Response, PageError> {
    let result = state
        .app
        .set_staff_team(&form.ctx.actor, &id, Some(&form.form.team_id))
        .await
        .map(|_| Done::TeamChanged);
    outcome(&state, &form.ctx, &id, result).await
}
