//! Finding a person within the services the user works in.

use app::AppError;
use app::search::SearchResults;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use domain::validation::FieldErrors;
use serde::Deserialize;

use crate::AppState;
use crate::chrome::Chrome;
use crate::errors::{PageError, render_form};
use crate::extract::{DateQuery, Signed};
use crate::routes::Routes;

pub fn routes() -> Routes {
    Routes::new().route("/search", get(search))
}

#[derive(Deserialize, Default)]
struct SearchQuery {
    q: Option<String>,
    #[serde(default)]
    dob: String,
    /// The page of results, from 1.
    #[serde(default)]
    page: String,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    chrome: Chrome,
    errors: FieldErrors,
    q: String,
    dob: String,
    found: Option<SearchResults>,
    /// Where the pages before and after are.
    previous: Option<String>,
    next: Option<String>,
    cap: i64,
}

/// Search terms go in the query string of this page only; it is never
/// cached, and the access log leaves query strings out.
async fn search(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    DateQuery(query): DateQuery<SearchQuery>,
) -> Result<Response, PageError> {
    let mut page = SearchPage {
        chrome: Chrome::signed(&ctx, "Find a person", "/search"),
        errors: FieldErrors::new(),
        q: query.q.clone().unwrap_or_default(),
        dob: query.dob.clone(),
        found: None,
        previous: None,
        next: None,
        cap: app::search::SEARCH_CAP,
    };
    if !domain::policy::may_somewhere(&ctx.actor, domain::policy::Action::ViewCases) {
        return Err(AppError::Forbidden.into());
    }
    if query.q.is_some() {
        let number = query.page.parse::<i64>().unwrap_or(1).max(1);
        match state
            .app
            .search_people(&ctx.actor, &page.q, &page.dob, number)
            .await
        {
            Ok(found) => {
                let found = found.into_inner();
                let shown_page = (found.first - 1) / app::search::SEARCH_SHOWN + 1;
                let link = |to: i64| {
                    let pairs = [
                        ("q", page.q.clone()),
                        ("dob", page.dob.clone()),
                        ("page", to.to_string()),
                    ];
                    format!(
                        "/search?{}",
                        serde_urlencoded::to_string(pairs).unwrap_or_default()
                    )
                };
                page.previous = (shown_page > 1).then(|| link(shown_page - 1));
                page.next = found.has_later().then(|| link(shown_page + 1));
                page.found = Some(found);
            }
            Err(AppError::Invalid(errors)) => page.errors = errors,
            Err(e) => return Err(e.into()),
        }
    }
    Ok(render_form(&page, page.errors.is_empty()))
}
