//! Sessions, login failures (for throttling) and trusted devices. Session ids
//! and device tokens are stored only as hashes.

use sqlx::FromRow;

use crate::{Conn, Result};

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct Session {
    pub id_hash: String,
    pub user_id: String,
    pub stage: String,
    pub csrf_token: String,
    pub created_at: String,
    pub last_seen_at: String,
}

pub async fn insert(conn: &mut Conn, s: &Session) -> Result<()> {
    sqlx::query(
        "INSERT INTO sessions (id_hash, user_id, stage, csrf_token, created_at, last_seen_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(s.id_hash.clone())
    .bind(s.user_id.clone())
    .bind(s.stage.clone())
    .bind(s.csrf_token.clone())
    .bind(s.created_at.clone())
    .bind(s.last_seen_at.clone())
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn find(conn: &mut Conn, id_hash: &str) -> Result<Option<Session>> {
    Ok(sqlx::query_as(
        "SELECT id_hash, user_id, stage, csrf_token, created_at, last_seen_at FROM sessions WHERE id_hash = $1",
    )
    .bind(id_hash.to_string())
    .fetch_optional(conn)
    .await?)
}

pub async fn touch(conn: &mut Conn, id_hash: &str, now: &str) -> Result<()> {
    sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2")
        .bind(now.to_string())
        .bind(id_hash.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn delete(conn: &mut Conn, id_hash: &str) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(id_hash.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

/// Ends every session of a user: on disabling them or resetting their password.
pub async fn delete_for_user(conn: &mut Conn, user_id: &str) -> Result<u64> {
    Ok(sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id.to_string())
        .execute(conn)
        .await?
        .rows_affected())
}

/// Removes sessions idle since before `idle_cutoff` or started before `absolute_cutoff`.
pub async fn delete_expired(
    conn: &mut Conn,
    idle_cutoff: &str,
    absolute_cutoff: &str,
) -> Result<u64> {
    Ok(
        sqlx::query("DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2")
            .bind(idle_cutoff.to_string())
            .bind(absolute_cutoff.to_string())
            .execute(conn)
            .await?
            .rows_affected(),
    )
}

pub async fn record_failure(
    conn: &mut Conn,
    id: &str,
    username: &str,
    address: &str,
    device_hash: Option<&str>,
    at: &str,
) -> Result<()> {
    sqlx::query("INSERT INTO login_failures (id, username, address, device_hash, at) VALUES ($1, $2, $3, $4, $5)")
        .bind(id.to_string())
        .bind(username.to_string())
        .bind(address.to_string())
        .bind(device_hash.map(str::to_string))
        .bind(at.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

/// Failures for a username since `since`: those from the given trusted
/// device, or, with `None`, those from browsers without a trusted device.
pub async fn failures_for_username(
    conn: &mut Conn,
    username: &str,
    device_hash: Option<&str>,
    since: &str,
) -> Result<i64> {
    let count = match device_hash {
        Some(device) => {
            sqlx::query_scalar(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM login_failures WHERE username = $1 AND device_hash = $2 AND at >= $3",
            )
            .bind(username.to_string())
            .bind(device.to_string())
            .bind(since.to_string())
            .fetch_one(conn)
            .await?
        }
        None => {
            sqlx::query_scalar(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM login_failures WHERE username = $1 AND device_hash IS NULL AND at >= $2",
            )
            .bind(username.to_string())
            .bind(since.to_string())
            .fetch_one(conn)
            .await?
        }
    };
    Ok(count)
}

/// Failures from an address since `since`, and the time of the latest.
pub async fn failures_for_address(
    conn: &mut Conn,
    address: &str,
    since: &str,
) -> Result<(i64, Option<String>)> {
    let row: (i64, Option<String>) = sqlx::query_as(
        "SELECT CAST(COUNT(*) AS BIGINT), MAX(at) FROM login_failures WHERE address = $1 AND at >= $2",
    )
    .bind(address.to_string())
    .bind(since.to_string())
    .fetch_one(conn)
    .await?;
    Ok(row)
}

/// Clears a username's failures after a successful login.
pub async fn clear_failures(conn: &mut Conn, username: &str) -> Result<()> {
    sqlx::query("DELETE FROM login_failures WHERE username = $1")
        .bind(username.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn prune_failures(conn: &mut Conn, before: &str) -> Result<u64> {
    Ok(sqlx::query("DELETE FROM login_failures WHERE at < $1")
        .bind(before.to_string())
        .execute(conn)
        .await?
        .rows_affected())
}

pub async fn trust_device(
    conn: &mut Conn,
    token_hash: &str,
    user_id: &str,
    now: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO trusted_devices (token_hash, user_id, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (token_hash) DO NOTHING",
    )
    .bind(token_hash.to_string())
    .bind(user_id.to_string())
    .bind(now.to_string())
    .execute(conn)
    .await?;
    Ok(())
}

/// The user a trusted-device token belongs to.
pub async fn device_owner(conn: &mut Conn, token_hash: &str) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT user_id FROM trusted_devices WHERE token_hash = $1")
            .bind(token_hash.to_string())
            .fetch_optional(conn)
            .await?,
    )
}

/// Records a form's one-time key with the change it made; `false` if the
/// key was already used (the form was sent before).
pub async fn record_submission(
    conn: &mut Conn,
    key: &str,
    actor_id: &str,
    now: &str,
) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO form_submissions (submission_key, actor_id, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (submission_key) DO NOTHING",
    )
    .bind(key.to_string())
    .bind(actor_id.to_string())
    .bind(now.to_string())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Whether a form's one-time key has been used.
pub async fn submission_used(conn: &mut Conn, key: &str) -> Result<bool> {
    let found: Option<String> =
        sqlx::query_scalar("SELECT submission_key FROM form_submissions WHERE submission_key = $1")
            .bind(key.to_string())
            .fetch_optional(conn)
            .await?;
    Ok(found.is_some())
}

/// Forgets keys older than `before`: a form is not resent a day later.
pub async fn prune_submissions(conn: &mut Conn, before: &str) -> Result<()> {
    sqlx::query("DELETE FROM form_submissions WHERE created_at < $1")
        .bind(before.to_string())
        .execute(conn)
        .await?;
    Ok(())
}
