//! The HTTP surface, one module per resource.

mod admin;
mod assets;
mod demo_store;
mod health;
mod hosted_page;
mod responses;
mod site_config;

use crate::AppState;
use crate::error::ApiError;
use axum::http::{HeaderMap, header};
use axum::routing::get;
use axum::{Json, Router};
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa_axum::router::OpenApiRouter;

/// The document's fixed parts; its paths and schemas come from the routes themselves.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "CX survey collector",
        description = "Ingestion, per-site config and admin API of the self-hosted CX survey collector."
    ),
    modifiers(&BearerTokens)
)]
struct ApiDoc;

/// Declares the admin API's `Authorization: Bearer <token>` scheme.
struct BearerTokens;

impl utoipa::Modify for BearerTokens {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// Every API route, each registered with its OpenAPI description, so the two cannot drift apart.
fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(assets::router())
        .merge(site_config::router())
        .merge(responses::router())
        .merge(health::router())
        .nest("/v1/admin", admin::router())
}

/// The OpenAPI document of [`router`], as served at `/openapi.json`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    api().into_openapi()
}

/// The collector's own origin as the browser reached it, so the snippet's `src` is absolute, as
/// store owners paste it. Anything odd in `Host` falls back to a relative URL.
pub(crate) fn collector_origin(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        });
    let https = headers
        .get("x-forwarded-proto")
        .is_some_and(|p| p.as_bytes().eq_ignore_ascii_case(b"https"));
    match host {
        Some(host) => format!("{}://{host}", if https { "https" } else { "http" }),
        None => String::new(),
    }
}

/// `Timing-Allow-Origin: *` on what store pages fetch (the loader, the widget, the config), so the
/// store's own performance monitoring can see what the survey costs its pages: without it, browsers
/// report the sizes and timings of cross-origin requests as zero.
fn timing_allowed() -> tower_http::set_header::SetResponseHeaderLayer<axum::http::HeaderValue> {
    tower_http::set_header::SetResponseHeaderLayer::overriding(
        axum::http::HeaderName::from_static("timing-allow-origin"),
        axum::http::HeaderValue::from_static("*"),
    )
}

/// The site with this public key, or `404 unknown_site`: the public routes' lookup.
pub(crate) async fn find_site(
    state: &crate::AppState,
    key: &str,
) -> Result<crate::store::Site, crate::error::ApiError> {
    state.store.site(key).await.map_err(|e| match e {
        crate::store::StoreError::NotFound => crate::error::ApiError::UnknownSite(key.to_owned()),
        other => other.into(),
    })
}

/// Text made safe to place in HTML, in element content and in quoted attributes.
pub(crate) fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The largest request body accepted, in bytes: the browser's budget for a `keepalive` request,
/// and far more than any admin request needs.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Every route of the collector.
pub fn router(state: AppState) -> Router {
    let (api, document) = api().split_for_parts();
    let document = std::sync::Arc::new(document);
    api.merge(demo_store::router())
        .merge(hosted_page::router())
        .route(
            "/openapi.json",
            get(move || {
                let document = document.clone();
                async move { Json(document) }
            }),
        )
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
