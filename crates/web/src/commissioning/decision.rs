//! A decision: drafted and amended by a commissioning officer, consulted
//! on, approved by the commissioner, each on its own form.

use app::AppError;
use app::auth::SessionContext;
use app::commissioning::{ApprovalInput, ConsultInput, DecisionInput, DecisionView};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use domain::commissioning::{Exemption, SectionB, Spend};
use domain::validation::FieldErrors;

use crate::AppState;
use crate::chrome::Chrome;
use crate::errors::{PageError, render_form};
use crate::extract::{ByName, Signed, SignedForm, field as kept};
use crate::messages::{Done, DoneQuery, after_change};

/// The decision as the form sends it.
fn decision_input(pairs: &[(String, String)]) -> DecisionInput {
    let text = |key: &str| kept(pairs, key).to_string();
    DecisionInput {
        number: text("number"),
        title: text("title"),
        received_on: text("received_on"),
        author: text("author"),
        summary: text("summary"),
        background: text("background"),
        decision: text("decision"),
        amounts: text("amounts"),
        financial: text("financial"),
        legal: text("legal"),
        equality: text("equality"),
        spend: text("spend"),
        exemption: text("exemption"),
        exempt_text: text("exempt_text"),
        section_b: text("section_b"),
        interests: text("interests"),
        corrects: text("corrects"),
        contract: text("contract"),
        contract_annual_value: text("contract_annual_value"),
        split_method: text("split_method"),
        split_total: text("split_total"),
        split_from: text("split_from"),
        split_to: text("split_to"),
        split_lines: text("split_lines"),
        affects: text("affects"),
    }
}

