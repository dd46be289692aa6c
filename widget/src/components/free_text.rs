//! A free-text answer with its length limit and a counter.

use crate::i18n::Texts;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

/// Props of [`FreeText`].
#[derive(Properties, PartialEq)]
pub struct FreeTextProps {
    /// Id of the element naming the box (the question).
    pub labelled_by: AttrValue,
    /// The longest answer, in characters.
    pub max_length: u32,
    /// Whether the shopper may skip it.
    pub optional: bool,
    /// Focus the box when it appears (only once the shopper is already in the survey).
    #[prop_or_default]
    pub take_focus: bool,
    /// Built-in texts.
    pub texts: &'static Texts,
    /// The shopper sent this text.
    pub onsend: Callback<String>,
    /// The shopper skipped the question.
    pub onskip: Callback<()>,
}

/// A text box, a counter, and Skip/Send.
#[component]
pub fn FreeText(props: &FreeTextProps) -> Html {
    let text = use_state(String::new);
    let area = use_node_ref();

    use_effect_with(props.take_focus, {
        let area = area.clone();
        move |take_focus| {
            if let (true, Some(area)) = (*take_focus, area.cast::<HtmlTextAreaElement>()) {
                let _ = area.focus();
            }
        }
    });

    let oninput = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            text.set(area.value());
        })
    };
    let trimmed = text.trim().to_owned();
    let onsend = {
        let onsend = props.onsend.clone();
        let onskip = props.onskip.clone();
        let trimmed = trimmed.clone();
        Callback::from(move |_: MouseEvent| {
            if trimmed.is_empty() {
                onskip.emit(());
            } else {
                onsend.emit(trimmed.clone());
            }
        })
    };
    let length = text.chars().count();
    let texts = props.texts;
    html! {
        <>
            <textarea
                ref={area}
                class="cx-text"
                rows="3"
                maxlength={props.max_length.to_string()}
                placeholder={texts.comment_placeholder}
                aria-labelledby={props.labelled_by.clone()}
                value={(*text).clone()}
                {oninput}
            />
            <div class="cx-counter" aria-hidden="true">{ format!("{length} / {}", props.max_length) }</div>
            <div class="cx-actions">
                if props.optional {
                    <button type="button" class="cx-secondary" onclick={props.onskip.reform(|_: MouseEvent| ())}>{ texts.skip }</button>
                }
                <button type="button" class="cx-primary" disabled={trimmed.is_empty() && !props.optional} onclick={onsend}>{ texts.send }</button>
            </div>
        </>
    }
}
