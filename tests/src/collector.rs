//! A collector for one test: its own port and its own SQLite file, served in-process exactly as
//! `collector serve` serves it.

use collector::startup::{ServeConfig, Server};
use sqlx::SqlitePool;
use sqlx::sqlite::SqliteConnectOptions;
use std::net::SocketAddr;
use std::path::PathBuf;
use tokio::sync::oneshot;

/// A running collector; it stops when dropped.
pub struct TestCollector {
    /// Where it listens.
    pub address: SocketAddr,
    /// Its SQLite file.
    pub database: PathBuf,
    _dir: tempfile::TempDir,
    _stop: oneshot::Sender<()>,
}

impl TestCollector {
    /// Starts a collector on a free port with an empty database (so the demo site is created).
    pub async fn start() -> anyhow::Result<Self> {
        let dir = tempfile::tempdir()?;
        let database = dir.path().join("collector.sqlite3");
        let config = ServeConfig {
            listen: "127.0.0.1:0".parse()?,
            database_url: format!("sqlite://{}", database.display()),
            retention_every: std::time::Duration::from_secs(3600),
            webhooks: collector::webhooks::WebhookSettings::default(),
            sqlite_max_batch: collector::store::DEFAULT_MAX_BATCH,
        };
        let server = Server::build(&config).await?;
        let address = server.address();
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(server.run_until(async {
            let _ = stopped.await;
        }));
        Ok(Self {
            address,
            database,
            _dir: dir,
            _stop: stop,
        })
    }

    /// The absolute URL of `path` on this collector.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    /// A read connection to the collector's database, to check what it stored.
    pub async fn database(&self) -> anyhow::Result<SqlitePool> {
        let options = SqliteConnectOptions::new()
            .filename(&self.database)
            .read_only(true);
        Ok(SqlitePool::connect_with(options).await?)
    }
}
