//! `waymark marac`: set up MARACs and schedule their meetings.

use std::process::ExitCode;

use anyhow::{Result, anyhow};
use app::command_line_actor;
use app::marac::{AgencyInput, MaracInput};
use clap::Subcommand;

use crate::config::Config;
use crate::logging::say;
use crate::{describe, ready};

#[derive(Subcommand)]
pub enum MaracCommand {
    /// List the MARACs, their agencies and coming meetings.
    List,
    /// Add a MARAC for an area, with its member agencies.
    Create {
        #[arg(long)]
        name: String,
        /// The area it covers (a district or force area), by name.
        #[arg(long)]
        area: String,
        /// A member agency as NAME=KIND (police, childrens_social_care,
        /// adult_social_care, health, housing, probation, idva, education,
        /// other), or NAME=KIND@ORGANISATION to name the organisation whose
        /// MARAC members speak for it; repeat for each.
        #[arg(long = "agency")]
        agencies: Vec<String>,
        /// The agenda's order: keys separated by commas (repeats, children,
        /// highest_score, referred). Default: repeats, children, referred.
        #[arg(long, default_value = "")]
        agenda_order: String,
        /// Working days after a meeting that its minutes and actions are due.
        #[arg(long, default_value_t = 5)]
        minutes_days: i64,
    },
    /// Schedule a meeting of a MARAC (by name) on a day, as day/month/year.
    Meeting { marac: String, on: String },
}

pub async fn marac(config: &Config, command: MaracCommand) -> Result<ExitCode> {
    let app = ready(config).await?;
    let cli = command_line_actor();
    match command {
        MaracCommand::List => {
            let today = app.today().to_string();
            for m in app.maracs().await.map_err(describe)? {
                say!("{} ({}), agenda: {}", m.name, m.area_name, m.agenda_order);
                for (meeting, on) in app.marac_meetings(&m.id, &today).await.map_err(describe)? {
                    say!("  meets {on} ({meeting})");
                }
            }
        }
        MaracCommand::Create {
            name,
            area,
            agencies,
            agenda_order,
            minutes_days,
        } => {
            let areas = app.areas(&cli).await.map_err(describe)?;
            let area_id = areas
                .iter()
                .find(|a| a.name.eq_ignore_ascii_case(&area) || a.id == area)
                .map(|a| a.id.clone())
                .ok_or_else(|| anyhow!("no area called '{area}'"))?;
            let agencies = agencies
                .iter()
                .map(|a| {
                    let (name, kind) = a
                        .rsplit_once('=')
                        .ok_or_else(|| anyhow!("give each agency as NAME=KIND, not '{a}'"))?;
                    let (kind, organisation) = kind.split_once('@').unwrap_or((kind, ""));
                    Ok(AgencyInput::new(name, kind, organisation))
                })
                .collect::<Result<Vec<_>>>()?;
            let input = MaracInput {
                name,
                area_id,
                agencies,
                agenda_order,
                minutes_due_days: minutes_days,
            };
            let m = app.create_marac(&cli, &input).await.map_err(describe)?;
            say!("Added {} for {}.", m.name, area);
        }
        MaracCommand::Meeting { marac, on } => {
            let m = app
                .maracs()
                .await
                .map_err(describe)?
                .into_iter()
                .find(|m| m.name.eq_ignore_ascii_case(&marac) || m.id == marac)
                .ok_or_else(|| anyhow!("no MARAC called '{marac}'"))?;
            let meeting = app
                .schedule_marac_meeting(&cli, &m.id, &on)
                .await
                .map_err(describe)?;
            say!("{} meets on {}.", m.name, meeting.meets_on);
        }
    }
    Ok(ExitCode::SUCCESS)
}
