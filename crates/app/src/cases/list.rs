//! Lists of cases, caseloads and tasks, scoped by the policy.

use domain::policy::{self, Action, Actor};
use store::cases::{Case, CaseFilter, CaseSort, Caseload, ListedCase, Task};

use crate::paging::{ListRequest, PAGE_SIZE, Page};

use crate::{App, AppError, Result};

use super::*;

impl App {
    /// A page of the cases the actor may see that the filter lets through.
    pub async fn cases(
        &self,
        actor: &Actor,
        filter: &CaseFilter,
        request: &ListRequest<CaseSort>,
    ) -> Result<Page<ListedCase>> {
        if !policy::may_somewhere(actor, Action::ViewCases) {
            return Err(AppError::Forbidden);
        }
        let visibility = policy::visibility(actor, Action::ViewCases);
        let mut conn = self.db.conn().await?;
        Ok(store::cases::list(
            &mut conn,
            &visibility,
            filter,
            request.sort,
            request.descending,
            &request.start,
            PAGE_SIZE,
        )
        .await?)
    }

    /// Open cases per caseworker, for those who allocate.
    pub async fn caseloads(&self, actor: &Actor) -> Result<Vec<Caseload>> {
        if !policy::may_somewhere(actor, Action::AllocateCases) {
            return Err(AppError::Forbidden);
        }
        let visibility = policy::visibility(actor, Action::AllocateCases);
        let mut conn = self.db.conn().await?;
        Ok(store::cases::caseloads(&mut conn, &visibility).await?)
    }

    /// A page of the actor's own open tasks.
    pub async fn my_tasks(
        &self,
        actor: &Actor,
        request: &ListRequest<store::cases::TaskSort>,
    ) -> Result<Page<Task>> {
        let mut conn = self.db.conn().await?;
        Ok(store::cases::page_of_open_tasks(
            &mut conn,
            &actor.id,
            request.sort,
            request.descending,
            &request.start,
            PAGE_SIZE,
        )
        .await?)
    }

    /// The case opened from a referral, if there is one the actor may see.
    pub async fn case_of_referral(&self, actor: &Actor, referral_id: &str) -> Result<Option<Case>> {
        let mut conn = self.db.conn().await?;
        let Some(case) = store::cases::find_by_referral(&mut conn, referral_id).await? else {
            return Ok(None);
        };
        let visibility = policy::visibility(actor, Action::ViewCases);
        Ok(visibility.contains(&case_place(&case)).then_some(case))
    }
}
