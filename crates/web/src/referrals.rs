//! Referrals: the worklist with Victims' Code deadlines, taking a referral,
//! safe contact, contact attempts and triage.

use app::AppError;
use app::auth::SessionContext;
use app::referrals::{DeadlineView, ReferralInput, WorkItem};
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
use crate::error::{PageError, render, render_form};
use crate::extract::{Pairs, Signed, SignedForm, field as kept};
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

/// The referral form as posted; repeated `enhanced_reasons` are read as pairs.
#[derive(Default, Clone)]
struct ReferralForm {
    service_id: String,
    area: String,
    source: String,
    crime_type: String,
    crime_reference: String,
    incident_date: String,
    crime_reported_on: String,
    consent: String,
    consent_recorded_on: String,
    consent_how: String,
    consent_by: String,
    enhanced_reasons: Vec<String>,
    given_name: String,
    family_name: String,
    date_of_birth: String,
    phone: String,
    email: String,
    address: String,
    postcode: String,
    gender: String,
    ethnicity: String,
    disability: String,
    sexual_orientation: String,
    religion: String,
    first_language: String,
    interpreter_needed: bool,
    existing_person_id: String,
    confirm_new_person: bool,
}

impl ReferralForm {
    fn from_pairs(pairs: &[(String, String)]) -> Self {
        let get = |key: &str| crate::extract::field(pairs, key).to_string();
        ReferralForm {
            service_id: get("service_id"),
            area: get("area"),
            source: get("source"),
            crime_type: get("crime_type"),
            crime_reference: get("crime_reference"),
            incident_date: get("incident_date"),
            crime_reported_on: get("crime_reported_on"),
            consent: get("consent"),
            consent_recorded_on: get("consent_recorded_on"),
            consent_how: get("consent_how"),
            consent_by: get("consent_by"),
            enhanced_reasons: pairs
                .iter()
                .filter(|(k, _)| k == "enhanced_reasons")
                .map(|(_, v)| v.clone())
                .collect(),
            given_name: get("given_name"),
            family_name: get("family_name"),
            date_of_birth: get("date_of_birth"),
            phone: get("phone"),
            email: get("email"),
            address: get("address"),
            postcode: get("postcode"),
            gender: get("gender"),
            ethnicity: get("ethnicity"),
            disability: get("disability"),
            sexual_orientation: get("sexual_orientation"),
            religion: get("religion"),
            first_language: get("first_language"),
            interpreter_needed: get("interpreter_needed") == "true",
            existing_person_id: get("existing_person_id"),
            confirm_new_person: get("confirm_new_person") == "true",
        }
    }

    fn input(&self) -> ReferralInput {
        ReferralInput {
            service_id: self.service_id.clone(),
            area: self.area.clone(),
            source: self.source.clone(),
            crime_type: self.crime_type.clone(),
            crime_reference: self.crime_reference.clone(),
            incident_date: self.incident_date.clone(),
            crime_reported_on: self.crime_reported_on.clone(),
            consent: self.consent.clone(),
            consent_recorded_on: self.consent_recorded_on.clone(),
            consent_how: self.consent_how.clone(),
            consent_by: self.consent_by.clone(),
            enhanced_reasons: self.enhanced_reasons.clone(),
            given_name: self.given_name.clone(),
            family_name: self.family_name.clone(),
            date_of_birth: self.date_of_birth.clone(),
            phone: self.phone.clone(),
            email: self.email.clone(),
            address: self.address.clone(),
            postcode: self.postcode.clone(),
            gender: self.gender.clone(),
            ethnicity: self.ethnicity.clone(),
            disability: self.disability.clone(),
            sexual_orientation: self.sexual_orientation.clone(),
            religion: self.religion.clone(),
            first_language: self.first_language.clone(),
            interpreter_needed: self.interpreter_needed,
            existing_person_id: self.existing_person_id.clone(),
            confirm_new_person: self.confirm_new_person,
            ..ReferralInput::default()
        }
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
            consent: "given".into(),
            ..ReferralForm::default()
        },
        FieldErrors::new(),
        Vec::new(),
    )
    .await
}

async fn create(
    State(state): State<AppState>,
    SignedForm { ctx, pairs, .. }: SignedForm<Pairs>,
) -> Result<Response, PageError> {
    let form = ReferralForm::from_pairs(&pairs);
    match state.app.take_referral(&ctx.actor, &form.input()).await {
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
