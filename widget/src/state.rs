//! The state of one survey on screen, and the actions that change it.

use std::rc::Rc;
use survey::flow::next_question;
use survey::{Answer, AnswerValue, QuestionSet};
use yew::Reducible;

/// Where the shopper is in the survey.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Asking the question at this index of the set.
    Question(usize),
    /// Done; thanking the shopper.
    ThankYou,
    /// Closed by the shopper.
    Closed,
}

/// One survey's answers and position.
#[derive(Debug, Clone, PartialEq)]
pub struct SurveyState {
    /// The question set being asked.
    pub set: Rc<QuestionSet>,
    /// The answers so far, in the order given.
    pub answers: Vec<Answer>,
    /// The current step.
    pub step: Step,
    /// Whether the shopper has gone past the first question (focus may then follow the survey).
    pub moved: bool,
    /// Bumped whenever there is something new to deliver.
    pub revision: u32,
    /// Whether the latest change was an answer (a skip that completes the survey is not).
    pub just_answered: bool,
}

/// What the shopper did.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Answered the current question.
    Answer(AnswerValue),
    /// Went on without answering the current (optional) question.
    Skip,
    /// Closed the survey.
    Close,
}

impl SurveyState {
    /// A survey at its first question.
    pub fn new(set: Rc<QuestionSet>) -> Self {
        let step = next_question(&set, &[], None).map_or(Step::Closed, Step::Question);
        Self {
            set,
            answers: Vec::new(),
            step,
            moved: false,
            revision: 0,
            just_answered: false,
        }
    }

    /// Whether every question due has been answered or skipped.
    pub fn completed(&self) -> bool {
        self.step == Step::ThankYou
    }

    /// Applies an action, returning the new state.
    pub fn apply(&self, action: Action) -> Self {
        let mut next = self.clone();
        let Step::Question(current) = self.step else {
            return next;
        };
        next.just_answered = matches!(action, Action::Answer(_));
        match action {
            Action::Close => {
                next.step = Step::Closed;
                return next;
            }
            Action::Answer(value) => {
                let question = self.set.questions[current].id.clone();
                next.answers.retain(|a| a.question != question);
                next.answers.push(Answer { question, value });
                next.revision += 1;
            }
            Action::Skip => {}
        }
        next.moved = true;
        next.step = next_question(&next.set, &next.answers, Some(current))
            .map_or(Step::ThankYou, Step::Question);
        // Finishing by a skip still has to tell the collector the response is complete.
        if next.completed() && next.revision == self.revision && !next.answers.is_empty() {
            next.revision += 1;
        }
        next
    }
}

impl Reducible for SurveyState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new(self.apply(action))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use survey::{Stage, defaults};

    fn checkout() -> SurveyState {
        SurveyState::new(Rc::new(defaults::question_set(Stage::Checkout)))
    }

    #[test]
    fn a_low_score_leads_to_the_comment_then_thanks() {
        let s = checkout().apply(Action::Answer(AnswerValue::Score(2)));
        assert_eq!(s.step, Step::Question(1));
        let s = s.apply(Action::Answer(AnswerValue::Score(3)));
        assert_eq!(s.step, Step::Question(2));
        let s = s.apply(Action::Answer(AnswerValue::Text("late".into())));
        assert_eq!(s.step, Step::ThankYou);
        assert!(s.completed());
        assert_eq!(s.answers.len(), 3);
        assert_eq!(s.revision, 3);
    }

    #[test]
    fn a_high_score_skips_the_comment() {
        let s = checkout()
            .apply(Action::Answer(AnswerValue::Score(5)))
            .apply(Action::Answer(AnswerValue::Score(7)));
        assert_eq!(s.step, Step::ThankYou);
    }

    #[test]
    fn skipping_the_last_question_still_delivers_completion() {
        let s = checkout()
            .apply(Action::Answer(AnswerValue::Score(1)))
            .apply(Action::Answer(AnswerValue::Score(1)));
        let before = s.revision;
        let s = s.apply(Action::Skip);
        assert!(s.completed());
        assert_eq!(s.revision, before + 1);
        assert!(!s.just_answered, "a skip is not an answer to announce");
    }

    #[test]
    fn closing_keeps_the_answers_and_stops() {
        let s = checkout()
            .apply(Action::Answer(AnswerValue::Score(4)))
            .apply(Action::Close);
        assert_eq!(s.step, Step::Closed);
        assert_eq!(s.answers.len(), 1);
        assert_eq!(s.apply(Action::Skip), s, "nothing happens once closed");
    }
}
