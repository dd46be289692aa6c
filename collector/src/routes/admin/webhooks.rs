//! `/v1/admin/sites/{site}/webhooks`: where to tell about responses, and the delivery log.

use super::auth::Admin;
use super::sites::load;
use crate::AppState;
use crate::error::ErrorBody;
use crate::error::{ApiError, ApiJson, ApiQuery};
use crate::store::{Delivery, StoreError, Webhook, now_ms};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(remove))
        .routes(routes!(deliveries))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
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

/// Adds a webhook; the answer holds its signing secret, shown this once.
#[utoipa::path(post, path = "/sites/{site}/webhooks", tag = "webhooks", security(("bearer" = [])), params(("site" = String, Path, description = "The site's key")), request_body = NewWebhook,
    responses((status = 201, description = "The webhook, with its secret", body = serde_json::Value), (status = 401, description = "unauthorized", body = ErrorBody), (status = 403, description = "forbidden: the token does not cover this site", body = ErrorBody),
              (status = 422, description = "invalid_webhook", body = ErrorBody)))]
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

/// The site's webhooks (without secrets).
#[utoipa::path(get, path = "/sites/{site}/webhooks", tag = "webhooks", security(("bearer" = [])), params(("site" = String, Path, description = "The site's key")),
    responses((status = 200, body = Vec<Webhook>), (status = 401, description = "unauthorized", body = ErrorBody), (status = 403, description = "forbidden: the token does not cover this site", body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    admin: Admin,
    Path(key): Path<String>,
) -> Result<Json<Vec<Webhook>>, ApiError> {
    admin.check_site(&key)?;
    load(&state, &key).await?;
    Ok(Json(state.store.webhooks(&key).await?))
}

/// Removes a webhook and its delivery log.
#[utoipa::path(delete, path = "/sites/{site}/webhooks/{id}", tag = "webhooks", security(("bearer" = [])),
    params(("site" = String, Path, description = "The site's key"), ("id" = i64, Path, description = "The webhook's id")),
    responses((status = 204, description = "Removed"), (status = 401, description = "unauthorized", body = ErrorBody), (status = 403, description = "forbidden: the token does not cover this site", body = ErrorBody), (status = 404, description = "not_found", body = ErrorBody)))]
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

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct LogParams {
    limit: Option<i64>,
}

/// The webhook's latest deliveries, newest first.
#[utoipa::path(get, path = "/sites/{site}/webhooks/{id}/deliveries", tag = "webhooks", security(("bearer" = [])),
    params(("site" = String, Path, description = "The site's key"), ("id" = i64, Path, description = "The webhook's id"), LogParams),
    responses((status = 200, body = Vec<Delivery>), (status = 401, description = "unauthorized", body = ErrorBody), (status = 403, description = "forbidden: the token does not cover this site", body = ErrorBody), (status = 400, description = "invalid_query", body = ErrorBody)))]
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
