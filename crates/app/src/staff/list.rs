//! Lists of staff, scoped by the policy.

use domain::policy::{self, Action, Actor};
use store::users::User;

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

    /// Looks a user up by username for the command line.
    pub async fn staff_by_username(&self, username: &str) -> Result<User> {
        let mut conn = self.db.conn().await?;
        store::users::find_by_username(&mut conn, &normalise_username(username))
            .await?
            .ok_or(AppError::NotFound)
    }
}
