//! The card every step is shown in: accessible name, progress, close button, Escape to dismiss.

use crate::i18n::Texts;
use yew::prelude::*;

/// The survey's frame around `step`: "Question n of m" when `progress` is `(n, m)`, and `onclose`
/// told when the shopper closes it (the button or Escape).
///
/// A plain function rather than a component: it has no state, and each component costs the widget
/// its own copy of Yew's lifecycle code.
pub fn survey_card(
    texts: &'static Texts,
    progress: Option<(usize, usize)>,
    onclose: &Callback<()>,
    step: Html,
) -> Html {
    let onkeydown = {
        let onclose = onclose.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                e.prevent_default();
                onclose.emit(());
            }
        })
    };
    let onclick = onclose.reform(|_: MouseEvent| ());
    html! {
        <section class="cx-card" role="dialog" aria-label={texts.survey} {onkeydown}>
            <header class="cx-head">
                if let Some((n, m)) = progress {
                    <span class="cx-progress">{ format!("{} {n} {} {m}", texts.progress[0], texts.progress[1]) }</span>
                }
                <button type="button" class="cx-close" aria-label={texts.close} {onclick}>{ "×" }</button>
            </header>
            { step }
        </section>
    }
}
