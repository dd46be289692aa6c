//! The collector over real HTTP, on a free port, with a fresh SQLite file per test.

use collector::startup::{ServeConfig, Server};
use reqwest::StatusCode;
use reqwest::header::{self, HeaderMap};
use serde_json::{Value, json};
use sqlx::{Row, SqlitePool};
use std::net::SocketAddr;
use tokio::sync::oneshot;

struct TestApp {
    address: SocketAddr,
    database: std::path::PathBuf,
    http: reqwest::Client,
    _dir: tempfile::TempDir,
    _stop: oneshot::Sender<()>,
}

impl TestApp {
    async fn spawn() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let database = dir.path().join("collector.sqlite3");
        let config = ServeConfig {
            listen: "127.0.0.1:0".parse().expect("address"),
            database_url: database.display().to_string(),
        };
        let server = Server::build(&config).await.expect("collector starts");
        let address = server.address();
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(server.run_until(async {
            let _ = stopped.await;
        }));
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("http client");
        TestApp {
            address,
            database,
            http,
            _dir: dir,
            _stop: stop,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    async fn get(&self, path: &str) -> reqwest::Response {
        self.http.get(self.url(path)).send().await.expect("GET")
    }

    async fn post_response(&self, body: &Value) -> (StatusCode, Value) {
        self.post_raw(&body.to_string(), "application/json", None)
            .await
    }

    async fn post_raw(
        &self,
        body: &str,
        content_type: &str,
        origin: Option<&str>,
    ) -> (StatusCode, Value) {
        let mut request = self
            .http
            .post(self.url("/v1/responses"))
            .header(header::CONTENT_TYPE, content_type)
            .body(body.to_owned());
        if let Some(origin) = origin {
            request = request.header(header::ORIGIN, origin);
        }
        let response = request.send().await.expect("request");
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    async fn db(&self) -> SqlitePool {
        SqlitePool::connect(&format!("sqlite://{}?mode=ro", self.database.display()))
            .await
            .expect("database opens")
    }
}

fn checkout_response(id: &str) -> Value {
    json!({
        "id": id,
        "site": "demo",
        "stage": "checkout",
        "question_set_version": 1,
        "locale": "en",
        "context": { "order": "1042" },
        "answers": [{ "question": "csat", "value": 2 }],
        "completed": false
    })
}

const ID: &str = "5b7c1f0e-8a2d-4c3b-9e6f-0a1b2c3d4e5f";

#[tokio::test]
async fn a_valid_answer_is_stored_with_everything_it_carries() {
    let app = TestApp::spawn().await;
    let (status, body) = app.post_response(&checkout_response(ID)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body, json!({ "id": ID, "status": "created" }));

    let db = app.db().await;
    let row = sqlx::query("SELECT * FROM responses WHERE id = ?")
        .bind(ID)
        .fetch_one(&db)
        .await
        .expect("stored");
    assert_eq!(row.get::<String, _>("site"), "demo");
    assert_eq!(row.get::<String, _>("stage"), "checkout");
    assert_eq!(row.get::<i64, _>("question_set_version"), 1);
    assert_eq!(row.get::<String, _>("order_ref"), "1042");
    assert_eq!(row.get::<String, _>("locale"), "en");
    assert_eq!(row.get::<i64, _>("completed"), 0);
    let answer = sqlx::query("SELECT kind, score, value FROM answers WHERE response_id = ?")
        .bind(ID)
        .fetch_one(&db)
        .await
        .expect("answer stored");
    assert_eq!(answer.get::<String, _>("kind"), "csat");
    assert_eq!(answer.get::<i64, _>("score"), 2);
}

#[tokio::test]
async fn a_duplicate_response_is_stored_once() {
    let app = TestApp::spawn().await;
    let body = checkout_response(ID);
    assert_eq!(app.post_response(&body).await.0, StatusCode::CREATED);
    let (status, reply) = app.post_response(&body).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(reply["status"], "merged");

    let db = app.db().await;
    let responses: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM responses")
        .fetch_one(&db)
        .await
        .expect("count");
    let answers: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM answers")
        .fetch_one(&db)
        .await
        .expect("count");
    assert_eq!((responses, answers), (1, 1));
}

#[tokio::test]
async fn a_comment_sent_later_completes_the_same_response() {
    let app = TestApp::spawn().await;
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

    let db = app.db().await;
    let completed: i64 = sqlx::query_scalar("SELECT completed FROM responses WHERE id = ?")
        .bind(ID)
        .fetch_one(&db)
        .await
        .expect("stored");
    let comment: String = sqlx::query_scalar(
        "SELECT text FROM answers WHERE response_id = ? AND question = 'comment'",
    )
    .bind(ID)
    .fetch_one(&db)
    .await
    .expect("comment stored");
    assert_eq!(completed, 1);
    assert_eq!(comment, "Delivery slot was missing");
}

#[tokio::test]
async fn each_kind_of_bad_input_gets_its_own_clear_4xx() {
    let app = TestApp::spawn().await;
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
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM responses")
        .fetch_one(&app.db().await)
        .await
        .expect("count");
    assert_eq!(count, 0);
}

#[tokio::test]
async fn a_response_id_reused_for_another_stage_is_a_conflict() {
    let app = TestApp::spawn().await;
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

#[tokio::test]
async fn the_demo_site_accepts_localhost_origins_only() {
    let app = TestApp::spawn().await;
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
    let app = TestApp::spawn().await;
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

#[tokio::test]
async fn the_site_config_has_every_stage_and_revalidates_with_its_etag() {
    let app = TestApp::spawn().await;
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
    let app = TestApp::spawn().await;
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
    let paths: Vec<&str> = loader
        .split('"')
        .filter(|part| part.starts_with("/assets/widget-"))
        .collect();
    assert_eq!(
        paths.len(),
        2,
        "the loader names the widget's js and wasm: {paths:?}"
    );
    for path in paths {
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

    let missing = app.get("/assets/widget-0000.wasm").await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_demo_store_carries_the_snippet_exactly_as_store_owners_paste_it() {
    let app = TestApp::spawn().await;
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
    let app = TestApp::spawn().await;
    let response = app.get("/nope").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let reply: Value = response.json().await.expect("json");
    assert_eq!(reply["error"], "not_found");
}
