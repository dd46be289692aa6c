//! The embedded SQLite engine: one file, WAL, fully synchronous commits. The queries are shared with
//! PostgreSQL (`queries.rs`).

use super::codec::{
    QuestionSetRow, ResponseRow, SiteRow, answer_columns, from_json, is_unique_violation, to_json,
    version,
};
use super::{
    AdminToken, QuestionSetStatus, SaveOutcome, Site, StoreError, StoredQuestionSet,
    StoredResponse, TokenScope, now_ms,
};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row, SqlitePool};
use std::str::FromStr;
use std::time::Duration;
use survey::{QuestionSet, Response, Stage};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

/// A pool of connections to one SQLite file.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
}

impl SqliteStore {
    /// Opens `url` (`sqlite://PATH` or a plain path), creating the file if needed, and migrates it.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
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
        Ok(Self { pool })
    }
}

super::queries::queries!(SqliteStore);
