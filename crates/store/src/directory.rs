//! Organisations, areas, services and teams.

use domain::policy::Visibility;
use sqlx::FromRow;

use crate::sql::ScopeColumns;
use crate::{Conn, Result, Sql};

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct Organisation {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub created_at: String,
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct Area {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub parent_id: Option<String>,
    pub created_at: String,
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct Service {
    pub id: String,
    pub organisation_id: String,
    pub organisation_name: String,
    pub commissioner_id: Option<String>,
    pub commissioner_name: Option<String>,
    /// The region of the commissioning office, if it is in one.
    pub commissioner_region_id: Option<String>,
    pub area_id: String,
    pub area_name: String,
    /// Whose bank holidays apply: the area's nation.
    pub nation: String,
    pub name: String,
    pub kind: String,
    pub created_at: String,
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct Team {
    pub id: String,
    pub service_id: String,
    pub service_name: String,
    pub organisation_id: String,
    pub name: String,
    pub created_at: String,
    pub members: i64,
}

/// Service rows are placed by their provider, themselves and their commissioner.
const SERVICE_SCOPE: ScopeColumns = ScopeColumns {
    organisation: Some("s.organisation_id"),
    service: Some("s.id"),
    commissioner: Some("s.commissioner_id"),
    region: Some("(SELECT ro.region_id FROM organisations ro WHERE ro.id = s.commissioner_id)"),
    ..ScopeColumns::NONE
};

pub async fn insert_organisation(conn: &mut Conn, o: &Organisation) -> Result<()> {
    sqlx::query("INSERT INTO organisations (id, name, kind, created_at) VALUES ($1, $2, $3, $4)")
        .bind(o.id.clone())
        .bind(o.name.clone())
        .bind(o.kind.clone())
        .bind(o.created_at.clone())
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn list_organisations(conn: &mut Conn) -> Result<Vec<Organisation>> {
    Ok(
        sqlx::query_as("SELECT id, name, kind, created_at FROM organisations ORDER BY LOWER(name)")
            .fetch_all(conn)
            .await?,
    )
}

pub async fn find_organisation(conn: &mut Conn, id: &str) -> Result<Option<Organisation>> {
    Ok(
        sqlx::query_as("SELECT id, name, kind, created_at FROM organisations WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(conn)
            .await?,
    )
}

pub async fn insert_area(conn: &mut Conn, a: &Area) -> Result<()> {
    sqlx::query(
        "INSERT INTO areas (id, name, kind, parent_id, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(a.id.clone())
    .bind(a.name.clone())
    .bind(a.kind.clone())
    .bind(a.parent_id.clone())
    .bind(a.created_at.clone())
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn list_areas(conn: &mut Conn) -> Result<Vec<Area>> {
    Ok(sqlx::query_as(
        "SELECT id, name, kind, parent_id, created_at FROM areas ORDER BY kind, LOWER(name)",
    )
    .fetch_all(conn)
    .await?)
}

pub async fn find_area(conn: &mut Conn, id: &str) -> Result<Option<Area>> {
    Ok(
        sqlx::query_as("SELECT id, name, kind, parent_id, created_at FROM areas WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(conn)
            .await?,
    )
}

pub struct NewService {
    pub id: String,
    pub organisation_id: String,
    pub commissioner_id: Option<String>,
    pub area_id: String,
    pub name: String,
    pub kind: String,
    pub created_at: String,
}

pub async fn insert_service(conn: &mut Conn, s: &NewService) -> Result<()> {
    sqlx::query(
        "INSERT INTO services (id, organisation_id, commissioner_id, area_id, name, kind, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(s.id.clone())
    .bind(s.organisation_id.clone())
    .bind(s.commissioner_id.clone())
    .bind(s.area_id.clone())
    .bind(s.name.clone())
    .bind(s.kind.clone())
    .bind(s.created_at.clone())
    .execute(conn)
    .await?;
    Ok(())
}

const SERVICE_SELECT: &str = "SELECT s.id, s.organisation_id, o.name AS organisation_name,
        s.commissioner_id, c.name AS commissioner_name, c.region_id AS commissioner_region_id,
        s.area_id, a.name AS area_name, a.nation, s.name, s.kind, s.created_at
    FROM services s
    JOIN organisations o ON o.id = s.organisation_id
    LEFT JOIN organisations c ON c.id = s.commissioner_id
    JOIN areas a ON a.id = s.area_id
    WHERE ";

/// Services within the visibility, by provider then name.
pub async fn list_services(conn: &mut Conn, visibility: &Visibility) -> Result<Vec<Service>> {
    let mut sql = Sql::new(SERVICE_SELECT);
    sql.scope(visibility, &SERVICE_SCOPE);
    sql.push(" ORDER BY LOWER(o.name), LOWER(s.name)");
    Ok(sql.query_as().fetch_all(conn).await?)
}

/// One service, if it exists and lies within the visibility.
pub async fn find_service(
    conn: &mut Conn,
    id: &str,
    visibility: &Visibility,
) -> Result<Option<Service>> {
    let mut sql = Sql::new(SERVICE_SELECT);
    sql.push("s.id = ").text(id).push(" AND ");
    sql.scope(visibility, &SERVICE_SCOPE);
    Ok(sql.query_as().fetch_optional(conn).await?)
}

pub async fn insert_team(
    conn: &mut Conn,
    id: &str,
    service_id: &str,
    name: &str,
    created_at: &str,
) -> Result<()> {
    sqlx::query("INSERT INTO teams (id, service_id, name, created_at) VALUES ($1, $2, $3, $4)")
        .bind(id.to_string())
        .bind(service_id.to_string())
        .bind(name.to_string())
        .bind(created_at.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

const TEAM_SELECT: &str = "SELECT t.id, t.service_id, s.name AS service_name, s.organisation_id,
        t.name, t.created_at,
        (SELECT CAST(COUNT(*) AS BIGINT) FROM users u WHERE u.team_id = t.id AND u.disabled = 0) AS members
    FROM teams t JOIN services s ON s.id = t.service_id
    WHERE ";

/// Teams within the visibility; optionally only one service's.
pub async fn list_teams(
    conn: &mut Conn,
    visibility: &Visibility,
    service_id: Option<&str>,
) -> Result<Vec<Team>> {
    let mut sql = Sql::new(TEAM_SELECT);
    sql.scope(visibility, &SERVICE_SCOPE);
    if let Some(service_id) = service_id {
        sql.push(" AND t.service_id = ").text(service_id);
    }
    sql.push(" ORDER BY LOWER(s.name), LOWER(t.name)");
    Ok(sql.query_as().fetch_all(conn).await?)
}

pub async fn find_team(conn: &mut Conn, id: &str, visibility: &Visibility) -> Result<Option<Team>> {
    let mut sql = Sql::new(TEAM_SELECT);
    sql.push("t.id = ").text(id).push(" AND ");
    sql.scope(visibility, &SERVICE_SCOPE);
    Ok(sql.query_as().fetch_optional(conn).await?)
}

/// Counts about a service that are safe for a commissioner to see.
#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct ServiceFigures {
    pub service_id: String,
    pub service_name: String,
    pub provider_name: String,
    pub area_name: String,
    pub teams: i64,
    pub active_staff: i64,
}

pub async fn service_figures(
    conn: &mut Conn,
    visibility: &Visibility,
) -> Result<Vec<ServiceFigures>> {
    let mut sql = Sql::new(
        "SELECT s.id AS service_id, s.name AS service_name, o.name AS provider_name, a.name AS area_name,
            (SELECT CAST(COUNT(*) AS BIGINT) FROM teams t WHERE t.service_id = s.id) AS teams,
            (SELECT CAST(COUNT(*) AS BIGINT) FROM users u WHERE u.service_id = s.id AND u.disabled = 0) AS active_staff
         FROM services s
         JOIN organisations o ON o.id = s.organisation_id
         JOIN areas a ON a.id = s.area_id
         WHERE ",
    );
    sql.scope(visibility, &SERVICE_SCOPE);
    sql.push(" ORDER BY LOWER(o.name), LOWER(s.name)");
    Ok(sql.query_as().fetch_all(conn).await?)
}

pub async fn rename_team(conn: &mut Conn, id: &str, name: &str) -> Result<()> {
    sqlx::query("UPDATE teams SET name = $1 WHERE id = $2")
        .bind(name.to_string())
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn update_service(
    conn: &mut Conn,
    id: &str,
    name: &str,
    kind: &str,
    commissioner_id: Option<&str>,
    area_id: &str,
) -> Result<()> {
    sqlx::query("UPDATE services SET name = $1, kind = $2, commissioner_id = $3, area_id = $4 WHERE id = $5")
        .bind(name.to_string())
        .bind(kind.to_string())
        .bind(commissioner_id.map(str::to_string))
        .bind(area_id.to_string())
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(())
}
