//! Waymark's HTTP layer: server-rendered pages and the JSON API. Handlers
//! load, check and call one use case each; they never write SQL.

mod activity;
mod api;
mod audit;
mod auth;
mod cases;
mod charts;
mod chrome;
mod commissioning;
mod confirm;
mod cookies;
mod dashboard;
mod directory;
mod duty;
mod errors;
mod extract;
mod health;
mod home;
mod marac;
mod messages;
mod paging;
mod people;
mod programmes;
mod referrals;
mod reports;
mod returns;
mod risk;
mod routes;
mod rules;
mod search;
mod security;
mod server;
mod staff;
mod state;
mod time;
mod tokens;

use app::App;
use axum::Router;
use routes::Routes;

pub use api::openapi_document;

pub use state::{AppState, WebConfig};

/// Every route: each feature module adds its own here.
fn routes() -> Routes {
    Routes::new()
        .merge(health::routes())
        .merge(auth::routes())
        .merge(home::routes())
        .merge(dashboard::routes())
        .merge(referrals::routes())
        .merge(cases::routes())
        .merge(risk::routes())
        .merge(marac::routes())
        .merge(duty::routes())
        .merge(programmes::routes())
        .merge(commissioning::routes())
        .merge(activity::routes())
        .merge(people::routes())
        .merge(directory::routes())
        .merge(staff::routes())
        .merge(tokens::routes())
        .merge(audit::routes())
        .merge(reports::routes())
        .merge(returns::routes())
        .merge(rules::routes())
        .merge(search::routes())
        .merge(security::static_routes())
        .merge(api::routes())
}

/// Every path the application serves, as the router has it.
pub fn route_paths() -> Vec<String> {
    routes().paths().to_vec()
}

/// The whole application.
pub fn router(app: App, config: WebConfig) -> Router {
    let state = AppState { app, config };
    routes()
        .into_router()
        .fallback(errors::not_found)
        .method_not_allowed_fallback(errors::method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            errors::with_chrome,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security::headers,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            errors::note_storage_failures,
        ))
        .layer(axum::middleware::from_fn(access_log))
        .with_state(state)
}

/// One line per request: method, path, status and time taken. Paths carry
/// only record ids, never names or other personal data; query strings
/// (which may hold a search) are left out.
async fn access_log(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let started = std::time::Instant::now();
    let response = next.run(request).await;
    let (status, ms) = (
        response.status().as_u16(),
        started.elapsed().as_millis() as u64,
    );
    // Health checks come every few seconds from a monitor: only at debug.
    if matches!(path.as_str(), "/healthz" | "/readyz") {
        tracing::debug!(target: "waymark::access", %method, %path, status, ms);
    } else {
        tracing::info!(target: "waymark::access", %method, %path, status, ms);
    }
    response
}

/// Serves until the process is asked to stop.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: App,
    config: WebConfig,
) -> std::io::Result<()> {
    let pruner = app.clone();
    // Expired sessions and old login failures are cleared every few minutes.
    tokio::spawn(async move {
        loop {
            if let Err(e) = pruner.prune().await {
                tracing::warn!(error = %e, "pruning sessions failed");
            }
            tokio::time::sleep(std::time::Duration::from_secs(300)).await;
        }
    });
    tokio::spawn(health::watch_free_space(AppState {
        app: app.clone(),
        config: config.clone(),
    }));
    let web = router(app, config.clone());
    server::run(listener, web, &config, shutdown_signal()).await
}

/// Ctrl-C, or SIGTERM (how service managers and containers ask a server to stop).
async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = interrupt => {}
        _ = terminate => {}
    }
    tracing::info!("stopping: finishing the requests under way");
}
