//! API tokens for machine clients, stored as hashes.

use sqlx::FromRow;

use crate::paging::{Listing, Order, Page, Start, page};
use crate::{Conn, Result, ScopeColumns, Sql};

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct ApiToken {
    pub id: String,
    pub name: String,
    pub prefix: String,
    pub organisation_id: String,
    pub organisation_name: String,
    pub service_id: Option<String>,
    pub scopes: String,
    pub created_by: Option<String>,
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
    /// Requests a minute it may make; `None`: the server's default.
    pub rate_per_minute: Option<i64>,
}

pub struct NewToken {
    pub id: String,
    pub name: String,
    pub token_hash: String,
    pub prefix: String,
    pub organisation_id: String,
    pub service_id: Option<String>,
    pub scopes: String,
    pub created_by: Option<String>,
    pub created_at: String,
}

const SELECT: &str =
    "SELECT t.id, t.name, t.prefix, t.organisation_id, o.name AS organisation_name,
        t.service_id, t.scopes, t.created_by, t.created_at, t.last_used_at, t.revoked_at, t.rate_per_minute
    FROM api_tokens t JOIN organisations o ON o.id = t.organisation_id ";

pub async fn insert(conn: &mut Conn, t: &NewToken) -> Result<()> {
    sqlx::query(
        "INSERT INTO api_tokens (id, name, token_hash, prefix, organisation_id, service_id, scopes, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(t.id.clone())
    .bind(t.name.clone())
    .bind(t.token_hash.clone())
    .bind(t.prefix.clone())
    .bind(t.organisation_id.clone())
    .bind(t.service_id.clone())
    .bind(t.scopes.clone())
    .bind(t.created_by.clone())
    .bind(t.created_at.clone())
    .execute(conn)
    .await?;
    Ok(())
}

/// Tokens are placed by their organisation and, when narrowed, their service.
pub const TOKEN_SCOPE: ScopeColumns = ScopeColumns {
    organisation: Some("t.organisation_id"),
    service: Some("t.service_id"),
    ..ScopeColumns::NONE
};

const LISTING: Listing = Listing {
    columns: "t.id, t.name, t.prefix, t.organisation_id, o.name AS organisation_name,
        t.service_id, t.scopes, t.created_by, t.created_at, t.last_used_at, t.revoked_at, t.rate_per_minute",
    from: "FROM api_tokens t JOIN organisations o ON o.id = t.organisation_id WHERE ",
    count_from: "FROM api_tokens t JOIN organisations o ON o.id = t.organisation_id WHERE ",
    id: "t.id",
};

/// How the token list may be ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TokenSort {
    #[default]
    Issued,
    Name,
    LastUsed,
}

impl TokenSort {
    fn key(self) -> &'static str {
        match self {
            TokenSort::Issued => "t.created_at",
            TokenSort::Name => "LOWER(t.name)",
            TokenSort::LastUsed => "COALESCE(t.last_used_at, '')",
        }
    }
}

/// A page of the tokens within the visibility.
pub async fn page_of_tokens(
    conn: &mut Conn,
    visibility: &domain::policy::Visibility,
    sort: TokenSort,
    descending: bool,
    start: &Start,
    size: i64,
) -> Result<Page<ApiToken>> {
    let conditions = |sql: &mut Sql| {
        sql.scope(visibility, &TOKEN_SCOPE);
    };
    let order = Order {
        key: sort.key(),
        descending,
    };
    page(conn, &LISTING, &conditions, order, start, size).await
}

/// Sets how many requests a minute a token may make (`None`: the default).
pub async fn set_rate(conn: &mut Conn, id: &str, per_minute: Option<i64>) -> Result<bool> {
    Ok(
        sqlx::query("UPDATE api_tokens SET rate_per_minute = $1 WHERE id = $2")
            .bind(per_minute)
            .bind(id.to_string())
            .execute(conn)
            .await?
            .rows_affected()
            == 1,
    )
}

pub async fn list(conn: &mut Conn) -> Result<Vec<ApiToken>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} ORDER BY t.created_at DESC"
    )))
    .fetch_all(conn)
    .await?)
}

pub async fn find(conn: &mut Conn, id: &str) -> Result<Option<ApiToken>> {
    Ok(
        sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT} WHERE t.id = $1")))
            .bind(id.to_string())
            .fetch_optional(conn)
            .await?,
    )
}

/// A live (not revoked) token by the hash of its secret.
pub async fn find_live_by_hash(conn: &mut Conn, token_hash: &str) -> Result<Option<ApiToken>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE t.token_hash = $1 AND t.revoked_at IS NULL"
    )))
    .bind(token_hash.to_string())
    .fetch_optional(conn)
    .await?)
}

pub async fn mark_used(conn: &mut Conn, id: &str, now: &str) -> Result<()> {
    sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
        .bind(now.to_string())
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn revoke(conn: &mut Conn, id: &str, now: &str) -> Result<bool> {
    Ok(
        sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
            .bind(now.to_string())
            .bind(id.to_string())
            .execute(conn)
            .await?
            .rows_affected()
            == 1,
    )
}
