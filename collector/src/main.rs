//! `collector`: parse the command line, start logging, serve.

use clap::Parser;
use collector::cli::{Cli, Command};
use collector::startup::{ServeConfig, Server, shutdown_signal};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    collector::telemetry::init();
    match cli.command {
        Command::Serve(args) => {
            let config = ServeConfig::from(args);
            let server = Server::build(&config).await?;
            let address = server.address();
            tracing::info!(%address, "collector listening");
            println!("Collector listening on http://{address}");
            println!("Demo store: http://{address}/demo/");
            server.run_until(shutdown_signal()).await?;
        }
    }
    Ok(())
}
