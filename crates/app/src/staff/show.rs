//! One member of staff with their roles: a read of personal data, audited.

use domain::policy::{self, Action, Actor};
use store::users::{GrantRow, User};

use crate::audit::AuditAction;
use crate::audit::Change;
use crate::{App, AppError, Result};

/// A staff member with their grants, as an administrator sees them.
#[derive(Debug, Clone)]
pub struct StaffDetail {
    pub user: User,
    pub grants: Vec<GrantRow>,
    /// Open cases they hold: to reallocate before they leave.
    pub open_cases: i64,
}

impl App {
    /// One staff member and their roles; the read is audited.
    pub async fn staff_member(&self, actor: &Actor, id: &str) -> Result<crate::Seen<StaffDetail>> {
        let visibility = policy::visibility(actor, Action::ViewStaff);
        let mut conn = self.db.conn().await?;
        let user = store::users::find_visible(&mut conn, id, &visibility)
            .await?
            .ok_or(AppError::NotFound)?;
        let grants = store::users::grants(&mut conn, id).await?;
        let open_cases = store::cases::open_case_count(&mut conn, id).await?;
        drop(conn);
        let read = Change::new(AuditAction::UserViewed, "user", &user.id)
            .place(Some(&user.organisation_id), user.service_id.as_deref());
        self.disclose(
            actor,
            read,
            StaffDetail {
                user,
                grants,
                open_cases,
            },
        )
        .await
    }

    /// How many open cases a member of staff holds (a count, not a read of
    /// anyone's details).
    pub async fn open_cases_held(&self, actor: &Actor, user_id: &str) -> Result<i64> {
        let visibility = policy::visibility(actor, Action::ViewStaff);
        let mut conn = self.db.conn().await?;
        store::users::find_visible(&mut conn, user_id, &visibility)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok(store::cases::open_case_count(&mut conn, user_id).await?)
    }
}
