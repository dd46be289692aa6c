//! The widget's components and the plain view functions they are built from, one per file.

mod checkbox_list;
mod free_text;
mod question_view;
mod radio_group;
mod survey_card;
mod thank_you;

pub use checkbox_list::checkbox_list;
pub use free_text::FreeText;
pub use question_view::QuestionView;
pub use radio_group::{RadioGroup, RadioOption};
pub use survey_card::survey_card;
pub use thank_you::thank_you;
