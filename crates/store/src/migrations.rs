//! Schema migrations: one ordered set of portable SQL files, embedded in the
//! binary, applied in order, each in its own transaction, and recorded with a
//! checksum so an edited or unknown migration is noticed.

use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::{Backend, Db, Result, StoreError};

/// Every migration, in order. A test fails if a file in `migrations/` is
/// missing from this list.
pub const MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "foundation",
        include_str!("../migrations/0001_foundation.sql"),
    ),
    (
        2,
        "referrals",
        include_str!("../migrations/0002_referrals.sql"),
    ),
    (3, "cases", include_str!("../migrations/0003_cases.sql")),
    (
        4,
        "report_dates",
        include_str!("../migrations/0004_report_dates.sql"),
    ),
    (5, "search", include_str!("../migrations/0005_search.sql")),
    (
        6,
        "linked_people",
        include_str!("../migrations/0006_linked_people.sql"),
    ),
    (
        7,
        "code_clocks",
        include_str!("../migrations/0007_code_clocks.sql"),
    ),
    (
        8,
        "referral_area",
        include_str!("../migrations/0008_referral_area.sql"),
    ),
    (
        9,
        "return_indexes",
        include_str!("../migrations/0009_return_indexes.sql"),
    ),
    (
        10,
        "storage_probe",
        include_str!("../migrations/0010_storage_probe.sql"),
    ),
    (
        11,
        "policy_places",
        include_str!("../migrations/0011_policy_places.sql"),
    ),
    (
        12,
        "form_submissions",
        include_str!("../migrations/0012_form_submissions.sql"),
    ),
    (
        13,
        "contact_recorded",
        include_str!("../migrations/0013_contact_recorded.sql"),
    ),
    (
        14,
        "list_orders",
        include_str!("../migrations/0014_list_orders.sql"),
    ),
    (
        15,
        "task_outcomes",
        include_str!("../migrations/0015_task_outcomes.sql"),
    ),
    (
        16,
        "referral_account",
        include_str!("../migrations/0016_referral_account.sql"),
    ),
    (
        17,
        "documents",
        include_str!("../migrations/0017_documents.sql"),
    ),
    (
        18,
        "token_rates",
        include_str!("../migrations/0018_token_rates.sql"),
    ),
    (
        19,
        "caseload_order",
        include_str!("../migrations/0019_caseload_order.sql"),
    ),
    (
        20,
        "sender_content",
        include_str!("../migrations/0020_sender_content.sql"),
    ),
    (
        21,
        "crime_type_enhanced_rights",
        include_str!("../migrations/0021_crime_type_enhanced_rights.sql"),
    ),
    (
        22,
        "dashboard_and_list_indexes",
        include_str!("../migrations/0022_dashboard_and_list_indexes.sql"),
    ),
    (
        23,
        "return_satisfaction",
        include_str!("../migrations/0023_return_satisfaction.sql"),
    ),
    (
        24,
        "possible_duplicates",
        include_str!("../migrations/0024_possible_duplicates.sql"),
    ),
    (
        25,
        "outcome_ratings",
        include_str!("../migrations/0025_outcome_ratings.sql"),
    ),
    (
        26,
        "declined_is_contact",
        include_str!("../migrations/0026_declined_is_contact.sql"),
    ),
    (
        27,
        "tailored_support",
        include_str!("../migrations/0027_tailored_support.sql"),
    ),
    (
        28,
        "name_orders",
        include_str!("../migrations/0028_name_orders.sql"),
    ),
    (
        29,
        "case_characteristics",
        include_str!("../migrations/0029_case_characteristics.sql"),
    ),
    (30, "risk", include_str!("../migrations/0030_risk.sql")),
    (
        31,
        "incidents",
        include_str!("../migrations/0031_incidents.sql"),
    ),
    (
        32,
        "safety_plans",
        include_str!("../migrations/0032_safety_plans.sql"),
    ),
    (33, "marac", include_str!("../migrations/0033_marac.sql")),
    (
        34,
        "marac_meetings",
        include_str!("../migrations/0034_marac_meetings.sql"),
    ),
    (
        35,
        "marac_withdrawn",
        include_str!("../migrations/0035_marac_withdrawn.sql"),
    ),
    (
        36,
        "risk_withdrawn",
        include_str!("../migrations/0036_risk_withdrawn.sql"),
    ),
    (37, "duty", include_str!("../migrations/0037_duty.sql")),
    (
        38,
        "activity",
        include_str!("../migrations/0038_activity.sql"),
    ),
    (
        39,
        "duty_requests",
        include_str!("../migrations/0039_duty_requests.sql"),
    ),
    (
        40,
        "duty_cases",
        include_str!("../migrations/0040_duty_cases.sql"),
    ),
    (
        41,
        "programmes",
        include_str!("../migrations/0041_programmes.sql"),
    ),
    (
        42,
        "duty_cases_due",
        include_str!("../migrations/0042_duty_cases_due.sql"),
    ),
    (
        43,
        "commissioning",
        include_str!("../migrations/0043_commissioning.sql"),
    ),
    (
        44,
        "contracts",
        include_str!("../migrations/0044_contracts.sql"),
    ),
    (
        45,
        "decision_splits",
        include_str!("../migrations/0045_decision_splits.sql"),
    ),
    (
        46,
        "decision_contracts",
        include_str!("../migrations/0046_decision_contracts.sql"),
    ),
    (
        47,
        "objectives",
        include_str!("../migrations/0047_objectives.sql"),
    ),
    (48, "pools", include_str!("../migrations/0048_pools.sql")),
    (
        49,
        "decision_affects",
        include_str!("../migrations/0049_decision_affects.sql"),
    ),
    (
        50,
        "frozen_figures",
        include_str!("../migrations/0050_frozen_figures.sql"),
    ),
    (
        51,
        "continuing_index",
        include_str!("../migrations/0051_continuing_index.sql"),
    ),
    (
        52,
        "one_index_for_closed_cases",
        include_str!("../migrations/0052_one_index_for_closed_cases.sql"),
    ),
    (
        53,
        "intake_matches_by_age",
        include_str!("../migrations/0053_intake_matches_by_age.sql"),
    ),
];

