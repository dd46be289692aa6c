//! `collector`: parse the command line, start logging, serve.

use anyhow::Context;
use clap::Parser;
use collector::cli::{
    Cli, Command, QuestionsCommand, QuestionsExportArgs, QuestionsImportArgs, TokenCommand,
    TokenCreateArgs,
};
use collector::config::FileConfig;
use collector::question_file::{self, Imported};
use collector::startup::{ServeConfig, Server, open_store, shutdown_signal};
use collector::store::{StoreError, TokenScope};
use std::io::Write;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = run(cli).await;
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // `{:#}` prints the chain of causes on one line; store owners get the reason, not a
            // backtrace (which RUST_BACKTRACE would otherwise add).
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let file = FileConfig::load(cli.config.as_deref())?;
    collector::telemetry::init(file.log_format(cli.log_format));
    match cli.command {
        Command::Serve(args) => serve(file.serve_config(&args)?).await,
        Command::Token(TokenCommand::Create(args)) => {
            let database_url = file.database_url(&args.database);
            create_token(args, &database_url).await
        }
        Command::Questions(QuestionsCommand::Export(args)) => {
            let database_url = file.database_url(&args.database);
            export_questions(args, &database_url).await
        }
        Command::Questions(QuestionsCommand::Import(args)) => {
            let database_url = file.database_url(&args.database);
            import_questions(args, &database_url).await
        }
    }
}

/// A store error as the command line says it, naming the site when it is missing.
fn site_error(e: StoreError, site: &str) -> anyhow::Error {
    match e {
        StoreError::NotFound => anyhow::anyhow!("no site has the key {site:?}"),
        other => anyhow::Error::new(other),
    }
}

async fn export_questions(args: QuestionsExportArgs, database_url: &str) -> anyhow::Result<()> {
    let store = open_store(database_url).await?;
    let site = store
        .site(&args.site)
        .await
        .map_err(|e| site_error(e, &args.site))?;
    let sets = store.published_question_sets(&args.site).await?;
    let text = question_file::render(&site, &sets).map_err(anyhow::Error::msg)?;
    match &args.output {
        Some(path) => {
            std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))?
        }
        None => print!("{text}"),
    }
    Ok(())
}

async fn import_questions(args: QuestionsImportArgs, database_url: &str) -> anyhow::Result<()> {
    let name = args.file.display().to_string();
    let text = std::fs::read_to_string(&args.file).with_context(|| format!("reading {name}"))?;
    // Checked whole before anything is saved: a file with one bad stage changes nothing.
    let file = question_file::parse(&name, &text).map_err(anyhow::Error::msg)?;
    let store = open_store(database_url).await?;
    let report = question_file::import(&store, &args.site, file, args.publish)
        .await
        .map_err(|e| site_error(e, &args.site))?;
    for setting in report.changed {
        println!("{setting}: updated");
    }
    for setting in report.unchanged {
        println!("{setting}: unchanged");
    }
    let state = if args.publish { "published" } else { "draft" };
    for (stage, outcome) in report.stages {
        match outcome {
            Imported::Unchanged { version } => println!("{stage}: unchanged (version {version})"),
            Imported::NewVersion { version } => {
                println!("{stage}: new version {version} ({state})")
            }
        }
    }
    Ok(())
}

async fn serve(config: ServeConfig) -> anyhow::Result<()> {
    let server = Server::build(&config).await?;
    let address = server.address();
    tracing::info!(%address, "collector listening");
    // Not println!: it panics when stdout is a closed pipe (`collector serve | head -1`), and a
    // start-up banner must never take the server down.
    let mut stdout = std::io::stdout();
    let _ = writeln!(stdout, "Collector listening on http://{address}");
    let _ = writeln!(stdout, "Demo store: http://{address}/demo/");
    let _ = stdout.flush();
    server.run_until(shutdown_signal()).await?;
    Ok(())
}

async fn create_token(args: TokenCreateArgs, database_url: &str) -> anyhow::Result<()> {
    let store = open_store(database_url).await?;
    let scope = match &args.site {
        Some(site) => TokenScope::Site(site.clone()),
        None => TokenScope::AllSites,
    };
    let token = collector::tokens::create(&store, &args.name, &scope)
        .await
        .map_err(|e| site_error(e, args.site.as_deref().unwrap_or_default()))
        .context("creating the token")?;
    eprintln!(
        "Admin token {:?} created. It is shown only this once; store it safely:",
        args.name
    );
    println!("{token}");
    Ok(())
}
