//! The card every step is shown in: accessible name, progress, close button, Escape to dismiss.

use crate::i18n::Texts;
use yew::prelude::*;

/// Props of [`SurveyCard`].
#[derive(Properties, PartialEq)]
pub struct SurveyCardProps {
    /// Built-in texts.
    pub texts: &'static Texts,
    /// `(n, m)` for "Question n of m", or nothing.
    pub progress: Option<(usize, usize)>,
    /// The shopper closed the survey.
    pub onclose: Callback<()>,
    /// The step shown.
    pub children: Html,
}

/// The survey's frame.
#[component]
pub fn SurveyCard(props: &SurveyCardProps) -> Html {
    let texts = props.texts;
    let onkeydown = {
        let onclose = props.onclose.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                e.prevent_default();
                onclose.emit(());
            }
        })
    };
    let onclick = props.onclose.reform(|_: MouseEvent| ());
    html! {
        <section class="cx-card" role="dialog" aria-label={texts.survey} {onkeydown}>
            <header class="cx-head">
                if let Some((n, m)) = props.progress {
                    <span class="cx-progress">{ format!("{} {n} {} {m}", texts.progress[0], texts.progress[1]) }</span>
                }
                <button type="button" class="cx-close" aria-label={texts.close} {onclick}>{ "×" }</button>
            </header>
            { props.children.clone() }
        </section>
    }
}
