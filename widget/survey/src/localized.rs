//! Texts written by marketers in several languages.

use crate::small_map::SmallMap;
use serde::{Deserialize, Serialize};

/// One text in several languages, keyed by BCP 47 tag (`en`, `pt-BR`, `pl`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(transparent)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(value_type = std::collections::BTreeMap<String, String>))]
pub struct Localized(pub SmallMap<String, String>);

impl Localized {
    /// A text in English only.
    pub fn en(text: &str) -> Self {
        Self::from_pairs(&[("en", text)])
    }

    /// A text from `(language, text)` pairs.
    pub fn from_pairs(pairs: &[(&str, &str)]) -> Self {
        Localized(
            pairs
                .iter()
                .map(|(lang, text)| ((*lang).to_owned(), (*text).to_owned()))
                .collect(),
        )
    }

    /// The best text for `locale`: the exact tag, then its language alone (`pt` for `pt-PT`), then
    /// any tag of that language (`pt-BR` for `pt`), then English, then whatever there is.
    pub fn get(&self, locale: &str) -> &str {
        let language = locale.split(['-', '_']).next().unwrap_or(locale);
        let matches = |tag: &str| tag.split(['-', '_']).next() == Some(language);
        self.0
            .iter()
            .find(|(tag, _)| tag.eq_ignore_ascii_case(locale))
            .or_else(|| {
                self.0
                    .iter()
                    .find(|(tag, _)| tag.eq_ignore_ascii_case(language))
            })
            .or_else(|| self.0.iter().find(|(tag, _)| matches(tag)))
            .or_else(|| self.0.get_key_value("en"))
            .or_else(|| self.0.iter().next())
            .map(|(_, text)| text.as_str())
            .unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn greeting() -> Localized {
        Localized::from_pairs(&[("en", "Hello"), ("pt-BR", "Olá"), ("pl", "Cześć")])
    }

    #[test]
    fn exact_tag_wins() {
        assert_eq!(greeting().get("pt-BR"), "Olá");
        assert_eq!(greeting().get("pl"), "Cześć");
    }

    #[test]
    fn a_regional_variant_falls_back_to_its_language() {
        assert_eq!(greeting().get("pt-PT"), "Olá");
        assert_eq!(greeting().get("pl-PL"), "Cześć");
        assert_eq!(greeting().get("pt"), "Olá");
    }

    #[test]
    fn an_unknown_language_falls_back_to_english_then_anything() {
        assert_eq!(greeting().get("de"), "Hello");
        assert_eq!(Localized::from_pairs(&[("pl", "Tak")]).get("de"), "Tak");
        assert_eq!(Localized::default().get("en"), "");
    }
}
