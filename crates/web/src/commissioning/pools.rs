//! Regional pools: the list and the form that sets one up, and a pool as
//! a contributing office sees it.

use app::AppError;
use app::auth::SessionContext;
use app::commissioning::{Pool, PoolInput, PoolView};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use domain::validation::FieldErrors;

use crate::AppState;
use crate::chrome::Chrome;
use crate::errors::{PageError, render_form};
use crate::extract::{ByName, Signed, SignedForm, field as kept};
use crate::messages::{Done, DoneQuery, after_change};

#[derive(Template)]
#[template(path = "commissioning/pools.html")]
struct PoolsPage {
    chrome: Chrome,
    pools: Vec<Pool>,
    may_set_up: bool,
    year: i16,
    notice: Option<String>,
    errors: FieldErrors,
    kept: Vec<(String, String)>,
}

impl PoolsPage {
    fn value(&self, name: &str) -> String {
        kept(&self.kept, name).to_string()
    }

    fn year_value(&self) -> String {
        let typed = self.value("year");
        if typed.is_empty() {
            self.year.to_string()
        } else {
            typed
        }
    }
}

async fn pools_page(
    state: &AppState,
    ctx: &SessionContext,
    notice: Option<String>,
    errors: FieldErrors,
    kept: Vec<(String, String)>,
) -> Result<Response, PageError> {
    let pools = state.app.pools(&ctx.actor).await?;
    let may_set_up = state.app.check_manages_commissioning(&ctx.actor).is_ok();
    let page = PoolsPage {
        chrome: Chrome::signed(ctx, "Regional pools", "/commissioning"),
        pools,
        may_set_up,
        year: domain::reports::financial_year(state.app.today()).0.year(),
        notice,
        errors,
        kept,
    };
    Ok(render_form(&page, page.errors.is_empty()))
}

pub(crate) async fn list(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Query(done): Query<DoneQuery>,
) -> Result<Response, PageError> {
    pools_page(&state, &ctx, done.notice(), FieldErrors::new(), Vec::new()).await
}

pub(crate) async fn create(
    State(state): State<AppState>,
    SignedForm { ctx, pairs, .. }: SignedForm<ByName>,
) -> Result<Response, PageError> {
    let text = |key: &str| kept(&pairs, key).to_string();
    let input = PoolInput {
        name: text("name"),
        agreement: text("agreement"),
        year: text("year"),
        contributions: text("contributions"),
    };
    match state.app.create_pool(&ctx.actor, &input).await {
        Ok(p) => Ok(after_change(&format!("/pools/{}", p.id), Done::PoolCreated)),
        Err(AppError::Invalid(errors)) => pools_page(&state, &ctx, None, errors, pairs).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "commissioning/pool.html")]
struct PoolPage {
    chrome: Chrome,
    v: PoolView,
    notice: Option<String>,
}

impl PoolPage {
    fn remaining(&self) -> String {
        super::pounds(&(self.v.total - self.v.committed))
    }

    fn share(bp: &i64) -> String {
        format!("{}.{:02}%", bp / 100, bp % 100)
    }
}

#[derive(Template)]
#[template(path = "commissioning/pool_form.html")]
struct PoolForm {
    chrome: Chrome,
    id: String,
    errors: FieldErrors,
    kept: Vec<(String, String)>,
}

impl PoolForm {
    fn value(&self, name: &str) -> String {
        kept(&self.kept, name).to_string()
    }
}

fn pool_form(
    ctx: &SessionContext,
    id: String,
    errors: FieldErrors,
    kept: Vec<(String, String)>,
) -> Response {
    let valid = errors.is_empty();
    let page = PoolForm {
        chrome: Chrome::signed(ctx, "Correct a pool", "/commissioning"),
        id,
        errors,
        kept,
    };
    render_form(&page, valid)
}

pub(crate) async fn edit_form(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let v = state.app.pool(&ctx.actor, &id).await?;
    if !v.may_correct {
        return Err(AppError::Forbidden.into());
    }
    let contributions: Vec<String> = v
        .contributions
        .iter()
        .map(|(_, office, pence, _)| format!("{office} | {}", super::pounds(pence)))
        .collect();
    let recorded = vec![
        ("name".to_string(), v.pool.name),
        ("agreement".to_string(), v.pool.agreement),
        ("contributions".to_string(), contributions.join("\n")),
    ];
    Ok(pool_form(&ctx, id, FieldErrors::new(), recorded))
}

pub(crate) async fn correct(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm { ctx, pairs, .. }: SignedForm<ByName>,
) -> Result<Response, PageError> {
    let text = |key: &str| kept(&pairs, key).to_string();
    let input = PoolInput {
        name: text("name"),
        agreement: text("agreement"),
        year: String::new(),
        contributions: text("contributions"),
    };
    match state.app.correct_pool(&ctx.actor, &id, &input).await {
        Ok(_) => Ok(after_change(&format!("/pools/{id}"), Done::PoolCorrected)),
        Err(AppError::Invalid(errors)) => Ok(pool_form(&ctx, id, errors, pairs)),
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn show(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Path(id): Path<String>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let v = state.app.pool(&ctx.actor, &id).await?;
    let page = PoolPage {
        chrome: Chrome::signed(&ctx, &v.pool.name, "/commissioning"),
        v,
        notice: done.notice(),
    };
    Ok(crate::errors::render(&page))
}
