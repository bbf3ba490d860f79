//! Recording a risk assessment on a case: scored by its template and the
//! service's bands, raised (never lowered) by professional judgement.

use domain::policy::{Action, Actor};
use domain::risk::{Answer, Level, Template, final_level};
use domain::validation::{FieldErrors, Lines, required_text, text};
use domain::values::Day;
use jiff::ToSpan;
use serde_json::{Map, Value, json};

use crate::audit::{AuditAction, Change};
use crate::risk::Assessment;
use crate::risk::input::RiskInput;
use crate::risk::messages::RiskUseMessage;
use crate::risk::templates::{all_versions, bands_text, latest, parse_bands};
use crate::secrets::new_id;
use crate::{App, AppError, Result};

impl App {
    /// Records a completed assessment on an open case; the case's current
    /// risk and review date become the latest assessment's.
    pub async fn assess_risk(
        &self,
        actor: &Actor,
        case_id: &str,
        input: &RiskInput,
    ) -> Result<Assessment> {
        let now = self.clock.now_text();
        let today = self.today();
        let mut tx = self.write(actor, &now).await?;
        let (case, service) = tx.open_case(case_id, Action::ManageCases).await?;
        let mut errors = FieldErrors::new();
        let template = latest(all_versions(tx.conn()).await?)
            .into_iter()
            .map(|a| a.template)
            .find(|t| t.key == input.template.trim());
        let Some(mut template) = template else {
            errors.add("template", RiskUseMessage::ChooseTemplate);
            return Err(AppError::Invalid(errors));
        };
        // A service's own bands replace the template's.
        if let Some(own) = store::risk::service_bands(tx.conn(), &service.id, &template.key).await?
            && let Ok(bands) = parse_bands(&own, template.questions.len())
        {
            template.bands = bands;
        }
        let answers = read_answers(&template, &input.answers, &mut errors);
        let texts = read_texts(&template, &input.texts, &mut errors);
        let prompted_by = required_text(
            &mut errors,
            "prompted_by",
            &input.prompted_by,
            "what prompted it (an incident, a change such as separation, or the first assessment)",
            500,
        );
        let assessed_on = assessed_on(&input.assessed_on, today, &mut errors);
        let review_on = review_on(&input.review_on, assessed_on, &mut errors);
        let judgement = match input.judgement_level.trim() {
            "" => None,
            _ if !template.judgement => {
                errors.add("judgement_level", RiskUseMessage::NoJudgementSection);
                None
            }
            code => {
                let level = Level::parse(code);
                if level.is_none() {
                    errors.add("judgement_level", RiskUseMessage::ChooseJudgementLevel);
                }
                level
            }
        };
        let reasons = text(
            &mut errors,
            "judgement_reasons",
            &input.judgement_reasons,
            "the reasons for the judgement",
            2_000,
            Lines::Many,
        )
        .unwrap_or_default();
        let score = match template.score(&answers) {
            Ok(score) => Some(score),
            Err(problems) => {
                for problem in problems {
                    errors.add("answers", problem);
                }
                None
            }
        };
        let level = score.and_then(|score| {
            final_level(&score, judgement, &reasons)
                .map_err(|refusal| {
                    let field = if judgement.is_some() && !reasons.trim().is_empty() {
                        "judgement_level"
                    } else if judgement.is_some() {
                        "judgement_reasons"
                    } else {
                        "judgement_level"
                    };
                    errors.add(field, refusal);
                })
                .ok()
                .map(|level| (score, level))
        });
        errors.into_result().map_err(AppError::Invalid)?;
        let (Some((score, level)), Some(assessed_on), Some(review_on)) =
            (level, assessed_on, review_on)
        else {
            return Err(AppError::Internal(
                "a checked assessment lost a value".into(),
            ));
        };
        let assessment = Assessment {
            id: new_id(),
            case_id: case.id.clone(),
            service_id: service.id.clone(),
            template_key: template.key.clone(),
            template_version: i64::from(template.version),
            template_name: template.name.clone(),
            assessed_on: assessed_on.to_string(),
            assessor_id: actor.id.clone(),
            assessor_name: String::new(),
            prompted_by,
            answers: Value::Object(
                answers
                    .iter()
                    .map(|(id, a)| (id.clone(), Value::from(a.code())))
                    .collect::<Map<_, _>>(),
            )
            .to_string(),
            texts: Value::Object(
                texts
                    .iter()
                    .map(|(id, t)| (id.clone(), Value::from(t.clone())))
                    .collect::<Map<_, _>>(),
            )
            .to_string(),
            yes_count: score.yes as i64,
            unanswered: score.unanswered as i64,
            actuarial_level: score.actuarial.map(|l| l.code().to_string()),
            judgement_level: judgement.map(|l| l.code().to_string()),
            judgement_reasons: reasons,
            level: level.map(|l| l.code().to_string()),
            bands: bands_text(&template.bands),
            review_on: review_on.to_string(),
            created_at: now.clone(),
            withdrawn_at: None,
            withdrawn_reason: String::new(),
        };
        store::risk::insert_assessment(tx.conn(), &assessment).await?;
        // The answers are personal data: the event says what was decided,
        // not what the victim said.
        tx.commit(
            Change::new(AuditAction::RiskAssessed, "case", &case.id)
                .place(Some(&service.organisation_id), Some(&service.id))
                .after(json!({
                    "assessment_id": assessment.id,
                    "template": template.key,
                    "version": template.version,
                    "score": score.yes,
                    "unanswered": score.unanswered,
                    "actuarial_level": assessment.actuarial_level,
                    "judgement_level": assessment.judgement_level,
                    "level": assessment.level,
                    "review_on": assessment.review_on,
                })),
        )
        .await?;
        Ok(assessment)
    }
}

