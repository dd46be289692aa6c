//! Whether a survey may be shown now: every etiquette rule, evaluated one by one so the widget can
//! both decide and explain (`?cx_debug=1` prints each verdict), and so every rule is tested natively.

use crate::small_map::SmallMap;
use crate::{SiteConfig, Stage, sampling};
use serde::{Deserialize, Serialize};

const DAY_MS: i64 = 24 * 3600 * 1000;
/// A visit ends after this long without a page view (the loader counts visits the same way).
pub const VISIT_IDLE_MS: i64 = 30 * 60 * 1000;
/// How long a shopper outside a stage's sample is left alone before the draw is looked at again
/// (in case the sample grew).
const OUTSIDE_SAMPLE_MS: i64 = 30 * DAY_MS;
/// How many answered orders the browser remembers; older ones are forgotten first (the collector
/// still refuses a second answer for them).
const REMEMBERED_ORDERS: usize = 50;

/// What this browser remembers of earlier surveys (the widget keeps it in localStorage).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct History {
    /// When each stage was last answered (ms since the epoch).
    pub answered: SmallMap<Stage, i64>,
    /// When each stage was last dismissed unanswered.
    pub dismissed: SmallMap<Stage, i64>,
    /// `stage:order` of the orders answered, oldest first.
    pub orders: Vec<String>,
    /// The start of the visit in which a survey was last shown.
    pub shown_in_visit: Option<i64>,
}

impl History {
    /// Remembers that a survey was shown in the visit that began at `visit_started`.
    pub fn record_shown(&mut self, visit_started: i64) {
        self.shown_in_visit = Some(visit_started);
    }

    /// Remembers a first answer to `stage` (and its order, if any).
    pub fn record_answered(&mut self, stage: Stage, order: Option<&str>, now: i64) {
        self.answered.insert(stage, now);
        if let Some(order) = order {
            let key = order_key(stage, order);
            if !self.orders.contains(&key) {
                self.orders.push(key);
            }
            let excess = self.orders.len().saturating_sub(REMEMBERED_ORDERS);
            self.orders.drain(..excess);
        }
    }

    /// Remembers that `stage`'s survey was closed without an answer.
    pub fn record_dismissed(&mut self, stage: Stage, now: i64) {
        self.dismissed.insert(stage, now);
    }

    fn order_answered(&self, stage: Stage, order: &str) -> bool {
        self.orders.contains(&order_key(stage, order))
    }

    fn latest(map: &SmallMap<Stage, i64>) -> Option<(Stage, i64)> {
        map.iter().map(|(s, t)| (*s, *t)).max_by_key(|(_, t)| *t)
    }
}

fn order_key(stage: Stage, order: &str) -> String {
    format!("{stage}:{order}")
}

/// The moment a survey is considered.
#[derive(Debug, Clone)]
pub struct Moment<'a> {
    /// The stage.
    pub stage: Stage,
    /// Now, in ms since the epoch.
    pub now: i64,
    /// When the current visit began.
    pub visit_started: i64,
    /// The page's URL path.
    pub path: &'a str,
    /// The order reference the store passed, if any.
    pub order: Option<&'a str>,
    /// This browser's random visitor id, the sampling key when there is no order.
    pub visitor: &'a str,
    /// Which browsing trigger fired (`page_views`, `seconds_on_site`, `scroll_percent`,
    /// `exit_intent`), if it was one.
    pub trigger: Option<&'a str>,
    /// Whether the browser sends Global Privacy Control or Do Not Track.
    pub privacy_signal: bool,
    /// Whether a survey was already shown on this page.
    pub shown_on_page: bool,
    /// The shopper asked for the survey (the hosted page, opened from an e-mail link): privacy
    /// signals, which are about being tracked, do not refuse what the shopper asked for.
    pub opened_by_shopper: bool,
    /// The store called `cx('show', ...)`: triggers, sampling and recontact limits are waived (a
    /// privacy signal and one survey per page still hold).
    pub forced: bool,
}

impl Moment<'_> {
    /// The key of the sampling draw: the order when there is one, else the visitor.
    pub fn sample_key(&self) -> &str {
        self.order.unwrap_or(self.visitor)
    }
}

/// One rule's verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// The rule, and the reason announced to `cx('on', 'skip', ...)` when it fails.
    pub rule: &'static str,
    /// Whether it allows the survey.
    pub passed: bool,
    /// What it looked at, for the debug console.
    pub detail: String,
    /// When a refusal, until when it will go on refusing, where that is known.
    pub until: Option<i64>,
}

