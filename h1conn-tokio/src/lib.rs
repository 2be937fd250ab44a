//! # h1conn-tokio
//!
//! An HTTP/1.0 and HTTP/1.1 server for tokio on the [`h1conn`] state machine. It runs any tower
//! [`Service`] over `http::Request<`[`Incoming`]`>` whose response body is
//! an [`http_body::Body`], so an unmodified axum `Router` runs on it, over any
//! `AsyncRead + AsyncWrite` transport (TCP, Unix sockets, TLS).
//!
//! What it owns, so the application does not have to:
//!
//! - **Request bodies streamed with back-pressure**: bytes are read from the socket only as the
//!   service polls [`Incoming`] (plus a bounded amount ahead); `100 Continue` is sent when the body
//!   is first polled.
//! - **Response bodies streamed with trailers**: frames move into the connection while its output
//!   is below `Config::output_high_water`; trailers go out on chunked responses. A response
//!   whose head announces them (a `Trailer` field) is sent chunked to an HTTP/1.1 client even
//!   when its body's size is known; without one, a known size becomes Content-Length and any
//!   trailers are dropped, as they are for an HTTP/1.0 client, which cannot receive them.
//! - **Every timer of [`h1conn::Config`]** (keep-alive idle, header, body, send, linger) on
//!   `tokio::time`, the keep-alive policy (`max_requests`, `Keep-Alive: timeout, max`), and an
//!   automatic `Date`, formatted once a second and at most a quarter of a second old.
//! - **Graceful shutdown** on a future ([`Serve::with_graceful_shutdown`]), a **connection
//!   limit** ([`Builder::max_connections`]) and **accept errors** (out of file descriptors)
//!   survived with back-off.
//! - **Little memory per idle connection**: no read or write buffer of the server's own (reads go
//!   through a stack buffer, writes straight from the connection's output); the connection's
//!   buffers are given back as soon as its first response is written, and after later ones once
//!   it has been idle for `Config::release_idle_after`. An idle keep-alive connection holds its
//!   task, its timer and its socket: about 1.5 KB of resident memory end to end.
//!
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! use axum::{routing::get, Router};
//!
//! let app = Router::new().route("/", get(|| async { "hello" }));
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
//! # drop(stop);
//! h1conn_tokio::Builder::new()
//!     .serve(listener, app)
//!     .with_graceful_shutdown(async move {
//!         let _ = stopped.await;
//!     })
//!     .await
//! # }
//! ```
//!
//! To drive connections from a loop of your own (a TLS handshake first, say), use
//! [`Builder::serve_connection`] and [`ServeConnection::graceful_shutdown`].
//!
//! Protocol upgrades (101, CONNECT tunnels) are not supported: a service that answers with one
//! gets its connection closed.
//!
//! Cargo feature `bin` (on by default) builds the `serve` demo binary, which needs tokio's
//! multi-threaded runtime and signal handling; the library needs neither. A server of your own
//! that does not use them leaves both out with `default-features = false`.
//!
//! The cost figures in the repository's docs/PERFORMANCE.md are for release builds with
//! `codegen-units = 1`, as this workspace's release profile and the hyper baseline are built. With
//! cargo's default of 16 units, a request costs about 3 % more user-space instructions.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod body;
mod conn;
mod server;

use std::sync::Arc;
use std::time::Duration;

use h1conn::Config;
use http::{Request, Response};
use http_body::Body;
use tokio::io::{AsyncRead, AsyncWrite};
use tower_service::Service;

pub use body::{BodyError, Incoming};
pub use conn::ServeConnection;
pub use h1conn;
pub use server::{Listener, Serve};

/// The error type services and bodies may fail with.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Configures and starts a server.
///
/// ```
/// let b = h1conn_tokio::Builder::new()
///     .max_connections(1000)
///     .shutdown_grace(std::time::Duration::from_secs(10));
/// assert_eq!(b.config().keep_alive.max_requests, 100);
/// ```
#[derive(Debug, Clone)]
pub struct Builder {
    config: Arc<Config>,
    max_connections: usize,
    grace: Duration,
}

impl Default for Builder {
    fn default() -> Self {
        Builder::new()
    }
}

impl Builder {
    /// h1conn's default [`Config`], at most 10 000 connections at once, 30 s of grace on
    /// shutdown.
    pub fn new() -> Builder {
        Builder {
            config: Arc::new(Config::default()),
            max_connections: 10_000,
            grace: Duration::from_secs(30),
        }
    }

    /// The connection configuration: limits, keep-alive policy, timeouts (see
    /// [`h1conn::docs::configuration`]).
    pub fn with_config(mut self, config: Config) -> Builder {
        self.config = Arc::new(config);
        self
    }

    /// The connection configuration in use.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Most connections served at once (default 10 000). When reached, the server stops
    /// accepting until one closes; waiting clients stay in the listen backlog.
    pub fn max_connections(mut self, n: usize) -> Builder {
        self.max_connections = n.max(1);
        self
    }

    /// How long a graceful shutdown waits for requests in flight before aborting the
    /// connections still open (default 30 s).
    pub fn shutdown_grace(mut self, grace: Duration) -> Builder {
        self.grace = grace;
        self
    }

    /// A server accepting from `listener` and answering every request with `service` (cloned for
    /// each connection). Await it, or add [`Serve::with_graceful_shutdown`].
    pub fn serve<L, S, B>(self, listener: L, service: S) -> Serve<L, S>
    where
        L: Listener,
        S: Service<Request<Incoming>, Response = Response<B>> + Clone + Send + 'static,
        S::Future: Send + 'static,
        S::Error: Into<BoxError>,
        B: Body + Send + 'static,
        B::Data: Send,
        B::Error: Into<BoxError>,
    {
        Serve::new(self, listener, Box::new(move |_| service.clone()))
    }

    /// A server accepting from `listener` that makes one service per connection with `make`,
    /// given the peer's address (for per-connection state, or to log or filter peers).
    pub fn serve_with<L, M, S, B>(self, listener: L, make: M) -> Serve<L, S>
    where
        L: Listener,
        M: FnMut(&L::Addr) -> S + Send + 'static,
        S: Service<Request<Incoming>, Response = Response<B>> + Send + 'static,
        S::Future: Send + 'static,
        S::Error: Into<BoxError>,
        B: Body + Send + 'static,
        B::Data: Send,
        B::Error: Into<BoxError>,
    {
        Serve::new(self, listener, Box::new(make))
    }

    /// Serves one transport (already accepted, TLS handshake done) with `service`, as a future
    /// that ends when the connection closes. No connection limit or shutdown applies but what the
    /// caller adds ([`ServeConnection::graceful_shutdown`]).
    pub fn serve_connection<IO, S, B>(&self, io: IO, service: S) -> ServeConnection<IO, S, B>
    where
        IO: AsyncRead + AsyncWrite + Unpin,
        S: Service<Request<Incoming>, Response = Response<B>>,
        S::Error: Into<BoxError>,
        B: Body,
        B::Error: Into<BoxError>,
    {
        let clock = conn::Clock {
            origin: tokio::time::Instant::now(),
        };
        let c = h1conn::Connection::new(Arc::clone(&self.config), std::time::Duration::ZERO);
        ServeConnection::new(io, service, c, clock)
    }
}
