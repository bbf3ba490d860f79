//! The needs assessment: the eight MoJ areas and safety, and where the
//! victim is starting from on each cope-and-recover measure.

use domain::cases::{NeedArea, NeedLevel, OutcomeMeasure, Rating};
use domain::policy::{Action, Actor};
use domain::validation::{FieldErrors, Lines, text};
use serde_json::json;
use store::cases::Need;

use crate::audit::AuditAction;
use crate::audit::Change;
use crate::{App, AppError, Result};

use crate::cases::messages::CaseMessage;

impl App {
    /// Records the needs assessment: a level for each area that was
    /// assessed, and a rating (1 to 5) for each measure rated at the start:
    /// `(measure code, rating)`, empty for not asked.
    pub async fn assess_needs(
        &self,
        actor: &Actor,
        case_id: &str,
        needs: &[(String, String, String)],
        start_ratings: &[(String, String)],
    ) -> Result<()> {
        let mut errors = FieldErrors::new();
        let mut valid = Vec::new();
        for (area, level, notes) in needs {
            let Some(area) = NeedArea::parse(area.trim()) else {
                errors.add(
                    "needs",
                    CaseMessage::NotANeed {
                        area: area.trim().into(),
                    },
                );
                continue;
            };
            if level.trim().is_empty() {
                continue;
            }
            match NeedLevel::parse(level.trim()) {
                Some(level) => valid.push(Need {
                    area: area.code().into(),
                    level: level.code().into(),
                    notes: text(
                        &mut errors,
                        &format!("need-{}-notes", area.code()),
                        notes,
                        "the notes on this need",
                        2_000,
                        Lines::Many,
                    ),
                }),
                None => errors.add(
                    &format!("need-{}", area.code()),
                    CaseMessage::ChooseNeedLevel {
                        need: area.label().to_lowercase(),
                    },
                ),
            }
        }
        let mut ratings = Vec::new();
        for measure in OutcomeMeasure::ALL {
            let given = start_ratings
                .iter()
                .find(|(m, _)| m == measure.code())
                .map_or("", |(_, r)| r.trim());
            if given.is_empty() {
                continue;
            }
            match Rating::parse(given) {
                Some(rating) => ratings.push(store::cases::Rating {
                    measure: measure.code().into(),
                    stage: "start".into(),
                    rating: i64::from(rating.value()),
                }),
                None => errors.add(
                    &format!("rating-{}", measure.code()),
                    CaseMessage::ChooseRating {
                        measure: measure.label().to_lowercase(),
                    },
                ),
            }
        }
        if valid.is_empty() && ratings.is_empty() && errors.is_empty() {
            errors.add("need-health", CaseMessage::ChooseLevelLeastAreaNeed);
        }
        errors.into_result().map_err(AppError::Invalid)?;
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        // Checked again under the writer's lock: the case may have closed meanwhile.
        let (case, service) = tx.open_case(case_id, Action::ManageCases).await?;
        for need in &valid {
            store::cases::set_need(tx.conn(), &case.id, need, &actor.id, &now).await?;
        }
        for rating in &ratings {
            store::cases::set_rating(tx.conn(), &case.id, rating, &actor.id, &now).await?;
        }
        let change = Change::new(AuditAction::CaseNeedsAssessed, "case", &case.id)
            .place(Some(&service.organisation_id), Some(&service.id))
            .after(json!({
                "needs": valid.iter().map(|n| (n.area.clone(), n.level.clone())).collect::<Vec<_>>(),
                "start_ratings": ratings.iter().map(|r| (r.measure.clone(), r.rating)).collect::<Vec<_>>(),
            }));
        tx.commit(change).await?;
        Ok(())
    }
}
