//! A rota's duty requests: the form the duty worker takes one on (with the
//! duplicate check), the requests of a period with the form to record the
//! first attempt, and the response-time figures.

use app::AppError;
use app::auth::SessionContext;
use app::duty::{ActionedInput, Recorded, Request, RequestInput, ResponseFigures};
use app::store::people::Person;
use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use domain::validation::FieldErrors;
use jiff::ToSpan;
use jiff::civil::Date;

use crate::AppState;
use crate::chrome::Chrome;
use crate::errors::{PageError, render_form};
use crate::extract::{ByName, Signed, SignedForm, field as kept};
use crate::messages::{Done, DoneQuery, after_change};
use crate::paging::{PageQuery, Pager, SortOption};
use app::paging::Page;

#[derive(Template)]
#[template(path = "duty/requests.html")]
pub(crate) struct RequestsPage {
    chrome: Chrome,
    rota_id: String,
    rota_name: String,
    from: Date,
    to: Date,
    requests: Page<Request>,
    pager: Pager,
    figures: ResponseFigures,
    sources: Vec<(&'static str, &'static str)>,
    urgencies: Vec<(&'static str, &'static str)>,
    outcomes: Vec<(&'static str, &'static str)>,
    /// For a referral taken or a case opened from a request.
    crime_types: Vec<app::store::referrals::CrimeTypeRow>,
    consents: Vec<(&'static str, &'static str)>,
    /// People the service may know by the name given, to choose from.
    may_know: Vec<Person>,
    notice: Option<String>,
    errors: FieldErrors,
    kept: Vec<(String, String)>,
}

impl RequestsPage {
    fn value(&self, name: &str) -> String {
        kept(&self.kept, name).to_string()
    }

    /// The figures' lines: all requests, then by source, then by hour.
    fn lines(&self) -> Vec<&app::duty::ResponseLine> {
        std::iter::once(&self.figures.all)
            .chain(&self.figures.by_source)
            .chain(&self.figures.by_hour)
            .collect()
    }

    /// Whether this request's form was the one refused.
    fn refused_here(&self, id: &str) -> bool {
        !self.errors.is_empty() && kept(&self.kept, "request") == id
    }

    /// What was typed into this request's form when it was refused, so
    /// nothing is lost; blank for the others.
    fn typed(&self, id: &str, name: &str) -> String {
        if self.refused_here(id) {
            self.value(name)
        } else {
            String::new()
        }
    }
}

/// The period shown: the days asked for, or the last week.
fn period(state: &AppState, pairs: &[(String, String)]) -> (Date, Date) {
    let today = state.app.today();
    let day = |key: &str, default: Date| kept(pairs, key).parse().unwrap_or(default);
    (
        day("first_day", today.saturating_sub(6.days())),
        day("last_day", today),
    )
}

/// The one order of the requests: when they came, the latest first.
const SORTS: [SortOption<()>; 1] = [SortOption {
    name: "received",
    label: "Came",
    sort: (),
    descending: true,
}];

#[allow(clippy::too_many_arguments)]
async fn requests_page(
    state: &AppState,
    ctx: &SessionContext,
    id: &str,
    (from, to): (Date, Date),
    notice: Option<String>,
    errors: FieldErrors,
    kept: Vec<(String, String)>,
    may_know: Vec<Person>,
    query: &PageQuery,
) -> Result<Response, PageError> {
    let rota = state.app.duty_rota_alone(&ctx.actor, id).await?;
    let requests = state
        .app
        .duty_requests(&ctx.actor, id, (from, to), &query.request(&SORTS))
        .await?
        .into_inner();
    let (first, last) = (from.to_string(), to.to_string());
    let pager = Pager::new(
        &format!("/duty/rotas/{id}/requests"),
        &[("first_day", first.as_str()), ("last_day", last.as_str())],
        query,
        &SORTS,
        &requests,
        |r: &Request| r.id.as_str(),
    );
    let figures = state
        .app
        .duty_response_figures(&ctx.actor, id, from, to)
        .await?;
    let page = RequestsPage {
        chrome: Chrome::signed(ctx, "Duty requests", "/duty"),
        rota_id: id.to_string(),
        rota_name: rota.name,
        from,
        to,
        requests,
        pager,
        figures,
        sources: domain::duty::RequestSource::options(),
        urgencies: domain::duty::Urgency::options(),
        outcomes: domain::duty::RequestOutcome::options(),
        crime_types: state.app.crime_types().await?,
        consents: crate::referrals::consent_options(),
        may_know,
        notice,
        errors,
        kept,
    };
    Ok(render_form(
        &page,
        page.errors.is_empty() && page.may_know.is_empty(),
    ))
}

