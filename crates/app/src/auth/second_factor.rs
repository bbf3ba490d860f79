//! The second factor: an authenticator app's codes, each used once.

use serde_json::json;
use store::users::Credentials;
use totp_rs::{Secret, Totp};

use crate::audit::AuditAction;
use crate::audit::Change;
use crate::{App, AppError, Result};

use super::*;
use crate::auth::messages::AuthMessage;

/// A second-factor secret being enrolled, shown once to the user.
#[derive(Debug, Clone)]
pub struct Enrolment {
    pub secret_base32: String,
    pub otpauth_url: String,
}

pub(crate) fn totp_for(secret_base32: &str, account: &str) -> Result<Totp> {
    let secret = Secret::try_from_base32(secret_base32)
        .map_err(|_| AppError::Internal("stored second-factor secret is not valid".into()))?;
    totp_rs::Builder::new()
        .with_secret(secret)
        .with_issuer(Some("Waymark"))
        .with_account_name(account.replace(':', "_"))
        .build()
        .map_err(|e| AppError::Internal(format!("second factor: {e}")))
}

/// The current code for a secret: for tests and for the demo's instructions.
pub fn current_code(secret_base32: &str, at_unix: u64) -> Result<String> {
    Ok(totp_for(secret_base32, "code")?
        .generate(at_unix)
        .to_string())
}

impl App {
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
    pub(crate) async fn accept_code(
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
                AuthMessage::Enter6DigitCodeAuthenticator,
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
                AuthMessage::CodeNotRightHasAlready,
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
                AuthMessage::SetupKeyWasNotRecognised,
            ));
        }
        let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
        let totp = totp_for(&secret, &ctx.user.username)?;
        let unix = u64::try_from(self.clock.now().as_second()).unwrap_or(0);
        let Some(step) = totp.check(&code, unix).and_then(|s| i64::try_from(s).ok()) else {
            return Err(AppError::invalid(
                "code",
                AuthMessage::CodeDoesNotMatchSetup,
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
}