/// Each question's answer, as the template's options; every answer that
/// is not one of them is named by its question's number.
fn read_answers(
    template: &Template,
    given: &[(String, String)],
    errors: &mut FieldErrors,
) -> Vec<(String, Answer)> {
    let mut answers = Vec::new();
    for (id, code) in given {
        let code = code.trim();
        if code.is_empty() {
            continue;
        }
        let number = template.questions.iter().position(|q| &q.id == id);
        match (Answer::parse(code), number) {
            (Some(answer), _) => answers.push((id.clone(), answer)),
            (None, Some(n)) => errors.add(
                &format!("answer-{id}"),
                domain::risk::RiskMessage::NotAnAnswer { question: n + 1 },
            ),
            (None, None) => errors.add(
                "answers",
                domain::risk::RiskMessage::UnknownQuestion { id: id.clone() },
            ),
        }
    }
    answers
}

/// The text boxes' words, by the template's ids; blank boxes are left out.
fn read_texts(
    template: &Template,
    given: &[(String, String)],
    errors: &mut FieldErrors,
) -> Vec<(String, String)> {
    let mut texts = Vec::new();
    for (id, words) in given {
        if !template.texts.iter().any(|t| &t.id == id) {
            errors.add(
                "texts",
                domain::risk::RiskMessage::UnknownQuestion { id: id.clone() },
            );
            continue;
        }
        let words = text(
            errors,
            &format!("text-{id}"),
            words,
            "this box",
            4_000,
            Lines::Many,
        );
        if let Some(words) = words {
            texts.push((id.clone(), words));
        }
    }
    texts
}

fn assessed_on(
    given: &str,
    today: jiff::civil::Date,
    errors: &mut FieldErrors,
) -> Option<jiff::civil::Date> {
    if given.trim().is_empty() {
        return Some(today);
    }
    let Ok(day) = Day::parse(given).map(Day::date) else {
        errors.add("assessed_on", RiskUseMessage::AssessedOnReal);
        return None;
    };
    if day > today {
        errors.add("assessed_on", RiskUseMessage::AssessedOnFuture);
        return None;
    }
    if day < today.saturating_sub(1.year()) {
        errors.add("assessed_on", RiskUseMessage::AssessedOnLongAgo);
        return None;
    }
    Some(day)
}

fn review_on(
    given: &str,
    assessed_on: Option<jiff::civil::Date>,
    errors: &mut FieldErrors,
) -> Option<jiff::civil::Date> {
    let Ok(day) = Day::parse(given).map(Day::date) else {
        errors.add("review_on", RiskUseMessage::ReviewOnReal);
        return None;
    };
    let assessed_on = assessed_on?;
    if day <= assessed_on {
        errors.add("review_on", RiskUseMessage::ReviewBeforeAssessed);
        return None;
    }
    if day > assessed_on.saturating_add(1.year()) {
        errors.add("review_on", RiskUseMessage::ReviewTooFar);
        return None;
    }
    Some(day)
}
