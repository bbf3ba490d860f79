//! The `waymark` command: serve the application, migrate its database,
//! run the demonstration, and manage users, API tokens and the audit log.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow, bail};
use app::{App, AppError, Settings, command_line_actor};
use clap::{Args, Parser, Subcommand};
use store::Db;
use web::WebConfig;

mod logging;

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

#[derive(Args, Clone)]
struct Config {
    /// Database URL: sqlite://PATH or postgres://USER:PASSWORD@HOST:PORT/DATABASE.
    /// Default: waymark.sqlite in the data folder.
    #[arg(
        long,
        env = "WAYMARK_DATABASE_URL",
        global = true,
        hide_env_values = true
    )]
    database_url: Option<String>,
    /// Folder for the SQLite database and other files.
    #[arg(long, env = "WAYMARK_DATA_DIR", default_value = "data", global = true)]
    data_dir: PathBuf,
    /// Address and port to serve on.
    #[arg(
        long,
        env = "WAYMARK_LISTEN",
        default_value = "127.0.0.1:8080",
        global = true
    )]
    listen: SocketAddr,
    /// Development only: plain http cookies (no Secure flag or __Host- prefix).
    /// Allowed only when listening on a loopback address.
    #[arg(long, env = "WAYMARK_DEV_HTTP", global = true)]
    dev_http: bool,
    /// Minutes without a request after which a session ends.
    #[arg(
        long,
        env = "WAYMARK_IDLE_TIMEOUT_MINUTES",
        default_value_t = 30,
        global = true
    )]
    idle_timeout_minutes: i64,
    /// Hours after sign-in after which a session ends, however busy.
    #[arg(
        long,
        env = "WAYMARK_ABSOLUTE_TIMEOUT_HOURS",
        default_value_t = 12,
        global = true
    )]
    absolute_timeout_hours: i64,
    /// Require a second factor (authenticator app) of everyone, not only administrators.
    #[arg(long, env = "WAYMARK_REQUIRE_SECOND_FACTOR", global = true)]
    require_second_factor: bool,
    /// Take client addresses from X-Forwarded-For (only behind a proxy that sets it).
    #[arg(long, env = "WAYMARK_TRUST_FORWARDED_FOR", global = true)]
    trust_forwarded_for: bool,
    /// Warn in the log and on /readyz when the data folder has fewer free
    /// megabytes than this.
    #[arg(
        long,
        env = "WAYMARK_LOW_SPACE_WARNING_MB",
        default_value_t = 1000,
        global = true
    )]
    low_space_warning_mb: u64,
    /// Log as JSON lines instead of text.
    #[arg(long, env = "WAYMARK_LOG_JSON", global = true)]
    log_json: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web application and API (the schema must be migrated first).
    Serve,
    /// Apply database migrations.
    Migrate,
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
}

#[derive(Subcommand)]
enum CrimeTypesCommand {
    /// List the crime types offered, with their consent rules.
    List,
    /// Add a crime type, or change one's name or consent rule.
    Set {
        /// A code of lower-case letters, digits and underscores.
        code: String,
        /// The name people see.
        #[arg(long)]
        label: String,
        /// opt-in (passed on only with consent) or opt-out (unless declined).
        #[arg(long)]
        consent: String,
    },
    /// Stop offering a crime type; referrals that have it keep it.
    Retire { code: String },
}

#[derive(Subcommand)]
enum ClocksCommand {
    /// List the clocks in force.
    List,
    /// Set a clock's length in working days (for enhanced victims too, optionally).
    Set {
        /// referral_passed, information_given or first_contact.
        code: String,
        #[arg(long)]
        working_days: i64,
        #[arg(long)]
        enhanced_working_days: Option<i64>,
    },
}

