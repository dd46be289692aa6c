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
pub use sqlite::{DEFAULT_MAX_BATCH, SqliteStore, WRITE_QUEUE_CAPACITY};

/// Why a storage operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The site, question set or response does not exist.
    #[error("not found")]
    NotFound,
    /// A response id that is already stored under another site, stage or question set version.
    #[error("response {0:?} is already stored for another site, stage or question set version")]
    ResponseIdConflict(String),
    /// Another response already answers this order at this stage.
    #[error("order {order:?} already has an answer for the {stage} stage")]
    OrderAlreadyAnswered {
        /// The stage.
        stage: Stage,
        /// The order reference.
        order: String,
    },
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
    /// The write queue is full: the disk cannot keep up right now.
    #[error("the write queue is full")]
    Overloaded,
    /// The writer task is gone (the collector is stopping).
    #[error("the writer has stopped")]
    WriterStopped,
    /// The commit holding the response failed; nothing of its batch was stored.
    #[error("the commit failed: {0}")]
    CommitFailed(String),
    /// A site with this key already exists.
    #[error("a site with the key {0:?} already exists")]
    SiteExists(String),
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
    /// IANA time zone (`Europe/Warsaw`) in which reports count days, weeks and months.
    pub time_zone: String,
    /// Answers are deleted this many days after they arrive; `None` keeps them.
    pub retention_days: Option<i64>,
    /// How the survey looks on the site.
    pub theme: survey::Theme,
    /// Show nothing to shoppers whose browser sends Global Privacy Control or Do Not Track.
    pub respect_privacy_signals: bool,
    /// Browsing triggers, sampling per stage and recontact limits.
    pub etiquette: survey::Etiquette,
}

impl Site {
    /// The demo store's site, as a fresh collector creates it.
    pub fn demo() -> Site {
        Site {
            key: "demo".into(),
            name: "Demo store".into(),
            allowed_origins: vec!["http://localhost:*".into(), "http://127.0.0.1:*".into()],
            time_zone: "UTC".into(),
            retention_days: None,
            theme: survey::Theme::default(),
            respect_privacy_signals: false,
            etiquette: survey::Etiquette {
                browsing: survey::BrowsingTrigger {
                    checkout_paths: vec!["/demo/cart".into()],
                    ..survey::BrowsingTrigger::default()
                },
                // No recontact limits, so the demo store can be tried again and again.
                recontact: survey::Recontact::none(),
                ..survey::Etiquette::default()
            },
        }
    }

    /// Checks a site definition; the error names the field and what is allowed.
    pub fn check(&self) -> Result<(), String> {
        self.theme.check()?;
        self.etiquette.check()?;
        if self.key.len() > 64 || !survey::validation::is_token(&self.key) {
            return Err("key must be 1 to 64 characters of A-Z, a-z, 0-9, '-' or '_'".into());
        }
        let name_length = self.name.trim().chars().count();
        if !(1..=200).contains(&name_length) {
            return Err("name must be 1 to 200 characters".into());
        }
        if self.allowed_origins.len() > 50 {
            return Err("allowed_origins holds at most 50 origins".into());
        }
        if self
            .retention_days
            .is_some_and(|d| !(1..=36_500).contains(&d))
        {
            return Err("retention_days must be 1 to 36500, or null to keep answers".into());
        }
        if jiff::tz::TimeZone::get(&self.time_zone).is_err() {
            return Err(format!(
                "time_zone: {:?} is not an IANA time zone name such as UTC, Europe/Warsaw or \
                 America/Sao_Paulo",
                self.time_zone
            ));
        }
        match self.allowed_origins.iter().find(|o| !is_origin(o)) {
            Some(bad) => Err(format!(
                "allowed_origins: {bad:?} is not an origin; write scheme://host or \
                 scheme://host:port (e.g. https://shop.example), or scheme://host:* for any port"
            )),
            None => Ok(()),
        }
    }

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

/// Where a question set version is in its life.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum QuestionSetStatus {
    /// Being written; not shown to shoppers.
    Draft,
    /// Shown to shoppers (the latest published version of a stage).
    Published,
    /// No longer shown; its answers stay readable.
    Archived,
}

