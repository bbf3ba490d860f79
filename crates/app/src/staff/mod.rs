//! Staff accounts: adding people, their roles, disabling and password resets.

mod create;
mod disable;
mod grants;
mod input;
mod list;
pub mod messages;
mod passwords;
mod show;
mod team;

pub use input::*;
pub use show::*;
pub use store::users::{StaffFilter, StaffSort};

use domain::policy::{self, Action, Actor, Place};
use store::users::User;

use crate::{App, AppError, Result};

pub fn place_of_user(user: &User) -> Place {
    Place {
        organisation_id: Some(user.organisation_id.clone()),
        service_id: user.service_id.clone(),
        commissioner_id: user.commissioner_id.clone(),
        team_id: user.team_id.clone(),
        ..Place::default()
    }
}

pub(crate) use crate::fields::blank_to_none;

impl App {
    /// Loads a staff member the actor may manage, or explains why not.
    pub(crate) async fn managed_user(&self, actor: &Actor, id: &str) -> Result<User> {
        let visibility = policy::visibility(actor, Action::ViewStaff);
        let mut conn = self.db.conn().await?;
        let user = store::users::find_visible(&mut conn, id, &visibility)
            .await?
            .ok_or(AppError::NotFound)?;
        if !policy::may(actor, Action::ManageStaff, &place_of_user(&user)) {
            return Err(AppError::Forbidden);
        }
        Ok(user)
    }
}
