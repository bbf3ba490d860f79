//! Serving, and the demonstration.

use anyhow::{Context, Result};
use std::path::PathBuf;

use crate::logging::say;
use crate::{Config, connect, describe};
use app::App;

pub async fn serve(app: App, config: &Config) -> Result<()> {
    let web = config.web()?;
    // Held while serving, so a restore cannot replace the file underneath.
    let _in_use = app.db.lock_for_use().map_err(|e| {
        if e.kind() == std::io::ErrorKind::WouldBlock {
            anyhow::anyhow!(
                "another server is using this database: stop it first, or use another data folder"
            )
        } else {
            anyhow::anyhow!(
                "cannot take the database's lock file ({e}): check the data folder can be written"
            )
        }
    })?;
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
    web::serve(listener, app.clone(), web).await?;
    // A clean stop leaves the database whole in its file, the log emptied.
    match app.db.checkpoint().await {
        Ok(()) => say!("Stopped. The database is checkpointed."),
        Err(e) => tracing::warn!(error = %e, "the database could not be checkpointed at stop"),
    }
    app.db.close().await;
    Ok(())
}

pub async fn demo(mut config: Config, referrals: usize, seed: u64, no_serve: bool) -> Result<()> {
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
        let pairs = app::demo::repeat_victims(&app).await.map_err(describe)?;
        say!("{pairs} pairs of records wait on \"possibly the same person\" lists.");
        let assessed = app::demo::risk_records(&app).await.map_err(describe)?;
        say!("{assessed} risk assessments recorded by the City IDVA service's IDVA.");
        let shifts = app::demo::duty_rota(&app).await.map_err(describe)?;
        say!("{shifts} duty shifts on the city and county IDVA services' shared rota.");
        let entries = app::demo::activity_records(&app).await.map_err(describe)?;
        say!("{entries} entries of the IDVA services' recorded time over the last year.");
        let requests = app::demo::duty_requests(&app).await.map_err(describe)?;
        say!("{requests} duty requests over the last week, with cases opened on duty.");
        let call_outs = app::demo::partnership_car(&app).await.map_err(describe)?;
        say!("{call_outs} call-outs of the partnership car pilot over six months.");
        let decisions = app::demo::commissioning(&app).await.map_err(describe)?;
        say!("{decisions} decisions of the commissioner's office, from draft to published.");
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
