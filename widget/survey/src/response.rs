//! A shopper's response: the answers given to one question set, under a client-made id.

use crate::Stage;
use crate::small_map::SmallMap;
use serde::de::{self, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// One shopper's answers to one question set.
///
/// The widget sends the whole response so far each time the shopper answers a question, under the
/// same `id`, so a score reaches the collector at once and its comment completes it later.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Response {
    /// Made by the client (a random UUID); the collector's idempotency key.
    pub id: String,
    /// The site's public key.
    pub site: String,
    /// The stage answered.
    pub stage: Stage,
    /// The exact version of the stage's question set that was shown.
    pub question_set_version: u32,
    /// The language the questions were shown in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// What the store said about the moment, e.g. `{"order": "1042"}`.
    #[serde(default, skip_serializing_if = "SmallMap::is_empty")]
    #[cfg_attr(feature = "openapi", schema(value_type = std::collections::BTreeMap<String, String>))]
    pub context: SmallMap<String, String>,
    /// The answers, at most one per question.
    pub answers: Vec<Answer>,
    /// Whether the shopper reached the end (later sends may still add answers).
    #[serde(default)]
    pub completed: bool,
    /// The browser's random visitor id: the sampling key when the context has no order. Used to
    /// check the sampling draw, never stored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visitor: Option<String>,
}

/// The answer to one question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Answer {
    /// The question's id within its question set.
    pub question: String,
    /// What the shopper answered: a whole-number score, true/false, a text or option id, or a list
    /// of option ids.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub value: AnswerValue,
}

/// What a shopper answered; its JSON form is the plain value (`4`, `true`, `"text"`, `["a","b"]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerValue {
    /// A point on a scale (NPS, CSAT, CES).
    Score(i64),
    /// Yes (`true`) or no.
    YesNo(bool),
    /// Free text, or the option id of a single-choice question.
    Text(String),
    /// The option ids of a multiple-choice question.
    Choices(Vec<String>),
}

impl AnswerValue {
    /// The name of the value's kind, for error messages.
    pub fn kind_name(&self) -> &'static str {
        match self {
            AnswerValue::Score(_) => "a score",
            AnswerValue::YesNo(_) => "true/false",
            AnswerValue::Text(_) => "a text",
            AnswerValue::Choices(_) => "a list of options",
        }
    }
}

impl Serialize for AnswerValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            AnswerValue::Score(score) => serializer.serialize_i64(*score),
            AnswerValue::YesNo(yes) => serializer.serialize_bool(*yes),
            AnswerValue::Text(text) => serializer.serialize_str(text),
            AnswerValue::Choices(choices) => choices.serialize(serializer),
        }
    }
}

// Written by hand rather than `#[serde(untagged)]`: the error names what is accepted instead of
// "did not match any variant", and it avoids untagged's buffering code in the widget's wasm.
impl<'de> Deserialize<'de> for AnswerValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ValueVisitor;

        impl<'de> Visitor<'de> for ValueVisitor {
            type Value = AnswerValue;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a whole-number score, true/false, a text or a list of option ids")
            }

            fn visit_bool<E: de::Error>(self, v: bool) -> Result<AnswerValue, E> {
                Ok(AnswerValue::YesNo(v))
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<AnswerValue, E> {
                Ok(AnswerValue::Score(v))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<AnswerValue, E> {
                i64::try_from(v)
                    .map(AnswerValue::Score)
                    .map_err(|_| E::custom("score out of range"))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<AnswerValue, E> {
                Ok(AnswerValue::Text(v.to_owned()))
            }

            fn visit_string<E: de::Error>(self, v: String) -> Result<AnswerValue, E> {
                Ok(AnswerValue::Text(v))
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<AnswerValue, A::Error> {
                let mut choices = Vec::new();
                while let Some(choice) = seq.next_element::<String>()? {
                    choices.push(choice);
                }
                Ok(AnswerValue::Choices(choices))
            }
        }

        deserializer.deserialize_any(ValueVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answer_values_are_plain_json() {
        let answers: Vec<AnswerValue> =
            serde_json::from_str(r#"[4, true, "slow", ["a", "b"]]"#).expect("valid answers");
        assert_eq!(
            answers,
            vec![
                AnswerValue::Score(4),
                AnswerValue::YesNo(true),
                AnswerValue::Text("slow".into()),
                AnswerValue::Choices(vec!["a".into(), "b".into()]),
            ]
        );
        let json = serde_json::to_string(&answers).expect("answers serialize");
        assert_eq!(json, r#"[4,true,"slow",["a","b"]]"#);
    }

    #[test]
    fn a_fractional_score_is_rejected_with_what_is_accepted() {
        let err = serde_json::from_str::<AnswerValue>("4.5").unwrap_err();
        assert!(err.to_string().contains("whole-number score"), "{err}");
    }
}
