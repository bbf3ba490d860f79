//! Errors from use cases. Each says what a person can do about it; the web
//! layer maps them to pages and problem documents. Store errors carry detail
//! for the server log only, never for the person.

use domain::validation::FieldErrors;
use store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Input that cannot be accepted, field by field.
    #[error("invalid input")]
    Invalid(FieldErrors),
    /// No such record, or not one this user may see (the two look the same).
    #[error("not found")]
    NotFound,
    /// The record is visible but this action on it is not allowed.
    #[error("not allowed")]
    Forbidden,
    /// Sign in first.
    #[error("not signed in")]
    Unauthenticated,
    /// A wrong username or password: the same answer whatever was wrong.
    #[error("sign-in failed")]
    LoginFailed,
    /// The person entered may already be known: link to one of these, or
    /// confirm that this is someone new.
    #[error("possible duplicate people")]
    PossibleDuplicates(Vec<store::people::Person>),
    /// This form was sent before and its change made then; nothing was
    /// changed again.
    #[error("already sent")]
    AlreadySent,
    /// A sender's reference already received with different content: the
    /// fields that differ. The same content again is not an error.
    #[error("sent before with different content")]
    SentDifferently(Vec<String>),
    /// Too many wrong guesses: try again after this many seconds.
    #[error("too many attempts")]
    Throttled { retry_after_secs: i64 },
    #[error("storage: {0}")]
    Store(#[from] StoreError),
    #[error("internal: {0}")]
    Internal(String),
}

impl AppError {
    /// When storage failed rather than the request (disk full, read-only,
    /// I/O error, connection lost): what failed, for the log only.
    pub fn storage_failure(&self) -> Option<String> {
        match self {
            AppError::Store(e) if e.is_unavailable() => Some(e.to_string()),
            _ => None,
        }
    }

    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        AppError::Invalid(FieldErrors::single(field, message))
    }
}
