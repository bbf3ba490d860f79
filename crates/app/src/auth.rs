//! Signing in and out, sessions, the second factor and password changes.
//!
//! Throttling (see `docs/security.md`): at most `account_failure_limit` wrong
//! guesses per account in the window. Failures are counted apart for each
//! trusted device (a browser that has signed in to that account before), so
//! an attacker guessing from elsewhere cannot lock the owner out. Failures
//! from one address beyond a free allowance make each further attempt wait,
//! doubling each time. Unknown usernames are counted and answered exactly as
//! known ones, and their password is checked against a dummy hash so the
//! time taken does not tell them apart either.

use std::sync::LazyLock;

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use domain::policy::{Actor, Role};
use domain::validation::FieldErrors;
use serde_json::json;
use store::sessions::Session;
use store::users::{Credentials, User};
use totp_rs::{Secret, Totp};

use crate::audit::AuditAction;
use crate::audit::Change;
use crate::clock::parse_instant;
use crate::secrets::{constant_time_eq, hash_token, new_id, random_token};
use crate::{App, AppError, Result};

/// Where a session stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Password accepted; the second-factor code is awaited.
    SecondFactor,
    /// Signed in, but must enrol a second factor before anything else.
    Enrol,
    /// Fully signed in.
    Full,
}

impl Stage {
    fn code(self) -> &'static str {
        match self {
            Stage::SecondFactor => "second_factor",
            Stage::Enrol => "enrol",
            Stage::Full => "full",
        }
    }

    fn parse(code: &str) -> Option<Stage> {
        match code {
            "second_factor" => Some(Stage::SecondFactor),
            "enrol" => Some(Stage::Enrol),
            "full" => Some(Stage::Full),
            _ => None,
        }
    }
}

/// A session just made: the secret goes in the cookie and nowhere else.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token: String,
    pub stage: Stage,
    /// A trusted-device token to set, when the browser did not have one.
    pub device_token: Option<String>,
}

/// A signed-in person, as each request sees them.
#[derive(Debug, Clone)]
pub struct SessionContext {
    pub user: User,
    pub actor: Actor,
    pub stage: Stage,
    pub csrf_token: String,
    session_hash: String,
}

/// Details a browser sends with a sign-in attempt.
#[derive(Debug, Clone, Default)]
pub struct Attempt<'a> {
    pub address: &'a str,
    pub device_token: Option<&'a str>,
    /// The session cookie already held, ended at sign-in so ids rotate.
    pub old_session: Option<&'a str>,
}

static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| hash_password("a dummy password for timing").unwrap_or_default());

pub fn hash_password(password: &str) -> Result<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(format!("password hashing failed: {e}")))
}

fn password_matches(password: &str, hash: &str) -> bool {
    Argon2::default()
        .verify_password(password.as_bytes(), hash)
        .is_ok()
}

/// Usernames are email addresses, compared without case.
pub fn normalise_username(username: &str) -> String {
    username.trim().to_lowercase()
}

pub(crate) fn actor_for(user: &User, grants: &[store::users::GrantRow]) -> Actor {
    Actor {
        id: user.id.clone(),
        label: user.username.clone(),
        organisation_id: user.organisation_id.clone(),
        grants: grants.iter().filter_map(|g| g.grant()).collect(),
    }
}

fn totp_for(secret_base32: &str, account: &str) -> Result<Totp> {
    let secret = Secret::try_from_base32(secret_base32)
        .map_err(|_| AppError::Internal("stored second-factor secret is not valid".into()))?;
    totp_rs::Builder::new()
        .with_secret(secret)
        .with_issuer(Some("Waymark"))
        .with_account_name(account.replace(':', "_"))
        .build()
        .map_err(|e| AppError::Internal(format!("second factor: {e}")))
}

/// A second-factor secret being enrolled, shown once to the user.
#[derive(Debug, Clone)]
pub struct Enrolment {
    pub secret_base32: String,
    pub otpauth_url: String,
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

