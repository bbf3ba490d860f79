//! The command's subcommands, a module each.

pub mod audit;
pub mod backup;
pub mod duty;
pub mod import;
pub mod marac;
pub mod people;
pub mod programme;
pub mod report;
pub mod rules;
pub mod serve;
pub mod templates;
pub mod token;
pub mod user;

use anyhow::{Result, anyhow};
use app::{App, command_line_actor};

use crate::describe;

/// Finds an organisation by id or (case-insensitive) name.
pub async fn organisation_id(app: &App, name_or_id: &str) -> Result<String> {
    let orgs = app
        .organisations(&command_line_actor())
        .await
        .map_err(describe)?;
    orgs.iter()
        .find(|o| o.id == name_or_id || o.name.eq_ignore_ascii_case(name_or_id))
        .map(|o| o.id.clone())
        .ok_or_else(|| {
            anyhow!(
                "no organisation called '{name_or_id}': see the Organisations page or add it first"
            )
        })
}

pub async fn service_id(app: &App, name_or_id: &str) -> Result<String> {
    let services = app
        .services(&command_line_actor())
        .await
        .map_err(describe)?;
    services
        .iter()
        .find(|s| s.id == name_or_id || s.name.eq_ignore_ascii_case(name_or_id))
        .map(|s| s.id.clone())
        .ok_or_else(|| anyhow!("no service called '{name_or_id}'"))
}
