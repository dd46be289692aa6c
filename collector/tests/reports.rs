//! Reports and exports over real HTTP on both engines. Report figures are worked out by hand from
//! a small, known set of answers spread over two days in the site's time zone.

mod support;

use collector::store::TokenScope;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::{Engine, TestApp};

on_both_engines!(
    reports_count_in_the_site_time_zone_and_match_hand_computed_scores,
    exports_stream_every_answer_as_csv_and_ndjson,
);

const DESKTOP: &str =
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/156.0 Safari/537.36";
const PHONE: &str =
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/156.0 Mobile Safari/537.36";

/// Posts one response and moves its arrival to `at`.
async fn answer(
    app: &TestApp,
    id: &str,
    stage: &str,
    locale: &str,
    agent: &str,
    at: &str,
    answers: Value,
) {
    let body = json!({
        "id": id, "site": "demo", "stage": stage, "question_set_version": 1, "locale": locale,
        "answers": answers, "completed": true
    });
    assert_eq!(app.post_as(&body, agent).await, StatusCode::CREATED, "{id}");
    app.backdate(id, at).await;
}

fn close(value: &Value, expected: f64) {
    let actual = value.as_f64().unwrap_or(f64::NAN);
    assert!(
        (actual - expected).abs() < 0.01,
        "got {value}, expected {expected}"
    );
}

