//! What the loader and the widget need to know about a site, public and cacheable:
//! `GET /v1/sites/{site}/config` (everything the widget shows a survey with) and
//! `GET /v1/sites/{site}/triggers` (only the browsing survey's triggers, which every store page's
//! loader reads; a few hundred bytes instead of every stage's question set).

use super::assets::if_none_match;
use crate::AppState;
use crate::error::ApiError;
use crate::error::ErrorBody;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use sha2::{Digest, Sha256};
use survey::etiquette::BrowsingTrigger;
use survey::{SiteConfig, Stage, StageConfig};
use tower_http::cors::{Any, CorsLayer};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Short enough that a published question set shows within a minute; the ETag makes revalidation cheap.
const CONFIG_CACHE: &str = "public, max-age=60";

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(site_config))
        .routes(routes!(browsing_triggers))
        .layer(CorsLayer::new().allow_origin(Any))
        .layer(super::timing_allowed())
}

/// What the widget needs to know about a site: the published question set of each stage.
#[utoipa::path(get, path = "/v1/sites/{site}/config", tag = "widget",
    params(("site" = String, Path, description = "The site's public key")),
    responses((status = 200, description = "The site's config (ETag, cacheable for 60 s)", body = SiteConfig),
              (status = 304, description = "Not modified (If-None-Match)"),
              (status = 404, description = "unknown_site", body = ErrorBody)))]
async fn site_config(
    State(state): State<AppState>,
    Path(site): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let site = super::find_site(&state, &site).await?;
    let stages = state
        .store
        .published_question_sets(&site.key)
        .await?
        .into_iter()
        .map(|question_set| StageConfig {
            stage: question_set.stage,
            question_set,
        })
        .collect();
    let config = SiteConfig {
        site: site.key,
        locale: None,
        stages,
        theme: site.theme,
        respect_privacy_signals: site.respect_privacy_signals,
        etiquette: site.etiquette,
    };
    cacheable_json(&config, &headers)
}

/// When the loader should ask for a browsing survey: the site's browsing triggers, or every trigger
/// off while no browsing question set is published. Every page with the snippet reads this, so it
/// is kept to what the loader needs; the full config is fetched only once a survey is due.
#[utoipa::path(get, path = "/v1/sites/{site}/triggers", tag = "widget",
    params(("site" = String, Path, description = "The site's public key")),
    responses((status = 200, description = "The browsing survey's triggers (ETag, cacheable for 60 s)", body = BrowsingTrigger),
              (status = 304, description = "Not modified (If-None-Match)"),
              (status = 404, description = "unknown_site", body = ErrorBody)))]
async fn browsing_triggers(
    State(state): State<AppState>,
    Path(site): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let site = super::find_site(&state, &site).await?;
    let published = state.store.published_question_sets(&site.key).await?;
    let triggers = if published.iter().any(|set| set.stage == Stage::Browsing) {
        site.etiquette.browsing
    } else {
        BrowsingTrigger::off()
    };
    cacheable_json(&triggers, &headers)
}

/// `value` as JSON with an ETag of its bytes, `304 Not Modified` when the browser has them already.
fn cacheable_json(value: &impl Serialize, headers: &HeaderMap) -> Result<Response, ApiError> {
    let body = serde_json::to_vec(value).map_err(|e| ApiError::Internal(e.into()))?;
    let digest = Sha256::digest(&body);
    let etag = format!(
        "\"{}\"",
        digest[..12]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    );
    let mut response = if if_none_match(headers, &etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        ([(header::CONTENT_TYPE, "application/json")], body).into_response()
    };
    let h = response.headers_mut();
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(CONFIG_CACHE),
    );
    if let Ok(etag) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, etag);
    }
    Ok(response)
}
