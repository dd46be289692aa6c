//! Reads the site config and the browser's history from a JSON-like value without serde.
//!
//! The collector speaks serde; the widget reads the same JSON through this hand-written decoder
//! because serde's generic deserializers (and the float formatting their error messages pull in)
//! were the largest part of the widget's wasm after Yew itself. Every decoder accepts exactly what
//! the serde derive accepts for the same type, defaults included; the tests check that by decoding
//! serde's own output of every default question set and of a fully populated config.

use crate::eligibility::History;
use crate::etiquette::{BrowsingTrigger, Etiquette, Recontact};
use crate::small_map::SmallMap;
use crate::theme::{Corner, Font, Mode, Theme};
use crate::{
    ChoiceOption, Condition, CsatStyle, Localized, Question, QuestionKind, QuestionSet, SiteConfig,
    Stage, StageConfig,
};

/// A parsed JSON value: a JS value in the browser, `serde_json::Value` in tests.
pub trait Value: Sized {
    /// The member `name` of an object; `None` when missing or null.
    fn field(&self, name: &str) -> Option<Self>;
    /// A string's content.
    fn text(&self) -> Option<String>;
    /// A number.
    fn number(&self) -> Option<f64>;
    /// A boolean.
    fn boolean(&self) -> Option<bool>;
    /// An array's items.
    fn items(&self) -> Option<Vec<Self>>;
    /// An object's members, in order.
    fn entries(&self) -> Option<Vec<(String, Self)>>;
}

/// A whole number within `T`'s range (JSON has only doubles).
fn int<V: Value, T: TryFrom<i64>>(value: &V) -> Option<T> {
    let n = value.number()?;
    if n.fract() != 0.0 || n.abs() > 9_007_199_254_740_991.0 {
        return None;
    }
    T::try_from(n as i64).ok()
}

/// A field that serde would default when missing: `Some(default)` if absent, `None` if present
/// but unreadable.
fn or_default<V: Value, T>(
    value: &V,
    name: &str,
    default: T,
    read: impl FnOnce(&V) -> Option<T>,
) -> Option<T> {
    match value.field(name) {
        None => Some(default),
        Some(field) => read(&field),
    }
}

fn list<V: Value, T>(value: &V, read: impl Fn(&V) -> Option<T>) -> Option<Vec<T>> {
    value.items()?.iter().map(read).collect()
}

fn stage<V: Value>(value: &V) -> Option<Stage> {
    value.text()?.parse().ok()
}

/// The public site config, as `GET /v1/sites/{site}/config` serves it.
pub fn site_config<V: Value>(value: &V) -> Option<SiteConfig> {
    Some(SiteConfig {
        site: value.field("site")?.text()?,
        locale: match value.field("locale") {
            None => None,
            Some(locale) => Some(locale.text()?),
        },
        stages: list(&value.field("stages")?, |s| {
            Some(StageConfig {
                stage: stage(&s.field("stage")?)?,
                question_set: question_set(&s.field("question_set")?)?,
            })
        })?,
        theme: or_default(value, "theme", Theme::default(), theme)?,
        respect_privacy_signals: or_default(value, "respect_privacy_signals", false, V::boolean)?,
        etiquette: or_default(value, "etiquette", Etiquette::default(), etiquette)?,
    })
}

/// A question set.
pub fn question_set<V: Value>(value: &V) -> Option<QuestionSet> {
    Some(QuestionSet {
        stage: stage(&value.field("stage")?)?,
        version: int(&value.field("version")?)?,
        questions: list(&value.field("questions")?, question)?,
    })
}

fn question<V: Value>(value: &V) -> Option<Question> {
    Some(Question {
        id: value.field("id")?.text()?,
        kind: kind(&value.field("kind")?)?,
        text: localized(&value.field("text")?)?,
        optional: or_default(value, "optional", false, V::boolean)?,
        show_if: match value.field("show_if") {
            None => None,
            Some(condition) => Some(self::condition(&condition)?),
        },
    })
}

/// Serde's external tagging: a unit variant is its name; the others `{"name": {fields}}`.
fn kind<V: Value>(value: &V) -> Option<QuestionKind> {
    if let Some(name) = value.text() {
        return match name.as_str() {
            "nps" => Some(QuestionKind::Nps),
            "ces" => Some(QuestionKind::Ces),
            "yes_no" => Some(QuestionKind::YesNo),
            _ => None,
        };
    }
    let mut entries = value.entries()?;
    if entries.len() != 1 {
        return None;
    }
    let (name, fields) = entries.pop()?;
    let options = || list(&fields.field("options")?, choice_option);
    match name.as_str() {
        "csat" => Some(QuestionKind::Csat {
            style: or_default(&fields, "style", CsatStyle::default(), |s| {
                match s.text()?.as_str() {
                    "numbers" => Some(CsatStyle::Numbers),
                    "stars" => Some(CsatStyle::Stars),
                    "faces" => Some(CsatStyle::Faces),
                    _ => None,
                }
            })?,
        }),
        "single_choice" => Some(QuestionKind::SingleChoice {
            options: options()?,
        }),
        "multiple_choice" => Some(QuestionKind::MultipleChoice {
            options: options()?,
        }),
        "text" => Some(QuestionKind::Text {
            max_length: or_default(
                &fields,
                "max_length",
                crate::question::DEFAULT_TEXT_LENGTH,
                int,
            )?,
        }),
        _ => None,
    }
}

