//! The collector over real HTTP, on a free port, with a fresh SQLite file per test.

mod support;

use collector::store::{Store, StoreError};
use reqwest::StatusCode;
use reqwest::header::{self, HeaderMap};
use serde_json::{Value, json};
use support::{Engine, TestApp};
use survey::AnswerValue;

on_both_engines!(
    a_valid_answer_is_stored_with_everything_it_carries,
    a_duplicate_response_is_stored_once,
    a_comment_sent_later_completes_the_same_response,
    each_kind_of_bad_input_gets_its_own_clear_4xx,
    a_response_id_reused_for_another_stage_is_a_conflict,
    the_demo_site_accepts_localhost_origins_only,
    the_site_config_has_every_stage_and_revalidates_with_its_etag,
    the_loader_reads_only_the_browsing_triggers_all_off_without_a_browsing_survey,
    a_database_from_a_newer_collector_is_refused,
    readiness_and_metrics_tell_what_happened,
    concurrent_answers_are_all_stored_and_a_conflict_spoils_none,
    an_order_gets_one_answer_per_stage_whatever_the_device,
    the_hosted_page_and_its_email_links_carry_the_context_safely,
);

fn checkout_response(id: &str) -> Value {
    json!({
        "id": id,
        "site": "demo",
        "stage": "checkout",
        "question_set_version": 1,
        "locale": "en",
        // One order per response: an order gets one answer per stage.
        "context": { "order": format!("order-{id}") },
        "answers": [{ "question": "csat", "value": 2 }],
        "completed": false
    })
}

const ID: &str = "5b7c1f0e-8a2d-4c3b-9e6f-0a1b2c3d4e5f";

async fn a_valid_answer_is_stored_with_everything_it_carries(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let (status, body) = app.post_response(&checkout_response(ID)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body, json!({ "id": ID, "status": "created" }));

    let stored = app
        .store()
        .await
        .response("demo", ID)
        .await
        .expect("stored");
    let sent: survey::Response =
        serde_json::from_value(checkout_response(ID)).expect("a valid response");
    assert_eq!(stored.response, sent);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock after 1970")
        .as_millis() as i64;
    assert!(
        (now - stored.received_at_ms).abs() < 60_000,
        "received_at is now"
    );
}

async fn a_duplicate_response_is_stored_once(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let body = checkout_response(ID);
    assert_eq!(app.post_response(&body).await.0, StatusCode::CREATED);
    let first = app
        .store()
        .await
        .response("demo", ID)
        .await
        .expect("stored");
    let (status, reply) = app.post_response(&body).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(reply["status"], "merged");

    let again = app
        .store()
        .await
        .response("demo", ID)
        .await
        .expect("stored");
    assert_eq!(again.response, first.response);
    assert_eq!(again.received_at_ms, first.received_at_ms);
}

async fn a_comment_sent_later_completes_the_same_response(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    assert_eq!(
        app.post_response(&checkout_response(ID)).await.0,
        StatusCode::CREATED
    );
    let mut complete = checkout_response(ID);
    complete["answers"] = json!([
        { "question": "csat", "value": 2 },
        { "question": "ces", "value": 5 },
        { "question": "comment", "value": "Delivery slot was missing" }
    ]);
    complete["completed"] = json!(true);
    assert_eq!(app.post_response(&complete).await.0, StatusCode::OK);

    let stored = app
        .store()
        .await
        .response("demo", ID)
        .await
        .expect("stored");
    assert!(stored.response.completed);
    let comment = stored
        .response
        .answers
        .iter()
        .find(|a| a.question == "comment");
    assert_eq!(
        comment.map(|a| &a.value),
        Some(&AnswerValue::Text("Delivery slot was missing".into()))
    );
    assert_eq!(stored.response.answers.len(), 3);
}

