//! Contracts and grants: the list (the office's, or a provider's for its
//! contract manager), the set-up and correction form, and a contract's
//! page with its payments, KPIs by reporting period and the provider's
//! narrative.

use app::AppError;
use app::auth::SessionContext;
use app::commissioning::{
    Contract, ContractInput, ContractSort, ContractView, NarrativeInput, PaymentInput,
};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use domain::commissioning::{AgreementKind, Kpi};
use domain::validation::FieldErrors;

use crate::AppState;
use crate::chrome::Chrome;
use crate::errors::{PageError, render_form};
use crate::extract::{ByName, Signed, SignedForm, field as kept};
use crate::messages::{Done, DoneQuery, after_change};
use crate::paging::{PageQuery, Pager, SortOption};

/// The orders of a list of contracts: the office's, and the register's
/// funded services.
pub(super) const SORTS: [SortOption<ContractSort>; 3] = [
    SortOption {
        name: "reference",
        label: "Reference",
        sort: ContractSort::Reference,
        descending: false,
    },
    SortOption {
        name: "provider",
        label: "Provider",
        sort: ContractSort::Provider,
        descending: false,
    },
    SortOption {
        name: "ends",
        label: "Period",
        sort: ContractSort::Ends,
        descending: false,
    },
];

#[derive(Template)]
#[template(path = "commissioning/contracts.html")]
struct ListPage {
    chrome: Chrome,
    contracts: Vec<Contract>,
    pager: Pager,
    may_set_up: bool,
}

pub(crate) async fn list(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Query(paging): Query<PageQuery>,
) -> Result<Response, PageError> {
    let list = state
        .app
        .contracts(&ctx.actor, &paging.request(&SORTS))
        .await?;
    let pager = Pager::new(
        "/contracts",
        &[],
        &paging,
        &SORTS,
        &list.page,
        |c: &Contract| c.id.as_str(),
    );
    let page = ListPage {
        chrome: Chrome::signed(&ctx, "Contracts and grants", "/contracts"),
        contracts: list.page.rows,
        pager,
        may_set_up: list.may_set_up,
    };
    Ok(crate::errors::render(&page))
}

/// The contract as the form sends it: services ticked, the rest as typed.
fn contract_input(pairs: &[(String, String)]) -> ContractInput {
    let text = |key: &str| kept(pairs, key).to_string();
    ContractInput {
        reference: text("reference"),
        title: text("title"),
        kind: text("kind"),
        provider: text("provider"),
        services: pairs
            .iter()
            .filter(|(k, _)| k == "services")
            .map(|(_, v)| v.clone())
            .collect(),
        starts_on: text("starts_on"),
        ends_on: text("ends_on"),
        extension_until: text("extension_until"),
        annual_value: text("annual_value"),
        funding: text("funding"),
        partners: text("partners"),
        schedule: text("schedule"),
        kpis: text("kpis"),
        objectives: pairs
            .iter()
            .filter(|(k, _)| k == "objectives")
            .map(|(_, v)| v.clone())
            .collect(),
    }
}

