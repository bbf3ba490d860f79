//! Returns written to files.

use anyhow::{Context, Result, anyhow, bail};
use clap::Subcommand;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::logging::say;
use crate::{Config, describe, ready};

#[derive(Subcommand)]
pub enum ReportCommand {
    /// The MoJ monitoring return and Victims' Code compliance for a period.
    Moj {
        /// First day of the period (YYYY-MM-DD).
        #[arg(long)]
        from: String,
        /// Last day of the period (YYYY-MM-DD).
        #[arg(long)]
        to: String,
        /// A service by name or id; repeat for several; all services if none.
        #[arg(long = "service")]
        services: Vec<String>,
        /// html, csv or xlsx.
        #[arg(long, default_value = "html")]
        format: String,
        /// The file to write.
        #[arg(long)]
        output: PathBuf,
        /// Show counts from 1 to 4 as they are (only for the service's own use).
        #[arg(long)]
        unsuppressed: bool,
    },
}

/// Writes the MoJ return.
pub async fn report(config: &Config, command: ReportCommand) -> Result<ExitCode> {
    let ReportCommand::Moj {
        from,
        to,
        services,
        format,
        output,
        unsuppressed,
    } = command;
    let app = ready(config).await?;
    let from = from
        .parse()
        .map_err(|_| anyhow!("--from: enter the first day as YYYY-MM-DD"))?;
    let to = to
        .parse()
        .map_err(|_| anyhow!("--to: enter the last day as YYYY-MM-DD"))?;
    let report = app
        .moj_return_for_system(from, to, &services, !unsuppressed)
        .await
        .map_err(describe)?;
    let bytes = match format.as_str() {
        "html" => report.to_html().into_bytes(),
        "csv" => report.to_csv().into_bytes(),
        "xlsx" => report.to_xlsx().map_err(describe)?,
        other => bail!("--format: '{other}' is not a format; use html, csv or xlsx"),
    };
    std::fs::write(&output, bytes).with_context(|| format!("cannot write {}", output.display()))?;
    say!(
        "Wrote the return for {from} to {to} to {}.",
        output.display()
    );
    Ok(ExitCode::SUCCESS)
}
