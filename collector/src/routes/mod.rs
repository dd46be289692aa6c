//! The HTTP surface, one module per resource.

mod admin;
mod assets;
mod demo_store;
mod health;
mod responses;
mod site_config;

use crate::AppState;
use crate::error::ApiError;
use axum::Router;
use tower_http::trace::TraceLayer;

/// The largest request body accepted, in bytes: the browser's budget for a `keepalive` request,
/// and far more than any admin request needs.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Every route of the collector.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(assets::router())
        .merge(site_config::router())
        .merge(responses::router())
        .merge(demo_store::router())
        .merge(health::router())
        .nest("/v1/admin", admin::router())
        .fallback(|| async { ApiError::NotFound })
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            count_request,
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Counts every request by its route pattern, method and status.
async fn count_request(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let route = request
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map_or("unmatched", |p| p.as_str())
        .to_owned();
    let method = request.method().to_string();
    let response = next.run(request).await;
    state
        .metrics
        .requests
        .get_or_create(&crate::metrics::RequestLabels {
            route,
            method,
            status: response.status().as_u16(),
        })
        .inc();
    response
}
