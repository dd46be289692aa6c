//! The survey model shared by the widget (in the shopper's browser), the collector and, later, the
//! dashboard: journey stages, question sets and their questions, responses and their validation, the
//! order in which questions are asked, and the score formulas.
//!
//! It has no I/O and no browser or server dependency, so it builds for `wasm32-unknown-unknown` and
//! natively, and every rule in it is tested natively.

pub mod condition;
pub mod config;
pub mod decode;
pub mod defaults;
pub mod eligibility;
pub mod encode;
pub mod etiquette;
pub mod flow;
pub mod localized;
pub mod question;
pub mod question_set;
pub mod response;
pub mod sampling;
pub mod score;
pub mod small_map;
pub mod stage;
pub mod theme;
pub mod validation;

pub use condition::Condition;
pub use config::{SiteConfig, StageConfig};
pub use etiquette::{BrowsingTrigger, Etiquette, Recontact};
pub use localized::Localized;
pub use question::{ChoiceOption, CsatStyle, Question, QuestionKind};
pub use question_set::QuestionSet;
pub use response::{Answer, AnswerValue, Response};
pub use stage::Stage;
pub use theme::Theme;
pub use validation::ValidationError;