/// Evaluates every rule for `moment`, in order; the survey shows only if all pass.
pub fn evaluate(config: &SiteConfig, history: &History, moment: &Moment) -> Vec<Verdict> {
    let mut verdicts = Vec::new();
    let mut rule_until = |rule, passed, detail: String, until: Option<i64>| {
        verdicts.push(Verdict {
            rule,
            passed,
            detail,
            until: if passed { None } else { until },
        })
    };
    let now = moment.now;
    // Most rules cannot say when they will stop refusing.
    macro_rules! rule {
        ($name:expr, $passed:expr, $detail:expr $(,)?) => {
            rule_until($name, $passed, $detail, None)
        };
    }
    let stage = moment.stage;
    let question_set = config.question_set(stage);
    rule!(
        "no_question_set",
        question_set.is_some(),
        match question_set {
            Some(set) => format!("question set version {} is published", set.version),
            None => "no question set is published for this stage".into(),
        },
    );
    let etiquette = &config.etiquette;
    rule_until(
        "privacy_signal",
        moment.opened_by_shopper || !(config.respect_privacy_signals && moment.privacy_signal),
        match (config.respect_privacy_signals, moment.privacy_signal) {
            _ if moment.opened_by_shopper => "the shopper opened the survey from a link".into(),
            (false, _) => "the site does not ask to honour GPC / Do Not Track".into(),
            (true, false) => "the browser sends neither GPC nor Do Not Track".into(),
            (true, true) => "the browser sends GPC or Do Not Track, and the site honours it".into(),
        },
        Some(now + DAY_MS),
    );
    rule!(
        "one_per_page",
        !moment.shown_on_page,
        if moment.shown_on_page {
            "a survey was already shown on this page".into()
        } else {
            "no survey yet on this page".into()
        },
    );
    if moment.forced {
        rule!(
            "forced",
            true,
            "cx('show') waives the triggers, sampling and recontact limits".into(),
        );
        return verdicts;
    }
    if stage == Stage::Browsing {
        let checkout = etiquette.browsing.is_checkout_page(moment.path);
        rule!(
            "checkout_page",
            !checkout,
            format!(
                "{} {} a checkout page (checkout paths: {})",
                moment.path,
                if checkout { "is" } else { "is not" },
                etiquette.browsing.checkout_paths.join(", ")
            ),
        );
        rule!(
            "not_triggered",
            moment.trigger.is_some(),
            match moment.trigger {
                Some(trigger) => format!("trigger fired: {trigger}"),
                None => "no browsing trigger has fired".into(),
            },
        );
    }
    let shown_this_visit = history.shown_in_visit == Some(moment.visit_started);
    rule_until(
        "one_per_visit",
        !shown_this_visit,
        if shown_this_visit {
            "a survey was already shown in this visit".into()
        } else {
            "no survey yet in this visit".into()
        },
        Some(now + VISIT_IDLE_MS),
    );
    if let Some(order) = moment.order {
        let answered = history.order_answered(stage, order);
        rule!(
            "order_answered",
            !answered,
            format!(
                "order {order} {} for this stage",
                if answered {
                    "was already answered"
                } else {
                    "has no answer yet"
                }
            ),
        );
    }
    let recontact = &etiquette.recontact;
    let waits = [
        (
            "answered_recently",
            history.answered.get(&stage).map(|t| (stage, *t)),
            recontact.stage_days_after_answer,
            "this stage was answered",
        ),
        (
            "dismissed_recently",
            history.dismissed.get(&stage).map(|t| (stage, *t)),
            recontact.stage_days_after_dismiss,
            "this stage was dismissed",
        ),
        (
            "answered_other_recently",
            History::latest(&history.answered),
            recontact.any_days_after_answer,
            "a survey was answered",
        ),
        (
            "dismissed_other_recently",
            History::latest(&history.dismissed),
            recontact.any_days_after_dismiss,
            "a survey was dismissed",
        ),
    ];
    for (name, last, days, what) in waits {
        let wait = i64::from(days) * DAY_MS;
        match last {
            None => rule_until(name, true, format!("{what}: never"), None),
            Some((at_stage, at)) => {
                let passed = moment.now - at >= wait;
                let ago = (moment.now - at) / 3_600_000;
                rule_until(
                    name,
                    passed,
                    format!("{what} ({at_stage}) {ago} h ago; the limit is {days} days"),
                    Some(at + wait),
                );
            }
        }
    }
    let percent = etiquette.sample_percent(stage);
    let inside = sampling::in_sample(&config.site, stage, moment.sample_key(), percent);
    let who = if moment.order.is_some() {
        "order"
    } else {
        "visitor"
    };
    let verb = if inside { "is" } else { "is not" };
    rule_until(
        "not_sampled",
        inside,
        format!("this {who} {verb} in the {percent}% sample"),
        Some(now + OUTSIDE_SAMPLE_MS),
    );
    verdicts
}

