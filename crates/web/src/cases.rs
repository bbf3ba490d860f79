//! Cases: lists and caseloads, and the case page with its casework forms.

use app::AppError;
use app::auth::SessionContext;
use app::cases::{CaseDetail, Closure};
use app::store::cases::{Case, Caseload, Need};
use app::store::users::User;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use domain::cases::{
    CaseStatus, ClosureReason, ContactKind, NeedArea, NeedLevel, OutcomeMeasure, OutcomeResult,
    Satisfaction,
};
use domain::journey::Channel;
use domain::policy::{self, Action};
use domain::validation::FieldErrors;
use serde::Deserialize;

use crate::AppState;
use crate::chrome::Chrome;
use crate::errors::{PageError, render, render_form};
use crate::extract::{ByName, Signed, SignedForm, field as kept};
use crate::routes::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .route("/cases", get(list))
        .route("/cases/{id}", get(case))
        .route("/cases/{id}/allocate", post(allocate))
        .route("/cases/{id}/needs", post(needs))
        .route("/cases/{id}/plan", post(plan))
        .route("/cases/{id}/contacts", post(contact))
        .route("/cases/{id}/notes", post(note))
        .route("/cases/{id}/notes/{note}/reveal", post(reveal))
        .route("/cases/{id}/tasks", post(task))
        .route("/cases/{id}/tasks/{task}/done", post(task_done))
        .route("/cases/{id}/onward", post(onward))
        .route("/cases/{id}/close", post(close))
        .route("/cases/{id}/people", post(link_person))
        .route("/people/{id}", get(person))
}

type Options = Vec<(&'static str, &'static str)>;

pub fn relationship_label(code: &str) -> &'static str {
    domain::cases::Relationship::parse(code)
        .map(|r| r.label())
        .unwrap_or("Unknown")
}

fn area_label(code: &str) -> &'static str {
    NeedArea::parse(code)
        .map(|a| a.label())
        .unwrap_or("Unknown")
}

fn kind_label(code: &str) -> &'static str {
    ContactKind::parse(code)
        .map(|a| a.label())
        .unwrap_or("Unknown")
}

fn closure_label(code: &str) -> &'static str {
    ClosureReason::parse(code)
        .map(|a| a.label())
        .unwrap_or("Unknown")
}

fn measure_label(code: &str) -> &'static str {
    OutcomeMeasure::parse(code)
        .map(|a| a.label())
        .unwrap_or("Unknown")
}

fn result_label(code: &str) -> &'static str {
    OutcomeResult::parse(code)
        .map(|a| a.label())
        .unwrap_or("Unknown")
}

fn need_level<'a>(needs: &'a [Need], area: &str) -> &'a str {
    needs
        .iter()
        .find(|n| n.area == area)
        .map(|n| n.level.as_str())
        .unwrap_or("")
}

fn need_notes<'a>(needs: &'a [Need], area: &str) -> &'a str {
    needs
        .iter()
        .find(|n| n.area == area)
        .and_then(|n| n.notes.as_deref())
        .unwrap_or("")
}

fn outcome_field(measure: &str) -> String {
    format!("outcome-{measure}")
}

#[derive(Deserialize, Default)]
struct ListQuery {
    #[serde(default)]
    scope: String,
}

#[derive(Template)]
#[template(path = "cases.html")]
struct ListPage {
    chrome: Chrome,
    cases: Vec<Case>,
    mine: bool,
    caseloads: Option<Vec<Caseload>>,
}

async fn list(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let (mine, status) = match q.scope.as_str() {
        "service" => (false, CaseStatus::Open.code()),
        "closed" => (false, CaseStatus::Closed.code()),
        _ => (true, CaseStatus::Open.code()),
    };
    let cases = state.app.cases(&ctx.actor, mine, Some(status)).await?;
    let caseloads = if policy::may_somewhere(&ctx.actor, Action::AllocateCases) {
        Some(state.app.caseloads(&ctx.actor).await?)
    } else {
        None
    };
    Ok(render(&ListPage {
        chrome: Chrome::signed(&ctx, "Cases", "/cases"),
        cases,
        mine,
        caseloads,
    }))
}

#[derive(Template)]
#[template(path = "case.html")]
struct CasePage {
    chrome: Chrome,
    errors: FieldErrors,
    notice: Option<String>,
    revealed: Option<String>,
    /// What was typed into the form that failed, shown again.
    kept: Vec<(String, String)>,
    d: CaseDetail,
    open: bool,
    staff: Vec<User>,
    areas: Options,
    levels: Options,
    kinds: Options,
    channels: Options,
    reasons: Options,
    measures: Options,
    results: Options,
    satisfactions: Options,
    relationships: Options,
}