impl QuestionSetStatus {
    /// The status as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            QuestionSetStatus::Draft => "draft",
            QuestionSetStatus::Published => "published",
            QuestionSetStatus::Archived => "archived",
        }
    }

    pub(crate) fn parse(column: &str) -> Result<Self, StoreError> {
        match column {
            "draft" => Ok(QuestionSetStatus::Draft),
            "published" => Ok(QuestionSetStatus::Published),
            "archived" => Ok(QuestionSetStatus::Archived),
            other => Err(StoreError::Corrupt(format!(
                "question set status {other:?}"
            ))),
        }
    }
}

/// Whether `s` is `http(s)://host` with an optional `:port` or `:*`, and nothing after it.
fn is_origin(s: &str) -> bool {
    let Some(rest) = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
    else {
        return false;
    };
    let (host, port) = match rest.rsplit_once(':') {
        Some((host, port)) if !host.ends_with(']') || rest.starts_with('[') => (host, Some(port)),
        _ => (rest, None),
    };
    let host_ok = !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-.[]:".contains(&b));
    let port_ok = port.is_none_or(|p| p == "*" || p.parse::<u16>().is_ok_and(|n| n > 0));
    host_ok && port_ok
}

/// A question set version as stored, with the row id answers refer to.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredQuestionSet {
    /// Database id of this exact version.
    pub id: i64,
    /// The definition.
    pub set: QuestionSet,
    /// Draft, published or archived.
    pub status: QuestionSetStatus,
    /// When this version was made (Unix milliseconds).
    pub created_at_ms: i64,
}

/// What an admin token may touch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenScope {
    /// Every site, and creating sites.
    AllSites,
    /// This one site only.
    Site(String),
}

/// An admin API token as stored (its secret is never stored, only its hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminToken {
    /// Database id.
    pub id: i64,
    /// What it is for, as given when it was made.
    pub name: String,
    /// What it may touch.
    pub scope: TokenScope,
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

/// How many answers gave one score, for one combination of everything reports group by.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ScoreCount {
    /// The stage.
    pub stage: String,
    /// The question id.
    pub question: String,
    /// The question's kind (`nps`, `csat`, `ces`).
    pub kind: String,
    /// The question set version answered.
    pub version: i64,
    /// The language shown (empty when unknown).
    pub locale: String,
    /// The device class (empty when unknown).
    pub device: String,
    /// The quarter-hour of arrival: Unix milliseconds / 900,000. Every time zone's offset is a
    /// multiple of 15 minutes, so these regroup exactly into local days, weeks and months.
    pub quarter_hour: i64,
    /// The score.
    pub score: i64,
    /// How many answers.
    pub count: i64,
}

/// Which comments to list, newest first.
#[derive(Debug, Clone, Default)]
pub struct CommentQuery {
    /// Only this stage.
    pub stage: Option<Stage>,
    /// Arrived at or after (Unix milliseconds).
    pub from_ms: i64,
    /// Arrived before (Unix milliseconds).
    pub to_ms: i64,
    /// Only comments containing this text (case-insensitive for ASCII).
    pub search: Option<String>,
    /// Only responses whose answer to this scale question lies in `min_score..=max_score`.
    pub score_question: Option<String>,
    /// Lowest score kept (with `score_question`).
    pub min_score: i64,
    /// Highest score kept (with `score_question`).
    pub max_score: i64,
    /// Page size.
    pub limit: i64,
    /// Continue after this `(received_at_ms, response_id)` (the last item of the previous page).
    pub after: Option<(i64, String)>,
}

/// A free-text answer with what a reader needs to act on it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct Comment {
    /// The response it belongs to.
    pub response_id: String,
    /// The stage.
    pub stage: String,
    /// When the response arrived (Unix milliseconds).
    pub received_at_ms: i64,
    /// The language shown.
    pub locale: Option<String>,
    /// The order reference, if the store passed one.
    pub order: Option<String>,
    /// The text question's id.
    pub question: String,
    /// What the shopper wrote.
    pub text: String,
    /// The response's scores, by question.
    pub scores: std::collections::BTreeMap<String, i64>,
}

/// Which responses an export holds.
#[derive(Debug, Clone)]
pub struct ExportQuery {
    /// Only this stage.
    pub stage: Option<Stage>,
    /// Arrived at or after (Unix milliseconds).
    pub from_ms: i64,
    /// Arrived before (Unix milliseconds).
    pub to_ms: i64,
}

