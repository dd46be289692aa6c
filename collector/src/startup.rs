//! Building the server the way `collector serve` runs it: storage, demo data, socket, shutdown.

use crate::store::Store;
use crate::{AppState, app};
use anyhow::Context;
use axum::Router;
use std::future::Future;
use std::net::SocketAddr;
use tokio::net::TcpListener;

/// What `collector serve` needs to start.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// Address to listen on; port 0 picks a free one.
    pub listen: SocketAddr,
    /// `sqlite://PATH`, a file path, or `postgres://...`.
    pub database_url: String,
    /// How often answers past their site's retention are deleted.
    pub retention_every: std::time::Duration,
    /// How webhook deliveries are paced.
    pub webhooks: crate::webhooks::WebhookSettings,
    /// The most responses the SQLite writer commits at once.
    pub sqlite_max_batch: usize,
}

/// A collector bound to its socket, ready to run.
#[derive(Debug)]
pub struct Server {
    listener: TcpListener,
    router: Router,
    address: SocketAddr,
    store: Store,
    retention_every: std::time::Duration,
    webhooks: crate::webhooks::WebhookSettings,
}

impl Server {
    /// Opens and migrates the database, creates the demo site on an empty one, and binds the socket.
    pub async fn build(config: &ServeConfig) -> anyhow::Result<Self> {
        let store = Store::connect(&config.database_url)
            .await
            .with_context(|| format!("opening the database {}", redacted(&config.database_url)))?;
        if store
            .seed_demo_site()
            .await
            .context("creating the demo site")?
        {
            tracing::info!("empty database: created the demo site and its default question sets");
        }
        let listener = TcpListener::bind(config.listen)
            .await
            .with_context(|| format!("listening on {}", config.listen))?;
        let address = listener.local_addr().context("reading the bound address")?;
        Ok(Self {
            listener,
            router: app(AppState {
                store: store.clone(),
                metrics: Default::default(),
                webhook_settle: config.webhooks.settle,
            }),
            address,
            store,
            retention_every: config.retention_every,
            webhooks: config.webhooks,
        })
    }

    /// The address actually bound (useful with port 0).
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Serves until `shutdown` completes, then finishes the requests in flight. Meanwhile the
    /// retention task deletes expired answers at start and then every `retention_every`, and the
    /// webhook worker sends due deliveries.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let retention = tokio::spawn(retention_task(self.store.clone(), self.retention_every));
        let webhooks = tokio::spawn(crate::webhooks::run_worker(self.store, self.webhooks));
        let served = axum::serve(self.listener, self.router)
            .with_graceful_shutdown(shutdown)
            .await;
        // Queued deliveries survive in the database; the next start sends them.
        retention.abort();
        webhooks.abort();
        served
    }
}

/// Deletes answers past their site's retention, forever. With several collectors on one
/// PostgreSQL each runs it; the deletes are idempotent.
async fn retention_task(store: Store, every: std::time::Duration) {
    let mut ticks = tokio::time::interval(every);
    loop {
        ticks.tick().await;
        match store.delete_expired(crate::store::now_ms()).await {
            Ok(0) => {}
            Ok(deleted) => tracing::info!(deleted, "retention: deleted expired responses"),
            Err(error) => tracing::error!(%error, "retention: deleting expired responses failed"),
        }
    }
}

/// Opens and migrates the database, and creates the demo site if it has no site at all.
pub async fn open_store(database_url: &str) -> anyhow::Result<Store> {
    open_store_with_batch(database_url, crate::store::DEFAULT_MAX_BATCH).await
}

async fn open_store_with_batch(
    database_url: &str,
    sqlite_max_batch: usize,
) -> anyhow::Result<Store> {
    let store = Store::connect_with_batch(database_url, sqlite_max_batch)
        .await
        .with_context(|| format!("opening the database {}", redacted(database_url)))?;
    if store
        .seed_demo_site()
        .await
        .context("creating the demo site")?
    {
        tracing::info!("empty database: created the demo site and its default question sets");
    }
    Ok(store)
}

/// The database URL with its password, if any, replaced by `***`, for logs and errors.
pub fn redacted(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let Some((userinfo, host)) = rest.split_once('@') else {
        return url.to_owned();
    };
    match userinfo.split_once(':') {
        Some((user, _password)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}

#[cfg(test)]
mod tests {
    use super::redacted;

    #[test]
    fn passwords_in_database_urls_are_never_printed() {
        assert_eq!(
            redacted("postgres://cx:s3cret@db:5432/cx"),
            "postgres://cx:***@db:5432/cx"
        );
        assert_eq!(redacted("postgres://cx@db/cx"), "postgres://cx@db/cx");
        assert_eq!(
            redacted("sqlite://answers.sqlite3"),
            "sqlite://answers.sqlite3"
        );
        assert_eq!(redacted("answers.sqlite3"), "answers.sqlite3");
    }
}
