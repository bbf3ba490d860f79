//! Opening a case when a referral is accepted.

use domain::cases::CaseStatus;
use domain::policy::Actor;
use serde_json::json;
use store::directory::Service;

use crate::audit::AuditAction;
use crate::audit::Change;
use crate::secrets::new_id;
use crate::{App, Result};

impl App {
    /// Opens the case for an accepted referral, in the change under way;
    /// returns its audit event.
    pub(crate) async fn open_case_for_referral(
        &self,
        write: &mut crate::Write<'_>,
        actor: &Actor,
        referral: &store::referrals::Referral,
        service: &Service,
    ) -> Result<Change> {
        let now = write.now().to_string();
        let now = now.as_str();
        let conn = write.conn();
        let id = new_id();
        let today = self.today().to_string();
        store::cases::insert(
            conn,
            &id,
            &referral.id,
            &referral.service_id,
            &referral.person_id,
            now,
            &today,
        )
        .await?;
        store::cases::add_status(
            conn,
            &new_id(),
            &id,
            CaseStatus::Open.code(),
            Some("Referral accepted for support"),
            &actor.id,
            now,
        )
        .await?;
        Ok(Change::new(AuditAction::CaseOpened, "case", &id)
            .place(Some(&service.organisation_id), Some(&service.id))
            .after(json!({ "referral_id": referral.id })))
    }
}
