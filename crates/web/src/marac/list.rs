//! The MARACs the signed-in person serves on, with their meetings, and the
//! coordinator's or chair's form to schedule the next.

use app::AppError;
use app::auth::SessionContext;
use app::marac::MaracSummary;
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
#[template(path = "marac/list.html")]
pub(crate) struct MaracsPage {
    chrome: Chrome,
    maracs: Vec<MaracSummary>,
    notice: Option<String>,
    errors: FieldErrors,
    /// The MARAC whose form was refused, and what was typed in it.
    refused: Option<(String, String)>,
}

impl MaracsPage {
    /// Whether this MARAC's form was the one refused.
    fn refused_here(&self, marac_id: &str) -> bool {
        self.refused.as_ref().is_some_and(|(id, _)| id == marac_id)
    }

    /// The day typed into a MARAC's form, when it was refused.
    fn typed(&self, marac_id: &str) -> &str {
        match &self.refused {
            Some((id, day)) if id == marac_id => day,
            _ => "",
        }
    }
}

async fn maracs_page(
    state: &AppState,
    ctx: &SessionContext,
    notice: Option<String>,
    errors: FieldErrors,
    refused: Option<(String, String)>,
) -> Result<Response, PageError> {
    let maracs = state.app.my_maracs(&ctx.actor).await?;
    let page = MaracsPage {
        chrome: Chrome::signed(ctx, "MARAC", "/maracs"),
        maracs,
        notice,
        errors,
        refused,
    };
    Ok(render_form(&page, page.errors.is_empty()))
}

pub(crate) async fn maracs(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Query(done): Query<DoneQuery>,
) -> Result<Response, PageError> {
    maracs_page(&state, &ctx, done.notice(), FieldErrors::new(), None).await
}

pub(crate) async fn schedule(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm { ctx, pairs, .. }: SignedForm<ByName>,
) -> Result<Response, PageError> {
    let day = kept(&pairs, "meets_on").to_string();
    match state
        .app
        .schedule_marac_meeting(&ctx.actor, &id, &day)
        .await
    {
        Ok(_) => Ok(after_change("/maracs", Done::MaracMeetingScheduled)),
        Err(AppError::Invalid(errors)) => {
            maracs_page(&state, &ctx, None, errors, Some((id, day))).await
        }
        Err(e) => Err(e.into()),
    }
}
