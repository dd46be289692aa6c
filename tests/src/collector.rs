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
    running: Option<(
        oneshot::Sender<()>,
        tokio::task::JoinHandle<std::io::Result<()>>,
    )>,
}

impl TestCollector {
    /// Starts a collector on a free port with an empty database (so the demo site is created).
    pub async fn start() -> anyhow::Result<Self> {
        let dir = tempfile::tempdir()?;
        let database = dir.path().join("collector.sqlite3");
        let mut collector = Self {
            address: "127.0.0.1:0".parse()?,
            database,
            _dir: dir,
            running: None,
        };
        collector.start_again().await?;
        Ok(collector)
    }

    /// Stops serving (finishing requests in flight), as a collector that is down for a while.
    pub async fn stop(&mut self) -> anyhow::Result<()> {
        if let Some((stop, serving)) = self.running.take() {
            let _ = stop.send(());
            serving.await??;
        }
        Ok(())
    }

    /// Serves again on the same address and database (or for the first time, on a free port).
    pub async fn start_again(&mut self) -> anyhow::Result<()> {
        let config = ServeConfig {
            listen: self.address,
            database_url: format!("sqlite://{}", self.database.display()),
            retention_every: std::time::Duration::from_secs(3600),
            webhooks: collector::webhooks::WebhookSettings::default(),
            sqlite_max_batch: collector::store::DEFAULT_MAX_BATCH,
        };
        let server = Server::build(&config).await?;
        self.address = server.address();
        let (stop, stopped) = oneshot::channel::<()>();
        let serving = tokio::spawn(server.run_until(async {
            let _ = stopped.await;
        }));
        self.running = Some((stop, serving));
        Ok(())
    }

    /// The absolute URL of `path` on this collector.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    /// Changes the demo site's settings (theme, etiquette, ...) as the admin API would.
    pub async fn configure_demo(
        &self,
        change: impl FnOnce(&mut collector::store::Site),
    ) -> anyhow::Result<()> {
        let store = self.store().await?;
        let mut site = store.site("demo").await?;
        change(&mut site);
        store.update_site(&site).await?;
        Ok(())
    }

    /// Publishes `questions` as the demo site's new question set for `stage`; returns its version.
    pub async fn publish(
        &self,
        stage: survey::Stage,
        questions: Vec<survey::Question>,
    ) -> anyhow::Result<u32> {
        let store = self.store().await?;
        let created = store
            .create_question_set_version("demo", stage, questions)
            .await?;
        let version = created.set.version;
        store
            .set_question_set_status(
                "demo",
                stage,
                version,
                collector::store::QuestionSetStatus::Published,
            )
            .await?;
        Ok(version)
    }

    async fn store(&self) -> anyhow::Result<collector::store::Store> {
        Ok(
            collector::store::Store::connect(&format!("sqlite://{}", self.database.display()))
                .await?,
        )
    }

    /// A read connection to the collector's database, to check what it stored.
    pub async fn database(&self) -> anyhow::Result<SqlitePool> {
        let options = SqliteConnectOptions::new()
            .filename(&self.database)
            .read_only(true);
        Ok(SqlitePool::connect_with(options).await?)
    }
}
