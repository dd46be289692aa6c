//! Every question type, a conditional follow-up, each built-in language and the thank-you's tone,
//! in a real browser. With `CX_SCREENSHOTS=docs/screenshots` the first test also refreshes the
//! README's picture of each question type.

use e2e::{Browser, TestCollector, selectors, wait};
use fantoccini::Locator;
use fantoccini::elements::ShadowRoot;
use sqlx::Row;
use std::collections::BTreeMap;
use survey::{ChoiceOption, Condition, CsatStyle, Localized, Question, QuestionKind, Stage};

fn question(id: &str, kind: QuestionKind, text: &str) -> Question {
    Question {
        id: id.into(),
        kind,
        text: Localized::en(text),
        optional: false,
        show_if: None,
    }
}

fn options(pairs: &[(&str, &str)]) -> Vec<ChoiceOption> {
    pairs
        .iter()
        .map(|(id, text)| ChoiceOption {
            id: (*id).into(),
            text: Localized::en(text),
        })
        .collect()
}

/// A returns survey with one question of each type, and a follow-up shown when NPS <= 6.
fn every_type() -> Vec<Question> {
    vec![
        question(
            "nps",
            QuestionKind::Nps,
            "How likely are you to recommend us?",
        ),
        Question {
            show_if: Some(Condition {
                question: "nps".into(),
                at_most: Some(6),
                ..Condition::default()
            }),
            ..question(
                "wrong",
                QuestionKind::Text { max_length: 200 },
                "What went wrong?",
            )
        },
        question(
            "csat_numbers",
            QuestionKind::Csat {
                style: CsatStyle::Numbers,
            },
            "How satisfied are you with the refund?",
        ),
        question(
            "csat_stars",
            QuestionKind::Csat {
                style: CsatStyle::Stars,
            },
            "How would you rate the packaging?",
        ),
        question(
            "csat_faces",
            QuestionKind::Csat {
                style: CsatStyle::Faces,
            },
            "How did the courier treat you?",
        ),
        question(
            "ces",
            QuestionKind::Ces,
            "How easy was it to return your item?",
        ),
        question(
            "again",
            QuestionKind::YesNo,
            "Would you order from us again?",
        ),
        question(
            "item",
            QuestionKind::SingleChoice {
                options: options(&[("shirt", "A shirt"), ("shoes", "Shoes")]),
            },
            "What did you return?",
        ),
        question(
            "why",
            QuestionKind::MultipleChoice {
                options: options(&[
                    ("size", "Wrong size"),
                    ("colour", "Colour"),
                    ("late", "Arrived late"),
                ]),
            },
            "Why did you return it?",
        ),
        question(
            "else",
            QuestionKind::Text { max_length: 40 },
            "Anything else?",
        ),
    ]
}

/// Checks the step with axe-core (WCAG 2.x A and AA), and saves a PNG of the survey as
/// `question-NAME.png` in `CX_SCREENSHOTS` when asked to.
async fn picture(browser: &Browser, name: &str) -> anyhow::Result<()> {
    let violations = browser.accessibility_violations().await?;
    assert!(violations.is_empty(), "{name}: {violations:#?}");
    if let Ok(folder) = std::env::var("CX_SCREENSHOTS") {
        tokio::time::sleep(std::time::Duration::from_millis(400)).await;
        let host = browser.client.find(Locator::Css(selectors::HOST)).await?;
        std::fs::write(
            std::path::Path::new(&folder).join(format!("question-{name}.png")),
            host.screenshot().await?,
        )?;
    }
    Ok(())
}

