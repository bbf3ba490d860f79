//! A rota: two weeks of shifts from the cover pattern, who holds each, the
//! gaps of the coming four weeks, and the manager's forms to put a worker
//! on a shift or take them off it.

use app::AppError;
use app::auth::SessionContext;
use app::duty::{RotaView, ShiftInput};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use domain::validation::FieldErrors;
use jiff::ToSpan;
use jiff::civil::Date;
use serde::Deserialize;

use crate::AppState;
use crate::chrome::Chrome;
use crate::errors::{PageError, render_form};
use crate::extract::{ByName, Signed, SignedForm, field as kept};
use crate::messages::{ConfirmMessage, Done, DoneQuery, after_change};

#[derive(Template)]
#[template(path = "duty/rota.html")]
pub(crate) struct RotaPage {
    chrome: Chrome,
    v: RotaView,
    /// Cases opened on duty not yet handed over.
    waiting: Vec<app::duty::WaitingCase>,
    notice: Option<String>,
    errors: FieldErrors,
    kept: Vec<(String, String)>,
    earlier: Date,
    later: Date,
}

impl RotaPage {
    /// The value a slot's form was sent with, when it was the one refused.
    fn refused_here(&self, day: &Date, slot: &usize) -> bool {
        !self.errors.is_empty()
            && kept(&self.kept, "day") == day.to_string()
            && kept(&self.kept, "slot") == slot.to_string()
    }
}

#[derive(Default, Deserialize)]
pub(crate) struct RotaQuery {
    #[serde(default)]
    from: String,
    #[serde(flatten)]
    done: DoneQuery,
}

async fn rota_page(
    state: &AppState,
    ctx: &SessionContext,
    id: &str,
    from: Date,
    notice: Option<String>,
    errors: FieldErrors,
    kept: Vec<(String, String)>,
) -> Result<Response, PageError> {
    let v = state.app.duty_rota(&ctx.actor, id, from).await?;
    let waiting = state.app.duty_cases_waiting(&ctx.actor, id).await?;
    let page = RotaPage {
        chrome: Chrome::signed(ctx, &v.rota.name, "/duty"),
        earlier: from.saturating_sub(14.days()),
        later: from.saturating_add(14.days()),
        v,
        waiting,
        notice,
        errors,
        kept,
    };
    Ok(render_form(&page, page.errors.is_empty()))
}

pub(crate) async fn rota(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Path(id): Path<String>,
    Query(query): Query<RotaQuery>,
) -> Result<Response, PageError> {
    let from = query.from.parse().unwrap_or_else(|_| state.app.today());
    rota_page(
        &state,
        &ctx,
        &id,
        from,
        query.done.notice(),
        FieldErrors::new(),
        Vec::new(),
    )
    .await
}

/// The first day shown again after a form: the week of the shift.
fn from_of(state: &AppState, pairs: &[(String, String)]) -> Date {
    kept(pairs, "from")
        .parse()
        .unwrap_or_else(|_| state.app.today())
}

pub(crate) async fn assign(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm { ctx, pairs, .. }: SignedForm<ByName>,
) -> Result<Response, PageError> {
    let input = ShiftInput {
        day: kept(&pairs, "day").into(),
        slot: kept(&pairs, "slot").into(),
        worker: kept(&pairs, "worker").into(),
    };
    let from = from_of(&state, &pairs);
    match state.app.assign_duty_shift(&ctx.actor, &id, &input).await {
        Ok(_) => Ok(after_change(
            &format!("/duty/rotas/{id}?from={from}"),
            Done::DutyShiftAssigned,
        )),
        Err(AppError::Invalid(errors)) => {
            rota_page(&state, &ctx, &id, from, None, errors, pairs).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Takes the worker off a shift; asks first.
pub(crate) async fn clear(
    State(state): State<AppState>,
    Path((id, shift)): Path<(String, String)>,
    form: SignedForm<ByName>,
) -> Result<Response, PageError> {
    let from = from_of(&state, &form.pairs);
    let ask = crate::confirm::Ask {
        question: ConfirmMessage::ClearDutyShift,
        consequence: ConfirmMessage::ClearDutyShiftConsequence,
        yes: ConfirmMessage::ClearDutyShiftYes,
    };
    let back = format!("/duty/rotas/{id}?from={from}");
    let action = format!("/duty/rotas/{id}/shifts/{shift}/clear");
    if let Some(asking) = crate::confirm::ask_first(&form, ask, &action, &back) {
        return Ok(asking);
    }
    let SignedForm { ctx, pairs, .. } = form;
    match state.app.clear_duty_shift(&ctx.actor, &id, &shift).await {
        Ok(()) => Ok(after_change(&back, Done::DutyShiftCleared)),
        Err(AppError::Invalid(errors)) => {
            rota_page(&state, &ctx, &id, from, None, errors, pairs).await
        }
        Err(e) => Err(e.into()),
    }
}

/// A manager approves or refuses a swap.
pub(crate) async fn decide(
    State(state): State<AppState>,
    Path((id, swap)): Path<(String, String)>,
    SignedForm { ctx, pairs, .. }: SignedForm<ByName>,
) -> Result<Response, PageError> {
    let from = from_of(&state, &pairs);
    match state
        .app
        .decide_duty_swap(&ctx.actor, &id, &swap, kept(&pairs, "decision"))
        .await
    {
        Ok(()) => Ok(after_change(
            &format!("/duty/rotas/{id}?from={from}"),
            Done::DutySwapDecided,
        )),
        Err(AppError::Invalid(errors)) => {
            rota_page(&state, &ctx, &id, from, None, errors, pairs).await
        }
        Err(e) => Err(e.into()),
    }
}
