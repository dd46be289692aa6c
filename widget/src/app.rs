//! The root component: one survey, from its first question to the thank-you, delivering each answer.

use crate::components::{QuestionView, survey_card, thank_you};
use crate::i18n::Locale;
use crate::state::{Action, Step, SurveyState};
use std::rc::Rc;
use survey::small_map::SmallMap;
use survey::{QuestionSet, Response};
use wasm_bindgen::JsValue;
use yew::prelude::*;

/// Everything one survey needs.
#[derive(Properties, Clone)]
pub struct SurveyProps {
    /// The collector's origin.
    pub collector: String,
    /// The site's public key.
    pub site: String,
    /// The question set to ask.
    pub question_set: Rc<QuestionSet>,
    /// The language to ask in.
    pub locale: Locale,
    /// What the store said about the moment (`order`, `ticket`, ...).
    pub context: SmallMap<String, String>,
    /// The visitor id, sent when it is the sampling key (no order in the context).
    pub visitor: Option<String>,
    /// An answer to the first question given before the survey appeared (a score clicked in an
    /// e-mail), recorded as soon as it shows.
    pub preset: Option<survey::AnswerValue>,
    /// This response's client-made id.
    pub response_id: String,
    /// The loader's `deliver(key, body)`: queues the response's JSON and sends it.
    pub deliver: js_sys::Function,
    /// The loader's `emit(name, detail)`: tells the store's `cx('on', ...)` listeners.
    pub emit: js_sys::Function,
}

/// Calls the loader's `emit(name, detail)` with `{stage, response, question?, value?}`.
fn emit(props: &SurveyProps, name: &str, answer: Option<&survey::Answer>) {
    let detail = js_sys::Object::new();
    let set = |key: &str, value: JsValue| {
        let _ = js_sys::Reflect::set(&detail, &JsValue::from_str(key), &value);
    };
    set("stage", props.question_set.stage.as_str().into());
    set("response", props.response_id.as_str().into());
    if let Some(answer) = answer {
        set("question", answer.question.as_str().into());
        set("value", answer_value(&answer.value));
    }
    let _ = props
        .emit
        .call2(&JsValue::NULL, &JsValue::from_str(name), &detail);
}

/// An answer's value as the plain JS value its JSON would parse to.
fn answer_value(value: &survey::AnswerValue) -> JsValue {
    use survey::AnswerValue;
    match value {
        AnswerValue::Score(score) => JsValue::from_f64(*score as f64),
        AnswerValue::YesNo(yes) => JsValue::from_bool(*yes),
        AnswerValue::Text(text) => JsValue::from_str(text),
        AnswerValue::Choices(choices) => choices
            .iter()
            .map(|c| JsValue::from_str(c))
            .collect::<js_sys::Array>()
            .into(),
    }
}

impl PartialEq for SurveyProps {
    fn eq(&self, other: &Self) -> bool {
        self.response_id == other.response_id && Rc::ptr_eq(&self.question_set, &other.question_set)
    }
}

/// One survey on screen.
#[component]
pub fn Survey(props: &SurveyProps) -> Html {
    let state = use_reducer({
        let set = props.question_set.clone();
        move || SurveyState::new(set)
    });

    use_effect_with((), {
        let props = props.clone();
        let state = state.clone();
        move |()| {
            emit(&props, "show", None);
            if let Some(value) = props.preset.clone() {
                state.dispatch(Action::Answer(value));
            }
        }
    });

    // Every answer goes out at once (the whole response so far, under the same id), so a score is
    // kept even if the shopper never writes the comment.
    use_effect_with(state.revision, {
        let state = state.clone();
        let props = props.clone();
        move |revision| {
            if *revision > 0 {
                deliver(&props, &state);
                if let Some(answer) = state.answers.last().filter(|_| state.just_answered) {
                    emit(&props, "answer", Some(answer));
                }
                // The first answer starts the recontact wait and marks the order as answered.
                if state.just_answered && state.answers.len() == 1 {
                    let order = props.context.get("order").map(String::as_str);
                    let now = js_sys::Date::now() as i64;
                    crate::history::update(|h| h.record_answered(state.set.stage, order, now));
                }
            }
        }
    });

    let texts = props.locale.texts;
    let onclose = {
        let state = state.clone();
        let props = props.clone();
        Callback::from(move |()| {
            // Closing before the end is a dismissal; closing the thank-you is not.
            if !state.completed() {
                emit(&props, "dismiss", None);
            }
            if state.answers.is_empty() {
                let now = js_sys::Date::now() as i64;
                crate::history::update(|h| h.record_dismissed(state.set.stage, now));
            }
            state.dispatch(Action::Close);
        })
    };
    match state.step {
        Step::Closed => html! {},
        Step::ThankYou => survey_card(
            texts,
            None,
            &onclose,
            thank_you(texts, survey::flow::tone(&state.set, &state.answers)),
        ),
        Step::Question(index) => {
            let question = Rc::new(state.set.questions[index].clone());
            let key = question.id.clone();
            let position = state
                .set
                .questions
                .iter()
                .take(index + 1)
                .filter(|q| q.show_if.as_ref().is_none_or(|c| c.holds(&state.answers)))
                .count();
            let total = survey::flow::question_count(&state.set, &state.answers);
            let onanswer = {
                let state = state.clone();
                Callback::from(move |value| state.dispatch(Action::Answer(value)))
            };
            let onskip = {
                let state = state.clone();
                Callback::from(move |()| state.dispatch(Action::Skip))
            };
            let step = html! {
                <QuestionView
                    {key}
                    {question}
                    locale={props.locale.clone()}
                    take_focus={state.moved}
                    {onanswer}
                    {onskip}
                />
            };
            survey_card(texts, Some((position, total)), &onclose, step)
        }
    }
}

/// Hands the response so far to the loader, which queues and sends it.
fn deliver(props: &SurveyProps, state: &SurveyState) {
    let response = Response {
        id: props.response_id.clone(),
        site: props.site.clone(),
        stage: state.set.stage,
        question_set_version: state.set.version,
        locale: Some(props.locale.tag.clone()),
        context: props.context.clone(),
        answers: state.answers.clone(),
        completed: state.completed(),
        visitor: props.visitor.clone(),
    };
    let body = JsValue::from_str(&survey::encode::response(&response));
    let key = JsValue::from_str(&format!("cx:r:{}", props.response_id));
    // The loader never throws; if it somehow did, the answer stays unsent rather than breaking the page.
    let _ = props.deliver.call2(&JsValue::NULL, &key, &body);
}
