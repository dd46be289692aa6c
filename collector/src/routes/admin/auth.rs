//! Who is calling: the admin token from the `Authorization` header, and what it may touch.

use crate::AppState;
use crate::error::ApiError;
use crate::store::{AdminToken, StoreError, TokenScope};
use crate::tokens;
use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;

/// A request made with a valid admin token.
#[derive(Debug)]
pub(super) struct Admin(pub AdminToken);

impl FromRequestParts<AppState> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or(ApiError::Unauthorized)?;
        match state.store.token(&tokens::hash(token)).await {
            Ok(token) => Ok(Admin(token)),
            Err(StoreError::NotFound) => Err(ApiError::Unauthorized),
            Err(other) => Err(other.into()),
        }
    }
}

impl Admin {
    /// Whether the token covers `site`.
    pub(super) fn covers(&self, site: &str) -> bool {
        match &self.0.scope {
            TokenScope::AllSites => true,
            TokenScope::Site(own) => own == site,
        }
    }

    /// Refuses unless the token covers `site`. A site-scoped token learns nothing about other
    /// sites, not even whether they exist.
    pub(super) fn check_site(&self, site: &str) -> Result<(), ApiError> {
        if self.covers(site) {
            Ok(())
        } else {
            Err(ApiError::Forbidden(format!("touch the site {site:?}")))
        }
    }

    /// Refuses unless the token covers every site.
    pub(super) fn check_all_sites(&self, action: &str) -> Result<(), ApiError> {
        match self.0.scope {
            TokenScope::AllSites => Ok(()),
            TokenScope::Site(_) => Err(ApiError::Forbidden(format!(
                "{action} (it is scoped to one site; this needs an all-sites token)"
            ))),
        }
    }
}
