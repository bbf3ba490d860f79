//! `waymark duty`: set up duty rotas and list them.

use std::process::ExitCode;

use anyhow::Result;
use app::command_line_actor;
use app::duty::RotaInput;
use clap::Subcommand;

use crate::config::Config;
use crate::logging::say;
use crate::{describe, ready};

#[derive(Subcommand)]
pub enum DutyCommand {
    /// List the duty rotas, their services and who is on duty now.
    List,
    /// Add a duty rota shared by one or more services (docs/duty.md).
    Create {
        #[arg(long)]
        name: String,
        /// The duty role partners ask for, such as "Duty IDVA".
        #[arg(long)]
        role: String,
        /// How partners reach whoever is on duty: the duty line, never a
        /// person's own number.
        #[arg(long)]
        contact: String,
        /// The cover pattern, such as
        /// "weekday 09:00-20:00; weekend 09:00-20:00; bank_holiday 09:00-20:00".
        #[arg(long)]
        pattern: String,
        /// A service sharing the rota, by name or id; repeat for each.
        #[arg(long = "service")]
        services: Vec<String>,
        /// The response target in cover hours, in hours.
        #[arg(long, default_value = "2")]
        response_hours: String,
        /// Out of hours, requests are answered by this time (HH:MM) the
        /// next morning.
        #[arg(long, default_value = "10:00")]
        out_of_hours_by: String,
        /// Cases opened on duty are handed over at this time (HH:MM).
        #[arg(long, default_value = "20:00")]
        handover_at: String,
    },
}

pub async fn duty(config: &Config, command: DutyCommand) -> Result<ExitCode> {
    let app = ready(config).await?;
    let cli = command_line_actor();
    match command {
        DutyCommand::List => {
            for d in app.on_duty_now(&cli).await.map_err(describe)? {
                let now = match (d.covered, d.until) {
                    (true, Some(until)) => format!("covered until {until}"),
                    _ => "no one on duty now".to_string(),
                };
                say!(
                    "{} ({}): {} on {}, {now}",
                    d.rota,
                    d.rota_id,
                    d.role,
                    d.contact
                );
            }
        }
        DutyCommand::Create {
            name,
            role,
            contact,
            pattern,
            services,
            response_hours,
            out_of_hours_by,
            handover_at,
        } => {
            let input = RotaInput {
                name,
                role,
                contact,
                pattern,
                services,
                response_hours,
                out_of_hours_by,
                handover_at,
            };
            let rota = app.create_duty_rota(&cli, &input).await.map_err(describe)?;
            say!("Added {}: {}.", rota.name, rota.pattern);
        }
    }
    Ok(ExitCode::SUCCESS)
}
