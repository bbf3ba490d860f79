//! One meeting: the confidentiality statement to acknowledge, then the
//! agenda (which the coordinator orders), the actions carried from earlier
//! meetings, and the minutes.

use app::AppError;
use app::auth::SessionContext;
use app::marac::{CONFIDENTIALITY_STATEMENT, MeetingView};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use domain::validation::FieldErrors;

use crate::AppState;
use crate::chrome::Chrome;
use crate::errors::{PageError, render_form};
use crate::extract::{ByName, Signed, SignedForm, field as kept};
use crate::messages::{Done, DoneQuery, after_change};

#[derive(Template)]
#[template(path = "marac/meeting.html")]
pub(crate) struct MeetingPage {
    chrome: Chrome,
    v: MeetingView,
    statement: &'static str,
    errors: FieldErrors,
    kept: Vec<(String, String)>,
    notice: Option<String>,
}

async fn meeting_page(
    state: &AppState,
    ctx: &SessionContext,
    id: &str,
    errors: FieldErrors,
    kept: Vec<(String, String)>,
    notice: Option<String>,
) -> Result<Response, PageError> {
    let v = state.app.marac_meeting(&ctx.actor, id).await?.into_inner();
    let title = format!("{} meeting", v.marac.name);
    let page = MeetingPage {
        chrome: Chrome::signed(ctx, &title, "/maracs"),
        v,
        statement: CONFIDENTIALITY_STATEMENT,
        errors,
        kept,
        notice,
    };
    Ok(render_form(&page, page.errors.is_empty()))
}

pub(crate) async fn meeting(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Path(id): Path<String>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, PageError> {
    meeting_page(
        &state,
        &ctx,
        &id,
        FieldErrors::new(),
        Vec::new(),
        done.notice(),
    )
    .await
}

async fn after(
    state: &AppState,
    ctx: &SessionContext,
    id: &str,
    result: Result<Done, AppError>,
    kept: Vec<(String, String)>,
) -> Result<Response, PageError> {
    match result {
        Ok(done) => Ok(after_change(&format!("/maracs/meetings/{id}"), done)),
        Err(AppError::Invalid(errors)) => meeting_page(state, ctx, id, errors, kept, None).await,
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn acknowledge(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm { ctx, pairs, .. }: SignedForm<ByName>,
) -> Result<Response, PageError> {
    let result = state
        .app
        .acknowledge_confidentiality(&ctx.actor, &id)
        .await
        .map(|()| Done::MaracAcknowledged);
    after(&state, &ctx, &id, result, pairs).await
}

pub(crate) async fn minutes(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm { ctx, pairs, .. }: SignedForm<ByName>,
) -> Result<Response, PageError> {
    let result = state
        .app
        .record_marac_minutes(&ctx.actor, &id, kept(&pairs, "minutes"))
        .await
        .map(|()| Done::MaracMinutesRecorded);
    after(&state, &ctx, &id, result, pairs).await
}

/// Moves a case up or down the agenda, then shows the agenda again.
pub(crate) async fn move_case(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm { ctx, pairs, .. }: SignedForm<ByName>,
) -> Result<Response, PageError> {
    let up = kept(&pairs, "direction") == "up";
    state.app.move_on_agenda(&ctx.actor, &id, up).await?;
    let meeting = kept(&pairs, "meeting");
    Ok(after_change(
        &format!("/maracs/meetings/{meeting}"),
        Done::MaracAgendaMoved,
    ))
}
