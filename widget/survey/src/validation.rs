//! Validation of a response against the question set version it answers.

use crate::question::QuestionKind;
use crate::small_map::SmallMap;
use crate::{AnswerValue, QuestionSet, Response};

/// The longest response id, in bytes.
pub const MAX_ID_LENGTH: usize = 64;
/// The shortest response id, in bytes (ids are random; short ones collide).
pub const MIN_ID_LENGTH: usize = 16;
/// The most context entries (`order`, `ticket`, ...) one response may carry.
pub const MAX_CONTEXT_ENTRIES: usize = 8;
/// The longest context key, in bytes.
pub const MAX_CONTEXT_KEY_LENGTH: usize = 32;
/// The longest context value, in characters.
pub const MAX_CONTEXT_VALUE_LENGTH: usize = 128;
/// The longest locale tag, in bytes.
pub const MAX_LOCALE_LENGTH: usize = 35;

/// Why a response was refused; each has a stable machine-readable [`code`](Self::code).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValidationError {
    /// The response id is malformed.
    #[error(
        "id must be {MIN_ID_LENGTH} to {MAX_ID_LENGTH} characters of A-Z, a-z, 0-9, '-' or '_'"
    )]
    InvalidId,
    /// The locale is not a plausible language tag.
    #[error(
        "locale must be a language tag such as en, pt-BR or pl (at most {MAX_LOCALE_LENGTH} characters)"
    )]
    InvalidLocale,
    /// A context entry is malformed.
    #[error("context {key:?}: {reason}")]
    InvalidContext {
        /// The offending key.
        key: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The response carries no answer.
    #[error("answers must contain at least one answer")]
    NoAnswers,
    /// An answer names a question that the question set does not have.
    #[error("question {question:?} is not in version {version} of this question set")]
    UnknownQuestion {
        /// The unknown question id.
        question: String,
        /// The question set version answered.
        version: u32,
    },
    /// Two answers to the same question.
    #[error("question {question:?} is answered more than once")]
    DuplicateAnswer {
        /// The question id.
        question: String,
    },
    /// The answer is not the kind the question takes.
    #[error("question {question:?} takes {expected}, got {got}")]
    WrongAnswerType {
        /// The question id.
        question: String,
        /// What the question takes.
        expected: &'static str,
        /// What was sent.
        got: &'static str,
    },
    /// A score outside the question's scale.
    #[error("question {question:?} takes a score from {min} to {max}, got {value}")]
    ScoreOutOfRange {
        /// The question id.
        question: String,
        /// The score sent.
        value: i64,
        /// The scale's lowest point.
        min: i64,
        /// The scale's highest point.
        max: i64,
    },
    /// A text longer than the question allows.
    #[error("question {question:?} takes at most {max} characters, got {length}")]
    TextTooLong {
        /// The question id.
        question: String,
        /// The text's length in characters.
        length: usize,
        /// The question's limit.
        max: u32,
    },
    /// A choice that is not one of the question's options.
    #[error("question {question:?} has no option {option:?}")]
    UnknownOption {
        /// The question id.
        question: String,
        /// The unknown option id.
        option: String,
    },
}

impl ValidationError {
    /// The machine-readable reason, used as the `error` field of a 4xx body and as a metric label.
    pub fn code(&self) -> &'static str {
        match self {
            ValidationError::InvalidId => "invalid_id",
            ValidationError::InvalidLocale => "invalid_locale",
            ValidationError::InvalidContext { .. } => "invalid_context",
            ValidationError::NoAnswers => "no_answers",
            ValidationError::UnknownQuestion { .. } => "unknown_question",
            ValidationError::DuplicateAnswer { .. } => "duplicate_answer",
            ValidationError::WrongAnswerType { .. } => "wrong_answer_type",
            ValidationError::ScoreOutOfRange { .. } => "score_out_of_range",
            ValidationError::TextTooLong { .. } => "text_too_long",
            ValidationError::UnknownOption { .. } => "unknown_option",
        }
    }
}

