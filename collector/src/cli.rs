//! The command line: `collector serve` and its options, each also read from the environment.

use crate::startup::ServeConfig;
use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;

/// Self-hosted collector for the CX survey widget: serves the widget and each site's config,
/// stores shoppers' answers, and serves the demo store.
#[derive(Debug, Parser)]
#[command(name = "collector", version)]
pub struct Cli {
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
    /// postgres://USER:PASSWORD@HOST/DB for several collectors sharing one database.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://cx-collector.sqlite3"
    )]
    pub database_url: String,
}

/// Options of `collector serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address and port to listen on, e.g. 0.0.0.0:8080 to accept connections from other machines.
    #[arg(long, env = "LISTEN_ADDR", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,

    /// How often, in seconds, answers past their site's retention_days are deleted.
    #[arg(long, env = "RETENTION_EVERY", default_value_t = 3600, value_parser = clap::value_parser!(u64).range(1..))]
    pub retention_every: u64,

    /// Where the collector's data lives.
    #[command(flatten)]
    pub database: DatabaseArgs,
}

impl From<ServeArgs> for ServeConfig {
    fn from(args: ServeArgs) -> Self {
        ServeConfig {
            listen: args.listen,
            database_url: args.database.database_url,
            retention_every: std::time::Duration::from_secs(args.retention_every),
        }
    }
}
