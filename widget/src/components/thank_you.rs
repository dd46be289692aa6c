//! The last step: thanks, announced to screen readers.

use crate::i18n::Texts;
use yew::prelude::*;

/// Props of [`ThankYou`].
#[derive(Properties, PartialEq)]
pub struct ThankYouProps {
    /// Built-in texts.
    pub texts: &'static Texts,
}

/// Thanks the shopper; `role="status"` makes screen readers announce it without moving focus.
#[component]
pub fn ThankYou(props: &ThankYouProps) -> Html {
    html! {
        <div class="cx-thanks" role="status">
            <p class="cx-thanks-title">{ props.texts.thank_you }</p>
            <p>{ props.texts.thank_you_detail }</p>
        </div>
    }
}
