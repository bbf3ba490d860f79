//! One assessment, with its template's words beside each answer. Reading
//! it is a read of the victim's personal data, and audited.

use domain::policy::Actor;
use domain::risk::{Answer, Template};
use serde_json::json;

use crate::audit::{AuditAction, Change};
use crate::risk::Assessment;
use crate::risk::templates::all_versions;
use crate::{App, AppError, Result, Seen};

/// An assessment as shown: each question with its answer, each text box
/// with its words, in the template's order.
#[derive(Debug, Clone)]
pub struct AssessmentView {
    pub assessment: Assessment,
    pub case_reference: String,
    /// Whether the case is open, so the assessment may still be withdrawn.
    pub case_open: bool,
    /// (number, question, answer label)
    pub answers: Vec<(usize, String, String)>,
    /// (label, words)
    pub texts: Vec<(String, String)>,
}

impl App {
    pub async fn risk_assessment(
        &self,
        actor: &Actor,
        case_id: &str,
        id: &str,
    ) -> Result<Seen<AssessmentView>> {
        let case = self.visible_case(actor, case_id).await?;
        let mut conn = self.db.conn().await?;
        let assessment = store::risk::assessment(&mut conn, &case.id, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let template = all_versions(&mut conn)
            .await?
            .into_iter()
            .map(|a| a.template)
            .find(|t| {
                t.key == assessment.template_key
                    && i64::from(t.version) == assessment.template_version
            });
        drop(conn);
        let mut view = view(assessment, case.reference.clone(), template.as_ref());
        view.case_open = case.status == domain::cases::CaseStatus::Open.code();
        let service = self.service_by_id(&case.service_id).await?;
        let read = Change::new(AuditAction::RiskAssessmentViewed, "case", &case.id)
            .place(Some(&service.organisation_id), Some(&service.id))
            .after(json!({ "assessment_id": view.assessment.id }));
        self.disclose(actor, read, view).await
    }
}

fn view(
    assessment: Assessment,
    case_reference: String,
    template: Option<&Template>,
) -> AssessmentView {
    let answers: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&assessment.answers).unwrap_or_default();
    let texts: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&assessment.texts).unwrap_or_default();
    let answer_label = |id: &str| {
        answers
            .get(id)
            .and_then(|v| v.as_str())
            .and_then(Answer::parse)
            .unwrap_or(Answer::NotAsked)
            .label()
            .to_string()
    };
    let (answers, texts) = match template {
        Some(t) => (
            t.questions
                .iter()
                .enumerate()
                .map(|(i, q)| (i + 1, q.text.clone(), answer_label(&q.id)))
                .collect(),
            t.texts
                .iter()
                .filter_map(|b| {
                    texts
                        .get(&b.id)
                        .and_then(|v| v.as_str())
                        .map(|words| (b.text.clone(), words.to_string()))
                })
                .collect(),
        ),
        // A template no longer held: the answers by their ids.
        None => (
            answers
                .keys()
                .enumerate()
                .map(|(i, id)| (i + 1, id.clone(), answer_label(id)))
                .collect(),
            texts
                .iter()
                .map(|(id, v)| (id.clone(), v.as_str().unwrap_or_default().to_string()))
                .collect(),
        ),
    };
    AssessmentView {
        assessment,
        case_reference,
        case_open: false,
        answers,
        texts,
    }
}
