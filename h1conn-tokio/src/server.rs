//! The accept loop: a connection limit, accept errors survived with back-off, one task per
//! connection, and graceful shutdown.

use std::future::{Future, IntoFuture};
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::Poll;
use std::time::Duration;

use http::{Request, Response};
use http_body::Body;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::Notify;
use tower_service::Service;

use crate::conn::GracefulEnd;
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
    /// Sets what the accepted connections inherit. [`Builder::serve`](crate::Builder::serve) and
    /// [`Builder::serve_with`](crate::Builder::serve_with) call it once, when they are given the
    /// listener; a connection whose handshake completed before does not have it. The default
    /// does nothing.
    fn prepare(&mut self) {}
    /// True when dropping a transport closes it completely, as for a plain socket, whose close
    /// sends the FIN itself: a graceful close then drops it without a shutdown first (one system
    /// call less per connection). False (the default) for a transport with a closing message of
    /// its own, such as TLS's close_notify, which `poll_shutdown` sends.
    const CLOSED_BY_DROP: bool = false;
}

/// On Linux, the most output a TCP connection leaves unsent in the kernel (`TCP_NOTSENT_LOWAT`):
/// its socket counts as writable again as soon as less than this waits there. Without it Linux
/// says so only once a third of the send buffer is free, which on a connection whose buffer has
/// grown to megabytes takes seconds for a client that reads at a modest steady pace, and the send
/// timeout would blame that client for the kernel's silence. Sent but unacknowledged bytes do not
/// count: throughput is not capped.
#[cfg(any(target_os = "linux", target_os = "android"))]
pub(crate) const NOTSENT_LOWAT: u32 = 128 * 1024;

impl Listener for tokio::net::TcpListener {
    type Io = tokio::net::TcpStream;
    type Addr = SocketAddr;
    const CLOSED_BY_DROP: bool = true;
    /// On Linux, sets `TCP_NOTSENT_LOWAT` (128 KiB: the socket is writable again as soon as less
    /// than that waits unsent, so output to a client that reads at a steady pace shows progress
    /// to the send timeout) on the listening socket, which Linux gives every accepted socket.
    fn prepare(&mut self) {
        #[cfg(any(target_os = "linux", target_os = "android"))]
        {
            let _ = socket2::SockRef::from(&*self).set_tcp_notsent_lowat(NOTSENT_LOWAT);
        }
    }
    async fn accept(&mut self) -> io::Result<(Self::Io, SocketAddr)> {
        let (s, a) = tokio::net::TcpListener::accept(self).await?;
        // Responses leave as soon as they are written (the connection batches them itself). Set
        // on each connection: one accepted before `prepare` would not have it from the listener.
        let _ = s.set_nodelay(true);
        Ok((s, a))
    }
}

#[cfg(unix)]
impl Listener for tokio::net::UnixListener {
    type Io = tokio::net::UnixStream;
    type Addr = tokio::net::unix::SocketAddr;
    const CLOSED_BY_DROP: bool = true;
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
    Running = 0,
    Draining = 1,
    Abort = 2,
}

/// What the accept loop shares with its connection tasks: the server's phase (read with one load
/// on each wake-up of a task), a wake-up for the tasks when it changes, and the number of tasks
/// still running, with a wake-up for the accept loop when one ends at the connection limit and
/// one when the last one ends.
struct Shared {
    phase: AtomicU8,
    changed: Notify,
    live: AtomicUsize,
    /// The connection limit: the accept loop waits while `live` is at it.
    max: usize,
    freed: Notify,
    ended: Notify,
}

impl Shared {
    fn new(max: usize) -> Shared {
        Shared {
            phase: AtomicU8::new(Phase::Running as u8),
            changed: Notify::new(),
            live: AtomicUsize::new(0),
            max,
            freed: Notify::new(),
            ended: Notify::new(),
        }
    }

