//! The collector's hosted survey page (`/s/{site}/{stage}`), opened from an e-mail link: the survey
//! fills the page's container, and a score in the link (`?score=9`) answers the first question.

use survey::{AnswerValue, QuestionSet};

/// What the hosted page passes as the trigger of its `cx('show', ...)`.
pub const TRIGGER: &str = "hosted";
/// The hosted page's container for the survey.
pub const CONTAINER: &str = "#cx-hosted";

/// The link's score, if it is a valid answer to the set's first question.
pub fn preset_answer(set: &QuestionSet) -> Option<AnswerValue> {
    let search = web_sys::window()?.location().search().ok()?;
    let score = web_sys::UrlSearchParams::new_with_str(&search)
        .ok()?
        .get("score")?;
    score_answer(set, &score)
}

/// `score` as an answer to the set's first question, when that question is a scale that has it.
pub fn score_answer(set: &QuestionSet, score: &str) -> Option<AnswerValue> {
    let (low, high) = set.questions.first()?.kind.scale()?;
    let score: i64 = score.parse().ok()?;
    (low..=high)
        .contains(&score)
        .then_some(AnswerValue::Score(score))
}

#[cfg(test)]
mod tests {
    use super::*;
    use survey::Stage;

    #[test]
    fn only_a_score_on_the_first_questions_scale_is_taken() {
        let delivery = survey::defaults::question_set(Stage::Delivery);
        assert_eq!(score_answer(&delivery, "9"), Some(AnswerValue::Score(9)));
        assert_eq!(score_answer(&delivery, "0"), Some(AnswerValue::Score(0)));
        assert_eq!(score_answer(&delivery, "11"), None);
        assert_eq!(score_answer(&delivery, "nine"), None);
        let browsing = survey::defaults::question_set(Stage::Browsing);
        assert_eq!(score_answer(&browsing, "1"), None, "yes/no is not a scale");
    }
}
