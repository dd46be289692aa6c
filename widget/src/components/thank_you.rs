//! The last step: thanks, announced to screen readers.

use crate::i18n::Texts;
use survey::question::Tone;
use yew::prelude::*;

/// Props of [`ThankYou`].
#[derive(Properties, PartialEq)]
pub struct ThankYouProps {
    /// Built-in texts.
    pub texts: &'static Texts,
    /// How the shopper's score read, if they gave one: a promoter and a detractor are thanked
    /// differently.
    pub tone: Option<Tone>,
}

/// Thanks the shopper; `role="status"` makes screen readers announce it without moving focus.
#[component]
pub fn ThankYou(props: &ThankYouProps) -> Html {
    html! {
        <div class="cx-thanks" role="status">
            <p class="cx-thanks-title">{ props.texts.thank_you }</p>
            <p>{ match props.tone {
                Some(Tone::Favourable) => props.texts.thank_you_favourable,
                Some(Tone::Unfavourable) => props.texts.thank_you_unfavourable,
                _ => props.texts.thank_you_detail,
            } }</p>
        </div>
    }
}
