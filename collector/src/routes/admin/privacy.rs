//! `POST /v1/admin/sites/{site}/erasures`: erase-on-request of every answer of an order or a
//! customer (the store passes them as `order` and `customer` in the stage's context).

use super::auth::Admin;
use super::sites::load;
use crate::AppState;
use crate::error::ErrorBody;
use crate::error::{ApiError, ApiJson};
use axum::Json;
use axum::extract::{Path, State};
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(erase))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct Erasure {
    order: Option<String>,
    customer: Option<String>,
}

/// Deletes every response carrying this order or customer reference; answers `{"erased": n}`.
#[utoipa::path(post, path = "/sites/{site}/erasures", tag = "privacy", security(("bearer" = [])), params(("site" = String, Path, description = "The site's key")), request_body = Erasure,
    responses((status = 200, description = "How many responses were erased", body = serde_json::Value), (status = 401, description = "unauthorized", body = ErrorBody), (status = 403, description = "forbidden: the token does not cover this site", body = ErrorBody),
              (status = 400, description = "invalid_json", body = ErrorBody)))]
async fn erase(
    State(state): State<AppState>,
    admin: Admin,
    Path(key): Path<String>,
    ApiJson(erasure): ApiJson<Erasure>,
) -> Result<Json<Value>, ApiError> {
    admin.check_site(&key)?;
    let site = load(&state, &key).await?;
    let order = erasure.order.filter(|o| !o.is_empty());
    let customer = erasure.customer.filter(|c| !c.is_empty());
    if order.is_none() && customer.is_none() {
        return Err(ApiError::InvalidJson(
            "name the order or the customer whose answers to erase".into(),
        ));
    }
    let erased = state
        .store
        .erase(&site.key, order.as_deref(), customer.as_deref())
        .await?;
    tracing::info!(site = %site.key, erased, "erased responses on request");
    Ok(Json(json!({ "erased": erased })))
}