fn choice_option<V: Value>(value: &V) -> Option<ChoiceOption> {
    Some(ChoiceOption {
        id: value.field("id")?.text()?,
        text: localized(&value.field("text")?)?,
    })
}

fn localized<V: Value>(value: &V) -> Option<Localized> {
    let mut texts = SmallMap::new();
    for (lang, text) in value.entries()? {
        texts.insert(lang, text.text()?);
    }
    Some(Localized(texts))
}

fn condition<V: Value>(value: &V) -> Option<Condition> {
    let optional_int = |name| match value.field(name) {
        None => Some(None),
        Some(n) => int(&n).map(Some),
    };
    Some(Condition {
        question: value.field("question")?.text()?,
        at_most: optional_int("at_most")?,
        at_least: optional_int("at_least")?,
        is: match value.field("is") {
            None => None,
            Some(is) => Some(is.boolean()?),
        },
        any_of: or_default(value, "any_of", Vec::new(), |v| list(v, V::text))?,
    })
}

fn theme<V: Value>(value: &V) -> Option<Theme> {
    let default = Theme::default();
    Some(Theme {
        brand: or_default(value, "brand", default.brand, V::text)?,
        radius: or_default(value, "radius", default.radius, int)?,
        font: or_default(value, "font", default.font, |f| match f.text()?.as_str() {
            "inherit" => Some(Font::Inherit),
            "system" => Some(Font::System),
            _ => None,
        })?,
        mode: or_default(value, "mode", default.mode, |m| match m.text()?.as_str() {
            "light" => Some(Mode::Light),
            "dark" => Some(Mode::Dark),
            "auto" => Some(Mode::Auto),
            _ => None,
        })?,
        corner: or_default(value, "corner", default.corner, |c| {
            match c.text()?.as_str() {
                "right" => Some(Corner::Right),
                "left" => Some(Corner::Left),
                _ => None,
            }
        })?,
        container: or_default(value, "container", default.container, V::text)?,
    })
}

fn etiquette<V: Value>(value: &V) -> Option<Etiquette> {
    let default = Etiquette::default();
    Some(Etiquette {
        browsing: or_default(value, "browsing", default.browsing, browsing)?,
        sample_percent: or_default(value, "sample_percent", default.sample_percent, |v| {
            stage_map(v, int)
        })?,
        recontact: or_default(value, "recontact", default.recontact, recontact)?,
    })
}

fn browsing<V: Value>(value: &V) -> Option<BrowsingTrigger> {
    let d = BrowsingTrigger::default();
    Some(BrowsingTrigger {
        page_views: or_default(value, "page_views", d.page_views, int)?,
        seconds_on_site: or_default(value, "seconds_on_site", d.seconds_on_site, int)?,
        scroll_percent: or_default(value, "scroll_percent", d.scroll_percent, int)?,
        exit_intent: or_default(value, "exit_intent", d.exit_intent, V::boolean)?,
        checkout_paths: or_default(value, "checkout_paths", d.checkout_paths, |v| {
            list(v, V::text)
        })?,
    })
}

fn recontact<V: Value>(value: &V) -> Option<Recontact> {
    let d = Recontact::default();
    Some(Recontact {
        stage_days_after_answer: or_default(
            value,
            "stage_days_after_answer",
            d.stage_days_after_answer,
            int,
        )?,
        stage_days_after_dismiss: or_default(
            value,
            "stage_days_after_dismiss",
            d.stage_days_after_dismiss,
            int,
        )?,
        any_days_after_answer: or_default(
            value,
            "any_days_after_answer",
            d.any_days_after_answer,
            int,
        )?,
        any_days_after_dismiss: or_default(
            value,
            "any_days_after_dismiss",
            d.any_days_after_dismiss,
            int,
        )?,
    })
}

fn stage_map<V: Value, T>(value: &V, read: impl Fn(&V) -> Option<T>) -> Option<SmallMap<Stage, T>> {
    let mut map = SmallMap::new();
    for (name, v) in value.entries()? {
        map.insert(name.parse().ok()?, read(&v)?);
    }
    Some(map)
}

