//! A shopper answers the checkout survey on the demo store's order confirmation page, once with the
//! mouse and once with the keyboard alone, and the collector stores exactly what they answered.

use e2e::browser::PHONE_WIDTH;
use e2e::{Browser, Screen, TestCollector, selectors, wait};
use fantoccini::Locator;
use fantoccini::elements::Element;
use fantoccini::key::Key;
use sqlx::{Row, SqlitePool};
use std::collections::BTreeMap;

/// One stored response, as read back from the collector's SQLite file.
#[derive(Debug)]
struct Stored {
    site: String,
    stage: String,
    question_set_version: i64,
    completed: bool,
    received_at: i64,
    answers: BTreeMap<String, (Option<i64>, Option<String>)>,
}

async fn stored_for_order(db: &SqlitePool, order: &str) -> Option<Stored> {
    let rows = sqlx::query(
        "SELECT id, site, stage, question_set_version, completed, received_at
         FROM responses WHERE order_ref = ?",
    )
    .bind(order)
    .fetch_all(db)
    .await
    .ok()?;
    assert!(
        rows.len() <= 1,
        "order {order} has {} responses",
        rows.len()
    );
    let row = rows.first()?;
    let id: String = row.get("id");
    let answers = sqlx::query("SELECT question, score, text FROM answers WHERE response_id = ?")
        .bind(&id)
        .fetch_all(db)
        .await
        .ok()?
        .iter()
        .map(|a| (a.get("question"), (a.get("score"), a.get("text"))))
        .collect();
    Some(Stored {
        site: row.get("site"),
        stage: row.get("stage"),
        question_set_version: row.get("question_set_version"),
        completed: row.get::<i64, _>("completed") == 1,
        received_at: row.get("received_at"),
        answers,
    })
}

/// Waits until the response for `order` is complete with `count` answers, and returns it.
async fn completed_response(
    collector: &TestCollector,
    order: &str,
    count: usize,
) -> anyhow::Result<Stored> {
    let db = collector.database().await?;
    wait::until(
        &format!("the completed response of order {order}"),
        || async {
            stored_for_order(&db, order)
                .await
                .filter(|s| s.completed && s.answers.len() == count)
        },
    )
    .await
}

fn assert_checkout_response(stored: &Stored, csat: i64, ces: i64, comment: &str) {
    assert_eq!(stored.site, "demo");
    assert_eq!(stored.stage, "checkout");
    assert_eq!(stored.question_set_version, 1);
    assert!(stored.completed);
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock after 1970")
        .as_millis() as i64;
    assert!(
        (now_ms - stored.received_at).abs() < 120_000,
        "received_at is now"
    );
    assert_eq!(stored.answers["csat"], (Some(csat), None));
    assert_eq!(stored.answers["ces"], (Some(ces), None));
    assert_eq!(stored.answers["comment"], (None, Some(comment.to_owned())));
}

/// A mouse click or a finger tap.
#[derive(Debug, Clone, Copy)]
enum Pointer {
    Mouse,
    Finger,
}

async fn press(browser: &Browser, pointer: Pointer, element: &Element) -> anyhow::Result<()> {
    match pointer {
        Pointer::Mouse => Ok(element.click().await?),
        Pointer::Finger => browser.tap(element).await,
    }
}

