//! The one error type of the HTTP edge, mapped once to a status and a JSON body.

use crate::store::StoreError;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use survey::{Stage, ValidationError};

/// Everything a request can fail with. 4xx bodies name what was wrong; 5xx bodies say nothing internal.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The body is not JSON of the expected shape.
    #[error("the body is not a valid response: {0}")]
    InvalidJson(String),
    /// A body in a content type other than JSON.
    #[error("send the body as application/json (or text/plain holding JSON)")]
    UnsupportedMediaType,
    /// The body exceeds the ingestion limit.
    #[error("the body exceeds the limit of {0} bytes")]
    PayloadTooLarge(usize),
    /// No site has this key.
    #[error("no site has the key {0:?}")]
    UnknownSite(String),
    /// The site has no such question set version for the stage.
    #[error("site has no version {version} of the {stage} question set")]
    UnknownQuestionSetVersion {
        /// The stage answered.
        stage: Stage,
        /// The version named by the response.
        version: u32,
    },
    /// The browser's origin may not post answers for this site.
    #[error("origin {0:?} is not allowed to send answers for this site")]
    OriginNotAllowed(String),
    /// The response does not fit the question set it answers.
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    /// The id is already used by a response to another site, stage or question set version.
    #[error("response id {0:?} is already used by another response")]
    ResponseIdConflict(String),
    /// No route or resource at this path.
    #[error("nothing here")]
    NotFound,
    /// A failure on our side.
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

impl ApiError {
    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            ApiError::InvalidJson(_) => (StatusCode::BAD_REQUEST, "invalid_json"),
            ApiError::UnsupportedMediaType => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type")
            }
            ApiError::PayloadTooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
            ApiError::UnknownSite(_) => (StatusCode::NOT_FOUND, "unknown_site"),
            // 422: the JSON is well formed but names something that does not exist.
            ApiError::UnknownQuestionSetVersion { .. } => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "unknown_question_set_version",
            ),
            ApiError::OriginNotAllowed(_) => (StatusCode::FORBIDDEN, "origin_not_allowed"),
            ApiError::Invalid(e) => (StatusCode::UNPROCESSABLE_ENTITY, e.code()),
            ApiError::ResponseIdConflict(_) => (StatusCode::CONFLICT, "response_id_conflict"),
            ApiError::NotFound => (StatusCode::NOT_FOUND, "not_found"),
            ApiError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::ResponseIdConflict(id) => ApiError::ResponseIdConflict(id),
            other => ApiError::Internal(other.into()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        if status.is_server_error() {
            let source = match &self {
                ApiError::Internal(e) => format!("{e:#}"),
                other => other.to_string(),
            };
            tracing::error!(error = %source, "request failed");
        } else {
            tracing::debug!(code, message = %self, "request rejected");
        }
        (
            status,
            Json(json!({ "error": code, "message": self.to_string() })),
        )
            .into_response()
    }
}