    fn phase(&self) -> Phase {
        match self.phase.load(Ordering::Acquire) {
            0 => Phase::Running,
            1 => Phase::Draining,
            _ => Phase::Abort,
        }
    }

    /// Moves to `phase` and wakes every connection task.
    fn set(&self, phase: Phase) {
        self.phase.store(phase as u8, Ordering::Release);
        self.changed.notify_waiters();
    }

    /// Waits until fewer connection tasks than the limit run. False when `signal` came first.
    async fn below_limit(&self, signal: Pin<&mut impl Future<Output = ()>>) -> bool {
        let mut signal = signal;
        while self.live.load(Ordering::Acquire) >= self.max {
            let freed = self.freed.notified();
            let mut freed = std::pin::pin!(freed);
            // Registered before the count is read again, so a task ending in between is not
            // missed.
            freed.as_mut().enable();
            if self.live.load(Ordering::Acquire) < self.max {
                break;
            }
            tokio::select! {
                biased;
                () = signal.as_mut() => return false,
                () = freed => {}
            }
        }
        true
    }

    /// Waits until no connection task is left.
    async fn all_ended(&self) {
        loop {
            let ended = self.ended.notified();
            let mut ended = std::pin::pin!(ended);
            // Registered before the count is read, so the last task's wake-up is not missed.
            ended.as_mut().enable();
            if self.live.load(Ordering::Acquire) == 0 {
                return;
            }
            ended.await;
        }
    }
}

/// A running connection task, counted in `Shared::live` until it ends: against the connection
/// limit and in the server's wait for its tasks.
struct Live(Arc<Shared>);

impl Live {
    fn new(shared: &Arc<Shared>) -> Live {
        shared.live.fetch_add(1, Ordering::AcqRel);
        Live(Arc::clone(shared))
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        let before = self.0.live.fetch_sub(1, Ordering::AcqRel);
        if before == self.0.max {
            self.0.freed.notify_one();
        }
        if before == 1 {
            self.0.ended.notify_waiters();
        }
    }
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
    pub(crate) fn new(builder: Builder, mut listener: L, make: MakeService<L::Addr, S>) -> Self {
        // Now, not when the future first runs: the sooner, the fewer connections complete their
        // handshake (and take the listener's options) before.
        listener.prepare();
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
    let shared = Arc::new(Shared::new(builder.max_connections));
    let mut backoff = Duration::ZERO;
    loop {
        if !shared.below_limit(signal.as_mut()).await {
            break;
        }
        // Biased: the signal is looked at first, without drawing a random branch order.
        let accepted = tokio::select! {
            biased;
            () = &mut signal => break,
            r = listener.accept() => r,
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
                    biased;
                    () = &mut signal => break,
                    () = tokio::time::sleep(backoff) => continue,
                }
            }
        };
        let end = match L::CLOSED_BY_DROP {
            true => GracefulEnd::Drop,
            false => GracefulEnd::Shutdown,
        };
        let conn = builder.serve_connection(io, make(&addr)).graceful_end(end);
        tokio::spawn(drive(conn, Live::new(&shared)));
    }
    drop(listener);
    shared.set(Phase::Draining);
    if tokio::time::timeout(builder.grace, shared.all_ended())
        .await
        .is_err()
    {
        shared.set(Phase::Abort);
        shared.all_ended().await;
    }
    Ok(())
}

