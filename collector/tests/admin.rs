//! The admin API over real HTTP on both engines: tokens and their scopes, sites, and versioned
//! question sets.

mod support;

use axum::http::HeaderMap;
use collector::store::TokenScope;
use reqwest::Method;
use reqwest::StatusCode;
use serde_json::{Value, json};
use support::{Engine, TestApp};

on_both_engines!(
    admin_routes_refuse_missing_wrong_and_other_sites_tokens,
    a_new_site_accepts_answers_from_its_own_origins_only,
    editing_a_question_set_makes_a_new_version_and_keeps_the_old_one,
    the_token_command_makes_a_token_the_admin_api_accepts,
    answers_past_the_retention_are_deleted_by_the_background_task,
    erasing_an_order_or_a_customer_deletes_their_answers_only,
    question_sets_round_trip_through_a_file,
    webhooks_deliver_signed_retried_and_logged,
    a_site_theme_is_checked_and_reaches_the_widget_config,
    etiquette_is_checked_reaches_the_config_and_the_sample_is_enforced,
);

fn site(key: &str, origins: &[&str]) -> Value {
    json!({ "key": key, "name": format!("{key} store"), "allowed_origins": origins })
}

async fn admin_routes_refuse_missing_wrong_and_other_sites_tokens(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let all = app.token(TokenScope::AllSites).await;
    let demo_only = app.token(TokenScope::Site("demo".into())).await;

    let response = app
        .http
        .get(app.url("/v1/admin/sites"))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(response.headers()["www-authenticate"], "Bearer");
    let (status, body) = app
        .admin(Method::GET, "/sites", Some("cxa_wrong"), None)
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("unauthorized"))
    );

    let (status, _) = app
        .admin(
            Method::POST,
            "/sites",
            Some(&all),
            Some(&site("other", &[])),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);

    // A site-scoped token sees and touches its own site only.
    let (status, body) = app
        .admin(Method::GET, "/sites", Some(&demo_only), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let keys: Vec<&str> = body
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|s| s["key"].as_str())
        .collect();
    assert_eq!(keys, ["demo"]);
    for path in [
        "/sites/other",
        "/sites/other/question-sets",
        "/sites/nonexistent",
    ] {
        let (status, body) = app.admin(Method::GET, path, Some(&demo_only), None).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (StatusCode::FORBIDDEN, Some("forbidden")),
            "{path}"
        );
    }
    let (status, body) = app
        .admin(
            Method::POST,
            "/sites",
            Some(&demo_only),
            Some(&site("third", &[])),
        )
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::FORBIDDEN, Some("forbidden"))
    );

    let (status, body) = app.admin(Method::GET, "/sites", Some(&all), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body.as_array().map(Vec::len), Some(2));
    let (status, body) = app
        .admin(Method::GET, "/sites/nonexistent", Some(&all), None)
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::NOT_FOUND, Some("site_not_found"))
    );
}

fn checkout_answer(id: &str, site: &str, version: u32, answers: Value) -> Value {
    json!({
        "id": id, "site": site, "stage": "checkout", "question_set_version": version,
        "answers": answers, "completed": true
    })
}