/// One answer with its response's columns, in export order (by arrival, then response, then
/// question), so consecutive rows of one response can be grouped while streaming.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ExportRow {
    /// The response id.
    pub response_id: String,
    /// The stage.
    pub stage: String,
    /// The question set version answered.
    pub question_set_version: i64,
    /// Arrival (Unix milliseconds).
    pub received_at: i64,
    /// The language shown.
    pub locale: Option<String>,
    /// The device class.
    pub device: Option<String>,
    /// The order reference.
    pub order_ref: Option<String>,
    /// The store's context, as a JSON object.
    pub context: String,
    /// Whether the shopper finished.
    pub completed: bool,
    /// The question id.
    pub question: String,
    /// The question's kind.
    pub kind: String,
    /// The score, for scale questions.
    pub score: Option<i64>,
    /// The answer as sent (JSON).
    pub value: String,
}

/// A site's webhook.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Webhook {
    /// Database id.
    pub id: i64,
    /// The site.
    pub site: String,
    /// Where deliveries are POSTed.
    pub url: String,
    /// `response` (every response) or `low_score` (detractor alerts).
    pub event: String,
    /// `json` or `slack`.
    pub format: String,
    /// The HMAC-SHA256 signing secret.
    #[serde(skip)]
    pub secret: String,
    /// When it was made (Unix milliseconds).
    pub created_at: i64,
}

/// One delivery of one response to one webhook, and how it went.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Delivery {
    /// Database id.
    pub id: i64,
    /// The webhook.
    pub webhook_id: i64,
    /// The response told about.
    pub response_id: String,
    /// `pending`, `delivered` or `failed` (gave up).
    pub status: String,
    /// Attempts made.
    pub attempts: i64,
    /// When the next attempt is due (Unix milliseconds).
    pub next_attempt_at: i64,
    /// The receiver's last HTTP status.
    pub last_status: Option<i64>,
    /// The last failure, if any.
    pub last_error: Option<String>,
    /// When it was queued (Unix milliseconds).
    pub created_at: i64,
    /// When it was delivered (Unix milliseconds).
    pub delivered_at: Option<i64>,
}

/// Which webhook deliveries storing a response queues: all `response` webhooks, and the
/// `low_score` ones when `low_score`, due at `due_at` (Unix milliseconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeliveryTrigger {
    /// Whether the response holds a low score (see [`crate::webhooks::is_low_score`]).
    pub low_score: bool,
    /// When the deliveries fall due.
    pub due_at: i64,
}

/// What came of one delivery attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttemptOutcome {
    /// The receiver answered 2xx.
    Delivered {
        /// Its status.
        status: i64,
    },
    /// Try again at `retry_at`, or give up when `None`.
    Failed {
        /// The receiver's status, if it answered.
        status: Option<i64>,
        /// What went wrong.
        error: String,
        /// When to try again (Unix milliseconds); `None` gives up.
        retry_at: Option<i64>,
    },
}