/// How the database's schema compares with what this build knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemaStatus {
    UpToDate {
        version: i64,
    },
    /// Some or all known migrations have not been applied.
    Behind {
        applied: i64,
        latest: i64,
    },
    /// The database was migrated by a newer Waymark.
    Ahead {
        applied: i64,
        latest: i64,
    },
    /// An applied migration differs from the one this build carries.
    Modified {
        version: i64,
    },
}

impl SchemaStatus {
    /// A message for whoever is starting the server, saying what to do.
    pub fn refusal(&self) -> Option<String> {
        match self {
            SchemaStatus::UpToDate { .. } => None,
            SchemaStatus::Behind { applied, latest } => Some(format!(
                "the database schema is at version {applied} but this Waymark needs version {latest}: run `waymark migrate` first"
            )),
            SchemaStatus::Ahead { applied, latest } => Some(format!(
                "the database schema is at version {applied}, newer than this Waymark knows (version {latest}): run a newer Waymark, or restore a backup made for this version"
            )),
            SchemaStatus::Modified { version } => Some(format!(
                "migration {version} applied to this database differs from the one this Waymark carries: the database was migrated by a different build"
            )),
        }
    }
}

fn checksum(sql: &str) -> String {
    hex::encode(Sha256::digest(sql.as_bytes()))
}

pub fn latest_version() -> i64 {
    MIGRATIONS.last().map(|m| m.0).unwrap_or(0)
}

async fn ensure_table(db: &Db) -> Result<()> {
    sqlx::query(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            version BIGINT PRIMARY KEY,
            name TEXT NOT NULL,
            checksum TEXT NOT NULL,
            applied_at TEXT NOT NULL
        )",
    )
    .execute(db.pool())
    .await?;
    Ok(())
}

async fn table_exists(db: &Db) -> Result<bool> {
    let sql = match db.backend() {
        Backend::Sqlite => {
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
        }
        Backend::Postgres => {
            "SELECT CAST(COUNT(*) AS BIGINT) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'schema_migrations'"
        }
    };
    let count: i64 = sqlx::query_scalar(sql).fetch_one(db.pool()).await?;
    Ok(count > 0)
}

async fn applied(db: &Db) -> Result<Vec<(i64, String)>> {
    if !table_exists(db).await? {
        return Ok(Vec::new());
    }
    let rows = sqlx::query("SELECT version, checksum FROM schema_migrations ORDER BY version")
        .fetch_all(db.pool())
        .await?;
    rows.iter()
        .map(|r| Ok((r.try_get::<i64, _>(0)?, r.try_get::<String, _>(1)?)))
        .collect()
}

/// Compares the database with the migrations this build carries.
pub async fn status(db: &Db) -> Result<SchemaStatus> {
    let applied = applied(db).await?;
    let latest = latest_version();
    let applied_version = applied.last().map(|a| a.0).unwrap_or(0);
    for (version, sum) in &applied {
        match MIGRATIONS.iter().find(|m| m.0 == *version) {
            None => {
                return Ok(SchemaStatus::Ahead {
                    applied: applied_version,
                    latest,
                });
            }
            Some((_, _, sql)) if checksum(sql) != *sum => {
                return Ok(SchemaStatus::Modified { version: *version });
            }
            Some(_) => {}
        }
    }
    if applied_version < latest {
        Ok(SchemaStatus::Behind {
            applied: applied_version,
            latest,
        })
    } else {
        Ok(SchemaStatus::UpToDate { version: latest })
    }
}

/// Applies every migration not yet applied; returns the versions applied.
pub async fn migrate(db: &Db, now: &str) -> Result<Vec<i64>> {
    ensure_table(db).await?;
    if let s @ (SchemaStatus::Ahead { .. } | SchemaStatus::Modified { .. }) = status(db).await? {
        return Err(StoreError::Schema(s.refusal().unwrap_or_default()));
    }
    let done: Vec<i64> = applied(db).await?.into_iter().map(|a| a.0).collect();
    let mut newly = Vec::new();
    for (version, name, sql) in MIGRATIONS {
        if done.contains(version) {
            continue;
        }
        let mut tx = db.pool().begin().await?;
        sqlx::raw_sql(sqlx::AssertSqlSafe(*sql))
            .execute(&mut *tx)
            .await
            .map_err(|e| StoreError::Schema(format!("migration {version} ({name}) failed: {e}")))?;
        sqlx::query(
            "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(*version)
        .bind(name.to_string())
        .bind(checksum(sql))
        .bind(now.to_string())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        newly.push(*version);
    }
    Ok(newly)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_migration_file_is_listed_in_order() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .expect("migrations folder")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".sql"))
            .collect();
        files.sort();
        let listed: Vec<String> = MIGRATIONS
            .iter()
            .map(|(v, name, _)| format!("{v:04}_{name}.sql"))
            .collect();
        assert_eq!(files, listed);
    }
}