/// Whether `s` is a site key or an id: ASCII letters, digits, `-` and `_` only.
pub fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Checks a response's context: at most 8 entries, token keys, values up to 128 characters.
pub fn check_context(context: &SmallMap<String, String>) -> Result<(), ValidationError> {
    if context.len() > MAX_CONTEXT_ENTRIES {
        let key = context.keys().nth(MAX_CONTEXT_ENTRIES).cloned();
        return Err(ValidationError::InvalidContext {
            key: key.unwrap_or_default(),
            reason: "a response carries at most 8 context entries",
        });
    }
    for (key, value) in context {
        let invalid = |reason| ValidationError::InvalidContext {
            key: key.clone(),
            reason,
        };
        if key.len() > MAX_CONTEXT_KEY_LENGTH || !is_token(key) {
            return Err(invalid(
                "keys are 1 to 32 characters of A-Z, a-z, 0-9, '-' or '_'",
            ));
        }
        if value.chars().count() > MAX_CONTEXT_VALUE_LENGTH {
            return Err(invalid("values are at most 128 characters"));
        }
    }
    Ok(())
}

impl Response {
    /// Checks everything about the response that does not depend on its question set.
    pub fn check_envelope(&self) -> Result<(), ValidationError> {
        if !(MIN_ID_LENGTH..=MAX_ID_LENGTH).contains(&self.id.len()) || !is_token(&self.id) {
            return Err(ValidationError::InvalidId);
        }
        if let Some(locale) = &self.locale
            && (locale.len() > MAX_LOCALE_LENGTH || !is_token(locale))
        {
            return Err(ValidationError::InvalidLocale);
        }
        check_context(&self.context)?;
        if self.answers.is_empty() {
            return Err(ValidationError::NoAnswers);
        }
        Ok(())
    }

    /// Checks the response against the question set version it answers.
    pub fn validate(&self, set: &QuestionSet) -> Result<(), ValidationError> {
        self.check_envelope()?;
        for (i, answer) in self.answers.iter().enumerate() {
            let question = &answer.question;
            if self.answers[..i].iter().any(|a| &a.question == question) {
                return Err(ValidationError::DuplicateAnswer {
                    question: question.clone(),
                });
            }
            let Some(q) = set.question(question) else {
                return Err(ValidationError::UnknownQuestion {
                    question: question.clone(),
                    version: set.version,
                });
            };
            check_answer(question, &q.kind, &answer.value)?;
        }
        Ok(())
    }
}

