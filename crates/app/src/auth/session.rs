//! Sessions: who is signed in, at which stage, until when.

use domain::policy::Actor;
use store::users::User;

use crate::audit::AuditAction;
use crate::audit::Change;
use crate::clock::parse_instant;
use crate::secrets::hash_token;
use crate::{App, Result};

use super::*;

/// A signed-in person, as each request sees them.
#[derive(Debug, Clone)]
pub struct SessionContext {
    pub user: User,
    pub actor: Actor,
    pub stage: Stage,
    pub csrf_token: String,
    /// How long the session lasts without a request, for the page's warning.
    pub idle_timeout_secs: i64,
    pub(crate) session_hash: String,
}

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
    pub(crate) fn code(self) -> &'static str {
        match self {
            Stage::SecondFactor => "second_factor",
            Stage::Enrol => "enrol",
            Stage::Full => "full",
        }
    }

    pub(crate) fn parse(code: &str) -> Option<Stage> {
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

impl App {
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
            idle_timeout_secs: self.settings.idle_timeout_secs,
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

    /// Removes expired sessions and old login failures; run now and then.
    /// Whether a form's one-time key has been used: the form was sent before.
    pub async fn form_already_sent(&self, key: &str) -> Result<bool> {
        let mut conn = self.db.conn().await?;
        Ok(store::sessions::submission_used(&mut conn, key).await?)
    }

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
        store::sessions::prune_submissions(&mut conn, &self.clock.ago_text(24 * 60 * 60)).await?;
        drop(conn);
        self.db.optimize(false).await?;
        Ok(())
    }
}
