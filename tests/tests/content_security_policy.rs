//! A store with a strict Content-Security-Policy: with the lines the README gives, the survey works
//! (no 'unsafe-inline' styles, no 'unsafe-eval'); without 'wasm-unsafe-eval' it shows nothing and
//! throws nothing into the page.

use e2e::store_page::StorePage;
use e2e::{Browser, TestCollector, selectors, wait};
use fantoccini::Locator;
use serde_json::Value;

const NONCE: &str = "r4nd0m";

/// A store page with the snippet (its inline part carrying the page's nonce) and a CSP.
async fn strict_store(collector: &TestCollector, wasm: bool) -> anyhow::Result<StorePage> {
    let origin = collector.url("");
    let html = format!(
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Strict store</title>
<script nonce="{NONCE}">window.__errors = [];
addEventListener('error', e => __errors.push(String(e.message)));
addEventListener('unhandledrejection', e => __errors.push(String(e.reason)));</script>
<script async src="{origin}/w.js" data-site="demo"></script>
<script nonce="{NONCE}">window.cx=window.cx||function(){{(cx.q=cx.q||[]).push(arguments)}};</script>
</head><body><h1>Order confirmed</h1>
<script nonce="{NONCE}">cx('stage', 'checkout', {{ order: 'CSP-{wasm}' }});</script>
</body></html>"#
    );
    let wasm_source = if wasm { " 'wasm-unsafe-eval'" } else { "" };
    let policy = format!(
        "Content-Security-Policy: default-src 'self'; \
         script-src 'nonce-{NONCE}' {origin}{wasm_source}; connect-src {origin}; style-src 'self'"
    );
    StorePage::serve(html, vec![policy]).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_survey_works_under_a_strict_policy_with_the_readmes_lines() -> anyhow::Result<()> {
    let collector = TestCollector::start().await?;
    let store = strict_store(&collector, true).await?;
    let browser = Browser::start().await?;
    browser.client.goto(&store.url()).await?;
    let survey = browser.survey().await?;
    browser.wait_for_question(&survey, "How satisfied").await?;
    // Styled (the constructed stylesheet is not refused as inline style): a 1-5 grid in one row.
    let options = survey.find_all(Locator::Css(selectors::OPTION)).await?;
    let first = options[0].rectangle().await?;
    let last = options[4].rectangle().await?;
    assert!(
        (first.1 - last.1).abs() < 2.0,
        "the scale is laid out in one row"
    );
    assert!(last.0 - first.0 > 200.0, "across the card");
    options[4].click().await?;
    browser.wait_for_question(&survey, "How easy").await?;
    let db = collector.database().await?;
    wait::until("the answer to arrive", || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM responses WHERE order_ref = 'CSP-true'")
            .fetch_one(&db)
            .await
            .ok()
            .filter(|n| *n == 1)
    })
    .await?;
    let errors = browser
        .client
        .execute("return window.__errors;", vec![])
        .await?;
    assert_eq!(errors, Value::Array(vec![]), "nothing thrown");
    browser.close().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_wasm_allowed_nothing_shows_and_nothing_is_thrown() -> anyhow::Result<()> {
    let collector = TestCollector::start().await?;
    let store = strict_store(&collector, false).await?;
    let browser = Browser::start().await?;
    browser.client.goto(&store.url()).await?;
    // The widget's module is fetched, and its wasm refused by the policy: wait until the browser
    // has tried, then check that the page is untouched.
    let requested = format!("{}/assets/widget-", collector.url(""));
    wait::until("the widget to be attempted", || async {
        let names = browser
            .client
            .execute(
                "return performance.getEntriesByType('resource').map(e => e.name);",
                vec![],
            )
            .await
            .ok()?;
        names
            .as_array()?
            .iter()
            .any(|n| {
                n.as_str()
                    .is_some_and(|n| n.starts_with(&requested) && n.ends_with(".wasm"))
            })
            .then_some(())
    })
    .await?;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert!(
        browser
            .client
            .find(Locator::Css(selectors::HOST))
            .await
            .is_err(),
        "no survey"
    );
    let errors = browser
        .client
        .execute("return window.__errors;", vec![])
        .await?;
    assert_eq!(errors, Value::Array(vec![]), "nothing thrown into the page");
    browser.close().await
}
