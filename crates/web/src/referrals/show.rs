//! One referral's page, shown again with what was typed when a form on it is refused.

use app::AppError;
use app::auth::SessionContext;
use app::referrals::DeadlineView;
use app::store::people::{ContactPreference, Person};
use app::store::referrals::{ContactAttempt, Referral};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use domain::journey::{AttemptResult, Channel, ReferralStatus};
use domain::policy::{self, Action};
use domain::validation::FieldErrors;

use crate::AppState;
use crate::chrome::Chrome;
use crate::errors::{PageError, render_form};
use crate::extract::{Signed, field as kept};

use super::*;
use crate::messages::{Done, DoneQuery, after_change};

#[derive(Template)]
#[template(path = "referrals/show.html")]
pub(crate) struct ReferralPage {
    pub(crate) chrome: Chrome,
    pub(crate) errors: FieldErrors,
    pub(crate) notice: Option<String>,
    pub(crate) r: Referral,
    pub(crate) deadlines: Vec<DeadlineView>,
    pub(crate) person: Person,
    pub(crate) preferences: Vec<ContactPreference>,
    pub(crate) attempts: Vec<ContactAttempt>,
    pub(crate) can_work: bool,
    pub(crate) case_id: Option<String>,
    /// Whether the case opened from it is still open.
    pub(crate) case_open: bool,
    pub(crate) corrections: Vec<app::people::Correction>,
    pub(crate) marac_flags: Vec<app::marac::MaracFlag>,
    pub(crate) kept: Vec<(String, String)>,
    pub(crate) channels: Options,
    pub(crate) results: Options,
    pub(crate) outcomes: Options,
}

pub(crate) async fn referral_page(
    state: &AppState,
    ctx: &SessionContext,
    id: &str,
    errors: FieldErrors,
    notice: Option<String>,
    kept: Vec<(String, String)>,
) -> Result<Response, PageError> {
    let detail = state.app.referral(&ctx.actor, id).await?.into_inner();
    let place = policy::Place {
        service_id: Some(detail.item.referral.service_id.clone()),
        ..Default::default()
    };
    let case = state
        .app
        .case_of_referral(&ctx.actor, &detail.item.referral.id)
        .await?;
    let page = ReferralPage {
        case_open: case.as_ref().is_some_and(|c| c.status == "open"),
        case_id: case.map(|c| c.id),
        corrections: detail.corrections,
        marac_flags: detail.marac_flags,
        kept,
        chrome: Chrome::signed(ctx, &detail.item.referral.reference, "/referrals"),
        errors,
        notice,
        deadlines: detail.item.deadlines,
        r: detail.item.referral,
        person: detail.person,
        preferences: detail.preferences,
        attempts: detail.attempts,
        can_work: policy::may(&ctx.actor, Action::ManageCases, &place),
        channels: Channel::options(),
        results: AttemptResult::options(),
        outcomes: ReferralStatus::options()
            .into_iter()
            .filter(|o| o.0 != "new")
            .collect(),
    };
    Ok(render_form(&page, page.errors.is_empty()))
}

pub(crate) async fn referral(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Path(id): Path<String>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, PageError> {
    referral_page(
        &state,
        &ctx,
        &id,
        FieldErrors::new(),
        done.notice(),
        Vec::new(),
    )
    .await
}

pub(crate) async fn outcome(
    state: &AppState,
    ctx: &SessionContext,
    id: &str,
    result: Result<Done, AppError>,
    kept: Vec<(String, String)>,
) -> Result<Response, PageError> {
    match result {
        Ok(done) => Ok(after_change(&format!("/referrals/{id}"), done)),
        Err(AppError::Invalid(errors)) => referral_page(state, ctx, id, errors, None, kept).await,
        Err(e) => Err(e.into()),
    }
}
