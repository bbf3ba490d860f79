//! Cases: lists and caseloads, and the case page with its casework forms.

mod allocate;
mod close;
mod contact;
mod documents;
mod incidents;
mod list;
mod marac;
mod needs;
mod notes;
mod onward;
mod people;
mod plan;
mod print;
mod reopen;
mod safety_plan;
mod show;
mod take;
mod tasks;

use allocate::*;
use close::*;
use contact::*;
use documents::*;
use incidents::*;
use list::*;
use marac::*;
use needs::*;
use notes::*;
use onward::*;
use people::*;
use plan::*;
use print::*;
use reopen::*;
use safety_plan::*;
use show::*;
use take::*;
use tasks::*;

use app::store::cases::Need;
use axum::routing::{get, post};
use domain::cases::{ClosureReason, ContactKind, NeedArea, OutcomeMeasure, OutcomeResult};

use crate::routes::Routes;

/// A case's status or closure reason as the history shows it: its label,
/// or the text as written.
pub fn history_label(code: &str) -> &str {
    domain::cases::CaseStatus::parse(code)
        .map(|s| s.label())
        .or_else(|| domain::cases::CaseEvent::parse(code).map(|e| e.label()))
        .or_else(|| domain::cases::ClosureReason::parse(code).map(|r| r.label()))
        .unwrap_or(code)
}

/// The page of the case a form's address belongs to (`/cases/{id}/notes`
/// is on the notes part), for a form's address opened as a page.
pub fn page_of_form(path: &str) -> Option<String> {
    let rest = path.strip_prefix("/cases/")?;
    let (id, form) = rest.split_once('/')?;
    // `/cases/{id}/tasks/{task}/done` is on the tasks part too.
    let section = match form.split('/').next().unwrap_or_default() {
        "contacts" => Section::Contacts,
        "notes" => Section::Notes,
        "tasks" => Section::Tasks,
        "needs" => Section::Needs,
        "risk" | "incidents" => Section::Risk,
        "safety-plan" => Section::SafetyPlan,
        "marac" => Section::Marac,
        "plan" => Section::Plan,
        "people" => Section::People,
        "onward" => Section::Onward,
        "close" | "reopen" => Section::Closure,
        "documents" | "letters" => Section::Documents,
        _ => return None,
    };
    Some(section.href(id))
}

pub fn routes() -> Routes {
    Routes::new()
        .route("/cases", get(list))
        .route("/cases/{id}", get(case))
        .route("/cases/{id}/print", get(print))
        .route("/cases/allocate", post(allocate_selected))
        .route("/cases/{id}/allocate", post(allocate))
        .route("/cases/{id}/take", post(take))
        .route("/cases/{id}/reopen", post(reopen))
        .route("/cases/{id}/needs", post(needs))
        .route("/cases/{id}/incidents", post(incident))
        .route(
            "/cases/{id}/incidents/{incident}",
            get(incident_form).post(correct_incident),
        )
        .route("/cases/{id}/safety-plan", post(safety_plan))
        .route("/cases/{id}/marac", post(refer_to_marac))
        .route(
            "/cases/{id}/marac/{referral}",
            get(marac_referral_form).post(correct_marac_referral),
        )
        .route(
            "/cases/{id}/marac/{referral}/withdraw",
            post(withdraw_marac_referral),
        )
        .route("/cases/{id}/safety-plan/print", get(safety_plan_print))
        .route("/cases/{id}/plan", post(plan))
        .route("/cases/{id}/contacts", post(contact))
        .route("/cases/{id}/notes", post(note))
        .route("/cases/{id}/notes/{note}/reveal", post(reveal))
        .route("/cases/{id}/tasks", post(task))
        .route("/cases/{id}/tasks/{task}/done", post(task_done))
        .route("/cases/{id}/onward", post(onward))
        .route("/cases/{id}/close", post(close))
        .route("/cases/{id}/people", post(link_person))
        .route(
            "/cases/{id}/documents",
            post(upload).layer(axum::extract::DefaultBodyLimit::max(
                crate::extract::UPLOAD_BODY_LIMIT,
            )),
        )
        .route("/cases/{id}/documents/{document}", get(download))
        .route("/cases/{id}/documents/{document}/remove", post(remove))
        .route("/cases/{id}/letters", post(letter))
}

pub(crate) type Options = Vec<(&'static str, &'static str)>;

pub fn relationship_label(code: &str) -> &'static str {
    domain::cases::Relationship::parse(code)
        .map(|r| r.label())
        .unwrap_or("Unknown")
}

pub(crate) fn area_label(code: &str) -> &'static str {
    NeedArea::parse(code)
        .map(|a| a.label())
        .unwrap_or("Unknown")
}

pub(crate) fn kind_label(code: &str) -> &'static str {
    ContactKind::parse(code)
        .map(|a| a.label())
        .unwrap_or("Unknown")
}

pub(crate) fn closure_label(code: &str) -> &'static str {
    ClosureReason::parse(code)
        .map(|a| a.label())
        .unwrap_or("Unknown")
}

pub(crate) fn measure_label(code: &str) -> &'static str {
    OutcomeMeasure::parse(code)
        .map(|a| a.label())
        .unwrap_or("Unknown")
}

/// A measure's rating at a stage as the form holds it: empty for none.
pub(crate) fn rated(d: &app::cases::CaseDetail, measure: &str, stage: &str) -> String {
    d.rating(measure, stage)
        .map(|v| v.to_string())
        .unwrap_or_default()
}

/// The statement a measure's rating says how true it is of the victim.
pub(crate) fn measure_statement(code: &str) -> &'static str {
    OutcomeMeasure::parse(code)
        .map(|a| a.statement())
        .unwrap_or("Unknown")
}

pub(crate) fn result_label(code: &str) -> &'static str {
    OutcomeResult::parse(code)
        .map(|a| a.label())
        .unwrap_or("Unknown")
}

/// A file's size as people read it: "840 KB", "2.4 MB".
pub(crate) fn file_size(bytes: &i64) -> String {
    let bytes = *bytes as f64;
    if bytes < 1024.0 * 1024.0 {
        format!("{} KB", (bytes / 1024.0).ceil() as i64)
    } else {
        format!("{:.1} MB", bytes / (1024.0 * 1024.0))
    }
}

pub(crate) fn need_level<'a>(needs: &'a [Need], area: &str) -> &'a str {
    needs
        .iter()
        .find(|n| n.area == area)
        .map(|n| n.level.as_str())
        .unwrap_or("")
}

pub(crate) fn need_notes<'a>(needs: &'a [Need], area: &str) -> &'a str {
    needs
        .iter()
        .find(|n| n.area == area)
        .and_then(|n| n.notes.as_deref())
        .unwrap_or("")
}

pub(crate) fn outcome_field(measure: &str) -> String {
    format!("outcome-{measure}")
}

pub(crate) fn incident_source_label(code: &str) -> &'static str {
    domain::risk::IncidentSource::parse(code)
        .map(|s| s.label())
        .unwrap_or("Unknown")
}

pub(crate) fn criterion_label(code: &str) -> &'static str {
    domain::marac::Criterion::parse(code)
        .map(|c| c.label())
        .unwrap_or("Unknown")
}
