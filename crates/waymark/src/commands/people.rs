//! `waymark people`: work on the people records of every service.

use std::process::ExitCode;

use anyhow::Result;
use app::command_line_actor;
use clap::Subcommand;

use crate::config::Config;
use crate::logging::say;
use crate::{describe, ready};

#[derive(Subcommand)]
pub enum PeopleCommand {
    /// Search every service's people for records that may be one victim
    /// entered twice, and put each pair on the service's "possibly the same
    /// person" list for a caseworker to merge or dismiss. Pairs already on
    /// the list, waiting or decided, are not added again. Nothing is merged.
    FindDuplicates,
}

pub async fn people(config: &Config, command: PeopleCommand) -> Result<ExitCode> {
    let PeopleCommand::FindDuplicates = command;
    let app = ready(config).await?;
    let found = app
        .find_possible_duplicates(&command_line_actor())
        .await
        .map_err(describe)?;
    for service in &found {
        say!(
            "{}: {} pairs alike, {} new on its list.",
            service.service_name,
            service.alike,
            service.added
        );
    }
    let added: u64 = found.iter().map(|s| s.added).sum();
    say!("{added} pairs added to review lists.");
    Ok(ExitCode::SUCCESS)
}
