//! The collector: one binary that serves the widget, each site's public config, the ingestion
//! endpoint and the demo store, and stores answers in SQLite.
//!
//! [`app`] builds the whole HTTP application without a socket, so tests can drive it directly;
//! [`startup::Server`] binds it to an address the way `collector serve` does.

pub mod cli;
pub mod config;
pub mod error;
pub mod export;
pub mod metrics;
pub mod question_file;
pub mod reports;
pub mod routes;
pub mod startup;
pub mod store;
pub mod telemetry;
pub mod tokens;
pub mod webhooks;
mod widget_assets;

use axum::Router;
use store::Store;

/// What every request handler shares.
#[derive(Debug, Clone)]
pub struct AppState {
    /// Where sites, question sets and responses live.
    pub store: Store,
    /// The Prometheus metrics.
    pub metrics: std::sync::Arc<metrics::Metrics>,
    /// How long after a response arrives its webhook deliveries are due.
    pub webhook_settle: std::time::Duration,
}

/// The whole HTTP application.
pub fn app(state: AppState) -> Router {
    routes::router(state)
}
