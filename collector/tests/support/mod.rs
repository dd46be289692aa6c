//! A collector per test, on a free port, on a fresh database of the engine under test: a new
//! SQLite file, or a new PostgreSQL database (created with a random name, dropped afterwards).

// Each test binary (api.rs, admin.rs) uses a different part of this module.
#![allow(dead_code)]

use collector::startup::{ServeConfig, Server};
use collector::store::Store;
use reqwest::StatusCode;
use reqwest::header;
use serde_json::Value;
use sqlx::Connection;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU32, Ordering};
use tokio::sync::oneshot;

/// The storage engines every test runs against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// Runs each listed `async fn name(engine: Engine)` as two tests, `name::sqlite` and `name::postgres`.
#[macro_export]
macro_rules! on_both_engines {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name($crate::support::Engine::Sqlite).await
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    super::$name($crate::support::Engine::Postgres).await
                }
            }
        )*
    };
}

/// A fresh, empty database of one engine; removed when dropped.
pub struct TestDatabase {
    /// The engine.
    pub engine: Engine,
    /// What `--database-url` would say.
    pub url: String,
    _sqlite_dir: Option<tempfile::TempDir>,
    postgres: Option<(String, String)>,
}

/// The PostgreSQL server tests create their databases on (`CX_TEST_POSTGRES_URL`).
fn postgres_admin_url() -> String {
    std::env::var("CX_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

impl TestDatabase {
    pub async fn create(engine: Engine) -> Self {
        match engine {
            Engine::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!(
                    "sqlite://{}",
                    dir.path().join("collector.sqlite3").display()
                );
                TestDatabase {
                    engine,
                    url,
                    _sqlite_dir: Some(dir),
                    postgres: None,
                }
            }
            Engine::Postgres => {
                static COUNTER: AtomicU32 = AtomicU32::new(0);
                let nanos = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .expect("clock after 1970")
                    .subsec_nanos();
                let name = format!(
                    "cx_test_{}_{nanos}_{}",
                    std::process::id(),
                    COUNTER.fetch_add(1, Ordering::Relaxed)
                );
                let admin = postgres_admin_url();
                let mut connection = sqlx::PgConnection::connect(&admin).await.unwrap_or_else(|e| {
                    panic!(
                        "PostgreSQL at {admin} is needed by the storage tests ({e}); start it, or \
                         set CX_TEST_POSTGRES_URL"
                    )
                });
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&mut connection)
                    .await
                    .expect("create the test database");
                let base = admin
                    .rsplit_once('/')
                    .map_or(admin.as_str(), |(base, _)| base);
                TestDatabase {
                    engine,
                    url: format!("{base}/{name}"),
                    _sqlite_dir: None,
                    postgres: Some((admin.clone(), name)),
                }
            }
        }
    }
}

impl TestDatabase {
    /// Runs one statement directly on the database, for what the API cannot set up (times in the
    /// past, rows from a newer collector); returns the rows it changed.
    pub async fn execute(&self, sql: &str) -> u64 {
        let changed = match self.engine {
            Engine::Sqlite => {
                let pool = sqlx::SqlitePool::connect(&self.url).await.expect("open");
                let changed = sqlx::query(sql).execute(&pool).await;
                pool.close().await;
                changed.map(|r| r.rows_affected())
            }
            Engine::Postgres => {
                let pool = sqlx::PgPool::connect(&self.url).await.expect("open");
                let changed = sqlx::query(sql).execute(&pool).await;
                pool.close().await;
                changed.map(|r| r.rows_affected())
            }
        };
        changed.unwrap_or_else(|e| panic!("{sql}: {e}"))
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let Some((admin, name)) = self.postgres.take() else {
            return;
        };
        // Drop cannot await; a thread with its own runtime does the cleanup.
        let cleanup = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(async {
                if let Ok(mut connection) = sqlx::PgConnection::connect(&admin).await {
                    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .execute(&mut connection)
                        .await;
                }
            });
        });
        let _ = cleanup.join();
    }
}

/// A running collector and an HTTP client for it.
pub struct TestApp {
    pub address: SocketAddr,
    pub http: reqwest::Client,
    _stop: oneshot::Sender<()>,
    // Declared last so the collector stops before its database is dropped.
    pub database: TestDatabase,
}

impl TestApp {
    pub async fn spawn(engine: Engine) -> Self {
        Self::spawn_with_retention_every(engine, std::time::Duration::from_secs(3600)).await
    }

    /// A collector whose retention task runs every `every`.
    pub async fn spawn_with_retention_every(engine: Engine, every: std::time::Duration) -> Self {
        let database = TestDatabase::create(engine).await;
        let config = ServeConfig {
            listen: "127.0.0.1:0".parse().expect("address"),
            database_url: database.url.clone(),
            retention_every: every,
            webhooks: collector::webhooks::WebhookSettings {
                poll_every: std::time::Duration::from_millis(50),
                settle: std::time::Duration::ZERO,
                retry_base: std::time::Duration::from_millis(100),
                max_attempts: 4,
                timeout: std::time::Duration::from_secs(5),
            },
            sqlite_max_batch: collector::store::DEFAULT_MAX_BATCH,
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
            http,
            _stop: stop,
            database,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http.get(self.url(path)).send().await.expect("GET")
    }

    pub async fn post_response(&self, body: &Value) -> (StatusCode, Value) {
        self.post_raw(&body.to_string(), "application/json", None)
            .await
    }

    pub async fn post_raw(
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

    /// Makes an admin token through the same code as `collector token create`.
    pub async fn token(&self, scope: collector::store::TokenScope) -> String {
        collector::tokens::create(&self.store().await, "test", &scope)
            .await
            .expect("token created")
    }

    /// Sends an admin API request with `token` (or none) and returns the status and JSON body.
    pub async fn admin(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> (StatusCode, Value) {
        let mut request = self
            .http
            .request(method, self.url(&format!("/v1/admin{path}")));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await.expect("admin request");
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// Posts a response as a browser with this User-Agent would.
    pub async fn post_as(&self, body: &Value, user_agent: &str) -> StatusCode {
        self.http
            .post(self.url("/v1/responses"))
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::USER_AGENT, user_agent)
            .body(body.to_string())
            .send()
            .await
            .expect("request")
            .status()
    }

    /// Moves a stored response's arrival to `at` (RFC 3339), to build reports over several days.
    pub async fn backdate(&self, response_id: &str, at: &str) {
        let ms = at
            .parse::<jiff::Timestamp>()
            .expect("a timestamp")
            .as_millisecond();
        let sql = format!("UPDATE responses SET received_at = {ms} WHERE id = '{response_id}'");
        assert_eq!(self.database.execute(&sql).await, 1, "{response_id} exists");
    }

    /// A second connection to the collector's database, to read back what it stored.
    pub async fn store(&self) -> Store {
        Store::connect(&self.database.url)
            .await
            .expect("database opens")
    }
}
