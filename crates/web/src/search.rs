//! Finding a person within the services the user works in.

use app::AppError;
use app::store::people::Found;
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
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    chrome: Chrome,
    errors: FieldErrors,
    q: String,
    dob: String,
    found: Option<Vec<Found>>,
    /// The most shown.
    shown: usize,
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
        shown: app::search::SEARCH_SHOWN as usize,
    };
    if !domain::policy::may_somewhere(&ctx.actor, domain::policy::Action::ViewCases) {
        return Err(AppError::Forbidden.into());
    }
    if query.q.is_some() {
        match state
            .app
            .search_people(&ctx.actor, &page.q, &page.dob)
            .await
        {
            Ok(found) => page.found = Some(found.into_inner()),
            Err(AppError::Invalid(errors)) => page.errors = errors,
            Err(e) => return Err(e.into()),
        }
    }
    Ok(render_form(&page, page.errors.is_empty()))
}
