//! The Victims' Code's clocks, crime types and bank holiday calendars.

use anyhow::{Context, Result};
use app::command_line_actor;
use clap::Subcommand;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::logging::say;
use crate::{Config, describe, ready};

#[derive(Subcommand)]
pub enum ClocksCommand {
    /// List the clocks in force.
    List,
    /// Set a clock's length in working days (for enhanced victims too, optionally).
    Set {
        /// referral_passed, information_given or first_contact.
        code: String,
        #[arg(long)]
        working_days: i64,
        #[arg(long)]
        enhanced_working_days: Option<i64>,
    },
}

#[derive(Subcommand)]
pub enum CrimeTypesCommand {
    /// List the crime types offered, with their consent rules.
    List,
    /// Add a crime type, or change one's name, consent rule or the
    /// enhanced rights it carries.
    Set {
        /// A code of lower-case letters, digits and underscores.
        code: String,
        /// The name people see.
        #[arg(long)]
        label: String,
        /// opt-in (passed on only with consent) or opt-out (unless declined).
        #[arg(long)]
        consent: String,
        /// The Victims' Code reason its victims have enhanced rights for,
        /// without anyone ticking it: most_serious_crime, intimidated,
        /// vulnerable or persistently_targeted; none (the default) for none.
        #[arg(long, default_value = "none")]
        enhanced: String,
    },
    /// Stop offering a crime type; referrals that have it keep it.
    Retire { code: String },
    /// Apply a crime type's rules as they are now (the enhanced rights it
    /// carries) to its referrals still awaiting contact: their rights and
    /// deadlines are worked out again, each change audited as a correction.
    Apply { code: String },
}

#[derive(Subcommand)]
pub enum CalendarCommand {
    /// Load announced bank holiday changes (lines of nation,date,add|remove,name)
    /// without a new release. Nothing is loaded if any line is wrong.
    Import { file: PathBuf },
}

/// Sets a clock's length if asked, and lists the clocks.
pub async fn clocks(config: &Config, command: ClocksCommand) -> Result<ExitCode> {
    let app = ready(config).await?;
    if let ClocksCommand::Set {
        code,
        working_days,
        enhanced_working_days,
    } = &command
    {
        app.set_clock(
            &command_line_actor(),
            code,
            *working_days,
            *enhanced_working_days,
        )
        .await
        .map_err(describe)?;
    }
    for clock in app.clocks().await.map_err(describe)? {
        let enhanced = clock
            .enhanced_working_days
            .map(|d| format!(", {d} for enhanced victims"))
            .unwrap_or_default();
        say!(
            "{}\t{}: {} working days{enhanced}",
            clock.code,
            clock.label,
            clock.working_days
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Changes a crime type if asked, and lists them.
pub async fn crime_types(config: &Config, command: CrimeTypesCommand) -> Result<ExitCode> {
    let app = ready(config).await?;
    let cli = command_line_actor();
    match &command {
        CrimeTypesCommand::List => {}
        CrimeTypesCommand::Set {
            code,
            label,
            consent,
            enhanced,
        } => {
            let rule = app::referrals::CrimeTypeRule {
                label,
                consent,
                enhanced,
            };
            app.set_crime_type(&cli, code, rule, true)
                .await
                .map_err(describe)?;
        }
        CrimeTypesCommand::Retire { code } => {
            app.offer_crime_type(&cli, code, false)
                .await
                .map_err(describe)?;
        }
        CrimeTypesCommand::Apply { code } => {
            let (examined, changed) = app
                .apply_crime_type_rules(&cli, code)
                .await
                .map_err(describe)?;
            say!(
                "{examined} referrals of {code} awaiting contact; {changed} had their rights and deadlines worked out again."
            );
            return Ok(ExitCode::SUCCESS);
        }
    }
    for t in app.crime_types().await.map_err(describe)? {
        say!(
            "{}\t{}\t{}\t{}",
            t.code,
            t.label,
            t.consent_rule.replace('_', "-"),
            t.enhanced_reason
                .as_deref()
                .map_or("-".to_string(), |r| format!("enhanced: {r}"))
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Loads bank holiday changes.
pub async fn calendar(config: &Config, command: CalendarCommand) -> Result<ExitCode> {
    let CalendarCommand::Import { file } = command;
    let app = ready(config).await?;
    let text = std::fs::read_to_string(&file)
        .with_context(|| format!("cannot read {} as UTF-8 text", file.display()))?;
    let count = app.import_holiday_changes(&text).await.map_err(describe)?;
    say!(
        "Loaded {count} bank holiday changes from {}.",
        file.display()
    );
    Ok(ExitCode::SUCCESS)
}