/// Until when a refused survey cannot become due, if the refusing rules say: the loader then does
/// not even fetch the widget for a browsing trigger before that time.
pub fn quiet_until(verdicts: &[Verdict]) -> Option<i64> {
    verdicts
        .iter()
        .filter(|v| !v.passed)
        .filter_map(|v| v.until)
        .max()
}

/// The first failed rule: why the survey is not shown, if it is not.
pub fn first_refusal(verdicts: &[Verdict]) -> Option<&'static str> {
    verdicts.iter().find(|v| !v.passed).map(|v| v.rule)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::defaults;
    use crate::etiquette::Etiquette;

    const NOW: i64 = 1_780_000_000_000;

    fn config() -> SiteConfig {
        SiteConfig {
            site: "demo".into(),
            locale: None,
            stages: Stage::ALL
                .iter()
                .map(|stage| crate::StageConfig {
                    stage: *stage,
                    question_set: defaults::question_set(*stage),
                })
                .collect(),
            theme: crate::Theme::default(),
            respect_privacy_signals: false,
            etiquette: Etiquette::default(),
        }
    }

    fn moment(stage: Stage) -> Moment<'static> {
        Moment {
            stage,
            now: NOW,
            visit_started: NOW - 60_000,
            path: "/products/kettle",
            order: None,
            visitor: "visitor-1",
            trigger: None,
            privacy_signal: false,
            shown_on_page: false,
            forced: false,
            opened_by_shopper: false,
        }
    }

    fn refusal(config: &SiteConfig, history: &History, moment: &Moment) -> Option<&'static str> {
        first_refusal(&evaluate(config, history, moment))
    }

    #[test]
    fn a_fresh_shopper_at_checkout_is_asked() {
        let moment = Moment {
            order: Some("1042"),
            ..moment(Stage::Checkout)
        };
        assert_eq!(refusal(&config(), &History::default(), &moment), None);
    }

    #[test]
    fn browsing_needs_a_trigger_and_never_shows_on_checkout_pages() {
        let config = config();
        let history = History::default();
        assert_eq!(
            refusal(&config, &history, &moment(Stage::Browsing)),
            Some("not_triggered")
        );
        let triggered = Moment {
            trigger: Some("exit_intent"),
            ..moment(Stage::Browsing)
        };
        assert_eq!(refusal(&config, &history, &triggered), None);
        let on_cart = Moment {
            path: "/cart",
            ..triggered
        };
        assert_eq!(refusal(&config, &history, &on_cart), Some("checkout_page"));
    }

    #[test]
    fn one_survey_per_page_and_per_visit() {
        let config = config();
        let mut history = History::default();
        let on_page = Moment {
            shown_on_page: true,
            ..moment(Stage::Support)
        };
        assert_eq!(refusal(&config, &history, &on_page), Some("one_per_page"));
        let now = moment(Stage::Support);
        history.record_shown(now.visit_started);
        assert_eq!(refusal(&config, &history, &now), Some("one_per_visit"));
        let next_visit = Moment {
            visit_started: NOW - 1_000,
            now: NOW,
            ..moment(Stage::Support)
        };
        assert_eq!(refusal(&config, &history, &next_visit), None);
    }

    #[test]
    fn an_answered_order_is_not_asked_again_but_another_order_is_subject_to_recontact() {
        let mut config = config();
        config.etiquette.recontact = crate::etiquette::Recontact::none();
        let mut history = History::default();
        history.record_answered(Stage::Checkout, Some("1042"), NOW - 10_000);
        let same = Moment {
            order: Some("1042"),
            ..moment(Stage::Checkout)
        };
        assert_eq!(refusal(&config, &history, &same), Some("order_answered"));
        let other = Moment {
            order: Some("1043"),
            ..moment(Stage::Checkout)
        };
        assert_eq!(refusal(&config, &history, &other), None);
        // The same order at another stage is another question.
        let delivery = Moment {
            order: Some("1042"),
            ..moment(Stage::Delivery)
        };
        assert_eq!(refusal(&config, &history, &delivery), None);
    }

    #[test]
    fn recontact_limits_per_stage_and_overall() {
        let config = config();
        let mut history = History::default();
        history.record_answered(Stage::Checkout, None, NOW - 2 * DAY_MS);
        // Same stage: 30 days after an answer.
        assert_eq!(
            refusal(&config, &history, &moment(Stage::Checkout)),
            Some("answered_recently")
        );
        // Any stage: 1 day, long past.
        assert_eq!(refusal(&config, &history, &moment(Stage::Delivery)), None);
        history.record_answered(Stage::Checkout, None, NOW - 3_600_000);
        assert_eq!(
            refusal(&config, &history, &moment(Stage::Delivery)),
            Some("answered_other_recently")
        );

        let mut history = History::default();
        history.record_dismissed(Stage::Support, NOW - 6 * DAY_MS);
        assert_eq!(
            refusal(&config, &history, &moment(Stage::Support)),
            Some("dismissed_recently")
        );
        history.record_dismissed(Stage::Support, NOW - 8 * DAY_MS);
        assert_eq!(refusal(&config, &history, &moment(Stage::Support)), None);
    }

    #[test]
    fn sampling_keys_on_the_order_else_the_visitor() {
        let mut config = config();
        config.etiquette.sample_percent.insert(Stage::Checkout, 50);
        let history = History::default();
        let decided = |order: &str| {
            let moment = Moment {
                order: Some(order),
                ..moment(Stage::Checkout)
            };
            refusal(&config, &history, &moment) != Some("not_sampled")
        };
        let asked = (0..200).filter(|n| decided(&n.to_string())).count();
        assert!((70..130).contains(&asked), "{asked} of 200 at 50%");
        // Sticky: the same order always gets the same verdict, and the collector's draw agrees.
        for order in ["1042", "1043", "A-77"] {
            assert_eq!(decided(order), decided(order));
            assert_eq!(
                decided(order),
                sampling::in_sample("demo", Stage::Checkout, order, 50)
            );
        }
    }

    #[test]
    fn forcing_waives_the_etiquette_but_not_privacy_nor_one_per_page() {
        let mut config = config();
        config.respect_privacy_signals = true;
        config.etiquette.sample_percent.insert(Stage::Browsing, 0);
        let mut history = History::default();
        history.record_dismissed(Stage::Browsing, NOW);
        let forced = Moment {
            forced: true,
            ..moment(Stage::Browsing)
        };
        assert_eq!(refusal(&config, &history, &forced), None);
        let private = Moment {
            privacy_signal: true,
            ..forced.clone()
        };
        assert_eq!(refusal(&config, &history, &private), Some("privacy_signal"));
        let from_a_link = Moment {
            opened_by_shopper: true,
            ..private.clone()
        };
        assert_eq!(refusal(&config, &history, &from_a_link), None);
        let second = Moment {
            shown_on_page: true,
            ..forced.clone()
        };
        assert_eq!(refusal(&config, &history, &second), Some("one_per_page"));
        config.stages.clear();
        assert_eq!(
            refusal(&config, &History::default(), &forced),
            Some("no_question_set")
        );
    }

    #[test]
    fn a_refusal_says_how_long_the_loader_may_stay_quiet() {
        let mut config = config();
        let mut history = History::default();
        let browsing = Moment {
            trigger: Some("page_views"),
            ..moment(Stage::Browsing)
        };
        assert_eq!(
            quiet_until(&evaluate(&config, &history, &browsing)),
            None,
            "shown"
        );
        history.record_shown(browsing.visit_started);
        assert_eq!(
            quiet_until(&evaluate(&config, &history, &browsing)),
            Some(NOW + VISIT_IDLE_MS),
            "the rest of the visit"
        );
        let mut history = History::default();
        history.record_answered(Stage::Browsing, None, NOW - DAY_MS);
        assert_eq!(
            quiet_until(&evaluate(&config, &history, &browsing)),
            Some(NOW - DAY_MS + 30 * DAY_MS),
            "until the stage's recontact wait ends"
        );
        config.etiquette.sample_percent.insert(Stage::Browsing, 0);
        assert_eq!(
            quiet_until(&evaluate(&config, &History::default(), &browsing)),
            Some(NOW + OUTSIDE_SAMPLE_MS)
        );
        let on_cart = Moment {
            path: "/cart",
            ..browsing.clone()
        };
        config.etiquette.sample_percent.clear();
        assert_eq!(
            quiet_until(&evaluate(&config, &History::default(), &on_cart)),
            None,
            "a checkout page says nothing about other pages"
        );
    }

    #[test]
    fn the_browser_remembers_a_bounded_number_of_orders() {
        let mut history = History::default();
        for n in 0..120 {
            history.record_answered(Stage::Checkout, Some(&n.to_string()), NOW);
        }
        assert_eq!(history.orders.len(), REMEMBERED_ORDERS);
        assert_eq!(
            history.orders.last().map(String::as_str),
            Some("checkout:119")
        );
        let json = serde_json::to_string(&history).expect("serializes");
        assert_eq!(
            serde_json::from_str::<History>(&json).expect("parses"),
            history
        );
    }

    #[test]
    fn every_rule_is_explained() {
        let moment = Moment {
            order: Some("1042"),
            trigger: Some("page_views"),
            ..moment(Stage::Browsing)
        };
        let verdicts = evaluate(&config(), &History::default(), &moment);
        assert!(verdicts.len() >= 10, "{verdicts:?}");
        assert!(verdicts.iter().all(|v| !v.detail.is_empty()));
    }
}
