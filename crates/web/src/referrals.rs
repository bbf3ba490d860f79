//! Referrals: the worklist with Victims' Code deadlines, taking a referral,
//! safe contact, contact attempts and triage.

use app::AppError;
use app::auth::SessionContext;
use app::referrals::{DeadlineView, PersonChoice, ReferralInput, WorkItem};
use app::store::directory::Service;
use app::store::people::{ContactPreference, Person};
use app::store::referrals::{ContactAttempt, CrimeTypeRow, Referral};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::journey::{
    AttemptResult, Channel, Disability, Ethnicity, Gender, ReferralSource, ReferralStatus,
    Religion, SexualOrientation,
};
use domain::policy::{self, Action};
use domain::validation::FieldErrors;
use domain::victims_code::{DeadlineState, EnhancedReason};
use serde::Deserialize;

use crate::AppState;
use crate::chrome::Chrome;
use crate::errors::{PageError, render, render_form};
use crate::extract::{Signed, SignedForm, field as kept};
use crate::routes::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .route("/referrals", get(worklist))
        .route("/referrals/new", get(new_page).post(create))
        .route("/referrals/{id}", get(referral))
        .route("/referrals/{id}/attempts", post(attempt))
        .route("/referrals/{id}/preferences", post(preference))
        .route("/referrals/{id}/triage", post(triage))
}

/// The date part of a stored instant.
pub fn day(instant: &str) -> &str {
    instant.get(..10).unwrap_or(instant)
}

pub fn status_label(code: &str) -> &'static str {
    ReferralStatus::parse(code)
        .map(|s| s.label())
        .unwrap_or("Unknown")
}

pub fn source_label(code: &str) -> &'static str {
    ReferralSource::parse(code)
        .map(|s| s.label())
        .unwrap_or("Unknown")
}

pub fn channel_label(code: &str) -> &'static str {
    Channel::parse(code).map(|s| s.label()).unwrap_or("Unknown")
}

pub fn result_label(code: &str) -> &'static str {
    AttemptResult::parse(code)
        .map(|s| s.label())
        .unwrap_or("Unknown")
}

pub fn consent_label(code: &str) -> &'static str {
    match code {
        "given" => "Given",
        "declined" => "Declined",
        "withdrawn" => "Withdrawn",
        _ => "Not asked (the crime type allows referral unless declined)",
    }
}

pub fn reasons_label(codes: &str) -> String {
    codes
        .split_whitespace()
        .filter_map(EnhancedReason::parse)
        .map(|r| r.label())
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn deadline_class(d: &DeadlineView) -> &'static str {
    match d.state {
        DeadlineState::Met => "",
        DeadlineState::Pending => " tag-grey",
        DeadlineState::DueToday | DeadlineState::Overdue | DeadlineState::Missed => " tag-red",
    }
}

fn is_unsafe(preferences: &[ContactPreference], channel: &str) -> bool {
    preferences
        .iter()
        .any(|p| p.channel == channel && p.safe == 0)
}

#[derive(Template)]
#[template(path = "referrals.html")]
struct WorklistPage {
    chrome: Chrome,
    items: Vec<WorkItem>,
    all: bool,
}

#[derive(Deserialize, Default)]
struct WorklistQuery {
    #[serde(default)]
    status: String,
}

async fn worklist(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Query(q): Query<WorklistQuery>,
) -> Result<Response, PageError> {
    let all = q.status == "all";
    let items = state
        .app
        .worklist(&ctx.actor, if all { None } else { Some("new") })
        .await?;
    Ok(render(&WorklistPage {
        chrome: Chrome::signed(&ctx, "Referrals", "/referrals"),
        items,
        all,
    }))
}

/// The referral form: the referral's one field list, and the form's own
/// choice of person.
#[derive(Default, Clone, Deserialize)]
#[serde(default)]
struct ReferralForm {
    #[serde(flatten)]
    referral: ReferralInput,
    #[serde(flatten)]
    person: PersonChoice,
}

impl std::ops::Deref for ReferralForm {
    type Target = ReferralInput;

    fn deref(&self) -> &ReferralInput {
        &self.referral
    }
}

fn chosen<'a>(form: &'a ReferralForm, field: &str) -> &'a str {
    match field {
        "gender" => &form.gender,
        "ethnicity" => &form.ethnicity,
        "disability" => &form.disability,
        "sexual_orientation" => &form.sexual_orientation,
        "religion" => &form.religion,
        _ => "",
    }
}

fn ticked(form: &ReferralForm, code: &str) -> bool {
    form.enhanced_reasons.iter().any(|r| r == code)
}

type Options = Vec<(&'static str, &'static str)>;

/// Each demographic list puts "not known" first, as the default.
fn not_known_first(mut list: Options) -> Options {
    if let Some(i) = list.iter().position(|o| o.0 == "not_known") {
        let not_known = list.remove(i);
        list.insert(0, not_known);
    }
    list
}

#[derive(Template)]
#[template(path = "referral_new.html")]
struct NewPage {
    chrome: Chrome,
    errors: FieldErrors,
    form: ReferralForm,
    services: Vec<Service>,
    areas: Vec<app::store::directory::Area>,
    sources: Options,
    crime_types: Vec<CrimeTypeRow>,
    consents: Options,
    reasons: Options,
    demographics: Vec<(&'static str, &'static str, Options)>,
    matches: Vec<Person>,
}

