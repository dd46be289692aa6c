//! When a survey shows and when it does not: the browsing stage's triggers, checkout pages, one
//! survey per visit, an order answered once, recontact limits after an answer and a dismissal, and
//! the `?cx_debug=1` console group that explains each verdict.

use e2e::{Browser, TestCollector, selectors, wait};
use fantoccini::Locator;
use serde_json::Value;
use std::time::Duration;
use survey::{BrowsingTrigger, Recontact};

/// Whether the survey's host element is on the page.
async fn survey_on_page(browser: &Browser) -> bool {
    browser
        .client
        .find(Locator::Css(selectors::HOST))
        .await
        .is_ok()
}

/// Asserts that no survey appears within a second (the loader decides within milliseconds; a
/// second leaves room for a slow machine without making the suite slow).
async fn assert_no_survey(browser: &Browser, why: &str) -> anyhow::Result<()> {
    tokio::time::sleep(Duration::from_millis(1000)).await;
    assert!(!survey_on_page(browser).await, "no survey expected: {why}");
    Ok(())
}

/// Listens for skips, then marks `stage` with `context` (JSON), and returns the skip reason.
async fn skip_reason(browser: &Browser, stage: &str, context: &str) -> anyhow::Result<String> {
    let skip = browser
        .skip(&format!("cx('stage', '{stage}', {context});"))
        .await?;
    assert_eq!(skip["stage"], stage);
    Ok(skip["reason"].as_str().unwrap_or_default().to_owned())
}

/// Starts a new visit on the next page load (the loader ends a visit after 30 idle minutes).
async fn end_visit(browser: &Browser) -> anyhow::Result<()> {
    browser
        .run("localStorage.setItem('cx:v', '0,0,0');")
        .await?;
    Ok(())
}

