//! Storage of sites, question sets and responses.
//!
//! `Store` is chosen once at start from the database URL's scheme; each engine lives in a module of
//! its own with its own migrations folder, and the rest of the collector only sees this type.

mod codec;
mod postgres;
mod queries;
mod sqlite;

use std::time::{SystemTime, UNIX_EPOCH};
use survey::{QuestionSet, Response, Stage};

pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;

/// Why a storage operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The site, question set or response does not exist.
    #[error("not found")]
    NotFound,
    /// A response id that is already stored under another site, stage or question set version.
    #[error("response {0:?} is already stored for another site, stage or question set version")]
    ResponseIdConflict(String),
    /// A database URL this collector cannot use.
    #[error(
        "unsupported database URL scheme {0:?}: use sqlite://PATH, a file path, or postgres://..."
    )]
    UnsupportedUrl(String),
    /// The database was migrated by a newer collector than this one.
    #[error(
        "the database schema is newer than this collector knows (it has migration {0}); \
         run the collector version that migrated it, or a newer one"
    )]
    NewerSchema(i64),
    /// The database refused or failed.
    #[error("database error")]
    Database(#[from] sqlx::Error),
    /// The schema could not be brought up to date.
    #[error("database migration failed")]
    Migrate(#[source] sqlx::migrate::MigrateError),
    /// The SQLite file's folder does not exist (SQLite creates the file, not its folders).
    #[error("the folder {0:?} does not exist; create it or choose another path")]
    MissingFolder(std::path::PathBuf),
    /// A stored value that does not parse (a bug or a hand-edited database).
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
}

impl From<sqlx::migrate::MigrateError> for StoreError {
    fn from(e: sqlx::migrate::MigrateError) -> Self {
        match e {
            // A migration recorded in the database that this binary does not have.
            sqlx::migrate::MigrateError::VersionMissing(version) => {
                StoreError::NewerSchema(version)
            }
            other => StoreError::Migrate(other),
        }
    }
}

/// A store that embeds the widget.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    /// Public key, as in `data-site="..."`.
    pub key: String,
    /// Human name.
    pub name: String,
    /// Origins allowed to post answers; a `:*` port matches any port.
    pub allowed_origins: Vec<String>,
}

impl Site {
    /// Whether a browser on `origin` may post answers for this site.
    pub fn allows_origin(&self, origin: &str) -> bool {
        self.allowed_origins
            .iter()
            .any(|allowed| match allowed.strip_suffix(":*") {
                Some(host) => origin.strip_prefix(host).is_some_and(|rest| {
                    rest.is_empty()
                        || rest.strip_prefix(':').is_some_and(|port| {
                            !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit())
                        })
                }),
                None => allowed == origin,
            })
    }
}

/// A question set version as stored, with the row id answers refer to.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredQuestionSet {
    /// Database id of this exact version.
    pub id: i64,
    /// The definition.
    pub set: QuestionSet,
}

/// A response as stored, with what the collector added.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredResponse {
    /// The response, merged over every send under its id.
    pub response: Response,
    /// Database id of the question set version it answered.
    pub question_set_id: i64,
    /// When it first arrived (Unix milliseconds).
    pub received_at_ms: i64,
    /// When a send last changed it (Unix milliseconds).
    pub updated_at_ms: i64,
}

/// What storing a response did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveOutcome {
    /// First time this response id was seen.
    Created,
    /// The response already existed; its answers were merged (a repeat changes nothing).
    Merged,
}

/// The collector's storage, on the engine the database URL names.
#[derive(Debug, Clone)]
pub enum Store {
    /// An embedded SQLite file.
    Sqlite(SqliteStore),
    /// A PostgreSQL database, shared by any number of collectors.
    Postgres(PostgresStore),
}

impl Store {
    /// Opens (creating if needed) and migrates the database at `url`.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        if url.starts_with("sqlite:") || !url.contains("://") {
            Ok(Store::Sqlite(SqliteStore::connect(url).await?))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Store::Postgres(PostgresStore::connect(url).await?))
        } else {
            let scheme = url.split("://").next().unwrap_or_default();
            Err(StoreError::UnsupportedUrl(scheme.to_owned()))
        }
    }

    /// Creates the `demo` site and every stage's default question set, when there is no site yet.
    pub async fn seed_demo_site(&self) -> Result<bool, StoreError> {
        let demo = Site {
            key: "demo".into(),
            name: "Demo store".into(),
            allowed_origins: vec!["http://localhost:*".into(), "http://127.0.0.1:*".into()],
        };
        let sets: Vec<QuestionSet> = Stage::ALL
            .into_iter()
            .map(survey::defaults::question_set)
            .collect();
        match self {
            Store::Sqlite(s) => s.seed_if_empty(&demo, &sets).await,
            Store::Postgres(s) => s.seed_if_empty(&demo, &sets).await,
        }
    }

    /// The site with this public key.
    pub async fn site(&self, key: &str) -> Result<Site, StoreError> {
        match self {
            Store::Sqlite(s) => s.site(key).await,
            Store::Postgres(s) => s.site(key).await,
        }
    }

    /// The latest published question set of each stage of a site.
    pub async fn published_question_sets(
        &self,
        site: &str,
    ) -> Result<Vec<QuestionSet>, StoreError> {
        match self {
            Store::Sqlite(s) => s.published_question_sets(site).await,
            Store::Postgres(s) => s.published_question_sets(site).await,
        }
    }

    /// One exact version of a site's question set for a stage, whatever its status.
    pub async fn question_set(
        &self,
        site: &str,
        stage: Stage,
        version: u32,
    ) -> Result<StoredQuestionSet, StoreError> {
        match self {
            Store::Sqlite(s) => s.question_set(site, stage, version).await,
            Store::Postgres(s) => s.question_set(site, stage, version).await,
        }
    }

    /// The response with this id, as stored for `site`.
    pub async fn response(&self, site: &str, id: &str) -> Result<StoredResponse, StoreError> {
        match self {
            Store::Sqlite(s) => s.response(site, id).await,
            Store::Postgres(s) => s.response(site, id).await,
        }
    }

    /// Durably stores a validated response, merging it into an earlier send under the same id.
    pub async fn save_response(
        &self,
        question_set: &StoredQuestionSet,
        response: &Response,
    ) -> Result<SaveOutcome, StoreError> {
        match self {
            Store::Sqlite(s) => s.save_response(question_set, response).await,
            Store::Postgres(s) => s.save_response(question_set, response).await,
        }
    }
}

/// Now, as Unix time in milliseconds.
pub(crate) fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(origins: &[&str]) -> Site {
        Site {
            key: "s".into(),
            name: "S".into(),
            allowed_origins: origins.iter().map(|o| (*o).to_owned()).collect(),
        }
    }

    #[test]
    fn a_port_wildcard_matches_any_port_of_that_host_only() {
        let s = site(&["http://localhost:*"]);
        assert!(s.allows_origin("http://localhost:8080"));
        assert!(s.allows_origin("http://localhost"));
        assert!(!s.allows_origin("http://localhost.evil.example"));
        assert!(!s.allows_origin("http://localhost:80.evil.example"));
        assert!(!s.allows_origin("https://localhost:8080"));
    }

    #[test]
    fn an_exact_origin_matches_itself_only() {
        let s = site(&["https://shop.example"]);
        assert!(s.allows_origin("https://shop.example"));
        assert!(!s.allows_origin("https://shop.example:8443"));
        assert!(!s.allows_origin("http://shop.example"));
    }
}
