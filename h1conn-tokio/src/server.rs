//! The accept loop: a connection limit, accept errors survived with back-off, one task per
//! connection, and graceful shutdown.

use std::future::{Future, IntoFuture};
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::Poll;
use std::time::Duration;

use http::{Request, Response};
use http_body::Body;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::{watch, OwnedSemaphorePermit, Semaphore};
use tower_service::Service;

use crate::{BoxError, Builder, Incoming, ServeConnection};

/// A source of connections for [`Builder::serve`]: `tokio::net::TcpListener` (with `TCP_NODELAY`
/// set on each socket), `tokio::net::UnixListener`, or one of your own.
pub trait Listener: Send + 'static {
    /// The transport of one connection.
    type Io: AsyncRead + AsyncWrite + Unpin + Send + 'static;
    /// The peer's address.
    type Addr: Send;
    /// Waits for the next connection.
    fn accept(&mut self) -> impl Future<Output = io::Result<(Self::Io, Self::Addr)>> + Send;
}

impl Listener for tokio::net::TcpListener {
    type Io = tokio::net::TcpStream;
    type Addr = SocketAddr;
    async fn accept(&mut self) -> io::Result<(Self::Io, SocketAddr)> {
        let (s, a) = tokio::net::TcpListener::accept(self).await?;
        // Responses leave as soon as they are written (the connection batches them itself).
        let _ = s.set_nodelay(true);
        Ok((s, a))
    }
}

#[cfg(unix)]
impl Listener for tokio::net::UnixListener {
    type Io = tokio::net::UnixStream;
    type Addr = tokio::net::unix::SocketAddr;
    async fn accept(&mut self) -> io::Result<(Self::Io, Self::Addr)> {
        tokio::net::UnixListener::accept(self).await
    }
}

/// A server about to run: await it to serve until the process ends, or call
/// [`with_graceful_shutdown`](Self::with_graceful_shutdown). Made by [`Builder::serve`].
#[must_use = "a server does nothing until awaited"]
pub struct Serve<L: Listener, S> {
    builder: Builder,
    listener: L,
    make: MakeService<L::Addr, S>,
}

/// Makes the service of one connection from the peer's address.
type MakeService<A, S> = Box<dyn FnMut(&A) -> S + Send>;

impl<L: Listener + std::fmt::Debug, S> std::fmt::Debug for Serve<L, S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Serve")
            .field("builder", &self.builder)
            .field("listener", &self.listener)
            .finish_non_exhaustive()
    }
}

/// The phase of a server, watched by every connection task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Running,
    Draining,
    Abort,
}

impl<L, S, B> Serve<L, S>
where
    L: Listener,
    S: Service<Request<Incoming>, Response = Response<B>> + Send + 'static,
    S::Future: Send + 'static,
    S::Error: Into<BoxError>,
    B: Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<BoxError>,
{
    pub(crate) fn new(builder: Builder, listener: L, make: MakeService<L::Addr, S>) -> Self {
        Serve {
            builder,
            listener,
            make,
        }
    }

    /// Serves until `signal` completes, then shuts down gracefully: stops accepting, closes idle
    /// connections at once, lets requests in flight finish (their responses say
    /// `Connection: close` when not started yet), and aborts the connections still open after
    /// the grace period ([`Builder::shutdown_grace`]). Resolves when every connection is gone.
    pub fn with_graceful_shutdown<F>(self, signal: F) -> impl Future<Output = io::Result<()>> + Send
    where
        F: Future<Output = ()> + Send + 'static,
    {
        run(self, Some(signal))
    }
}

impl<L, S, B> IntoFuture for Serve<L, S>
where
    L: Listener,
    S: Service<Request<Incoming>, Response = Response<B>> + Send + 'static,
    S::Future: Send + 'static,
    S::Error: Into<BoxError>,
    B: Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<BoxError>,
{
    type Output = io::Result<()>;
    type IntoFuture = Pin<Box<dyn Future<Output = io::Result<()>> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(run(self, None::<std::future::Pending<()>>))
    }
}

/// Accept errors that concern one connection only (it was reset before it was accepted): accept
/// the next one at once.
fn connection_error(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused | io::ErrorKind::ConnectionAborted | io::ErrorKind::ConnectionReset
    )
}

/// First and longest pause after an accept error that concerns the process (out of file
/// descriptors, out of memory): the loop waits, doubling up to the longest, instead of spinning.
pub(crate) const BACKOFF_FIRST: Duration = Duration::from_millis(5);
pub(crate) const BACKOFF_MAX: Duration = Duration::from_secs(1);

