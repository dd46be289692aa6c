//! `collector`: parse the command line, start logging, serve.

use anyhow::Context;
use clap::Parser;
use collector::cli::{Cli, Command, TokenCommand, TokenCreateArgs};
use collector::config::FileConfig;
use collector::startup::{ServeConfig, Server, open_store, shutdown_signal};
use collector::store::{StoreError, TokenScope};
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
    }
}

async fn serve(config: ServeConfig) -> anyhow::Result<()> {
    let server = Server::build(&config).await?;
    let address = server.address();
    tracing::info!(%address, "collector listening");
    println!("Collector listening on http://{address}");
    println!("Demo store: http://{address}/demo/");
    server.run_until(shutdown_signal()).await?;
    Ok(())
}

async fn create_token(args: TokenCreateArgs, database_url: &str) -> anyhow::Result<()> {
    let store = open_store(database_url).await?;
    let scope = match args.site {
        Some(site) => TokenScope::Site(site),
        None => TokenScope::AllSites,
    };
    let token = collector::tokens::create(&store, &args.name, &scope)
        .await
        .map_err(|e| match (e, &scope) {
            (StoreError::NotFound, TokenScope::Site(site)) => {
                anyhow::anyhow!("no site has the key {site:?}")
            }
            (other, _) => anyhow::Error::new(other),
        })
        .context("creating the token")?;
    eprintln!(
        "Admin token {:?} created. It is shown only this once; store it safely:",
        args.name
    );
    println!("{token}");
    Ok(())
}
