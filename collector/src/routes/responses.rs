//! `POST /v1/responses`: one shopper's answers, stored once durably, idempotent on the response id.

use crate::AppState;
use crate::error::ApiError;
use crate::store::{SaveOutcome, StoreError};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{Value, json};
use std::time::Duration;
use survey::Response;
use tower_http::cors::{AllowOrigin, CorsLayer};

use super::MAX_BODY_BYTES;

pub(super) fn router() -> Router<AppState> {
    // Any origin passes the CORS preflight; the handler then checks the origin against the site the
    // body names, which a preflight cannot know.
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::mirror_request())
        .allow_methods([Method::POST])
        .allow_headers([header::CONTENT_TYPE])
        .max_age(Duration::from_secs(24 * 3600));
    Router::new()
        .route("/v1/responses", post(submit))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(cors)
}

async fn submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    check_content_type(&headers)?;
    let body = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::PayloadTooLarge(MAX_BODY_BYTES)
        } else {
            ApiError::InvalidJson(rejection.body_text())
        }
    })?;
    let response: Response =
        serde_json::from_slice(&body).map_err(|e| ApiError::InvalidJson(e.to_string()))?;
    response.check_envelope()?;

    let site = state
        .store
        .site(&response.site)
        .await
        .map_err(|e| match e {
            StoreError::NotFound => ApiError::UnknownSite(response.site.clone()),
            other => other.into(),
        })?;
    // Requests without an Origin are not from a browser (server-side imports, curl); CORS is what
    // protects a site from other sites' pages, and those always send one.
    if let Some(origin) = headers.get(header::ORIGIN) {
        let origin = origin.to_str().unwrap_or_default();
        if !site.allows_origin(origin) {
            return Err(ApiError::OriginNotAllowed(origin.to_owned()));
        }
    }
    let question_set = state
        .store
        .question_set(&site.key, response.stage, response.question_set_version)
        .await
        .map_err(|e| match e {
            StoreError::NotFound => ApiError::UnknownQuestionSetVersion {
                stage: response.stage,
                version: response.question_set_version,
            },
            other => other.into(),
        })?;
    response.validate(&question_set.set)?;

    let outcome = state.store.save_response(&question_set, &response).await?;
    let (status, word) = match outcome {
        SaveOutcome::Created => (StatusCode::CREATED, "created"),
        SaveOutcome::Merged => (StatusCode::OK, "merged"),
    };
    Ok((status, Json(json!({ "id": response.id, "status": word }))))
}

/// Accepts JSON, also under `text/plain`: the widget sends that so browsers skip the CORS
/// preflight, saving a round trip on every answer a shopper gives.
fn check_content_type(headers: &HeaderMap) -> Result<(), ApiError> {
    let media_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase());
    match media_type.as_deref() {
        Some("application/json" | "text/plain") => Ok(()),
        _ => Err(ApiError::UnsupportedMediaType),
    }
}
