//! One case's page, shown again with what was typed when a form on it is refused.

use app::AppError;
use app::auth::SessionContext;
use app::cases::CaseDetail;
use app::store::users::User;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use domain::cases::{
    CaseStatus, ClosureReason, ContactKind, NeedArea, NeedLevel, OutcomeMeasure, OutcomeResult,
    Satisfaction,
};
use domain::journey::Channel;
use domain::policy::{self, Action};
use domain::validation::FieldErrors;
use serde::Deserialize;

use crate::AppState;
use crate::chrome::Chrome;
use crate::errors::{PageError, render_form};
use crate::extract::{Signed, field as kept};

use super::*;
use crate::messages::{Done, DoneQuery, after_change};

/// A part of the case, each on its own page with its own form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Section {
    #[default]
    Summary,
    Contacts,
    Notes,
    Tasks,
    Needs,
    Risk,
    SafetyPlan,
    Marac,
    Plan,
    People,
    Onward,
    Documents,
    Closure,
}

impl Section {
    pub(crate) const ALL: [Section; 13] = [
        Section::Summary,
        Section::Contacts,
        Section::Notes,
        Section::Tasks,
        Section::Needs,
        Section::Risk,
        Section::SafetyPlan,
        Section::Marac,
        Section::Plan,
        Section::People,
        Section::Onward,
        Section::Documents,
        Section::Closure,
    ];

    pub(crate) fn code(self) -> &'static str {
        match self {
            Section::Summary => "summary",
            Section::Contacts => "contacts",
            Section::Notes => "notes",
            Section::Tasks => "tasks",
            Section::Needs => "needs",
            Section::Risk => "risk",
            Section::SafetyPlan => "safety-plan",
            Section::Marac => "marac",
            Section::Plan => "plan",
            Section::People => "people",
            Section::Onward => "onward",
            Section::Documents => "documents",
            Section::Closure => "closure",
        }
    }

    pub(crate) fn label(self) -> &'static str {
        match self {
            Section::Summary => "Summary",
            Section::Contacts => "Contacts",
            Section::Notes => "Notes",
            Section::Tasks => "Tasks",
            Section::Needs => "Needs",
            Section::Risk => "Risk",
            Section::SafetyPlan => "Safety plan",
            Section::Marac => "MARAC",
            Section::Plan => "Support plan",
            Section::People => "People",
            Section::Onward => "Onward referrals",
            Section::Documents => "Documents",
            Section::Closure => "Closure",
        }
    }

    fn parse(code: &str) -> Section {
        Section::ALL
            .into_iter()
            .find(|s| s.code() == code)
            .unwrap_or_default()
    }

    /// The section's page.
    pub(crate) fn href(self, case_id: &str) -> String {
        match self {
            Section::Summary => format!("/cases/{case_id}"),
            other => format!("/cases/{case_id}?section={}", other.code()),
        }
    }

    /// For templates: whether this is the section named.
    pub(crate) fn is(&self, code: &str) -> bool {
        self.code() == code
    }
}

