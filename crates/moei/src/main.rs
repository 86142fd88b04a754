//! `moei`: one binary for the server, the demo, administration and the data tools.
//!
//! Each subcommand lives in `cmd/<name>.rs` with its arguments and a `run` function.

mod cmd;
mod config;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cmd::Cli::parse();
    // Logs go to standard error and never carry personal data: handlers log codes and ids only.
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("MOEI_LOG")
                .unwrap_or_else(|_| "warn,moei=info".into()),
        )
        .init();
    match cmd::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("moei: {e:#}");
            ExitCode::from(2)
        }
    }
}
