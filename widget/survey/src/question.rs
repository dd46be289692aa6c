//! Questions and their types.

use crate::{Condition, Localized};
use serde::{Deserialize, Serialize};

/// The longest free-text answer a question may allow, in characters.
pub const MAX_TEXT_LENGTH: u32 = 2000;
/// The free-text limit used when a question does not set one, in characters.
pub const DEFAULT_TEXT_LENGTH: u32 = 500;

/// One question of a question set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Question {
    /// Stable identifier within its question set (`csat`, `comment`); answers refer to it.
    pub id: String,
    /// What kind of answer it takes.
    pub kind: QuestionKind,
    /// The question as shoppers read it.
    pub text: Localized,
    /// Whether the shopper may go on without answering.
    #[serde(default)]
    pub optional: bool,
    /// Ask only when an earlier answer meets this condition (e.g. CSAT <= 3 asks for a comment).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_if: Option<Condition>,
}

/// What kind of answer a question takes, with its parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum QuestionKind {
    /// Net Promoter Score: 0-10.
    Nps,
    /// Customer satisfaction: 1-5.
    Csat {
        /// How the five points are drawn.
        #[serde(default)]
        style: CsatStyle,
    },
    /// Customer effort: 1-7, higher is easier.
    Ces,
    /// Yes or no.
    YesNo,
    /// Exactly one of the options.
    SingleChoice {
        /// The options, in display order.
        options: Vec<ChoiceOption>,
    },
    /// Any number of the options.
    MultipleChoice {
        /// The options, in display order.
        options: Vec<ChoiceOption>,
    },
    /// Free text.
    Text {
        /// The longest answer accepted, in characters (at most [`MAX_TEXT_LENGTH`]).
        #[serde(default = "default_text_length")]
        max_length: u32,
    },
}

fn default_text_length() -> u32 {
    DEFAULT_TEXT_LENGTH
}

/// How a score reads, by the industry's bands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// NPS 9-10 (a promoter), CSAT 4-5, CES 5-7.
    Favourable,
    /// Between the two.
    Neutral,
    /// NPS 0-6 (a detractor), CSAT 1-2, CES 1-3.
    Unfavourable,
}

impl QuestionKind {
    /// How `score` reads on this scale; `None` for questions without one.
    pub fn tone(&self, score: i64) -> Option<Tone> {
        let (unfavourable_to, favourable_from) = match self {
            QuestionKind::Nps => (6, 9),
            QuestionKind::Csat { .. } => (2, 4),
            QuestionKind::Ces => (3, 5),
            _ => return None,
        };
        Some(if score <= unfavourable_to {
            Tone::Unfavourable
        } else if score >= favourable_from {
            Tone::Favourable
        } else {
            Tone::Neutral
        })
    }

    /// The inclusive range of a numeric scale, `None` for questions that are not scales.
    pub fn scale(&self) -> Option<(i64, i64)> {
        match self {
            QuestionKind::Nps => Some((0, 10)),
            QuestionKind::Csat { .. } => Some((1, 5)),
            QuestionKind::Ces => Some((1, 7)),
            _ => None,
        }
    }

    /// The name used in error messages and in the database.
    pub fn name(&self) -> &'static str {
        match self {
            QuestionKind::Nps => "nps",
            QuestionKind::Csat { .. } => "csat",
            QuestionKind::Ces => "ces",
            QuestionKind::YesNo => "yes_no",
            QuestionKind::SingleChoice { .. } => "single_choice",
            QuestionKind::MultipleChoice { .. } => "multiple_choice",
            QuestionKind::Text { .. } => "text",
        }
    }
}

/// How a CSAT scale is drawn; the answer is 1-5 whatever the style.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum CsatStyle {
    /// The numbers 1 to 5.
    #[default]
    Numbers,
    /// Five stars.
    Stars,
    /// Five faces from very unhappy to very happy.
    Faces,
}

/// One option of a choice question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChoiceOption {
    /// Stable identifier stored with the answer.
    pub id: String,
    /// The option as shoppers read it.
    pub text: Localized,
}