/// What the browser remembers (`cx:h`), as written by [`crate::encode::history`]; anything
/// unreadable reads as an empty history.
pub fn history<V: Value>(value: &V) -> History {
    let read = || {
        Some(History {
            answered: or_default(value, "answered", SmallMap::new(), |v| stage_map(v, int))?,
            dismissed: or_default(value, "dismissed", SmallMap::new(), |v| stage_map(v, int))?,
            orders: or_default(value, "orders", Vec::new(), |v| list(v, V::text))?,
            shown_in_visit: match value.field("shown_in_visit") {
                None => None,
                Some(at) => Some(int(&at)?),
            },
        })
    };
    read().unwrap_or_default()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::defaults;

    impl Value for serde_json::Value {
        fn field(&self, name: &str) -> Option<Self> {
            self.get(name).filter(|v| !v.is_null()).cloned()
        }
        fn text(&self) -> Option<String> {
            self.as_str().map(str::to_owned)
        }
        fn number(&self) -> Option<f64> {
            self.as_f64()
        }
        fn boolean(&self) -> Option<bool> {
            self.as_bool()
        }
        fn items(&self) -> Option<Vec<Self>> {
            self.as_array().cloned()
        }
        fn entries(&self) -> Option<Vec<(String, Self)>> {
            self.as_object()
                .map(|o| o.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        }
    }

    /// A config using every field and every question type.
    pub(crate) fn full_config() -> SiteConfig {
        let mut stages: Vec<StageConfig> = Stage::ALL
            .iter()
            .map(|stage| StageConfig {
                stage: *stage,
                question_set: defaults::question_set(*stage),
            })
            .collect();
        let options = vec![
            ChoiceOption {
                id: "gift".into(),
                text: Localized::from_pairs(&[("en", "A gift"), ("pl", "Prezent")]),
            },
            ChoiceOption {
                id: "self".into(),
                text: Localized::en("For me"),
            },
        ];
        let set = &mut stages[0].question_set;
        set.questions.extend([
            Question {
                id: "stars".into(),
                kind: QuestionKind::Csat {
                    style: CsatStyle::Stars,
                },
                text: Localized::en("Stars?"),
                optional: true,
                show_if: Some(Condition {
                    question: "found".into(),
                    is: Some(true),
                    ..Condition::default()
                }),
            },
            Question {
                id: "why".into(),
                kind: QuestionKind::MultipleChoice {
                    options: options.clone(),
                },
                text: Localized::en("Why?"),
                optional: false,
                show_if: Some(Condition {
                    question: "stars".into(),
                    at_least: Some(2),
                    at_most: Some(4),
                    ..Condition::default()
                }),
            },
            Question {
                id: "one".into(),
                kind: QuestionKind::SingleChoice { options },
                text: Localized::en("One?"),
                optional: false,
                show_if: Some(Condition {
                    question: "why".into(),
                    any_of: vec!["gift".into()],
                    ..Condition::default()
                }),
            },
        ]);
        let mut etiquette = Etiquette::default();
        etiquette.sample_percent.insert(Stage::Browsing, 20);
        etiquette.browsing.scroll_percent = 40;
        etiquette.recontact.any_days_after_dismiss = 9;
        SiteConfig {
            site: "demo".into(),
            locale: Some("pt-BR".into()),
            stages,
            theme: Theme {
                brand: "#ff6600".into(),
                radius: 3,
                font: Font::System,
                mode: Mode::Auto,
                corner: Corner::Left,
                container: "#survey-slot".into(),
            },
            respect_privacy_signals: true,
            etiquette,
        }
    }

    #[test]
    fn what_serde_writes_this_decoder_reads() {
        let config = full_config();
        let json = serde_json::to_value(&config).expect("serializes");
        assert_eq!(site_config(&json), Some(config));
    }

    #[test]
    fn missing_fields_take_serdes_defaults() {
        let json = serde_json::json!({
            "site": "demo",
            "stages": [{ "stage": "support", "question_set": { "stage": "support", "version": 2,
                "questions": [{ "id": "c", "kind": { "text": {} }, "text": { "en": "?" } },
                              { "id": "s", "kind": { "csat": {} }, "text": { "en": "?" } }] } }],
            "etiquette": { "browsing": { "page_views": 5 } }
        });
        let by_serde: SiteConfig = serde_json::from_value(json.clone()).expect("serde reads it");
        assert_eq!(site_config(&json), Some(by_serde));
    }

    #[test]
    fn what_serde_refuses_this_decoder_refuses() {
        let base = serde_json::to_value(full_config()).expect("serializes");
        let broken = [
            ("/theme/mode", serde_json::json!("sepia")),
            ("/theme/radius", serde_json::json!(2.5)),
            ("/stages/0/question_set/version", serde_json::json!(-1)),
            (
                "/stages/0/question_set/questions/0/kind",
                serde_json::json!("stars"),
            ),
            (
                "/etiquette/recontact/any_days_after_answer",
                serde_json::json!("1"),
            ),
        ];
        for (pointer, value) in broken {
            let mut json = base.clone();
            *json.pointer_mut(pointer).expect(pointer) = value;
            assert!(
                serde_json::from_value::<SiteConfig>(json.clone()).is_err(),
                "{pointer}"
            );
            assert_eq!(site_config(&json), None, "{pointer}");
        }
    }

    #[test]
    fn an_unreadable_history_is_an_empty_one() {
        assert_eq!(history(&serde_json::json!("garbage")), History::default());
        assert_eq!(
            history(&serde_json::json!({ "answered": { "nowhere": 1 } })),
            History::default()
        );
    }
}
