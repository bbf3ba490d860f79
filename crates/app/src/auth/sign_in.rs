//! Signing in with a password, throttled per account and per address.

use std::sync::LazyLock;

use argon2::Argon2;
use argon2::password_hash::PasswordVerifier;
use domain::policy::Role;
use serde_json::json;
use store::sessions::Session;
use store::users::User;

use crate::audit::AuditAction;
use crate::audit::Change;
use crate::clock::parse_instant;
use crate::secrets::{hash_token, new_id, random_token};
use crate::{App, AppError, Result};

use super::*;

/// Details a browser sends with a sign-in attempt.
#[derive(Debug, Clone, Default)]
pub struct Attempt<'a> {
    pub address: &'a str,
    pub device_token: Option<&'a str>,
    /// The session cookie already held, ended at sign-in so ids rotate.
    pub old_session: Option<&'a str>,
}

/// Whether the password is the one hashed, checked in turn with other
/// password work (see [`password_work`]).
pub(crate) async fn password_matches(password: &str, hash: &str) -> bool {
    let (password, hash) = (password.to_string(), hash.to_string());
    password_work(move || {
        Argon2::default()
            .verify_password(password.as_bytes(), hash.as_str())
            .is_ok()
    })
    .await
    .unwrap_or(false)
}

static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| hash_now("a dummy password for timing").unwrap_or_default());

/// A failed sign-in, as the throttles and the audit log record it.
struct Failure<'a> {
    username: &'a str,
    account: Option<&'a store::users::Credentials>,
    password_ok: bool,
    address: &'a str,
    device_hash: Option<&'a str>,
}

/// A device token counts only for the account it was issued to.
async fn trusted_device(
    conn: &mut store::Conn,
    device_token: Option<&str>,
    credentials: Option<&store::users::Credentials>,
) -> Result<Option<String>> {
    let Some(token) = device_token else {
        return Ok(None);
    };
    let hash = hash_token(token);
    let owner = store::sessions::device_owner(conn, &hash).await?;
    Ok(match (owner, credentials) {
        (Some(owner), Some(c)) if owner == c.id => Some(hash),
        _ => None,
    })
}

impl App {
    /// Checks the throttles, then the password; on success starts a session
    /// (ending any the browser held) at the stage the account requires.
    pub async fn sign_in(
        &self,
        username: &str,
        password: &str,
        attempt: Attempt<'_>,
    ) -> Result<NewSession> {
        let username = normalise_username(username);
        let now = self.clock.now_text();
        let mut conn = self.db.conn().await?;
        self.check_address_throttle(&mut conn, attempt.address)
            .await?;
        let credentials = store::users::credentials(&mut conn, &username).await?;
        let device_hash =
            trusted_device(&mut conn, attempt.device_token, credentials.as_ref()).await?;
        self.check_account_throttle(&mut conn, &username, device_hash.as_deref())
            .await?;
        // The connection goes back to the pool while the password is checked.
        drop(conn);

        let hash = credentials
            .as_ref()
            .map(|c| c.password_hash.as_str())
            .unwrap_or(DUMMY_HASH.as_str());
        let password_ok = password_matches(password, hash).await;
        let credentials = match credentials {
            Some(c) if password_ok && c.disabled == 0 => c,
            other => {
                let failure = Failure {
                    username: &username,
                    account: other.as_ref(),
                    password_ok,
                    address: attempt.address,
                    device_hash: device_hash.as_deref(),
                };
                self.record_failed_sign_in(failure, &now).await?;
                return Err(AppError::LoginFailed);
            }
        };
        self.start_session(&credentials, attempt.old_session, device_hash, &now)
            .await
    }

    /// Per address: after the free allowance each attempt waits, doubling.
    async fn check_address_throttle(&self, conn: &mut store::Conn, address: &str) -> Result<()> {
        let since = self.clock.ago_text(self.settings.address_window_secs);
        let (address_failures, last) =
            store::sessions::failures_for_address(conn, address, &since).await?;
        let over = address_failures - self.settings.address_free_failures;
        if over < 0 {
            return Ok(());
        }
        let delay = 1i64
            .checked_shl(u32::try_from(over.min(20)).unwrap_or(20))
            .unwrap_or(i64::MAX)
            .min(self.settings.address_max_delay_secs);
        if let Some(last) = last.as_deref().and_then(parse_instant) {
            let waited = self.clock.now().duration_since(last).as_secs();
            if waited < delay {
                return Err(AppError::Throttled {
                    retry_after_secs: delay - waited,
                });
            }
        }
        Ok(())
    }