async fn case_page(
    state: &AppState,
    ctx: &SessionContext,
    id: &str,
    errors: FieldErrors,
    notice: Option<String>,
    revealed: Option<String>,
    kept: Vec<(String, String)>,
) -> Result<Response, PageError> {
    let d = state.app.case(&ctx.actor, id).await?.into_inner();
    let place = policy::Place {
        service_id: Some(d.case.service_id.clone()),
        ..Default::default()
    };
    let may_work = policy::may(&ctx.actor, Action::ManageCases, &place);
    let staff = if policy::may(&ctx.actor, Action::AllocateCases, &place) {
        state.app.allocatable(&ctx.actor, &d.case).await?
    } else {
        Vec::new()
    };
    let page = CasePage {
        chrome: Chrome::signed(ctx, &d.case.reference, "/cases"),
        errors,
        notice,
        revealed,
        kept,
        open: may_work && d.case.status == CaseStatus::Open.code(),
        d,
        staff,
        areas: NeedArea::options(),
        levels: NeedLevel::options(),
        kinds: ContactKind::options(),
        channels: Channel::options(),
        reasons: ClosureReason::options(),
        measures: OutcomeMeasure::options(),
        results: OutcomeResult::options(),
        satisfactions: Satisfaction::options(),
        relationships: domain::cases::Relationship::options(),
    };
    Ok(render_form(&page, page.errors.is_empty()))
}

async fn case(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    case_page(
        &state,
        &ctx,
        &id,
        FieldErrors::new(),
        None,
        None,
        Vec::new(),
    )
    .await
}

