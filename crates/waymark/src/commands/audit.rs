//! The audit log.

use anyhow::Result;
use clap::Subcommand;
use std::process::ExitCode;

use crate::logging::say;
use crate::{Config, describe, ready};

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Check the audit log's hash chain; exits 1 and names the first broken link.
    Verify,
}

/// Verifies the audit log's chain.
pub async fn audit(config: &Config, command: AuditCommand) -> Result<ExitCode> {
    let AuditCommand::Verify = command;
    let app = ready(config).await?;
    match app.verify_audit().await.map_err(describe)? {
        Ok(n) => say!("The audit log is intact: {n} events checked."),
        Err(broken) => {
            say!("The audit log is broken: {broken}");
            return Ok(ExitCode::from(1));
        }
    }
    Ok(ExitCode::SUCCESS)
}
