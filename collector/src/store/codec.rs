//! What both engines share: how values become columns and columns become values.

use super::StoreError;
use survey::{AnswerValue, Response, Stage};

/// A value as JSON text, for the JSON columns (definitions, context, origins, answer values).
pub(super) fn to_json<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// A JSON column's value; a parse failure means the row was not written by us.
pub(super) fn from_json<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, StoreError> {
    serde_json::from_str(json).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// The `score` and `text` columns of an answer, which reports and comment searches read.
pub(super) fn answer_columns(value: &AnswerValue) -> (Option<i64>, Option<&str>) {
    match value {
        AnswerValue::Score(score) => (Some(*score), None),
        AnswerValue::Text(text) => (None, Some(text.as_str())),
        AnswerValue::YesNo(_) | AnswerValue::Choices(_) => (None, None),
    }
}

/// A stage column's value.
pub(super) fn stage(column: &str) -> Result<Stage, StoreError> {
    column
        .parse()
        .map_err(|e: survey::stage::UnknownStage| StoreError::Corrupt(e.to_string()))
}

/// A version column's value.
pub(super) fn version(column: i64) -> Result<u32, StoreError> {
    u32::try_from(column).map_err(|_| StoreError::Corrupt(format!("version {column}")))
}

/// The columns of a `responses` row and its answers, as read by either engine.
#[derive(sqlx::FromRow)]
pub(super) struct ResponseRow {
    pub id: String,
    pub site: String,
    pub stage: String,
    pub question_set_id: i64,
    pub question_set_version: i64,
    pub locale: Option<String>,
    pub context: String,
    pub completed: bool,
    pub received_at: i64,
    pub updated_at: i64,
    /// `(question, value as JSON)` pairs, from the `answers` table.
    #[sqlx(skip)]
    pub answers: Vec<(String, String)>,
}

impl ResponseRow {
    pub(super) fn into_stored(self) -> Result<super::StoredResponse, StoreError> {
        let answers = self
            .answers
            .into_iter()
            .map(|(question, value)| {
                Ok(survey::Answer {
                    question,
                    value: from_json(&value)?,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        Ok(super::StoredResponse {
            response: Response {
                id: self.id,
                site: self.site,
                stage: stage(&self.stage)?,
                question_set_version: version(self.question_set_version)?,
                locale: self.locale,
                context: from_json(&self.context)?,
                answers,
                completed: self.completed,
                visitor: None,
            },
            question_set_id: self.question_set_id,
            received_at_ms: self.received_at,
            updated_at_ms: self.updated_at,
        })
    }
}

/// The columns of a `sites` row.
#[derive(sqlx::FromRow)]
pub(super) struct SiteRow {
    pub key: String,
    pub name: String,
    pub allowed_origins: String,
    pub time_zone: String,
    pub retention_days: Option<i64>,
    pub theme: String,
    pub respect_privacy_signals: bool,
    pub etiquette: String,
}

impl SiteRow {
    pub(super) fn into_site(self) -> Result<super::Site, StoreError> {
        Ok(super::Site {
            key: self.key,
            name: self.name,
            allowed_origins: from_json(&self.allowed_origins)?,
            time_zone: self.time_zone,
            retention_days: self.retention_days,
            theme: from_json(&self.theme)?,
            respect_privacy_signals: self.respect_privacy_signals,
            etiquette: from_json(&self.etiquette)?,
        })
    }
}

/// The columns of a `question_sets` row.
#[derive(sqlx::FromRow)]
pub(super) struct QuestionSetRow {
    pub id: i64,
    pub definition: String,
    pub status: String,
    pub created_at: i64,
}

impl QuestionSetRow {
    pub(super) fn into_stored(self) -> Result<super::StoredQuestionSet, StoreError> {
        Ok(super::StoredQuestionSet {
            id: self.id,
            set: from_json(&self.definition)?,
            status: super::QuestionSetStatus::parse(&self.status)?,
            created_at_ms: self.created_at,
        })
    }
}

/// Whether a database error is a unique-constraint violation (a concurrent insert won the race).
pub(super) fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(e) if e.is_unique_violation())
}
