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
        /// Show counts from 1 to 4 as they are (only for the service's own
        /// use). Without it the return is protected, as for a commissioner:
        /// one ended reporting period, and one service.
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
    if !["html", "csv", "xlsx"].contains(&format.as_str()) {
        bail!("--format: '{format}' is not a format; use html, csv or xlsx");
    }
    let app = ready(config).await?;
    let from = from
        .parse()
        .map_err(|_| anyhow!("--from: enter the first day as YYYY-MM-DD"))?;
    let to = to
        .parse()
        .map_err(|_| anyhow!("--to: enter the last day as YYYY-MM-DD"))?;
    // A protected return keeps the rules of one seen outside the service
    // (one ended reporting period, one service): named by their flags.
    let report = app
        .moj_return_for_system(from, to, &services, !unsuppressed)
        .await
        .map_err(|e| match e {
            app::AppError::Invalid(mut errors) => {
                for e in &mut errors.0 {
                    e.field = match e.field.as_str() {
                        "services" => "--service".to_string(),
                        other => format!("--{other}"),
                    };
                }
                describe(app::AppError::Invalid(errors))
            }
            other => describe(other),
        })?;
    let bytes = match format.as_str() {
        "html" => report.to_html().into_bytes(),
        "csv" => report.to_csv().into_bytes(),
        _ => report.to_xlsx().map_err(describe)?,
    };
    std::fs::write(&output, bytes).with_context(|| format!("cannot write {}", output.display()))?;
    say!(
        "Wrote the return for {from} to {to} to {}.",
        output.display()
    );
    Ok(ExitCode::SUCCESS)
}
