//! Staff accounts and their role grants.

use domain::policy::{Grant, GrantScope, Role, Visibility};
use sqlx::FromRow;

use crate::paging::{Listing, Order, Page, Start, page};
use crate::sql::ScopeColumns;
use crate::{Conn, Result, Sql};

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct User {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub organisation_id: String,
    pub organisation_name: String,
    pub service_id: Option<String>,
    pub service_name: Option<String>,
    pub commissioner_id: Option<String>,
    pub team_id: Option<String>,
    pub team_name: Option<String>,
    pub disabled: i64,
    pub totp_enrolled: i64,
    pub created_at: String,
}

/// What login needs, and nothing a page should show.
#[derive(Debug, Clone, FromRow)]
pub struct Credentials {
    pub id: String,
    pub username: String,
    pub password_hash: String,
    pub disabled: i64,
    pub totp_secret: Option<String>,
    pub totp_last_step: Option<i64>,
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct GrantRow {
    pub id: String,
    pub user_id: String,
    pub role: String,
    pub organisation_id: Option<String>,
    pub organisation_name: Option<String>,
    pub service_id: Option<String>,
    pub service_name: Option<String>,
    pub team_id: Option<String>,
    pub team_name: Option<String>,
    pub region_id: Option<String>,
    pub region_name: Option<String>,
    pub marac_id: Option<String>,
    pub marac_name: Option<String>,
    pub own_caseload: i64,
}

impl GrantRow {
    /// The policy's view of this grant; `None` for a role this build does not know.
    pub fn grant(&self) -> Option<Grant> {
        let role = Role::parse(&self.role)?;
        if let Some(marac) = &self.marac_id {
            return Some(Grant {
                role,
                scope: GrantScope::Marac(marac.clone()),
            });
        }
        let scope = match (
            &self.organisation_id,
            &self.service_id,
            &self.team_id,
            &self.region_id,
        ) {
            (_, _, Some(team), _) => GrantScope::Team(team.clone()),
            (_, _, _, Some(region)) => GrantScope::Region(region.clone()),
            (_, Some(service), _, _) if self.own_caseload != 0 => {
                GrantScope::OwnCaseload(service.clone())
            }
            (_, Some(service), _, _) => GrantScope::Service(service.clone()),
            (Some(org), None, _, _) => GrantScope::Organisation(org.clone()),
            (None, None, _, _) => GrantScope::Everywhere,
        };
        Some(Grant { role, scope })
    }
}

pub struct NewUser {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub organisation_id: String,
    pub service_id: Option<String>,
    pub team_id: Option<String>,
    pub password_hash: String,
    pub created_at: String,
}

/// Staff rows are placed by their organisation and service.
const USER_SCOPE: ScopeColumns = ScopeColumns {
    organisation: Some("u.organisation_id"),
    service: Some("u.service_id"),
    team: Some("u.team_id"),
    commissioner: Some("s.commissioner_id"),
    region: Some("(SELECT ro.region_id FROM organisations ro WHERE ro.id = s.commissioner_id)"),
    ..ScopeColumns::NONE
};

macro_rules! user_columns {
    () => {
        "u.id, u.username, u.display_name, u.organisation_id,
        o.name AS organisation_name, u.service_id, s.name AS service_name, s.commissioner_id,
        u.team_id, t.name AS team_name, u.disabled,
        CASE WHEN u.totp_secret IS NULL THEN 0 ELSE 1 END AS totp_enrolled, u.created_at"
    };
}

macro_rules! user_from {
    () => {
        "FROM users u
    JOIN organisations o ON o.id = u.organisation_id
    LEFT JOIN services s ON s.id = u.service_id
    LEFT JOIN teams t ON t.id = u.team_id
    WHERE "
    };
}

const USER_SELECT: &str = concat!("SELECT ", user_columns!(), " ", user_from!());

/// The staff list, for paging.
pub const LISTING: Listing = Listing {
    columns: user_columns!(),
    from: user_from!(),
    count_from: user_from!(),
    id: "u.id",
};

pub async fn insert(conn: &mut Conn, u: &NewUser) -> Result<()> {
    sqlx::query(
        "INSERT INTO users (id, username, display_name, organisation_id, service_id, team_id,
            password_hash, disabled, created_at, password_changed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, $8)",
    )
    .bind(u.id.clone())
    .bind(u.username.clone())
    .bind(u.display_name.clone())
    .bind(u.organisation_id.clone())
    .bind(u.service_id.clone())
    .bind(u.team_id.clone())
    .bind(u.password_hash.clone())
    .bind(u.created_at.clone())
    .execute(conn)
    .await?;
    Ok(())
}

