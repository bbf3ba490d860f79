//! API tokens at the command line.

use anyhow::Result;
use app::command_line_actor;
use clap::Subcommand;

use super::{organisation_id, service_id};
use crate::describe;
use crate::logging::say;
use app::App;

#[derive(Subcommand)]
pub enum TokenCommand {
    /// Issue a token; it is printed once and stored only as a hash.
    Create {
        /// Who or what uses it.
        #[arg(long)]
        name: String,
        /// Organisation name or id the token acts for.
        #[arg(long)]
        organisation: String,
        /// Narrow it to one service (name or id).
        #[arg(long)]
        service: Option<String>,
        /// Scopes: directory:read, staff:read, audit:read, admin. Repeat for several.
        #[arg(long = "scope", required = true)]
        scopes: Vec<String>,
    },
    /// List tokens (never their secrets).
    List,
    /// Revoke a token by id.
    Revoke { id: String },
}

pub async fn token(app: &App, command: TokenCommand) -> Result<()> {
    let actor = command_line_actor();
    match command {
        TokenCommand::Create {
            name,
            organisation,
            service,
            scopes,
        } => {
            let organisation_id = organisation_id(app, &organisation).await?;
            let service_id = match service {
                Some(s) => Some(service_id(app, &s).await?),
                None => None,
            };
            let input = app::tokens::NewTokenInput {
                name: &name,
                organisation_id: &organisation_id,
                service_id: service_id.as_deref(),
                scopes: &scopes,
            };
            let issued = app.create_token(&actor, input).await.map_err(describe)?;
            say!(
                "Token {} created. It is shown once; store it securely:",
                issued.token.id
            );
            say!("{}", issued.secret);
        }
        TokenCommand::List => {
            for t in app.tokens(&actor).await.map_err(describe)? {
                let status = if t.revoked_at.is_some() {
                    "revoked"
                } else {
                    "live"
                };
                say!(
                    "{}\t{}\t{}…\t{}\t{}\t{status}",
                    t.id,
                    t.name,
                    t.prefix,
                    t.organisation_name,
                    t.scopes
                );
            }
        }
        TokenCommand::Revoke { id } => {
            app.revoke_token(&actor, &id).await.map_err(describe)?;
            say!("Revoked token {id}.");
        }
    }
    Ok(())
}
