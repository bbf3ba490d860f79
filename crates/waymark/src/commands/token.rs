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
        /// Scopes: directory:read, casework:read, casework:write, staff:read,
        /// audit:read, admin, referrals:write. Repeat for several.
        #[arg(long = "scope", required = true)]
        scopes: Vec<String>,
    },
    /// List tokens (never their secrets).
    List,
    /// Revoke a token by id.
    Revoke { id: String },
    /// Set how many requests a minute a token may make.
    Rate {
        id: String,
        /// Requests a minute; a quarter of them may come at once.
        #[arg(long, conflicts_with = "default")]
        per_minute: Option<i64>,
        /// Use the server's default (WAYMARK_API_RATE_PER_MINUTE) again.
        #[arg(long)]
        default: bool,
    },
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
        TokenCommand::Rate {
            id,
            per_minute,
            default,
        } => {
            if per_minute.is_none() && !default {
                anyhow::bail!("give --per-minute N, or --default for the server's own rate");
            }
            let token = app
                .set_token_rate(&actor, &id, per_minute)
                .await
                .map_err(describe)?;
            match token.rate_per_minute {
                Some(rate) => say!("Token {id} may make {rate} requests a minute."),
                None => say!("Token {id} makes requests at the server's default rate."),
            }
        }
    }
    Ok(())
}
