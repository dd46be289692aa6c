//! The admin API under `/v1/admin/`: every route needs `Authorization: Bearer <token>`, and checks
//! the token's scope for the site it touches.

mod auth;
mod export;
mod privacy;
mod question_sets;
mod reports;
mod sites;
mod webhooks;

use crate::AppState;
use axum::Router;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .merge(sites::router())
        .merge(question_sets::router())
        .merge(reports::router())
        .merge(export::router())
        .merge(privacy::router())
        .merge(webhooks::router())
}
