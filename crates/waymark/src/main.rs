//! The `waymark` command: serve the application, migrate its database,
//! run the demonstration, and manage users, API tokens and the audit log.

use std::process::ExitCode;

use anyhow::{Result, anyhow};
use app::{App, AppError};
use clap::{Parser, Subcommand};
use store::Db;

// mimalloc gives freed memory back where the system allocator kept it:
// 159 MB against 250 MB after 200 sign-ins and three mixed runs
// (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod commands;
mod config;
mod logging;

use commands::audit::AuditCommand;
use commands::duty::DutyCommand;
use commands::import::ImportCommand;
use commands::marac::MaracCommand;
use commands::people::PeopleCommand;
use commands::programme::ProgrammeCommand;
use commands::report::ReportCommand;
use commands::rules::{CalendarCommand, ClocksCommand, CrimeTypesCommand};
use commands::templates::TemplatesCommand;
use commands::token::TokenCommand;
use commands::user::UserCommand;
use config::Config;

use logging::say;

#[derive(Parser)]
#[command(
    name = "waymark",
    version,
    about = "Waymark: case management and commissioning for victims' services"
)]
struct Cli {
    #[command(flatten)]
    config: Config,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web application and API (the schema must be migrated first).
    Serve,
    /// Apply database migrations.
    Migrate,
    /// Copy the database to FILE while others go on writing, then check the
    /// copy (integrity and the audit log's chain).
    Backup {
        /// The backup to write; it must not exist yet.
        file: std::path::PathBuf,
    },
    /// Put a backup in place of the database, after checking it. Refuses a
    /// database that holds data unless asked to replace it.
    Restore {
        /// The backup to restore.
        file: std::path::PathBuf,
        /// Overwrite a database that holds data (stop the server first).
        #[arg(long)]
        replace: bool,
    },
    /// Create a fresh database with fictional demonstration data and serve it.
    Demo {
        /// How many synthetic referrals to generate over the last year.
        #[arg(long, default_value_t = 2000)]
        referrals: usize,
        /// Seed for the generator: the same seed gives the same data.
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        /// Create the data and stop, without serving (for benchmarks).
        #[arg(long)]
        no_serve: bool,
    },
    /// Manage staff accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage API tokens for machine clients.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Work with the audit log.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Bank holiday calendars used for Victims' Code deadlines.
    #[command(subcommand)]
    Calendar(CalendarCommand),
    /// Produce returns.
    #[command(subcommand)]
    Report(ReportCommand),
    /// Import data from files.
    #[command(subcommand)]
    Import(ImportCommand),
    /// The Victims' Code clocks and their local lengths.
    #[command(subcommand)]
    Clocks(ClocksCommand),
    /// Crime types and their consent rules.
    #[command(subcommand, name = "crime-types")]
    CrimeTypes(CrimeTypesCommand),
    /// People records: find those that may be one victim entered twice.
    #[command(subcommand)]
    People(PeopleCommand),
    /// MARACs: add one with its agencies, schedule meetings, list them.
    #[command(subcommand)]
    Marac(MaracCommand),
    /// Duty rotas: add one shared by services, list who is on duty.
    #[command(subcommand)]
    Duty(DutyCommand),
    /// Programmes (pilots): add one, list them, import a baseline.
    #[command(subcommand)]
    Programme(ProgrammeCommand),
    /// Risk assessment templates: list, import a file, set a service's bands.
    #[command(subcommand)]
    Templates(TemplatesCommand),
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    logging::init(cli.config.log_json);
    match run(cli).await {
        Ok(code) => code,
        Err(e) => {
            let _ =
                std::io::Write::write_fmt(&mut std::io::stderr(), format_args!("waymark: {e:#}\n"));
            ExitCode::FAILURE
        }
    }
}

async fn connect(config: &Config, url: &str) -> Result<App> {
    let options = store::DbOptions {
        sqlite_cache_mib: config.sqlite_cache_mb,
    };
    let db = Db::connect_with(url, options)
        .await
        .map_err(|e| anyhow!("cannot open the database: {e}"))?;
    Ok(App::new(db, config.settings()))
}

fn describe(e: AppError) -> anyhow::Error {
    match e {
        AppError::Invalid(errors) => anyhow!(
            "{}",
            errors
                .0
                .iter()
                .map(|e| if e.field == "file" {
                    e.message.clone()
                } else {
                    format!("{}: {}", e.field, e.message)
                })
                .collect::<Vec<_>>()
                .join("; ")
        ),
        AppError::NotFound => anyhow!("not found"),
        other => anyhow!("{other}"),
    }
}

async fn run(cli: Cli) -> Result<ExitCode> {
    let config = cli.config;
    match cli.command {
        Command::Serve => {
            let app = ready(&config).await?;
            commands::serve::serve(app, &config).await?;
        }
        Command::Backup { file } => return commands::backup::backup(&config, &file).await,
        Command::Restore { file, replace } => {
            return commands::backup::restore(&config, &file, replace).await;
        }
        Command::Migrate => {
            let app = connect(&config, &config.database_url("waymark.sqlite")?).await?;
            let applied = app.migrate().await.map_err(describe)?;
            if applied.is_empty() {
                say!("The database is up to date.");
            } else {
                say!("Applied migrations: {applied:?}");
            }
        }
        Command::Demo {
            referrals,
            seed,
            no_serve,
        } => commands::serve::demo(config, referrals, seed, no_serve).await?,
        Command::User(command) => {
            let app = ready(&config).await?;
            commands::user::user(&app, command).await?;
        }
        Command::Token(command) => {
            let app = ready(&config).await?;
            commands::token::token(&app, command).await?;
        }
        Command::Calendar(command) => return commands::rules::calendar(&config, command).await,
        Command::Report(command) => return commands::report::report(&config, command).await,
        Command::Import(command) => return commands::import::import(&config, command).await,
        Command::Clocks(command) => return commands::rules::clocks(&config, command).await,
        Command::CrimeTypes(command) => {
            return commands::rules::crime_types(&config, command).await;
        }
        Command::Audit(command) => return commands::audit::audit(&config, command).await,
        Command::People(command) => return commands::people::people(&config, command).await,
        Command::Marac(command) => return commands::marac::marac(&config, command).await,
        Command::Duty(command) => return commands::duty::duty(&config, command).await,
        Command::Programme(command) => {
            return commands::programme::programme(&config, command).await;
        }
        Command::Templates(command) => {
            return commands::templates::templates(&config, command).await;
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn ready(config: &Config) -> Result<App> {
    let app = connect(config, &config.database_url("waymark.sqlite")?).await?;
    app.check_schema().await.map_err(describe)?;
    Ok(app)
}