fn check_answer(
    question: &str,
    kind: &QuestionKind,
    value: &AnswerValue,
) -> Result<(), ValidationError> {
    let wrong_type = |expected| ValidationError::WrongAnswerType {
        question: question.to_owned(),
        expected,
        got: value.kind_name(),
    };
    let unknown_option = |option: &str| ValidationError::UnknownOption {
        question: question.to_owned(),
        option: option.to_owned(),
    };
    match (kind, value) {
        (kind, AnswerValue::Score(score)) if kind.scale().is_some() => {
            let (min, max) = kind.scale().unwrap_or_default();
            if (min..=max).contains(score) {
                Ok(())
            } else {
                Err(ValidationError::ScoreOutOfRange {
                    question: question.to_owned(),
                    value: *score,
                    min,
                    max,
                })
            }
        }
        (kind, _) if kind.scale().is_some() => Err(wrong_type("a score")),
        (QuestionKind::YesNo, AnswerValue::YesNo(_)) => Ok(()),
        (QuestionKind::YesNo, _) => Err(wrong_type("true/false")),
        (QuestionKind::Text { max_length }, AnswerValue::Text(text)) => {
            let length = text.chars().count();
            if length > *max_length as usize {
                Err(ValidationError::TextTooLong {
                    question: question.to_owned(),
                    length,
                    max: *max_length,
                })
            } else {
                Ok(())
            }
        }
        (QuestionKind::Text { .. }, _) => Err(wrong_type("a text")),
        (QuestionKind::SingleChoice { options }, AnswerValue::Text(choice)) => {
            if options.iter().any(|o| &o.id == choice) {
                Ok(())
            } else {
                Err(unknown_option(choice))
            }
        }
        (QuestionKind::SingleChoice { .. }, _) => Err(wrong_type("one option id")),
        (QuestionKind::MultipleChoice { options }, AnswerValue::Choices(chosen)) => {
            match chosen.iter().find(|c| !options.iter().any(|o| &o.id == *c)) {
                Some(unknown) => Err(unknown_option(unknown)),
                None => Ok(()),
            }
        }
        (QuestionKind::MultipleChoice { .. }, _) => Err(wrong_type("a list of option ids")),
        // Scales are handled by the guards above.
        (QuestionKind::Nps | QuestionKind::Csat { .. } | QuestionKind::Ces, _) => {
            Err(wrong_type("a score"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Answer, Stage, defaults};

    fn response(answers: Vec<(&str, AnswerValue)>) -> Response {
        Response {
            id: "0f8e2a9c-3b1d-4e5f-9a7b-1c2d3e4f5a6b".into(),
            site: "demo".into(),
            stage: Stage::Checkout,
            question_set_version: 1,
            locale: Some("en".into()),
            context: [("order".to_owned(), "1042".to_owned())].into(),
            answers: answers
                .into_iter()
                .map(|(q, value)| Answer {
                    question: q.into(),
                    value,
                })
                .collect(),
            completed: true,
            visitor: None,
        }
    }

    fn code(r: &Response) -> &'static str {
        let set = defaults::question_set(Stage::Checkout);
        r.validate(&set).map_or_else(|e| e.code(), |()| "ok")
    }

    #[test]
    fn a_complete_checkout_response_is_valid() {
        let r = response(vec![
            ("csat", AnswerValue::Score(2)),
            ("ces", AnswerValue::Score(6)),
            (
                "comment",
                AnswerValue::Text("Shipping cost was a surprise".into()),
            ),
        ]);
        assert_eq!(code(&r), "ok");
    }

    #[test]
    fn each_kind_of_bad_answer_has_its_own_code() {
        let cases = [
            (vec![("csat", AnswerValue::Score(6))], "score_out_of_range"),
            (vec![("csat", AnswerValue::Score(0))], "score_out_of_range"),
            (
                vec![("csat", AnswerValue::Text("5".into()))],
                "wrong_answer_type",
            ),
            (
                vec![("comment", AnswerValue::Score(5))],
                "wrong_answer_type",
            ),
            (vec![("nope", AnswerValue::Score(5))], "unknown_question"),
            (
                vec![
                    ("csat", AnswerValue::Score(5)),
                    ("csat", AnswerValue::Score(4)),
                ],
                "duplicate_answer",
            ),
            (
                vec![("comment", AnswerValue::Text("x".repeat(501)))],
                "text_too_long",
            ),
            (vec![], "no_answers"),
        ];
        for (answers, expected) in cases {
            let r = response(answers.clone());
            assert_eq!(code(&r), expected, "{answers:?}");
        }
    }

    #[test]
    fn text_length_counts_characters_not_bytes() {
        let r = response(vec![("comment", AnswerValue::Text("ż".repeat(500)))]);
        assert_eq!(code(&r), "ok");
    }

    #[test]
    fn envelope_errors() {
        let mut r = response(vec![("csat", AnswerValue::Score(5))]);
        r.id = "short".into();
        assert_eq!(code(&r), "invalid_id");
        r.id = "0f8e2a9c 3b1d 4e5f 9a7b 1c2d3e4f5a6b".into();
        assert_eq!(code(&r), "invalid_id");

        let mut r = response(vec![("csat", AnswerValue::Score(5))]);
        r.locale = Some("en<script>".into());
        assert_eq!(code(&r), "invalid_locale");

        let mut r = response(vec![("csat", AnswerValue::Score(5))]);
        r.context.insert("order".into(), "9".repeat(129));
        assert_eq!(code(&r), "invalid_context");
        r.context = (0..9).map(|i| (format!("k{i}"), "v".to_owned())).collect();
        assert_eq!(code(&r), "invalid_context");
    }

    #[test]
    fn choice_answers_must_name_real_options() {
        let set = defaults::question_set(Stage::Browsing);
        let mut r = response(vec![("found", AnswerValue::YesNo(false))]);
        r.stage = Stage::Browsing;
        assert_eq!(r.validate(&set), Ok(()));
        r.answers[0].value = AnswerValue::Score(1);
        assert_eq!(
            r.validate(&set).map_err(|e| e.code()),
            Err("wrong_answer_type")
        );
    }
}