impl CasePage {
    /// The safety plan's written parts: (field, label, hint).
    fn plan_sections(&self) -> [(&'static str, &'static str, &'static str); 5] {
        [
            (
                "risks",
                "Risks",
                "What puts the victim, and anyone with them, in danger.",
            ),
            (
                "safety_measures",
                "Safety measures",
                "What is in place or will be: locks, alarms, orders, a safe phone.",
            ),
            (
                "actions",
                "Actions and who does them",
                "Each step, and the person or agency who takes it.",
            ),
            (
                "safe_places",
                "Safe places and people",
                "Where they can go, and who they can call on.",
            ),
            (
                "emergency_plan",
                "Emergency plan",
                "What to do if they are in danger: 999, where to go, who to tell.",
            ),
        ]
    }

    /// What a plan's field shows: what was typed into a refused form, or
    /// the latest version.
    fn plan_value(&self, field: &str) -> String {
        if !self.kept.is_empty() {
            return kept(&self.kept, field).to_string();
        }
        let Some(plan) = self.d.safety_plans.first() else {
            return String::new();
        };
        match field {
            "risks" => plan.risks.clone(),
            "safety_measures" => plan.safety_measures.clone(),
            "actions" => plan.actions.clone(),
            "safe_places" => plan.safe_places.clone(),
            "emergency_plan" => plan.emergency_plan.clone(),
            "code_word" => plan.code_word.clone(),
            _ => String::new(),
        }
    }
}

#[derive(Deserialize, Default)]
pub(crate) struct SectionQuery {
    #[serde(default)]
    section: String,
}

#[derive(Template)]
#[template(path = "cases/show.html")]
pub(crate) struct CasePage {
    pub(crate) chrome: Chrome,
    pub(crate) section: Section,
    pub(crate) sections: [Section; 13],
    pub(crate) errors: FieldErrors,
    pub(crate) notice: Option<String>,
    pub(crate) revealed: Option<String>,
    /// What was typed into the form that failed, shown again.
    pub(crate) kept: Vec<(String, String)>,
    pub(crate) d: CaseDetail,
    pub(crate) open: bool,
    /// Whether the viewer may take the case: it is open, theirs to work, and nobody's yet.
    pub(crate) may_take: bool,
    pub(crate) may_reopen: bool,
    /// How many of its tasks are still open, for the closure to end.
    pub(crate) open_tasks: usize,
    pub(crate) staff: Vec<User>,
    pub(crate) areas: Options,
    pub(crate) levels: Options,
    pub(crate) kinds: Options,
    pub(crate) channels: Options,
    pub(crate) reasons: Options,
    pub(crate) measures: Options,
    pub(crate) incident_sources: Options,
    /// The referral to a MARAC the case would make, on the MARAC part.
    pub(crate) marac: Option<app::marac::MaracDraft>,
    pub(crate) results: Options,
    /// The one scale measures are rated on, at the start and at exit.
    pub(crate) ratings: Options,
    /// The answers for a measure not rated at exit: declined, not asked.
    pub(crate) unrated: Options,
    pub(crate) satisfactions: Options,
    pub(crate) relationships: Options,
    pub(crate) letters: Options,
}

#[allow(clippy::too_many_arguments)]
pub(crate) async fn case_page(
    state: &AppState,
    ctx: &SessionContext,
    id: &str,
    section: Section,
    errors: FieldErrors,
    notice: Option<String>,
    revealed: Option<String>,
    kept: Vec<(String, String)>,
) -> Result<Response, PageError> {
    let d = state.app.case(&ctx.actor, id).await?.into_inner();
    let place = policy::Place {
        service_id: Some(d.case.service_id.clone()),
        ..Default::default()
    };
    let may_work = policy::may(&ctx.actor, Action::ManageCases, &place);
    let staff = if policy::may(&ctx.actor, Action::AllocateCases, &place) {
        state.app.allocatable(&d.case).await?
    } else {
        Vec::new()
    };
    let open = may_work && d.case.status == CaseStatus::Open.code();
    let marac = if section == Section::Marac {
        Some(state.app.marac_draft(&ctx.actor, id).await?)
    } else {
        None
    };
    let page = CasePage {
        marac,
        section,
        sections: Section::ALL,
        may_take: open && d.case.caseworker_id.is_none(),
        may_reopen: d.case.status == CaseStatus::Closed.code()
            && policy::may(&ctx.actor, Action::ReopenCases, &place),
        open_tasks: d.open_tasks(),
        chrome: Chrome::signed(ctx, &d.case.reference, "/cases"),
        errors,
        notice,
        revealed,
        kept,
        open,
        d,
        staff,
        areas: NeedArea::options(),
        levels: NeedLevel::options(),
        kinds: ContactKind::options(),
        channels: Channel::options(),
        reasons: ClosureReason::options(),
        measures: OutcomeMeasure::options(),
        incident_sources: domain::risk::IncidentSource::options(),
        results: OutcomeResult::options(),
        ratings: domain::cases::Rating::options(),
        unrated: OutcomeResult::ALL
            .iter()
            .filter(|r| !r.asked())
            .map(|r| (r.code(), r.label()))
            .collect(),
        satisfactions: Satisfaction::options(),
        relationships: domain::cases::Relationship::options(),
        letters: domain::documents::LetterKind::options(),
    };
    Ok(render_form(&page, page.errors.is_empty()))
}

pub(crate) async fn case(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Path(id): Path<String>,
    Query(done): Query<DoneQuery>,
    Query(part): Query<SectionQuery>,
) -> Result<Response, PageError> {
    case_page(
        &state,
        &ctx,
        &id,
        Section::parse(&part.section),
        FieldErrors::new(),
        done.notice(),
        None,
        Vec::new(),
    )
    .await
}

pub(crate) async fn outcome(
    state: &AppState,
    ctx: &SessionContext,
    id: &str,
    section: Section,
    result: Result<Done, AppError>,
    kept: Vec<(String, String)>,
) -> Result<Response, PageError> {
    match result {
        Ok(done) => Ok(after_change(&section.href(id), done)),
        Err(AppError::Invalid(errors)) => {
            case_page(state, ctx, id, section, errors, None, None, kept).await
        }
        Err(e) => Err(e.into()),
    }
}
