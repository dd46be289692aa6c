//! `collector`: parse the command line, start logging, serve.

use clap::Parser;
use collector::cli::{Cli, Command};
use collector::startup::{ServeConfig, Server, shutdown_signal};
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    collector::telemetry::init();
    let result = match cli.command {
        Command::Serve(args) => serve(ServeConfig::from(args)).await,
    };
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

async fn serve(config: ServeConfig) -> anyhow::Result<()> {
    let server = Server::build(&config).await?;
    let address = server.address();
    tracing::info!(%address, "collector listening");
    println!("Collector listening on http://{address}");
    println!("Demo store: http://{address}/demo/");
    server.run_until(shutdown_signal()).await?;
    Ok(())
}
