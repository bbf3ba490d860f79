//! The assessment form: the template's questions, each answered yes, no,
//! don't know or not asked, its text boxes, and professional judgement.

use app::AppError;
use app::auth::SessionContext;
use app::risk::{RiskForm, RiskInput};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use domain::risk::{Answer, Level};
use domain::validation::FieldErrors;
use serde::Deserialize;

use crate::AppState;
use crate::chrome::Chrome;
use crate::errors::{PageError, render_form};
use crate::extract::{ByName, Signed, SignedForm, field as kept};
use crate::messages::{Done, after_change};

#[derive(Deserialize, Default)]
pub(crate) struct TemplateQuery {
    #[serde(default)]
    template: String,
}

#[derive(Template)]
#[template(path = "risk/new.html")]
pub(crate) struct NewPage {
    chrome: Chrome,
    errors: FieldErrors,
    form: RiskForm,
    template: domain::risk::Template,
    kept: Vec<(String, String)>,
    answers: Vec<(&'static str, &'static str)>,
    levels: Vec<(&'static str, &'static str)>,
}

impl NewPage {
    fn kept(&self, name: &str) -> &str {
        kept(&self.kept, name)
    }

    /// The answer kept for a question: what was chosen, or none.
    fn answered(&self, id: &str, code: &str) -> bool {
        kept(&self.kept, &format!("answer-{id}")) == code
    }

    fn bands(&self) -> String {
        self.template
            .bands
            .iter()
            .map(|b| format!("{} from {}", b.level.label().to_lowercase(), b.from))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

pub(crate) async fn new_form(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Path(id): Path<String>,
    Query(query): Query<TemplateQuery>,
) -> Result<Response, PageError> {
    let kept = vec![("template".to_string(), query.template)];
    page(&state, &ctx, &id, FieldErrors::new(), kept).await
}

async fn page(
    state: &AppState,
    ctx: &SessionContext,
    id: &str,
    errors: FieldErrors,
    kept: Vec<(String, String)>,
) -> Result<Response, PageError> {
    let form = state.app.risk_form(&ctx.actor, id).await?;
    let template = form
        .template(self::kept(&kept, "template"))
        .cloned()
        .ok_or(PageError::from(AppError::NotFound))?;
    let page = NewPage {
        chrome: Chrome::signed(ctx, "Risk assessment", "/cases"),
        errors,
        form,
        template,
        kept,
        answers: Answer::options(),
        levels: Level::options(),
    };
    Ok(render_form(&page, page.errors.is_empty()))
}

pub(crate) async fn assess(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm { ctx, pairs, .. }: SignedForm<ByName>,
) -> Result<Response, PageError> {
    let prefixed = |prefix: &str| -> Vec<(String, String)> {
        pairs
            .iter()
            .filter_map(|(name, value)| {
                name.strip_prefix(prefix)
                    .map(|id| (id.to_string(), value.clone()))
            })
            .collect()
    };
    let input = RiskInput {
        template: kept(&pairs, "template").into(),
        assessed_on: kept(&pairs, "assessed_on").into(),
        prompted_by: kept(&pairs, "prompted_by").into(),
        answers: prefixed("answer-"),
        texts: prefixed("text-"),
        judgement_level: kept(&pairs, "judgement_level").into(),
        judgement_reasons: kept(&pairs, "judgement_reasons").into(),
        review_on: kept(&pairs, "review_on").into(),
    };
    match state.app.assess_risk(&ctx.actor, &id, &input).await {
        Ok(_) => Ok(after_change(
            &format!("/cases/{id}?section=risk"),
            Done::RiskAssessed,
        )),
        Err(AppError::Invalid(errors)) => page(&state, &ctx, &id, errors, pairs).await,
        Err(e) => Err(e.into()),
    }
}
