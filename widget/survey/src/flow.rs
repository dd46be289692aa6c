//! The order in which a question set's questions are asked, given the answers so far.

use crate::question::Tone;
use crate::{Answer, AnswerValue, QuestionSet};

/// The index of the first question after `after` (or the first of all) that should be asked:
/// one without a condition, or whose condition holds for `answers`. `None` when the set is done.
pub fn next_question(set: &QuestionSet, answers: &[Answer], after: Option<usize>) -> Option<usize> {
    let start = after.map_or(0, |i| i + 1);
    (start..set.questions.len()).find(|&i| {
        set.questions[i]
            .show_if
            .as_ref()
            .is_none_or(|condition| condition.holds(answers))
    })
}

/// How many questions will be asked in all, given the answers so far (follow-ups whose condition
/// cannot be decided yet are counted), for the progress indicator.
pub fn question_count(set: &QuestionSet, answers: &[Answer]) -> usize {
    set.questions
        .iter()
        .filter(|q| match &q.show_if {
            None => true,
            Some(c) => !answers.iter().any(|a| a.question == c.question) || c.holds(answers),
        })
        .count()
}

/// How the response reads, by its first scale answer: what the thank-you acknowledges.
pub fn tone(set: &QuestionSet, answers: &[Answer]) -> Option<Tone> {
    answers.iter().find_map(|answer| match answer.value {
        AnswerValue::Score(score) => set.question(&answer.question)?.kind.tone(score),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AnswerValue, Stage, defaults};

    fn answered(question: &str, score: i64) -> Vec<Answer> {
        vec![Answer {
            question: question.into(),
            value: AnswerValue::Score(score),
        }]
    }

    #[test]
    fn a_low_csat_asks_for_a_comment() {
        let set = defaults::question_set(Stage::Checkout);
        let answers = [answered("csat", 2), answered("ces", 5)].concat();
        assert_eq!(next_question(&set, &[], None), Some(0));
        assert_eq!(next_question(&set, &answers, Some(0)), Some(1));
        assert_eq!(next_question(&set, &answers, Some(1)), Some(2));
        assert_eq!(next_question(&set, &answers, Some(2)), None);
        assert_eq!(question_count(&set, &answers), 3);
    }

    #[test]
    fn the_first_score_sets_the_tone() {
        let set = defaults::question_set(Stage::Checkout);
        assert_eq!(tone(&set, &answered("csat", 5)), Some(Tone::Favourable));
        assert_eq!(tone(&set, &answered("csat", 3)), Some(Tone::Neutral));
        assert_eq!(tone(&set, &answered("csat", 1)), Some(Tone::Unfavourable));
        assert_eq!(tone(&set, &[]), None);
        let nps = defaults::question_set(Stage::Delivery);
        assert_eq!(tone(&nps, &answered("nps", 6)), Some(Tone::Unfavourable));
        assert_eq!(tone(&nps, &answered("nps", 9)), Some(Tone::Favourable));
    }

    #[test]
    fn a_high_csat_skips_the_comment() {
        let set = defaults::question_set(Stage::Checkout);
        let answers = [answered("csat", 5), answered("ces", 7)].concat();
        assert_eq!(next_question(&set, &answers, Some(1)), None);
        assert_eq!(question_count(&set, &answers), 2);
        assert_eq!(question_count(&set, &[]), 3, "undecided follow-ups count");
    }
}
