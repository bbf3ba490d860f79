//! "Possibly the same person": the review list, one pair side by side, and
//! the merge and dismissal posted from it.

use app::AppError;
use app::auth::SessionContext;
use app::paging::Page;
use app::people::{ListedPair, PairSort, PairView};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use domain::validation::FieldErrors;

use crate::AppState;
use crate::chrome::Chrome;
use crate::confirm::{Ask, ask_first};
use crate::errors::{PageError, render, render_form};
use crate::extract::{ByName, Signed, SignedForm, field as kept};
use crate::messages::{ConfirmMessage, Done, DoneQuery, after_change};
use crate::paging::{PageQuery, Pager, SortOption};

const LIST: &str = "/people/duplicates";

/// The sorts the review list offers; the first is its default.
const SORTS: [SortOption<PairSort>; 2] = [
    SortOption {
        name: "found",
        label: "Found",
        sort: PairSort::Found,
        descending: false,
    },
    SortOption {
        name: "name",
        label: "Name",
        sort: PairSort::Name,
        descending: false,
    },
];

#[derive(Template)]
#[template(path = "people/duplicates.html")]
pub(crate) struct ListPage {
    chrome: Chrome,
    notice: Option<String>,
    page: Page<ListedPair>,
    pager: Pager,
}

pub(crate) async fn duplicates(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Query(query): Query<PageQuery>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let page = state
        .app
        .possible_duplicates(&ctx.actor, &query.request(&SORTS))
        .await?;
    let pager = Pager::new(LIST, &[], &query, &SORTS, &page, |p: &ListedPair| {
        p.id.as_str()
    });
    Ok(render(&ListPage {
        chrome: Chrome::signed(&ctx, "Possibly the same person", "/search"),
        notice: done.notice(),
        page,
        pager,
    }))
}

#[derive(Template)]
#[template(path = "people/duplicate.html")]
pub(crate) struct PairPage {
    chrome: Chrome,
    errors: FieldErrors,
    v: PairView,
    /// What was typed in a form that was refused.
    kept: Vec<(String, String)>,
}

pub(crate) async fn duplicate(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    pair_page(&state, &ctx, &id, FieldErrors::new(), Vec::new()).await
}

impl PairPage {
    /// The newer record, then the older.
    fn sides(&self) -> [&app::people::Side; 2] {
        [&self.v.later, &self.v.earlier]
    }
}

async fn pair_page(
    state: &AppState,
    ctx: &SessionContext,
    id: &str,
    errors: FieldErrors,
    kept: Vec<(String, String)>,
) -> Result<Response, PageError> {
    let v = state
        .app
        .possible_duplicate(&ctx.actor, id)
        .await?
        .into_inner();
    let page = PairPage {
        chrome: Chrome::signed(ctx, "Are these the same person?", "/search"),
        errors,
        v,
        kept,
    };
    Ok(render_form(&page, page.errors.is_empty()))
}

pub(crate) async fn merge(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: SignedForm<ByName>,
) -> Result<Response, PageError> {
    let ask = Ask {
        question: ConfirmMessage::MergePeople,
        consequence: ConfirmMessage::MergePeopleConsequence,
        yes: ConfirmMessage::MergePeopleYes,
    };
    let here = format!("{LIST}/{id}");
    // Without a choice there is nothing to ask about: the page says so.
    if !kept(&form.pairs, "keep").is_empty()
        && let Some(asking) = ask_first(&form, ask, &format!("{here}/merge"), &here)
    {
        return Ok(asking);
    }
    let SignedForm { ctx, pairs, .. } = form;
    match state
        .app
        .merge_possible_duplicate(&ctx.actor, &id, kept(&pairs, "keep"))
        .await
    {
        Ok(person) => Ok(after_change(
            &format!("/people/{person}"),
            Done::PeopleMerged,
        )),
        Err(AppError::Invalid(errors)) => pair_page(&state, &ctx, &id, errors, pairs).await,
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn dismiss(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: SignedForm<ByName>,
) -> Result<Response, PageError> {
    let SignedForm { ctx, pairs, .. } = form;
    match state
        .app
        .dismiss_possible_duplicate(&ctx.actor, &id, kept(&pairs, "reason"))
        .await
    {
        Ok(()) => Ok(after_change(LIST, Done::PairDismissed)),
        Err(AppError::Invalid(errors)) => pair_page(&state, &ctx, &id, errors, pairs).await,
        Err(e) => Err(e.into()),
    }
}
