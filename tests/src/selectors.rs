//! CSS selectors for the widget's markup, in one place.

/// The widget's host element (its shadow root holds everything else).
pub const HOST: &str = "cx-survey";
/// A question's heading.
pub const QUESTION_TITLE: &str = ".cx-title";
/// The options of a scale, yes/no or single-choice question, in order.
pub const OPTION: &str = "button[role=radio]";
/// A free-text answer box.
pub const TEXT_BOX: &str = "textarea";
/// The primary button (Next or Send).
pub const PRIMARY: &str = "button.cx-primary";
/// The thank-you step.
pub const THANK_YOU: &str = ".cx-thanks";
