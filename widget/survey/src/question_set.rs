//! Question sets: the questions asked at one stage, in one immutable version.

use crate::question::MAX_TEXT_LENGTH;
use crate::validation::is_token;
use crate::{Question, QuestionKind, Stage};
use serde::{Deserialize, Serialize};

/// The questions asked at one stage of one site. Editing one makes a new version; every stored
/// answer points at the exact version it answered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuestionSet {
    /// The stage it is asked at.
    pub stage: Stage,
    /// Its version, from 1, increasing with each edit.
    pub version: u32,
    /// The questions, in the order they are asked.
    pub questions: Vec<Question>,
}

/// Why a question set definition is unusable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QuestionSetError {
    /// No questions.
    #[error("a question set needs at least one question")]
    Empty,
    /// A malformed or repeated question id.
    #[error("question id {0:?} must be unique and made of A-Z, a-z, 0-9, '-' or '_'")]
    BadQuestionId(String),
    /// A choice question without options, or with repeated option ids.
    #[error("question {0:?} needs options with unique ids")]
    BadOptions(String),
    /// A text limit beyond the maximum.
    #[error("question {0:?}: max_length must be 1 to {MAX_TEXT_LENGTH}")]
    BadTextLimit(String),
    /// A condition on a question that is not asked earlier.
    #[error("question {0:?}: show_if must refer to an earlier question")]
    BadCondition(String),
}

impl QuestionSet {
    /// The question with this id.
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }

    /// Checks that the definition can be shown and answered.
    pub fn check(&self) -> Result<(), QuestionSetError> {
        if self.questions.is_empty() {
            return Err(QuestionSetError::Empty);
        }
        for (i, q) in self.questions.iter().enumerate() {
            let earlier = &self.questions[..i];
            if !is_token(&q.id) || earlier.iter().any(|e| e.id == q.id) {
                return Err(QuestionSetError::BadQuestionId(q.id.clone()));
            }
            match &q.kind {
                QuestionKind::SingleChoice { options }
                | QuestionKind::MultipleChoice { options } => {
                    let repeated = options
                        .iter()
                        .enumerate()
                        .any(|(j, o)| options[..j].iter().any(|p| p.id == o.id));
                    if options.is_empty() || repeated {
                        return Err(QuestionSetError::BadOptions(q.id.clone()));
                    }
                }
                QuestionKind::Text { max_length }
                    if !(1..=MAX_TEXT_LENGTH).contains(max_length) =>
                {
                    return Err(QuestionSetError::BadTextLimit(q.id.clone()));
                }
                _ => {}
            }
            if let Some(condition) = &q.show_if
                && !earlier.iter().any(|e| e.id == condition.question)
            {
                return Err(QuestionSetError::BadCondition(q.id.clone()));
            }
        }
        Ok(())
    }
}
