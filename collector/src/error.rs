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
    /// The order already has an answer for this stage, under another response id.
    #[error("order {order:?} already has an answer for the {stage} stage")]
    OrderAlreadyAnswered {
        /// The stage.
        stage: Stage,
        /// The store's order reference.
        order: String,
    },
    /// The shopper is outside the stage's sample, so the widget would not have asked.
    #[error("{0}")]
    NotInSample(String),
    /// A query string parameter that cannot be used.
    #[error("{0}")]
    InvalidQuery(String),
    /// No or an unknown admin token.
    #[error(
        "send an admin token as `Authorization: Bearer <token>` (make one with `collector token create`)"
    )]
    Unauthorized,
    /// The token's scope does not cover what the request touches.
    #[error("this token may not {0}")]
    Forbidden(String),
    /// A site's key is already taken.
    #[error("a site with the key {0:?} already exists")]
    SiteExists(String),
    /// A site definition that cannot be used.
    #[error("{0}")]
    InvalidSite(String),
    /// A webhook definition that cannot be used.
    #[error("{0}")]
    InvalidWebhook(String),
    /// A question set definition that cannot be shown or answered.
    #[error("invalid question set: {0}")]
    InvalidQuestionSet(#[from] survey::question_set::QuestionSetError),
    /// A stage name in the path that is not a stage.
    #[error(transparent)]
    UnknownStage(#[from] survey::stage::UnknownStage),
    /// No such site for the admin API.
    #[error("no site has the key {0:?}")]
    SiteNotFound(String),
    /// No such question set version.
    #[error("site has no version {version} of the {stage} question set")]
    QuestionSetNotFound {
        /// The stage.
        stage: Stage,
        /// The version asked for.
        version: u32,
    },
    /// Too many answers are waiting for the disk; try again shortly.
    #[error("the collector is busy storing answers; retry in a second")]
    Overloaded,
    /// No route or resource at this path.
    #[error("nothing here")]
    NotFound,
    /// A failure on our side.
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

impl ApiError {
    /// The HTTP status this error is answered with.
    pub fn status(&self) -> StatusCode {
        self.status_and_code().0
    }

    /// The machine-readable `error` code of the body.
    pub fn code(&self) -> &'static str {
        self.status_and_code().1
    }

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
            ApiError::OrderAlreadyAnswered { .. } => {
                (StatusCode::CONFLICT, "order_already_answered")
            }
            ApiError::NotInSample(_) => (StatusCode::UNPROCESSABLE_ENTITY, "not_in_sample"),
            ApiError::InvalidQuery(_) => (StatusCode::BAD_REQUEST, "invalid_query"),
            ApiError::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized"),
            ApiError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            ApiError::SiteExists(_) => (StatusCode::CONFLICT, "site_exists"),
            ApiError::InvalidSite(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid_site"),
            ApiError::InvalidWebhook(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid_webhook"),
            ApiError::InvalidQuestionSet(_) => {
                (StatusCode::UNPROCESSABLE_ENTITY, "invalid_question_set")
            }
            ApiError::UnknownStage(_) => (StatusCode::NOT_FOUND, "unknown_stage"),
            ApiError::SiteNotFound(_) => (StatusCode::NOT_FOUND, "site_not_found"),
            ApiError::QuestionSetNotFound { .. } => {
                (StatusCode::NOT_FOUND, "question_set_not_found")
            }
            // 503 with Retry-After rather than queueing without bound: the widget keeps the answer
            // and retries, so refusing early loses nothing and protects everyone else's latency.
            ApiError::Overloaded => (StatusCode::SERVICE_UNAVAILABLE, "overloaded"),
            ApiError::NotFound => (StatusCode::NOT_FOUND, "not_found"),
            ApiError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::ResponseIdConflict(id) => ApiError::ResponseIdConflict(id),
            StoreError::OrderAlreadyAnswered { stage, order } => {
                ApiError::OrderAlreadyAnswered { stage, order }
            }
            StoreError::SiteExists(key) => ApiError::SiteExists(key),
            StoreError::NotFound => ApiError::NotFound,
            StoreError::Overloaded | StoreError::WriterStopped => ApiError::Overloaded,
            other => ApiError::Internal(other.into()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        if matches!(self, ApiError::Overloaded) {
            tracing::warn!("write queue full: answering 503");
        } else if status.is_server_error() {
            let source = match &self {
                ApiError::Internal(e) => format!("{e:#}"),
                other => other.to_string(),
            };
            tracing::error!(error = %source, "request failed");
        } else {
            tracing::debug!(code, message = %self, "request rejected");
        }
        let mut response = (
            status,
            Json(json!({ "error": code, "message": self.to_string() })),
        )
            .into_response();
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from_static("1"),
            );
        }
        if status == StatusCode::UNAUTHORIZED {
            // RFC 6750: a 401 names the scheme the client should use.
            response.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer"),
            );
        }
        response
    }
}

impl From<axum::extract::rejection::JsonRejection> for ApiError {
    fn from(rejection: axum::extract::rejection::JsonRejection) -> Self {
        match rejection.status() {
            StatusCode::PAYLOAD_TOO_LARGE => {
                ApiError::PayloadTooLarge(crate::routes::MAX_BODY_BYTES)
            }
            StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::UnsupportedMediaType,
            _ => ApiError::InvalidJson(rejection.body_text()),
        }
    }
}

/// A JSON body whose rejections are [`ApiError`]s, so they get our JSON error body.
#[derive(Debug, axum::extract::FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct ApiJson<T>(pub T);

impl From<axum::extract::rejection::QueryRejection> for ApiError {
    fn from(rejection: axum::extract::rejection::QueryRejection) -> Self {
        ApiError::InvalidQuery(rejection.body_text())
    }
}

/// Query string parameters whose rejections are [`ApiError`]s.
#[derive(Debug, axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

/// The body of every 4xx and 5xx: a machine-readable code and a message for people.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// What went wrong, e.g. `score_out_of_range`.
    pub error: String,
    /// What went wrong, for people.
    pub message: String,
}
