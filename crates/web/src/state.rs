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
    /// A connection that has not sent a whole request head in this long is
    /// closed: a slow sender, or an idle kept-alive connection.
    pub header_timeout: std::time::Duration,
    /// A request whose body has not arrived in this long is refused.
    pub body_timeout: std::time::Duration,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            secure_cookies: true,
            trust_forwarded_for: false,
            low_space_warning_bytes: 1_000_000_000,
            header_timeout: std::time::Duration::from_secs(10),
            body_timeout: std::time::Duration::from_secs(60),
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub app: App,
    pub config: WebConfig,
}
