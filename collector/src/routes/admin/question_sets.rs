//! `/v1/admin/sites/{site}/question-sets`: each stage's question set, in immutable versions.
//! Editing makes a new draft version; publishing one makes it the version shoppers see.

use super::auth::Admin;
use super::sites::load;
use crate::AppState;
use crate::error::ErrorBody;
use crate::error::{ApiError, ApiJson};
use crate::store::{QuestionSetStatus, StoreError, StoredQuestionSet};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use survey::{Question, QuestionSet, Stage};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(create))
        .routes(routes!(show))
        .routes(routes!(publish))
        .routes(routes!(archive))
}

/// One version of a question set as the admin API shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
struct QuestionSetView {
    stage: Stage,
    version: u32,
    status: QuestionSetStatus,
    created_at_ms: i64,
    questions: Vec<Question>,
}

impl From<StoredQuestionSet> for QuestionSetView {
    fn from(stored: StoredQuestionSet) -> Self {
        QuestionSetView {
            stage: stored.set.stage,
            version: stored.set.version,
            status: stored.status,
            created_at_ms: stored.created_at_ms,
            questions: stored.set.questions,
        }
    }
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct NewVersion {
    questions: Vec<Question>,
}

/// Every version of every stage's question set.
#[utoipa::path(get, path = "/sites/{site}/question-sets", tag = "question sets", security(("bearer" = [])), params(("site" = String, Path, description = "The site's key")),
    responses((status = 200, body = Vec<QuestionSetView>), (status = 401, description = "unauthorized", body = ErrorBody), (status = 403, description = "forbidden: the token does not cover this site", body = ErrorBody), (status = 404, description = "site_not_found", body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    admin: Admin,
    Path(site): Path<String>,
) -> Result<Json<Vec<QuestionSetView>>, ApiError> {
    admin.check_site(&site)?;
    load(&state, &site).await?;
    let versions = state.store.question_set_versions(&site).await?;
    Ok(Json(
        versions.into_iter().map(QuestionSetView::from).collect(),
    ))
}

/// Saves the questions as a new draft version of the stage's question set.
#[utoipa::path(post, path = "/sites/{site}/question-sets/{stage}", tag = "question sets", security(("bearer" = [])),
    params(("site" = String, Path, description = "The site's key"), ("stage" = String, Path, description = "browsing, checkout, delivery, support or returns")),
    request_body = NewVersion,
    responses((status = 201, body = QuestionSetView), (status = 401, description = "unauthorized", body = ErrorBody), (status = 403, description = "forbidden: the token does not cover this site", body = ErrorBody), (status = 404, description = "site_not_found or unknown_stage", body = ErrorBody),
              (status = 422, description = "invalid_question_set", body = ErrorBody)))]
async fn create(
    State(state): State<AppState>,
    admin: Admin,
    Path((site, stage)): Path<(String, String)>,
    ApiJson(new): ApiJson<NewVersion>,
) -> Result<(StatusCode, Json<QuestionSetView>), ApiError> {
    admin.check_site(&site)?;
    let stage: Stage = stage.parse()?;
    load(&state, &site).await?;
    QuestionSet {
        stage,
        version: 0,
        questions: new.questions.clone(),
    }
    .check()?;
    let stored = state
        .store
        .create_question_set_version(&site, stage, new.questions)
        .await?;
    Ok((StatusCode::CREATED, Json(stored.into())))
}

/// One version, whatever its status.
#[utoipa::path(get, path = "/sites/{site}/question-sets/{stage}/versions/{version}", tag = "question sets", security(("bearer" = [])),
    params(("site" = String, Path, description = "The site's key"), ("stage" = String, Path, description = "browsing, checkout, delivery, support or returns"), ("version" = u32, Path, description = "The version")),
    responses((status = 200, body = QuestionSetView), (status = 401, description = "unauthorized", body = ErrorBody), (status = 403, description = "forbidden: the token does not cover this site", body = ErrorBody), (status = 404, description = "question_set_not_found", body = ErrorBody)))]
async fn show(
    State(state): State<AppState>,
    admin: Admin,
    Path((site, stage, version)): Path<(String, String, u32)>,
) -> Result<Json<QuestionSetView>, ApiError> {
    admin.check_site(&site)?;
    let stage: Stage = stage.parse()?;
    Ok(Json(find(&state, &site, stage, version).await?.into()))
}

/// Shows the version to shoppers, archiving the stage's previously published one.
#[utoipa::path(post, path = "/sites/{site}/question-sets/{stage}/versions/{version}/publish", tag = "question sets", security(("bearer" = [])),
    params(("site" = String, Path, description = "The site's key"), ("stage" = String, Path, description = "browsing, checkout, delivery, support or returns"), ("version" = u32, Path, description = "The version")),
    responses((status = 200, body = QuestionSetView), (status = 401, description = "unauthorized", body = ErrorBody), (status = 403, description = "forbidden: the token does not cover this site", body = ErrorBody), (status = 404, description = "question_set_not_found", body = ErrorBody)))]
async fn publish(
    state: State<AppState>,
    admin: Admin,
    path: Path<(String, String, u32)>,
) -> Result<Json<QuestionSetView>, ApiError> {
    set_status(state, admin, path, QuestionSetStatus::Published).await
}

/// Takes the version off; its answers stay readable.
#[utoipa::path(post, path = "/sites/{site}/question-sets/{stage}/versions/{version}/archive", tag = "question sets", security(("bearer" = [])),
    params(("site" = String, Path, description = "The site's key"), ("stage" = String, Path, description = "browsing, checkout, delivery, support or returns"), ("version" = u32, Path, description = "The version")),
    responses((status = 200, body = QuestionSetView), (status = 401, description = "unauthorized", body = ErrorBody), (status = 403, description = "forbidden: the token does not cover this site", body = ErrorBody), (status = 404, description = "question_set_not_found", body = ErrorBody)))]
async fn archive(
    state: State<AppState>,
    admin: Admin,
    path: Path<(String, String, u32)>,
) -> Result<Json<QuestionSetView>, ApiError> {
    set_status(state, admin, path, QuestionSetStatus::Archived).await
}

async fn set_status(
    State(state): State<AppState>,
    admin: Admin,
    Path((site, stage, version)): Path<(String, String, u32)>,
    status: QuestionSetStatus,
) -> Result<Json<QuestionSetView>, ApiError> {
    admin.check_site(&site)?;
    let stage: Stage = stage.parse()?;
    find(&state, &site, stage, version).await?;
    state
        .store
        .set_question_set_status(&site, stage, version, status)
        .await?;
    Ok(Json(find(&state, &site, stage, version).await?.into()))
}

async fn find(
    state: &AppState,
    site: &str,
    stage: Stage,
    version: u32,
) -> Result<StoredQuestionSet, ApiError> {
    state
        .store
        .question_set(site, stage, version)
        .await
        .map_err(|e| match e {
            StoreError::NotFound => ApiError::QuestionSetNotFound { stage, version },
            other => other.into(),
        })
}
