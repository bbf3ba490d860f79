//! Passwords: hashing with Argon2id, and changing one's own.

use argon2::Argon2;
use argon2::password_hash::PasswordHasher;
use domain::validation::FieldErrors;

use crate::audit::AuditAction;
use crate::audit::Change;
use crate::secrets::constant_time_eq;
use crate::{App, AppError, Result};

use super::*;
use crate::auth::messages::AuthMessage;

/// Hashes or checks at most this many passwords at once: each takes about
/// 19 MiB and a core for a moment, so a storm of sign-ins waits its turn
/// rather than taking the memory of hundreds at once or every core.
static PASSWORD_WORK: std::sync::LazyLock<tokio::sync::Semaphore> =
    std::sync::LazyLock::new(|| {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        tokio::sync::Semaphore::new(cores)
    });

/// Runs password work off the request threads, a bounded number at once.
pub(crate) async fn password_work<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T> {
    let _turn = PASSWORD_WORK
        .acquire()
        .await
        .map_err(|_| AppError::Internal("password work stopped".into()))?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| AppError::Internal(format!("password work failed: {e}")))
}

/// Hashes a password with Argon2id, now, on this thread.
pub(crate) fn hash_now(password: &str) -> Result<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(format!("password hashing failed: {e}")))
}

/// Hashes a password with Argon2id, in turn with other password work.
pub async fn hash_password(password: &str) -> Result<String> {
    let password = password.to_string();
    password_work(move || hash_now(&password)).await?
}

/// Usernames are email addresses, compared without case.
pub fn normalise_username(username: &str) -> String {
    username.trim().to_lowercase()
}

impl App {
    /// Changes the signed-in user's own password; other sessions end.
    pub async fn change_own_password(
        &self,
        ctx: &SessionContext,
        current: &str,
        new: &str,
        confirm: &str,
    ) -> Result<NewSession> {
        let mut conn = self.db.conn().await?;
        let credentials = store::users::credentials_by_id(&mut conn, &ctx.user.id)
            .await?
            .ok_or(AppError::NotFound)?;
        drop(conn);
        let mut errors = FieldErrors::new();
        if !password_matches(current, &credentials.password_hash).await {
            errors.add("current_password", AuthMessage::CurrentPasswordNotRight);
        }
        domain::password::check_new_password(
            &mut errors,
            "new_password",
            new,
            &[&ctx.user.username, &ctx.user.display_name, "waymark"],
        );
        if errors.get("new_password").is_none() && !constant_time_eq(new, confirm) {
            errors.add("confirm_password", AuthMessage::TwoNewPasswordsDoNot);
        }
        errors.into_result().map_err(AppError::Invalid)?;
        let hash = hash_password(new).await?;
        let now = self.clock.now_text();
        let mut tx = self.write(&ctx.actor, &now).await?;
        store::users::set_password(tx.conn(), &ctx.user.id, &hash, &now).await?;
        store::sessions::delete_for_user(tx.conn(), &ctx.user.id).await?;
        let token = self
            .insert_session(tx.conn(), &ctx.user.id, ctx.stage, &now)
            .await?;
        let change = Change::new(AuditAction::UserPasswordChanged, "user", &ctx.user.id).place(
            Some(&ctx.user.organisation_id),
            ctx.user.service_id.as_deref(),
        );
        tx.commit(change).await?;
        Ok(NewSession {
            token,
            stage: ctx.stage,
            device_token: None,
        })
    }
}
