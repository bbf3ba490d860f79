//! Disabling and enabling an account; disabling ends its sessions.

use domain::policy::Actor;
use serde_json::json;
use store::users::User;

use crate::audit::AuditAction;
use crate::audit::Change;
use crate::staff::messages::StaffMessage;
use crate::{App, AppError, Result};

impl App {
    /// Disables or re-enables an account; disabling ends its sessions.
    pub async fn set_staff_disabled(
        &self,
        actor: &Actor,
        id: &str,
        disabled: bool,
    ) -> Result<User> {
        let user = self.managed_user(actor, id).await?;
        if user.id == actor.id {
            return Err(AppError::invalid(
                "disabled",
                StaffMessage::CannotDisableOwnAccount,
            ));
        }
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        store::users::set_disabled(tx.conn(), &user.id, disabled).await?;
        if disabled {
            store::sessions::delete_for_user(tx.conn(), &user.id).await?;
        }
        let change = Change::new(
            if disabled {
                AuditAction::UserDisabled
            } else {
                AuditAction::UserEnabled
            },
            "user",
            &user.id,
        )
        .place(Some(&user.organisation_id), user.service_id.as_deref())
        .before(json!({ "disabled": user.disabled != 0 }))
        .after(json!({ "disabled": disabled }));
        let updated = store::users::find(tx.conn(), &user.id)
            .await?
            .ok_or(AppError::NotFound)?;
        tx.commit(change).await?;
        Ok(updated)
    }
}