/// Calls the same method on whichever engine the store runs on.
macro_rules! on_engine {
    ($self:ident.$method:ident($($arg:expr),*)) => {
        match $self {
            Store::Sqlite(engine) => engine.$method($($arg),*).await,
            Store::Postgres(engine) => engine.$method($($arg),*).await,
        }
    };
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
        Self::connect_with_batch(url, sqlite::DEFAULT_MAX_BATCH).await
    }

    /// As [`Store::connect`], with the most responses the SQLite writer commits at once.
    pub async fn connect_with_batch(
        url: &str,
        sqlite_max_batch: usize,
    ) -> Result<Self, StoreError> {
        if url.starts_with("sqlite:") || !url.contains("://") {
            Ok(Store::Sqlite(
                SqliteStore::connect(url, sqlite_max_batch).await?,
            ))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Store::Postgres(PostgresStore::connect(url).await?))
        } else {
            let scheme = url.split("://").next().unwrap_or_default();
            Err(StoreError::UnsupportedUrl(scheme.to_owned()))
        }
    }

    /// Creates the `demo` site and every stage's default question set, when there is no site yet.
    pub async fn seed_demo_site(&self) -> Result<bool, StoreError> {
        let demo = Site::demo();
        let sets: Vec<QuestionSet> = Stage::ALL
            .into_iter()
            .map(survey::defaults::question_set)
            .collect();
        on_engine!(self.seed_if_empty(&demo, &sets))
    }

    /// The site with this public key.
    pub async fn site(&self, key: &str) -> Result<Site, StoreError> {
        on_engine!(self.site(key))
    }

    /// The latest published question set of each stage of a site.
    pub async fn published_question_sets(
        &self,
        site: &str,
    ) -> Result<Vec<QuestionSet>, StoreError> {
        on_engine!(self.published_question_sets(site))
    }

    /// One exact version of a site's question set for a stage, whatever its status.
    pub async fn question_set(
        &self,
        site: &str,
        stage: Stage,
        version: u32,
    ) -> Result<StoredQuestionSet, StoreError> {
        on_engine!(self.question_set(site, stage, version))
    }

    /// The response with this id, as stored for `site`.
    pub async fn response(&self, site: &str, id: &str) -> Result<StoredResponse, StoreError> {
        on_engine!(self.response(site, id))
    }

    /// Whether `site` already has a response for this order at this stage.
    pub async fn order_answered(
        &self,
        site: &str,
        stage: Stage,
        order: &str,
    ) -> Result<bool, StoreError> {
        on_engine!(self.order_answered(site, stage, order))
    }

    /// Durably stores a validated response, merging it into an earlier send under the same id,
    /// and queues its webhook deliveries in the same commit; `device` is the device class of its
    /// first send.
    pub async fn save_response(
        &self,
        question_set: &StoredQuestionSet,
        response: &Response,
        device: Option<&str>,
        deliveries: DeliveryTrigger,
    ) -> Result<SaveOutcome, StoreError> {
        match self {
            Store::Sqlite(engine) => {
                engine
                    .save_response(question_set, response, device, deliveries)
                    .await
            }
            Store::Postgres(engine) => {
                engine
                    .save_response_alone(question_set, response, device, deliveries)
                    .await
            }
        }
    }
}

impl Store {
    /// Stores a new admin token's hash; the site of a site-scoped token must exist.
    pub async fn create_token(
        &self,
        name: &str,
        scope: &TokenScope,
        token_hash: &str,
    ) -> Result<i64, StoreError> {
        if let TokenScope::Site(site) = scope {
            self.site(site).await?;
        }
        let site = match scope {
            TokenScope::AllSites => None,
            TokenScope::Site(site) => Some(site.as_str()),
        };
        on_engine!(self.create_token(name, site, token_hash))
    }

    /// The token with this hash.
    pub async fn token(&self, token_hash: &str) -> Result<AdminToken, StoreError> {
        on_engine!(self.token(token_hash))
    }

    /// Every site, by key.
    pub async fn sites(&self) -> Result<Vec<Site>, StoreError> {
        on_engine!(self.sites())
    }

    /// Adds a site; [`StoreError::SiteExists`] if its key is taken.
    pub async fn create_site(&self, site: &Site) -> Result<(), StoreError> {
        on_engine!(self.create_site(site))
    }

    /// Replaces a site's name and allowed origins.
    pub async fn update_site(&self, site: &Site) -> Result<(), StoreError> {
        on_engine!(self.update_site(site))
    }

    /// Every version of every stage's question set of a site (definitions included).
    pub async fn question_set_versions(
        &self,
        site: &str,
    ) -> Result<Vec<StoredQuestionSet>, StoreError> {
        on_engine!(self.question_set_versions(site))
    }

    /// Saves `questions` as a new draft version of a stage's question set.
    pub async fn create_question_set_version(
        &self,
        site: &str,
        stage: Stage,
        questions: Vec<survey::Question>,
    ) -> Result<StoredQuestionSet, StoreError> {
        on_engine!(self.create_question_set_version(site, stage, questions))
    }

    /// Publishes one version (archiving the stage's previously published one) or archives it.
    pub async fn set_question_set_status(
        &self,
        site: &str,
        stage: Stage,
        version: u32,
        status: QuestionSetStatus,
    ) -> Result<(), StoreError> {
        on_engine!(self.set_question_set_status(site, stage, version, status))
    }
}