pub(crate) async fn requests(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, PageError> {
    let pairs = crate::extract::join_dates(
        serde_urlencoded::from_str(query.as_deref().unwrap_or_default()).unwrap_or_default(),
    );
    let done: DoneQuery =
        serde_urlencoded::from_str(query.as_deref().unwrap_or_default()).unwrap_or_default();
    let paging: PageQuery =
        serde_urlencoded::from_str(query.as_deref().unwrap_or_default()).unwrap_or_default();
    let period = period(&state, &pairs);
    requests_page(
        &state,
        &ctx,
        &id,
        period,
        done.notice(),
        FieldErrors::new(),
        Vec::new(),
        Vec::new(),
        &paging,
    )
    .await
}

pub(crate) async fn take_request(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm { ctx, pairs, .. }: SignedForm<ByName>,
) -> Result<Response, PageError> {
    let input = RequestInput {
        source: kept(&pairs, "source").into(),
        urgency: kept(&pairs, "urgency").into(),
        received_on: kept(&pairs, "received_on").into(),
        received_time: kept(&pairs, "received_time").into(),
        given_name: kept(&pairs, "given_name").into(),
        family_name: kept(&pairs, "family_name").into(),
        date_of_birth: kept(&pairs, "date_of_birth").into(),
        existing_person_id: kept(&pairs, "existing_person_id").into(),
        confirm_new_person: kept(&pairs, "existing_person_id") == "new",
        asked: kept(&pairs, "asked").into(),
    };
    let input = RequestInput {
        existing_person_id: if input.confirm_new_person {
            String::new()
        } else {
            input.existing_person_id
        },
        ..input
    };
    let period = period(&state, &[]);
    match state.app.record_duty_request(&ctx.actor, &id, &input).await {
        Ok(Recorded::Request(_)) => Ok(after_change(
            &format!("/duty/rotas/{id}/requests"),
            Done::DutyRequestTaken,
        )),
        Ok(Recorded::MayKnow(people)) => {
            requests_page(
                &state,
                &ctx,
                &id,
                period,
                None,
                FieldErrors::new(),
                pairs,
                people,
                &PageQuery::default(),
            )
            .await
        }
        Err(AppError::Invalid(errors)) => {
            requests_page(
                &state,
                &ctx,
                &id,
                period,
                None,
                errors,
                pairs,
                Vec::new(),
                &PageQuery::default(),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn action_request(
    State(state): State<AppState>,
    Path((id, request)): Path<(String, String)>,
    SignedForm { ctx, pairs, .. }: SignedForm<ByName>,
) -> Result<Response, PageError> {
    let input = ActionedInput {
        actioned_on: kept(&pairs, "actioned_on").into(),
        actioned_time: kept(&pairs, "actioned_time").into(),
        outcome: kept(&pairs, "outcome").into(),
        note: kept(&pairs, "note").into(),
        crime_type: kept(&pairs, "crime_type").into(),
        consent: kept(&pairs, "consent").into(),
    };
    let period = period(&state, &[]);
    match state
        .app
        .action_duty_request(&ctx.actor, &id, &request, &input)
        .await
    {
        Ok(()) => Ok(after_change(
            &format!("/duty/rotas/{id}/requests"),
            Done::DutyRequestActioned,
        )),
        Err(AppError::Invalid(errors)) => {
            requests_page(
                &state,
                &ctx,
                &id,
                period,
                None,
                errors,
                pairs,
                Vec::new(),
                &PageQuery::default(),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
