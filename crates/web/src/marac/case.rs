//! A case on an agenda, as the meeting sees it, and what is posted from it:
//! research, actions and their progress, and the outcome.

use app::AppError;
use app::auth::SessionContext;
use app::marac::{ActionInput, ActionUpdateInput, MaracCaseRead, MaracCaseView, ResearchInput};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::marac::{ActionStatus, NotDoneClass};
use domain::validation::FieldErrors;

use crate::AppState;
use crate::chrome::Chrome;
use crate::errors::{PageError, render_form};
use crate::extract::{ByName, Signed, SignedForm, field as kept};
use crate::messages::{Done, DoneQuery, after_change};

#[derive(Template)]
#[template(path = "marac/case.html")]
pub(crate) struct CasePage {
    chrome: Chrome,
    v: MaracCaseView,
    statuses: &'static [ActionStatus],
    classes: &'static [NotDoneClass],
    errors: FieldErrors,
    kept: Vec<(String, String)>,
    notice: Option<String>,
}

impl CasePage {
    /// Whether an item of research is the actor's own agency's.
    fn owns(&self, research: &app::store::marac::Research) -> bool {
        self.v
            .agency
            .as_ref()
            .is_some_and(|g| g.id == research.agency_id)
    }

    /// Whether the actor may update an action: the coordinator or chair,
    /// or a member of the agency that owns it.
    fn may_update(&self, action: &app::store::marac::Action) -> bool {
        self.v.can_run
            || self
                .v
                .agency
                .as_ref()
                .is_some_and(|g| g.id == action.agency_id)
    }
}

async fn case_page(
    state: &AppState,
    ctx: &SessionContext,
    id: &str,
    errors: FieldErrors,
    kept: Vec<(String, String)>,
    notice: Option<String>,
) -> Result<Response, PageError> {
    let v = match state.app.marac_case(&ctx.actor, id).await? {
        MaracCaseRead::Seen(seen) => seen.into_inner(),
        MaracCaseRead::AcknowledgeFirst { meeting_id } => {
            return Ok(Redirect::to(&format!("/maracs/meetings/{meeting_id}")).into_response());
        }
    };
    let page = CasePage {
        chrome: Chrome::signed(ctx, "Case at the MARAC", "/maracs"),
        v,
        statuses: ActionStatus::ALL,
        classes: NotDoneClass::ALL,
        errors,
        kept,
        notice,
    };
    Ok(render_form(&page, page.errors.is_empty()))
}

pub(crate) async fn marac_case(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Path(id): Path<String>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, PageError> {
    case_page(
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
        Ok(done) => Ok(after_change(&format!("/maracs/cases/{id}"), done)),
        Err(AppError::Invalid(errors)) => case_page(state, ctx, id, errors, kept, None).await,
        Err(e) => Err(e.into()),
    }
}

/// The research form's fields, added or corrected.
fn research_input(pairs: &[(String, String)]) -> ResearchInput {
    ResearchInput {
        item: kept(pairs, "item").into(),
        shareable: kept(pairs, "shareable").into(),
        reason: kept(pairs, "reason").into(),
    }
}

pub(crate) async fn research(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm { ctx, pairs, .. }: SignedForm<ByName>,
) -> Result<Response, PageError> {
    let input = research_input(&pairs);
    let result = state
        .app
        .add_marac_research(&ctx.actor, &id, &input)
        .await
        .map(|_| Done::MaracResearchAdded);
    after(&state, &ctx, &id, result, pairs).await
}

pub(crate) async fn add_action(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm { ctx, pairs, .. }: SignedForm<ByName>,
) -> Result<Response, PageError> {
    let input = ActionInput {
        agency: kept(&pairs, "agency").into(),
        description: kept(&pairs, "description").into(),
        due_on: kept(&pairs, "due_on").into(),
    };
    let result = state
        .app
        .add_marac_action(&ctx.actor, &id, &input)
        .await
        .map(|_| Done::MaracActionAdded);
    after(&state, &ctx, &id, result, pairs).await
}

pub(crate) async fn outcome_of_case(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm { ctx, pairs, .. }: SignedForm<ByName>,
) -> Result<Response, PageError> {
    let result = state
        .app
        .record_marac_outcome(&ctx.actor, &id, kept(&pairs, "outcome"))
        .await
        .map(|()| Done::MaracOutcomeRecorded);
    after(&state, &ctx, &id, result, pairs).await
}

/// Updates an action, then shows its case again.
pub(crate) async fn update_action(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm { ctx, pairs, .. }: SignedForm<ByName>,
) -> Result<Response, PageError> {
    let input = ActionUpdateInput {
        status: kept(&pairs, "status").into(),
        not_done_class: kept(&pairs, "not_done_class").into(),
        note: kept(&pairs, "note").into(),
    };
    let result = state
        .app
        .update_marac_action(&ctx.actor, &id, &input)
        .await
        .map(|_| Done::MaracActionUpdated);
    let case = kept(&pairs, "case").to_string();
    after(&state, &ctx, &case, result, pairs).await
}

/// Corrects an item of the agency's research, then shows its case again.
pub(crate) async fn correct_research(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm { ctx, pairs, .. }: SignedForm<ByName>,
) -> Result<Response, PageError> {
    let input = research_input(&pairs);
    let result = state
        .app
        .correct_marac_research(&ctx.actor, &id, &input)
        .await
        .map(|_| Done::MaracResearchCorrected);
    let case = kept(&pairs, "case").to_string();
    after(&state, &ctx, &case, result, pairs).await
}
