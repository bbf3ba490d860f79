//! One case with all its casework: a read of personal data, audited.

use domain::policy::{self, Action, Actor};
use serde_json::json;
use store::cases::{
    Case, Contact, Need, Note, OnwardReferral, Outcome, PlanItem, StatusChange, Task,
};

use crate::audit::AuditAction;
use crate::audit::Change;
use crate::{App, AppError, Result};

/// Everything the case page shows. Sensitive notes come without their text.
#[derive(Debug, Clone)]
pub struct CaseDetail {
    pub case: Case,
    pub needs: Vec<Need>,
    pub plan: Vec<PlanItem>,
    pub contacts: Vec<Contact>,
    pub notes: Vec<Note>,
    pub tasks: Vec<Task>,
    pub onward: Vec<OnwardReferral>,
    pub outcomes: Vec<Outcome>,
    /// Each measure's rating at the start and, once closed, at exit.
    pub ratings: Vec<store::cases::Rating>,
    pub history: Vec<StatusChange>,
    pub linked: Vec<store::cases::LinkedPerson>,
    /// Its documents (never their content), removed ones included.
    pub documents: Vec<store::documents::Document>,
    /// The person supported, as held now.
    pub person: store::people::Person,
    /// How (and how not) to reach them safely.
    pub preferences: Vec<store::people::ContactPreference>,
    /// The referral's Victims' Code deadlines, as they stand today.
    pub deadlines: Vec<crate::referrals::DeadlineView>,
    /// Its risk assessments that stand, the latest first.
    pub risk: Vec<store::risk::Assessment>,
    /// Its risk assessments withdrawn as recorded in error.
    pub withdrawn_risk: Vec<store::risk::Assessment>,
    /// Whether the latest assessment's review date has passed.
    pub risk_review_overdue: bool,
    /// The victim's incidents known to the service, the latest first.
    pub incidents: Vec<store::risk::Incident>,
    pub escalation: crate::risk::Escalation,
    /// Whether an incident was recorded after the latest assessment (or
    /// with none yet): risk is to be assessed again.
    pub reassess: bool,
    /// The safety plan, every version, the latest first.
    pub safety_plans: Vec<store::risk::SafetyPlan>,
    /// Whether risk was assessed again since the plan's latest version, so
    /// the plan is to be reviewed with it.
    pub plan_review_due: bool,
    /// When the case was opened on duty: who holds it until when, and
    /// whether it has been handed over.
    pub duty: Option<store::duty::DutyCase>,
}

impl CaseDetail {
    /// A measure's rating at a stage (`start` or `exit`), if it was rated.
    pub fn rating(&self, measure: &str, stage: &str) -> Option<i64> {
        self.ratings
            .iter()
            .find(|r| r.measure == measure && r.stage == stage)
            .map(|r| r.rating)
    }

    /// Whether letters are marked unsafe for the person.
    pub fn letters_unsafe(&self) -> bool {
        self.preferences
            .iter()
            .any(|p| p.channel == domain::journey::Channel::Letter.code() && p.safe == 0)
    }

    /// The open task due soonest.
    pub fn next_task(&self) -> Option<&Task> {
        self.tasks
            .iter()
            .filter(|t| t.done_at.is_none())
            .min_by(|a, b| a.due_on.cmp(&b.due_on))
    }

    /// When the victim was last contacted, of the contacts recorded.
    pub fn last_contact(&self) -> Option<&str> {
        self.contacts.iter().map(|c| c.contacted_at.as_str()).max()
    }

    /// How many tasks are still open.
    pub fn open_tasks(&self) -> usize {
        self.tasks.iter().filter(|t| t.done_at.is_none()).count()
    }
}

impl App {
    /// A case with all its casework; the read of the person is audited.
    pub async fn case(&self, actor: &Actor, id: &str) -> Result<crate::Seen<CaseDetail>> {
        let case = self.visible_case(actor, id).await?;
        let mut conn = self.db.conn().await?;
        let mut notes = store::cases::notes(&mut conn, &case.id).await?;
        for note in notes.iter_mut().filter(|n| n.sensitive != 0) {
            note.body.clear();
        }
        let everywhere = policy::Visibility {
            everything: true,
            ..Default::default()
        };
        // The case is visible, so its person and referral are the actor's to see.
        let person = store::people::find_visible(&mut conn, &case.person_id, &everywhere)
            .await?
            .ok_or(AppError::NotFound)?;
        let preferences = store::people::preferences(&mut conn, &case.person_id).await?;
        let referral = store::referrals::find_visible(&mut conn, &case.referral_id, &everywhere)
            .await?
            .ok_or(AppError::NotFound)?;
        let deadlines = crate::referrals::deadlines(&referral, self.today());
        let incidents =
            store::risk::incidents_of(&mut conn, &case.person_id, &case.service_id).await?;
        let threshold = store::risk::escalation_incidents(&mut conn, &case.service_id).await?;
        let escalation = crate::risk::escalation(&incidents, threshold, self.today());
        let mut detail = CaseDetail {
            person,
            preferences,
            deadlines,
            needs: store::cases::needs(&mut conn, &case.id).await?,
            plan: store::cases::plan(&mut conn, &case.id).await?,
            contacts: store::cases::contacts(&mut conn, &case.id).await?,
            notes,
            tasks: store::cases::tasks_of_case(&mut conn, &case.id).await?,
            onward: store::cases::onward(&mut conn, &case.id).await?,
            outcomes: store::cases::outcomes(&mut conn, &case.id).await?,
            ratings: store::cases::ratings(&mut conn, &case.id).await?,
            history: store::cases::status_history(&mut conn, &case.id).await?,
            linked: store::cases::linked_people(&mut conn, &case.id).await?,
            documents: store::documents::of_case(&mut conn, &case.id).await?,
            risk_review_overdue: case
                .risk_review_on
                .as_deref()
                .is_some_and(|on| on < self.today().to_string().as_str()),
            risk: store::risk::assessments(&mut conn, &case.id).await?,
            withdrawn_risk: store::risk::withdrawn_assessments(&mut conn, &case.id).await?,
            incidents,
            escalation,
            reassess: false,
            safety_plans: store::risk::safety_plans(&mut conn, &case.id).await?,
            duty: store::duty::duty_case(&mut conn, &case.id).await?,
            plan_review_due: false,
            case,
        };
        drop(conn);
        let latest_assessment = detail.risk.first().map(|a| a.created_at.as_str());
        detail.reassess = detail
            .incidents
            .iter()
            .any(|i| latest_assessment.is_none_or(|at| i.recorded_at.as_str() > at));
        detail.plan_review_due = match (detail.safety_plans.first(), detail.risk.first()) {
            (Some(plan), Some(assessment)) => plan.recorded_at < assessment.created_at,
            _ => false,
        };
        let service = self.service_by_id(&detail.case.service_id).await?;
        let read = Change::new(AuditAction::PersonViewed, "person", &detail.case.person_id)
            .place(Some(&service.organisation_id), Some(&service.id))
            .after(json!({ "via": "case", "case_id": detail.case.id }));
        self.disclose(actor, read, detail).await
    }

    pub(crate) async fn visible_case(&self, actor: &Actor, id: &str) -> Result<Case> {
        let visibility = policy::visibility(actor, Action::ViewCases);
        let mut conn = self.db.conn().await?;
        store::cases::find_visible(&mut conn, id, &visibility)
            .await?
            .ok_or(AppError::NotFound)
    }
}
