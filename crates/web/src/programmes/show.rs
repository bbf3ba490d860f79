//! The programmes list, one programme with a page of its call-outs, the
//! forms to record a call-out and import the baseline, and a call-out's
//! correction.

use app::AppError;
use app::auth::SessionContext;
use app::paging::ListRequest;
use app::programmes::{CallOut, Programme, ProgrammeView};
use app::store::directory::Area;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use domain::validation::FieldErrors;

use super::{TICKS, call_out_input};
use crate::AppState;
use crate::chrome::Chrome;
use crate::errors::{PageError, render, render_form};
use crate::extract::{ByName, Signed, SignedForm, field as kept};
use crate::messages::{Done, DoneQuery, after_change};
use crate::paging::{PageQuery, Pager, SortOption};

/// The one order of the call-outs: when they were attended, latest first.
const SORTS: [SortOption<()>; 1] = [SortOption {
    name: "attended",
    label: "Attended",
    sort: (),
    descending: true,
}];

#[derive(Template)]
#[template(path = "programmes/list.html")]
pub(crate) struct ListPage {
    chrome: Chrome,
    programmes: Vec<Programme>,
}

pub(crate) async fn list(
    State(state): State<AppState>,
    Signed(ctx): Signed,
) -> Result<Response, PageError> {
    let programmes = state.app.programmes(&ctx.actor).await?;
    Ok(render(&ListPage {
        chrome: Chrome::signed(&ctx, "Programmes", "/programmes"),
        programmes,
    }))
}

#[derive(Template)]
#[template(path = "programmes/show.html")]
pub(crate) struct ProgrammePage {
    chrome: Chrome,
    v: ProgrammeView,
    pager: Pager,
    areas: Vec<Area>,
    levels: Vec<(&'static str, &'static str)>,
    outcomes: Vec<(&'static str, &'static str)>,
    ticks: [(&'static str, &'static str); 9],
    notice: Option<String>,
    errors: FieldErrors,
    kept: Vec<(String, String)>,
    /// Which form was refused: "call_out" or "baseline".
    refused: String,
}

impl ProgrammePage {
    fn value(&self, name: &str) -> String {
        kept(&self.kept, name).to_string()
    }

    fn ticked(&self, name: &str) -> bool {
        kept(&self.kept, name) == "yes"
    }

    fn funding(&self) -> String {
        domain::values::Pence(self.v.programme.funding_pence).to_string()
    }

    fn pounds(pence: &i64) -> String {
        domain::values::Pence(*pence).to_string()
    }
}

#[allow(clippy::too_many_arguments)]
async fn programme_page(
    state: &AppState,
    ctx: &SessionContext,
    id: &str,
    query: &PageQuery,
    notice: Option<String>,
    errors: FieldErrors,
    kept: Vec<(String, String)>,
    refused: &str,
) -> Result<Response, PageError> {
    let request: ListRequest<()> = query.request(&SORTS);
    let v = state
        .app
        .programme(&ctx.actor, id, &request)
        .await?
        .into_inner();
    let pager = Pager::new(
        &format!("/programmes/{id}"),
        &[],
        query,
        &SORTS,
        &v.call_outs,
        |c: &CallOut| c.id.as_str(),
    );
    let page = ProgrammePage {
        chrome: Chrome::signed(ctx, &v.programme.name, "/programmes"),
        areas: state.app.areas(&ctx.actor).await.unwrap_or_default(),
        levels: domain::risk::Level::options(),
        outcomes: domain::programmes::JusticeOutcome::options(),
        ticks: TICKS,
        v,
        pager,
        notice,
        errors,
        kept,
        refused: refused.to_string(),
    };
    Ok(render_form(&page, page.errors.is_empty()))
}