async fn each_kind_of_bad_input_gets_its_own_clear_4xx(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let with = |patch: &dyn Fn(&mut Value)| {
        let mut body = checkout_response(ID);
        patch(&mut body);
        body
    };
    let cases: Vec<(Value, StatusCode, &str)> = vec![
        (
            with(&|b| b["site"] = json!("nope")),
            StatusCode::NOT_FOUND,
            "unknown_site",
        ),
        (
            with(&|b| b["question_set_version"] = json!(99)),
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown_question_set_version",
        ),
        (
            with(&|b| b["answers"] = json!([{ "question": "nps", "value": 3 }])),
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown_question",
        ),
        (
            with(&|b| b["answers"] = json!([{ "question": "csat", "value": 6 }])),
            StatusCode::UNPROCESSABLE_ENTITY,
            "score_out_of_range",
        ),
        (
            with(&|b| b["answers"] = json!([{ "question": "csat", "value": "great" }])),
            StatusCode::UNPROCESSABLE_ENTITY,
            "wrong_answer_type",
        ),
        (
            with(&|b| b["answers"] = json!([{ "question": "comment", "value": "x".repeat(501) }])),
            StatusCode::UNPROCESSABLE_ENTITY,
            "text_too_long",
        ),
        (
            with(&|b| b["answers"] = json!([])),
            StatusCode::UNPROCESSABLE_ENTITY,
            "no_answers",
        ),
        (
            with(&|b| b["id"] = json!("abc")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_id",
        ),
        (
            with(&|b| b["stage"] = json!("payment")),
            StatusCode::BAD_REQUEST,
            "invalid_json",
        ),
        (
            with(&|b| b["answers"] = json!([{ "question": "csat", "value": 4.5 }])),
            StatusCode::BAD_REQUEST,
            "invalid_json",
        ),
    ];
    for (body, status, code) in cases {
        let (got_status, reply) = app.post_response(&body).await;
        assert_eq!(
            (got_status, reply["error"].as_str()),
            (status, Some(code)),
            "{body}"
        );
        let message = reply["message"].as_str().unwrap_or_default();
        assert!(!message.is_empty(), "{code} carries a message");
    }
    // The stage error names the accepted values.
    let (_, reply) = app
        .post_response(&with(&|b| b["stage"] = json!("payment")))
        .await;
    assert!(
        reply["message"]
            .as_str()
            .unwrap_or_default()
            .contains("checkout"),
        "{reply}"
    );

    let (status, reply) = app.post_raw("{not json", "application/json", None).await;
    assert_eq!(
        (status, reply["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_json"))
    );
    let (status, reply) = app
        .post_raw("{}", "application/x-www-form-urlencoded", None)
        .await;
    assert_eq!(
        (status, reply["error"].as_str()),
        (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Some("unsupported_media_type")
        )
    );
    let huge = json!({ "id": ID, "padding": "x".repeat(70_000) }).to_string();
    let (status, reply) = app.post_raw(&huge, "application/json", None).await;
    assert_eq!(
        (status, reply["error"].as_str()),
        (StatusCode::PAYLOAD_TOO_LARGE, Some("payload_too_large"))
    );

    // Nothing bad was stored.
    let stored = app.store().await.response("demo", ID).await;
    assert!(matches!(stored, Err(StoreError::NotFound)), "{stored:?}");
}

async fn a_response_id_reused_for_another_stage_is_a_conflict(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    assert_eq!(
        app.post_response(&checkout_response(ID)).await.0,
        StatusCode::CREATED
    );
    let other = json!({
        "id": ID, "site": "demo", "stage": "delivery", "question_set_version": 1,
        "answers": [{ "question": "nps", "value": 9 }]
    });
    let (status, reply) = app.post_response(&other).await;
    assert_eq!(
        (status, reply["error"].as_str()),
        (StatusCode::CONFLICT, Some("response_id_conflict"))
    );
}

async fn the_demo_site_accepts_localhost_origins_only(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let body = checkout_response(ID).to_string();
    for origin in ["http://localhost:3000", "http://127.0.0.1:8080"] {
        let (status, _) = app
            .post_raw(&body, "text/plain;charset=UTF-8", Some(origin))
            .await;
        assert!(status.is_success(), "{origin}: {status}");
    }
    let (status, reply) = app
        .post_raw(&body, "text/plain", Some("https://shop.example"))
        .await;
    assert_eq!(
        (status, reply["error"].as_str()),
        (StatusCode::FORBIDDEN, Some("origin_not_allowed"))
    );
}

#[tokio::test]
async fn the_cors_preflight_allows_posting_json() {
    let app = TestApp::spawn(Engine::Sqlite).await;
    let response = app
        .http
        .request(reqwest::Method::OPTIONS, app.url("/v1/responses"))
        .header(header::ORIGIN, "http://localhost:3000")
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
        .header(header::ACCESS_CONTROL_REQUEST_HEADERS, "content-type")
        .send()
        .await
        .expect("preflight");
    assert!(response.status().is_success());
    let allowed = response.headers()[header::ACCESS_CONTROL_ALLOW_ORIGIN]
        .to_str()
        .ok();
    assert_eq!(allowed, Some("http://localhost:3000"));
}

async fn the_site_config_has_every_stage_and_revalidates_with_its_etag(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let response = app.get("/v1/sites/demo/config").await;
    assert_eq!(response.status(), StatusCode::OK);
    let headers = response.headers().clone();
    assert_eq!(headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
    assert!(
        headers[header::CACHE_CONTROL]
            .to_str()
            .unwrap_or_default()
            .contains("max-age")
    );
    let etag = headers[header::ETAG].clone();
    let config: survey::SiteConfig = response.json().await.expect("a SiteConfig");
    assert_eq!(config.site, "demo");
    let stages: Vec<_> = config.stages.iter().map(|s| s.stage.as_str()).collect();
    assert_eq!(
        stages,
        ["browsing", "checkout", "delivery", "returns", "support"]
    );

    let again = app
        .http
        .get(app.url("/v1/sites/demo/config"))
        .header(header::IF_NONE_MATCH, etag)
        .send()
        .await
        .expect("revalidation");
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);

    let missing = app.get("/v1/sites/nope/config").await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let reply: Value = missing.json().await.expect("json error");
    assert_eq!(reply["error"], "unknown_site");
}

async fn the_loader_reads_only_the_browsing_triggers_all_off_without_a_browsing_survey(
    engine: Engine,
) {
    let app = TestApp::spawn(engine).await;
    let response = app.get("/v1/sites/demo/triggers").await;
    assert_eq!(response.status(), StatusCode::OK);
    let headers = response.headers().clone();
    assert_eq!(headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
    assert_eq!(headers["timing-allow-origin"], "*");
    assert_eq!(headers[header::CACHE_CONTROL], "public, max-age=60");
    let body = response.bytes().await.expect("body");
    let triggers: survey::BrowsingTrigger = serde_json::from_slice(&body).expect("triggers");
    assert_eq!(
        triggers,
        collector::store::Site::demo().etiquette.browsing,
        "the demo site publishes a browsing question set"
    );
    // Every store page's loader reads this, so it stays a small fraction of the config.
    let config = app.get("/v1/sites/demo/config").await.bytes().await;
    let config = config.expect("config");
    assert!(
        body.len() < 200 && config.len() > 10 * body.len(),
        "triggers {} bytes, config {} bytes",
        body.len(),
        config.len()
    );
    let again = app
        .http
        .get(app.url("/v1/sites/demo/triggers"))
        .header(header::IF_NONE_MATCH, headers[header::ETAG].clone())
        .send()
        .await
        .expect("revalidation");
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);

    // A new site has no question set published yet: no browsing survey can become due.
    let token = app.token(collector::store::TokenScope::AllSites).await;
    let site = json!({ "key": "fernwood", "name": "Fernwood", "allowed_origins": ["https://fernwood.example"] });
    let (status, reply) = app
        .admin(reqwest::Method::POST, "/sites", Some(&token), Some(&site))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{reply}");
    let off: survey::BrowsingTrigger = app
        .get("/v1/sites/fernwood/triggers")
        .await
        .json()
        .await
        .expect("triggers");
    assert_eq!(off, survey::BrowsingTrigger::off());

    let missing = app.get("/v1/sites/nope/triggers").await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let reply: Value = missing.json().await.expect("json error");
    assert_eq!(reply["error"], "unknown_site");
}

async fn fetch(app: &TestApp, path: &str, encoding: &str) -> (HeaderMap, Vec<u8>) {
    let response = app
        .http
        .get(app.url(path))
        .header(header::ACCEPT_ENCODING, encoding)
        .send()
        .await
        .expect("asset");
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    let headers = response.headers().clone();
    (headers, response.bytes().await.expect("body").to_vec())
}

#[tokio::test]
async fn the_loader_and_widget_are_served_precompressed_with_the_right_caching() {
    let app = TestApp::spawn(Engine::Sqlite).await;
    let (headers, identity) = fetch(&app, "/w.js", "identity").await;
    assert_eq!(
        headers[header::CONTENT_TYPE],
        "text/javascript; charset=utf-8"
    );
    assert_eq!(headers[header::CACHE_CONTROL], "public, max-age=300");
    assert!(headers.get(header::CONTENT_ENCODING).is_none());
    let loader = String::from_utf8(identity).expect("utf-8");
    let (br_headers, brotli) = fetch(&app, "/w.js", "gzip, br").await;
    assert_eq!(br_headers[header::CONTENT_ENCODING], "br");
    let (gz_headers, gzip) = fetch(&app, "/w.js", "gzip").await;
    assert_eq!(gz_headers[header::CONTENT_ENCODING], "gzip");
    println!(
        "w.js: {} raw, {} gzip, {} brotli bytes",
        loader.len(),
        gzip.len(),
        brotli.len()
    );
    assert!(
        brotli.len() <= 1024,
        "w.js budget is 1 KB brotli, got {}",
        brotli.len()
    );

    // The loader names the content-hashed widget files; each is immutable and CORS-readable.
    let mut total_brotli = 0;
    let paths = widget_paths(&app, &loader).await;
    for path in &paths {
        let content_type = if path.ends_with(".wasm") {
            "application/wasm"
        } else {
            "text/javascript; charset=utf-8"
        };
        let (headers, brotli) = fetch(&app, path, "br").await;
        assert_eq!(headers[header::CONTENT_TYPE], content_type, "{path}");
        assert_eq!(
            headers[header::CACHE_CONTROL],
            "public, max-age=31536000, immutable"
        );
        assert_eq!(headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
        let (_, raw) = fetch(&app, path, "identity").await;
        let (_, gzip) = fetch(&app, path, "gzip").await;
        println!(
            "{path}: {} raw, {} gzip, {} brotli bytes",
            raw.len(),
            gzip.len(),
            brotli.len()
        );
        total_brotli += brotli.len();
    }
    println!("widget wasm + js: {total_brotli} brotli bytes");
    // Issue 4's budget is 60 KB and is not met yet (BENCHMARKS.md says where the bytes go). Until
    // it is, these ceilings, just above today's sizes, make any growth a deliberate decision. The
    // widget is built with the pinned nightly unless CX_WIDGET_TOOLCHAIN=stable asks for the
    // fallback (collector/build.rs); a nightly build that silently fell back fails here.
    let (toolchain, ceiling) = match std::env::var("CX_WIDGET_TOOLCHAIN").as_deref() {
        Ok("stable") => ("stable", 93 * 1024),
        _ => ("nightly", 83 * 1024),
    };
    assert!(
        total_brotli <= ceiling,
        "the widget ({toolchain} build) grew to {total_brotli} brotli bytes, over its ceiling of {ceiling}"
    );

    let missing = app.get("/assets/widget-0000.wasm").await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_demo_store_carries_the_snippet_exactly_as_store_owners_paste_it() {
    let app = TestApp::spawn(Engine::Sqlite).await;
    let root = app.get("/").await;
    assert_eq!(root.status(), StatusCode::SEE_OTHER);
    let page = app
        .get("/demo/order-confirmation.html?order=1042")
        .await
        .text()
        .await
        .expect("html");
    let origin = format!("http://{}", app.address);
    assert!(page.contains(&format!(
        r#"<script async src="{origin}/w.js" data-site="demo"></script>"#
    )));
    assert!(page.contains(
        "<script>window.cx=window.cx||function(){(cx.q=cx.q||[]).push(arguments)};</script>"
    ));
    assert!(page.contains("<script>cx('stage', 'checkout', { order: '1042' });</script>"));
    for page in [
        "",
        "product.html",
        "cart.html",
        "order-status.html",
        "support.html",
        "returns.html",
    ] {
        let status = app.get(&format!("/demo/{page}")).await.status();
        assert_eq!(status, StatusCode::OK, "{page}");
    }
}

#[tokio::test]
async fn unknown_paths_get_a_json_404() {
    let app = TestApp::spawn(Engine::Sqlite).await;
    let response = app.get("/nope").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let reply: Value = response.json().await.expect("json");
    assert_eq!(reply["error"], "not_found");
}

async fn a_database_from_a_newer_collector_is_refused(engine: Engine) {
    let database = support::TestDatabase::create(engine).await;
    drop(
        Store::connect(&database.url)
            .await
            .expect("first start migrates"),
    );
    // Record a migration this binary does not have, as a newer collector would have.
    let checksum = match engine {
        Engine::Sqlite => "x''",
        Engine::Postgres => "''::bytea",
    };
    database
        .execute(&format!(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time)
             VALUES (99990101000000, 'from a newer collector', TRUE, {checksum}, 0)"
        ))
        .await;
    let error = Store::connect(&database.url)
        .await
        .expect_err("a newer schema is refused");
    assert!(
        matches!(error, StoreError::NewerSchema(99990101000000)),
        "{error:?}"
    );
    assert!(
        error.to_string().contains("newer than this collector"),
        "{error}"
    );
}

async fn readiness_and_metrics_tell_what_happened(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status(), StatusCode::OK);
    assert_eq!(
        app.post_response(&checkout_response(ID)).await.0,
        StatusCode::CREATED
    );
    assert_eq!(
        app.post_response(&checkout_response(ID)).await.0,
        StatusCode::OK
    );
    let mut bad = checkout_response("another-response-00000001");
    bad["answers"] = json!([{ "question": "csat", "value": 9 }]);
    assert_eq!(
        app.post_response(&bad).await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    let metrics = app.get("/metrics").await.text().await.expect("metrics");
    for line in [
        r#"cx_responses_stored_total{kind="created"} 1"#,
        r#"cx_responses_stored_total{kind="merged"} 1"#,
        r#"cx_responses_rejected_total{kind="score_out_of_range"} 1"#,
        r#"cx_http_requests_total{route="/v1/responses",method="POST",status="201"} 1"#,
        r#"cx_http_requests_total{route="/v1/responses",method="POST",status="422"} 1"#,
        r#"cx_http_requests_total{route="/readyz",method="GET",status="200"} 1"#,
        r#"cx_storage_seconds_count{kind="save_response"} 2"#,
        "cx_write_queue_depth 0",
    ] {
        assert!(
            metrics.lines().any(|l| l == line),
            "missing {line:?} in\n{metrics}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_finishes_requests_in_flight_and_loses_no_acknowledged_answer() {
    use std::io::BufRead;
    let dir = tempfile::tempdir().expect("temp dir");
    let database = dir.path().join("collector.sqlite3");
    let mut collector = std::process::Command::new(env!("CARGO_BIN_EXE_collector"))
        .args(["serve", "--listen", "127.0.0.1:0", "--database-url"])
        .arg(&database)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("collector starts");
    let stdout = collector.stdout.take().expect("stdout");
    // Keep reading stdout to its end, as a terminal would.
    let mut lines = std::io::BufReader::new(stdout).lines();
    let first_line = lines.next().expect("a line").expect("utf-8");
    let drain = std::thread::spawn(move || lines.count());
    let base = first_line
        .trim_start_matches("Collector listening on ")
        .to_owned();

    let http = reqwest::Client::new();
    let (acknowledged_tx, mut acknowledged_rx) = tokio::sync::mpsc::unbounded_channel();
    let mut requests = Vec::new();
    for i in 0..40 {
        let http = http.clone();
        let url = format!("{base}/v1/responses");
        let acknowledged = acknowledged_tx.clone();
        requests.push(tokio::spawn(async move {
            let id = format!("in-flight-response-{i:05}");
            let body = checkout_response(&id).to_string();
            let sent = http
                .post(url)
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await;
            if sent.is_ok_and(|r| r.status().is_success()) {
                let _ = acknowledged.send(id);
            }
        }));
    }
    drop(acknowledged_tx);
    // Terminate as soon as the first answer is acknowledged, with the others in flight.
    let first = acknowledged_rx
        .recv()
        .await
        .expect("at least one answer is acknowledged");
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &collector.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    for request in requests {
        request.await.expect("request task");
    }
    let mut acknowledged = vec![first];
    while let Ok(id) = acknowledged_rx.try_recv() {
        acknowledged.push(id);
    }
    let status = collector.wait().expect("collector exits");
    let _ = drain.join();
    assert!(status.success(), "a graceful shutdown exits 0: {status}");

    let store = Store::connect(&database.display().to_string())
        .await
        .expect("database opens");
    for id in &acknowledged {
        assert!(
            store.response("demo", id).await.is_ok(),
            "acknowledged {id} was lost"
        );
    }
    println!(
        "{} of 40 answers acknowledged before shutdown, all stored",
        acknowledged.len()
    );
}

async fn concurrent_answers_are_all_stored_and_a_conflict_spoils_none(engine: Engine) {
    let app = std::sync::Arc::new(TestApp::spawn(engine).await);
    assert_eq!(
        app.post_response(&checkout_response(ID)).await.0,
        StatusCode::CREATED
    );
    // 200 answers at once (SQLite commits them in a few batches), one of them reusing an id for
    // another stage: that one alone is refused.
    let mut sends = Vec::new();
    for i in 0..200 {
        let app = app.clone();
        sends.push(tokio::spawn(async move {
            let body = if i == 100 {
                json!({ "id": ID, "site": "demo", "stage": "delivery", "question_set_version": 1,
                        "answers": [{ "question": "nps", "value": 9 }] })
            } else {
                checkout_response(&format!("concurrent-response-{i:05}"))
            };
            (i, app.post_response(&body).await.0)
        }));
    }
    for send in sends {
        let (i, status) = send.await.expect("request task");
        let expected = if i == 100 {
            StatusCode::CONFLICT
        } else {
            StatusCode::CREATED
        };
        assert_eq!(status, expected, "answer {i}");
    }
    let store = app.store().await;
    for i in (0..200).filter(|i| *i != 100) {
        let id = format!("concurrent-response-{i:05}");
        assert!(store.response("demo", &id).await.is_ok(), "{id} stored");
    }
    let first = store.response("demo", ID).await.expect("stored");
    assert_eq!(
        first.response.stage,
        survey::Stage::Checkout,
        "the conflict changed nothing"
    );
}

// Regression: a closed stdout (`collector serve | head -1`, or a supervisor that stops reading)
// made the start-up banner's println! panic and kill the server.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_stdout_does_not_stop_the_server() {
    let dir = tempfile::tempdir().expect("temp dir");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let mut collector = std::process::Command::new(env!("CARGO_BIN_EXE_collector"))
        .args([
            "serve",
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--database-url",
        ])
        .arg(dir.path().join("collector.sqlite3"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("collector starts");
    drop(collector.stdout.take());
    let http = reqwest::Client::new();
    let url = format!("http://127.0.0.1:{port}/healthz");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        if let Ok(response) = http.get(&url).send().await {
            assert_eq!(response.status(), StatusCode::OK);
            break;
        }
        assert!(
            collector.try_wait().expect("status").is_none(),
            "the collector died"
        );
        assert!(
            std::time::Instant::now() < deadline,
            "the collector never answered"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    // Still up after the banner was written to the closed pipe.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert!(
        http.get(&url)
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
    );
    let _ = collector.kill();
    let _ = collector.wait();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openapi_document_lists_every_route_and_every_listed_route_exists() {
    let app = TestApp::spawn(Engine::Sqlite).await;
    let token = app.token(collector::store::TokenScope::AllSites).await;
    let document: Value = app.get("/openapi.json").await.json().await.expect("json");
    assert!(
        document["openapi"]
            .as_str()
            .unwrap_or_default()
            .starts_with("3."),
        "{}",
        document["openapi"]
    );
    assert!(document["components"]["securitySchemes"]["bearer"].is_object());
    let paths = document["paths"].as_object().expect("paths");

    // Every route of the product is documented, with its methods.
    let expected = [
        ("/w.js", "get"),
        ("/assets/{file}", "get"),
        ("/v1/sites/{site}/config", "get"),
        ("/v1/sites/{site}/triggers", "get"),
        ("/v1/responses", "post"),
        ("/healthz", "get"),
        ("/readyz", "get"),
        ("/metrics", "get"),
        ("/v1/admin/sites", "get"),
        ("/v1/admin/sites", "post"),
        ("/v1/admin/sites/{site}", "get"),
        ("/v1/admin/sites/{site}", "patch"),
        ("/v1/admin/sites/{site}/question-sets", "get"),
        ("/v1/admin/sites/{site}/question-sets/{stage}", "post"),
        (
            "/v1/admin/sites/{site}/question-sets/{stage}/versions/{version}",
            "get",
        ),
        (
            "/v1/admin/sites/{site}/question-sets/{stage}/versions/{version}/publish",
            "post",
        ),
        (
            "/v1/admin/sites/{site}/question-sets/{stage}/versions/{version}/archive",
            "post",
        ),
        ("/v1/admin/sites/{site}/reports/journey", "get"),
        ("/v1/admin/sites/{site}/reports/stages/{stage}", "get"),
        ("/v1/admin/sites/{site}/comments", "get"),
        ("/v1/admin/sites/{site}/responses/export", "get"),
        ("/v1/admin/sites/{site}/erasures", "post"),
        ("/v1/admin/sites/{site}/email-links/{stage}", "get"),
        ("/v1/admin/sites/{site}/webhooks", "get"),
        ("/v1/admin/sites/{site}/webhooks", "post"),
        ("/v1/admin/sites/{site}/webhooks/{id}", "delete"),
        ("/v1/admin/sites/{site}/webhooks/{id}/deliveries", "get"),
    ];
    for (path, method) in expected {
        assert!(
            paths.get(path).and_then(|p| p.get(method)).is_some(),
            "{method} {path} is not documented"
        );
    }
    let documented: usize = paths
        .values()
        .map(|p| p.as_object().map_or(0, |m| m.len()))
        .sum();
    assert_eq!(
        documented,
        expected.len(),
        "a documented route is missing from this list"
    );

    // Every documented route exists: with real values in its path it never reaches the router's
    // fallback (404 not_found) nor a 405.
    let loader = app.get("/w.js").await.text().await.expect("loader");
    let wasm = widget_paths(&app, &loader)
        .await
        .pop()
        .expect("a wasm asset");
    let (_, webhook) = app
        .admin(
            reqwest::Method::POST,
            "/sites/demo/webhooks",
            Some(&token),
            Some(&json!({ "url": "http://127.0.0.1:9/x" })),
        )
        .await;
    let webhook_id = webhook["id"].as_i64().expect("a webhook").to_string();
    for (path, operations) in paths {
        let concrete = path
            .replace("{site}", "demo")
            .replace("{stage}", "checkout")
            .replace("{version}", "1")
            .replace("{id}", &webhook_id)
            .replace("/assets/{file}", &wasm);
        for method in operations.as_object().expect("operations").keys() {
            let method =
                reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).expect("a method");
            let mut request = app
                .http
                .request(method.clone(), app.url(&concrete))
                .bearer_auth(&token);
            if method != reqwest::Method::GET && method != reqwest::Method::DELETE {
                request = request
                    .header(header::CONTENT_TYPE, "application/json")
                    .body("{}");
            }
            let response = request.send().await.expect("request");
            let status = response.status();
            let body: Value = response.json().await.unwrap_or(Value::Null);
            assert_ne!(
                status,
                StatusCode::METHOD_NOT_ALLOWED,
                "{method} {concrete}"
            );
            assert!(
                !(status == StatusCode::NOT_FOUND && body["error"] == "not_found"),
                "{method} {concrete} is documented but not routed"
            );
        }
    }
}

/// The widget's module, named by the loader, and its wasm, named by the module (which instantiates
/// it on import).
async fn widget_paths(app: &TestApp, loader: &str) -> Vec<String> {
    let js: Vec<&str> = loader
        .split('"')
        .filter(|part| part.starts_with("/assets/widget-"))
        .collect();
    assert_eq!(js.len(), 1, "the loader names the widget's module: {js:?}");
    let glue = app
        .get(js[0])
        .await
        .text()
        .await
        .expect("the widget's module");
    let wasm: Vec<&str> = glue
        .split('"')
        .filter(|part| part.starts_with("widget-") && part.ends_with(".wasm"))
        .collect();
    assert_eq!(wasm.len(), 1, "the module names its wasm: {wasm:?}");
    vec![js[0].to_owned(), format!("/assets/{}", wasm[0])]
}

async fn an_order_gets_one_answer_per_stage_whatever_the_device(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let answer = |id: &str, stage: &str, question: &str| {
        json!({ "id": id, "site": "demo", "stage": stage, "question_set_version": 1,
                "context": { "order": "7001" }, "answers": [{ "question": question, "value": 4 }] })
    };
    let first = answer("order-once-phone-00001", "checkout", "csat");
    assert_eq!(app.post_response(&first).await.0, StatusCode::CREATED);
    // The same response again (a retry) and its completion are still welcome.
    assert_eq!(app.post_response(&first).await.0, StatusCode::OK);
    // The same order from another device (another response id) is refused, and says why.
    let (status, body) = app
        .post_response(&answer("order-once-laptop-0001", "checkout", "csat"))
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::CONFLICT, Some("order_already_answered")),
        "{body}"
    );
    let message = body["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("7001") && message.contains("checkout"),
        "{body}"
    );
    // Another stage of the same order is another question.
    let (status, body) = app
        .post_response(&answer("order-once-delivery-001", "delivery", "nps"))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let store = app.store().await;
    assert!(
        store
            .response("demo", "order-once-laptop-0001")
            .await
            .is_err()
    );

    // Sixteen devices answer one order at the same moment: exactly one is stored.
    let app = std::sync::Arc::new(app);
    let sends: Vec<_> = (0..16)
        .map(|i| {
            let app = app.clone();
            tokio::spawn(async move {
                let body = json!({ "id": format!("order-race-device-{i:04}"), "site": "demo",
                    "stage": "checkout", "question_set_version": 1, "context": { "order": "7002" },
                    "answers": [{ "question": "csat", "value": 5 }] });
                app.post_response(&body).await.0
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for send in sends {
        statuses.push(send.await.expect("request task"));
    }
    let created = statuses
        .iter()
        .filter(|s| **s == StatusCode::CREATED)
        .count();
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::CONFLICT)
        .count();
    assert_eq!((created, refused), (1, 15), "{statuses:?}");
}

async fn the_hosted_page_and_its_email_links_carry_the_context_safely(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let page = app
        .get("/s/demo/delivery?order=1042&lang=pl&score=9&note=%3C/script%3E%3Cscript%3Ealert(1)")
        .await;
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(
        page.headers()[header::CONTENT_TYPE],
        "text/html; charset=utf-8"
    );
    let html = page.text().await.expect("html");
    assert!(
        html.contains(r#"<script async src="/w.js" data-site="demo"></script>"#),
        "{html}"
    );
    assert!(html.contains("cx('locale', 'pl');"), "{html}");
    assert!(
        html.contains(r#"cx('show', 'delivery', {"note":"\u003c/script>\u003cscript>alert(1)","order":"1042"}, 'hosted');"#),
        "the context, with nothing that can close the script: {html}"
    );
    assert!(!html.contains("\"score\""), "the score is not context");
    assert!(html.contains(r#"<html lang="pl">"#));
    for (path, status, code) in [
        ("/s/nope/delivery", StatusCode::NOT_FOUND, "unknown_site"),
        ("/s/demo/shipping", StatusCode::NOT_FOUND, "unknown_stage"),
        (
            "/s/demo/delivery?bad%20key=1",
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_context",
        ),
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), status, "{path}");
        let body: Value = response.json().await.expect("json");
        assert_eq!(body["error"], code, "{path}: {body}");
    }

    // An order already answered at that stage is thanked, not asked again.
    let answered = checkout_response("hosted-answered-000001");
    assert_eq!(app.post_response(&answered).await.0, StatusCode::CREATED);
    let order = answered["context"]["order"].as_str().expect("an order");
    let html = app
        .get(&format!("/s/demo/checkout?order={order}&lang=pl"))
        .await
        .text()
        .await
        .expect("html");
    assert!(html.contains("Mamy już Twoją odpowiedź"), "{html}");
    assert!(!html.contains("cx('show'"), "no survey: {html}");

    // The page is on the collector's own origin, which may send answers for any of its sites.
    let own = format!("http://{}", app.address);
    let response = app
        .http
        .post(app.url("/v1/responses"))
        .header(header::ORIGIN, &own)
        .header(header::CONTENT_TYPE, "text/plain")
        .body(checkout_response("hosted-page-answer-0001").to_string())
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::CREATED);

    let token = app
        .token(collector::store::TokenScope::Site("demo".into()))
        .await;
    let (status, links) = app
        .admin(
            reqwest::Method::GET,
            "/sites/demo/email-links/delivery?context=order%3D%7B%7B%20order.name%20%7D%7D&base=https://cx.example",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{links}");
    let urls: Vec<&str> = links["links"]
        .as_array()
        .expect("links")
        .iter()
        .filter_map(|l| l["url"].as_str())
        .collect();
    assert_eq!(urls.len(), 11, "NPS 0-10");
    assert_eq!(
        urls[10],
        "https://cx.example/s/demo/delivery?order={{ order.name }}&lang=en&score=10"
    );
    assert!(
        links["html"]
            .as_str()
            .unwrap_or_default()
            .contains("How likely"),
        "{links}"
    );
    let (status, body) = app
        .admin(
            reqwest::Method::GET,
            "/sites/demo/email-links/browsing",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_query")),
        "{body}"
    );
}