async fn a_new_site_accepts_answers_from_its_own_origins_only(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let all = app.token(TokenScope::AllSites).await;
    let fernwood = site("fernwood", &["https://fernwood.example"]);
    let (status, body) = app
        .admin(Method::POST, "/sites", Some(&all), Some(&fernwood))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = app
        .admin(Method::POST, "/sites", Some(&all), Some(&fernwood))
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::CONFLICT, Some("site_exists"))
    );
    let (status, body) = app
        .admin(
            Method::POST,
            "/sites",
            Some(&all),
            Some(&site("bad", &["fernwood.example/shop"])),
        )
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_site"))
    );
    assert!(
        body["message"]
            .as_str()
            .unwrap_or_default()
            .contains("allowed_origins"),
        "{body}"
    );
    let (status, body) = app
        .admin(
            Method::POST,
            "/sites",
            Some(&all),
            Some(&json!({ "key": "x", "nme": "typo" })),
        )
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_json"))
    );

    // A new site shows no survey until a question set is published.
    let config: Value = app
        .get("/v1/sites/fernwood/config")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(config["stages"], json!([]));
    let questions = json!({ "questions": [
        { "id": "csat", "kind": { "csat": {} }, "text": { "en": "How was it?" } }
    ]});
    let (status, body) = app
        .admin(
            Method::POST,
            "/sites/fernwood/question-sets/checkout",
            Some(&all),
            Some(&questions),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(
        (body["version"].as_u64(), body["status"].as_str()),
        (Some(1), Some("draft"))
    );
    let (status, _) = app
        .admin(
            Method::POST,
            "/sites/fernwood/question-sets/checkout/versions/1/publish",
            Some(&all),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let config: Value = app
        .get("/v1/sites/fernwood/config")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(config["stages"][0]["stage"], "checkout");

    let answer = checkout_answer(
        "fernwood-answer-000001",
        "fernwood",
        1,
        json!([{ "question": "csat", "value": 5 }]),
    );
    let body = answer.to_string();
    let (status, _) = app
        .post_raw(&body, "text/plain", Some("https://fernwood.example"))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, reply) = app
        .post_raw(&body, "text/plain", Some("http://localhost:3000"))
        .await;
    assert_eq!(
        (status, reply["error"].as_str()),
        (StatusCode::FORBIDDEN, Some("origin_not_allowed"))
    );

    let change =
        json!({ "allowed_origins": ["https://fernwood.example", "https://www.fernwood.example"] });
    let (status, body) = app
        .admin(Method::PATCH, "/sites/fernwood", Some(&all), Some(&change))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _) = app
        .post_raw(
            &body_with_id(&answer, "fernwood-answer-000002"),
            "text/plain",
            Some("https://www.fernwood.example"),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
}

fn body_with_id(answer: &Value, id: &str) -> String {
    let mut answer = answer.clone();
    answer["id"] = json!(id);
    answer.to_string()
}

