//! The embedded SQLite engine: one file, WAL, fully synchronous commits, and one writer task that
//! commits responses in batches. The queries are shared with PostgreSQL (`queries.rs`).
//!
//! SQLite takes one writer at a time, and with `synchronous = FULL` every commit waits for the disk.
//! So responses are not written by the requests themselves: each request queues its response and
//! waits; the writer takes everything queued (up to `max_batch`), stores each under a savepoint
//! (one failing response does not undo the others), commits once, then answers every request. Each
//! request still gets its 2xx only after the commit that holds its response.

use super::codec::{
    QuestionSetRow, ResponseRow, SiteRow, answer_columns, from_json, is_unique_violation, to_json,
    version,
};
use super::{
    AdminToken, DeliveryTrigger, QuestionSetStatus, SaveOutcome, Site, StoreError,
    StoredQuestionSet, StoredResponse, TokenScope, now_ms,
};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Acquire, Row, SqlitePool};
use std::str::FromStr;
use std::time::Duration;
use survey::{QuestionSet, Response, Stage};
use tokio::sync::{mpsc, oneshot};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

/// Responses waiting for the writer before new ones are refused with 503: a queue this long means
/// the disk cannot keep up, and waiting longer would only time the requests out.
pub const WRITE_QUEUE_CAPACITY: usize = 4096;
/// The most responses committed together by default.
pub const DEFAULT_MAX_BATCH: usize = 256;

/// A pool of connections to one SQLite file, and its writer.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
    writer: mpsc::Sender<SaveJob>,
}

/// One response waiting for the writer.
#[derive(Debug)]
struct SaveJob {
    question_set: StoredQuestionSet,
    response: Response,
    device: Option<String>,
    deliveries: DeliveryTrigger,
    done: oneshot::Sender<Result<SaveOutcome, StoreError>>,
}

impl SqliteStore {
    /// Opens `url` (`sqlite://PATH` or a plain path), creating the file if needed, migrates it,
    /// and starts its writer, which commits up to `max_batch` responses at once (1: each alone).
    pub async fn connect(url: &str, max_batch: usize) -> Result<Self, StoreError> {
        let options = if url.starts_with("sqlite:") {
            SqliteConnectOptions::from_str(url)?
        } else {
            SqliteConnectOptions::new().filename(url)
        }
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        // FULL, not NORMAL: a 2xx promises the answer survives a power cut, and under WAL NORMAL
        // may lose the last commits.
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));
        if let Some(folder) = options.get_filename().parent()
            && !folder.as_os_str().is_empty()
            && !folder.is_dir()
        {
            return Err(StoreError::MissingFolder(folder.to_path_buf()));
        }
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await?;
        MIGRATOR.run(&pool).await?;
        let (writer, jobs) = mpsc::channel(WRITE_QUEUE_CAPACITY);
        tokio::spawn(write_batches(pool.clone(), jobs, max_batch.max(1)));
        Ok(Self { pool, writer })
    }

    /// Queues a response for the writer and waits for the commit that holds it.
    pub(super) async fn save_response(
        &self,
        question_set: &StoredQuestionSet,
        response: &Response,
        device: Option<&str>,
        deliveries: DeliveryTrigger,
    ) -> Result<SaveOutcome, StoreError> {
        let (done, outcome) = oneshot::channel();
        let job = SaveJob {
            question_set: question_set.clone(),
            response: response.clone(),
            device: device.map(str::to_owned),
            deliveries,
            done,
        };
        self.writer.try_send(job).map_err(|e| match e {
            mpsc::error::TrySendError::Full(_) => StoreError::Overloaded,
            mpsc::error::TrySendError::Closed(_) => StoreError::WriterStopped,
        })?;
        outcome.await.map_err(|_| StoreError::WriterStopped)?
    }
}

/// The writer: commits whatever is queued, in batches, until every store handle is gone.
async fn write_batches(pool: SqlitePool, mut jobs: mpsc::Receiver<SaveJob>, max_batch: usize) {
    while let Some(first) = jobs.recv().await {
        let mut batch = vec![first];
        while batch.len() < max_batch {
            match jobs.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        commit_batch(&pool, batch).await;
    }
}

async fn commit_batch(pool: &SqlitePool, batch: Vec<SaveJob>) {
    let mut outcomes = Vec::with_capacity(batch.len());
    let committed = async {
        let mut tx = pool.begin().await?;
        for job in &batch {
            // A savepoint per response: a conflict in one does not undo the others.
            let mut savepoint = tx.begin().await?;
            let saved = SqliteStore::save_response_in(
                &mut savepoint,
                &job.question_set,
                &job.response,
                job.device.as_deref(),
                job.deliveries,
            )
            .await;
            if saved.is_ok() {
                savepoint.commit().await?;
            } else {
                savepoint.rollback().await?;
            }
            outcomes.push(saved);
        }
        tx.commit().await?;
        Ok::<(), sqlx::Error>(())
    }
    .await;
    match committed {
        Ok(()) => {
            for (job, outcome) in batch.into_iter().zip(outcomes) {
                let _ = job.done.send(outcome);
            }
        }
        Err(error) => {
            tracing::error!(%error, responses = batch.len(), "committing a batch of responses failed");
            for job in batch {
                let _ = job
                    .done
                    .send(Err(StoreError::CommitFailed(error.to_string())));
            }
        }
    }
}

impl SqliteStore {
    /// Nothing to lock: the one writer task saves responses one after another, so the
    /// once-per-order check cannot race.
    async fn lock_order(
        _: &mut sqlx::SqliteConnection,
        _: &str,
        _: Stage,
        _: &str,
    ) -> Result<(), StoreError> {
        Ok(())
    }
}

super::queries::queries!(SqliteStore, sqlx::SqliteConnection);