        // Per address: after the free allowance each attempt waits, doubling.
        let since = self.clock.ago_text(self.settings.address_window_secs);
        let (address_failures, last) =
            store::sessions::failures_for_address(&mut conn, attempt.address, &since).await?;
        let over = address_failures - self.settings.address_free_failures;
        if over >= 0 {
            let delay = 1i64
                .checked_shl(u32::try_from(over.min(20)).unwrap_or(20))
                .unwrap_or(i64::MAX)
                .min(self.settings.address_max_delay_secs);
            let last = last.as_deref().and_then(parse_instant);
            if let Some(last) = last {
                let waited = self.clock.now().duration_since(last).as_secs();
                if waited < delay {
                    return Err(AppError::Throttled {
                        retry_after_secs: delay - waited,
                    });
                }
            }
        }

        let credentials = store::users::credentials(&mut conn, &username).await?;
        // A device token counts only for the account it was issued to.
        let device_hash = match attempt.device_token {
            Some(token) => {
                let hash = hash_token(token);
                let owner = store::sessions::device_owner(&mut conn, &hash).await?;
                match (&owner, &credentials) {
                    (Some(owner), Some(c)) if *owner == c.id => Some(hash),
                    _ => None,
                }
            }
            None => None,
        };
        let since = self
            .clock
            .ago_text(self.settings.account_failure_window_secs);
        let failures = store::sessions::failures_for_username(
            &mut conn,
            &username,
            device_hash.as_deref(),
            &since,
        )
        .await?;
        if failures >= self.settings.account_failure_limit {
            return Err(AppError::Throttled {
                retry_after_secs: self.settings.account_failure_window_secs,
            });
        }

        let hash = credentials
            .as_ref()
            .map(|c| c.password_hash.as_str())
            .unwrap_or(DUMMY_HASH.as_str());
        let password_ok = password_matches(password, hash);
        let credentials = match credentials {
            Some(c) if password_ok && c.disabled == 0 => c,
            other => {
                let label = other.as_ref().map_or(String::new(), |c| c.username.clone());
                let mut tx = self.write_unattributed(&label, &now).await?;
                store::sessions::record_failure(
                    tx.conn(),
                    &new_id(),
                    &username,
                    attempt.address,
                    device_hash.as_deref(),
                    &now,
                )
                .await?;
                if let Some(c) = &other {
                    let reason = if password_ok {
                        "account disabled"
                    } else {
                        "wrong password"
                    };
                    tx.commit(
                        Change::new(AuditAction::LoginFailed, "user", &c.id)
                            .after(json!({ "reason": reason })),
                    )
                    .await?;
                } else {
                    // An unknown username: only the throttling counter.
                    tx.commit_housekeeping().await?;
                }
                return Err(AppError::LoginFailed);
            }
        };
        drop(conn);

