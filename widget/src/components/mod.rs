//! The widget's components, one per file.

mod checkbox_list;
mod free_text;
mod question_view;
mod radio_group;
mod survey_card;
mod thank_you;

pub use checkbox_list::CheckboxList;
pub use free_text::FreeText;
pub use question_view::QuestionView;
pub use radio_group::{RadioGroup, RadioOption};
pub use survey_card::SurveyCard;
pub use thank_you::ThankYou;
