//! Settings: every one a flag or an environment variable.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use app::Settings;
use clap::Args;
use domain::disclosure::ReportingPeriods;
use web::WebConfig;

#[derive(Args, Clone)]
pub struct Config {
    /// Database URL: sqlite://PATH or postgres://USER:PASSWORD@HOST:PORT/DATABASE.
    /// Default: waymark.sqlite in the data folder.
    #[arg(
        long,
        env = "WAYMARK_DATABASE_URL",
        global = true,
        hide_env_values = true
    )]
    pub(crate) database_url: Option<String>,
    /// Folder for the SQLite database and other files.
    #[arg(long, env = "WAYMARK_DATA_DIR", default_value = "data", global = true)]
    pub(crate) data_dir: PathBuf,
    /// Address and port to serve on.
    #[arg(
        long,
        env = "WAYMARK_LISTEN",
        default_value = "127.0.0.1:8080",
        global = true
    )]
    pub(crate) listen: SocketAddr,
    /// Development only: plain http cookies (no Secure flag or __Host- prefix).
    /// Allowed only when listening on a loopback address.
    #[arg(long, env = "WAYMARK_DEV_HTTP", global = true)]
    pub(crate) dev_http: bool,
    /// Minutes without a request after which a session ends.
    #[arg(
        long,
        env = "WAYMARK_IDLE_TIMEOUT_MINUTES",
        default_value_t = 30,
        global = true
    )]
    pub(crate) idle_timeout_minutes: i64,
    /// Hours after sign-in after which a session ends, however busy.
    #[arg(
        long,
        env = "WAYMARK_ABSOLUTE_TIMEOUT_HOURS",
        default_value_t = 12,
        global = true
    )]
    pub(crate) absolute_timeout_hours: i64,
    /// Require a second factor (authenticator app) of everyone, not only administrators.
    #[arg(long, env = "WAYMARK_REQUIRE_SECOND_FACTOR", global = true)]
    pub(crate) require_second_factor: bool,
    /// Take client addresses from X-Forwarded-For (only behind a proxy that sets it).
    #[arg(long, env = "WAYMARK_TRUST_FORWARDED_FOR", global = true)]
    pub(crate) trust_forwarded_for: bool,
    /// Warn in the log and on /readyz when the data folder has fewer free
    /// megabytes than this.
    #[arg(
        long,
        env = "WAYMARK_LOW_SPACE_WARNING_MB",
        default_value_t = 1000,
        global = true
    )]
    pub(crate) low_space_warning_mb: u64,
    /// Close a connection that has not sent a whole request head (or has
    /// sat idle between requests) for this many seconds.
    #[arg(
        long,
        env = "WAYMARK_HEADER_TIMEOUT_SECS",
        default_value_t = 10,
        global = true
    )]
    pub(crate) header_timeout_secs: u64,
    /// Refuse a request whose body has not arrived within this many seconds.
    #[arg(
        long,
        env = "WAYMARK_BODY_TIMEOUT_SECS",
        default_value_t = 60,
        global = true
    )]
    pub(crate) body_timeout_secs: u64,
    /// Requests a minute each API token may make, unless given its own rate
    /// (`waymark token rate`); a quarter of it may come at once.
    #[arg(
        long,
        env = "WAYMARK_API_RATE_PER_MINUTE",
        default_value_t = 600,
        global = true
    )]
    pub(crate) api_rate_per_minute: u32,
    /// The length, in months, of the reporting periods commissioners see
    /// figures for, counted from 1 April: 1, 2, 3, 4, 6 or 12.
    #[arg(
        long,
        env = "WAYMARK_REPORT_PERIOD_MONTHS",
        default_value = "3",
        value_parser = reporting_periods,
        global = true
    )]
    pub(crate) report_period_months: ReportingPeriods,
    /// Days after a reporting period ends before commissioners may read its
    /// figures, which are then kept as first shown: the time a service has
    /// to finish recording the period.
    #[arg(
        long,
        env = "WAYMARK_REPORT_CLOSING_DAYS",
        default_value_t = 14,
        global = true
    )]
    pub(crate) report_closing_days: u16,
    /// SQLite: the page cache of each of the pool's 8 connections, in MiB.
    #[arg(
        long,
        env = "WAYMARK_SQLITE_CACHE_MB",
        default_value_t = 16,
        global = true
    )]
    pub(crate) sqlite_cache_mb: u32,
    /// A virus scanner run on every uploaded document, given the file on its
    /// standard input: exit 0 clean, 1 infected, anything else refuses the
    /// file. For example "clamdscan --no-summary -". Unset: not scanned.
    #[arg(long, env = "WAYMARK_SCAN_COMMAND", global = true)]
    pub(crate) scan_command: Option<String>,
    /// Log as JSON lines instead of text.
    #[arg(long, env = "WAYMARK_LOG_JSON", global = true)]
    pub(crate) log_json: bool,
}

impl Config {
    pub(crate) fn database_url(&self, file: &str) -> Result<String> {
        if let Some(url) = &self.database_url {
            return Ok(url.clone());
        }
        std::fs::create_dir_all(&self.data_dir).with_context(|| {
            format!("cannot create the data folder {}", self.data_dir.display())
        })?;
        Ok(format!("sqlite://{}", self.data_dir.join(file).display()))
    }

    pub(crate) fn settings(&self) -> Settings {
        Settings {
            idle_timeout_secs: self.idle_timeout_minutes.max(1) * 60,
            absolute_timeout_secs: self.absolute_timeout_hours.max(1) * 3600,
            require_totp_for_all: self.require_second_factor,
            api_rate_per_minute: self.api_rate_per_minute.max(1),
            report_periods: self.report_period_months,
            report_closing_days: i64::from(self.report_closing_days),
            scan_command: self
                .scan_command
                .as_deref()
                .map(|c| c.split_whitespace().map(str::to_string).collect::<Vec<_>>())
                .filter(|c| !c.is_empty()),
            ..Settings::default()
        }
    }

    pub(crate) fn web(&self) -> Result<WebConfig> {
        if self.dev_http && !self.listen.ip().is_loopback() {
            bail!(
                "--dev-http is only allowed when listening on a loopback address such as 127.0.0.1"
            );
        }
        Ok(WebConfig {
            secure_cookies: !self.dev_http,
            trust_forwarded_for: self.trust_forwarded_for,
            low_space_warning_bytes: self.low_space_warning_mb.saturating_mul(1_000_000),
            header_timeout: std::time::Duration::from_secs(self.header_timeout_secs.max(1)),
            body_timeout: std::time::Duration::from_secs(self.body_timeout_secs.max(1)),
        })
    }
}

/// Reporting periods from their length in months, or what to give instead.
fn reporting_periods(text: &str) -> std::result::Result<ReportingPeriods, String> {
    text.trim()
        .parse::<u32>()
        .ok()
        .and_then(ReportingPeriods::of_months)
        .ok_or_else(|| "give 1, 2, 3, 4, 6 or 12: a number of months that divides the year".into())
}