/// The fields of a recorded decision, to fill its form for amendment.
fn recorded(v: &DecisionView) -> Vec<(String, String)> {
    let d = &v.decision;
    let amounts = v
        .amounts
        .iter()
        .map(|a| {
            format!(
                "{} | {} | {}",
                a.recipient,
                super::pounds(&a.amount_pence),
                a.source_name
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    [
        ("number", d.number.clone()),
        ("title", d.title.clone()),
        ("received_on", d.received_on.clone()),
        ("author", d.author.clone()),
        ("summary", d.summary.clone()),
        ("background", d.background.clone()),
        ("decision", d.decision.clone()),
        ("amounts", amounts),
        ("financial", d.financial.clone()),
        ("legal", d.legal.clone()),
        ("equality", d.equality.clone()),
        ("spend", d.spend.clone()),
        ("exemption", d.exemption.clone()),
        ("exempt_text", d.exempt_text.clone()),
        ("section_b", d.section_b.clone()),
        ("interests", d.interests.clone()),
        ("corrects", d.corrects_number.clone().unwrap_or_default()),
        (
            "affects",
            v.affects
                .iter()
                .map(|a| a.label.clone())
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        ("contract", d.contract_reference.clone().unwrap_or_default()),
        (
            "contract_annual_value",
            d.contract_annual_pence
                .map(|p| super::pounds(&p))
                .unwrap_or_default(),
        ),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

#[derive(Template)]
#[template(path = "commissioning/form.html")]
struct FormPage {
    chrome: Chrome,
    /// The decision amended, or none for a new draft.
    id: Option<String>,
    sources: Vec<String>,
    spends: Vec<(&'static str, &'static str)>,
    section_bs: Vec<(&'static str, &'static str)>,
    exemptions: Vec<(&'static str, &'static str)>,
    errors: FieldErrors,
    kept: Vec<(String, String)>,
}

impl FormPage {
    fn value(&self, name: &str) -> String {
        kept(&self.kept, name).to_string()
    }
}

async fn form_page(
    state: &AppState,
    ctx: &SessionContext,
    id: Option<String>,
    errors: FieldErrors,
    kept: Vec<(String, String)>,
) -> Result<Response, PageError> {
    let budget = state.app.budget_year(&ctx.actor, state.app.today()).await?;
    let title = if id.is_some() {
        "Amend a decision"
    } else {
        "Draft a decision"
    };
    let page = FormPage {
        chrome: Chrome::signed(ctx, title, "/commissioning"),
        id,
        sources: budget.sources.iter().map(|s| s.name.clone()).collect(),
        spends: Spend::options(),
        section_bs: SectionB::options(),
        exemptions: Exemption::options(),
        errors,
        kept,
    };
    Ok(render_form(&page, page.errors.is_empty()))
}

pub(crate) async fn new_form(
    State(state): State<AppState>,
    Signed(ctx): Signed,
) -> Result<Response, PageError> {
    state.app.check_manages_commissioning(&ctx.actor)?;
    let today = state.app.today().to_string();
    let kept = vec![
        ("received_on".to_string(), today),
        ("spend".to_string(), "revenue".to_string()),
        ("section_b".to_string(), "none".to_string()),
    ];
    form_page(&state, &ctx, None, FieldErrors::new(), kept).await
}

pub(crate) async fn draft(
    State(state): State<AppState>,
    SignedForm { ctx, pairs, .. }: SignedForm<ByName>,
) -> Result<Response, PageError> {
    match state
        .app
        .draft_decision(&ctx.actor, &decision_input(&pairs))
        .await
    {
        Ok(d) => Ok(after_change(
            &format!("/commissioning/decisions/{}", d.id),
            Done::DecisionDrafted,
        )),
        Err(AppError::Invalid(errors)) => form_page(&state, &ctx, None, errors, pairs).await,
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn edit_form(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let v = state.app.decision(&ctx.actor, &id).await?;
    if !v.may_amend {
        return Err(AppError::Forbidden.into());
    }
    form_page(&state, &ctx, Some(id), FieldErrors::new(), recorded(&v)).await
}

pub(crate) async fn amend(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm { ctx, pairs, .. }: SignedForm<ByName>,
) -> Result<Response, PageError> {
    match state
        .app
        .amend_decision(&ctx.actor, &id, &decision_input(&pairs))
        .await
    {
        Ok(_) => Ok(after_change(
            &format!("/commissioning/decisions/{id}"),
            Done::DecisionAmended,
        )),
        Err(AppError::Invalid(errors)) => form_page(&state, &ctx, Some(id), errors, pairs).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "commissioning/decision.html")]
struct DecisionPage {
    chrome: Chrome,
    v: DecisionView,
    notice: Option<String>,
    errors: FieldErrors,
    kept: Vec<(String, String)>,
}

impl DecisionPage {
    fn value(&self, name: &str) -> String {
        kept(&self.kept, name).to_string()
    }

    fn spend(&self) -> &'static str {
        Spend::parse(&self.v.decision.spend).map_or("", |s| s.label())
    }

    fn section_b(&self) -> &'static str {
        SectionB::parse(&self.v.decision.section_b).map_or("", |s| s.label())
    }

    fn exemption(&self) -> &'static str {
        Exemption::parse(&self.v.decision.exemption).map_or("", |s| s.label())
    }

    /// The split's parts as kept: (recipient, source, what was given,
    /// weight, amount).
    fn split_parts(&self) -> Vec<(String, String, String, i64, String)> {
        let Some(split) = &self.v.split else {
            return Vec::new();
        };
        let parts: Vec<serde_json::Value> = serde_json::from_str(&split.inputs).unwrap_or_default();
        parts
            .iter()
            .map(|p| {
                let text = |k: &str| p[k].as_str().unwrap_or_default().to_string();
                (
                    text("recipient"),
                    text("source"),
                    text("given"),
                    p["weight"].as_i64().unwrap_or_default(),
                    super::pounds(&p["amount_pence"].as_i64().unwrap_or_default()),
                )
            })
            .collect()
    }

    fn consultee(&self, code: &str) -> &'static str {
        domain::commissioning::Consultee::parse(code).map_or("", |c| c.label())
    }
}

async fn decision_page(
    state: &AppState,
    ctx: &SessionContext,
    id: &str,
    notice: Option<String>,
    errors: FieldErrors,
    kept: Vec<(String, String)>,
) -> Result<Response, PageError> {
    let v = state.app.decision(&ctx.actor, id).await?;
    let page = DecisionPage {
        chrome: Chrome::signed(
            ctx,
            &format!("Decision {}", v.decision.number),
            "/commissioning",
        ),
        v,
        notice,
        errors,
        kept,
    };
    Ok(render_form(&page, page.errors.is_empty()))
}

pub(crate) async fn show(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Path(id): Path<String>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, PageError> {
    decision_page(
        &state,
        &ctx,
        &id,
        done.notice(),
        FieldErrors::new(),
        Vec::new(),
    )
    .await
}

pub(crate) async fn consult(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm { ctx, pairs, .. }: SignedForm<ByName>,
) -> Result<Response, PageError> {
    let input = ConsultInput {
        note: kept(&pairs, "note").to_string(),
    };
    match state.app.consult_on_decision(&ctx.actor, &id, &input).await {
        Ok(_) => Ok(after_change(
            &format!("/commissioning/decisions/{id}"),
            Done::DecisionConsulted,
        )),
        Err(AppError::Invalid(errors)) => {
            decision_page(&state, &ctx, &id, None, errors, pairs).await
        }
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn approve(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm { ctx, pairs, .. }: SignedForm<ByName>,
) -> Result<Response, PageError> {
    let input = ApprovalInput {
        defer_until: kept(&pairs, "defer_until").to_string(),
        deferral_reason: kept(&pairs, "deferral_reason").to_string(),
        confirmed: kept(&pairs, "confirmed") == "yes",
    };
    match state.app.approve_decision(&ctx.actor, &id, &input).await {
        Ok(_) => Ok(after_change(
            &format!("/commissioning/decisions/{id}"),
            Done::DecisionApproved,
        )),
        Err(AppError::Invalid(errors)) => {
            decision_page(&state, &ctx, &id, None, errors, pairs).await
        }
        Err(e) => Err(e.into()),
    }
}