/// Clicks option `index` of the current radio question.
async fn choose(survey: &ShadowRoot, index: usize, count: usize) -> anyhow::Result<()> {
    let options = survey.find_all(Locator::Css(selectors::OPTION)).await?;
    assert_eq!(options.len(), count);
    options[index].click().await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_question_type_is_answered_and_stored_as_chosen() -> anyhow::Result<()> {
    let collector = TestCollector::start().await?;
    let version = collector.publish(Stage::Returns, every_type()).await?;
    let browser = Browser::start().await?;
    browser
        .client
        .goto(&collector.url("/demo/product.html"))
        .await?;
    browser
        .client
        .execute("cx('show', 'returns', { order: 'Q-1' });", vec![])
        .await?;
    let survey = browser.survey().await?;

    browser.wait_for_question(&survey, "recommend").await?;
    picture(&browser, "nps").await?;
    choose(&survey, 3, 11).await?;
    // NPS 3 is a detractor: the follow-up appears.
    browser
        .wait_for_question(&survey, "What went wrong?")
        .await?;
    browser
        .wait_for(&survey, selectors::TEXT_BOX)
        .await?
        .click()
        .await?;
    browser.type_text("Slow refund").await?;
    survey
        .find(Locator::Css(selectors::PRIMARY))
        .await?
        .click()
        .await?;

    for (text, name, index, count) in [
        ("refund", "csat-numbers", 1, 5),
        ("packaging", "csat-stars", 3, 5),
        ("courier", "csat-faces", 4, 5),
        ("easy", "ces", 5, 7),
        ("again", "yes-no", 0, 2),
        ("What did you return", "single-choice", 1, 2),
    ] {
        browser.wait_for_question(&survey, text).await?;
        picture(&browser, name).await?;
        choose(&survey, index, count).await?;
    }
    browser
        .wait_for_question(&survey, "Why did you return")
        .await?;
    let boxes = survey
        .find_all(Locator::Css("input[type=checkbox]"))
        .await?;
    assert_eq!(boxes.len(), 3);
    boxes[0].click().await?;
    boxes[2].click().await?;
    picture(&browser, "multiple-choice").await?;
    survey
        .find(Locator::Css(selectors::PRIMARY))
        .await?
        .click()
        .await?;

    browser.wait_for_question(&survey, "Anything else").await?;
    browser
        .wait_for(&survey, selectors::TEXT_BOX)
        .await?
        .click()
        .await?;
    browser.type_text("Nice courier").await?;
    let counter = survey
        .find(Locator::Css(".cx-counter"))
        .await?
        .text()
        .await?;
    assert_eq!(counter, "12 / 40", "the counter follows the typing");
    picture(&browser, "text").await?;
    survey
        .find(Locator::Css(selectors::PRIMARY))
        .await?
        .click()
        .await?;
    let thanks = browser.wait_for(&survey, selectors::THANK_YOU).await?;
    assert!(
        thanks.text().await?.contains("sorry it wasn't better"),
        "a detractor is thanked as one"
    );
    picture(&browser, "thank-you").await?;

    let db = collector.database().await?;
    let stored: BTreeMap<String, String> = wait::until("all ten answers", || async {
        let rows = sqlx::query(
            "SELECT a.question, a.value FROM answers a JOIN responses r ON r.id = a.response_id
             WHERE r.order_ref = 'Q-1' AND r.completed = 1",
        )
        .fetch_all(&db)
        .await
        .ok()?;
        (rows.len() == 10).then(|| {
            rows.iter()
                .map(|r| (r.get("question"), r.get("value")))
                .collect()
        })
    })
    .await?;
    let expected: BTreeMap<String, String> = [
        ("nps", "3"),
        ("wrong", "\"Slow refund\""),
        ("csat_numbers", "2"),
        ("csat_stars", "4"),
        ("csat_faces", "5"),
        ("ces", "6"),
        ("again", "true"),
        ("item", "\"shoes\""),
        ("why", "[\"size\",\"late\"]"),
        ("else", "\"Nice courier\""),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    assert_eq!(stored, expected);
    let stored_version: i64 =
        sqlx::query_scalar("SELECT question_set_version FROM responses WHERE order_ref = 'Q-1'")
            .fetch_one(&db)
            .await?;
    assert_eq!(stored_version, i64::from(version));
    browser.close().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_built_in_language_from_the_pages_lang() -> anyhow::Result<()> {
    let collector = TestCollector::start().await?;
    let browser = Browser::start().await?;
    for (lang, question, next, ends, thanks) in [
        (
            "en",
            "How satisfied",
            "Next",
            "Very unsatisfied",
            "glad it went well",
        ),
        (
            "pt-BR",
            "Quão satisfeito",
            "Próxima",
            "Muito insatisfeito",
            "Que bom",
        ),
        ("pl", "Jak oceniasz", "Dalej", "Bardzo źle", "Cieszymy się"),
    ] {
        browser
            .client
            .goto(&collector.url("/demo/product.html"))
            .await?;
        browser
            .client
            .execute(
                &format!(
                    "document.documentElement.lang = '{lang}';
                     cx('show', 'checkout', {{ order: 'L-{lang}' }});"
                ),
                vec![],
            )
            .await?;
        let survey = browser.survey().await?;
        browser.wait_for_question(&survey, question).await?;
        let card = survey.find(Locator::Css(".cx-card")).await?.text().await?;
        assert!(card.contains(next), "{lang}: {next:?} in {card:?}");
        let label = survey
            .find(Locator::Css(selectors::OPTION))
            .await?
            .attr("aria-label")
            .await?
            .unwrap_or_default();
        assert!(
            label.contains(ends),
            "{lang}: the scale's end {ends:?} in {label:?}"
        );
        let close = survey
            .find(Locator::Css(".cx-close"))
            .await?
            .attr("aria-label")
            .await?;
        assert!(
            close.is_some_and(|c| !c.is_empty()),
            "{lang}: the close button is labelled"
        );
        // A favourable answer: CSAT 5, CES 7; the thank-you says so in the same language.
        choose(&survey, 4, 5).await?;
        wait::until("the CES question", || async {
            let n = survey
                .find_all(Locator::Css(selectors::OPTION))
                .await
                .ok()?
                .len();
            (n == 7).then_some(())
        })
        .await?;
        choose(&survey, 6, 7).await?;
        let thank_you = browser.wait_for(&survey, selectors::THANK_YOU).await?;
        let text = thank_you.text().await?;
        assert!(text.contains(thanks), "{lang}: {thanks:?} in {text:?}");
    }
    browser.close().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_demo_page_that_marks_a_stage_shows_that_stages_survey() -> anyhow::Result<()> {
    let collector = TestCollector::start().await?;
    let browser = Browser::start().await?;
    for (page, question) in [
        (
            "order-confirmation.html",
            "How satisfied are you with your purchase?",
        ),
        ("order-status.html", "How likely are you to recommend us"),
        ("support.html", "help you received"),
        ("returns.html", "How easy was it to return your item?"),
    ] {
        // A new visit for each page: one survey per visit.
        browser.run("localStorage.clear();").await?;
        browser
            .client
            .goto(&collector.url(&format!("/demo/{page}")))
            .await?;
        let survey = browser.survey().await?;
        browser.wait_for_question(&survey, question).await?;
    }
    browser.close().await
}
