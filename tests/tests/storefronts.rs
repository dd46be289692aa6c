//! The survey at home in any storefront: hostile page CSS cannot change how it looks (screenshots
//! compared with the plain page's), it stays on top of the page's own z-index wars, it sits in the
//! corner the site asks for or inline in the store's container, and it never shifts the page.

use e2e::pixels::Picture;
use e2e::{Browser, TestCollector, selectors};
use fantoccini::Locator;
use serde_json::Value;
use std::time::Duration;

/// Pages that fight the widget: each is the demo product page plus this CSS (and script).
const HOSTILE: [(&str, &str, &str); 5] = [
    (
        "a global reset",
        "*, *::before, *::after { all: unset !important; }",
        "",
    ),
    (
        "!important rules on buttons, inputs and everything",
        "* { box-sizing: content-box !important; line-height: 3 !important;
             font-family: 'Comic Sans MS', cursive !important; }
         button, input, textarea { font-size: 40px !important; color: red !important;
             background: yellow !important; border: 5px dashed lime !important; }
         div, section, p, h2 { margin: 30px !important; padding: 30px !important; }",
        "",
    ),
    (
        "a huge root font size",
        "html { font-size: 48px !important; } body { font-size: 3rem !important; }",
        "",
    ),
    (
        "a right-to-left page",
        "body { direction: rtl; text-align: right; }",
        "document.documentElement.dir = 'rtl';",
    ),
    (
        "its own z-index wars",
        ".war { position: fixed; inset: 0; z-index: 2147483647; background: rgba(255,0,0,.3); }",
        "for (let i = 0; i < 3; i++) { const d = document.createElement('div');
             d.className = 'war'; document.body.append(d); }",
    ),
];

/// Shows the checkout survey on the current page and returns a screenshot of it, once its
/// entrance animation is over.
async fn show_and_capture(browser: &Browser, order: &str) -> anyhow::Result<Picture> {
    browser
        .run(&format!("cx('show', 'checkout', {{ order: '{order}' }});"))
        .await?;
    let survey = browser.survey().await?;
    browser.wait_for_question(&survey, "How satisfied").await?;
    tokio::time::sleep(Duration::from_millis(600)).await;
    let host = browser.client.find(Locator::Css(selectors::HOST)).await?;
    Picture::from_png(&host.screenshot().await?)
}

/// The host element's box: left, top, width, height.
async fn host_box(browser: &Browser) -> anyhow::Result<[f64; 4]> {
    let rect = browser
        .run(
            "const r = document.querySelector('cx-survey').getBoundingClientRect();
         return [r.left, r.top, r.width, r.height];",
        )
        .await?;
    let n = |i: usize| rect[i].as_f64().unwrap_or(f64::NAN);
    Ok([n(0), n(1), n(2), n(3)])
}