async fn outcome(
    state: &AppState,
    ctx: &SessionContext,
    id: &str,
    result: Result<&str, AppError>,
    kept: Vec<(String, String)>,
) -> Result<Response, PageError> {
    match result {
        Ok(notice) => {
            case_page(
                state,
                ctx,
                id,
                FieldErrors::new(),
                Some(notice.to_string()),
                None,
                Vec::new(),
            )
            .await
        }
        Err(AppError::Invalid(errors)) => case_page(state, ctx, id, errors, None, None, kept).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
struct AllocateForm {
    #[serde(default)]
    caseworker_id: String,
}

async fn allocate(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: SignedForm<AllocateForm>,
) -> Result<Response, PageError> {
    let result = state
        .app
        .allocate(&form.ctx.actor, &id, &form.form.caseworker_id)
        .await
        .map(|_| "The case has been allocated.");
    outcome(&state, &form.ctx, &id, result, form.pairs.clone()).await
}

async fn needs(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm { ctx, pairs, .. }: SignedForm<ByName>,
) -> Result<Response, PageError> {
    let needs: Vec<(String, String, String)> = NeedArea::ALL
        .iter()
        .map(|a| {
            (
                a.code().to_string(),
                kept(&pairs, &format!("level-{}", a.code())).to_string(),
                kept(&pairs, &format!("notes-{}", a.code())).to_string(),
            )
        })
        .collect();
    let result = state
        .app
        .assess_needs(&ctx.actor, &id, &needs)
        .await
        .map(|_| "The needs assessment has been saved.");
    outcome(&state, &ctx, &id, result, pairs).await
}

#[derive(Deserialize, Default)]
struct PlanForm {
    #[serde(default)]
    description: String,
    #[serde(default)]
    goal_id: String,
    #[serde(default)]
    need_area: String,
    #[serde(default)]
    due_on: String,
}

async fn plan(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: SignedForm<PlanForm>,
) -> Result<Response, PageError> {
    let f = &form.form;
    let result = state
        .app
        .add_plan_item(
            &form.ctx.actor,
            &id,
            &f.description,
            &f.need_area,
            &f.due_on,
            &f.goal_id,
        )
        .await
        .map(|_| "The support plan has been updated.");
    outcome(&state, &form.ctx, &id, result, form.pairs.clone()).await
}

#[derive(Deserialize, Default)]
struct ContactForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    duration_minutes: String,
    #[serde(default)]
    notes: String,
}

async fn contact(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: SignedForm<ContactForm>,
) -> Result<Response, PageError> {
    let f = &form.form;
    let result = state
        .app
        .record_case_contact(
            &form.ctx.actor,
            &id,
            &f.kind,
            &f.channel,
            &f.duration_minutes,
            &f.notes,
        )
        .await
        .map(|_| "The contact has been recorded.");
    outcome(&state, &form.ctx, &id, result, form.pairs.clone()).await
}

#[derive(Deserialize, Default)]
struct NoteForm {
    #[serde(default)]
    note: String,
    #[serde(default)]
    sensitive: String,
}

async fn note(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: SignedForm<NoteForm>,
) -> Result<Response, PageError> {
    let f = &form.form;
    let result = state
        .app
        .add_case_note(&form.ctx.actor, &id, &f.note, f.sensitive == "true")
        .await
        .map(|_| "The note has been added.");
    outcome(&state, &form.ctx, &id, result, form.pairs.clone()).await
}

#[derive(Deserialize, Default)]
struct Empty {}

async fn reveal(
    State(state): State<AppState>,
    Path((id, note)): Path<(String, String)>,
    form: SignedForm<Empty>,
) -> Result<Response, PageError> {
    let text = state
        .app
        .reveal_note(&form.ctx.actor, &id, &note)
        .await?
        .into_inner();
    case_page(
        &state,
        &form.ctx,
        &id,
        FieldErrors::new(),
        None,
        Some(text),
        Vec::new(),
    )
    .await
}

#[derive(Deserialize, Default)]
struct TaskForm {
    #[serde(default)]
    task_title: String,
    #[serde(default)]
    task_due_on: String,
}

async fn task(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: SignedForm<TaskForm>,
) -> Result<Response, PageError> {
    let f = &form.form;
    let result = state
        .app
        .add_task(&form.ctx.actor, &id, &f.task_title, &f.task_due_on)
        .await
        .map(|_| "The task has been added.");
    outcome(&state, &form.ctx, &id, result, form.pairs.clone()).await
}

async fn task_done(
    State(state): State<AppState>,
    Path((id, task)): Path<(String, String)>,
    form: SignedForm<Empty>,
) -> Result<Response, PageError> {
    let result = state
        .app
        .complete_task(&form.ctx.actor, &id, &task)
        .await
        .map(|_| "The task is done.");
    outcome(&state, &form.ctx, &id, result, form.pairs.clone()).await
}

#[derive(Deserialize, Default)]
struct OnwardForm {
    #[serde(default)]
    agency: String,
    #[serde(default)]
    onward_reason: String,
    #[serde(default)]
    consent_given: String,
    #[serde(default)]
    override_reason: String,
}

async fn onward(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: SignedForm<OnwardForm>,
) -> Result<Response, PageError> {
    let f = &form.form;
    let result = state
        .app
        .refer_on(
            &form.ctx.actor,
            &id,
            &f.agency,
            &f.onward_reason,
            f.consent_given == "true",
            &f.override_reason,
        )
        .await
        .map(|_| "The onward referral has been recorded.");
    outcome(&state, &form.ctx, &id, result, form.pairs.clone()).await
}

async fn close(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm { ctx, pairs, .. }: SignedForm<ByName>,
) -> Result<Response, PageError> {
    let closure = Closure {
        reason: kept(&pairs, "closure_reason").to_string(),
        satisfaction: kept(&pairs, "satisfaction").to_string(),
        outcomes: OutcomeMeasure::ALL
            .iter()
            .map(|m| {
                (
                    m.code().to_string(),
                    kept(&pairs, &format!("outcome-{}", m.code())).to_string(),
                )
            })
            .collect(),
    };
    let result = state
        .app
        .close_case(&ctx.actor, &id, &closure)
        .await
        .map(|_| "The case has been closed.");
    outcome(&state, &ctx, &id, result, pairs).await
}

#[derive(Deserialize, Default)]
struct LinkForm {
    #[serde(default)]
    link_given_name: String,
    #[serde(default)]
    link_family_name: String,
    #[serde(default)]
    link_date_of_birth: String,
    #[serde(default)]
    relationship: String,
}

async fn link_person(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: SignedForm<LinkForm>,
) -> Result<Response, PageError> {
    let f = &form.form;
    let result = state
        .app
        .link_person(
            &form.ctx.actor,
            &id,
            &f.link_given_name,
            &f.link_family_name,
            &f.link_date_of_birth,
            &f.relationship,
        )
        .await
        .map(|_| "The person has been linked to the case.");
    outcome(&state, &form.ctx, &id, result, form.pairs.clone()).await
}

#[derive(Template)]
#[template(path = "person.html")]
struct PersonPage {
    chrome: Chrome,
    v: app::cases::PersonView,
}

async fn person(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let v = state.app.person(&ctx.actor, &id).await?.into_inner();
    let title = format!("{} {}", v.person.given_name, v.person.family_name);
    Ok(render(&PersonPage {
        chrome: Chrome::signed(&ctx, &title, "/search"),
        v,
    }))
}