async fn run<L, S, B, F>(serve: Serve<L, S>, signal: Option<F>) -> io::Result<()>
where
    L: Listener,
    S: Service<Request<Incoming>, Response = Response<B>> + Send + 'static,
    S::Future: Send + 'static,
    S::Error: Into<BoxError>,
    B: Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<BoxError>,
    F: Future<Output = ()> + Send,
{
    let Serve {
        builder,
        mut listener,
        mut make,
    } = serve;
    let signal = async move {
        match signal {
            Some(s) => s.await,
            None => std::future::pending().await,
        }
    };
    let mut signal = std::pin::pin!(signal);
    let (phase_tx, phase_rx) = watch::channel(Phase::Running);
    let limit = Arc::new(Semaphore::new(
        builder.max_connections.min(Semaphore::MAX_PERMITS),
    ));
    let mut backoff = Duration::ZERO;
    loop {
        let permit = tokio::select! {
            p = Arc::clone(&limit).acquire_owned() => p.expect("the semaphore is never closed"),
            () = &mut signal => break,
        };
        let accepted = tokio::select! {
            r = listener.accept() => r,
            () = &mut signal => break,
        };
        let (io, addr) = match accepted {
            Ok(a) => {
                backoff = Duration::ZERO;
                a
            }
            Err(e) if connection_error(&e) => continue,
            Err(_) => {
                backoff = (backoff * 2).clamp(BACKOFF_FIRST, BACKOFF_MAX);
                tokio::select! {
                    () = tokio::time::sleep(backoff) => continue,
                    () = &mut signal => break,
                }
            }
        };
        let conn = builder.serve_connection(io, make(&addr));
        tokio::spawn(drive(conn, phase_rx.clone(), permit));
    }
    drop(listener);
    drop(phase_rx);
    let _ = phase_tx.send(Phase::Draining);
    if tokio::time::timeout(builder.grace, phase_tx.closed())
        .await
        .is_err()
    {
        let _ = phase_tx.send(Phase::Abort);
        phase_tx.closed().await;
    }
    Ok(())
}

/// Waits until the server's phase satisfies `f`; forever when the server future was dropped
/// (its connections then run on by themselves).
async fn phase(rx: &mut watch::Receiver<Phase>, f: impl FnMut(&Phase) -> bool) {
    if rx.wait_for(f).await.is_err() {
        std::future::pending::<()>().await;
    }
}

/// One connection task: serve, shut down gracefully when the server drains, stop when it aborts.
async fn drive<IO, S, B>(
    mut conn: ServeConnection<IO, S, B>,
    rx: watch::Receiver<Phase>,
    permit: OwnedSemaphorePermit,
) where
    IO: AsyncRead + AsyncWrite + Unpin,
    S: Service<Request<Incoming>, Response = Response<B>>,
    S::Error: Into<BoxError>,
    B: Body,
    B::Error: Into<BoxError>,
{
    let _permit = permit;
    if until_phase(&mut conn, rx.clone(), |p| *p != Phase::Running).await {
        conn.graceful_shutdown();
        until_phase(&mut conn, rx, |p| *p == Phase::Abort).await;
    }
}

/// Serves `conn` until it ends (false) or the server's phase satisfies `f` (true).
///
/// The phase is looked at first on every wake-up, so once the server drains no response started
/// after that point goes out without `Connection: close`. Its wait is polled once to register the
/// task's waker and after that only when the phase changed (a version check): the registration
/// stays while the wait is pending, and this task is the only one that polls it.
async fn until_phase<IO, S, B>(
    conn: &mut ServeConnection<IO, S, B>,
    mut rx: watch::Receiver<Phase>,
    f: impl FnMut(&Phase) -> bool,
) -> bool
where
    IO: AsyncRead + AsyncWrite + Unpin,
    S: Service<Request<Incoming>, Response = Response<B>>,
    S::Error: Into<BoxError>,
    B: Body,
    B::Error: Into<BoxError>,
{
    let seen = rx.clone();
    let mut wait = std::pin::pin!(phase(&mut rx, f));
    let mut registered = false;
    std::future::poll_fn(|cx| {
        if !registered || seen.has_changed().unwrap_or(true) {
            registered = true;
            if wait.as_mut().poll(cx).is_ready() {
                return Poll::Ready(true);
            }
        }
        Pin::new(&mut *conn).poll(cx).map(|_| false)
    })
    .await
}
