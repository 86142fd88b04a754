//! `moei serve`: the web UI and API.

use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use moei_store::Store;
use moei_web::AppState;

use super::{DbArgs, default_listen, open, settings};
use crate::config::FileConfig;

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "MOEI_LISTEN")]
    pub listen: Option<String>,
    #[command(flatten)]
    pub db: DbArgs,
    /// Create the SQLite database if it does not exist (refused by default, so a mistyped path
    /// cannot start an empty register).
    #[arg(long)]
    pub create: bool,
}

pub async fn run(args: ServeArgs, file: &FileConfig) -> anyhow::Result<ExitCode> {
    let settings = settings(&args.db, file);
    let store = open(&settings, args.create).await?;
    super::require_key_file(&settings, args.create)?;
    serve_store(
        store,
        &default_listen(args.listen, file),
        settings.secure_cookies,
    )
    .await?;
    Ok(ExitCode::SUCCESS)
}

pub async fn serve_store(store: Store, listen: &str, secure_cookies: bool) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("cannot listen on {listen}"))?;
    let addr = listener.local_addr()?;
    // Tests and scripts read this line to find the port when listening on :0.
    println!("Moei is serving on http://{addr}/");
    let state = AppState::new(store.clone(), secure_cookies);
    moei_web::serve(listener, state, shutdown_signal()).await?;
    store.close().await;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
