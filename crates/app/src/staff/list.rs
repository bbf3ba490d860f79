//! Lists of staff, scoped by the policy.

use domain::policy::{self, Action, Actor};
use store::users::{StaffFilter, StaffSort, User};

use crate::paging::{ListRequest, PAGE_SIZE, Page};

use crate::auth::normalise_username;
use crate::{App, AppError, Result};

impl App {
    /// Staff the actor may see.
    pub async fn staff(&self, actor: &Actor, search: Option<&str>) -> Result<Vec<User>> {
        if !policy::may_somewhere(actor, Action::ViewStaff) {
            return Err(AppError::Forbidden);
        }
        let visibility = policy::visibility(actor, Action::ViewStaff);
        let mut conn = self.db.conn().await?;
        Ok(store::users::list(&mut conn, &visibility, search).await?)
    }

    /// A page of the staff the actor may see that the filter lets through.
    pub async fn staff_page(
        &self,
        actor: &Actor,
        filter: &StaffFilter,
        request: &ListRequest<StaffSort>,
    ) -> Result<Page<User>> {
        if !policy::may_somewhere(actor, Action::ViewStaff) {
            return Err(AppError::Forbidden);
        }
        let visibility = policy::visibility(actor, Action::ViewStaff);
        let mut conn = self.db.conn().await?;
        Ok(store::users::page_of_staff(
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

    /// Looks a user up by username for the command line.
    pub async fn staff_by_username(&self, username: &str) -> Result<User> {
        let mut conn = self.db.conn().await?;
        store::users::find_by_username(&mut conn, &normalise_username(username))
            .await?
            .ok_or(AppError::NotFound)
    }
}
