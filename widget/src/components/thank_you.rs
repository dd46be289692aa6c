//! The last step: thanks, announced to screen readers.

use crate::i18n::Texts;
use survey::question::Tone;
use yew::prelude::*;

/// Thanks the shopper, a promoter and a detractor differently (`tone` is how their score read, if
/// they gave one); `role="status"` makes screen readers announce it without moving focus.
///
/// A plain function rather than a component: it has no state, and each component costs the widget
/// its own copy of Yew's lifecycle code.
pub fn thank_you(texts: &'static Texts, tone: Option<Tone>) -> Html {
    html! {
        <div class="cx-thanks" role="status">
            <p class="cx-thanks-title">{ texts.thank_you }</p>
            <p>{ match tone {
                Some(Tone::Favourable) => texts.thank_you_favourable,
                Some(Tone::Unfavourable) => texts.thank_you_unfavourable,
                _ => texts.thank_you_detail,
            } }</p>
        </div>
    }
}
