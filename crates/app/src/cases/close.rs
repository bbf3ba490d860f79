//! Closing a case with the cope-and-recover outcomes and satisfaction.

use domain::cases::{
    CaseStatus, ClosureReason, OutcomeMeasure, OutcomeResult, Rating, Satisfaction, TaskOutcome,
};
use domain::policy::{Action, Actor};
use domain::validation::FieldErrors;
use serde_json::json;
use store::cases::Outcome;

use crate::audit::AuditAction;
use crate::audit::Change;
use crate::cases::messages::CaseMessage;
use crate::secrets::new_id;
use crate::{App, AppError, Result};

/// What a caseworker brings to closure.
#[derive(Debug, Clone, Default)]
pub struct Closure {
    pub reason: String,
    pub satisfaction: String,
    /// (measure code, answer) for each of the five measures: a rating from
    /// 1 to 5 where the measure was rated at the start (the outcome is
    /// worked out from the two), or a result code (improved, not asked…).
    pub outcomes: Vec<(String, String)>,
    /// `done` or `cancelled`: what becomes of the case's open tasks.
    pub open_tasks: String,
}

impl App {
    /// Closes a case with its reason, satisfaction and an answer for each
    /// of the five cope-and-recover measures.
    pub async fn close_case(&self, actor: &Actor, case_id: &str, closure: &Closure) -> Result<()> {
        let mut errors = FieldErrors::new();
        let reason = ClosureReason::parse(closure.reason.trim());
        if reason.is_none() {
            errors.add("closure_reason", CaseMessage::ChooseWhyCaseClosing);
        }
        let satisfaction = Satisfaction::parse(closure.satisfaction.trim());
        if satisfaction.is_none() {
            errors.add("satisfaction", CaseMessage::ChooseHowSatisfiedTheyWere);
        }
        let mut outcomes = Vec::new();
        // Ratings at exit, compared with the start under the writer's lock.
        let mut exit_ratings = Vec::new();
        for measure in OutcomeMeasure::ALL {
            let given = closure
                .outcomes
                .iter()
                .find(|(m, _)| m == measure.code())
                .map(|(_, r)| r.trim());
            if let Some(rating) = given.and_then(Rating::parse) {
                exit_ratings.push((*measure, rating));
                continue;
            }
            match given.and_then(OutcomeResult::parse) {
                Some(result) => outcomes.push(Outcome {
                    measure: measure.code().into(),
                    result: result.code().into(),
                }),
                None => errors.add(
                    &format!("outcome-{}", measure.code()),
                    CaseMessage::ChooseOutcome {
                        measure: measure.label().to_lowercase(),
                    },
                ),
            }
        }
        errors.into_result().map_err(AppError::Invalid)?;
        let reason = reason.map(|r| r.code()).unwrap_or_default();
        let satisfaction = satisfaction.map(|s| s.code()).unwrap_or_default();
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        // Checked again under the writer's lock: the case may have closed meanwhile.
        let (case, service) = tx.open_case(case_id, Action::ManageCases).await?;
        if case.caseworker_id.is_none() {
            return Err(AppError::invalid(
                "case",
                CaseMessage::AllocateBeforeClosing,
            ));
        }
        // Open tasks end with the case, as done or cancelled, never left overdue.
        let open_tasks = store::cases::open_task_count(tx.conn(), &case.id).await?;
        let tasks_end = TaskOutcome::parse(closure.open_tasks.trim());
        if open_tasks > 0 {
            let Some(ending) = tasks_end else {
                return Err(AppError::invalid(
                    "open_tasks",
                    CaseMessage::ChooseWhatHappensToTasks { count: open_tasks },
                ));
            };
            store::cases::end_open_tasks(tx.conn(), &case.id, ending.code(), &now).await?;
        }
        let started = store::cases::ratings(tx.conn(), &case.id).await?;
        let mut rated = Vec::new();
        for (measure, exit) in exit_ratings {
            let start = started
                .iter()
                .find(|r| r.stage == "start" && r.measure == measure.code())
                .and_then(|r| Rating::parse(&r.rating.to_string()));
            let Some(start) = start else {
                return Err(AppError::invalid(
                    &format!("outcome-{}", measure.code()),
                    CaseMessage::NoStartingRating {
                        measure: measure.label().into(),
                    },
                ));
            };
            outcomes.push(Outcome {
                measure: measure.code().into(),
                result: domain::cases::change(start, exit).code().into(),
            });
            let exit = store::cases::Rating {
                measure: measure.code().into(),
                stage: "exit".into(),
                rating: i64::from(exit.value()),
            };
            store::cases::set_rating(tx.conn(), &case.id, &exit, &actor.id, &now).await?;
            rated.push((measure.code(), start.value(), exit.rating));
        }
        for outcome in &outcomes {
            store::cases::set_outcome(tx.conn(), &case.id, outcome).await?;
        }
        let today = self.today().to_string();
        store::cases::close(tx.conn(), &case.id, reason, satisfaction, &now, &today).await?;
        store::cases::add_status(
            tx.conn(),
            &new_id(),
            &case.id,
            CaseStatus::Closed.code(),
            Some(reason),
            &actor.id,
            &now,
        )
        .await?;
        let change = Change::new(AuditAction::CaseClosed, "case", &case.id)
                .place(Some(&service.organisation_id), Some(&service.id))
                .after(json!({
                    "reason": reason, "satisfaction": satisfaction,
                    "open_tasks_ended": open_tasks,
                    "tasks_ended_as": tasks_end.filter(|_| open_tasks > 0).map(|t| t.code()),
                    "outcomes": outcomes.iter().map(|o| (o.measure.clone(), o.result.clone())).collect::<Vec<_>>(),
                    "ratings": rated,
                }));
        tx.commit(change).await?;
        Ok(())
    }
}