async fn editing_a_question_set_makes_a_new_version_and_keeps_the_old_one(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let token = app.token(TokenScope::Site("demo".into())).await;
    let edited = json!({ "questions": [
        { "id": "nps", "kind": "nps", "text": { "en": "Would you recommend us?", "pl": "Czy polecisz nas?" } },
        { "id": "why", "kind": { "text": { "max_length": 200 } }, "text": { "en": "Why?" },
          "optional": true, "show_if": { "question": "nps", "at_most": 6 } }
    ]});
    let (status, body) = app
        .admin(
            Method::POST,
            "/sites/demo/question-sets/checkout",
            Some(&token),
            Some(&edited),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(
        (body["version"].as_u64(), body["status"].as_str()),
        (Some(2), Some("draft"))
    );

    // A draft changes nothing for shoppers.
    let config: survey::SiteConfig = app
        .get("/v1/sites/demo/config")
        .await
        .json()
        .await
        .expect("config");
    assert_eq!(
        config
            .question_set(survey::Stage::Checkout)
            .map(|s| s.version),
        Some(1)
    );

    let publish = "/sites/demo/question-sets/checkout/versions/2/publish";
    let (status, body) = app.admin(Method::POST, publish, Some(&token), None).await;
    assert_eq!(
        (status, body["status"].as_str()),
        (StatusCode::OK, Some("published"))
    );
    let config: survey::SiteConfig = app
        .get("/v1/sites/demo/config")
        .await
        .json()
        .await
        .expect("config");
    assert_eq!(
        config
            .question_set(survey::Stage::Checkout)
            .map(|s| s.version),
        Some(2)
    );

    // The old version stays readable, and answers to it (from a page loaded before) still count.
    let (status, old) = app
        .admin(
            Method::GET,
            "/sites/demo/question-sets/checkout/versions/1",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(
        (status, old["status"].as_str()),
        (StatusCode::OK, Some("archived"))
    );
    assert_eq!(old["questions"][0]["id"], "csat");
    let late = checkout_answer(
        "late-answer-to-version-1",
        "demo",
        1,
        json!([{ "question": "csat", "value": 4 }]),
    );
    assert_eq!(app.post_response(&late).await.0, StatusCode::CREATED);
    let new = checkout_answer(
        "answer-to-version-two-01",
        "demo",
        2,
        json!([{ "question": "nps", "value": 3 }, { "question": "why", "value": "slow" }]),
    );
    assert_eq!(app.post_response(&new).await.0, StatusCode::CREATED);
    let stored = app
        .store()
        .await
        .response("demo", "late-answer-to-version-1")
        .await
        .expect("stored");
    assert_eq!(stored.response.question_set_version, 1);

    let (status, list) = app
        .admin(Method::GET, "/sites/demo/question-sets", Some(&token), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let checkout: Vec<(u64, &str)> = list
        .as_array()
        .expect("a list")
        .iter()
        .filter(|v| v["stage"] == "checkout")
        .filter_map(|v| Some((v["version"].as_u64()?, v["status"].as_str()?)))
        .collect();
    assert_eq!(checkout, [(1, "archived"), (2, "published")]);

    // Archiving the published version takes the stage's survey off the site.
    let archive = "/sites/demo/question-sets/checkout/versions/2/archive";
    assert_eq!(
        app.admin(Method::POST, archive, Some(&token), None).await.0,
        StatusCode::OK
    );
    let config: survey::SiteConfig = app
        .get("/v1/sites/demo/config")
        .await
        .json()
        .await
        .expect("config");
    assert!(config.question_set(survey::Stage::Checkout).is_none());

    // Bad definitions and paths are refused with what was wrong.
    let duplicate_ids = json!({ "questions": [
        { "id": "a", "kind": "ces", "text": { "en": "?" } },
        { "id": "a", "kind": "ces", "text": { "en": "?" } }
    ]});
    let (status, body) = app
        .admin(
            Method::POST,
            "/sites/demo/question-sets/returns",
            Some(&token),
            Some(&duplicate_ids),
        )
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("invalid_question_set")
        )
    );
    assert!(
        body["message"]
            .as_str()
            .unwrap_or_default()
            .contains("\"a\""),
        "{body}"
    );
    let (status, body) = app
        .admin(
            Method::POST,
            "/sites/demo/question-sets/payment",
            Some(&token),
            Some(&edited),
        )
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::NOT_FOUND, Some("unknown_stage"))
    );
    let (status, body) = app
        .admin(
            Method::GET,
            "/sites/demo/question-sets/checkout/versions/9",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::NOT_FOUND, Some("question_set_not_found"))
    );
}

async fn the_token_command_makes_a_token_the_admin_api_accepts(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_collector"))
        .args([
            "token",
            "create",
            "--name",
            "dashboard",
            "--site",
            "demo",
            "--database-url",
        ])
        .arg(&app.database.url)
        .output()
        .expect("collector runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let token = String::from_utf8(output.stdout).expect("utf-8");
    let token = token.trim();
    assert!(token.starts_with(collector::tokens::PREFIX), "{token}");
    let (status, body) = app
        .admin(Method::GET, "/sites/demo", Some(token), None)
        .await;
    assert_eq!(
        (status, body["key"].as_str()),
        (StatusCode::OK, Some("demo"))
    );

    let unknown = std::process::Command::new(env!("CARGO_BIN_EXE_collector"))
        .args([
            "token",
            "create",
            "--name",
            "x",
            "--site",
            "nope",
            "--database-url",
        ])
        .arg(&app.database.url)
        .output()
        .expect("collector runs");
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no site has the key \"nope\""));
}

fn answer_with_context(id: &str, context: Value) -> Value {
    json!({
        "id": id, "site": "demo", "stage": "checkout", "question_set_version": 1,
        "context": context, "answers": [{ "question": "csat", "value": 3 }]
    })
}

