//! The review list of people who may be one victim recorded twice, and one
//! pair of them side by side.

use domain::policy::{self, Action, Actor};
use store::cases::Case;
use store::people::Person;
use store::referrals::Referral;

use crate::audit::{AuditAction, Change};
use crate::paging::{ListRequest, PAGE_SIZE, Page};
use crate::{App, AppError, Result, Seen};

pub use store::duplicates::{ListedPair, Pair, PairSort};

/// One record of a pair, with what hangs from it.
#[derive(Debug, Clone)]
pub struct Side {
    pub person: Person,
    pub referrals: Vec<Referral>,
    pub cases: Vec<Case>,
}

/// A pair side by side: the later record first.
#[derive(Debug, Clone)]
pub struct PairView {
    pub pair: Pair,
    pub later: Side,
    pub earlier: Side,
}

impl App {
    /// A page of the pairs waiting for a decision in the services whose
    /// cases the actor may see.
    pub async fn possible_duplicates(
        &self,
        actor: &Actor,
        request: &ListRequest<PairSort>,
    ) -> Result<Page<ListedPair>> {
        if !policy::may_somewhere(actor, Action::ViewCases) {
            return Err(AppError::Forbidden);
        }
        let visibility = policy::visibility(actor, Action::ViewCases);
        let mut conn = self.db.conn().await?;
        Ok(store::duplicates::page_waiting(
            &mut conn,
            &visibility,
            request.sort,
            request.descending,
            &request.start,
            PAGE_SIZE,
        )
        .await?)
    }

    /// One pair, both records in full; the read is audited.
    pub async fn possible_duplicate(&self, actor: &Actor, pair_id: &str) -> Result<Seen<PairView>> {
        let visibility = policy::visibility(actor, Action::ViewCases);
        let mut conn = self.db.conn().await?;
        let pair = store::duplicates::find_visible(&mut conn, pair_id, &visibility)
            .await?
            .ok_or(AppError::NotFound)?;
        let mut sides = Vec::with_capacity(2);
        for id in [&pair.person_id, &pair.other_person_id] {
            let person = store::people::find_visible(&mut conn, id, &visibility)
                .await?
                .ok_or(AppError::NotFound)?;
            let referrals = store::referrals::referrals_of_person(&mut conn, id).await?;
            let cases = store::cases::cases_of_person(&mut conn, id).await?;
            sides.push(Side {
                person,
                referrals,
                cases,
            });
        }
        drop(conn);
        let (Some(earlier), Some(later)) = (sides.pop(), sides.pop()) else {
            return Err(AppError::NotFound);
        };
        let service = self.service_by_id(&pair.service_id).await?;
        let read = Change::new(
            AuditAction::PossibleDuplicateViewed,
            "possible_duplicate",
            &pair.id,
        )
        .place(Some(&service.organisation_id), Some(&service.id));
        self.disclose(
            actor,
            read,
            PairView {
                pair,
                later,
                earlier,
            },
        )
        .await
    }
}
