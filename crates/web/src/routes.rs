//! The route list. Every module adds its routes through [`Routes`], which
//! keeps each path beside the router, so tests take every route from the
//! router itself: a route added without its permission and audit
//! expectations fails them.

use axum::Router;
use axum::routing::MethodRouter;

use crate::AppState;

/// A router and the paths it serves.
#[derive(Default)]
pub struct Routes {
    router: Router<AppState>,
    paths: Vec<String>,
}

impl Routes {
    pub fn new() -> Self {
        Routes::default()
    }

    pub fn route(mut self, path: &str, handler: MethodRouter<AppState>) -> Self {
        self.paths.push(path.to_string());
        self.router = self.router.route(path, handler);
        self
    }

    pub fn merge(mut self, other: Routes) -> Self {
        self.paths.extend(other.paths);
        self.router = self.router.merge(other.router);
        self
    }

    /// Adds API routes registered with their OpenAPI description; the
    /// paths come from the same list as the document.
    pub fn documented(mut self, api: utoipa_axum::router::OpenApiRouter<AppState>) -> Self {
        let (router, document) = api.split_for_parts();
        self.paths.extend(document.paths.paths.keys().cloned());
        self.router = self.router.merge(router);
        self
    }

    pub fn paths(&self) -> &[String] {
        &self.paths
    }

    pub fn into_router(self) -> Router<AppState> {
        self.router
    }
}
