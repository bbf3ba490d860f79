//! A worker's own activity: the form to record time, their entries of a
//! period with the total, and the page to correct one.

use app::AppError;
use app::activity::{Activity, ActivityForm, ActivityInput};
use app::auth::SessionContext;
use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use domain::validation::FieldErrors;
use jiff::ToSpan;

use crate::AppState;
use crate::chrome::Chrome;
use crate::errors::{PageError, render_form};
use crate::extract::{ByName, Signed, SignedForm, field as kept};
use crate::messages::{Done, DoneQuery, after_change};

#[derive(Template)]
#[template(path = "activity/mine.html")]
pub(crate) struct MinePage {
    chrome: Chrome,
    f: ActivityForm,
    from: String,
    to: String,
    kinds: Vec<(&'static str, &'static str)>,
    notice: Option<String>,
    errors: FieldErrors,
    kept: Vec<(String, String)>,
}

impl MinePage {
    fn value(&self, name: &str) -> String {
        kept(&self.kept, name).to_string()
    }
}

fn input_of(pairs: &[(String, String)]) -> ActivityInput {
    ActivityInput {
        day: kept(pairs, "day").into(),
        kind: kept(pairs, "kind").into(),
        hours: kept(pairs, "hours").into(),
        minutes: kept(pairs, "minutes").into(),
        service: kept(pairs, "service").into(),
        area: kept(pairs, "area").into(),
        funder: kept(pairs, "funder").into(),
        case: kept(pairs, "case").into(),
        note: kept(pairs, "note").into(),
    }
}

async fn mine_page(
    state: &AppState,
    ctx: &SessionContext,
    period: (String, String),
    notice: Option<String>,
    errors: FieldErrors,
    kept: Vec<(String, String)>,
) -> Result<Response, PageError> {
    let (from, to) = period;
    let f = state.app.my_activity(&ctx.actor, &from, &to).await?;
    let page = MinePage {
        chrome: Chrome::signed(ctx, "Your activity", "/activity"),
        f,
        from,
        to,
        kinds: domain::activity::ActivityKind::options(),
        notice,
        errors,
        kept,
    };
    Ok(render_form(&page, page.errors.is_empty()))
}

/// The period shown: the days asked for, or the last fortnight.
fn period(state: &AppState, query: Option<&str>) -> (String, String) {
    let pairs = crate::extract::join_dates(
        serde_urlencoded::from_str(query.unwrap_or_default()).unwrap_or_default(),
    );
    let today = state.app.today();
    let day = |key: &str, default: jiff::civil::Date| {
        kept(&pairs, key)
            .parse::<jiff::civil::Date>()
            .unwrap_or(default)
            .to_string()
    };
    (
        day("from", today.saturating_sub(13.days())),
        day("to", today),
    )
}

pub(crate) async fn activity(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    RawQuery(query): RawQuery,
) -> Result<Response, PageError> {
    let done: DoneQuery =
        serde_urlencoded::from_str(query.as_deref().unwrap_or_default()).unwrap_or_default();
    let period = period(&state, query.as_deref());
    mine_page(
        &state,
        &ctx,
        period,
        done.notice(),
        FieldErrors::new(),
        Vec::new(),
    )
    .await
}

pub(crate) async fn record(
    State(state): State<AppState>,
    SignedForm { ctx, pairs, .. }: SignedForm<ByName>,
) -> Result<Response, PageError> {
    match state
        .app
        .record_activity(&ctx.actor, &input_of(&pairs))
        .await
    {
        Ok(_) => Ok(after_change("/activity", Done::ActivityRecorded)),
        Err(AppError::Invalid(errors)) => {
            let period = period(&state, None);
            mine_page(&state, &ctx, period, None, errors, pairs).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "activity/correct.html")]
pub(crate) struct CorrectPage {
    chrome: Chrome,
    a: Activity,
    f: ActivityForm,
    kinds: Vec<(&'static str, &'static str)>,
    errors: FieldErrors,
    kept: Vec<(String, String)>,
}

impl CorrectPage {
    /// A field as typed, or as recorded when nothing was typed.
    fn value(&self, name: &str) -> String {
        if !self.kept.is_empty() {
            return kept(&self.kept, name).to_string();
        }
        let a = &self.a;
        match name {
            "day" => a.on_day.clone(),
            "kind" => a.kind.clone(),
            "hours" => (a.minutes / 60).to_string(),
            "minutes" => (a.minutes % 60).to_string(),
            "area" => a.area_id.clone(),
            "funder" => a.funder_id.clone().unwrap_or_default(),
            "case" => a.case_reference.clone().unwrap_or_default(),
            _ => a.note.clone(),
        }
    }
}

async fn correct_page(
    state: &AppState,
    ctx: &SessionContext,
    id: &str,
    errors: FieldErrors,
    kept: Vec<(String, String)>,
) -> Result<Response, PageError> {
    let a = state.app.activity_to_correct(&ctx.actor, id).await?;
    let f = state
        .app
        .my_activity(&ctx.actor, &a.on_day, &a.on_day)
        .await?;
    let page = CorrectPage {
        chrome: Chrome::signed(ctx, "Correct your activity", "/activity"),
        a,
        f,
        kinds: domain::activity::ActivityKind::options(),
        errors,
        kept,
    };
    Ok(render_form(&page, page.errors.is_empty()))
}

pub(crate) async fn correct_form(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    correct_page(&state, &ctx, &id, FieldErrors::new(), Vec::new()).await
}

pub(crate) async fn correct(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm { ctx, pairs, .. }: SignedForm<ByName>,
) -> Result<Response, PageError> {
    match state
        .app
        .correct_activity(&ctx.actor, &id, &input_of(&pairs))
        .await
    {
        Ok(_) => Ok(after_change("/activity", Done::ActivityCorrected)),
        Err(AppError::Invalid(errors)) => correct_page(&state, &ctx, &id, errors, pairs).await,
        Err(e) => Err(e.into()),
    }
}
