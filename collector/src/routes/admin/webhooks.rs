//! `/v1/admin/sites/{site}/webhooks`: where to tell about responses, and the delivery log.

use super::auth::Admin;
use super::sites::load;
use crate::AppState;
use crate::error::{ApiError, ApiJson, ApiQuery};
use crate::store::{Delivery, StoreError, Webhook, now_ms};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{delete, get};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/sites/{site}/webhooks", get(list).post(create))
        .route("/sites/{site}/webhooks/{id}", delete(remove))
        .route("/sites/{site}/webhooks/{id}/deliveries", get(deliveries))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NewWebhook {
    url: String,
    /// `response` or `low_score` (the default: detractor alerts).
    #[serde(default = "low_score")]
    event: String,
    /// `json` (the default) or `slack`.
    #[serde(default = "json_format")]
    format: String,
}

fn low_score() -> String {
    "low_score".into()
}

fn json_format() -> String {
    "json".into()
}

async fn create(
    State(state): State<AppState>,
    admin: Admin,
    Path(key): Path<String>,
    ApiJson(new): ApiJson<NewWebhook>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    admin.check_site(&key)?;
    let site = load(&state, &key).await?;
    let invalid = |message: &str| ApiError::InvalidWebhook(message.to_owned());
    if !(new.url.starts_with("https://") || new.url.starts_with("http://")) || new.url.len() > 2048
    {
        return Err(invalid(
            "url must be an http:// or https:// URL of at most 2048 characters",
        ));
    }
    if !matches!(new.event.as_str(), "response" | "low_score") {
        return Err(invalid(
            "event must be response (every response) or low_score (NPS 0-6, CSAT 1-2, CES 1-3)",
        ));
    }
    if !matches!(new.format.as_str(), "json" | "slack") {
        return Err(invalid("format must be json or slack"));
    }
    let mut webhook = Webhook {
        id: 0,
        site: site.key,
        url: new.url,
        event: new.event,
        format: new.format,
        secret: format!("whsec_{}", crate::tokens::random_hex()?),
        created_at: now_ms(),
    };
    webhook.id = state.store.create_webhook(&webhook).await?;
    // The secret is shown this once, for the receiver to verify signatures with.
    let mut body = json!(webhook);
    body["secret"] = json!(webhook.secret);
    Ok((StatusCode::CREATED, Json(body)))
}

async fn list(
    State(state): State<AppState>,
    admin: Admin,
    Path(key): Path<String>,
) -> Result<Json<Vec<Webhook>>, ApiError> {
    admin.check_site(&key)?;
    load(&state, &key).await?;
    Ok(Json(state.store.webhooks(&key).await?))
}

async fn remove(
    State(state): State<AppState>,
    admin: Admin,
    Path((key, id)): Path<(String, i64)>,
) -> Result<StatusCode, ApiError> {
    admin.check_site(&key)?;
    state
        .store
        .delete_webhook(&key, id)
        .await
        .map_err(|e| match e {
            StoreError::NotFound => ApiError::NotFound,
            other => other.into(),
        })?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LogParams {
    limit: Option<i64>,
}

async fn deliveries(
    State(state): State<AppState>,
    admin: Admin,
    Path((key, id)): Path<(String, i64)>,
    ApiQuery(params): ApiQuery<LogParams>,
) -> Result<Json<Vec<Delivery>>, ApiError> {
    admin.check_site(&key)?;
    let limit = params.limit.unwrap_or(50);
    if !(1..=500).contains(&limit) {
        return Err(ApiError::InvalidQuery("limit must be 1 to 500".into()));
    }
    Ok(Json(state.store.deliveries(&key, id, limit).await?))
}
