//! Several options at once (multiple choice), as native checkboxes.

use yew::prelude::*;

/// A group of checkboxes named by the element `labelled_by` (the question): `labels` in order,
/// `checked` saying which are ticked, `ontoggle` told the index of one ticked or unticked.
///
/// A plain function rather than a component: its state lives in the question, and each component
/// costs the widget its own copy of Yew's lifecycle code.
pub fn checkbox_list(
    labelled_by: AttrValue,
    labels: &[AttrValue],
    checked: &[bool],
    ontoggle: &Callback<usize>,
) -> Html {
    html! {
        <div class="cx-options" role="group" aria-labelledby={labelled_by}>
            { for labels.iter().enumerate().map(|(i, label)| {
                let onchange = ontoggle.reform(move |_: Event| i);
                html! {
                    <label class="cx-check">
                        <input type="checkbox" checked={checked.get(i).copied().unwrap_or(false)} {onchange} />
                        <span>{ label.clone() }</span>
                    </label>
                }
            }) }
        </div>
    }
}
