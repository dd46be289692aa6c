//! Several options at once (multiple choice), as native checkboxes.

use std::rc::Rc;
use yew::prelude::*;

/// Props of [`CheckboxList`].
#[derive(Properties, PartialEq)]
pub struct CheckboxListProps {
    /// Id of the element naming the group (the question).
    pub labelled_by: AttrValue,
    /// The options' labels, in order.
    pub labels: Rc<Vec<AttrValue>>,
    /// Which options are ticked.
    pub checked: Rc<Vec<bool>>,
    /// An option was ticked or unticked.
    pub ontoggle: Callback<usize>,
}

/// A group of checkboxes.
#[component]
pub fn CheckboxList(props: &CheckboxListProps) -> Html {
    html! {
        <div class="cx-options" role="group" aria-labelledby={props.labelled_by.clone()}>
            { for props.labels.iter().enumerate().map(|(i, label)| {
                let onchange = props.ontoggle.reform(move |_: Event| i);
                html! {
                    <label class="cx-check">
                        <input type="checkbox" checked={props.checked.get(i).copied().unwrap_or(false)} {onchange} />
                        <span>{ label.clone() }</span>
                    </label>
                }
            }) }
        </div>
    }
}