/// The survey's distance from the right and bottom edges of the page's visible area (which a
/// page's own scrollbar narrows), and its size.
async fn corner_gaps(browser: &Browser) -> anyhow::Result<Value> {
    browser
        .run(
            "const r = document.querySelector('cx-survey').getBoundingClientRect();
         const e = document.documentElement;
         return [e.clientWidth - r.right, e.clientHeight - r.bottom, r.width, r.height];",
        )
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_page_css_changes_nothing_of_the_survey() -> anyhow::Result<()> {
    let collector = TestCollector::start().await?;
    // The system font: "inherit" would rightly copy a hostile page's font.
    collector
        .configure_demo(|site| site.theme.font = survey::theme::Font::System)
        .await?;
    let browser = Browser::start().await?;
    let page = collector.url("/demo/product.html");
    browser.client.goto(&page).await?;
    let plain = show_and_capture(&browser, "PLAIN-1").await?;
    let plain_gaps = corner_gaps(&browser).await?;
    assert!(plain.width > 200 && plain.height > 100, "a real screenshot");

    for (n, (what, css, script)) in HOSTILE.iter().enumerate() {
        browser.client.goto(&page).await?;
        browser
            .run(&format!(
                "const s = document.createElement('style'); s.textContent = {css:?};
                 document.head.append(s); {script}"
            ))
            .await?;
        let hostile = show_and_capture(&browser, &format!("HOSTILE-{n}")).await?;
        let difference = plain.difference(&hostile);
        assert!(
            difference < 0.005,
            "on a page with {what}, {:.1}% of the survey's pixels differ ({}x{} vs {}x{})",
            difference * 100.0,
            hostile.width,
            hostile.height,
            plain.width,
            plain.height
        );
        let hostile_gaps = corner_gaps(&browser).await?;
        assert_eq!(
            hostile_gaps, plain_gaps,
            "on a page with {what}, the survey moved"
        );
        // On top: what is under the middle of the survey is the survey.
        let on_top = browser
            .run(
                "const r = document.querySelector('cx-survey').getBoundingClientRect();
             return document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)
                 .tagName.toLowerCase();",
            )
            .await?;
        assert_eq!(on_top, "cx-survey", "on a page with {what}");
    }
    browser.close().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_survey_sits_in_the_sites_corner_or_inline_and_never_shifts_the_page()
-> anyhow::Result<()> {
    let collector = TestCollector::start().await?;
    let browser = Browser::start().await?;
    let page = collector.url("/demo/product.html");

    // Right corner (the default), 16 px from the edges of the 1280 px wide window; no layout shift.
    browser.client.goto(&page).await?;
    browser
        .run(
            "window.__shift = 0;
         new PerformanceObserver(list => list.getEntries()
             .forEach(e => { if (!e.hadRecentInput) __shift += e.value; }))
             .observe({ type: 'layout-shift', buffered: true });",
        )
        .await?;
    let before = browser
        .run("return document.querySelector('main').getBoundingClientRect().top;")
        .await?;
    browser
        .run("cx('show', 'checkout', { order: 'P-1' });")
        .await?;
    browser.survey().await?;
    tokio::time::sleep(Duration::from_millis(600)).await;
    let [left, top, width, height] = host_box(&browser).await?;
    let viewport = browser.run("return [innerWidth, innerHeight];").await?;
    let (vw, vh) = (
        viewport[0].as_f64().unwrap_or_default(),
        viewport[1].as_f64().unwrap_or_default(),
    );
    assert!(
        (vw - (left + width) - 16.0).abs() < 1.0,
        "16 px from the right: {left} + {width} of {vw}"
    );
    assert!(
        (vh - (top + height) - 16.0).abs() < 1.0,
        "16 px from the bottom: {top} + {height} of {vh}"
    );
    let shift = browser.run("return __shift;").await?;
    assert_eq!(shift.as_f64(), Some(0.0), "no layout shift");
    let after = browser
        .run("return document.querySelector('main').getBoundingClientRect().top;")
        .await?;
    assert_eq!(before, after, "the page's content did not move");

    // The left corner.
    collector
        .configure_demo(|site| site.theme.corner = survey::theme::Corner::Left)
        .await?;
    let browser = restart(browser).await?;
    browser.client.goto(&page).await?;
    browser
        .run("cx('show', 'checkout', { order: 'P-2' });")
        .await?;
    browser.survey().await?;
    let [left, ..] = host_box(&browser).await?;
    assert!((left - 16.0).abs() < 1.0, "16 px from the left: {left}");

    // Inline, in the container the store names; where the page has none, the popover.
    collector
        .configure_demo(|site| site.theme.container = "#survey-slot".into())
        .await?;
    let browser = restart(browser).await?;
    browser.client.goto(&page).await?;
    browser
        .run(
            "const slot = document.createElement('div'); slot.id = 'survey-slot';
         slot.style.width = '500px'; document.querySelector('main').append(slot);
         cx('show', 'checkout', { order: 'P-3' });",
        )
        .await?;
    browser.survey().await?;
    let inline = browser
        .run(
            "const host = document.querySelector('cx-survey');
         return [host.parentElement.id, getComputedStyle(host).position,
                 host.getBoundingClientRect().width];",
        )
        .await?;
    assert_eq!(inline, serde_json::json!(["survey-slot", "relative", 500]));
    browser.client.goto(&collector.url("/demo/")).await?;
    browser
        .run("cx('show', 'checkout', { order: 'P-4' });")
        .await?;
    browser.survey().await?;
    let parent = browser
        .run("return document.querySelector('cx-survey').parentElement.tagName;")
        .await?;
    assert_eq!(parent, "BODY", "no container on this page: the popover");
    browser.close().await
}

/// A fresh browser (a new profile: no cached config, no history).
async fn restart(browser: Browser) -> anyhow::Result<Browser> {
    browser.close().await?;
    Browser::start().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_survey_is_usable_320_px_wide() -> anyhow::Result<()> {
    let collector = TestCollector::start().await?;
    let browser = Browser::start_on(e2e::Screen::Narrow).await?;
    browser
        .client
        .goto(&collector.url("/demo/product.html"))
        .await?;
    browser
        .run("cx('show', 'checkout', { order: 'N-1' });")
        .await?;
    let survey = browser.survey().await?;
    let [left, _, width, _] = host_box(&browser).await?;
    assert_eq!(
        (left, width),
        (0.0, 320.0),
        "a bottom sheet as wide as the screen"
    );
    // Every scale point is on screen and at least 24 px wide (WCAG 2.2 target size).
    let options = survey.find_all(Locator::Css(selectors::OPTION)).await?;
    for option in &options {
        let (x, _, w, _) = option.rectangle().await?;
        assert!(
            x >= 0.0 && x + w <= 320.0 && w >= 24.0,
            "option at {x} is {w} wide"
        );
    }
    let overflow = browser
        .run("return document.documentElement.scrollWidth;")
        .await?;
    assert!(
        overflow.as_f64().unwrap_or(999.0) <= 320.0,
        "no sideways scroll: {overflow}"
    );
    options[3].click().await?;
    browser.wait_for_question(&survey, "How easy").await?;
    browser.close().await
}
