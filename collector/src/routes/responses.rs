//! `POST /v1/responses`: one shopper's answers, stored once durably, idempotent on the response id.

use crate::AppState;
use crate::error::ApiError;
use crate::error::ErrorBody;
use crate::metrics::label;
use crate::store::{DeliveryTrigger, SaveOutcome, StoreError};
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use serde_json::{Value, json};
use std::time::Duration;
use survey::Response;
use tower_http::cors::{AllowOrigin, CorsLayer};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::MAX_BODY_BYTES;

pub(super) fn router() -> OpenApiRouter<AppState> {
    // Any origin passes the CORS preflight; the handler then checks the origin against the site the
    // body names, which a preflight cannot know.
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::mirror_request())
        .allow_methods([Method::POST])
        .allow_headers([header::CONTENT_TYPE])
        // The widget's loader reads Retry-After to pace its retries.
        .expose_headers([header::RETRY_AFTER])
        .max_age(Duration::from_secs(24 * 3600));
    OpenApiRouter::new()
        .routes(routes!(submit))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(cors)
}

/// How a response was stored.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
struct Stored {
    /// The response id.
    id: String,
    /// `created` or `merged`.
    status: String,
}

/// One shopper's answers; idempotent on `id`, and a later send under the same id adds answers.
/// Also accepted as `text/plain` holding JSON (the widget's form: no CORS preflight).
#[utoipa::path(post, path = "/v1/responses", tag = "widget",
    request_body(content = survey::Response, content_type = "application/json"),
    responses((status = 201, description = "Stored for the first time, after the commit", body = Stored),
              (status = 200, description = "Merged into the response stored under this id", body = Stored),
              (status = 400, description = "invalid_json", body = ErrorBody),
              (status = 403, description = "origin_not_allowed", body = ErrorBody),
              (status = 404, description = "unknown_site", body = ErrorBody),
              (status = 409, description = "response_id_conflict, order_already_answered", body = ErrorBody),
              (status = 413, description = "payload_too_large", body = ErrorBody),
              (status = 415, description = "unsupported_media_type", body = ErrorBody),
              (status = 422, description = "unknown_question_set_version, unknown_question, duplicate_answer, wrong_answer_type, score_out_of_range, text_too_long, unknown_option, no_answers, invalid_id, invalid_locale, invalid_context, not_in_sample", body = ErrorBody),
              (status = 503, description = "overloaded (Retry-After)", body = ErrorBody)))]
async fn submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let result = ingest(&state, &headers, body).await;
    if let Err(error) = &result
        && error.status().is_client_error()
    {
        state
            .metrics
            .rejected
            .get_or_create(&label(error.code()))
            .inc();
    }
    result
}

async fn ingest(
    state: &AppState,
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    check_content_type(headers)?;
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

    let site = super::find_site(state, &response.site).await?;
    // Requests without an Origin are not from a browser (server-side imports, curl); CORS is what
    // protects a site from other sites' pages, and those always send one.
    if let Some(origin) = headers.get(header::ORIGIN) {
        let origin = origin.to_str().unwrap_or_default();
        // The collector's own pages (the hosted survey page) may always send.
        let own = origin == super::collector_origin(headers);
        if !own && !site.allows_origin(origin) {
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
    check_sample(&site, &response)?;

    let device = device_class(headers);
    let settle = i64::try_from(state.webhook_settle.as_millis()).unwrap_or(60_000);
    let deliveries = DeliveryTrigger {
        low_score: crate::webhooks::is_low_score(&question_set.set, &response.answers),
        due_at: crate::store::now_ms() + settle,
    };
    let metrics = &state.metrics;
    metrics.write_queue.inc();
    let started = std::time::Instant::now();
    let outcome = state
        .store
        .save_response(&question_set, &response, device, deliveries)
        .await;
    metrics
        .storage_seconds
        .get_or_create(&label("save_response"))
        .observe(started.elapsed().as_secs_f64());
    metrics.write_queue.dec();
    let (status, word) = match outcome? {
        SaveOutcome::Created => (StatusCode::CREATED, "created"),
        SaveOutcome::Merged => (StatusCode::OK, "merged"),
    };
    metrics.stored.get_or_create(&label(word)).inc();
    Ok((status, Json(json!({ "id": response.id, "status": word }))))
}

/// Refuses an answer from a shopper outside the stage's sample: the widget draws with the same
/// function, so only a forged (or hand-made) response lands here. The key is the order when there
/// is one, else the browser's visitor id.
fn check_sample(site: &crate::store::Site, response: &Response) -> Result<(), ApiError> {
    let percent = site.etiquette.sample_percent(response.stage);
    if percent >= 100 {
        return Ok(());
    }
    let stage = response.stage;
    let Some(key) = response.context.get("order").or(response.visitor.as_ref()) else {
        return Err(ApiError::NotInSample(format!(
            "the {stage} stage asks {percent}% of shoppers: the response needs a context order or              a visitor id to check that this shopper was drawn"
        )));
    };
    if survey::sampling::in_sample(&site.key, stage, key, percent) {
        Ok(())
    } else {
        Err(ApiError::NotInSample(format!(
            "this shopper is not in the {percent}% sample of the {stage} stage"
        )))
    }
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

/// The device class for report breakdowns, from the User-Agent (which is not stored).
fn device_class(headers: &HeaderMap) -> Option<&'static str> {
    let agent = headers.get(header::USER_AGENT)?.to_str().ok()?;
    Some(if agent.contains("iPad") || agent.contains("Tablet") {
        "tablet"
    } else if agent.contains("Mobi") || agent.contains("Android") {
        "mobile"
    } else {
        "desktop"
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn class(agent: &str) -> Option<&'static str> {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::USER_AGENT,
            HeaderValue::from_str(agent).expect("ascii"),
        );
        device_class(&headers)
    }

    #[test]
    fn device_classes_from_common_user_agents() {
        let pixel = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/156.0 Mobile Safari/537.36";
        let ipad =
            "Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148";
        let mac = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 Version/17.0 Safari/605.1.15";
        assert_eq!(class(pixel), Some("mobile"));
        assert_eq!(class(ipad), Some("tablet"));
        assert_eq!(class(mac), Some("desktop"));
        assert_eq!(device_class(&HeaderMap::new()), None);
    }
}
