//! `POST /v1/admin/sites/{site}/erasures`: erase-on-request of every answer of an order or a
//! customer (the store passes them as `order` and `customer` in the stage's context).

use super::auth::Admin;
use super::sites::load;
use crate::AppState;
use crate::error::{ApiError, ApiJson};
use axum::extract::{Path, State};
use axum::routing::post;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/sites/{site}/erasures", post(erase))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Erasure {
    order: Option<String>,
    customer: Option<String>,
}

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