impl Store {
    /// Score counts of a site's answers that arrived in `from_ms..to_ms`, for reports.
    pub async fn score_counts(
        &self,
        site: &str,
        from_ms: i64,
        to_ms: i64,
    ) -> Result<Vec<ScoreCount>, StoreError> {
        on_engine!(self.score_counts(site, from_ms, to_ms))
    }

    /// One page of a site's comments, newest first.
    pub async fn comments(
        &self,
        site: &str,
        query: &CommentQuery,
    ) -> Result<Vec<Comment>, StoreError> {
        on_engine!(self.comments(site, query))
    }
}

impl Store {
    /// Streams a site's answers for export, in [`ExportRow`] order, without loading them all.
    pub fn export_rows<'a>(
        &'a self,
        site: &'a str,
        query: &'a ExportQuery,
    ) -> futures_util::stream::BoxStream<'a, Result<ExportRow, StoreError>> {
        match self {
            Store::Sqlite(engine) => engine.export_rows(site, query),
            Store::Postgres(engine) => engine.export_rows(site, query),
        }
    }
}

impl Store {
    /// Checks that the database answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        on_engine!(self.ping())
    }

    /// Deletes every answer older than its site's retention; returns how many responses went.
    pub async fn delete_expired(&self, now_ms: i64) -> Result<u64, StoreError> {
        on_engine!(self.delete_expired(now_ms))
    }

    /// Deletes every response of `site` carrying this order or customer reference.
    pub async fn erase(
        &self,
        site: &str,
        order: Option<&str>,
        customer: Option<&str>,
    ) -> Result<u64, StoreError> {
        on_engine!(self.erase(site, order, customer))
    }
}

impl Store {
    /// Adds a webhook.
    pub async fn create_webhook(&self, webhook: &Webhook) -> Result<i64, StoreError> {
        on_engine!(self.create_webhook(webhook))
    }

    /// A site's webhooks.
    pub async fn webhooks(&self, site: &str) -> Result<Vec<Webhook>, StoreError> {
        on_engine!(self.webhooks(site))
    }

    /// Removes a site's webhook and its delivery log.
    pub async fn delete_webhook(&self, site: &str, id: i64) -> Result<(), StoreError> {
        on_engine!(self.delete_webhook(site, id))
    }

    /// A webhook's latest deliveries, newest first.
    pub async fn deliveries(
        &self,
        site: &str,
        webhook_id: i64,
        limit: i64,
    ) -> Result<Vec<Delivery>, StoreError> {
        on_engine!(self.deliveries(site, webhook_id, limit))
    }

    /// Claims up to `limit` due deliveries, leasing each until `lease_until` so that another
    /// collector on the same database does not send it too.
    pub async fn claim_due_deliveries(
        &self,
        now: i64,
        lease_until: i64,
        limit: i64,
    ) -> Result<Vec<(Delivery, Webhook)>, StoreError> {
        on_engine!(self.claim_due_deliveries(now, lease_until, limit))
    }

    /// Records one attempt.
    pub async fn record_attempt(
        &self,
        delivery_id: i64,
        outcome: &AttemptOutcome,
    ) -> Result<(), StoreError> {
        on_engine!(self.record_attempt(delivery_id, outcome))
    }
}

/// Now, as Unix time in milliseconds.
pub fn now_ms() -> i64 {
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
            time_zone: "UTC".into(),
            retention_days: None,
            theme: survey::Theme::default(),
            respect_privacy_signals: false,
            etiquette: survey::Etiquette::default(),
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
    fn origins_are_scheme_host_and_port_only() {
        for good in [
            "https://shop.example",
            "http://localhost:*",
            "http://127.0.0.1:8080",
        ] {
            assert!(is_origin(good), "{good}");
        }
        for bad in [
            "shop.example",
            "https://shop.example/",
            "ftp://x",
            "https://",
            "https://a:99999",
        ] {
            assert!(!is_origin(bad), "{bad}");
        }
    }

    #[test]
    fn an_exact_origin_matches_itself_only() {
        let s = site(&["https://shop.example"]);
        assert!(s.allows_origin("https://shop.example"));
        assert!(!s.allows_origin("https://shop.example:8443"));
        assert!(!s.allows_origin("http://shop.example"));
    }
}
