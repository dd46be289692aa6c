//! The PostgreSQL engine, for several collectors sharing one database: how to connect and migrate.
//! The queries are shared with SQLite (`queries.rs`) and pass the same tests.

use super::codec::{
    QuestionSetRow, ResponseRow, SiteRow, answer_columns, from_json, is_unique_violation, to_json,
    version,
};
use super::{
    AdminToken, QuestionSetStatus, SaveOutcome, Site, StoreError, StoredQuestionSet,
    StoredResponse, TokenScope, now_ms,
};
use sqlx::postgres::PgPoolOptions;
use sqlx::{PgPool, Row};
use std::time::Duration;
use survey::{QuestionSet, Response, Stage};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// A pool of connections to one PostgreSQL database.
#[derive(Debug, Clone)]
pub struct PostgresStore {
    pool: PgPool,
}

impl PostgresStore {
    /// Connects to `url` (`postgres://...`) and migrates the database.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(10))
            .connect(url)
            .await?;
        // Several collectors may start at once: sqlx takes an advisory lock around migrations.
        MIGRATOR.run(&pool).await?;
        Ok(Self { pool })
    }
}

impl PostgresStore {
    /// Holds a lock on this order and stage until the transaction ends, so two first answers for
    /// one order from two devices at once cannot both pass the once-per-order check. (Distinct
    /// orders whose keys hash alike only wait for each other.)
    async fn lock_order(
        tx: &mut sqlx::PgConnection,
        site: &str,
        stage: Stage,
        order: &str,
    ) -> Result<(), StoreError> {
        sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
            .bind(format!("cx-order/{site}/{stage}/{order}"))
            .execute(tx)
            .await?;
        Ok(())
    }
}

super::queries::queries!(PostgresStore, sqlx::PgConnection);