async fn answers_past_the_retention_are_deleted_by_the_background_task(engine: Engine) {
    let every = std::time::Duration::from_millis(100);
    let app = TestApp::spawn_with_retention_every(engine, every).await;
    let token = app.token(TokenScope::AllSites).await;
    let keep_30_days = json!({ "retention_days": 30 });
    let (status, site) = app
        .admin(
            Method::PATCH,
            "/sites/demo",
            Some(&token),
            Some(&keep_30_days),
        )
        .await;
    assert_eq!(
        (status, site["retention_days"].as_i64()),
        (StatusCode::OK, Some(30))
    );
    for id in ["old-response-0000000001", "new-response-0000000001"] {
        assert_eq!(
            app.post_response(&answer_with_context(id, json!({})))
                .await
                .0,
            StatusCode::CREATED
        );
    }
    let forty_days_ago = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(40 * 24);
    app.backdate("old-response-0000000001", &forty_days_ago.to_string())
        .await;

    let store = app.store().await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while store
        .response("demo", "old-response-0000000001")
        .await
        .is_ok()
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the retention task never ran"
        );
        tokio::time::sleep(every).await;
    }
    assert!(
        store
            .response("demo", "new-response-0000000001")
            .await
            .is_ok(),
        "recent answers stay"
    );

    let forever = json!({ "retention_days": null });
    let (status, site) = app
        .admin(Method::PATCH, "/sites/demo", Some(&token), Some(&forever))
        .await;
    assert_eq!(
        (status, &site["retention_days"]),
        (StatusCode::OK, &Value::Null)
    );
    let (status, body) = app
        .admin(
            Method::PATCH,
            "/sites/demo",
            Some(&token),
            Some(&json!({ "retention_days": 0 })),
        )
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_site"))
    );
}

async fn erasing_an_order_or_a_customer_deletes_their_answers_only(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let token = app.token(TokenScope::Site("demo".into())).await;
    let answers = [
        (
            "erase-order-a1-00000001",
            json!({ "order": "A1", "customer": "C9" }),
        ),
        (
            "erase-order-a2-00000001",
            json!({ "order": "A2", "customer": "C9" }),
        ),
        (
            "keep-order-b1-000000001",
            json!({ "order": "B1", "customer": "C1" }),
        ),
        ("keep-no-context-0000001", json!({})),
    ];
    for (id, context) in &answers {
        assert_eq!(
            app.post_response(&answer_with_context(id, context.clone()))
                .await
                .0,
            StatusCode::CREATED
        );
    }
    let (status, body) = app
        .admin(
            Method::POST,
            "/sites/demo/erasures",
            Some(&token),
            Some(&json!({ "order": "A1" })),
        )
        .await;
    assert_eq!((status, body["erased"].as_u64()), (StatusCode::OK, Some(1)));
    let (status, body) = app
        .admin(
            Method::POST,
            "/sites/demo/erasures",
            Some(&token),
            Some(&json!({ "customer": "C9" })),
        )
        .await;
    assert_eq!((status, body["erased"].as_u64()), (StatusCode::OK, Some(1)));
    let store = app.store().await;
    for (id, _) in &answers {
        let kept = store.response("demo", id).await.is_ok();
        assert_eq!(kept, id.starts_with("keep"), "{id}");
    }
    let (status, body) = app
        .admin(
            Method::POST,
            "/sites/demo/erasures",
            Some(&token),
            Some(&json!({})),
        )
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_json"))
    );
}

