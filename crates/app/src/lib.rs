//! Waymark's use cases. Every change of state goes through one function here
//! that takes the acting user, checks the policy for that record, validates,
//! writes and appends the audit event in one transaction. The web pages, the
//! JSON API and the CLI all call these functions; none of them writes SQL.

pub mod activity;
pub mod audit;
pub mod auth;
pub mod calendar;
pub mod cases;
mod clock;
pub mod commissioning;
pub mod demo;
pub mod directory;
pub mod documents;
mod door;
pub mod duty;
mod error;
pub mod fields;
pub mod import;
pub mod marac;
pub mod messages;
pub mod paging;
pub mod people;
pub mod programmes;
pub mod referrals;
pub mod reports;
pub mod risk;
pub mod search;
mod secrets;
pub mod staff;
pub mod tokens;

pub use clock::Clock;
pub use domain;
pub use door::{Seen, Write};
pub use error::AppError;
pub use secrets::{constant_time_eq, random_token};
pub use store;

use domain::policy::{Actor, Grant, GrantScope, Role};
use store::Db;

/// Limits for sessions and login throttling; the defaults follow the
/// foundation's requirements and can be changed by configuration.
#[derive(Debug, Clone)]
pub struct Settings {
    /// A session ends after this long without a request.
    pub idle_timeout_secs: i64,
    /// A session ends this long after sign-in, however busy.
    pub absolute_timeout_secs: i64,
    /// Require a second factor of everyone, not only administrators.
    pub require_totp_for_all: bool,
    /// Wrong guesses allowed per account (per trusted device) in the window.
    pub account_failure_limit: i64,
    pub account_failure_window_secs: i64,
    /// Failures from one address before each further attempt must wait.
    pub address_free_failures: i64,
    pub address_window_secs: i64,
    pub address_max_delay_secs: i64,
    /// The virus scanner run on each uploaded document (program, then
    /// arguments); `None`: documents are not scanned.
    pub scan_command: Option<Vec<String>>,
    /// Requests a minute an API token may make unless it has its own rate.
    pub api_rate_per_minute: u32,
    /// The periods commissioners see figures for: blocks that never
    /// overlap, since two periods of which one holds the other would undo
    /// the rounding (`domain::disclosure::ReportingPeriods`).
    pub report_periods: domain::disclosure::ReportingPeriods,
    /// Days after a reporting period ends before commissioners may read it:
    /// the time the service has to finish recording it, since its figures
    /// are kept as first shown (`reports::frozen`).
    pub report_closing_days: i64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            idle_timeout_secs: 30 * 60,
            absolute_timeout_secs: 12 * 60 * 60,
            require_totp_for_all: false,
            account_failure_limit: 10,
            account_failure_window_secs: 5 * 60,
            address_free_failures: 20,
            address_window_secs: 15 * 60,
            address_max_delay_secs: 5 * 60,
            scan_command: None,
            api_rate_per_minute: 600,
            report_periods: domain::disclosure::ReportingPeriods::QUARTERS,
            report_closing_days: 14,
        }
    }
}

/// Everything a use case needs: the database, the clock and the settings.
#[derive(Clone, Debug)]
pub struct App {
    pub db: Db,
    pub clock: Clock,
    pub settings: Settings,
    /// Each API token's request bucket, by token id (see `domain::rate`).
    api_buckets:
        std::sync::Arc<std::sync::Mutex<std::collections::HashMap<String, domain::rate::Bucket>>>,
    /// When this process started: the buckets' monotonic clock.
    started: std::time::Instant,
    /// Reads of personal data, recorded in batches (see `audit::ReadLog`).
    reads: audit::ReadLog,
    /// Senders' referrals, written in batches (see `referrals::Intake`).
    intake: referrals::Intake,
}

pub type Result<T, E = AppError> = std::result::Result<T, E>;

impl App {
    pub fn new(db: Db, settings: Settings) -> Self {
        App {
            db,
            clock: Clock::default(),
            settings,
            api_buckets: Default::default(),
            started: std::time::Instant::now(),
            reads: Default::default(),
            intake: Default::default(),
        }
    }

    /// How many transactions have written senders' referrals since this
    /// `App` began: fewer than the referrals when they arrive together.
    pub fn referral_batches(&self) -> u64 {
        self.intake.batches()
    }

    /// Applies migrations; returns the versions applied.
    pub async fn migrate(&self) -> Result<Vec<i64>> {
        let applied = store::migrations::migrate(&self.db, &self.clock.now_text()).await?;
        self.db.optimize(true).await?;
        Ok(applied)
    }

    /// Refuses to serve on a database whose schema this build does not match.
    pub async fn check_schema(&self) -> Result<()> {
        let status = store::migrations::status(&self.db).await?;
        match status.refusal() {
            Some(message) => Err(AppError::Internal(message)),
            None => Ok(()),
        }
    }
}

/// The actor for work done at the command line by whoever runs the server:
/// they hold the database, so they act as a system administrator.
pub fn command_line_actor() -> Actor {
    Actor {
        submission: None,
        id: "command-line".into(),
        label: "command line".into(),
        organisation_id: String::new(),
        grants: vec![
            Grant {
                role: Role::Administrator,
                scope: GrantScope::Everywhere,
            },
            // Loading referral feeds into any service, and seeing no casework.
            Grant {
                role: Role::Referrer,
                scope: GrantScope::Everywhere,
            },
        ],
    }
}
