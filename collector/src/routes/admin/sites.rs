//! `/v1/admin/sites`: the stores this collector serves, their keys and allowed origins.

use super::auth::Admin;
use crate::AppState;
use crate::error::ErrorBody;
use crate::error::{ApiError, ApiJson};
use crate::store::{Site, StoreError};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(show, update))
}

/// A site as the admin API shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
struct SiteView {
    key: String,
    name: String,
    allowed_origins: Vec<String>,
    time_zone: String,
    retention_days: Option<i64>,
    theme: survey::Theme,
    respect_privacy_signals: bool,
    etiquette: survey::Etiquette,
}

impl From<Site> for SiteView {
    fn from(site: Site) -> Self {
        SiteView {
            key: site.key,
            name: site.name,
            allowed_origins: site.allowed_origins,
            time_zone: site.time_zone,
            retention_days: site.retention_days,
            theme: site.theme,
            respect_privacy_signals: site.respect_privacy_signals,
            etiquette: site.etiquette,
        }
    }
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct NewSite {
    key: String,
    name: String,
    #[serde(default)]
    allowed_origins: Vec<String>,
    #[serde(default = "utc")]
    time_zone: String,
    #[serde(default)]
    retention_days: Option<i64>,
    #[serde(default)]
    theme: survey::Theme,
    #[serde(default)]
    respect_privacy_signals: bool,
    #[serde(default)]
    etiquette: survey::Etiquette,
}

fn utc() -> String {
    "UTC".into()
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct SiteChanges {
    name: Option<String>,
    allowed_origins: Option<Vec<String>>,
    time_zone: Option<String>,
    /// Absent: unchanged; `null`: keep answers forever; a number: days.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i64>)]
    retention_days: Option<Option<i64>>,
    theme: Option<survey::Theme>,
    respect_privacy_signals: Option<bool>,
    /// Replaces the whole etiquette (triggers, sampling, recontact limits).
    etiquette: Option<survey::Etiquette>,
}

/// Tells a field sent as `null` (`Some(None)`) from one not sent (`None`).
fn present<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<Option<T>, D::Error> {
    T::deserialize(deserializer).map(Some)
}

/// The sites the token covers.
#[utoipa::path(get, path = "/sites", tag = "sites", security(("bearer" = [])),
    responses((status = 200, body = Vec<SiteView>), (status = 401, description = "unauthorized", body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    admin: Admin,
) -> Result<Json<Vec<SiteView>>, ApiError> {
    let sites = state.store.sites().await?;
    Ok(Json(
        sites
            .into_iter()
            .filter(|site| admin.covers(&site.key))
            .map(SiteView::from)
            .collect(),
    ))
}

/// Adds a site (needs an all-sites token).
#[utoipa::path(post, path = "/sites", tag = "sites", security(("bearer" = [])), request_body = NewSite,
    responses((status = 201, body = SiteView), (status = 401, description = "unauthorized", body = ErrorBody), (status = 403, description = "forbidden: the token does not cover this site", body = ErrorBody),
              (status = 409, description = "site_exists", body = ErrorBody), (status = 422, description = "invalid_site", body = ErrorBody)))]
async fn create(
    State(state): State<AppState>,
    admin: Admin,
    ApiJson(new): ApiJson<NewSite>,
) -> Result<(StatusCode, Json<SiteView>), ApiError> {
    admin.check_all_sites("create sites")?;
    let site = Site {
        key: new.key,
        name: new.name,
        allowed_origins: new.allowed_origins,
        time_zone: new.time_zone,
        retention_days: new.retention_days,
        theme: new.theme,
        respect_privacy_signals: new.respect_privacy_signals,
        etiquette: new.etiquette,
    };
    site.check().map_err(ApiError::InvalidSite)?;
    state.store.create_site(&site).await?;
    Ok((StatusCode::CREATED, Json(site.into())))
}

/// One site.
#[utoipa::path(get, path = "/sites/{site}", tag = "sites", security(("bearer" = [])), params(("site" = String, Path, description = "The site's key")),
    responses((status = 200, body = SiteView), (status = 401, description = "unauthorized", body = ErrorBody), (status = 403, description = "forbidden: the token does not cover this site", body = ErrorBody), (status = 404, description = "site_not_found", body = ErrorBody)))]
async fn show(
    State(state): State<AppState>,
    admin: Admin,
    Path(key): Path<String>,
) -> Result<Json<SiteView>, ApiError> {
    admin.check_site(&key)?;
    Ok(Json(load(&state, &key).await?.into()))
}

/// Changes a site's name, allowed origins, time zone, retention, theme, privacy-signal setting or
/// etiquette.
#[utoipa::path(patch, path = "/sites/{site}", tag = "sites", security(("bearer" = [])), params(("site" = String, Path, description = "The site's key")), request_body = SiteChanges,
    responses((status = 200, body = SiteView), (status = 401, description = "unauthorized", body = ErrorBody), (status = 403, description = "forbidden: the token does not cover this site", body = ErrorBody), (status = 404, description = "site_not_found", body = ErrorBody),
              (status = 422, description = "invalid_site", body = ErrorBody)))]
async fn update(
    State(state): State<AppState>,
    admin: Admin,
    Path(key): Path<String>,
    ApiJson(changes): ApiJson<SiteChanges>,
) -> Result<Json<SiteView>, ApiError> {
    admin.check_site(&key)?;
    let mut site = load(&state, &key).await?;
    if let Some(name) = changes.name {
        site.name = name;
    }
    if let Some(origins) = changes.allowed_origins {
        site.allowed_origins = origins;
    }
    if let Some(time_zone) = changes.time_zone {
        site.time_zone = time_zone;
    }
    if let Some(retention_days) = changes.retention_days {
        site.retention_days = retention_days;
    }
    if let Some(theme) = changes.theme {
        site.theme = theme;
    }
    if let Some(respect) = changes.respect_privacy_signals {
        site.respect_privacy_signals = respect;
    }
    if let Some(etiquette) = changes.etiquette {
        site.etiquette = etiquette;
    }
    site.check().map_err(ApiError::InvalidSite)?;
    state.store.update_site(&site).await?;
    Ok(Json(site.into()))
}

/// The site with this key, or the admin API's 404.
pub(super) async fn load(state: &AppState, key: &str) -> Result<Site, ApiError> {
    state.store.site(key).await.map_err(|e| match e {
        StoreError::NotFound => ApiError::SiteNotFound(key.to_owned()),
        other => other.into(),
    })
}
