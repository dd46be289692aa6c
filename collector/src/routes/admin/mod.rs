//! The admin API under `/v1/admin/`: every route needs `Authorization: Bearer <token>`, and checks
//! the token's scope for the site it touches.

mod auth;
mod email_links;
mod export;
mod privacy;
mod question_sets;
mod reports;
mod sites;
mod webhooks;

use crate::AppState;
use utoipa_axum::router::OpenApiRouter;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(sites::router())
        .merge(question_sets::router())
        .merge(reports::router())
        .merge(export::router())
        .merge(privacy::router())
        .merge(webhooks::router())
        .merge(email_links::router())
}