async fn new_form(
    state: &AppState,
    ctx: &SessionContext,
    form: ReferralForm,
    errors: FieldErrors,
    matches: Vec<Person>,
) -> Result<Response, PageError> {
    if !policy::may_somewhere(&ctx.actor, Action::SubmitReferral) {
        return Err(AppError::Forbidden.into());
    }
    let submit = policy::visibility(&ctx.actor, Action::SubmitReferral);
    let services = state
        .app
        .services(&ctx.actor)
        .await?
        .into_iter()
        .filter(|s| submit.contains(&app::directory::place_of_service(s)))
        .collect();
    let page = NewPage {
        areas: state.app.areas(&ctx.actor).await?,
        chrome: Chrome::signed(ctx, "Take a referral", "/referrals"),
        errors,
        form,
        services,
        sources: ReferralSource::options(),
        crime_types: state.app.crime_types().await?,
        consents: vec![
            ("given", "Yes, consent given"),
            ("not_asked", "Not asked"),
            ("declined", "No, declined"),
            ("withdrawn", "Consent withdrawn"),
        ],
        reasons: EnhancedReason::options(),
        demographics: vec![
            ("gender", "Gender", not_known_first(Gender::options())),
            (
                "ethnicity",
                "Ethnic group",
                not_known_first(Ethnicity::options()),
            ),
            (
                "disability",
                "Disability",
                not_known_first(Disability::options()),
            ),
            (
                "sexual_orientation",
                "Sexual orientation",
                not_known_first(SexualOrientation::options()),
            ),
            ("religion", "Religion", not_known_first(Religion::options())),
        ],
        matches,
    };
    Ok(render_form(
        &page,
        page.errors.is_empty() && page.matches.is_empty(),
    ))
}

async fn new_page(
    State(state): State<AppState>,
    Signed(ctx): Signed,
) -> Result<Response, PageError> {
    new_form(
        &state,
        &ctx,
        ReferralForm {
            referral: ReferralInput {
                consent: "given".into(),
                ..ReferralInput::default()
            },
            ..ReferralForm::default()
        },
        FieldErrors::new(),
        Vec::new(),
    )
    .await
}

async fn create(
    State(state): State<AppState>,
    SignedForm { ctx, form, .. }: SignedForm<ReferralForm>,
) -> Result<Response, PageError> {
    match state
        .app
        .take_referral(&ctx.actor, &form.referral, &form.person)
        .await
    {
        Ok(taken) => Ok(Redirect::to(&format!("/referrals/{}", taken.referral.id)).into_response()),
        Err(AppError::Invalid(errors)) => new_form(&state, &ctx, form, errors, Vec::new()).await,
        Err(AppError::PossibleDuplicates(matches)) => {
            new_form(&state, &ctx, form, FieldErrors::new(), matches).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "referral.html")]
struct ReferralPage {
    chrome: Chrome,
    errors: FieldErrors,
    notice: Option<String>,
    r: Referral,
    deadlines: Vec<DeadlineView>,
    person: Person,
    preferences: Vec<ContactPreference>,
    attempts: Vec<ContactAttempt>,
    can_work: bool,
    case_id: Option<String>,
    kept: Vec<(String, String)>,
    channels: Options,
    results: Options,
    outcomes: Options,
}

async fn referral_page(
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
    let case_id = state
        .app
        .case_of_referral(&ctx.actor, &detail.item.referral.id)
        .await?
        .map(|c| c.id);
    let page = ReferralPage {
        case_id,
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

async fn referral(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    referral_page(&state, &ctx, &id, FieldErrors::new(), None, Vec::new()).await
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
            referral_page(
                state,
                ctx,
                id,
                FieldErrors::new(),
                Some(notice.to_string()),
                Vec::new(),
            )
            .await
        }
        Err(AppError::Invalid(errors)) => referral_page(state, ctx, id, errors, None, kept).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
struct AttemptForm {
    #[serde(default)]
    channel: String,
    #[serde(default)]
    result: String,
    #[serde(default)]
    notes: String,
}

async fn attempt(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: SignedForm<AttemptForm>,
) -> Result<Response, PageError> {
    let f = &form.form;
    let result = state
        .app
        .record_contact_attempt(&form.ctx.actor, &id, &f.channel, &f.result, &f.notes)
        .await
        .map(|_| "The attempt has been recorded.");
    outcome(&state, &form.ctx, &id, result, form.pairs.clone()).await
}

#[derive(Deserialize, Default)]
struct PreferenceForm {
    #[serde(default)]
    channel: String,
    #[serde(default)]
    safe: String,
    #[serde(default)]
    safe_times: String,
    #[serde(default)]
    notes: String,
}

async fn preference(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: SignedForm<PreferenceForm>,
) -> Result<Response, PageError> {
    let f = &form.form;
    let result = state
        .app
        .set_contact_preference(
            &form.ctx.actor,
            &id,
            &f.channel,
            f.safe == "true",
            &f.safe_times,
            &f.notes,
        )
        .await
        .map(|_| "The safe-contact preference has been saved.");
    outcome(&state, &form.ctx, &id, result, form.pairs.clone()).await
}

#[derive(Deserialize, Default)]
struct TriageForm {
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    note: String,
}

async fn triage(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: SignedForm<TriageForm>,
) -> Result<Response, PageError> {
    let f = &form.form;
    let result = state
        .app
        .triage(&form.ctx.actor, &id, &f.outcome, &f.note)
        .await
        .map(|_| "The outcome has been recorded.");
    outcome(&state, &form.ctx, &id, result, form.pairs.clone()).await
}