pub(crate) async fn programme(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Path(id): Path<String>,
    Query(query): Query<PageQuery>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, PageError> {
    programme_page(
        &state,
        &ctx,
        &id,
        &query,
        done.notice(),
        FieldErrors::new(),
        Vec::new(),
        "",
    )
    .await
}

pub(crate) async fn record(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm { ctx, pairs, .. }: SignedForm<ByName>,
) -> Result<Response, PageError> {
    match state
        .app
        .record_call_out(&ctx.actor, &id, &call_out_input(&pairs))
        .await
    {
        Ok(_) => Ok(after_change(
            &format!("/programmes/{id}"),
            Done::CallOutRecorded,
        )),
        Err(AppError::Invalid(errors)) => {
            programme_page(
                &state,
                &ctx,
                &id,
                &PageQuery::default(),
                None,
                errors,
                pairs,
                "call_out",
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn import_baseline(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm { ctx, pairs, .. }: SignedForm<ByName>,
) -> Result<Response, PageError> {
    match state
        .app
        .import_baseline(&ctx.actor, &id, kept(&pairs, "baseline"))
        .await
    {
        Ok(_) => Ok(after_change(
            &format!("/programmes/{id}"),
            Done::BaselineImported,
        )),
        Err(AppError::Invalid(errors)) => {
            programme_page(
                &state,
                &ctx,
                &id,
                &PageQuery::default(),
                None,
                errors,
                pairs,
                "baseline",
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "programmes/call_out.html")]
pub(crate) struct CorrectionPage {
    chrome: Chrome,
    programme: Programme,
    c: CallOut,
    areas: Vec<Area>,
    levels: Vec<(&'static str, &'static str)>,
    outcomes: Vec<(&'static str, &'static str)>,
    ticks: [(&'static str, &'static str); 9],
    errors: FieldErrors,
    kept: Vec<(String, String)>,
}

impl CorrectionPage {
    /// What the form shows: what was typed when refused, else as recorded.
    fn value(&self, name: &str) -> String {
        if !self.errors.is_empty() {
            return kept(&self.kept, name).to_string();
        }
        let local = |at: &str| {
            at.parse::<jiff::Timestamp>()
                .map(|t| {
                    t.to_zoned(
                        jiff::tz::TimeZone::get("Europe/London").unwrap_or(jiff::tz::TimeZone::UTC),
                    )
                })
                .ok()
        };
        match name {
            "day" => self.c.on_day.clone(),
            "time" => local(&self.c.attended_at)
                .map(|z| format!("{:02}:{:02}", z.hour(), z.minute()))
                .unwrap_or_default(),
            "incident_reference" => self.c.incident_reference.clone(),
            "area" => self.c.area_id.clone(),
            "dash_level" => self.c.dash_level.clone().unwrap_or_default(),
            "justice_outcome" => self.c.justice_outcome.clone(),
            _ => String::new(),
        }
    }

    fn ticked(&self, name: &str) -> bool {
        if !self.errors.is_empty() {
            return kept(&self.kept, name) == "yes";
        }
        let c = &self.c;
        let set = match name {
            "joint_attendance" => c.joint_attendance,
            "dash_done" => c.dash_done,
            "safety_plan" => c.safety_plan,
            "children_present" => c.children_present,
            "arrest" => c.arrest,
            "protection_applied" => c.protection_applied,
            "protection_granted" => c.protection_granted,
            "engaged" => c.engaged,
            "onward_referral" => c.onward_referral,
            _ => 0,
        };
        set != 0
    }
}

async fn correction_page(
    state: &AppState,
    ctx: &SessionContext,
    id: &str,
    call_out: &str,
    errors: FieldErrors,
    kept: Vec<(String, String)>,
) -> Result<Response, PageError> {
    let (programme, c) = state
        .app
        .call_out_to_correct(&ctx.actor, id, call_out)
        .await?
        .into_inner();
    let page = CorrectionPage {
        chrome: Chrome::signed(ctx, "Correct a call-out", "/programmes"),
        areas: state.app.areas(&ctx.actor).await.unwrap_or_default(),
        levels: domain::risk::Level::options(),
        outcomes: domain::programmes::JusticeOutcome::options(),
        ticks: TICKS,
        programme,
        c,
        errors,
        kept,
    };
    Ok(render_form(&page, page.errors.is_empty()))
}

pub(crate) async fn correction(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Path((id, call_out)): Path<(String, String)>,
) -> Result<Response, PageError> {
    correction_page(&state, &ctx, &id, &call_out, FieldErrors::new(), Vec::new()).await
}

pub(crate) async fn correct(
    State(state): State<AppState>,
    Path((id, call_out)): Path<(String, String)>,
    SignedForm { ctx, pairs, .. }: SignedForm<ByName>,
) -> Result<Response, PageError> {
    match state
        .app
        .correct_call_out(&ctx.actor, &id, &call_out, &call_out_input(&pairs))
        .await
    {
        Ok(()) => Ok(after_change(
            &format!("/programmes/{id}"),
            Done::CallOutCorrected,
        )),
        Err(AppError::Invalid(errors)) => {
            correction_page(&state, &ctx, &id, &call_out, errors, pairs).await
        }
        Err(e) => Err(e.into()),
    }
}