/// Runs `collector ARGS --database-url URL` and returns (success, stdout, stderr).
fn collector_cli(args: &[&str], database_url: &str) -> (bool, String, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_collector"))
        .args(args)
        .args(["--database-url", database_url])
        .output()
        .expect("collector runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

async fn question_sets_round_trip_through_a_file(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let url = app.database.url.clone();
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("demo.toml");
    let file_arg = file.display().to_string();
    let (ok, _, stderr) = collector_cli(
        &[
            "questions",
            "export",
            "--site",
            "demo",
            "--output",
            &file_arg,
        ],
        &url,
    );
    assert!(ok, "{stderr}");
    let exported = std::fs::read_to_string(&file).expect("written");
    assert!(exported.contains("[[checkout]]"), "{exported}");

    assert!(exported.contains("[etiquette.recontact]"), "{exported}");
    assert!(exported.contains("[theme]"), "{exported}");

    // A marketer rewords the checkout question and samples a fifth of browsing visitors; nothing
    // else changes.
    let edited = exported.replace(
        "How satisfied are you with your purchase?",
        "How was your purchase?",
    ) + "\n";
    let edited = edited.replace(
        "[etiquette.sample_percent]\n",
        "[etiquette.sample_percent]\nbrowsing = 20\n",
    );
    assert!(edited.contains("browsing = 20"), "{edited}");
    std::fs::write(&file, &edited).expect("write");
    let (ok, stdout, stderr) = collector_cli(
        &[
            "questions",
            "import",
            "--site",
            "demo",
            &file_arg,
            "--publish",
        ],
        &url,
    );
    assert!(ok, "{stderr}");
    assert!(
        stdout.contains("checkout: new version 2 (published)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("delivery: unchanged (version 1)"),
        "{stdout}"
    );
    assert!(stdout.contains("etiquette: updated"), "{stdout}");
    assert!(stdout.contains("theme: unchanged"), "{stdout}");
    let config: survey::SiteConfig = app
        .get("/v1/sites/demo/config")
        .await
        .json()
        .await
        .expect("config");
    let checkout = config
        .question_set(survey::Stage::Checkout)
        .expect("checkout");
    assert_eq!(checkout.version, 2);
    assert_eq!(
        checkout.questions[0].text.get("en"),
        "How was your purchase?"
    );
    assert_eq!(config.etiquette.sample_percent(survey::Stage::Browsing), 20);

    let (ok, stdout, _) =
        collector_cli(&["questions", "import", "--site", "demo", &file_arg], &url);
    assert!(ok);
    assert!(
        stdout.contains("checkout: unchanged (version 2)"),
        "{stdout}"
    );

    // A bad file is refused whole, naming the file and the problem.
    let broken = edited.replacen("kind = \"ces\"", "kind = \"effort\"", 1);
    std::fs::write(&file, broken).expect("write");
    let (ok, _, stderr) =
        collector_cli(&["questions", "import", "--site", "demo", &file_arg], &url);
    assert!(!ok);
    assert!(
        stderr.contains("demo.toml") && stderr.contains("effort"),
        "{stderr}"
    );
    let versions = app
        .store()
        .await
        .question_set_versions("demo")
        .await
        .expect("versions");
    assert_eq!(versions.len(), 6, "nothing was saved");
    let (ok, _, stderr) = collector_cli(&["questions", "export", "--site", "nope"], &url);
    assert!(
        !ok && stderr.contains("no site has the key \"nope\""),
        "{stderr}"
    );
}

/// A webhook receiver: records every request, answers 500 to the first one on `/flaky`.
async fn start_receiver() -> (
    String,
    std::sync::Arc<std::sync::Mutex<Vec<(String, HeaderMap, String)>>>,
) {
    use axum::extract::{OriginalUri, State};
    type Log = std::sync::Arc<std::sync::Mutex<Vec<(String, HeaderMap, String)>>>;
    let log: Log = Default::default();
    async fn record(
        State(log): State<Log>,
        OriginalUri(uri): OriginalUri,
        headers: HeaderMap,
        body: String,
    ) -> StatusCode {
        let mut log = log.lock().expect("lock");
        let path = uri.path().to_owned();
        let first_on_flaky = path == "/flaky" && !log.iter().any(|(p, _, _)| p == "/flaky");
        log.push((path, headers, body));
        if first_on_flaky {
            StatusCode::INTERNAL_SERVER_ERROR
        } else {
            StatusCode::OK
        }
    }
    let router = axum::Router::new().fallback(record).with_state(log.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, router).await });
    (format!("http://{address}"), log)
}

async fn webhooks_deliver_signed_retried_and_logged(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let token = app.token(TokenScope::Site("demo".into())).await;
    let (receiver, log) = start_receiver().await;

    let alert = json!({ "url": format!("{receiver}/flaky"), "event": "low_score" });
    let (status, alert) = app
        .admin(
            Method::POST,
            "/sites/demo/webhooks",
            Some(&token),
            Some(&alert),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{alert}");
    let secret = alert["secret"]
        .as_str()
        .expect("the secret, shown once")
        .to_owned();
    let alert_id = alert["id"].as_i64().expect("id");
    let slack =
        json!({ "url": format!("{receiver}/slack"), "event": "response", "format": "slack" });
    assert_eq!(
        app.admin(
            Method::POST,
            "/sites/demo/webhooks",
            Some(&token),
            Some(&slack)
        )
        .await
        .0,
        StatusCode::CREATED
    );
    let (status, body) = app
        .admin(
            Method::POST,
            "/sites/demo/webhooks",
            Some(&token),
            Some(&json!({ "url": "ftp://x" })),
        )
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_webhook"))
    );
    let (_, listed) = app
        .admin(Method::GET, "/sites/demo/webhooks", Some(&token), None)
        .await;
    assert_eq!(listed.as_array().map(Vec::len), Some(2));
    assert!(
        listed[0].get("secret").is_none(),
        "secrets are not listed: {listed}"
    );

    let happy = json!({
        "id": "webhook-happy-00000001", "site": "demo", "stage": "checkout", "question_set_version": 1,
        "answers": [{ "question": "csat", "value": 5 }, { "question": "ces", "value": 7 }], "completed": true
    });
    let unhappy = json!({
        "id": "webhook-unhappy-000001", "site": "demo", "stage": "checkout", "question_set_version": 1,
        "context": { "order": "1042" },
        "answers": [{ "question": "csat", "value": 1 }, { "question": "comment", "value": "Card declined" }]
    });
    assert_eq!(app.post_response(&happy).await.0, StatusCode::CREATED);
    assert_eq!(app.post_response(&unhappy).await.0, StatusCode::CREATED);
    // A repeat send of the same response is not a second delivery.
    assert_eq!(app.post_response(&unhappy).await.0, StatusCode::OK);

    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let (flaky, slack) = {
            let log = log.lock().expect("lock");
            (
                log.iter().filter(|r| r.0 == "/flaky").count(),
                log.iter().filter(|r| r.0 == "/slack").count(),
            )
        };
        if flaky >= 2 && slack >= 2 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "deliveries: {flaky} alert, {slack} slack"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    // Let any wrong extra delivery arrive before counting.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let log = log.lock().expect("lock").clone();
    let alerts: Vec<_> = log.iter().filter(|r| r.0 == "/flaky").collect();
    assert_eq!(
        alerts.len(),
        2,
        "one failed attempt, one retry, and only the low score"
    );
    let (_, headers, body) = alerts[1];
    let timestamp: i64 = headers["x-cx-timestamp"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("a number");
    assert_eq!(
        headers["x-cx-signature"].to_str().expect("ascii"),
        collector::webhooks::signature(&secret, timestamp, body.as_bytes())
    );
    let payload: Value = serde_json::from_str(body).expect("json");
    assert_eq!(payload["event"], "low_score");
    assert_eq!(payload["response"]["id"], "webhook-unhappy-000001");
    let answers = payload["response"]["answers"].as_array().expect("answers");
    let comment = answers
        .iter()
        .find(|a| a["question"] == "comment")
        .expect("the comment");
    assert_eq!(
        comment["value"], "Card declined",
        "the comment joined the alert"
    );
    let slack_texts: Vec<String> = log
        .iter()
        .filter(|r| r.0 == "/slack")
        .map(|r| {
            serde_json::from_str::<Value>(&r.2).expect("json")["text"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    assert_eq!(slack_texts.len(), 2);
    assert!(
        slack_texts
            .iter()
            .any(|t| t == "New response at demo (checkout): csat 1. “Card declined” (order 1042)"),
        "{slack_texts:?}"
    );

    let (status, deliveries) = app
        .admin(
            Method::GET,
            &format!("/sites/demo/webhooks/{alert_id}/deliveries"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(deliveries.as_array().map(Vec::len), Some(1));
    assert_eq!(deliveries[0]["status"], "delivered");
    assert_eq!(deliveries[0]["attempts"], 2);
    assert_eq!(deliveries[0]["last_status"], 200);

    let other = app.token(TokenScope::AllSites).await;
    assert_eq!(
        app.admin(
            Method::POST,
            "/sites",
            Some(&other),
            Some(&json!({ "key": "other", "name": "Other" }))
        )
        .await
        .0,
        StatusCode::CREATED
    );
    let other_only = app.token(TokenScope::Site("other".into())).await;
    assert_eq!(
        app.admin(Method::GET, "/sites/demo/webhooks", Some(&other_only), None)
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    let path = format!("/sites/demo/webhooks/{alert_id}");
    assert_eq!(
        app.admin(Method::DELETE, &path, Some(&token), None).await.0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.admin(Method::DELETE, &path, Some(&token), None).await.0,
        StatusCode::NOT_FOUND
    );
}

async fn a_site_theme_is_checked_and_reaches_the_widget_config(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let token = app.token(TokenScope::Site("demo".into())).await;
    let config: Value = app
        .get("/v1/sites/demo/config")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        config["theme"],
        json!({ "brand": "#1d5d8f", "radius": 12, "font": "inherit", "mode": "light",
                "corner": "right", "container": "" })
    );

    let theme = json!({ "theme": { "brand": "#ff6600", "radius": 4, "font": "system", "mode": "auto",
                                   "corner": "left", "container": "#survey-slot" } });
    let (status, site) = app
        .admin(Method::PATCH, "/sites/demo", Some(&token), Some(&theme))
        .await;
    assert_eq!(status, StatusCode::OK, "{site}");
    assert_eq!(site["theme"]["mode"], "auto");
    let config: Value = app
        .get("/v1/sites/demo/config")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(config["theme"], theme["theme"]);

    for (bad, field) in [
        (json!({ "theme": { "brand": "orange" } }), "theme.brand"),
        (json!({ "theme": { "radius": 99 } }), "theme.radius"),
    ] {
        let (status, body) = app
            .admin(Method::PATCH, "/sites/demo", Some(&token), Some(&bad))
            .await;
        assert_eq!(
            (status, body["error"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_site")),
            "{bad}"
        );
        assert!(
            body["message"].as_str().unwrap_or_default().contains(field),
            "{body}"
        );
    }
    assert_eq!(config["respect_privacy_signals"], false);
    let respect = json!({ "respect_privacy_signals": true });
    let (status, _) = app
        .admin(Method::PATCH, "/sites/demo", Some(&token), Some(&respect))
        .await;
    assert_eq!(status, StatusCode::OK);
    let config: Value = app
        .get("/v1/sites/demo/config")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(config["respect_privacy_signals"], true);
    assert_eq!(config["theme"]["mode"], "auto", "other settings unchanged");
    let (status, body) = app
        .admin(
            Method::PATCH,
            "/sites/demo",
            Some(&token),
            Some(&json!({ "theme": { "mode": "sepia" } })),
        )
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_json")),
        "{body}"
    );
}

async fn etiquette_is_checked_reaches_the_config_and_the_sample_is_enforced(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let token = app.token(TokenScope::Site("demo".into())).await;
    // The demo site has no recontact limits (so it can be tried again and again) and the default
    // browsing triggers.
    let etiquette = site_config(&app).await["etiquette"].clone();
    assert_eq!(etiquette["recontact"]["stage_days_after_answer"], 0);
    assert_eq!(etiquette["browsing"]["page_views"], 3);
    assert_eq!(etiquette["browsing"]["exit_intent"], true);

    let changed = json!({ "etiquette": {
        "browsing": { "page_views": 0, "seconds_on_site": 30, "scroll_percent": 60,
                      "exit_intent": false, "checkout_paths": ["/demo/cart"] },
        "sample_percent": { "delivery": 50 },
        "recontact": { "stage_days_after_answer": 90 }
    } });
    let (status, site) = app
        .admin(Method::PATCH, "/sites/demo", Some(&token), Some(&changed))
        .await;
    assert_eq!(status, StatusCode::OK, "{site}");
    let etiquette = site_config(&app).await["etiquette"].clone();
    assert_eq!(etiquette["browsing"]["seconds_on_site"], 30);
    assert_eq!(etiquette["browsing"]["page_views"], 0);
    assert_eq!(etiquette["sample_percent"]["delivery"], 50);
    assert_eq!(etiquette["recontact"]["stage_days_after_answer"], 90);
    // Fields left out take their defaults.
    assert_eq!(etiquette["recontact"]["stage_days_after_dismiss"], 7);

    for (bad, field) in [
        (
            json!({ "etiquette": { "sample_percent": { "checkout": 120 } } }),
            "sample_percent.checkout",
        ),
        (
            json!({ "etiquette": { "browsing": { "checkout_paths": ["cart"] } } }),
            "browsing.checkout_paths",
        ),
    ] {
        let (status, body) = app
            .admin(Method::PATCH, "/sites/demo", Some(&token), Some(&bad))
            .await;
        assert_eq!(
            (status, body["error"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_site")),
            "{bad}"
        );
        assert!(
            body["message"].as_str().unwrap_or_default().contains(field),
            "{body}"
        );
    }

    // The collector draws as the widget does: an order outside the 50% sample is refused, one
    // inside is stored, and without an order the visitor id is the key.
    let draw = |key: &str| survey::sampling::in_sample("demo", survey::Stage::Delivery, key, 50);
    let outside = (0..)
        .map(|n| format!("S-{n}"))
        .find(|k| !draw(k))
        .expect("an order outside");
    let inside = (0..)
        .map(|n| format!("S-{n}"))
        .find(|k| draw(k))
        .expect("an order inside");
    let delivery = |id: &str, context: Value, visitor: Option<&str>| {
        let mut body = json!({ "id": id, "site": "demo", "stage": "delivery",
            "question_set_version": 1, "context": context,
            "answers": [{ "question": "nps", "value": 9 }] });
        if let Some(visitor) = visitor {
            body["visitor"] = json!(visitor);
        }
        body
    };
    let (status, body) = app
        .post_response(&delivery(
            "sample-outside-0000001",
            json!({ "order": outside }),
            None,
        ))
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("not_in_sample")),
        "{body}"
    );
    assert!(
        body["message"].as_str().unwrap_or_default().contains("50%"),
        "{body}"
    );
    let (status, body) = app
        .post_response(&delivery(
            "sample-inside-00000001",
            json!({ "order": inside }),
            None,
        ))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = app
        .post_response(&delivery("sample-no-key-00000001", json!({}), None))
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("not_in_sample")),
        "{body}"
    );
    let (status, body) = app
        .post_response(&delivery(
            "sample-visitor-0000001",
            json!({}),
            Some(&inside),
        ))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    // Stages at 100% need no key.
    let (status, body) = app
        .post_response(
            &json!({ "id": "sample-checkout-000001", "site": "demo", "stage": "checkout",
            "question_set_version": 1, "answers": [{ "question": "csat", "value": 5 }] }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

async fn site_config(app: &TestApp) -> Value {
    app.get("/v1/sites/demo/config")
        .await
        .json()
        .await
        .expect("json")
}
