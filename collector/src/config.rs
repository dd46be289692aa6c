//! The collector's settings: command-line flags, then environment variables (both through clap),
//! then an optional TOML file, then the defaults here.

use crate::cli::{DatabaseArgs, ServeArgs};
use crate::startup::ServeConfig;
use anyhow::Context;
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

/// Where `collector serve` listens by default: this machine only.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
/// The default database: a SQLite file in the current folder.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://cx-collector.sqlite3";
/// How often retention runs by default, in seconds.
pub const DEFAULT_RETENTION_EVERY: u64 = 3600;

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable lines.
    #[default]
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

/// The settings a config file may hold; any may be left out.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    /// As `--listen`.
    pub listen: Option<SocketAddr>,
    /// As `--database-url`.
    pub database_url: Option<String>,
    /// As `--retention-every`, in seconds.
    pub retention_every: Option<u64>,
    /// As `--log-format`.
    pub log_format: Option<LogFormat>,
    /// As `--sqlite-max-batch`.
    pub sqlite_max_batch: Option<u64>,
}

impl FileConfig {
    /// Reads `path`, if given; errors name the file, the line and the field.
    pub fn load(path: Option<&Path>) -> anyhow::Result<Self> {
        let Some(path) = path else {
            return Ok(FileConfig::default());
        };
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading the config file {}", path.display()))?;
        let config: FileConfig = toml::from_str(&text)
            .with_context(|| format!("in the config file {}", path.display()))?;
        if config.retention_every == Some(0) {
            anyhow::bail!(
                "in the config file {}: retention_every must be at least 1 (seconds)",
                path.display()
            );
        }
        Ok(config)
    }

    /// The log format: the flag or environment, else the file, else text.
    pub fn log_format(&self, flag: Option<LogFormat>) -> LogFormat {
        flag.or(self.log_format).unwrap_or_default()
    }

    /// The database URL: the flag or environment, else the file, else the default.
    pub fn database_url(&self, args: &DatabaseArgs) -> String {
        args.database_url
            .clone()
            .or_else(|| self.database_url.clone())
            .unwrap_or_else(|| DEFAULT_DATABASE_URL.to_owned())
    }

    /// `collector serve`'s settings.
    pub fn serve_config(&self, args: &ServeArgs) -> anyhow::Result<ServeConfig> {
        let listen = match args.listen.or(self.listen) {
            Some(listen) => listen,
            None => DEFAULT_LISTEN
                .parse()
                .context("the default listen address")?,
        };
        let retention_every = args
            .retention_every
            .or(self.retention_every)
            .unwrap_or(DEFAULT_RETENTION_EVERY);
        Ok(ServeConfig {
            listen,
            database_url: self.database_url(&args.database),
            retention_every: Duration::from_secs(retention_every),
            webhooks: crate::webhooks::WebhookSettings::default(),
            sqlite_max_batch: args
                .sqlite_max_batch
                .or(self.sqlite_max_batch)
                .map_or(crate::store::DEFAULT_MAX_BATCH, |n| {
                    usize::try_from(n.clamp(1, 10_000)).unwrap_or(1)
                }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(listen: Option<&str>, database_url: Option<&str>) -> ServeArgs {
        ServeArgs {
            listen: listen.map(|l| l.parse().expect("an address")),
            retention_every: None,
            sqlite_max_batch: None,
            database: DatabaseArgs {
                database_url: database_url.map(str::to_owned),
            },
        }
    }

    #[test]
    fn flags_beat_the_file_which_beats_the_defaults() {
        let file: FileConfig = toml::from_str(
            "listen = \"0.0.0.0:9000\"\ndatabase_url = \"postgres://db/cx\"\nretention_every = 60",
        )
        .expect("valid");
        let from_file = file.serve_config(&args(None, None)).expect("config");
        assert_eq!(from_file.listen.to_string(), "0.0.0.0:9000");
        assert_eq!(from_file.database_url, "postgres://db/cx");
        assert_eq!(from_file.retention_every, Duration::from_secs(60));
        let from_flags = file
            .serve_config(&args(Some("127.0.0.1:1234"), Some("x.sqlite3")))
            .expect("config");
        assert_eq!(from_flags.listen.to_string(), "127.0.0.1:1234");
        assert_eq!(from_flags.database_url, "x.sqlite3");
        let defaults = FileConfig::default()
            .serve_config(&args(None, None))
            .expect("config");
        assert_eq!(defaults.listen.to_string(), DEFAULT_LISTEN);
        assert_eq!(defaults.database_url, DEFAULT_DATABASE_URL);
        assert_eq!(FileConfig::default().log_format(None), LogFormat::Text);
    }

    #[test]
    fn a_file_with_an_unknown_field_is_refused_by_name() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("collector.toml");
        std::fs::write(&path, "listen = \"127.0.0.1:1\"\ndatabse_url = \"typo\"\n").expect("write");
        let error = FileConfig::load(Some(&path)).expect_err("unknown field");
        let message = format!("{error:#}");
        assert!(message.contains("collector.toml"), "{message}");
        assert!(message.contains("databse_url"), "{message}");
    }
}