async fn reports_count_in_the_site_time_zone_and_match_hand_computed_scores(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let token = app.token(TokenScope::Site("demo".into())).await;
    let zone = json!({ "time_zone": "Europe/Warsaw" });
    assert_eq!(
        app.admin(Method::PATCH, "/sites/demo", Some(&token), Some(&zone))
            .await
            .0,
        StatusCode::OK
    );

    // Checkout: CSAT 5, 4, 2, 1 and CES 7, 6, 2, 3. Warsaw is UTC+1 in November, so the third
    // answer (23:30 UTC on the 2nd) counts on the 3rd.
    let score = |csat: i64, ces: i64| json!([{ "question": "csat", "value": csat }, { "question": "ces", "value": ces }]);
    answer(
        &app,
        "checkout-response-0001",
        "checkout",
        "en",
        DESKTOP,
        "2026-11-02T10:00:00Z",
        score(5, 7),
    )
    .await;
    answer(
        &app,
        "checkout-response-0002",
        "checkout",
        "pl",
        PHONE,
        "2026-11-02T22:30:00Z",
        score(4, 6),
    )
    .await;
    let mut low = score(2, 2);
    low.as_array_mut()
        .expect("array")
        .push(json!({ "question": "comment", "value": "Shipping was slow" }));
    answer(
        &app,
        "checkout-response-0003",
        "checkout",
        "en",
        PHONE,
        "2026-11-02T23:30:00Z",
        low,
    )
    .await;
    let mut lowest = score(1, 3);
    lowest
        .as_array_mut()
        .expect("array")
        .push(json!({ "question": "comment", "value": "Card was declined twice" }));
    answer(
        &app,
        "checkout-response-0004",
        "checkout",
        "pt-BR",
        DESKTOP,
        "2026-11-03T12:00:00Z",
        lowest,
    )
    .await;
    // Delivery: NPS 10, 9, 6.
    let nps = |score: i64, reason: Option<&str>| {
        let mut a = vec![json!({ "question": "nps", "value": score })];
        if let Some(reason) = reason {
            a.push(json!({ "question": "reason", "value": reason }));
        }
        Value::Array(a)
    };
    answer(
        &app,
        "delivery-response-0001",
        "delivery",
        "en",
        DESKTOP,
        "2026-11-03T09:00:00Z",
        nps(10, Some("Fast")),
    )
    .await;
    answer(
        &app,
        "delivery-response-0002",
        "delivery",
        "en",
        DESKTOP,
        "2026-11-03T10:00:00Z",
        nps(9, None),
    )
    .await;
    answer(
        &app,
        "delivery-response-0003",
        "delivery",
        "en",
        PHONE,
        "2026-11-03T15:00:00Z",
        nps(6, Some("Box damaged")),
    )
    .await;
    let range = "from=2026-11-02&to=2026-11-03";

    // Journey: checkout has 4 favourable answers of 8 (CSAT 5, 4; CES 7, 6): 50%, Wilson
    // [21.52, 78.48]; delivery 2 promoters of 3: 66.67%. Checkout is the weakest.
    let (status, journey) = app
        .admin(
            Method::GET,
            &format!("/sites/demo/reports/journey?{range}"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{journey}");
    assert_eq!(journey["time_zone"], "Europe/Warsaw");
    assert_eq!(journey["weakest"], "checkout");
    let stages = journey["stages"].as_array().expect("stages");
    let names: Vec<&str> = stages.iter().filter_map(|s| s["stage"].as_str()).collect();
    assert_eq!(
        names,
        ["browsing", "checkout", "delivery", "support", "returns"]
    );
    assert_eq!(stages[0]["count"], 0);
    assert_eq!(stages[0]["favorable"], Value::Null);
    assert_eq!(stages[1]["count"], 8);
    close(&stages[1]["favorable"]["share"], 50.0);
    close(&stages[1]["favorable"]["low"], 21.52);
    close(&stages[1]["favorable"]["high"], 78.48);
    close(&stages[2]["favorable"]["share"], 66.67);
    let delivery_nps = &stages[2]["questions"][0];
    assert_eq!(delivery_nps["question"], "nps");
    close(&delivery_nps["score"]["score"], 33.33);

    // Checkout CSAT: 2 of 4 satisfied, 50% [15.00, 85.00]; per Warsaw day: [5, 4] on the 2nd
    // (100%), [2, 1] on the 3rd (0%).
    let (status, report) = app
        .admin(
            Method::GET,
            &format!("/sites/demo/reports/stages/checkout?{range}&grain=day"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    let questions = report["questions"].as_array().expect("questions");
    let csat = questions
        .iter()
        .find(|q| q["question"] == "csat")
        .expect("csat");
    assert_eq!(csat["kind"], "csat");
    assert_eq!(csat["score"]["count"], 4);
    close(&csat["score"]["score"], 50.0);
    close(&csat["score"]["low"], 15.0);
    close(&csat["score"]["high"], 85.0);
    assert_eq!(
        csat["distribution"],
        json!({ "1": 1, "2": 1, "4": 1, "5": 1 })
    );
    let series = csat["series"].as_array().expect("series");
    assert_eq!(series.len(), 2);
    assert_eq!(series[0]["period"], "2026-11-02");
    assert_eq!(series[0]["score"]["count"], 2);
    close(&series[0]["score"]["score"], 100.0);
    assert_eq!(series[1]["period"], "2026-11-03");
    close(&series[1]["score"]["score"], 0.0);
    let groups = |name: &str| -> Vec<(String, u64, f64)> {
        csat[name]
            .as_array()
            .expect("breakdown")
            .iter()
            .map(|b| {
                (
                    b["value"].as_str().unwrap_or_default().to_owned(),
                    b["score"]["count"].as_u64().unwrap_or_default(),
                    b["score"]["score"].as_f64().unwrap_or_default(),
                )
            })
            .collect()
    };
    assert_eq!(
        groups("by_locale"),
        [
            ("en".into(), 2, 50.0),
            ("pl".into(), 1, 100.0),
            ("pt-BR".into(), 1, 0.0)
        ]
    );
    assert_eq!(
        groups("by_device"),
        [("desktop".into(), 2, 50.0), ("mobile".into(), 2, 50.0)]
    );
    assert_eq!(groups("by_version"), [("1".into(), 4, 50.0)]);
    let ces = questions
        .iter()
        .find(|q| q["question"] == "ces")
        .expect("ces");
    close(&ces["score"]["score"], 4.5);

    // Weekly: both days are in the week of Monday 2 November.
    let (_, weekly) = app
        .admin(
            Method::GET,
            &format!("/sites/demo/reports/stages/checkout?{range}&grain=week"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(
        weekly["questions"][0]["series"].as_array().map(Vec::len),
        Some(1)
    );

    // Comments, newest first, filtered and paged.
    let texts = |page: &Value| -> Vec<String> {
        page["comments"]
            .as_array()
            .expect("comments")
            .iter()
            .filter_map(|c| c["text"].as_str().map(str::to_owned))
            .collect()
    };
    let (status, all) = app
        .admin(
            Method::GET,
            &format!("/sites/demo/comments?{range}"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{all}");
    assert_eq!(
        texts(&all),
        [
            "Box damaged",
            "Card was declined twice",
            "Fast",
            "Shipping was slow"
        ]
    );
    assert_eq!(all["comments"][1]["scores"], json!({ "ces": 3, "csat": 1 }));
    assert_eq!(all["next"], Value::Null);
    let (_, checkout) = app
        .admin(
            Method::GET,
            &format!("/sites/demo/comments?{range}&stage=checkout"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(
        texts(&checkout),
        ["Card was declined twice", "Shipping was slow"]
    );
    let (_, search) = app
        .admin(
            Method::GET,
            &format!("/sites/demo/comments?{range}&q=CARD"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(texts(&search), ["Card was declined twice"]);
    let (_, detractors) = app
        .admin(
            Method::GET,
            &format!("/sites/demo/comments?{range}&question=nps&max_score=6"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(texts(&detractors), ["Box damaged"]);
    let (_, first) = app
        .admin(
            Method::GET,
            &format!("/sites/demo/comments?{range}&limit=3"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(texts(&first).len(), 3);
    let next = first["next"].as_str().expect("a next page");
    let (_, second) = app
        .admin(
            Method::GET,
            &format!("/sites/demo/comments?{range}&limit=3&after={next}"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(texts(&second), ["Shipping was slow"]);
    assert_eq!(second["next"], Value::Null);

    // Bad parameters name what is wrong.
    for query in [
        "from=yesterday",
        "from=2026-11-05&to=2026-11-01",
        "grain=hour",
        "limit=0",
        "max_score=3",
        "after=nonsense",
    ] {
        let path = if query.starts_with("grain") {
            format!("/sites/demo/reports/stages/checkout?{query}")
        } else {
            format!("/sites/demo/comments?{query}")
        };
        let (status, body) = app.admin(Method::GET, &path, Some(&token), None).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (StatusCode::BAD_REQUEST, Some("invalid_query")),
            "{query}: {body}"
        );
    }
}

async fn exports_stream_every_answer_as_csv_and_ndjson(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let token = app.token(TokenScope::Site("demo".into())).await;
    // Enough answers for several 32 KiB chunks, one of them a comment a spreadsheet would run.
    let responses = 250;
    for i in 0..responses {
        let mut answers = vec![
            json!({ "question": "csat", "value": 1 + i % 5 }),
            json!({ "question": "ces", "value": 4 }),
        ];
        if i == 7 {
            answers.push(json!({ "question": "comment", "value": "=HYPERLINK(\"http://evil.example\",\"click\")" }));
        }
        let body = json!({
            "id": format!("export-response-{i:06}"), "site": "demo", "stage": "checkout",
            "question_set_version": 1, "context": { "order": format!("{}", 5000 + i) },
            "answers": answers, "completed": true
        });
        assert_eq!(app.post_response(&body).await.0, StatusCode::CREATED);
    }
    let delivery = json!({
        "id": "export-delivery-000001", "site": "demo", "stage": "delivery", "question_set_version": 1,
        "answers": [{ "question": "nps", "value": 10 }]
    });
    assert_eq!(app.post_response(&delivery).await.0, StatusCode::CREATED);

    let fetch = |query: &'static str| {
        let request = app
            .http
            .get(app.url(&format!("/v1/admin/sites/demo/responses/export?{query}")))
            .bearer_auth(&token);
        async move {
            let response = request.send().await.expect("export");
            assert_eq!(response.status(), StatusCode::OK, "{query}");
            let content_type = response.headers()["content-type"]
                .to_str()
                .unwrap_or_default()
                .to_owned();
            (content_type, response.text().await.expect("body"))
        }
    };
    let (content_type, csv) = fetch("format=csv").await;
    assert_eq!(content_type, "text/csv; charset=utf-8");
    assert!(
        csv.len() > collector::export::CHUNK_BYTES,
        "spans more than one chunk: {} bytes",
        csv.len()
    );
    let lines: Vec<&str> = csv.lines().collect();
    assert!(
        lines[0].starts_with("response_id,received_at,stage,"),
        "{}",
        lines[0]
    );
    assert_eq!(
        lines.len(),
        1 + responses * 2 + 1 + 1,
        "a header and one row per answer"
    );
    let comment = lines
        .iter()
        .find(|l| l.contains(",comment,text,"))
        .expect("the comment row");
    assert!(
        comment.contains(",\"'=HYPERLINK("),
        "a formula is defused: {comment}"
    );

    let (content_type, ndjson) = fetch("format=ndjson&stage=checkout").await;
    assert_eq!(content_type, "application/x-ndjson");
    let lines: Vec<Value> = ndjson
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(lines.len(), responses, "one line per checkout response");
    assert_eq!(lines[7]["context"]["order"], "5007");
    assert_eq!(lines[7]["answers"].as_array().map(Vec::len), Some(3));
    assert!(lines.iter().all(|l| l["stage"] == "checkout"));

    let (status, body) = app
        .admin(
            Method::GET,
            "/sites/demo/responses/export",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_query"))
    );
    let other = app.token(TokenScope::AllSites).await;
    let site = json!({ "key": "other", "name": "Other" });
    assert_eq!(
        app.admin(Method::POST, "/sites", Some(&other), Some(&site))
            .await
            .0,
        StatusCode::CREATED
    );
    let (status, _) = app
        .admin(
            Method::GET,
            "/sites/other/responses/export?format=csv",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