    /// Per account: a limit of failures in a window, not counting those
    /// from a device the account has signed in on before.
    async fn check_account_throttle(
        &self,
        conn: &mut store::Conn,
        username: &str,
        device_hash: Option<&str>,
    ) -> Result<()> {
        let since = self
            .clock
            .ago_text(self.settings.account_failure_window_secs);
        let failures =
            store::sessions::failures_for_username(conn, username, device_hash, &since).await?;
        if failures >= self.settings.account_failure_limit {
            return Err(AppError::Throttled {
                retry_after_secs: self.settings.account_failure_window_secs,
            });
        }
        Ok(())
    }

    /// Counts a failure for the throttles, and audits it against a known account.
    async fn record_failed_sign_in(&self, failure: Failure<'_>, now: &str) -> Result<()> {
        let label = failure
            .account
            .map_or(String::new(), |c| c.username.clone());
        let mut tx = self.write_unattributed(&label, now).await?;
        store::sessions::record_failure(
            tx.conn(),
            &new_id(),
            failure.username,
            failure.address,
            failure.device_hash,
            now,
        )
        .await?;
        match failure.account {
            Some(c) => {
                let reason = if failure.password_ok {
                    "account disabled"
                } else {
                    "wrong password"
                };
                tx.commit(
                    Change::new(AuditAction::LoginFailed, "user", &c.id)
                        .after(json!({ "reason": reason })),
                )
                .await
            }
            // An unknown username: only the throttling counter.
            None => tx.commit_housekeeping().await,
        }
    }

    /// The session after a good password, at the stage the account requires,
    /// and a device token for a browser not seen before.
    async fn start_session(
        &self,
        credentials: &store::users::Credentials,
        old_session: Option<&str>,
        device_hash: Option<String>,
        now: &str,
    ) -> Result<NewSession> {
        let user = self.load_user(&credentials.id).await?;
        let stage = if credentials.totp_secret.is_some() {
            Stage::SecondFactor
        } else if self.totp_required(&user).await? {
            Stage::Enrol
        } else {
            Stage::Full
        };
        let mut tx = self.write_unattributed(&credentials.username, now).await?;
        if let Some(old) = old_session {
            store::sessions::delete(tx.conn(), &hash_token(old)).await?;
        }
        store::sessions::clear_failures(tx.conn(), &credentials.username).await?;
        let session = self
            .insert_session(tx.conn(), &credentials.id, stage, now)
            .await?;
        let device_token = match device_hash {
            Some(_) => None,
            None => {
                let token = random_token()?;
                store::sessions::trust_device(tx.conn(), &hash_token(&token), &credentials.id, now)
                    .await?;
                Some(token)
            }
        };
        let action = if stage == Stage::SecondFactor {
            AuditAction::LoginPasswordAccepted
        } else {
            AuditAction::LoginSucceeded
        };
        let change = Change::new(action, "user", &credentials.id)
            .place(Some(&user.organisation_id), user.service_id.as_deref());
        tx.commit(change).await?;
        Ok(NewSession {
            token: session,
            stage,
            device_token,
        })
    }

    pub(crate) async fn insert_session(
        &self,
        conn: &mut store::Conn,
        user_id: &str,
        stage: Stage,
        now: &str,
    ) -> Result<String> {
        let token = random_token()?;
        store::sessions::insert(
            conn,
            &Session {
                id_hash: hash_token(&token),
                user_id: user_id.to_string(),
                stage: stage.code().to_string(),
                csrf_token: random_token()?,
                created_at: now.to_string(),
                last_seen_at: now.to_string(),
            },
        )
        .await?;
        Ok(token)
    }

    pub(crate) async fn load_user(&self, id: &str) -> Result<User> {
        let mut conn = self.db.conn().await?;
        store::users::find(&mut conn, id)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// Administrators always need a second factor; everyone does when the policy says so.
    pub(crate) async fn totp_required(&self, user: &User) -> Result<bool> {
        if self.settings.require_totp_for_all {
            return Ok(true);
        }
        let mut conn = self.db.conn().await?;
        let grants = store::users::grants(&mut conn, &user.id).await?;
        Ok(grants.iter().any(|g| g.role == Role::Administrator.code()))
    }
}
