//! One question on screen: its text and the control its type calls for.

use super::{FreeText, RadioGroup, RadioOption, checkbox_list};
use crate::i18n::Locale;
use std::rc::Rc;
use survey::{AnswerValue, CsatStyle, Question, QuestionKind};
use yew::prelude::*;

/// Props of [`QuestionView`].
#[derive(Properties, PartialEq)]
pub struct QuestionViewProps {
    /// The question.
    pub question: Rc<Question>,
    /// The shopper's language.
    pub locale: Locale,
    /// Move focus into the question when it appears (the shopper is already answering).
    pub take_focus: bool,
    /// The shopper answered.
    pub onanswer: Callback<AnswerValue>,
    /// The shopper skipped an optional question.
    pub onskip: Callback<()>,
}

/// A question and its answer control.
#[component]
pub fn QuestionView(props: &QuestionViewProps) -> Html {
    let selected = use_state(|| None::<usize>);
    let checked = use_state(Rc::<Vec<bool>>::default);
    let question = &props.question;
    let texts = props.locale.texts;
    let heading = AttrValue::from(format!("cx-q-{}", question.id));

    let radio = radio_question(&question.kind, &props.locale);
    let body = if let Some(RadioQuestion {
        options,
        ends,
        to_answer,
    }) = radio
    {
        let is_scale = ends.is_some();
        let onselect = {
            let selected = selected.clone();
            Callback::from(move |i| selected.set(Some(i)))
        };
        let onchoose = {
            let onanswer = props.onanswer.clone();
            let to_answer = to_answer.clone();
            Callback::from(move |i| onanswer.emit(to_answer(i)))
        };
        let onnext = {
            let onanswer = props.onanswer.clone();
            let selected = *selected;
            Callback::from(move |_: MouseEvent| {
                if let Some(i) = selected {
                    onanswer.emit(to_answer(i));
                }
            })
        };
        html! {
            <>
                <RadioGroup
                    labelled_by={heading.clone()}
                    options={Rc::new(options)}
                    selected={*selected}
                    scale={is_scale}
                    take_focus={props.take_focus}
                    {onselect}
                    {onchoose}
                />
                if let Some([low, high]) = ends {
                    <div class="cx-ends" aria-hidden="true"><span>{ low }</span><span>{ high }</span></div>
                }
                <div class="cx-actions">
                    if question.optional {
                        <button type="button" class="cx-secondary" onclick={props.onskip.reform(|_: MouseEvent| ())}>{ texts.skip }</button>
                    }
                    <button type="button" class="cx-primary" disabled={selected.is_none()} onclick={onnext}>{ texts.next }</button>
                </div>
            </>
        }
    } else {
        match &question.kind {
            QuestionKind::MultipleChoice { options } => {
                let labels: Vec<AttrValue> = options
                    .iter()
                    .map(|o| AttrValue::from(o.text.get(&props.locale.tag).to_owned()))
                    .collect();
                let ontoggle = {
                    let checked = checked.clone();
                    let n = options.len();
                    Callback::from(move |i: usize| {
                        let mut next = (*checked).as_ref().clone();
                        next.resize(n, false);
                        next[i] = !next[i];
                        checked.set(Rc::new(next));
                    })
                };
                let chosen: Vec<String> = options
                    .iter()
                    .zip(checked.iter())
                    .filter(|(_, on)| **on)
                    .map(|(o, _)| o.id.clone())
                    .collect();
                let none = chosen.is_empty();
                let onnext = {
                    let onanswer = props.onanswer.clone();
                    let onskip = props.onskip.clone();
                    Callback::from(move |_: MouseEvent| {
                        if chosen.is_empty() {
                            onskip.emit(());
                        } else {
                            onanswer.emit(AnswerValue::Choices(chosen.clone()));
                        }
                    })
                };
                html! {
                    <>
                        { checkbox_list(heading.clone(), &labels, &checked, &ontoggle) }
                        <div class="cx-actions">
                            <button type="button" class="cx-primary" disabled={none && !question.optional} onclick={onnext}>{ texts.next }</button>
                        </div>
                    </>
                }
            }
            QuestionKind::Text { max_length } => html! {
                <FreeText
                    labelled_by={heading.clone()}
                    max_length={*max_length}
                    optional={question.optional}
                    take_focus={props.take_focus}
                    texts={texts}
                    onsend={props.onanswer.reform(AnswerValue::Text)}
                    onskip={props.onskip.clone()}
                />
            },
            // Scales, yes/no and single choice are radio groups, handled above.
            _ => html! {},
        }
    };

    html! {
        <div class="cx-question">
            <h2 class="cx-title" id={heading.clone()}>{ question.text.get(&props.locale.tag).to_owned() }</h2>
            { body }
        </div>
    }
}

/// A question answered by one tap: its options, the labels of a scale's ends, and how an option's
/// index becomes the answer.
struct RadioQuestion {
    options: Vec<RadioOption>,
    ends: Option<[&'static str; 2]>,
    to_answer: Rc<dyn Fn(usize) -> AnswerValue>,
}

/// The radio form of scales, yes/no and single choice; `None` for other kinds.
fn radio_question(kind: &QuestionKind, locale: &Locale) -> Option<RadioQuestion> {
    let texts = locale.texts;
    let plain = |label: &str| RadioOption {
        label: AttrValue::from(label.to_owned()),
        name: None,
        face: None,
    };
    match kind {
        QuestionKind::Nps | QuestionKind::Csat { .. } | QuestionKind::Ces => {
            let (min, max) = kind.scale()?;
            let (ends, style) = match kind {
                QuestionKind::Nps => (texts.nps_ends, CsatStyle::Numbers),
                QuestionKind::Ces => (texts.ces_ends, CsatStyle::Numbers),
                QuestionKind::Csat { style } => (texts.csat_ends, *style),
                _ => return None,
            };
            Some(RadioQuestion {
                options: (min..=max)
                    .map(|v| scale_option(v, min, max, ends, style))
                    .collect(),
                ends: Some(ends),
                to_answer: Rc::new(move |i| AnswerValue::Score(min + i as i64)),
            })
        }
        QuestionKind::YesNo => Some(RadioQuestion {
            options: texts.yes_no.iter().map(|label| plain(label)).collect(),
            ends: None,
            to_answer: Rc::new(|i| AnswerValue::YesNo(i == 0)),
        }),
        QuestionKind::SingleChoice { options } => {
            let ids: Vec<String> = options.iter().map(|o| o.id.clone()).collect();
            Some(RadioQuestion {
                options: options
                    .iter()
                    .map(|o| plain(o.text.get(&locale.tag)))
                    .collect(),
                ends: None,
                to_answer: Rc::new(move |i| {
                    AnswerValue::Text(ids.get(i).cloned().unwrap_or_default())
                }),
            })
        }
        _ => None,
    }
}

/// One point of a scale: its face and an accessible name that carries the end labels.
fn scale_option(v: i64, min: i64, max: i64, ends: [&str; 2], style: CsatStyle) -> RadioOption {
    let label = match style {
        CsatStyle::Numbers | CsatStyle::Faces => v.to_string(),
        CsatStyle::Stars => "★".to_owned(),
    };
    let face = (style == CsatStyle::Faces).then(|| (v - min) as usize);
    let name = if v == min {
        format!("{v}, {}", ends[0])
    } else if v == max {
        format!("{v}, {}", ends[1])
    } else {
        v.to_string()
    };
    RadioOption {
        label: AttrValue::from(label),
        name: Some(AttrValue::from(name)),
        face,
    }
}
