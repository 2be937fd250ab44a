//! The h1conn demo server on h1conn-tokio: the demo page with its ten sub-resources, `/echo`,
//! `/stream`, `/status/N`, `/stats` and `--root DIR`, written as a tower service (`app.rs`).
//!
//! ```text
//! cargo run --release -p h1conn-tokio --bin serve -- [--listen ADDR] [--root DIR]
//!     [--keep-alive on|off] [--max-requests N] [--keep-alive-timeout SECS]
//!     [--header-timeout SECS] [--body-timeout SECS] [--send-timeout SECS] [--send-min-rate BYTES]
//!     [--threads N]
//! ```
//!
//! The first line on stdout is `listening on ADDR`. Ctrl-C or, on unix, SIGTERM shuts down
//! gracefully: the listener closes, idle connections close at once, requests in flight get up to
//! 10 s to finish, and the process exits with status 0.
#![forbid(unsafe_code)]

mod app;
mod files;
mod opts;
mod page;
mod stats;

use std::future::Future;
use std::io;
use std::sync::Arc;
use std::time::Duration;

use h1conn_tokio::Builder;
use opts::{announce, Opts};

/// Output buffered in a connection above which streamed bodies pause and the connection stops
/// asking for input (`Config::output_high_water`, its default): with the output buffer's
/// compaction, what a connection whose peer reads slowly holds is at most about twice this.
pub(crate) const HIGH_WATER: usize = 64 * 1024;

fn main() -> io::Result<()> {
    let opts = Opts::from_env();
    let mut rt = tokio::runtime::Builder::new_multi_thread();
    if opts.threads > 0 {
        rt.worker_threads(opts.threads);
    }
    rt.enable_all().build()?.block_on(run(opts))
}

async fn run(opts: Opts) -> io::Result<()> {
    let listener = tokio::net::TcpListener::bind(opts.listen).await?;
    // Installed before the address is announced, so a SIGTERM sent as soon as the server is
    // reachable already shuts it down gracefully.
    let shutdown = shutdown_signal()?;
    let addr = listener.local_addr()?;
    let builder = Builder::new()
        .with_config(opts.config())
        .shutdown_grace(Duration::from_secs(10));
    let shared = Arc::new(app::Shared {
        opts,
        stats: stats::Stats::default(),
    });
    // Made before the address is announced: it sets the listener's options, which connections
    // take when their handshake completes.
    let server = builder
        .serve_with(listener, move |_| app::App::new(Arc::clone(&shared)))
        .with_graceful_shutdown(shutdown);
    announce(addr);
    server.await
}

/// A future that completes on Ctrl-C (SIGINT) or, on unix, SIGTERM. The SIGTERM handler is
/// installed when this is called.
fn shutdown_signal() -> io::Result<impl Future<Output = ()> + Send + 'static> {
    #[cfg(unix)]
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    Ok(async move {
        #[cfg(unix)]
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = terminate.recv() => {}
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
    })
}
