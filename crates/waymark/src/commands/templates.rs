//! `waymark templates`: the risk assessment templates and each service's
//! bands.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use app::command_line_actor;
use clap::Subcommand;

use crate::config::Config;
use crate::logging::say;
use crate::{describe, ready};

#[derive(Subcommand)]
pub enum TemplatesCommand {
    /// List the templates an assessment can use: the latest version of each.
    List,
    /// Import a template file (such as a service's licensed wording), as a
    /// later version of a template or a new one. The whole file is checked
    /// first: every problem is given with its line, and nothing is imported
    /// unless it is right. The format is in docs/risk.md.
    Import { file: PathBuf },
    /// Set the bands a service scores a template with, such as
    /// "standard 0, medium 10, high 14". Assessments already made keep theirs.
    Bands {
        /// The service, by id or name.
        #[arg(long)]
        service: String,
        /// The template's key, such as dash.
        #[arg(long)]
        template: String,
        bands: String,
    },
    /// Set how many domestic abuse incidents within 12 months make
    /// "potential escalation" in a service (3 unless set).
    Escalation {
        /// The service, by id or name.
        #[arg(long)]
        service: String,
        incidents: i64,
    },
}

pub async fn templates(config: &Config, command: TemplatesCommand) -> Result<ExitCode> {
    let app = ready(config).await?;
    let cli = command_line_actor();
    match command {
        TemplatesCommand::List => {
            for available in app.risk_templates().await.map_err(describe)? {
                let t = &available.template;
                say!(
                    "{} version {}: {} ({} questions; {}{})",
                    t.key,
                    t.version,
                    t.name,
                    t.questions.len(),
                    t.bands
                        .iter()
                        .map(|b| format!("{} {}", b.level.code(), b.from))
                        .collect::<Vec<_>>()
                        .join(", "),
                    if available.shipped {
                        "; shipped"
                    } else {
                        "; imported"
                    }
                );
            }
        }
        TemplatesCommand::Import { file } => {
            let source = std::fs::read_to_string(&file)
                .with_context(|| format!("could not read {}", file.display()))?;
            let template = app
                .import_risk_template(&cli, &source)
                .await
                .map_err(describe)?;
            say!(
                "Imported {} version {}: {} questions.",
                template.key,
                template.version,
                template.questions.len()
            );
        }
        TemplatesCommand::Bands {
            service,
            template,
            bands,
        } => {
            let service = super::service_id(&app, &service).await?;
            let written = app
                .set_risk_bands(&cli, &service, &template, &bands)
                .await
                .map_err(describe)?;
            say!("The service now scores {template} with: {written}.");
        }
        TemplatesCommand::Escalation { service, incidents } => {
            let service = super::service_id(&app, &service).await?;
            app.set_escalation_incidents(&cli, &service, incidents)
                .await
                .map_err(describe)?;
            say!("{incidents} or more incidents within 12 months are now potential escalation.");
        }
    }
    Ok(ExitCode::SUCCESS)
}