/// One connection task: serve, shut down gracefully when the server drains, stop when it aborts.
///
/// A plain function returning an `async move` block, not an `async fn`: an `async fn` keeps its
/// arguments in its future and moves them into locals of the same future, which would hold the
/// connection twice in every task (clippy's `manual_async_fn` would have it the other way).
///
/// The connection is boxed once here: spawning moves the task's future several times (into the
/// task's cell, and from stage to stage), and a future that holds a pointer to the connection
/// instead of the connection itself (several hundred bytes) makes each move a few words.
#[allow(clippy::manual_async_fn)]
fn drive<IO, S, B>(conn: ServeConnection<IO, S, B>, live: Live) -> impl Future<Output = ()>
where
    IO: AsyncRead + AsyncWrite + Unpin,
    S: Service<Request<Incoming>, Response = Response<B>>,
    S::Error: Into<BoxError>,
    B: Body,
    B::Error: Into<BoxError>,
{
    let mut conn = Box::new(conn);
    async move {
        // Held until the task ends: it counts against the connection limit and in the server's
        // wait for its tasks.
        let shared = &*live.0;
        if until_phase(&mut conn, shared, |p| p != Phase::Running).await {
            conn.graceful_shutdown();
            until_phase(&mut conn, shared, |p| p == Phase::Abort).await;
        }
    }
}

/// Serves `conn` until it ends (false) or the server's phase satisfies `f` (true).
///
/// The phase is read first on every wake-up, so once the server drains no response started after
/// that point goes out without `Connection: close`. A change of phase wakes the task through a
/// `Notified` made before the phase is first read: `notify_waiters` reaches it from its creation,
/// polled or not. It is polled (which takes the waiters' lock and registers this task's waker)
/// only once the connection waits, and once: only this task polls it, and it stays registered
/// until the phase changes. A connection served within its first poll (one request per
/// connection) never registers. A change that does not satisfy `f` starts over with a new one.
async fn until_phase<IO, S, B>(
    conn: &mut ServeConnection<IO, S, B>,
    shared: &Shared,
    f: impl Fn(Phase) -> bool,
) -> bool
where
    IO: AsyncRead + AsyncWrite + Unpin,
    S: Service<Request<Incoming>, Response = Response<B>>,
    S::Error: Into<BoxError>,
    B: Body,
    B::Error: Into<BoxError>,
{
    loop {
        let changed = shared.changed.notified();
        let mut changed = std::pin::pin!(changed);
        let seen = shared.phase();
        let mut registered = false;
        let outcome = std::future::poll_fn(|cx| {
            let phase = shared.phase();
            if f(phase) {
                return Poll::Ready(Some(true));
            }
            if Pin::new(&mut *conn).poll(cx).is_ready() {
                return Poll::Ready(Some(false));
            }
            if !registered || phase != seen {
                registered = true;
                if changed.as_mut().poll(cx).is_ready() {
                    return Poll::Ready(None);
                }
            }
            Poll::Pending
        })
        .await;
        if let Some(reached) = outcome {
            return reached;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::convert::Infallible;
    use std::task::Context;

    /// A service answering every request with an empty body.
    struct Empty;

    impl Service<Request<Incoming>> for Empty {
        type Response = Response<http_body_util::Empty<bytes::Bytes>>;
        type Error = Infallible;
        type Future = std::future::Ready<Result<Self::Response, Infallible>>;
        fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
            Poll::Ready(Ok(()))
        }
        fn call(&mut self, _: Request<Incoming>) -> Self::Future {
            std::future::ready(Ok(Response::new(http_body_util::Empty::new())))
        }
    }

    /// Memory per connection and the cost of spawning: a connection task holds its connection
    /// once, behind a pointer, plus a little for the phase. Its future stays a few words however
    /// large the connection is, so the moves of spawning stay cheap (an `async fn` holding the
    /// connection as an argument and as a local held it twice, inline).
    #[tokio::test]
    async fn a_connection_task_holds_its_connection_once_behind_a_pointer() {
        let (io, _client) = tokio::io::duplex(64);
        let conn = Builder::new().serve_connection(io, Empty);
        let own = std::mem::size_of_val(&conn);
        let shared = Arc::new(Shared::new(1));
        let task = drive(conn, Live::new(&shared));
        let size = std::mem::size_of_val(&task);
        assert!(
            size <= 256 && size < own,
            "task {size} B for a connection of {own} B"
        );
    }
}
