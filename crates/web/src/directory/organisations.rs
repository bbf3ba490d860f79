//! Organisations: the list and adding one.

use app::AppError;
use app::directory::NewOrganisation;
use app::store::directory::Organisation;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use domain::directory::OrganisationKind;
use domain::policy::{self, Action};
use domain::validation::FieldErrors;

use crate::AppState;
use crate::chrome::Chrome;
use crate::errors::{PageError, render_form};
use crate::extract::{Signed, SignedForm};

use super::*;
use crate::messages::{Done, DoneQuery, after_change};

#[derive(Template)]
#[template(path = "directory/organisations.html")]
struct OrganisationsPage {
    chrome: Chrome,
    errors: FieldErrors,
    form: KindForm,
    organisations: Vec<Organisation>,
    kinds: Vec<(&'static str, &'static str)>,
    can_add: bool,
    notice: Option<String>,
}

pub(crate) async fn organisations_page(
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

pub(crate) async fn organisations(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Query(done): Query<DoneQuery>,
) -> Result<Response, PageError> {
    organisations_page(
        &state,
        &ctx,
        KindForm::default(),
        FieldErrors::new(),
        done.notice(),
    )
    .await
}

pub(crate) async fn create_organisation(
    State(state): State<AppState>,
    form: SignedForm<KindForm>,
) -> Result<Response, PageError> {
    let SignedForm { ctx, form, .. } = form;
    let input = NewOrganisation {
        name: form.name.clone(),
        kind: form.kind.clone(),
    };
    match state.app.create_organisation(&ctx.actor, &input).await {
        Ok(_) => Ok(after_change("/organisations", Done::OrganisationAdded)),
        Err(AppError::Invalid(errors)) => {
            organisations_page(&state, &ctx, form, errors, None).await
        }
        Err(e) => Err(e.into()),
    }
}
