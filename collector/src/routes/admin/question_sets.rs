//! `/v1/admin/sites/{site}/question-sets`: each stage's question set, in immutable versions.
//! Editing makes a new draft version; publishing one makes it the version shoppers see.

use super::auth::Admin;
use super::sites::load;
use crate::AppState;
use crate::error::{ApiError, ApiJson};
use crate::store::{QuestionSetStatus, StoreError, StoredQuestionSet};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use survey::{Question, QuestionSet, Stage};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/sites/{site}/question-sets", get(list))
        .route("/sites/{site}/question-sets/{stage}", post(create))
        .route(
            "/sites/{site}/question-sets/{stage}/versions/{version}",
            get(show),
        )
        .route(
            "/sites/{site}/question-sets/{stage}/versions/{version}/publish",
            post(|s, a, p| set_status(s, a, p, QuestionSetStatus::Published)),
        )
        .route(
            "/sites/{site}/question-sets/{stage}/versions/{version}/archive",
            post(|s, a, p| set_status(s, a, p, QuestionSetStatus::Archived)),
        )
}

/// One version of a question set as the admin API shows it.
#[derive(Debug, Serialize)]
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

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NewVersion {
    questions: Vec<Question>,
}

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

async fn show(
    State(state): State<AppState>,
    admin: Admin,
    Path((site, stage, version)): Path<(String, String, u32)>,
) -> Result<Json<QuestionSetView>, ApiError> {
    admin.check_site(&site)?;
    let stage: Stage = stage.parse()?;
    Ok(Json(find(&state, &site, stage, version).await?.into()))
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
