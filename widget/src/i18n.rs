//! The widget's built-in texts and the choice of the shopper's language.

/// Every text the widget itself shows (questions carry their own translations).
#[derive(Debug, PartialEq, Eq)]
pub struct Texts {
    /// The survey's accessible name.
    pub survey: &'static str,
    /// The close button's accessible name.
    pub close: &'static str,
    /// Confirms a choice and goes on.
    pub next: &'static str,
    /// Sends a comment.
    pub send: &'static str,
    /// Leaves an optional question unanswered.
    pub skip: &'static str,
    /// Progress as "Question", n, "of", m.
    pub progress: [&'static str; 2],
    /// Shown when the shopper is done.
    pub thank_you: &'static str,
    /// The line under the thank-you.
    pub thank_you_detail: &'static str,
    /// The line under the thank-you after a favourable score (an NPS promoter, CSAT 4-5, CES 5-7).
    pub thank_you_favourable: &'static str,
    /// The line under the thank-you after an unfavourable score (an NPS detractor, CSAT 1-2,
    /// CES 1-3).
    pub thank_you_unfavourable: &'static str,
    /// The ends of the NPS scale.
    pub nps_ends: [&'static str; 2],
    /// The ends of the CSAT scale.
    pub csat_ends: [&'static str; 2],
    /// The ends of the CES scale.
    pub ces_ends: [&'static str; 2],
    /// Yes and no.
    pub yes_no: [&'static str; 2],
    /// Placeholder of a free-text box.
    pub comment_placeholder: &'static str,
}

/// English.
pub static EN: Texts = Texts {
    survey: "Feedback survey",
    close: "Close survey",
    next: "Next",
    send: "Send",
    skip: "Skip",
    progress: ["Question", "of"],
    thank_you: "Thank you!",
    thank_you_detail: "Your feedback helps us improve.",
    thank_you_favourable: "We're glad it went well. Your feedback helps us keep it that way.",
    thank_you_unfavourable: "We're sorry it wasn't better. Your feedback goes straight to our team.",
    nps_ends: ["Not at all likely", "Extremely likely"],
    csat_ends: ["Very unsatisfied", "Very satisfied"],
    ces_ends: ["Very difficult", "Very easy"],
    yes_no: ["Yes", "No"],
    comment_placeholder: "Type your answer",
};

/// Brazilian Portuguese.
pub static PT_BR: Texts = Texts {
    survey: "Pesquisa de opinião",
    close: "Fechar pesquisa",
    next: "Próxima",
    send: "Enviar",
    skip: "Pular",
    progress: ["Pergunta", "de"],
    thank_you: "Obrigado!",
    thank_you_detail: "Sua opinião nos ajuda a melhorar.",
    thank_you_favourable: "Que bom que deu tudo certo. Sua opinião nos ajuda a continuar assim.",
    thank_you_unfavourable: "Sentimos muito que não tenha sido melhor. Sua opinião vai direto para a nossa equipe.",
    nps_ends: ["Nada provável", "Extremamente provável"],
    csat_ends: ["Muito insatisfeito", "Muito satisfeito"],
    ces_ends: ["Muito difícil", "Muito fácil"],
    yes_no: ["Sim", "Não"],
    comment_placeholder: "Digite sua resposta",
};

/// Polish.
pub static PL: Texts = Texts {
    survey: "Ankieta",
    close: "Zamknij ankietę",
    next: "Dalej",
    send: "Wyślij",
    skip: "Pomiń",
    progress: ["Pytanie", "z"],
    thank_you: "Dziękujemy!",
    thank_you_detail: "Twoja opinia pomaga nam być lepszymi.",
    thank_you_favourable: "Cieszymy się, że wszystko poszło dobrze. Twoja opinia pomaga nam to utrzymać.",
    thank_you_unfavourable: "Przykro nam, że nie było lepiej. Twoja opinia trafi prosto do naszego zespołu.",
    nps_ends: ["Zdecydowanie nie", "Zdecydowanie tak"],
    csat_ends: ["Bardzo źle", "Bardzo dobrze"],
    ces_ends: ["Bardzo trudno", "Bardzo łatwo"],
    yes_no: ["Tak", "Nie"],
    comment_placeholder: "Wpisz odpowiedź",
};

/// The language a survey is shown in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Locale {
    /// The tag used to pick the questions' translations (`en`, `pt-BR`, `pl-PL`, ...).
    pub tag: String,
    /// The built-in texts for that language (English when we have none).
    pub texts: &'static Texts,
}

/// The built-in texts for a language tag.
pub fn texts_for(tag: &str) -> &'static Texts {
    let language = tag.split(['-', '_']).next().unwrap_or_default();
    if language.eq_ignore_ascii_case("pt") {
        &PT_BR
    } else if language.eq_ignore_ascii_case("pl") {
        &PL
    } else {
        &EN
    }
}

/// The first usable tag of: the site's config, the page's `<html lang>`, the browser, English.
pub fn resolve(config: Option<&str>, page: Option<&str>, browser: Option<&str>) -> Locale {
    let tag = [config, page, browser]
        .into_iter()
        .flatten()
        .map(str::trim)
        .find(|t| !t.is_empty())
        .unwrap_or("en")
        .to_owned();
    Locale {
        texts: texts_for(&tag),
        tag,
    }
}

/// The locale for this page, given the site's configured one.
pub fn choose_locale(config: Option<&str>) -> Locale {
    let window = web_sys::window();
    let page = window
        .as_ref()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        .and_then(|html| html.get_attribute("lang"));
    let browser = window.and_then(|w| w.navigator().language());
    resolve(config, page.as_deref(), browser.as_deref())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_beats_page_beats_browser() {
        assert_eq!(resolve(Some("pl"), Some("en"), Some("pt-BR")).tag, "pl");
        assert_eq!(resolve(None, Some("pt-BR"), Some("pl")).tag, "pt-BR");
        assert_eq!(resolve(None, Some(" "), Some("pl-PL")).tag, "pl-PL");
        assert_eq!(resolve(None, None, None).tag, "en");
    }

    #[test]
    fn regional_variants_get_their_language_and_unknown_ones_english() {
        assert_eq!(texts_for("pt-PT"), &PT_BR);
        assert_eq!(texts_for("pl_PL"), &PL);
        assert_eq!(texts_for("de"), &EN);
    }
}
