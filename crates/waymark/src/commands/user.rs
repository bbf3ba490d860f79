//! Staff accounts at the command line.

use anyhow::{Context, Result};
use app::command_line_actor;
use clap::Subcommand;

use super::{organisation_id, service_id};
use crate::describe;
use crate::logging::say;
use app::App;

#[derive(Subcommand)]
pub enum UserCommand {
    /// Add a member of staff. Prints a generated first password unless --password-stdin.
    Add {
        /// Work email address, used to sign in.
        #[arg(long)]
        username: String,
        /// Full name.
        #[arg(long)]
        name: String,
        /// Organisation name or id.
        #[arg(long)]
        organisation: String,
        /// Service name or id (needed for caseworkers, team leaders and service managers).
        #[arg(long)]
        service: Option<String>,
        /// caseworker, team_leader, service_manager, commissioner, auditor or administrator.
        #[arg(long)]
        role: String,
        /// Give administrators and auditors their role everywhere, not only in their organisation.
        #[arg(long)]
        everywhere: bool,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// List staff accounts.
    List,
    /// Disable an account and end its sessions.
    Disable { username: String },
    /// Enable a disabled account.
    Enable { username: String },
    /// Set a new password. Prints a generated one unless --password-stdin.
    ResetPassword {
        username: String,
        #[arg(long)]
        password_stdin: bool,
    },
}

/// A password from standard input, or a new random one to print.
fn password(from_stdin: bool) -> Result<(String, bool)> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin()
            .read_line(&mut line)
            .context("cannot read the password from standard input")?;
        return Ok((line.trim_end_matches(['\r', '\n']).to_string(), false));
    }
    Ok((
        app::random_token()
            .map_err(describe)?
            .chars()
            .take(20)
            .collect(),
        true,
    ))
}

pub async fn user(app: &App, command: UserCommand) -> Result<()> {
    let actor = command_line_actor();
    match command {
        UserCommand::Add {
            username,
            name,
            organisation,
            service,
            role,
            everywhere,
            password_stdin,
        } => {
            let organisation_id = organisation_id(app, &organisation).await?;
            let service_id = match service {
                Some(s) => Some(service_id(app, &s).await?),
                None => None,
            };
            let (password, generated) = password(password_stdin)?;
            let input = app::staff::NewStaff {
                username,
                display_name: name,
                organisation_id,
                service_id,
                team_id: None,
                role: role.clone(),
                password: password.clone(),
            };
            let user = app.create_staff(&actor, &input).await.map_err(describe)?;
            if everywhere {
                app.add_grant(&actor, &user.id, &role, "everywhere")
                    .await
                    .map_err(describe)?;
            }
            say!("Added {} ({}).", user.display_name, user.username);
            if generated {
                say!("First password: {password}");
                say!("Give it to them safely; they should change it after signing in.");
            }
        }
        UserCommand::List => {
            for u in app.staff(&actor, None).await.map_err(describe)? {
                let status = if u.disabled != 0 {
                    "disabled"
                } else {
                    "active"
                };
                say!(
                    "{}\t{}\t{}\t{}\t{status}",
                    u.id,
                    u.username,
                    u.display_name,
                    u.organisation_name
                );
            }
        }
        UserCommand::Disable { username } => {
            let user = app.staff_by_username(&username).await.map_err(describe)?;
            app.set_staff_disabled(&actor, &user.id, true)
                .await
                .map_err(describe)?;
            say!("Disabled {} and ended their sessions.", user.username);
        }
        UserCommand::Enable { username } => {
            let user = app.staff_by_username(&username).await.map_err(describe)?;
            app.set_staff_disabled(&actor, &user.id, false)
                .await
                .map_err(describe)?;
            say!("Enabled {}.", user.username);
        }
        UserCommand::ResetPassword {
            username,
            password_stdin,
        } => {
            let user = app.staff_by_username(&username).await.map_err(describe)?;
            let (password, generated) = password(password_stdin)?;
            app.reset_staff_password(&actor, &user.id, &password)
                .await
                .map_err(describe)?;
            say!(
                "Password changed for {}; their sessions have ended.",
                user.username
            );
            if generated {
                say!("New password: {password}");
            }
        }
    }
    Ok(())
}
