//! The safety plan: structured sections, a new version at each save, to be
//! reviewed with each re-assessment. It is printed discreetly and never
//! sent by email (Waymark sends no email).

use domain::policy::{Action, Actor};
use domain::validation::{FieldErrors, Lines, text};
use domain::values::Day;
use jiff::ToSpan;
use serde::Deserialize;
use serde_json::json;
use store::risk::SafetyPlan;
use utoipa::ToSchema;

use crate::audit::{AuditAction, Change};
use crate::risk::messages::RiskUseMessage;
use crate::secrets::new_id;
use crate::{App, AppError, Result};

/// The one field list for a safety plan.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct SafetyPlanInput {
    pub risks: String,
    pub safety_measures: String,
    /// Actions and who does them.
    pub actions: String,
    /// Safe places and people.
    pub safe_places: String,
    pub emergency_plan: String,
    pub code_word: String,
    /// When it is to be reviewed (day, month, year).
    pub review_on: String,
}

impl App {
    /// Saves the case's safety plan as a new version; returns its number.
    pub async fn save_safety_plan(
        &self,
        actor: &Actor,
        case_id: &str,
        input: &SafetyPlanInput,
    ) -> Result<i64> {
        let mut errors = FieldErrors::new();
        let section = |errors: &mut FieldErrors, field: &str, value: &str, label: &str| {
            text(errors, field, value, label, 4_000, Lines::Many).unwrap_or_default()
        };
        let risks = section(&mut errors, "risks", &input.risks, "the risks");
        let safety_measures = section(
            &mut errors,
            "safety_measures",
            &input.safety_measures,
            "the safety measures",
        );
        let actions = section(&mut errors, "actions", &input.actions, "the actions");
        let safe_places = section(
            &mut errors,
            "safe_places",
            &input.safe_places,
            "the safe places and people",
        );
        let emergency_plan = section(
            &mut errors,
            "emergency_plan",
            &input.emergency_plan,
            "the emergency plan",
        );
        let code_word = text(
            &mut errors,
            "code_word",
            &input.code_word,
            "the code word",
            100,
            Lines::One,
        )
        .unwrap_or_default();
        if errors.is_empty()
            && [
                &risks,
                &safety_measures,
                &actions,
                &safe_places,
                &emergency_plan,
            ]
            .iter()
            .all(|s| s.is_empty())
        {
            errors.add("risks", RiskUseMessage::PlanEmpty);
        }
        let today = self.today();
        let review_on = match Day::parse(&input.review_on).map(Day::date) {
            Err(_) => {
                errors.add("review_on", RiskUseMessage::ReviewOnReal);
                None
            }
            Ok(day) if day <= today => {
                errors.add("review_on", RiskUseMessage::PlanReviewAfterToday);
                None
            }
            Ok(day) if day > today.saturating_add(1.year()) => {
                errors.add("review_on", RiskUseMessage::ReviewTooFar);
                None
            }
            Ok(day) => Some(day),
        };
        errors.into_result().map_err(AppError::Invalid)?;
        let review_on = review_on.map(|d| d.to_string()).unwrap_or_default();
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        let (case, service) = tx.open_case(case_id, Action::ManageCases).await?;
        let latest = store::risk::assessments(tx.conn(), &case.id)
            .await?
            .into_iter()
            .next();
        let plan = SafetyPlan {
            id: new_id(),
            case_id: case.id.clone(),
            risks,
            safety_measures,
            actions,
            safe_places,
            emergency_plan,
            code_word,
            review_on,
            assessment_id: latest.map(|a| a.id),
            recorded_by: actor.id.clone(),
            recorded_at: now.clone(),
            ..Default::default()
        };
        let version = store::risk::insert_safety_plan(tx.conn(), &plan).await?;
        // What the plan says is the victim's: the event records that it
        // changed, not its words.
        tx.commit(
            Change::new(AuditAction::SafetyPlanSaved, "case", &case.id)
                .place(Some(&service.organisation_id), Some(&service.id))
                .after(json!({
                    "plan_id": plan.id,
                    "version": version,
                    "review_on": plan.review_on,
                    "assessment_id": plan.assessment_id,
                })),
        )
        .await?;
        Ok(version)
    }
}
