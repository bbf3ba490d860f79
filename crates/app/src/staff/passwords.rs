//! Resetting someone's password or second factor.

use domain::policy::Actor;
use domain::validation::FieldErrors;

use crate::audit::AuditAction;
use crate::audit::Change;
use crate::auth::hash_password;
use crate::{App, AppError, Result};

impl App {
    /// Sets a new password chosen by an administrator or manager; the
    /// person's sessions end.
    pub async fn reset_staff_password(
        &self,
        actor: &Actor,
        id: &str,
        password: &str,
    ) -> Result<()> {
        let user = self.managed_user(actor, id).await?;
        let mut errors = FieldErrors::new();
        domain::password::check_new_password(
            &mut errors,
            "password",
            password,
            &[&user.username, &user.display_name, "waymark"],
        );
        errors.into_result().map_err(AppError::Invalid)?;
        let hash = hash_password(password).await?;
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        store::users::set_password(tx.conn(), &user.id, &hash, &now).await?;
        store::sessions::delete_for_user(tx.conn(), &user.id).await?;
        let change = Change::new(AuditAction::UserPasswordReset, "user", &user.id)
            .place(Some(&user.organisation_id), user.service_id.as_deref());
        tx.commit(change).await?;
        Ok(())
    }

    /// Clears a person's second factor (a lost phone); they enrol again at
    /// next sign-in if their role requires it.
    pub async fn reset_staff_second_factor(&self, actor: &Actor, id: &str) -> Result<()> {
        let user = self.managed_user(actor, id).await?;
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        store::users::set_totp(tx.conn(), &user.id, None, None).await?;
        store::sessions::delete_for_user(tx.conn(), &user.id).await?;
        let change = Change::new(AuditAction::UserSecondFactorReset, "user", &user.id)
            .place(Some(&user.organisation_id), user.service_id.as_deref());
        tx.commit(change).await?;
        Ok(())
    }
}