/// A user by id, without a visibility check: for the signed-in user's own
/// account and for use cases that check the policy themselves.
pub async fn find(conn: &mut Conn, id: &str) -> Result<Option<User>> {
    let mut sql = Sql::new(USER_SELECT);
    sql.push("u.id = ").text(id);
    Ok(sql.query_as().fetch_optional(conn).await?)
}

pub async fn find_visible(
    conn: &mut Conn,
    id: &str,
    visibility: &Visibility,
) -> Result<Option<User>> {
    let mut sql = Sql::new(USER_SELECT);
    sql.push("u.id = ").text(id).push(" AND ");
    sql.scope(visibility, &USER_SCOPE);
    Ok(sql.query_as().fetch_optional(conn).await?)
}

pub async fn find_by_username(conn: &mut Conn, username: &str) -> Result<Option<User>> {
    let mut sql = Sql::new(USER_SELECT);
    sql.push("u.username = ").text(username);
    Ok(sql.query_as().fetch_optional(conn).await?)
}

/// Staff within the visibility, optionally matching a name or username.
pub async fn list(
    conn: &mut Conn,
    visibility: &Visibility,
    search: Option<&str>,
) -> Result<Vec<User>> {
    let mut sql = Sql::new(USER_SELECT);
    sql.scope(visibility, &USER_SCOPE);
    if let Some(search) = search.map(str::trim).filter(|s| !s.is_empty()) {
        let pattern = format!("%{}%", search.to_lowercase());
        sql.push(" AND (LOWER(u.display_name) LIKE ")
            .text(pattern.clone());
        sql.push(" OR LOWER(u.username) LIKE ")
            .text(pattern)
            .push(")");
    }
    sql.push(" ORDER BY LOWER(u.display_name) LIMIT 500");
    Ok(sql.query_as().fetch_all(conn).await?)
}

/// How the staff list may be ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StaffSort {
    #[default]
    Name,
    Username,
    Service,
}

impl StaffSort {
    fn key(self) -> &'static str {
        match self {
            StaffSort::Name => "LOWER(u.display_name)",
            StaffSort::Username => "u.username",
            StaffSort::Service => "LOWER(COALESCE(s.name, o.name))",
        }
    }
}

/// Which staff a list shows.
#[derive(Debug, Clone, Default)]
pub struct StaffFilter {
    /// Part of a name or username.
    pub search: Option<String>,
    pub service_id: Option<String>,
    /// Only those who can (false) or cannot (true) sign in.
    pub disabled: Option<bool>,
}

/// A page of the staff within the visibility that the filter lets through.
pub async fn page_of_staff(
    conn: &mut Conn,
    visibility: &Visibility,
    filter: &StaffFilter,
    sort: StaffSort,
    descending: bool,
    start: &Start,
    size: i64,
) -> Result<Page<User>> {
    let conditions = |sql: &mut Sql| {
        sql.scope(visibility, &USER_SCOPE);
        if let Some(search) = filter
            .search
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            let pattern = format!("%{}%", search.to_lowercase());
            sql.push(" AND (LOWER(u.display_name) LIKE ")
                .text(pattern.clone())
                .push(" OR LOWER(u.username) LIKE ")
                .text(pattern)
                .push(")");
        }
        if let Some(service) = &filter.service_id {
            sql.push(" AND u.service_id = ").text(service.clone());
        }
        if let Some(disabled) = filter.disabled {
            sql.push(" AND u.disabled = ").int(i64::from(disabled));
        }
    };
    let order = Order {
        key: sort.key(),
        descending,
    };
    page(conn, &LISTING, &conditions, order, start, size).await
}

pub async fn credentials(conn: &mut Conn, username: &str) -> Result<Option<Credentials>> {
    Ok(sqlx::query_as(
        "SELECT id, username, password_hash, disabled, totp_secret, totp_last_step FROM users WHERE username = $1",
    )
    .bind(username.to_string())
    .fetch_optional(conn)
    .await?)
}

pub async fn credentials_by_id(conn: &mut Conn, id: &str) -> Result<Option<Credentials>> {
    Ok(sqlx::query_as(
        "SELECT id, username, password_hash, disabled, totp_secret, totp_last_step FROM users WHERE id = $1",
    )
    .bind(id.to_string())
    .fetch_optional(conn)
    .await?)
}

