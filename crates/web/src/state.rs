//! What every handler is given: the use cases, and how this deployment
//! behaves.

use app::App;

/// How the web layer behaves in this deployment.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Send cookies with `Secure` and the `__Host-` prefix, and HSTS. Turned
    /// off only for development on plain http to localhost.
    pub secure_cookies: bool,
    /// Take the client's address from `X-Forwarded-For` (behind a proxy that sets it).
    pub trust_forwarded_for: bool,
    /// Warn (in the log and `/readyz`) when the data folder has less free
    /// space than this.
    pub low_space_warning_bytes: u64,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            secure_cookies: true,
            trust_forwarded_for: false,
            low_space_warning_bytes: 1_000_000_000,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub app: App,
    pub config: WebConfig,
}
