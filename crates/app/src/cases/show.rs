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
    pub history: Vec<StatusChange>,
    pub linked: Vec<store::cases::LinkedPerson>,
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
        let detail = CaseDetail {
            needs: store::cases::needs(&mut conn, &case.id).await?,
            plan: store::cases::plan(&mut conn, &case.id).await?,
            contacts: store::cases::contacts(&mut conn, &case.id).await?,
            notes,
            tasks: store::cases::tasks_of_case(&mut conn, &case.id).await?,
            onward: store::cases::onward(&mut conn, &case.id).await?,
            outcomes: store::cases::outcomes(&mut conn, &case.id).await?,
            history: store::cases::status_history(&mut conn, &case.id).await?,
            linked: store::cases::linked_people(&mut conn, &case.id).await?,
            case,
        };
        drop(conn);
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