/// The paths of what this page fetched of the loader, the widget and the site's JSON, in order.
async fn collector_fetches(browser: &Browser) -> anyhow::Result<Vec<String>> {
    let paths = browser
        .run(
            "return performance.getEntriesByType('resource')
                 .map(e => new URL(e.name).pathname)
                 .filter(p => p == '/w.js' || p.startsWith('/v1/') || p.startsWith('/assets/'));",
        )
        .await?;
    Ok(serde_json::from_value(paths)?)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_browsing_survey_comes_on_the_third_page_view_but_never_on_a_checkout_page()
-> anyhow::Result<()> {
    let collector = TestCollector::start().await?;
    collector
        .configure_demo(|site| {
            site.etiquette.browsing = BrowsingTrigger {
                page_views: 3,
                exit_intent: false,
                checkout_paths: vec!["/demo/cart".into()],
                ..BrowsingTrigger::default()
            }
        })
        .await?;
    let browser = Browser::start().await?;
    for page in ["/demo/", "/demo/product.html"] {
        browser.client.goto(&collector.url(page)).await?;
        assert_no_survey(&browser, &format!("{page} is before the third page view")).await?;
        // No survey is due: the loader reads the site's triggers, and neither the config nor the
        // widget is fetched.
        assert_eq!(
            collector_fetches(&browser).await?,
            ["/w.js", "/v1/sites/demo/triggers"],
            "{page}"
        );
    }
    browser
        .client
        .goto(&collector.url("/demo/cart.html"))
        .await?;
    assert_no_survey(&browser, "the cart is a checkout page").await?;

    browser
        .client
        .goto(&collector.url("/demo/product.html"))
        .await?;
    let survey = browser.survey().await?;
    browser
        .wait_for_question(&survey, "Did you find what you were looking for?")
        .await?;
    let options = survey.find_all(Locator::Css(selectors::OPTION)).await?;
    assert_eq!(options.len(), 2, "yes and no");
    options[0].click().await?;
    browser.wait_for(&survey, selectors::THANK_YOU).await?;
    let db = collector.database().await?;
    let stored: String = wait::until("the browsing answer to be stored", || async {
        sqlx::query_scalar(
            "SELECT a.value FROM answers a JOIN responses r ON r.id = a.response_id
             WHERE r.stage = 'browsing' AND a.question = 'found'",
        )
        .fetch_optional(&db)
        .await
        .ok()
        .flatten()
    })
    .await?;
    assert_eq!(stored, "true", "yes is stored");

    // One survey per visit: the next page fetches neither the triggers nor the widget (the widget
    // left the loader a note), and a stage marked there says why it is not asked.
    browser
        .client
        .goto(&collector.url("/demo/product.html"))
        .await?;
    assert_no_survey(&browser, "one survey per visit").await?;
    assert_eq!(
        collector_fetches(&browser).await?,
        ["/w.js"],
        "only the loader is fetched"
    );
    assert_eq!(
        skip_reason(&browser, "support", "{}").await?,
        "one_per_visit"
    );
    browser.close().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn time_scroll_and_exit_intent_each_trigger_a_browsing_survey() -> anyhow::Result<()> {
    let collector = TestCollector::start().await?;
    let only = |trigger: BrowsingTrigger| BrowsingTrigger {
        page_views: 0,
        exit_intent: false,
        ..trigger
    };
    let cases: [(&str, BrowsingTrigger, &str); 2] = [
        (
            "scrolling past half the page",
            only(BrowsingTrigger {
                scroll_percent: 50,
                ..BrowsingTrigger::default()
            }),
            "document.body.style.minHeight = '4000px'; scrollTo(0, 3000);",
        ),
        (
            "the pointer leaving for the browser's bar",
            BrowsingTrigger {
                page_views: 0,
                exit_intent: true,
                ..BrowsingTrigger::default()
            },
            "document.dispatchEvent(new MouseEvent('mouseout', { clientY: 0, bubbles: true }));",
        ),
    ];
    // Time on the site counts from the visit's first page: the second page neither restarts the
    // clock nor ends it early. (Six seconds leave room for a slow machine between the checks.)
    collector
        .configure_demo(|site| {
            site.etiquette.browsing = only(BrowsingTrigger {
                seconds_on_site: 6,
                ..BrowsingTrigger::default()
            })
        })
        .await?;
    let browser = Browser::start().await?;
    browser
        .client
        .goto(&collector.url("/demo/product.html"))
        .await?;
    browser.client.goto(&collector.url("/demo/")).await?;
    assert_no_survey(&browser, "before six seconds on the site").await?;
    let survey = browser.survey().await?;
    browser
        .wait_for_question(&survey, "Did you find what you were looking for?")
        .await?;
    browser.close().await?;

    for (what, trigger, action) in cases {
        collector
            .configure_demo(|site| site.etiquette.browsing = trigger)
            .await?;
        // A new browser each time: a fresh visit, and no cached triggers.
        let browser = Browser::start().await?;
        browser
            .client
            .goto(&collector.url("/demo/product.html"))
            .await?;
        if !action.is_empty() {
            assert_no_survey(&browser, &format!("before {what}")).await?;
            browser.run(action).await?;
        }
        let survey = browser.survey().await?;
        browser
            .wait_for_question(&survey, "Did you find what you were looking for?")
            .await?;
        browser.close().await?;
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answered_orders_and_recent_surveys_are_not_asked_again_and_debug_says_why()
-> anyhow::Result<()> {
    let collector = TestCollector::start().await?;
    collector
        .configure_demo(|site| site.etiquette.recontact = Recontact::default())
        .await?;
    let browser = Browser::start().await?;
    let product = collector.url("/demo/product.html");

    // Order R-1 is answered (its CSAT is enough).
    browser.client.goto(&product).await?;
    browser
        .run("cx('stage', 'checkout', { order: 'R-1' });")
        .await?;
    let survey = browser.survey().await?;
    browser.wait_for_question(&survey, "How satisfied").await?;
    let options = survey.find_all(Locator::Css(selectors::OPTION)).await?;
    options[4].click().await?;
    browser.wait_for_question(&survey, "How easy").await?;

    // In a later visit: the same order is not asked again; another order is not asked within 30
    // days of an answer at that stage; another stage not within a day of any answer.
    end_visit(&browser).await?;
    browser.client.goto(&product).await?;
    assert_eq!(
        skip_reason(&browser, "checkout", "{ order: 'R-1' }").await?,
        "order_answered"
    );
    assert_eq!(
        skip_reason(&browser, "checkout", "{ order: 'R-2' }").await?,
        "answered_recently"
    );
    assert_eq!(
        skip_reason(&browser, "delivery", "{ order: 'R-1' }").await?,
        "answered_other_recently"
    );

    // `?cx_debug=1` prints one console group per survey considered, with every rule's verdict.
    end_visit(&browser).await?;
    browser
        .client
        .goto(&collector.url("/demo/product.html?cx_debug=1"))
        .await?;
    browser
        .run(
            "window.__console = [];
         for (const name of ['groupCollapsed', 'log', 'groupEnd'])
             console[name] = (...args) => __console.push(name + ' ' + args.join(' '));",
        )
        .await?;
    assert_eq!(
        skip_reason(&browser, "checkout", "{ order: 'R-1' }").await?,
        "order_answered"
    );
    let lines = browser.run("return window.__console;").await?;
    let lines: Vec<&str> = lines
        .as_array()
        .map(|l| l.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    assert!(
        lines.first().is_some_and(
            |l| l.starts_with("groupCollapsed cx survey: checkout: not shown (order_answered)")
        ),
        "{lines:#?}"
    );
    for expected in [
        "log pass no_question_set",
        "log FAIL order_answered: order R-1 was already answered",
        "log FAIL answered_recently",
        "log pass not_sampled",
    ] {
        assert!(
            lines.iter().any(|l| l.starts_with(expected)),
            "{expected} in {lines:#?}"
        );
    }
    assert_eq!(lines.last(), Some(&"groupEnd "));

    // A dismissal: support is not asked again for 7 days. A new visitor (storage cleared) is.
    browser.run("localStorage.clear();").await?;
    browser.client.goto(&product).await?;
    browser
        .run("cx('stage', 'support', { ticket: 'T-1' });")
        .await?;
    let survey = browser.survey().await?;
    survey
        .find(Locator::Css(".cx-close"))
        .await?
        .click()
        .await?;
    wait::until("the survey to close", || async {
        (!survey_on_page(&browser).await
            || survey
                .find(Locator::Css(selectors::QUESTION_TITLE))
                .await
                .is_err())
        .then_some(())
    })
    .await?;
    end_visit(&browser).await?;
    browser.client.goto(&product).await?;
    assert_eq!(
        skip_reason(&browser, "support", "{ ticket: 'T-2' }").await?,
        "dismissed_recently"
    );
    // cx('show') is for previews and the store's own tests: it waives the recontact limits.
    browser
        .run("cx('show', 'support', { ticket: 'T-2' });")
        .await?;
    browser.survey().await?;
    browser.close().await
}
