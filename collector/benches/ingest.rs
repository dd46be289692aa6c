//! Ingestion throughput and latency: `cargo bench -p collector --bench ingest`.
//!
//! Posts the same load (64 concurrent clients, 4,000 answers) to an in-process collector on:
//! SQLite committing each answer alone (`--sqlite-max-batch 1`, the baseline), SQLite with the
//! batching writer (the default, 256), and PostgreSQL (one transaction per answer), and prints
//! answers per second and latency percentiles for each. Figures go in BENCHMARKS.md.

use collector::startup::{ServeConfig, Server};
use sqlx::Connection;
use std::time::{Duration, Instant};

const CLIENTS: usize = 64;
const ANSWERS: usize = 4_000;

struct Figures {
    per_second: f64,
    p50: Duration,
    p99: Duration,
    max: Duration,
}

async fn load(database_url: String, sqlite_max_batch: usize) -> Figures {
    let config = ServeConfig {
        listen: "127.0.0.1:0".parse().expect("address"),
        database_url,
        retention_every: Duration::from_secs(3600),
        webhooks: collector::webhooks::WebhookSettings::default(),
        sqlite_max_batch,
    };
    let server = Server::build(&config).await.expect("collector starts");
    let url = format!("http://{}/v1/responses", server.address());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let serving = tokio::spawn(server.run_until(async {
        let _ = stopped.await;
    }));
    let http = reqwest::Client::new();
    let started = Instant::now();
    let mut clients = Vec::new();
    for client in 0..CLIENTS {
        let http = http.clone();
        let url = url.clone();
        clients.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            for i in (client..ANSWERS).step_by(CLIENTS) {
                let body = serde_json::json!({
                    "id": format!("bench-response-{i:08}"), "site": "demo", "stage": "checkout",
                    "question_set_version": 1, "context": { "order": i.to_string() },
                    "answers": [{ "question": "csat", "value": 1 + i % 5 }, { "question": "ces", "value": 5 }],
                    "completed": true
                });
                let sent = Instant::now();
                let status = http
                    .post(&url)
                    .header("content-type", "text/plain")
                    .body(body.to_string())
                    .send()
                    .await
                    .expect("request")
                    .status();
                assert!(status.is_success(), "{status}");
                latencies.push(sent.elapsed());
            }
            latencies
        }));
    }
    let mut latencies = Vec::with_capacity(ANSWERS);
    for client in clients {
        latencies.extend(client.await.expect("client"));
    }
    let elapsed = started.elapsed();
    let _ = stop.send(());
    let _ = serving.await;
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)];
    Figures {
        per_second: ANSWERS as f64 / elapsed.as_secs_f64(),
        p50: at(0.50),
        p99: at(0.99),
        max: latencies[latencies.len() - 1],
    }
}

fn print(name: &str, f: &Figures) {
    println!(
        "{name:<44} {:>9.0} answers/s   p50 {:>7.1} ms   p99 {:>7.1} ms   max {:>7.1} ms",
        f.per_second,
        f.p50.as_secs_f64() * 1e3,
        f.p99.as_secs_f64() * 1e3,
        f.max.as_secs_f64() * 1e3
    );
}

#[tokio::main]
async fn main() {
    println!(
        "{ANSWERS} answers from {CLIENTS} concurrent clients over loopback HTTP, release build"
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let alone = load(dir.path().join("alone.sqlite3").display().to_string(), 1).await;
    print("SQLite, a commit per answer (baseline)", &alone);
    let batched = load(
        dir.path().join("batched.sqlite3").display().to_string(),
        256,
    )
    .await;
    print("SQLite, batching writer (default, 256)", &batched);
    println!(
        "batching: {:.1}x the baseline's throughput",
        batched.per_second / alone.per_second
    );

    let admin = std::env::var("CX_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    match sqlx::PgConnection::connect(&admin).await {
        Ok(mut connection) => {
            let name = format!("cx_bench_{}", std::process::id());
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut connection)
                .await
                .expect("create the bench database");
            let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
            let postgres = load(format!("{base}/{name}"), 1).await;
            print("PostgreSQL, a transaction per answer", &postgres);
            let _ = sqlx::query(&format!("DROP DATABASE {name} WITH (FORCE)"))
                .execute(&mut connection)
                .await;
        }
        Err(error) => println!("PostgreSQL at {admin} not reachable ({error}); skipped"),
    }
}