#[derive(Subcommand)]
enum ImportCommand {
    /// Import a police referral feed (CSV; see docs/police-feed.md). Every bad
    /// row is reported by line and column; good rows are imported. Exits 0
    /// only if every row was imported (or, with --dry-run, would be).
    Referrals {
        file: PathBuf,
        /// The sending organisation (name or id): its references make
        /// re-imports of the same file create nothing new.
        #[arg(long)]
        sender: String,
        /// Check the file and report, without importing anything.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Subcommand)]
enum ReportCommand {
    /// The MoJ monitoring return and Victims' Code compliance for a period.
    Moj {
        /// First day of the period (YYYY-MM-DD).
        #[arg(long)]
        from: String,
        /// Last day of the period (YYYY-MM-DD).
        #[arg(long)]
        to: String,
        /// A service by name or id; repeat for several; all services if none.
        #[arg(long = "service")]
        services: Vec<String>,
        /// html, csv or xlsx.
        #[arg(long, default_value = "html")]
        format: String,
        /// The file to write.
        #[arg(long)]
        output: PathBuf,
        /// Show counts from 1 to 4 as they are (only for the service's own use).
        #[arg(long)]
        unsuppressed: bool,
    },
}

#[derive(Subcommand)]
enum CalendarCommand {
    /// Load announced bank holiday changes (lines of nation,date,add|remove,name)
    /// without a new release. Nothing is loaded if any line is wrong.
    Import { file: PathBuf },
}

#[derive(Subcommand)]
enum UserCommand {
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

#[derive(Subcommand)]
enum TokenCommand {
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

#[derive(Subcommand)]
enum AuditCommand {
    /// Check the audit log's hash chain; exits 1 and names the first broken link.
    Verify,
}

impl Config {
    fn database_url(&self, file: &str) -> Result<String> {
        if let Some(url) = &self.database_url {
            return Ok(url.clone());
        }
        std::fs::create_dir_all(&self.data_dir).with_context(|| {
            format!("cannot create the data folder {}", self.data_dir.display())
        })?;
        Ok(format!("sqlite://{}", self.data_dir.join(file).display()))
    }

    fn settings(&self) -> Settings {
        Settings {
            idle_timeout_secs: self.idle_timeout_minutes.max(1) * 60,
            absolute_timeout_secs: self.absolute_timeout_hours.max(1) * 3600,
            require_totp_for_all: self.require_second_factor,
            ..Settings::default()
        }
    }

    fn web(&self) -> Result<WebConfig> {
        if self.dev_http && !self.listen.ip().is_loopback() {
            bail!(
                "--dev-http is only allowed when listening on a loopback address such as 127.0.0.1"
            );
        }
        Ok(WebConfig {
            secure_cookies: !self.dev_http,
            trust_forwarded_for: self.trust_forwarded_for,
            low_space_warning_bytes: self.low_space_warning_mb.saturating_mul(1_000_000),
        })
    }
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
    let db = Db::connect(url)
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
            let app = connect(&config, &config.database_url("waymark.sqlite")?).await?;
            app.check_schema().await.map_err(describe)?;
            serve(app, &config).await?;
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
        } => demo(config, referrals, seed, no_serve).await?,
        Command::User(command) => {
            let app = ready(&config).await?;
            user(&app, command).await?;
        }
        Command::Token(command) => {
            let app = ready(&config).await?;
            token(&app, command).await?;
        }
        Command::Calendar(CalendarCommand::Import { file }) => {
            let app = ready(&config).await?;
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {} as UTF-8 text", file.display()))?;
            let count = app.import_holiday_changes(&text).await.map_err(describe)?;
            say!(
                "Loaded {count} bank holiday changes from {}.",
                file.display()
            );
        }
        Command::Report(ReportCommand::Moj {
            from,
            to,
            services,
            format,
            output,
            unsuppressed,
        }) => {
            let app = ready(&config).await?;
            let from = from
                .parse()
                .map_err(|_| anyhow!("--from: enter the first day as YYYY-MM-DD"))?;
            let to = to
                .parse()
                .map_err(|_| anyhow!("--to: enter the last day as YYYY-MM-DD"))?;
            let report = app
                .moj_return_for_system(from, to, &services, !unsuppressed)
                .await
                .map_err(describe)?;
            let bytes = match format.as_str() {
                "html" => report.to_html().into_bytes(),
                "csv" => report.to_csv().into_bytes(),
                "xlsx" => report.to_xlsx().map_err(describe)?,
                other => bail!("--format: '{other}' is not a format; use html, csv or xlsx"),
            };
            std::fs::write(&output, bytes)
                .with_context(|| format!("cannot write {}", output.display()))?;
            say!(
                "Wrote the return for {from} to {to} to {}.",
                output.display()
            );
        }
        Command::Import(ImportCommand::Referrals {
            file,
            sender,
            dry_run,
        }) => {
            let app = ready(&config).await?;
            let sender_id = organisation_id(&app, &sender).await?;
            let bytes =
                std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let actor = domain::policy::Actor {
                id: format!("import:{sender_id}"),
                label: format!(
                    "import of {}",
                    file.file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default()
                ),
                organisation_id: sender_id,
                grants: vec![domain::policy::Grant {
                    role: domain::policy::Role::Referrer,
                    scope: domain::policy::GrantScope::Everywhere,
                }],
            };
            let report = app
                .import_referrals(&actor, &bytes, dry_run)
                .await
                .map_err(describe)?;
            const SHOWN: usize = 200;
            for error in report.errors.iter().take(SHOWN) {
                say!("{error}");
            }
            if report.errors.len() > SHOWN {
                say!("… and {} more problems", report.errors.len() - SHOWN);
            }
            say!(
                "{} rows read: {} valid, {} with problems; {} imported, {} already received{}.",
                report.rows,
                report.valid,
                report.rows - report.valid,
                report.imported,
                report.already_received,
                if dry_run {
                    " (dry run: nothing imported)"
                } else {
                    ""
                }
            );
            if !report.errors.is_empty() {
                return Ok(ExitCode::from(1));
            }
        }
        Command::Clocks(command) => {
            let app = ready(&config).await?;
            if let ClocksCommand::Set {
                code,
                working_days,
                enhanced_working_days,
            } = &command
            {
                app.set_clock(
                    &command_line_actor(),
                    code,
                    *working_days,
                    *enhanced_working_days,
                )
                .await
                .map_err(describe)?;
            }
            for clock in app.clocks().await.map_err(describe)? {
                let enhanced = clock
                    .enhanced_working_days
                    .map(|d| format!(", {d} for enhanced victims"))
                    .unwrap_or_default();
                say!(
                    "{}\t{}: {} working days{enhanced}",
                    clock.code,
                    clock.label,
                    clock.working_days
                );
            }
        }
        Command::CrimeTypes(command) => {
            let app = ready(&config).await?;
            let cli = command_line_actor();
            match &command {
                CrimeTypesCommand::List => {}
                CrimeTypesCommand::Set {
                    code,
                    label,
                    consent,
                } => {
                    app.set_crime_type(&cli, code, label, consent, true)
                        .await
                        .map_err(describe)?;
                }
                CrimeTypesCommand::Retire { code } => {
                    app.offer_crime_type(&cli, code, false)
                        .await
                        .map_err(describe)?;
                }
            }
            for t in app.crime_types().await.map_err(describe)? {
                say!(
                    "{}\t{}\t{}",
                    t.code,
                    t.label,
                    t.consent_rule.replace('_', "-")
                );
            }
        }
        Command::Audit(AuditCommand::Verify) => {
            let app = ready(&config).await?;
            match app.verify_audit().await.map_err(describe)? {
                Ok(n) => say!("The audit log is intact: {n} events checked."),
                Err(broken) => {
                    say!("The audit log is broken: {broken}");
                    return Ok(ExitCode::from(1));
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn ready(config: &Config) -> Result<App> {
    let app = connect(config, &config.database_url("waymark.sqlite")?).await?;
    app.check_schema().await.map_err(describe)?;
    Ok(app)
}

async fn serve(app: App, config: &Config) -> Result<()> {
    let web = config.web()?;
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    let address = listener.local_addr()?;
    tracing::info!(%address, "serving");
    if let Some(free) = app.db.free_space() {
        // Below the threshold, the server's watch warns as soon as it starts.
        tracing::info!(free_mb = free / 1_000_000, "free space in the data folder");
        say!("Free space in the data folder: {} MB", free / 1_000_000);
    }
    say!("Waymark is running at http://{address}/ (press Ctrl+C to stop)");
    web::serve(listener, app, web).await?;
    Ok(())
}

async fn demo(mut config: Config, referrals: usize, seed: u64, no_serve: bool) -> Result<()> {
    let url = match &config.database_url {
        Some(url) => url.clone(),
        None => {
            // A fresh file every time, beside (not instead of) any real database.
            let path = config.data_dir.join("demo.sqlite");
            for suffix in ["", "-wal", "-shm"] {
                let file = PathBuf::from(format!("{}{suffix}", path.display()));
                if file.exists() {
                    std::fs::remove_file(&file)
                        .with_context(|| format!("cannot remove {}", file.display()))?;
                }
            }
            config.database_url("demo.sqlite")?
        }
    };
    let app = connect(&config, &url).await?;
    app.migrate().await.map_err(describe)?;
    app::demo::seed(&app).await.map_err(describe)?;
    if referrals > 0 {
        let bar = indicatif::ProgressBar::new(referrals as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "Generating referrals {bar:40} {pos}/{len} ({per_sec}, {eta} left)",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        let generated = app::demo::generate(&app, referrals, seed, &|n| bar.set_position(n as u64))
            .await
            .map_err(describe)?;
        bar.finish_and_clear();
        say!(
            "Generated {} referrals, {} cases ({} closed with outcomes) over the last year.",
            generated.referrals,
            generated.cases,
            generated.closed
        );
    }
    if no_serve {
        return Ok(());
    }
    if config.listen.ip().is_loopback() && !config.dev_http {
        // Browsers will not keep Secure cookies from plain http; the demo is local.
        config.dev_http = true;
    }
    say!();
    say!("Waymark demonstration: every organisation, place and person in it is fictional.");
    say!(
        "Open http://{}/ and sign in with one of these (password for all: {}):",
        config.listen,
        app::demo::DEMO_PASSWORD
    );
    for login in app::demo::DEMO_LOGINS {
        say!("  {:<38} {:<16} {}", login.username, login.role, login.note);
    }
    say!();
    serve(app, &config).await
}

/// Finds an organisation by id or (case-insensitive) name.
async fn organisation_id(app: &App, name_or_id: &str) -> Result<String> {
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

async fn service_id(app: &App, name_or_id: &str) -> Result<String> {
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

async fn user(app: &App, command: UserCommand) -> Result<()> {
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

async fn token(app: &App, command: TokenCommand) -> Result<()> {
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
