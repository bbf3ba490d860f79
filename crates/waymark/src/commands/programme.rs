//! `waymark programme`: set up programmes (pilots), list them, and import a
//! baseline's aggregate figures.

use std::process::ExitCode;

use anyhow::{Context, Result};
use app::command_line_actor;
use app::programmes::ProgrammeInput;
use clap::Subcommand;

use crate::config::Config;
use crate::logging::say;
use crate::{describe, ready};

#[derive(Subcommand)]
pub enum ProgrammeCommand {
    /// List the programmes, with their ids and periods.
    List,
    /// Add a programme delivered by a service (docs/programmes.md).
    Create {
        #[arg(long)]
        name: String,
        /// The service that delivers it, by name or id.
        #[arg(long)]
        service: String,
        /// Its period: the first and last days (YYYY-MM-DD or d m y).
        #[arg(long)]
        starts_on: String,
        #[arg(long)]
        ends_on: String,
        /// The baseline period it is judged against, before it starts.
        #[arg(long)]
        baseline_from: String,
        #[arg(long)]
        baseline_to: String,
        /// The funding in pounds, such as 47013 or "£47,013.00".
        #[arg(long, default_value = "")]
        funding: String,
        #[arg(long, default_value = "")]
        funding_source: String,
        /// A partner as "Name: part"; repeat for each.
        #[arg(long = "partner")]
        partners: Vec<String>,
    },
    /// Import a baseline of aggregate figures from a CSV file of
    /// `measure,count` lines, replacing any imported before.
    Baseline {
        #[arg(long)]
        programme: String,
        file: std::path::PathBuf,
    },
}

pub async fn programme(config: &Config, command: ProgrammeCommand) -> Result<ExitCode> {
    let app = ready(config).await?;
    let cli = command_line_actor();
    match command {
        ProgrammeCommand::List => {
            for p in app.programmes_set_up(&cli).await.map_err(describe)? {
                say!(
                    "{} ({}): {}, {} to {}",
                    p.name,
                    p.id,
                    p.service_name,
                    p.starts_on,
                    p.ends_on
                );
            }
        }
        ProgrammeCommand::Create {
            name,
            service,
            starts_on,
            ends_on,
            baseline_from,
            baseline_to,
            funding,
            funding_source,
            partners,
        } => {
            let input = ProgrammeInput {
                name,
                service,
                starts_on,
                ends_on,
                baseline_from,
                baseline_to,
                funding,
                funding_source,
                partners,
            };
            let p = app.create_programme(&cli, &input).await.map_err(describe)?;
            say!("Added {} ({}).", p.name, p.id);
        }
        ProgrammeCommand::Baseline { programme, file } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("reading {}", file.display()))?;
            let measures = app
                .import_baseline(&cli, &programme, &text)
                .await
                .map_err(describe)?;
            say!("Imported the baseline: {measures} measures.");
        }
    }
    Ok(ExitCode::SUCCESS)
}