pub async fn set_password(conn: &mut Conn, id: &str, hash: &str, now: &str) -> Result<()> {
    sqlx::query("UPDATE users SET password_hash = $1, password_changed_at = $2 WHERE id = $3")
        .bind(hash.to_string())
        .bind(now.to_string())
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_disabled(conn: &mut Conn, id: &str, disabled: bool) -> Result<()> {
    sqlx::query("UPDATE users SET disabled = $1 WHERE id = $2")
        .bind(crate::flag(disabled))
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_totp(
    conn: &mut Conn,
    id: &str,
    secret: Option<&str>,
    last_step: Option<i64>,
) -> Result<()> {
    sqlx::query("UPDATE users SET totp_secret = $1, totp_last_step = $2 WHERE id = $3")
        .bind(secret.map(str::to_string))
        .bind(last_step)
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

/// Records the time step of an accepted code, only if it is later than the
/// last one: returns false when the code's step was already used (a replay).
pub async fn advance_totp_step(conn: &mut Conn, id: &str, step: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE users SET totp_last_step = $1 WHERE id = $2 AND (totp_last_step IS NULL OR totp_last_step < $1)",
    )
    .bind(step)
    .bind(id.to_string())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

const GRANT_SELECT: &str =
    "SELECT g.id, g.user_id, g.role, g.organisation_id, o.name AS organisation_name,
        g.service_id, s.name AS service_name, g.team_id, t.name AS team_name, g.region_id,
        rg.name AS region_name, g.marac_id, mr.name AS marac_name, g.own_caseload
    FROM role_grants g
    LEFT JOIN organisations o ON o.id = g.organisation_id
    LEFT JOIN services s ON s.id = g.service_id
    LEFT JOIN teams t ON t.id = g.team_id
    LEFT JOIN regions rg ON rg.id = g.region_id
    LEFT JOIN maracs mr ON mr.id = g.marac_id
    WHERE ";

pub async fn grants(conn: &mut Conn, user_id: &str) -> Result<Vec<GrantRow>> {
    let mut sql = Sql::new(GRANT_SELECT);
    sql.push("g.user_id = ")
        .text(user_id)
        .push(" ORDER BY g.created_at");
    Ok(sql.query_as().fetch_all(conn).await?)
}

pub async fn find_grant(conn: &mut Conn, id: &str) -> Result<Option<GrantRow>> {
    let mut sql = Sql::new(GRANT_SELECT);
    sql.push("g.id = ").text(id);
    Ok(sql.query_as().fetch_optional(conn).await?)
}

pub async fn insert_grant(
    conn: &mut Conn,
    id: &str,
    user_id: &str,
    grant: &Grant,
    now: &str,
) -> Result<()> {
    let (mut org, mut service, mut team, mut region, mut marac, mut own_caseload) =
        (None, None, None, None, None, 0);
    match &grant.scope {
        GrantScope::Everywhere => {}
        GrantScope::Organisation(o) => org = Some(o.clone()),
        GrantScope::Service(s) => service = Some(s.clone()),
        GrantScope::Team(t) => team = Some(t.clone()),
        GrantScope::OwnCaseload(s) => (service, own_caseload) = (Some(s.clone()), 1),
        GrantScope::Region(r) => region = Some(r.clone()),
        GrantScope::Marac(m) => marac = Some(m.clone()),
    };
    sqlx::query(
        "INSERT INTO role_grants (id, user_id, role, organisation_id, service_id, team_id, region_id,
            marac_id, own_caseload, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(id.to_string())
    .bind(user_id.to_string())
    .bind(grant.role.code().to_string())
    .bind(org)
    .bind(service)
    .bind(team)
    .bind(region)
    .bind(marac)
    .bind(own_caseload)
    .bind(now.to_string())
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn delete_grant(conn: &mut Conn, id: &str) -> Result<()> {
    sqlx::query("DELETE FROM role_grants WHERE id = $1")
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn count(conn: &mut Conn) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM users")
            .fetch_one(conn)
            .await?,
    )
}

pub async fn set_team(conn: &mut Conn, id: &str, team_id: Option<&str>) -> Result<()> {
    sqlx::query("UPDATE users SET team_id = $1 WHERE id = $2")
        .bind(team_id.map(str::to_string))
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(())
}
