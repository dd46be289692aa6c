//! A group of one-tap options (the points of a scale, yes/no, single choice), following the WAI-ARIA
//! radio group pattern: one tab stop, arrow keys move the selection, Enter or Space (or a tap)
//! chooses.

use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;
use yew::prelude::*;

/// One option of a [`RadioGroup`].
#[derive(Debug, Clone, PartialEq)]
pub struct RadioOption {
    /// What the button shows.
    pub label: AttrValue,
    /// Its accessible name, when the label alone says too little (e.g. "1, Very unsatisfied").
    pub name: Option<AttrValue>,
    /// A face instead of the label: 0 (very unhappy) to 4 (very happy).
    pub face: Option<usize>,
}

/// Props of [`RadioGroup`].
#[derive(Properties, PartialEq)]
pub struct RadioGroupProps {
    /// Id of the element naming the group (the question).
    pub labelled_by: AttrValue,
    /// The options, in order.
    pub options: Rc<Vec<RadioOption>>,
    /// The option currently selected.
    pub selected: Option<usize>,
    /// Lay the options out as a row of equal cells (a scale) rather than a list.
    #[prop_or_default]
    pub scale: bool,
    /// Focus the group when it appears (only once the shopper is already in the survey).
    #[prop_or_default]
    pub take_focus: bool,
    /// The selection moved (arrow keys).
    pub onselect: Callback<usize>,
    /// An option was chosen (tap, click, Enter or Space).
    pub onchoose: Callback<usize>,
}

/// A radio group of buttons.
#[component]
pub fn RadioGroup(props: &RadioGroupProps) -> Html {
    let group = use_node_ref();
    let count = props.options.len();

    use_effect_with(props.take_focus, {
        let group = group.clone();
        let selected = props.selected.unwrap_or(0);
        move |take_focus| {
            if *take_focus {
                focus_option(&group, selected);
            }
        }
    });

    let onkeydown = {
        let group = group.clone();
        let onselect = props.onselect.clone();
        let current = props.selected.unwrap_or(0);
        Callback::from(move |e: KeyboardEvent| {
            let target = match e.key().as_str() {
                "ArrowRight" | "ArrowDown" => (current + 1) % count,
                "ArrowLeft" | "ArrowUp" => (current + count - 1) % count,
                "Home" => 0,
                "End" => count - 1,
                _ => return,
            };
            e.prevent_default();
            onselect.emit(target);
            focus_option(&group, target);
        })
    };

    let tab_stop = props.selected.unwrap_or(0);
    let class = classes!("cx-options", props.scale.then_some("cx-scale"));
    html! {
        <div ref={group} {class} role="radiogroup" aria-labelledby={props.labelled_by.clone()} {onkeydown}>
            { for props.options.iter().enumerate().map(|(i, option)| {
                let checked = props.selected == Some(i);
                let onclick = props.onchoose.reform(move |_: MouseEvent| i);
                html! {
                    <button
                        type="button"
                        role="radio"
                        class="cx-option"
                        aria-checked={if checked { "true" } else { "false" }}
                        aria-label={option.name.clone()}
                        tabindex={if i == tab_stop { "0" } else { "-1" }}
                        {onclick}
                    >{ match option.face {
                        Some(mood) => face(mood),
                        None => html! { option.label.clone() },
                    } }</button>
                }
            }) }
        </div>
    }
}

/// A face drawn in the text colour, so it follows the theme and needs no emoji font (headless and
/// older systems show emoji as empty boxes). The mouth bends from a frown to a smile.
fn face(mood: usize) -> Html {
    const MOUTHS: [&str; 5] = [
        "M7.5 17.5Q12 12.5 16.5 17.5",
        "M8 16.5Q12 14 16 16.5",
        "M8 16h8",
        "M8 15.5Q12 18 16 15.5",
        "M7.5 14.5Q12 20.5 16.5 14.5",
    ];
    let mouth = MOUTHS.get(mood).copied().unwrap_or(MOUTHS[2]);
    html! {
        <svg class="cx-face" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true">
            <circle cx="12" cy="12" r="10" fill="none" stroke="currentColor" stroke-width="1.6" />
            <circle cx="8.5" cy="9.5" r="1.3" fill="currentColor" />
            <circle cx="15.5" cy="9.5" r="1.3" fill="currentColor" />
            <path d={mouth} fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" />
        </svg>
    }
}

fn focus_option(group: &NodeRef, index: usize) {
    let button = group
        .cast::<web_sys::Element>()
        .and_then(|g| g.children().item(index as u32))
        .and_then(|b| b.dyn_into::<HtmlElement>().ok());
    if let Some(button) = button {
        let _ = button.focus();
    }
}
