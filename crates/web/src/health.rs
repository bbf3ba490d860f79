//! Liveness and readiness for load balancers and orchestrators, and the
//! watch on the data folder's free space.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;

use crate::AppState;
use crate::routes::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
}

/// The process is up.
async fn healthz() -> &'static str {
    "ok"
}

/// The database answers, its schema is the one this build expects, and it
/// takes writes: a small write that needs fresh room commits (so recovery is
/// noticed even when nobody else writes). Low free space in the data folder
/// is a warning: still ready, but said.
async fn readyz(State(state): State<AppState>) -> (StatusCode, String) {
    let db = &state.app.db;
    if db.ping().await.is_err() {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "database unavailable".into(),
        );
    }
    if state.app.check_schema().await.is_err() {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "database schema does not match".into(),
        );
    }
    if !db.probe_write(&state.app.clock.now_text()).await {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "storage is not taking writes (see the server log)".into(),
        );
    }
    match low_space(&state) {
        Some(free) => (
            StatusCode::OK,
            format!(
                "ready; warning: only {} free in the data folder",
                megabytes(free)
            ),
        ),
        None => (StatusCode::OK, "ready".into()),
    }
}

/// Free bytes in the data folder, when fewer than the warning threshold.
fn low_space(state: &AppState) -> Option<u64> {
    let free = state.app.db.free_space()?;
    (free < state.config.low_space_warning_bytes).then_some(free)
}

pub fn megabytes(bytes: u64) -> String {
    format!("{} MB", bytes / 1_000_000)
}

/// Logs a warning when the data folder's free space falls below the
/// threshold, and again when it is back above it: once each, not every check.
pub async fn watch_free_space(state: AppState) {
    let mut warned = false;
    loop {
        match (low_space(&state), warned) {
            (Some(free), false) => {
                tracing::warn!(
                    free = %megabytes(free),
                    threshold = %megabytes(state.config.low_space_warning_bytes),
                    "the data folder is running out of space: free some, or writes will fail"
                );
                warned = true;
            }
            (None, true) => {
                tracing::info!("the data folder has enough free space again");
                warned = false;
            }
            _ => {}
        }
        tokio::time::sleep(std::time::Duration::from_secs(60)).await;
    }
}
