//! Waymark's storage: one set of portable queries and migrations that serve
//! both SQLite and PostgreSQL through sqlx's `Any` driver. No use case logic
//! lives here: functions take a connection and do one query's work.

pub mod activity;
pub mod audit;
pub mod bulk;
pub mod calendar;
pub mod cases;
pub mod commissioning;
mod db;
pub mod directory;
pub mod documents;
pub mod duplicates;
pub mod duty;
mod health;
pub mod marac;
pub mod migrations;
pub mod paging;
pub mod people;
pub mod programmes;
pub mod referrals;
pub mod reports;
pub mod risk;
pub mod sessions;
mod sql;
pub mod tokens;
pub mod users;

pub use db::{Backend, Conn, Db, DbOptions, WriteTx};
pub use health::StorageHealth;
pub use sql::{ScopeColumns, Sql, Value};

/// What can go wrong in storage.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("{0}")]
    Schema(String),
    #[error("unsupported database URL: {0}")]
    Url(String),
    /// Storage failed for work done on a request's behalf elsewhere (a
    /// batch of audit events): what failed, for the log.
    #[error("storage unavailable: {0}")]
    Unavailable(String),
}

impl StoreError {
    /// Whether a unique index refused the write (both engines).
    pub fn is_unique_violation(&self) -> bool {
        match self {
            StoreError::Database(sqlx::Error::Database(e)) => e.is_unique_violation(),
            _ => false,
        }
    }

    /// Whether storage itself failed, rather than the request: the disk is
    /// full or read-only, an I/O error, the database is locked or its
    /// connection lost. Such a change may succeed later, unchanged, so it
    /// is answered 503 with `Retry-After`, not 500.
    pub fn is_unavailable(&self) -> bool {
        let e = match self {
            StoreError::Database(e) => e,
            StoreError::Unavailable(_) => return true,
            _ => return false,
        };
        match e {
            // A closed pool is not here: it is this process stopping, and
            // will not recover by waiting.
            sqlx::Error::Io(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::WorkerCrashed
            | sqlx::Error::Tls(_)
            | sqlx::Error::Protocol(_) => true,
            sqlx::Error::Database(db) => {
                if let Some(sqlite) = db.try_downcast_ref::<sqlx::sqlite::SqliteError>() {
                    let code = sqlx::error::DatabaseError::code(sqlite)
                        .and_then(|c| c.parse::<i32>().ok());
                    code.is_some_and(|c| sqlite_unavailable(c & 0xff))
                } else if let Some(pg) = db.try_downcast_ref::<sqlx::postgres::PgDatabaseError>() {
                    postgres_unavailable(pg.code())
                } else {
                    false
                }
            }
            _ => false,
        }
    }
}

/// SQLite's primary result codes for a storage failure: BUSY, LOCKED,
/// NOMEM, READONLY, IOERR, FULL, CANTOPEN, PROTOCOL.
fn sqlite_unavailable(primary: i32) -> bool {
    matches!(primary, 5 | 6 | 7 | 8 | 10 | 13 | 14 | 15)
}

/// PostgreSQL's SQLSTATEs for a storage failure: connection exceptions
/// (08), insufficient resources such as a full disk (53), the server shutting
/// down or the backend terminated (57P01–57P03), system and I/O errors (58),
/// a read-only transaction (25006), and serialization or deadlock failures
/// that succeed when tried again (40001, 40P01).
fn postgres_unavailable(code: &str) -> bool {
    code.starts_with("08")
        || code.starts_with("53")
        || code.starts_with("58")
        || matches!(
            code,
            "57P01" | "57P02" | "57P03" | "25006" | "40001" | "40P01"
        )
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Booleans are stored as INTEGER 0/1 on both engines.
pub fn flag(value: bool) -> i64 {
    i64::from(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn storage_failures_are_told_from_request_failures() {
        for full in [13, 13 | (1 << 8)] {
            assert!(sqlite_unavailable(full & 0xff), "SQLITE_FULL {full}");
        }
        // SQLITE_IOERR_WRITE is an extended code of IOERR.
        assert!(sqlite_unavailable((10 | (3 << 8)) & 0xff));
        assert!(sqlite_unavailable(8), "read-only");
        assert!(
            !sqlite_unavailable(19),
            "a constraint is the request's fault"
        );
        assert!(
            !sqlite_unavailable(1),
            "an SQL error is ours, not storage's"
        );
        for code in ["53100", "57P01", "08006", "58030", "25006", "40001"] {
            assert!(postgres_unavailable(code), "{code}");
        }
        for code in ["23505", "42601", "57014", "22001"] {
            assert!(!postgres_unavailable(code), "{code}");
        }
        let pool = StoreError::Database(sqlx::Error::PoolTimedOut);
        assert!(pool.is_unavailable());
        assert!(!StoreError::Schema("x".into()).is_unavailable());
    }
}