/// The fields of a recorded contract, to fill its form for correction.
fn recorded(v: &ContractView) -> Vec<(String, String)> {
    let c = &v.contract;
    let share = |bp: i64| format!("{}.{:02}%", bp / 100, bp % 100);
    let mut pairs: Vec<(String, String)> = [
        ("reference", c.reference.clone()),
        ("title", c.title.clone()),
        ("kind", c.kind.clone()),
        ("provider", c.provider_id.clone()),
        ("starts_on", c.starts_on.clone()),
        ("ends_on", c.ends_on.clone()),
        (
            "extension_until",
            c.extension_until.clone().unwrap_or_default(),
        ),
        ("annual_value", super::pounds(&c.annual_pence)),
        (
            "funding",
            v.funding
                .iter()
                .map(|(name, bp)| format!("{name} | {}", share(*bp)))
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        (
            "partners",
            v.parts
                .partners
                .iter()
                .map(|(name, bp, lead)| {
                    format!(
                        "{name} | {}{}",
                        share(*bp),
                        if *lead { " | lead" } else { "" }
                    )
                })
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        (
            "schedule",
            v.parts
                .schedule
                .iter()
                .map(|(due, pence)| format!("{due} | {}", super::pounds(pence)))
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        (
            "kpis",
            v.parts
                .kpis
                .iter()
                .map(|(code, target)| format!("{code} | {target}"))
                .collect::<Vec<_>>()
                .join("\n"),
        ),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    for id in &v.parts.service_ids {
        pairs.push(("services".into(), id.clone()));
    }
    for id in &v.objective_ids {
        pairs.push(("objectives".into(), id.clone()));
    }
    pairs
}

/// A provider the office commissions, with its services: (id, name).
struct Provider {
    id: String,
    name: String,
    services: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "commissioning/contract_form.html")]
struct FormPage {
    chrome: Chrome,
    id: Option<String>,
    providers: Vec<Provider>,
    kinds: Vec<(&'static str, &'static str)>,
    kpis: Vec<(&'static str, &'static str)>,
    sources: Vec<String>,
    /// The office's objectives: (id, "code: title").
    objectives: Vec<(String, String)>,
    errors: FieldErrors,
    kept: Vec<(String, String)>,
}

impl FormPage {
    fn value(&self, name: &str) -> String {
        kept(&self.kept, name).to_string()
    }

    fn ticked(&self, service: &str) -> bool {
        self.kept
            .iter()
            .any(|(k, v)| k == "services" && v == service)
    }

    fn serves(&self, objective: &str) -> bool {
        self.kept
            .iter()
            .any(|(k, v)| k == "objectives" && v == objective)
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
    let services = state.app.services_commissioned(&ctx.actor).await?;
    let mut providers: Vec<Provider> = Vec::new();
    for s in services {
        match providers.iter_mut().find(|p| p.id == s.organisation_id) {
            Some(p) => p.services.push((s.id, s.name)),
            None => providers.push(Provider {
                id: s.organisation_id,
                name: s.organisation_name,
                services: vec![(s.id, s.name)],
            }),
        }
    }
    let title = if id.is_some() {
        "Correct a contract"
    } else {
        "Set up a contract or grant"
    };
    let page = FormPage {
        chrome: Chrome::signed(ctx, title, "/contracts"),
        id,
        providers,
        kinds: AgreementKind::options(),
        kpis: Kpi::options(),
        sources: budget.sources.iter().map(|s| s.name.clone()).collect(),
        objectives: state
            .app
            .objectives(&ctx.actor)
            .await?
            .into_iter()
            .map(|s| {
                (
                    s.objective.id,
                    format!("{}: {}", s.objective.code, s.objective.title),
                )
            })
            .collect(),
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
    let kept = vec![("kind".to_string(), "contract".to_string())];
    form_page(&state, &ctx, None, FieldErrors::new(), kept).await
}

pub(crate) async fn create(
    State(state): State<AppState>,
    SignedForm { ctx, pairs, .. }: SignedForm<ByName>,
) -> Result<Response, PageError> {
    match state
        .app
        .create_contract(&ctx.actor, &contract_input(&pairs))
        .await
    {
        Ok(c) => Ok(after_change(
            &format!("/contracts/{}", c.id),
            Done::ContractCreated,
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
    let v = state.app.contract(&ctx.actor, &id).await?;
    if !v.may_correct {
        return Err(AppError::Forbidden.into());
    }
    form_page(&state, &ctx, Some(id), FieldErrors::new(), recorded(&v)).await
}

pub(crate) async fn correct(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm { ctx, pairs, .. }: SignedForm<ByName>,
) -> Result<Response, PageError> {
    match state
        .app
        .correct_contract(&ctx.actor, &id, &contract_input(&pairs))
        .await
    {
        Ok(_) => Ok(after_change(
            &format!("/contracts/{id}"),
            Done::ContractCorrected,
        )),
        Err(AppError::Invalid(errors)) => form_page(&state, &ctx, Some(id), errors, pairs).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "commissioning/contract.html")]
struct ContractPage {
    chrome: Chrome,
    v: ContractView,
    notice: Option<String>,
    errors: FieldErrors,
    kept: Vec<(String, String)>,
}

impl ContractPage {
    fn value(&self, name: &str) -> String {
        kept(&self.kept, name).to_string()
    }

    fn share(bp: &i64) -> String {
        if bp % 100 == 0 {
            format!("{}%", bp / 100)
        } else {
            format!("{}.{:02}%", bp / 100, bp % 100)
        }
    }

    fn kind(&self) -> &'static str {
        AgreementKind::parse(&self.v.contract.kind).map_or("", |k| k.label())
    }

    /// The contract's value over its period, as pounds.
    fn whole_value(&self) -> String {
        super::pounds(&app::commissioning::contract_value(&self.v.contract))
    }

    fn scheduled(&self) -> String {
        super::pounds(&self.v.parts.schedule.iter().map(|(_, p)| p).sum())
    }
}

async fn contract_page(
    state: &AppState,
    ctx: &SessionContext,
    id: &str,
    notice: Option<String>,
    errors: FieldErrors,
    kept: Vec<(String, String)>,
) -> Result<Response, PageError> {
    let v = state.app.contract(&ctx.actor, id).await?;
    let page = ContractPage {
        chrome: Chrome::signed(ctx, &v.contract.title, "/contracts"),
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
    contract_page(
        &state,
        &ctx,
        &id,
        done.notice(),
        FieldErrors::new(),
        Vec::new(),
    )
    .await
}

pub(crate) async fn pay(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm { ctx, pairs, .. }: SignedForm<ByName>,
) -> Result<Response, PageError> {
    let text = |key: &str| kept(&pairs, key).to_string();
    let input = PaymentInput {
        paid_on: text("paid_on"),
        amount: text("amount"),
        note: text("note"),
        beyond_value_reason: text("beyond_value_reason"),
    };
    match state.app.record_payment(&ctx.actor, &id, &input).await {
        Ok(_) => Ok(after_change(
            &format!("/contracts/{id}"),
            Done::PaymentRecorded,
        )),
        Err(AppError::Invalid(errors)) => {
            contract_page(&state, &ctx, &id, None, errors, pairs).await
        }
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn narrate(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm { ctx, pairs, .. }: SignedForm<ByName>,
) -> Result<Response, PageError> {
    let input = NarrativeInput {
        quarter: kept(&pairs, "quarter").to_string(),
        narrative: kept(&pairs, "narrative").to_string(),
    };
    match state.app.write_narrative(&ctx.actor, &id, &input).await {
        Ok(()) => Ok(after_change(
            &format!("/contracts/{id}"),
            Done::NarrativeWritten,
        )),
        Err(AppError::Invalid(errors)) => {
            contract_page(&state, &ctx, &id, None, errors, pairs).await
        }
        Err(e) => Err(e.into()),
    }
}
