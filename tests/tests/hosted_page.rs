//! The hosted survey page and the one-click e-mail link: a click on "9" in the e-mail opens the
//! page, the score is stored at once, and the comment completes the same response.

use e2e::{Browser, TestCollector, selectors, wait};
use fantoccini::Locator;
use sqlx::Row;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_click_in_the_email_records_the_score_and_the_page_asks_for_the_comment()
-> anyhow::Result<()> {
    let collector = TestCollector::start().await?;
    let browser = Browser::start().await?;
    browser
        .client
        .goto(&collector.url("/s/demo/delivery?order=E-77&lang=pt-BR&score=9"))
        .await?;
    let survey = browser.survey().await?;
    // The score is answered: the page asks the follow-up, in Portuguese, inline in the page.
    browser
        .wait_for_question(&survey, "principal motivo")
        .await?;
    let parent = browser
        .client
        .execute(
            "return document.querySelector('cx-survey').parentElement.id;",
            vec![],
        )
        .await?;
    assert_eq!(parent, "cx-hosted");

    let db = collector.database().await?;
    let score: i64 = wait::until("the clicked score to be stored", || async {
        sqlx::query_scalar(
            "SELECT a.score FROM answers a JOIN responses r ON r.id = a.response_id
             WHERE r.order_ref = 'E-77' AND r.stage = 'delivery' AND a.question = 'nps'",
        )
        .fetch_optional(&db)
        .await
        .ok()
        .flatten()
    })
    .await?;
    assert_eq!(score, 9);

    let text_box = browser.wait_for(&survey, selectors::TEXT_BOX).await?;
    text_box.click().await?;
    browser.type_text("Chegou antes do prazo").await?;
    survey
        .find(Locator::Css(selectors::PRIMARY))
        .await?
        .click()
        .await?;
    browser.wait_for(&survey, selectors::THANK_YOU).await?;
    let row = wait::until("the response to be completed", || async {
        let row = sqlx::query(
            "SELECT r.completed, r.locale, (SELECT COUNT(*) FROM responses WHERE order_ref = 'E-77')
                 AS responses, a.text
             FROM responses r JOIN answers a ON a.response_id = r.id
             WHERE r.order_ref = 'E-77' AND a.question = 'reason'",
        )
        .fetch_optional(&db)
        .await
        .ok()??;
        (row.get::<i64, _>("completed") == 1).then_some(row)
    })
    .await?;
    assert_eq!(row.get::<String, _>("text"), "Chegou antes do prazo");
    assert_eq!(row.get::<String, _>("locale"), "pt-BR");
    assert_eq!(row.get::<i64, _>("responses"), 1, "one response, completed");
    browser.close().await
}
