//! Backups that complete while people write, and checked restores.
//!
//! SQLite: `VACUUM INTO` a file beside the backup's name, then the copy is
//! opened and checked (SQLite's integrity check, and the audit log's chain)
//! before it takes its name, so a file with the backup's name is always a
//! whole, checked copy. PostgreSQL: `pg_dump` in its custom format, checked
//! by restoring it into a scratch database and verifying the chain there.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{Context, Result, anyhow, bail};
use app::App;
use store::{Backend, Db};

use crate::logging::say;
use crate::{Config, connect, describe, ready};

/// Where a backup is written until it has been checked.
fn partial(file: &Path) -> PathBuf {
    PathBuf::from(format!("{}.partial", file.display()))
}

/// What checking a copy found: the events of an intact audit chain.
async fn checked(copy: &Db) -> Result<u64> {
    let integrity = copy
        .integrity_check()
        .await
        .map_err(|e| anyhow!("cannot check the copy: {e}"))?;
    if integrity != "ok" {
        bail!("the copy failed SQLite's integrity check: {integrity}");
    }
    let app = App::new(copy.clone(), app::Settings::default());
    match app.verify_audit().await.map_err(describe)? {
        Ok(events) => Ok(events),
        Err(broken) => bail!("the copy's audit log is broken: {broken}"),
    }
}

/// Opens a copy of a SQLite database to check it (never the backup a
/// restore was given: its copy).
async fn open_copy(file: &Path) -> Result<Db> {
    Db::connect(&format!("sqlite://{}", file.display()))
        .await
        .map_err(|e| anyhow!("cannot open {}: {e}", file.display()))
}

/// Runs a PostgreSQL client program; its error output names what failed.
fn run(program: &str, args: &[&str]) -> Result<()> {
    let output = Command::new(program)
        .args(args)
        .output()
        .with_context(|| format!("cannot run {program}: install PostgreSQL's client programs"))?;
    if !output.status.success() {
        bail!(
            "{program} failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(())
}

/// The address of another database on the same PostgreSQL server.
fn sibling_url(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (url, String::new()),
    };
    let server = base.rsplit_once('/').map(|(s, _)| s).unwrap_or(base);
    format!("{server}/{database}{query}")
}

/// Restores a PostgreSQL backup into a scratch database, verifies its
/// chain there, and drops it.
async fn check_postgres_copy(live: &Db, url: &str, file: &Path) -> Result<u64> {
    let scratch = format!("waymark_check_{}", std::process::id());
    live.create_database(&scratch)
        .await
        .map_err(|e| anyhow!("cannot make a scratch database to check the copy: {e}"))?;
    let scratch_url = sibling_url(url, &scratch);
    let file_text = file.display().to_string();
    let result = async {
        run(
            "pg_restore",
            &[
                "--no-owner",
                "--exit-on-error",
                "-d",
                &scratch_url,
                &file_text,
            ],
        )?;
        let copy = Db::connect(&scratch_url)
            .await
            .map_err(|e| anyhow!("cannot open the restored copy: {e}"))?;
        let events = checked(&copy).await;
        copy.close().await;
        events
    }
    .await;
    let _ = live.drop_database(&scratch).await;
    result
}

/// `waymark backup FILE`.
pub async fn backup(config: &Config, file: &Path) -> Result<ExitCode> {
    if file.exists() {
        bail!(
            "{} already exists: choose a new name, so no backup is overwritten",
            file.display()
        );
    }
    let app = ready(config).await?;
    let url = config.database_url("waymark.sqlite")?;
    let partial = partial(file);
    let _ = std::fs::remove_file(&partial);
    let started = std::time::Instant::now();
    let events = match app.db.backend() {
        Backend::Sqlite => {
            app.db
                .copy_into(&partial)
                .await
                .map_err(|e| anyhow!("the backup failed: {e}"))?;
            let copy = open_copy(&partial).await?;
            let events = checked(&copy).await;
            copy.close().await;
            events
        }
        Backend::Postgres => {
            let target = partial.display().to_string();
            run(
                "pg_dump",
                &["--format=custom", "--no-owner", "--file", &target, &url],
            )?;
            check_postgres_copy(&app.db, &url, &partial).await
        }
    };
    let events = match events {
        Ok(events) => events,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            return Err(e);
        }
    };
    std::fs::rename(&partial, file)
        .with_context(|| format!("cannot name the backup {}", file.display()))?;
    say!(
        "Backed up to {} in {:.1} s. The copy was checked: its integrity is sound and its audit log is intact ({events} events).",
        file.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

/// `waymark restore FILE [--replace]`.
pub async fn restore(config: &Config, file: &Path, replace: bool) -> Result<ExitCode> {
    if !file.exists() {
        bail!("there is no backup at {}", file.display());
    }
    let url = config.database_url("waymark.sqlite")?;
    let app = connect(config, &url).await?;
    let holds_data = app
        .db
        .holds_tables()
        .await
        .map_err(|e| anyhow!("cannot read the database: {e}"))?;
    if holds_data && !replace {
        bail!(
            "the database already holds data: stop the server, then run this again with --replace to overwrite it with the backup"
        );
    }
    match app.db.backend() {
        Backend::Sqlite => {
            let target = app
                .db
                .sqlite_file()
                .map(Path::to_path_buf)
                .ok_or_else(|| anyhow!("cannot tell where the database file is"))?;
            // A running server holds the database's lock: refuse rather
            // than pull the file from under it.
            let _lock = app
                .db
                .lock_for_use()
                .map_err(|e| {
                    if e.kind() == std::io::ErrorKind::WouldBlock {
                        anyhow!("the database is in use by a server: stop it first")
                    } else {
                        anyhow!("cannot take the database's lock file ({e}): check the folder can be written")
                    }
                })?;
            app.db.close().await;
            let staged = PathBuf::from(format!("{}.restoring", target.display()));
            std::fs::copy(file, &staged)
                .with_context(|| format!("cannot copy the backup to {}", staged.display()))?;
            let copy = open_copy(&staged).await?;
            let events = checked(&copy).await;
            copy.close().await;
            let events = match events {
                Ok(events) => events,
                Err(e) => {
                    let _ = std::fs::remove_file(&staged);
                    return Err(e);
                }
            };
            std::fs::File::open(&staged).and_then(|f| f.sync_all())?;
            for suffix in ["-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", target.display()));
            }
            std::fs::rename(&staged, &target).with_context(|| {
                format!("cannot put the backup in place at {}", target.display())
            })?;
            say!(
                "Restored {} to {}: its audit log is intact ({events} events). Start the server with `waymark serve`.",
                file.display(),
                target.display()
            );
        }
        Backend::Postgres => {
            app.db.close().await;
            let source = file.display().to_string();
            run(
                "pg_restore",
                &[
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    "--exit-on-error",
                    "-d",
                    &url,
                    &source,
                ],
            )?;
            let restored = ready(config).await?;
            let events = match restored.verify_audit().await.map_err(describe)? {
                Ok(events) => events,
                Err(broken) => bail!("restored, but its audit log is broken: {broken}"),
            };
            say!(
                "Restored {}: its audit log is intact ({events} events). Start the server with `waymark serve`.",
                file.display()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
