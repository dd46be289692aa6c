//! Export memory: `cargo bench -p collector --bench export`.
//!
//! Fills a SQLite file with 1,000,000 answers (500,000 responses), starts the collector binary on
//! it as a process of its own, streams the CSV and the NDJSON export, and prints their sizes and
//! speed with the process's peak resident memory (VmHWM) before and after: an export that streams
//! in constant memory leaves the peak where it was, whatever the export's size.

use sqlx::sqlite::SqliteConnectOptions;
use std::process::{Command, Stdio};
use std::time::Instant;

const RESPONSES: i64 = 500_000;

fn peak_rss_mb(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let database = dir.path().join("export.sqlite3");
    let url = database.display().to_string();
    let binary = env!("CARGO_BIN_EXE_collector");

    // Schema, demo site and a token, through the binary itself.
    let token = Command::new(binary)
        .args([
            "token",
            "create",
            "--name",
            "bench",
            "--all-sites",
            "--database-url",
            &url,
        ])
        .stderr(Stdio::null())
        .output()
        .expect("collector runs");
    let token = String::from_utf8(token.stdout)
        .expect("utf-8")
        .trim()
        .to_owned();

    let filling = Instant::now();
    let pool = sqlx::SqlitePool::connect_with(SqliteConnectOptions::new().filename(&database))
        .await
        .expect("open");
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $1 - 1)
         INSERT INTO responses (id, site, stage, question_set_id, question_set_version, locale,
                                order_ref, context, completed, received_at, updated_at, device)
         SELECT printf('bench-response-%08d', i), 'demo', 'checkout',
                (SELECT id FROM question_sets WHERE site = 'demo' AND stage = 'checkout' AND version = 1),
                1, 'en', CAST(10000 + i AS TEXT), '{\"order\":\"' || (10000 + i) || '\"}', 1,
                1790000000000 + i * 1000, 1790000000000 + i * 1000, 'mobile'
         FROM n",
    )
    .bind(RESPONSES)
    .execute(&pool)
    .await
    .expect("responses");
    for (question, scale) in [("csat", 5), ("ces", 7)] {
        sqlx::query(
            "INSERT INTO answers (response_id, question, kind, score, text, value)
             SELECT id, $1, $1, (received_at / 1000) % $2 + 1, NULL,
                    CAST((received_at / 1000) % $2 + 1 AS TEXT)
             FROM responses",
        )
        .bind(question)
        .bind(scale)
        .execute(&pool)
        .await
        .expect("answers");
    }
    pool.close().await;
    println!(
        "{} answers in {} responses written in {:.1} s",
        RESPONSES * 2,
        RESPONSES,
        filling.elapsed().as_secs_f64()
    );

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let mut collector = Command::new(binary)
        .args([
            "serve",
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--database-url",
            &url,
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("collector starts");
    let http = reqwest::Client::new();
    let base = format!("http://127.0.0.1:{port}");
    while http.get(format!("{base}/readyz")).send().await.is_err() {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    println!(
        "collector peak RSS after start: {:.1} MB",
        peak_rss_mb(collector.id())
    );

    for format in ["csv", "ndjson"] {
        let started = Instant::now();
        let mut response = http
            .get(format!(
                "{base}/v1/admin/sites/demo/responses/export?format={format}"
            ))
            .bearer_auth(&token)
            .send()
            .await
            .expect("export");
        assert!(response.status().is_success(), "{}", response.status());
        let (mut bytes, mut lines) = (0usize, 0usize);
        while let Some(chunk) = response.chunk().await.expect("chunk") {
            bytes += chunk.len();
            lines += chunk.iter().filter(|b| **b == b'\n').count();
        }
        let seconds = started.elapsed().as_secs_f64();
        println!(
            "{format:<7} {lines:>9} lines {:>8.1} MB in {seconds:>5.1} s ({:>5.1} MB/s); collector peak RSS now {:.1} MB",
            bytes as f64 / 1e6,
            bytes as f64 / 1e6 / seconds,
            peak_rss_mb(collector.id())
        );
    }
    let _ = collector.kill();
    let _ = collector.wait();
}
