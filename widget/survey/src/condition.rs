//! Conditions that show a follow-up question depending on an earlier answer.

use crate::{Answer, AnswerValue};
use serde::{Deserialize, Serialize};

/// Holds when the answer to `question` meets every bound given; never holds when it is unanswered.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Condition {
    /// The id of the earlier question.
    pub question: String,
    /// The score is at most this (e.g. NPS <= 6 for detractors).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_most: Option<i64>,
    /// The score is at least this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_least: Option<i64>,
    /// The yes/no answer is this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is: Option<bool>,
    /// One of these options was chosen.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub any_of: Vec<String>,
}

impl Condition {
    /// Whether the condition holds for the answers given so far.
    pub fn holds(&self, answers: &[Answer]) -> bool {
        let Some(answer) = answers.iter().find(|a| a.question == self.question) else {
            return false;
        };
        let value = &answer.value;
        let score_ok = match (self.at_most, self.at_least) {
            (None, None) => true,
            (most, least) => match value {
                AnswerValue::Score(score) => {
                    most.is_none_or(|m| *score <= m) && least.is_none_or(|l| *score >= l)
                }
                _ => false,
            },
        };
        let yes_no_ok = match self.is {
            None => true,
            Some(expected) => matches!(value, AnswerValue::YesNo(v) if *v == expected),
        };
        let choice_ok = self.any_of.is_empty()
            || match value {
                AnswerValue::Text(choice) => self.any_of.contains(choice),
                AnswerValue::Choices(chosen) => chosen.iter().any(|c| self.any_of.contains(c)),
                _ => false,
            };
        score_ok && yes_no_ok && choice_ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(question: &str, value: AnswerValue) -> Vec<Answer> {
        vec![Answer {
            question: question.into(),
            value,
        }]
    }

    #[test]
    fn a_detractor_condition_holds_for_low_scores_only() {
        let detractor = Condition {
            question: "nps".into(),
            at_most: Some(6),
            ..Condition::default()
        };
        assert!(detractor.holds(&answer("nps", AnswerValue::Score(0))));
        assert!(detractor.holds(&answer("nps", AnswerValue::Score(6))));
        assert!(!detractor.holds(&answer("nps", AnswerValue::Score(7))));
    }

    #[test]
    fn an_unanswered_question_never_meets_a_condition() {
        let c = Condition {
            question: "nps".into(),
            at_most: Some(6),
            ..Condition::default()
        };
        assert!(!c.holds(&[]));
        assert!(!c.holds(&answer("other", AnswerValue::Score(1))));
    }

    #[test]
    fn yes_no_and_choice_conditions() {
        let said_no = Condition {
            question: "found".into(),
            is: Some(false),
            ..Condition::default()
        };
        assert!(said_no.holds(&answer("found", AnswerValue::YesNo(false))));
        assert!(!said_no.holds(&answer("found", AnswerValue::YesNo(true))));

        let price = Condition {
            question: "why".into(),
            any_of: vec!["price".into()],
            ..Condition::default()
        };
        assert!(price.holds(&answer("why", AnswerValue::Text("price".into()))));
        assert!(price.holds(&answer(
            "why",
            AnswerValue::Choices(vec!["speed".into(), "price".into()])
        )));
        assert!(!price.holds(&answer("why", AnswerValue::Choices(vec!["speed".into()]))));
    }
}
