//! One referral with its person, preferences and contact attempts: a read of
//! personal data, audited.

use domain::policy::{self, Action, Actor, Visibility};
use store::people::{ContactPreference, Person};
use store::referrals::{ContactAttempt, Referral};

use crate::audit::AuditAction;
use crate::audit::Change;
use crate::directory::place_of_service;
use crate::{App, AppError, Result};

use super::*;

/// Everything the referral page shows.
#[derive(Debug, Clone)]
pub struct ReferralDetail {
    pub item: WorkItem,
    pub person: Person,
    pub preferences: Vec<ContactPreference>,
    pub attempts: Vec<ContactAttempt>,
    /// Corrections of the referral's details, newest first.
    pub corrections: Vec<crate::people::Correction>,
    /// The case opened from it, if any, and whether it is still open.
    pub case: Option<store::cases::Case>,
    /// MARACs covering the service where someone of this name and date of
    /// birth was referred in the last 12 months ("flag and tag").
    pub marac_flags: Vec<crate::marac::MaracFlag>,
}

impl App {
    pub(crate) async fn visible_referral(&self, actor: &Actor, id: &str) -> Result<Referral> {
        let visibility = policy::visibility(actor, Action::ViewCases);
        let mut conn = self.db.conn().await?;
        store::referrals::find_visible(&mut conn, id, &visibility)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// A referral with the person's details; the read of the person is audited.
    pub async fn referral(&self, actor: &Actor, id: &str) -> Result<crate::Seen<ReferralDetail>> {
        let referral = self.visible_referral(actor, id).await?;
        let visibility = policy::visibility(actor, Action::ViewCases);
        let mut conn = self.db.conn().await?;
        let person = store::people::find_visible(&mut conn, &referral.person_id, &visibility)
            .await?
            .ok_or(AppError::NotFound)?;
        let preferences = store::people::preferences(&mut conn, &person.id).await?;
        let attempts = store::referrals::attempts(&mut conn, &referral.id).await?;
        let case = store::cases::find_by_referral(&mut conn, &referral.id).await?;
        let service = self.service_of(&referral).await?;
        let marac_flags =
            crate::marac::marac_flags(&mut conn, &person.id, &service, self.today()).await?;
        drop(conn);
        let corrections = self
            .corrections(AuditAction::ReferralCorrected, &referral.id)
            .await?;
        let read = Change::new(AuditAction::PersonViewed, "person", &person.id)
            .place(Some(&service.organisation_id), Some(&service.id));
        let detail = ReferralDetail {
            item: self.work_item(referral),
            person,
            preferences,
            attempts,
            corrections,
            case,
            marac_flags,
        };
        self.disclose(actor, read, detail).await
    }

    pub(crate) async fn service_of(
        &self,
        referral: &Referral,
    ) -> Result<store::directory::Service> {
        let everything = Visibility {
            everything: true,
            ..Visibility::default()
        };
        let mut conn = self.db.conn().await?;
        store::directory::find_service(&mut conn, &referral.service_id, &everything)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// Loads a referral the actor may work on.
    pub(crate) async fn workable(
        &self,
        actor: &Actor,
        id: &str,
    ) -> Result<(Referral, store::directory::Service)> {
        let referral = self.visible_referral(actor, id).await?;
        let service = self.service_of(&referral).await?;
        if !policy::may(actor, Action::ManageCases, &place_of_service(&service)) {
            return Err(AppError::Forbidden);
        }
        Ok((referral, service))
    }
}
