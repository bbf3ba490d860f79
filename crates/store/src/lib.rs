//! Waymark's storage: one set of portable queries and migrations that serve
//! both SQLite and PostgreSQL through sqlx's `Any` driver. No use case logic
//! lives here: functions take a connection and do one query's work.

pub mod audit;
pub mod bulk;
pub mod calendar;
pub mod cases;
mod db;
pub mod directory;
pub mod migrations;
pub mod people;
pub mod referrals;
pub mod reports;
pub mod sessions;
mod sql;
pub mod tokens;
pub mod users;

pub use db::{Backend, Conn, Db, WriteTx};
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
}

impl StoreError {
    /// Whether a unique index refused the write (both engines).
    pub fn is_unique_violation(&self) -> bool {
        match self {
            StoreError::Database(sqlx::Error::Database(e)) => e.is_unique_violation(),
            _ => false,
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Booleans are stored as INTEGER 0/1 on both engines.
pub fn flag(value: bool) -> i64 {
    i64::from(value)
}
