//! API tokens for machine clients: issue (shown once), list, revoke.

use app::AppError;
use app::auth::SessionContext;
use app::paging::Page;
use app::store::directory::Organisation;
use app::store::tokens::{ApiToken, TokenSort};
use app::tokens::{NewTokenInput, SCOPES};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::policy::{self, Action};
use domain::validation::FieldErrors;

use crate::AppState;
use crate::chrome::Chrome;
use crate::confirm::{Ask, ask_first};
use crate::errors::{PageError, render_form};
use crate::extract::{ByName, Signed, SignedForm};
use crate::messages::ConfirmMessage;
use crate::paging::{PageQuery, Pager, SortOption};
use crate::routes::Routes;

const SORTS: [SortOption<TokenSort>; 3] = [
    SortOption {
        name: "issued",
        label: "Issued",
        sort: TokenSort::Issued,
        descending: true,
    },
    SortOption {
        name: "name",
        label: "Name",
        sort: TokenSort::Name,
        descending: false,
    },
    SortOption {
        name: "used",
        label: "Last used",
        sort: TokenSort::LastUsed,
        descending: true,
    },
];

pub fn routes() -> Routes {
    Routes::new()
        .route("/tokens", get(list).post(create))
        .route("/tokens/{id}/revoke", post(revoke))
}

#[derive(Template)]
#[template(path = "tokens.html")]
struct TokensPage {
    chrome: Chrome,
    errors: FieldErrors,
    tokens: Page<ApiToken>,
    pager: Pager,
    organisations: Vec<Organisation>,
    /// Services a token may be narrowed to: those of its organisation, or
    /// any service for a token that only sends referrals.
    services: Vec<app::store::directory::Service>,
    scopes: Vec<(&'static str, &'static str)>,
    secret: Option<String>,
    form_name: String,
}

async fn page(
    state: &AppState,
    ctx: &SessionContext,
    errors: FieldErrors,
    secret: Option<String>,
    form_name: String,
    query: &PageQuery,
) -> Result<Response, PageError> {
    let tokens = state
        .app
        .tokens_page(&ctx.actor, &query.request(&SORTS))
        .await?;
    let pager = Pager::new("/tokens", &[], query, &SORTS, &tokens, |t: &ApiToken| {
        t.id.as_str()
    });
    let manage = policy::visibility(&ctx.actor, Action::ManageTokens);
    let organisations = state
        .app
        .organisations(&ctx.actor)
        .await?
        .into_iter()
        .filter(|o| {
            manage.contains(&policy::Place {
                organisation_id: Some(o.id.clone()),
                ..Default::default()
            })
        })
        .collect();
    let services = state.app.services(&ctx.actor).await?;
    let page = TokensPage {
        chrome: Chrome::signed(ctx, "API tokens", "/tokens"),
        errors,
        tokens,
        pager,
        organisations,
        services,
        scopes: SCOPES.iter().map(|s| (s.0, s.1)).collect(),
        secret,
        form_name,
    };
    Ok(render_form(&page, page.errors.is_empty()))
}

async fn list(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    axum::extract::Query(query): axum::extract::Query<PageQuery>,
) -> Result<Response, PageError> {
    page(
        &state,
        &ctx,
        FieldErrors::new(),
        None,
        String::new(),
        &query,
    )
    .await
}

/// The form repeats `scopes` once per ticked box, so it is read as pairs.
async fn create(
    State(state): State<AppState>,
    SignedForm { ctx, pairs, .. }: SignedForm<ByName>,
) -> Result<Response, PageError> {
    let value = |key: &str| crate::extract::field(&pairs, key).to_string();
    let scopes: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| k == "scopes")
        .map(|(_, v)| v.clone())
        .collect();
    let name = value("name");
    let organisation_id = value("organisation_id");
    let service_id = value("service_id");
    let input = NewTokenInput {
        name: &name,
        organisation_id: &organisation_id,
        service_id: (!service_id.trim().is_empty()).then_some(service_id.trim()),
        scopes: &scopes,
    };
    match state.app.create_token(&ctx.actor, input).await {
        Ok(issued) => {
            page(
                &state,
                &ctx,
                FieldErrors::new(),
                Some(issued.secret),
                String::new(),
                &PageQuery::default(),
            )
            .await
        }
        Err(AppError::Invalid(errors)) => {
            page(&state, &ctx, errors, None, name, &PageQuery::default()).await
        }
        Err(e) => Err(e.into()),
    }
}

/// A service's name among those listed, or "Another service".
fn service_name<'a>(services: &'a [app::store::directory::Service], id: &str) -> &'a str {
    services
        .iter()
        .find(|s| s.id == id)
        .map(|s| s.name.as_str())
        .unwrap_or("Another service")
}

#[derive(serde::Deserialize, Default)]
struct Empty {}

async fn revoke(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: SignedForm<Empty>,
) -> Result<Response, PageError> {
    let ask = Ask {
        question: ConfirmMessage::RevokeToken,
        consequence: ConfirmMessage::RevokeTokenConsequence,
        yes: ConfirmMessage::RevokeTokenYes,
    };
    if let Some(asking) = ask_first(&form, ask, &format!("/tokens/{id}/revoke"), "/tokens") {
        return Ok(asking);
    }
    match state.app.revoke_token(&form.ctx.actor, &id).await {
        Ok(_) => Ok(Redirect::to("/tokens").into_response()),
        Err(AppError::Invalid(errors)) => {
            page(
                &state,
                &form.ctx,
                errors,
                None,
                String::new(),
                &PageQuery::default(),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