/// Answers CSAT `csat`, CES `ces` and the comment with `pointer`, typing the comment.
async fn answer_checkout_survey(
    browser: &Browser,
    pointer: Pointer,
    csat: usize,
    ces: usize,
    comment: &str,
) -> anyhow::Result<()> {
    let survey = browser.survey().await?;
    browser.wait_for_question(&survey, "How satisfied").await?;
    let options = survey.find_all(Locator::Css(selectors::OPTION)).await?;
    assert_eq!(options.len(), 5, "CSAT is a 1-5 scale");
    press(browser, pointer, &options[csat - 1]).await?;

    browser.wait_for_question(&survey, "How easy").await?;
    let options = survey.find_all(Locator::Css(selectors::OPTION)).await?;
    assert_eq!(options.len(), 7, "CES is a 1-7 scale");
    press(browser, pointer, &options[ces - 1]).await?;

    browser.wait_for_question(&survey, "done better").await?;
    let text_box = browser.wait_for(&survey, selectors::TEXT_BOX).await?;
    press(browser, pointer, &text_box).await?;
    browser.type_text(comment).await?;
    let send = survey.find(Locator::Css(selectors::PRIMARY)).await?;
    press(browser, pointer, &send).await?;
    browser.wait_for(&survey, selectors::THANK_YOU).await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shopper_answers_the_checkout_survey_with_the_mouse() -> anyhow::Result<()> {
    let collector = TestCollector::start().await?;
    let browser = Browser::start().await?;
    browser
        .client
        .goto(&collector.url("/demo/order-confirmation.html?order=MOUSE-1"))
        .await?;
    answer_checkout_survey(
        &browser,
        Pointer::Mouse,
        2,
        4,
        "Shipping cost was a surprise",
    )
    .await?;

    let stored = completed_response(&collector, "MOUSE-1", 3).await?;
    assert_checkout_response(&stored, 2, 4, "Shipping cost was a surprise");
    browser.close().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shopper_answers_the_checkout_survey_with_the_keyboard_alone() -> anyhow::Result<()> {
    let collector = TestCollector::start().await?;
    let browser = Browser::start().await?;
    browser
        .client
        .goto(&collector.url("/demo/order-confirmation.html?order=KEYS-1"))
        .await?;
    let survey = browser.survey().await?;
    assert_eq!(
        browser.focused_in_survey().await?,
        None,
        "the survey must not steal focus when it appears"
    );

    // Tab through the store's page until focus reaches the first scale option.
    let mut tabs = 0;
    while browser.focused_in_survey().await?.as_deref() != Some("radio") {
        anyhow::ensure!(tabs < 40, "Tab never reached the survey's scale");
        browser.press(&[Key::Tab.into()]).await?;
        tabs += 1;
    }
    // Arrow keys move the selection from 1 to 3; Enter chooses it.
    browser
        .press(&[Key::Right.into(), Key::Right.into(), Key::Enter.into()])
        .await?;

    browser.wait_for_question(&survey, "How easy").await?;
    // Focus followed the survey to the next question: End selects 7, Space chooses it.
    wait::until("focus on the CES scale", || async {
        (browser.focused_in_survey().await.ok()?.as_deref() == Some("radio")).then_some(())
    })
    .await?;
    browser.press(&[Key::End.into(), Key::Space.into()]).await?;

    browser.wait_for_question(&survey, "done better").await?;
    wait::until("focus in the comment box", || async {
        (browser.focused_in_survey().await.ok()?.as_deref() == Some("textarea")).then_some(())
    })
    .await?;
    browser.type_text("Keyboard only, and fine").await?;
    // Tab past Skip to Send, then Enter.
    browser
        .press(&[Key::Tab.into(), Key::Tab.into(), Key::Enter.into()])
        .await?;
    browser.wait_for(&survey, selectors::THANK_YOU).await?;

    let stored = completed_response(&collector, "KEYS-1", 3).await?;
    assert_checkout_response(&stored, 3, 7, "Keyboard only, and fine");
    browser.close().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shopper_answers_the_checkout_survey_by_touch_on_a_phone() -> anyhow::Result<()> {
    let collector = TestCollector::start().await?;
    let browser = Browser::start_on(Screen::Phone).await?;
    browser
        .client
        .goto(&collector.url("/demo/order-confirmation.html?order=TOUCH-1"))
        .await?;
    browser.survey().await?;
    // On a narrow screen the survey is a bottom sheet as wide as the screen.
    assert_eq!(browser.survey_width().await?, f64::from(PHONE_WIDTH));
    answer_checkout_survey(
        &browser,
        Pointer::Finger,
        1,
        2,
        "Could not pick a delivery day",
    )
    .await?;

    let stored = completed_response(&collector, "TOUCH-1", 3).await?;
    assert_checkout_response(&stored, 1, 2, "Could not pick a delivery day");
    browser.close().await
}

/// How many responses wait in the page's delivery queue.
async fn queued_responses(browser: &Browser) -> anyhow::Result<u64> {
    let count = browser
        .client
        .execute(
            "return Object.keys(localStorage).filter(k => k.startsWith('cx:r:')).length;",
            vec![],
        )
        .await?;
    Ok(count.as_u64().unwrap_or_default())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_given_while_the_collector_is_down_arrives_once_it_is_back() -> anyhow::Result<()>
{
    let mut collector = TestCollector::start().await?;
    let browser = Browser::start().await?;
    browser
        .client
        .goto(&collector.url("/demo/order-confirmation.html?order=OFFLINE-1"))
        .await?;
    browser.survey().await?;

    // The collector goes down once the survey is on screen; the shopper answers anyway.
    collector.stop().await?;
    answer_checkout_survey(
        &browser,
        Pointer::Mouse,
        2,
        4,
        "Answered while you were down",
    )
    .await?;
    let db = collector.database().await?;
    assert!(stored_for_order(&db, "OFFLINE-1").await.is_none());
    assert!(
        queued_responses(&browser).await? >= 1,
        "the answers wait in the page's queue"
    );

    // Back up: the page's own retries deliver the whole response, once, with no reload.
    collector.start_again().await?;
    let stored = completed_response(&collector, "OFFLINE-1", 3).await?;
    assert_checkout_response(&stored, 2, 4, "Answered while you were down");
    wait::until("the delivery queue to empty", || async {
        (queued_responses(&browser).await.ok()? == 0).then_some(())
    })
    .await?;
    browser.close().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_left_behind_by_a_closed_page_is_sent_by_the_next_page_load() -> anyhow::Result<()>
{
    let mut collector = TestCollector::start().await?;
    // The store's pages come from the store (they load while the collector is down); the
    // confirmation page marks the checkout stage.
    let origin = collector.url("");
    let store = e2e::store_page::StorePage::serve(
        format!(
            r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Store</title>
<script async src="{origin}/w.js" data-site="demo"></script>
<script>window.cx=window.cx||function(){{(cx.q=cx.q||[]).push(arguments)}};
if (location.search == '?confirmed') cx('stage', 'checkout', {{ order: 'LATER-1' }});</script>
</head><body><h1>Store</h1></body></html>"#
        ),
        vec![],
    )
    .await?;
    let browser = Browser::start().await?;
    browser
        .client
        .goto(&format!("{}?confirmed", store.url()))
        .await?;
    let survey = browser.survey().await?;
    browser.wait_for_question(&survey, "How satisfied").await?;

    // The collector goes down; the shopper gives a score, then leaves for another page (the
    // page-hide flush fails too), which loads while the collector is still down.
    collector.stop().await?;
    survey.find_all(Locator::Css(selectors::OPTION)).await?[1]
        .click()
        .await?;
    browser.wait_for_question(&survey, "How easy").await?;
    browser.client.goto(&store.url()).await?;
    assert!(queued_responses(&browser).await? >= 1, "kept in the queue");
    let db = collector.database().await?;
    assert!(stored_for_order(&db, "LATER-1").await.is_none());

    // Back up; the shopper opens one more page, which sends what was left.
    collector.start_again().await?;
    browser.client.goto(&store.url()).await?;
    let stored = wait::until("the left-behind answer", || async {
        stored_for_order(&db, "LATER-1").await
    })
    .await?;
    assert_eq!(stored.answers["csat"], (Some(2), None));
    wait::until("the delivery queue to empty", || async {
        (queued_responses(&browser).await.ok()? == 0).then_some(())
    })
    .await?;
    browser.close().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_store_can_show_a_survey_set_its_language_and_listen_to_it() -> anyhow::Result<()> {
    let collector = TestCollector::start().await?;
    let browser = Browser::start().await?;
    // A page that marks no stage: the store's own script asks for a survey.
    browser
        .client
        .goto(&collector.url("/demo/product.html"))
        .await?;
    browser
        .client
        .execute(
            "window.__events = []; window.__errors = 0;
             window.addEventListener('error', () => window.__errors++);
             cx('on', 'show', d => __events.push(['show', d.stage]));
             cx('on', 'answer', d => __events.push(['answer', d.question, d.value]));
             cx('on', 'answer', () => { throw new Error('a broken listener of the store'); });
             cx('on', 'dismiss', d => __events.push(['dismiss', d.stage]));
             cx('locale', 'pl');
             cx('show', 'delivery', { order: 'API-1' });",
            vec![],
        )
        .await?;
    let survey = browser.survey().await?;
    browser.wait_for_question(&survey, "polecisz").await?;
    let options = survey.find_all(Locator::Css(selectors::OPTION)).await?;
    assert_eq!(options.len(), 11, "NPS is a 0-10 scale");
    options[3].click().await?;
    browser.wait_for_question(&survey, "powód").await?;
    // Escape dismisses (focus followed the survey to the follow-up question).
    browser.press(&[Key::Escape.into()]).await?;
    wait::until("the survey to close", || async {
        survey
            .find(Locator::Css(selectors::QUESTION_TITLE))
            .await
            .is_err()
            .then_some(())
    })
    .await?;

    let events = browser
        .client
        .execute("return [window.__events, window.__errors];", vec![])
        .await?;
    assert_eq!(
        events[0],
        serde_json::json!([
            ["show", "delivery"],
            ["answer", "nps", 3],
            ["dismiss", "delivery"]
        ])
    );
    assert_eq!(events[1], 0, "nothing was thrown into the page");

    let db = collector.database().await?;
    let stored = wait::until("the partial response of order API-1", || async {
        let row = sqlx::query("SELECT r.locale, r.completed, a.score FROM responses r JOIN answers a ON a.response_id = r.id WHERE r.order_ref = 'API-1'")
            .fetch_optional(&db)
            .await
            .ok()??;
        Some((row.get::<String, _>("locale"), row.get::<i64, _>("completed"), row.get::<i64, _>("score")))
    })
    .await?;
    assert_eq!(
        stored,
        ("pl".to_owned(), 0, 3),
        "a dismissed survey keeps its score"
    );
    browser.close().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn axe_core_finds_no_accessibility_violation_at_any_step() -> anyhow::Result<()> {
    let collector = TestCollector::start().await?;
    let browser = Browser::start().await?;
    browser
        .client
        .goto(&collector.url("/demo/order-confirmation.html?order=AXE-1"))
        .await?;
    let survey = browser.survey().await?;
    let mut steps = Vec::new();
    browser.wait_for_question(&survey, "How satisfied").await?;
    steps.push(("CSAT", browser.accessibility_violations().await?));
    survey.find_all(Locator::Css(selectors::OPTION)).await?[1]
        .click()
        .await?;
    browser.wait_for_question(&survey, "How easy").await?;
    steps.push(("CES", browser.accessibility_violations().await?));
    survey.find_all(Locator::Css(selectors::OPTION)).await?[1]
        .click()
        .await?;
    browser.wait_for_question(&survey, "done better").await?;
    steps.push(("comment", browser.accessibility_violations().await?));
    let text_box = browser.wait_for(&survey, selectors::TEXT_BOX).await?;
    text_box.send_keys("Fine").await?;
    survey
        .find(Locator::Css(selectors::PRIMARY))
        .await?
        .click()
        .await?;
    browser.wait_for(&survey, selectors::THANK_YOU).await?;
    steps.push(("thank-you", browser.accessibility_violations().await?));
    for (step, violations) in &steps {
        assert!(violations.is_empty(), "{step}: {violations:#?}");
    }
    browser.close().await
}

/// The computed style of the survey card and its primary button, and the page's font.
async fn survey_styles(browser: &Browser) -> anyhow::Result<serde_json::Value> {
    Ok(browser
        .client
        .execute(
            "const root = document.querySelector('cx-survey').shadowRoot;
             const card = getComputedStyle(root.querySelector('.cx-card'));
             const button = getComputedStyle(root.querySelector('button.cx-primary'));
             return { background: card.backgroundColor, radius: card.borderTopLeftRadius,
                      font: card.fontFamily, page_font: getComputedStyle(document.body).fontFamily,
                      button: button.backgroundColor, button_text: button.color };",
            vec![],
        )
        .await?)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_site_theme_styles_the_survey_and_dark_mode_stays_accessible() -> anyhow::Result<()> {
    let collector = TestCollector::start().await?;
    let page = collector.url("/demo/order-confirmation.html?order=THEME-1");

    // The default theme: light, the store's own font.
    let browser = Browser::start().await?;
    browser.client.goto(&page).await?;
    browser.survey().await?;
    let styles = survey_styles(&browser).await?;
    assert_eq!(styles["background"], "rgb(255, 255, 255)");
    assert_eq!(
        styles["font"], styles["page_font"],
        "the store's font is inherited"
    );
    assert!(
        styles["font"]
            .as_str()
            .unwrap_or_default()
            .contains("Georgia")
    );
    browser.close().await?;

    // The marketer picks an orange brand, square corners, the system font and dark mode.
    collector
        .configure_demo(|site| {
            site.theme = survey::Theme {
                brand: "#ff6600".into(),
                radius: 4,
                font: survey::theme::Font::System,
                mode: survey::theme::Mode::Dark,
                ..survey::Theme::default()
            }
        })
        .await?;

    // A new visitor (the config is cacheable for a minute) sees it.
    let browser = Browser::start().await?;
    browser.client.goto(&page).await?;
    browser.survey().await?;
    let styles = survey_styles(&browser).await?;
    assert_eq!(styles["background"], "rgb(30, 34, 39)", "{styles}");
    assert_eq!(styles["radius"], "4px");
    assert!(
        !styles["font"]
            .as_str()
            .unwrap_or_default()
            .contains("Georgia"),
        "{styles}"
    );
    assert_eq!(styles["button"], "rgb(255, 102, 0)");
    assert_eq!(
        styles["button_text"], "rgb(0, 0, 0)",
        "black reads better on orange"
    );
    let violations = browser.accessibility_violations().await?;
    assert!(violations.is_empty(), "dark mode: {violations:#?}");
    browser.close().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_site_that_respects_privacy_signals_asks_no_one_who_sends_them() -> anyhow::Result<()> {
    let collector = TestCollector::start().await?;
    collector
        .configure_demo(|site| site.respect_privacy_signals = true)
        .await?;

    let browser = Browser::start().await?;
    browser
        .client
        .goto(&collector.url("/demo/product.html"))
        .await?;
    // This browser sends Global Privacy Control (Chromium has no setting for it; Brave and
    // Firefox do).
    let skip = browser
        .skip(
            "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl',
                 { get: () => window.__gpc, configurable: true });
             window.__gpc = true;
             cx('show', 'checkout', { order: 'GPC-1' });",
        )
        .await?;
    assert_eq!(
        skip,
        serde_json::json!({ "stage": "checkout", "reason": "privacy_signal" })
    );
    assert!(
        browser
            .client
            .find(Locator::Css(selectors::HOST))
            .await
            .is_err(),
        "nothing shown"
    );

    // Without the signal the same call shows the survey; a second one on the page is skipped.
    browser
        .client
        .execute(
            "window.__gpc = false; cx('show', 'checkout', { order: 'GPC-2' });",
            vec![],
        )
        .await?;
    browser.survey().await?;
    let skip = browser.skip("cx('show', 'delivery', {});").await?;
    assert_eq!(
        skip,
        serde_json::json!({ "stage": "delivery", "reason": "one_per_page" })
    );
    browser.close().await
}
