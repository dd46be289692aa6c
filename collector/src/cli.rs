//! The command line: `collector serve` and its options, each also read from the environment.

use crate::config::LogFormat;
use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;

/// Self-hosted collector for the CX survey widget: serves the widget and each site's config,
/// stores shoppers' answers, and serves the demo store.
#[derive(Debug, Parser)]
#[command(name = "collector", version)]
pub struct Cli {
    /// A TOML file setting any of listen, database_url, retention_every, sqlite_max_batch and
    /// log_format; flags and environment variables win over it.
    #[arg(long, env = "CX_CONFIG", global = true)]
    pub config: Option<PathBuf>,

    /// Log lines as text for people or JSON for log collectors [default: text].
    #[arg(long, env = "LOG_FORMAT", global = true, value_enum)]
    pub log_format: Option<LogFormat>,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The collector's commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the widget, the config and ingestion APIs and the demo store over HTTP.
    Serve(ServeArgs),
    /// Manage admin API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Keep question sets in a TOML file (e.g. in version control).
    #[command(subcommand)]
    Questions(QuestionsCommand),
}

/// `collector questions ...`.
#[derive(Debug, Subcommand)]
pub enum QuestionsCommand {
    /// Write each stage's published question set of a site as TOML.
    Export(QuestionsExportArgs),
    /// Read a TOML file and save every stage that changed as a new draft version.
    Import(QuestionsImportArgs),
}

/// Options of `collector questions export`.
#[derive(Debug, Args)]
pub struct QuestionsExportArgs {
    /// The site's key.
    #[arg(long)]
    pub site: String,

    /// Write here instead of to standard output.
    #[arg(long)]
    pub output: Option<PathBuf>,

    /// Where the collector's data lives.
    #[command(flatten)]
    pub database: DatabaseArgs,
}

/// Options of `collector questions import`.
#[derive(Debug, Args)]
pub struct QuestionsImportArgs {
    /// The site's key.
    #[arg(long)]
    pub site: String,

    /// The TOML file (as written by `collector questions export`).
    pub file: PathBuf,

    /// Publish each new version at once, instead of leaving it a draft.
    #[arg(long)]
    pub publish: bool,

    /// Where the collector's data lives.
    #[command(flatten)]
    pub database: DatabaseArgs,
}

/// `collector token ...`.
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Make an admin API token, print it once, and store only its hash.
    Create(TokenCreateArgs),
}

/// Options of `collector token create`.
#[derive(Debug, Args)]
pub struct TokenCreateArgs {
    /// What the token is for, e.g. "dashboard" or "alice".
    #[arg(long)]
    pub name: String,

    /// The one site the token may manage and read.
    #[arg(
        long,
        required_unless_present = "all_sites",
        conflicts_with = "all_sites"
    )]
    pub site: Option<String>,

    /// Let the token manage and read every site, and create new ones.
    #[arg(long)]
    pub all_sites: bool,

    /// Where the collector's data lives.
    #[command(flatten)]
    pub database: DatabaseArgs,
}

/// Where the collector's data lives.
#[derive(Debug, Args)]
pub struct DatabaseArgs {
    /// Where answers are stored: sqlite://PATH or a plain file path (created if missing), or
    /// postgres://USER:PASSWORD@HOST/DB for several collectors sharing one database
    /// [default: sqlite://cx-collector.sqlite3].
    #[arg(long, env = "DATABASE_URL")]
    pub database_url: Option<String>,
}

/// Options of `collector serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address and port to listen on, e.g. 0.0.0.0:8080 to accept connections from other machines
    /// [default: 127.0.0.1:8080].
    #[arg(long, env = "LISTEN_ADDR")]
    pub listen: Option<SocketAddr>,

    /// How often, in seconds, answers past their site's retention_days are deleted [default: 3600].
    #[arg(long, env = "RETENTION_EVERY", value_parser = clap::value_parser!(u64).range(1..))]
    pub retention_every: Option<u64>,

    /// The most answers the SQLite writer commits at once; 1 commits each alone [default: 256].
    #[arg(long, env = "SQLITE_MAX_BATCH", value_parser = clap::value_parser!(u64).range(1..=10_000))]
    pub sqlite_max_batch: Option<u64>,

    /// Where the collector's data lives.
    #[command(flatten)]
    pub database: DatabaseArgs,
}
