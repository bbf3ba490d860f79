//! Areas: the list and adding one.

use app::AppError;
use app::directory::NewArea;
use app::store::directory::Area;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use domain::directory::AreaKind;
use domain::policy::{self, Action};
use domain::validation::FieldErrors;

use crate::AppState;
use crate::chrome::Chrome;
use crate::errors::{PageError, render_form};
use crate::extract::{Signed, SignedForm};

use super::*;
use crate::messages::{Done, DoneQuery, after_change};

#[derive(Template)]
#[template(path = "directory/areas.html")]
struct AreasPage {
    chrome: Chrome,
    errors: FieldErrors,
    form: KindForm,
    areas: Vec<Area>,
    kinds: Vec<(&'static str, &'static str)>,
    can_add: bool,
    notice: Option<String>,
}

pub(crate) async fn areas_page(
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

pub(crate) async fn areas(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Query(done): Query<DoneQuery>,
) -> Result<Response, PageError> {
    areas_page(
        &state,
        &ctx,
        KindForm::default(),
        FieldErrors::new(),
        done.notice(),
    )
    .await
}

pub(crate) async fn create_area(
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
        Ok(_) => Ok(after_change("/areas", Done::AreaAdded)),
        Err(AppError::Invalid(errors)) => areas_page(&state, &ctx, form, errors, None).await,
        Err(e) => Err(e.into()),
    }
}
