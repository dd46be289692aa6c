//! How often and when a site's shoppers are asked: the browsing stage's triggers, each stage's
//! sampling rate and the recontact limits. Part of the public site config, so the loader and the
//! widget can both read it.

use crate::Stage;
use crate::small_map::SmallMap;
use serde::{Deserialize, Serialize};

/// A site's survey etiquette.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct Etiquette {
    /// When a browsing survey becomes due.
    pub browsing: BrowsingTrigger,
    /// The share of shoppers asked, per stage, in percent (a stage not listed: 100).
    #[cfg_attr(feature = "openapi", schema(value_type = std::collections::BTreeMap<Stage, u8>))]
    pub sample_percent: SmallMap<Stage, u8>,
    /// How long to wait before asking the same shopper again.
    pub recontact: Recontact,
}

/// When a browsing survey becomes due: whichever enabled trigger fires first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct BrowsingTrigger {
    /// Due on the Nth page view of a visit (0: off).
    pub page_views: u32,
    /// Due this many seconds after the visit began (0: off).
    pub seconds_on_site: u32,
    /// Due once the shopper has scrolled this far down a page, in percent (0: off).
    pub scroll_percent: u8,
    /// Due when the shopper seems to leave: the pointer heads for the browser's bar on a desktop, a
    /// fast scroll up on a phone.
    pub exit_intent: bool,
    /// Pages that never get a browsing survey: URL paths starting with any of these.
    pub checkout_paths: Vec<String>,
}

impl Default for BrowsingTrigger {
    fn default() -> Self {
        BrowsingTrigger {
            page_views: 3,
            seconds_on_site: 0,
            scroll_percent: 0,
            exit_intent: true,
            checkout_paths: vec!["/cart".into(), "/checkout".into()],
        }
    }
}

impl BrowsingTrigger {
    /// Every trigger off: no browsing survey becomes due (what a site without a published browsing
    /// question set tells the loader).
    pub fn off() -> Self {
        BrowsingTrigger {
            page_views: 0,
            seconds_on_site: 0,
            scroll_percent: 0,
            exit_intent: false,
            checkout_paths: Vec::new(),
        }
    }

    /// Whether `path` (a URL's path) is a checkout page, where browsing surveys never show.
    pub fn is_checkout_page(&self, path: &str) -> bool {
        self.checkout_paths
            .iter()
            .any(|prefix| path.starts_with(prefix.as_str()))
    }
}

/// Days to wait before asking again, after an answer or a dismissal; 0 means no wait.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct Recontact {
    /// After answering a stage's survey, before that stage asks again.
    pub stage_days_after_answer: u16,
    /// After dismissing a stage's survey, before that stage asks again.
    pub stage_days_after_dismiss: u16,
    /// After answering any survey, before any stage asks again.
    pub any_days_after_answer: u16,
    /// After dismissing any survey, before any stage asks again.
    pub any_days_after_dismiss: u16,
}

impl Default for Recontact {
    fn default() -> Self {
        Recontact {
            stage_days_after_answer: 30,
            stage_days_after_dismiss: 7,
            any_days_after_answer: 1,
            any_days_after_dismiss: 1,
        }
    }
}

impl Recontact {
    /// No limits at all (the demo site's, so visitors can try every page again and again).
    pub fn none() -> Self {
        Recontact {
            stage_days_after_answer: 0,
            stage_days_after_dismiss: 0,
            any_days_after_answer: 0,
            any_days_after_dismiss: 0,
        }
    }
}

impl Etiquette {
    /// The share of `stage`'s shoppers asked, in percent.
    pub fn sample_percent(&self, stage: Stage) -> u8 {
        self.sample_percent.get(&stage).copied().unwrap_or(100)
    }

    /// Checks the etiquette; the error names the field and what is allowed.
    pub fn check(&self) -> Result<(), String> {
        if let Some((stage, percent)) = self.sample_percent.iter().find(|(_, p)| **p > 100) {
            return Err(format!(
                "sample_percent.{stage}: {percent} is not a percentage (0 to 100)"
            ));
        }
        let browsing = &self.browsing;
        if browsing.scroll_percent > 100 {
            return Err("browsing.scroll_percent: must be 0 (off) to 100".into());
        }
        if let Some(path) = browsing.checkout_paths.iter().find(|p| !p.starts_with('/')) {
            return Err(format!(
                "browsing.checkout_paths: {path:?} is not a URL path (it must start with /)"
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_object_is_the_default_etiquette() {
        let parsed: Etiquette = serde_json::from_str("{}").expect("parses");
        assert_eq!(parsed, Etiquette::default());
        assert_eq!(parsed.sample_percent(Stage::Checkout), 100);
        assert_eq!(parsed.recontact.stage_days_after_answer, 30);
        assert_eq!(parsed.recontact.stage_days_after_dismiss, 7);
    }

    #[test]
    fn sampling_and_triggers_parse_from_their_json() {
        let parsed: Etiquette = serde_json::from_str(
            r#"{"sample_percent": {"browsing": 20},
                "browsing": {"page_views": 0, "seconds_on_site": 45, "exit_intent": false}}"#,
        )
        .expect("parses");
        assert_eq!(parsed.sample_percent(Stage::Browsing), 20);
        assert_eq!(parsed.sample_percent(Stage::Delivery), 100);
        assert_eq!(parsed.browsing.page_views, 0);
        assert_eq!(parsed.browsing.seconds_on_site, 45);
        assert!(!parsed.browsing.exit_intent);
        assert!(serde_json::from_str::<Etiquette>(r#"{"sampling": 5}"#).is_err());
    }

    #[test]
    fn checks_name_the_field() {
        let mut etiquette = Etiquette::default();
        etiquette.sample_percent.insert(Stage::Support, 150);
        assert!(
            etiquette
                .check()
                .unwrap_err()
                .starts_with("sample_percent.support")
        );
        let mut etiquette = Etiquette::default();
        etiquette.browsing.checkout_paths.push("cart".into());
        assert!(
            etiquette
                .check()
                .unwrap_err()
                .starts_with("browsing.checkout_paths")
        );
        assert!(Etiquette::default().check().is_ok());
    }

    #[test]
    fn checkout_pages_are_matched_by_path_prefix() {
        let browsing = BrowsingTrigger::default();
        assert!(browsing.is_checkout_page("/cart"));
        assert!(browsing.is_checkout_page("/checkout/payment"));
        assert!(!browsing.is_checkout_page("/products/cart-holder"));
    }
}