        let user = self.load_user(&credentials.id).await?;
        let stage = if credentials.totp_secret.is_some() {
            Stage::SecondFactor
        } else if self.totp_required(&user).await? {
            Stage::Enrol
        } else {
            Stage::Full
        };
        let mut tx = self.write_unattributed(&credentials.username, &now).await?;
        if let Some(old) = attempt.old_session {
            store::sessions::delete(tx.conn(), &hash_token(old)).await?;
        }
        store::sessions::clear_failures(tx.conn(), &username).await?;
        let session = self
            .insert_session(tx.conn(), &credentials.id, stage, &now)
            .await?;
        let device_token = match device_hash {
            Some(_) => None,
            None => {
                let token = random_token()?;
                store::sessions::trust_device(
                    tx.conn(),
                    &hash_token(&token),
                    &credentials.id,
                    &now,
                )
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

    async fn insert_session(
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

    async fn load_user(&self, id: &str) -> Result<User> {
        let mut conn = self.db.conn().await?;
        store::users::find(&mut conn, id)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// Administrators always need a second factor; everyone does when the policy says so.
    async fn totp_required(&self, user: &User) -> Result<bool> {
        if self.settings.require_totp_for_all {
            return Ok(true);
        }
        let mut conn = self.db.conn().await?;
        let grants = store::users::grants(&mut conn, &user.id).await?;
        Ok(grants.iter().any(|g| g.role == Role::Administrator.code()))
    }

    /// The session behind a cookie, if it is live; ends it if it has timed out.
    pub async fn session(&self, token: &str) -> Result<Option<SessionContext>> {
        let id_hash = hash_token(token);
        let mut conn = self.db.conn().await?;
        let Some(session) = store::sessions::find(&mut conn, &id_hash).await? else {
            return Ok(None);
        };
        let now = self.clock.now();
        let idle_since = parse_instant(&session.last_seen_at);
        let started = parse_instant(&session.created_at);
        let expired = match (idle_since, started) {
            (Some(seen), Some(started)) => {
                now.duration_since(seen).as_secs() >= self.settings.idle_timeout_secs
                    || now.duration_since(started).as_secs() >= self.settings.absolute_timeout_secs
            }
            _ => true,
        };
        let user = store::users::find(&mut conn, &session.user_id).await?;
        let (Some(user), Some(stage), false) = (user, Stage::parse(&session.stage), expired) else {
            store::sessions::delete(&mut conn, &id_hash).await?;
            return Ok(None);
        };
        if user.disabled != 0 {
            store::sessions::delete(&mut conn, &id_hash).await?;
            return Ok(None);
        }
        // Recording every request would cost a synchronous write each time;
        // a minute's resolution is plenty for a 30-minute idle timeout.
        if idle_since.is_some_and(|seen| now.duration_since(seen).as_secs() >= 60) {
            store::sessions::touch(&mut conn, &id_hash, &self.clock.now_text()).await?;
        }
        let grants = store::users::grants(&mut conn, &user.id).await?;
        let actor = actor_for(&user, &grants);
        Ok(Some(SessionContext {
            user,
            actor,
            stage,
            csrf_token: session.csrf_token,
            session_hash: id_hash,
        }))
    }

    /// Ends the session and records the sign-out.
    pub async fn sign_out(&self, ctx: &SessionContext) -> Result<()> {
        let now = self.clock.now_text();
        let mut tx = self.write(&ctx.actor, &now).await?;
        store::sessions::delete(tx.conn(), &ctx.session_hash).await?;
        let change = Change::new(AuditAction::Logout, "user", &ctx.user.id).place(
            Some(&ctx.user.organisation_id),
            ctx.user.service_id.as_deref(),
        );
        tx.commit(change).await?;
        Ok(())
    }

    /// Checks a second-factor code for a session awaiting one; on success the
    /// session is replaced by a new one (a fresh id) that is fully signed in.
    pub async fn second_factor(&self, ctx: &SessionContext, code: &str) -> Result<NewSession> {
        if ctx.stage != Stage::SecondFactor {
            return Err(AppError::Forbidden);
        }
        let mut conn = self.db.conn().await?;
        let credentials = store::users::credentials_by_id(&mut conn, &ctx.user.id)
            .await?
            .ok_or(AppError::NotFound)?;
        drop(conn);
        let secret = credentials.totp_secret.clone().ok_or(AppError::Forbidden)?;
        self.accept_code(
            &credentials,
            &secret,
            code,
            AuditAction::LoginSecondFactorFailed,
        )
        .await?;
        let now = self.clock.now_text();
        let mut tx = self.write(&ctx.actor, &now).await?;
        store::sessions::delete(tx.conn(), &ctx.session_hash).await?;
        let token = self
            .insert_session(tx.conn(), &ctx.user.id, Stage::Full, &now)
            .await?;
        let change = Change::new(AuditAction::LoginSucceeded, "user", &ctx.user.id).place(
            Some(&ctx.user.organisation_id),
            ctx.user.service_id.as_deref(),
        );
        tx.commit(change).await?;
        Ok(NewSession {
            token,
            stage: Stage::Full,
            device_token: None,
        })
    }

    /// Accepts a code once: the code's time step must be later than the last
    /// one used, so a code seen over someone's shoulder cannot be replayed.
    async fn accept_code(
        &self,
        credentials: &Credentials,
        secret: &str,
        code: &str,
        failure_action: AuditAction,
    ) -> Result<()> {
        let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
        if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
            return Err(AppError::invalid(
                "code",
                "Enter the 6-digit code from your authenticator app",
            ));
        }
        let totp = totp_for(secret, &credentials.username)?;
        let unix = u64::try_from(self.clock.now().as_second()).unwrap_or(0);
        let step = totp.check(&code, unix).and_then(|s| i64::try_from(s).ok());
        let now = self.clock.now_text();
        let mut tx = self.write_unattributed(&credentials.username, &now).await?;
        let accepted = match step {
            Some(step) => store::users::advance_totp_step(tx.conn(), &credentials.id, step).await?,
            None => false,
        };
        if !accepted {
            let reason = if step.is_some() {
                "code already used"
            } else {
                "wrong code"
            };
            let change = Change::new(failure_action, "user", &credentials.id)
                .after(json!({ "reason": reason }));
            tx.commit(change).await?;
            return Err(AppError::invalid(
                "code",
                "That code is not right or has already been used: wait for the next code and enter it",
            ));
        }
        // The step is recorded so the code cannot be used again; the sign-in
        // it completes is audited by the caller.
        tx.commit_housekeeping().await?;
        Ok(())
    }

    /// Starts enrolling a second factor: a new secret to put in an app.
    /// Nothing is stored until a code from it is confirmed.
    pub fn begin_totp_enrolment(&self, ctx: &SessionContext) -> Result<Enrolment> {
        let secret = Secret::generate().to_base32();
        let totp = totp_for(&secret, &ctx.user.username)?;
        let otpauth_url = totp
            .to_url()
            .map_err(|e| AppError::Internal(format!("second factor: {e}")))?;
        Ok(Enrolment {
            secret_base32: secret,
            otpauth_url,
        })
    }

    /// Confirms enrolment with a code from the new secret. A session that
    /// had to enrol becomes fully signed in, under a new id.
    pub async fn confirm_totp_enrolment(
        &self,
        ctx: &SessionContext,
        secret: &str,
        code: &str,
    ) -> Result<Option<NewSession>> {
        if ctx.stage == Stage::SecondFactor {
            return Err(AppError::Forbidden);
        }
        let secret = secret.trim().to_uppercase();
        if secret.len() < 32 || Secret::try_from_base32(&secret).is_err() {
            return Err(AppError::invalid(
                "secret",
                "The setup key was not recognised: start again",
            ));
        }
        let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
        let totp = totp_for(&secret, &ctx.user.username)?;
        let unix = u64::try_from(self.clock.now().as_second()).unwrap_or(0);
        let Some(step) = totp.check(&code, unix).and_then(|s| i64::try_from(s).ok()) else {
            return Err(AppError::invalid(
                "code",
                "That code does not match the setup key: check the app shows Waymark and enter its current 6-digit code",
            ));
        };
        let now = self.clock.now_text();
        let mut tx = self.write(&ctx.actor, &now).await?;
        store::users::set_totp(tx.conn(), &ctx.user.id, Some(&secret), Some(step)).await?;
        let fresh = if ctx.stage == Stage::Enrol {
            store::sessions::delete(tx.conn(), &ctx.session_hash).await?;
            Some(
                self.insert_session(tx.conn(), &ctx.user.id, Stage::Full, &now)
                    .await?,
            )
        } else {
            None
        };
        let change = Change::new(AuditAction::UserSecondFactorEnrolled, "user", &ctx.user.id)
            .place(
                Some(&ctx.user.organisation_id),
                ctx.user.service_id.as_deref(),
            );
        tx.commit(change).await?;
        Ok(fresh.map(|token| NewSession {
            token,
            stage: Stage::Full,
            device_token: None,
        }))
    }

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
        if !password_matches(current, &credentials.password_hash) {
            errors.add("current_password", "Your current password is not right");
        }
        domain::password::check_new_password(
            &mut errors,
            "new_password",
            new,
            &[&ctx.user.username, &ctx.user.display_name, "waymark"],
        );
        if errors.get("new_password").is_none() && !constant_time_eq(new, confirm) {
            errors.add("confirm_password", "The two new passwords do not match");
        }
        errors.into_result().map_err(AppError::Invalid)?;
        let hash = hash_password(new)?;
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

    /// Removes expired sessions and old login failures; run now and then.
    pub async fn prune(&self) -> Result<()> {
        let mut conn = self.db.conn().await?;
        let idle = self.clock.ago_text(self.settings.idle_timeout_secs);
        let absolute = self.clock.ago_text(self.settings.absolute_timeout_secs);
        store::sessions::delete_expired(&mut conn, &idle, &absolute).await?;
        let window = self
            .settings
            .address_window_secs
            .max(self.settings.account_failure_window_secs);
        store::sessions::prune_failures(&mut conn, &self.clock.ago_text(window)).await?;
        drop(conn);
        self.db.optimize(false).await?;
        Ok(())
    }
}

/// The current code for a secret: for tests and for the demo's instructions.
pub fn current_code(secret_base32: &str, at_unix: u64) -> Result<String> {
    Ok(totp_for(secret_base32, "code")?
        .generate(at_unix)
        .to_string())
}
