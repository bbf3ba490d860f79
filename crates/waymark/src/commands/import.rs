//! Imports of referral feeds.

use anyhow::{Context, Result};
use clap::Subcommand;
use std::path::PathBuf;
use std::process::ExitCode;

use super::organisation_id;
use crate::logging::say;
use crate::{Config, describe, ready};

#[derive(Subcommand)]
pub enum ImportCommand {
    /// Import a police referral feed (CSV; see docs/police-feed.md). Every bad
    /// row is reported by line and column; good rows are imported. Exits 0
    /// only if every row was imported (or, with --dry-run, would be).
    Referrals {
        file: PathBuf,
        /// The sending organisation (name or id): its references make
        /// re-imports of the same file create nothing new.
        #[arg(long)]
        sender: String,
        /// Check the file and report, without importing anything.
        #[arg(long)]
        dry_run: bool,
        /// Also write every problem to this file as CSV (line, column,
        /// message); only the first 200 are printed.
        #[arg(long, value_name = "FILE")]
        errors: Option<PathBuf>,
    },
}

/// Imports a police referral feed, reporting each problem by line and column.
pub async fn import(config: &Config, command: ImportCommand) -> Result<ExitCode> {
    let ImportCommand::Referrals {
        file,
        sender,
        dry_run,
        errors,
    } = command;
    let app = ready(config).await?;
    let sender_id = organisation_id(&app, &sender).await?;
    let bytes = std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
    let actor = domain::policy::Actor {
        submission: None,
        id: format!("import:{sender_id}"),
        label: format!(
            "import of {}",
            file.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        ),
        organisation_id: sender_id,
        grants: vec![domain::policy::Grant {
            role: domain::policy::Role::Referrer,
            scope: domain::policy::GrantScope::Everywhere,
        }],
    };
    let report = app
        .import_referrals(&actor, &bytes, dry_run)
        .await
        .map_err(describe)?;
    const SHOWN: usize = 200;
    for error in report.errors.iter().take(SHOWN) {
        say!("{error}");
    }
    if report.errors.len() > SHOWN {
        say!(
            "… and {} more problems{}",
            report.errors.len() - SHOWN,
            if errors.is_some() {
                ""
            } else {
                " (--errors FILE writes them all)"
            }
        );
    }
    if let Some(path) = &errors {
        std::fs::write(path, report.errors_csv())
            .with_context(|| format!("cannot write {}", path.display()))?;
        say!(
            "{} problems written to {}.",
            report.errors.len(),
            path.display()
        );
    }
    say!(
        "{} rows read: {} valid, {} with problems; {} imported, {} already received{}.",
        report.rows,
        report.valid,
        report.rows - report.valid,
        report.imported,
        report.already_received,
        if dry_run {
            " (dry run: nothing imported)"
        } else {
            ""
        }
    );
    if !report.errors.is_empty() {
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
