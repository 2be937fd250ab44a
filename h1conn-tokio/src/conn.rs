//! One connection: [`ServeConnection`] drives an `h1conn::Connection` over any
//! `AsyncRead + AsyncWrite` transport and runs a service for each request.
//!
//! Every turn of [`ServeConnection::poll`] follows h1conn's driving contract: refresh `Date`, offer
//! pending input, hand events to the request body and the service, move response body frames into
//! the connection while its output is below `output_high_water`, write `transmit()`, act on
//! `poll_close()`, read only while `wants_read()`, and sleep until `poll_timeout()`.

use std::future::Future;
use std::io;
use std::mem::MaybeUninit;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use bytes::{Buf, Bytes};
use h1conn::{BodyFraming, CloseHow, Connection, Event, FieldCache, HttpResponseHead, ResponseFraming};
use http::{HeaderMap, HeaderName, HeaderValue, Request, Response};
use http_body::Body;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::{Instant, Sleep};
use tower_service::Service;

use crate::body::{BodyError, BodySender, Incoming};
use crate::BoxError;

/// Bytes read from the transport in one call (a buffer on the stack: a connection holds no read
/// buffer of its own between reads).
const READ_CHUNK: usize = 16 * 1024;

/// The largest field map (in fields it holds without growing) kept from a response for the next
/// request: a larger one is dropped, so a connection never keeps more than it usually needs.
const KEPT_FIELDS_MAX: usize = 24;

/// How old the `Date` a response carries may be.
const DATE_REFRESH: Duration = Duration::from_millis(250);

/// The clock h1conn runs on: `now` is the time since `origin`, on tokio's clock (so tests may
/// pause it).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Clock {
    pub(crate) origin: Instant,
}

impl Clock {
    pub(crate) fn now(&self) -> Duration {
        Instant::now().saturating_duration_since(self.origin)
    }
    fn at(&self, d: Duration) -> Instant {
        self.origin + d
    }
}

/// Where shutting down the transport's writing side stands, once the connection closes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shut {
    /// Not asked yet.
    Open,
    /// Asked, and the transport is not done: given up at `by` (the connection's clock).
    Pending { by: Duration },
    /// Done (or failed: nothing more is written either way).
    Done,
}

/// How a graceful close ends the transport.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum GracefulEnd {
    /// `poll_shutdown`, then drop: a closing message of the transport's own (TLS close_notify)
    /// goes out first. Any transport.
    Shutdown,
    /// Drop alone: a plain socket, whose close sends the FIN itself. A shutdown just before it
    /// would be a system call that changes nothing the peer sees (input left unread gets a reset
    /// either way).
    Drop,
}

/// Where the current request's service call stands. Small: the connection (and so its task)
/// holds it inline, while what only some exchanges need is boxed.
enum Exchange {
    /// No request waiting for the service.
    Idle,
    /// A request waiting for the service to be ready (a service that is ready at once is called
    /// at once, without this box).
    Ready(Box<Request<Incoming>>),
    /// The service is producing the response (the future is in `ServeConnection::call`).
    Calling,
    /// The response head is sent; its body (in `ServeConnection::resp_body`) is being moved into
    /// the connection, with the trailers it gave so far.
    Body(Option<Box<HeaderMap>>),
}

/// What polling a response body for its next frame gives.
type Polled<B> = Poll<Option<Result<http_body::Frame<<B as Body>::Data>, <B as Body>::Error>>>;

/// A pinned place for one value at a time, allocated once and reused (`Pin::set`): a service
/// future or a response body, neither of which may move once polled.
type Slot<T> = Option<Pin<Box<Option<T>>>>;

/// Puts `value` in `slot`, allocating the place the first time.
fn fill<T>(slot: &mut Slot<T>, value: T) -> Pin<&mut T> {
    let place = slot.get_or_insert_with(|| Box::pin(None));
    place.set(Some(value));
    place
        .as_mut()
        .as_pin_mut()
        .expect("a slot just filled holds its value")
}

/// The value in `slot`, if any.
fn held<T>(slot: &mut Slot<T>) -> Option<Pin<&mut T>> {
    slot.as_mut().and_then(|p| p.as_mut().as_pin_mut())
}

/// Drops the value in `slot`, keeping the place.
fn empty<T>(slot: &mut Slot<T>) {
    if let Some(p) = slot {
        p.set(None);
    }
}

/// A future serving HTTP/1.x on one transport until the connection closes.
///
/// Requests are served one at a time in order (pipelined requests wait in the connection, bounded
/// by its `max_pipelined` / `max_buffered`). It resolves `Ok` when the connection closed as h1conn
/// decided (keep-alive ended, a timer fired, the client left) and `Err` with the transport's error
/// when reading or writing failed.
///
/// A graceful close shuts the transport's writing side down (a FIN for TCP, close_notify for
/// TLS). A shutdown that waits on the peer (a TLS peer that never finished its handshake or does
/// not read) is output that makes no progress: after the send timeout (`Config::timeouts.send`)
/// the future resolves `Ok` and the transport is dropped.
///
/// Create it with [`Builder::serve_connection`](crate::Builder::serve_connection).
pub struct ServeConnection<IO, S, B>
where
    S: Service<Request<Incoming>>,
{
    io: IO,
    conn: Tracked,
    svc: S,
    clock: Clock,
    /// Input read but not taken by the connection yet (its buffer was full). Empty, and without an
    /// allocation, almost always.
    pending: Vec<u8>,
    input_open: bool,
    graceful: GracefulEnd,
    shut: Shut,
    flush_needed: bool,
    /// Made when a deadline is first armed: a connection that ends within its first wake-up (one
    /// request, `Connection: close`) never needs one.
    sleep: Option<Pin<Box<Sleep>>>,
    armed: Option<Duration>,
    /// The waker the armed sleep was last polled with. While the same task polls and the armed
    /// instant is still ahead, the sleep keeps that waker registered and is not polled again.
    sleep_waker: Option<Waker>,
    exchange: Exchange,
    /// The service future of the current request. The place is reused from request to request,
    /// so a request allocates no box for it; it is given back with the idle memory.
    call: Slot<S::Future>,
    /// The response body being sent; reused like `call`.
    resp_body: Slot<B>,
    /// The emptied field map of the last response, to hold the next request's fields (as hyper
    /// does): a request in steady keep-alive allocates no map, unless it gets a copy of a kept
    /// one (`fields`). Given back with the idle memory.
    headers: Option<HeaderMap>,
    /// The field lines of the last request and the maps of field sections that came again, to
    /// convert the next request's repeated lines or section cheaply (from the second request
    /// on: a connection that serves one request never makes it). Given
    /// back with the idle memory.
    fields: Option<Box<FieldCache>>,
    body: Option<BodySender>,
    continue_pending: bool,
    /// The current request is HTTP/1.1: a response can be chunked, and so carry trailers.
    chunked_ok: bool,
    error: Option<io::Error>,
    /// The time of the current wake-up (read once per `poll`: a wake-up takes microseconds).
    now: Duration,
    /// When `Date` was last refreshed, on the connection's clock.
    date_at: Option<Duration>,
    /// The transport answered `Pending` to a read in this wake-up: the waker is registered, and
    /// asking again before the next wake-up would only find it not ready again.
    read_blocked: bool,
    /// The memory after the first response was given back (see `release_after_first`).
    first_released: bool,
}

/// The connection, and whether its events are drained: [`Connection::poll_event`] said `None`
/// and no call has changed the connection since, so it would say `None` again (the machine is
/// pure: the same state gives the same answer). Every `&mut` access goes through `DerefMut`, which
/// forgets the drained mark, so no call can be missed; the loop then asks for events only when one
/// may have come.
struct Tracked {
    conn: Connection,
    drained: bool,
}

impl Tracked {
    // Inlined into the loop: the event is not copied once more on its way through here.
    #[inline]
    fn poll_event(&mut self) -> Option<Event> {
        if self.drained {
            return None;
        }
        let ev = self.conn.poll_event();
        self.drained = ev.is_none();
        ev
    }
}

impl std::ops::Deref for Tracked {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        &self.conn
    }
}

impl std::ops::DerefMut for Tracked {
    fn deref_mut(&mut self) -> &mut Connection {
        self.drained = false;
        &mut self.conn
    }
}

// No field is ever pinned in place: the service future and the response body are boxed, and the
// service itself is only called through `&mut`.
impl<IO: Unpin, S: Service<Request<Incoming>>, B> Unpin for ServeConnection<IO, S, B> {}

impl<IO, S, B> std::fmt::Debug for ServeConnection<IO, S, B>
where
    S: Service<Request<Incoming>>,
{
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServeConnection")
            .field("conn", &self.conn.conn)
            .finish_non_exhaustive()
    }
}

impl<IO, S, B> ServeConnection<IO, S, B>
where
    IO: AsyncRead + AsyncWrite + Unpin,
    S: Service<Request<Incoming>, Response = Response<B>>,
    S::Error: Into<BoxError>,
    B: Body,
    B::Error: Into<BoxError>,
{
    /// Sets how a graceful close ends the transport (by default with a shutdown).
    pub(crate) fn graceful_end(mut self, end: GracefulEnd) -> Self {
        self.graceful = end;
        self
    }

    pub(crate) fn new(io: IO, svc: S, conn: Connection, clock: Clock) -> Self {
        ServeConnection {
            io,
            conn: Tracked { conn, drained: false },
            svc,
            clock,
            pending: Vec::new(),
            input_open: true,
            graceful: GracefulEnd::Shutdown,
            shut: Shut::Open,
            flush_needed: false,
            sleep: None,
            armed: None,
            sleep_waker: None,
            exchange: Exchange::Idle,
            call: None,
            resp_body: None,
            headers: None,
            fields: None,
            body: None,
            continue_pending: false,
            chunked_ok: false,
            error: None,
            now: Duration::ZERO,
            date_at: None,
            read_blocked: false,
            first_released: false,
        }
    }

    /// Starts a graceful shutdown of this connection: no new request is started, a response under
    /// way finishes (with `Connection: close` when its head is not sent yet), an idle connection
    /// closes at once. Keep polling the future until it resolves.
    pub fn graceful_shutdown(&mut self) {
        self.conn.shutdown(self.clock.now());
    }

    /// The h1conn connection, to look at its state (persistence, requests served, memory).
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// Heap bytes this connection holds beyond its own size: the h1conn connection's (see
    /// [`Connection::heap_bytes`]), input read but not taken yet, the timer, the places of the
    /// service future and the response body, the field map kept for the next request (counted
    /// as its capacity in names and values; these three are kept from one request to the next),
    /// and the field cache (`FieldCache::heap_bytes`). Between requests only the
    /// timer (made when a deadline is first armed) remains once the connection released its
    /// buffers (`Config::release_idle_after`).
    pub fn heap_bytes(&self) -> usize {
        fn place<T>(slot: &Slot<T>) -> usize {
            slot.as_ref().map_or(0, |_| std::mem::size_of::<Option<T>>())
        }
        self.conn.heap_bytes()
            + self.pending.capacity()
            + self.sleep.as_ref().map_or(0, |_| std::mem::size_of::<Sleep>())
            + place(&self.call)
            + place(&self.resp_body)
            + self.headers.as_ref().map_or(0, |h| {
                h.capacity() * (std::mem::size_of::<HeaderName>() + std::mem::size_of::<HeaderValue>())
            })
            + self
                .fields
                .as_ref()
                .map_or(0, |f| std::mem::size_of::<FieldCache>() + f.heap_bytes())
    }

    /// The time of the current wake-up.
    fn now(&self) -> Duration {
        self.now
    }

    /// Starts a wake-up: reads the clock once, and refreshes `Date` when a quarter of a second
    /// passed since it was last read (RFC 9110 §6.6.1: the best available approximation; the
    /// wall clock is read then, not on every wake-up).
    fn wake_up(&mut self) {
        self.now = self.clock.now();
        self.read_blocked = false;
        if self
            .date_at
            .is_none_or(|at| self.now.saturating_sub(at) >= DATE_REFRESH)
        {
            self.date_at = Some(self.now);
            self.conn.set_date(h1conn::http_date_now());
        }
    }

    /// One turn: true when something moved.
    fn turn(&mut self, cx: &mut Context<'_>) -> bool {
        let mut progress = false;
        progress |= self.offer_pending();
        progress |= self.events(cx);
        progress |= self.service(cx);
        progress |= self.response_body(cx);
        progress |= self.write(cx);
        progress
    }

    /// Offers input the connection did not take yet.
    fn offer_pending(&mut self) -> bool {
        if self.pending.is_empty() {
            return false;
        }
        let now = self.now();
        let took = self.conn.handle_input(&self.pending, now);
        self.pending.drain(..took);
        if self.pending.is_empty() {
            self.pending = Vec::new();
        }
        took > 0
    }

    /// Drains events while the request body (if one is being read) has room.
    fn events(&mut self, cx: &mut Context<'_>) -> bool {
        let mut progress = false;
        loop {
            if let Some(tx) = &self.body {
                let d = tx.demand(cx);
                if d.wanted && self.continue_pending {
                    self.continue_pending = false;
                    let now = self.now();
                    let _ = self.conn.accept_body(now);
                    progress = true;
                }
                if !d.room {
                    return progress;
                }
            }
            let Some(ev) = self.conn.poll_event() else {
                return progress;
            };
            progress = true;
            self.on_event(ev, cx);
        }
    }

    fn on_event(&mut self, ev: Event, cx: &mut Context<'_>) {
        match ev {
            Event::Request(req) => {
                let map = self.headers.take().unwrap_or_default();
                let parts = match self.conn.requests_served() {
                    0 => req.head.to_http_parts_in(map),
                    _ => req
                        .head
                        .to_http_parts_cached(map, self.fields.get_or_insert_with(Box::default)),
                };
                let parts = match parts {
                    Ok(p) => p,
                    Err(_) => return self.fail_exchange(400, b"bad request\n"),
                };
                let body = match req.framing {
                    BodyFraming::None => Incoming::empty(),
                    BodyFraming::Length(n) => self.body_channel(Some(n)),
                    BodyFraming::Chunked => self.body_channel(None),
                };
                self.continue_pending = req.expects_continue;
                self.chunked_ok = req.head.version() == h1conn::Version::Http11;
                let req = Request::from_parts(parts, body);
                match self.svc.poll_ready(cx) {
                    Poll::Ready(ready) => self.dispatch(ready, req),
                    Poll::Pending => self.exchange = Exchange::Ready(Box::new(req)),
                }
            }
            Event::Data(b) => {
                if let Some(tx) = &self.body {
                    tx.send(b);
                }
            }
            Event::End(trailers) => {
                if let Some(tx) = self.body.take() {
                    tx.finish(trailers.map(|t| header_map(t.fields())));
                }
                self.continue_pending = false;
            }
            Event::Discarded => {
                if let Some(tx) = self.body.take() {
                    tx.fail(BodyError::Discarded);
                }
                self.continue_pending = false;
            }
            Event::Error(e) => {
                if let Some(tx) = self.body.take() {
                    tx.fail(BodyError::Peer(e));
                }
                self.continue_pending = false;
                // Without a response under way the connection has queued its own answer; a
                // response under way cannot be completed.
                if let Exchange::Body(..) = self.exchange {
                    let now = self.now();
                    let _ = self.conn.abort_response(now);
                }
                self.set_idle();
            }
            // This server never switches protocols: a 101 or a 2xx to CONNECT from the service
            // hands the connection over, and it closes.
            Event::Upgrade(_) => {
                self.set_idle();
                self.conn.handle_write_failed();
            }
        }
    }

    /// Ends the current exchange: the service future and the response body are dropped, their
    /// places kept for the next request.
    fn set_idle(&mut self) {
        self.exchange = Exchange::Idle;
        empty(&mut self.call);
        empty(&mut self.resp_body);
    }

    fn body_channel(&mut self, length: Option<u64>) -> Incoming {
        let (body, tx) = Incoming::channel(length);
        self.body = Some(tx);
        body
    }

    /// Calls the service with `req` once it said it is ready, or answers 503 when it failed.
    fn dispatch(&mut self, ready: Result<(), S::Error>, req: Request<Incoming>) {
        match ready {
            Ok(()) => {
                fill(&mut self.call, self.svc.call(req));
                self.exchange = Exchange::Calling;
            }
            Err(_) => self.fail_exchange(503, b"service unavailable\n"),
        }
    }

    /// Polls the readiness of a service that was not ready for the request, calls it, and polls
    /// its response future.
    fn service(&mut self, cx: &mut Context<'_>) -> bool {
        let mut progress = false;
        if let Exchange::Ready(_) = self.exchange {
            let Poll::Ready(ready) = self.svc.poll_ready(cx) else {
                return false;
            };
            let Exchange::Ready(req) = std::mem::replace(&mut self.exchange, Exchange::Idle) else {
                unreachable!()
            };
            self.dispatch(ready, *req);
            progress = true;
        }
        if let Exchange::Calling = self.exchange {
            let Some(fut) = held(&mut self.call) else {
                unreachable!("a call under way has its future")
            };
            let answer = fut.poll(cx);
            if answer.is_ready() {
                empty(&mut self.call);
            }
            match answer {
                Poll::Pending => {}
                Poll::Ready(Err(_)) => {
                    self.fail_exchange(500, b"internal server error\n");
                    progress = true;
                }
                Poll::Ready(Ok(resp)) => {
                    self.start_response(resp, cx);
                    progress = true;
                }
            }
        }
        progress
    }

    /// Sends the service's response, then keeps its emptied field map for the next request.
    fn start_response(&mut self, resp: Response<B>, cx: &mut Context<'_>) {
        let (parts, body) = resp.into_parts();
        self.send_head(&parts, body, cx);
        if self.headers.is_none() && (1..=KEPT_FIELDS_MAX).contains(&parts.headers.capacity()) {
            // Emptied now: the response's values (which may share larger buffers) are let go at
            // once, not when the next request comes.
            let mut headers = parts.headers;
            headers.clear();
            self.headers = Some(headers);
        }
    }

    fn send_head(&mut self, parts: &http::response::Parts, body: B, cx: &mut Context<'_>) {
        self.set_idle();
        let now = self.now();
        // A body polled while the response was being made is wanted: `100 Continue` goes first
        // (after the head it could not, and the body would never come, RFC 9110 §10.1.1).
        if self.continue_pending && self.body.as_ref().is_some_and(BodySender::wanted) {
            self.continue_pending = false;
            let _ = self.conn.accept_body(now);
        }
        let mut head = match HttpResponseHead::new(parts) {
            Ok(h) => h,
            // A head the connection cannot honour (a Keep-Alive field, a transfer coding): a
            // bug in the service, answered as one.
            Err(_) => return self.fail_exchange(500, b"internal server error\n"),
        };
        // A response that announces trailers goes chunked to an HTTP/1.1 client even when its
        // body's size is known: a Content-Length body could not carry them (RFC 9112 §7.1.2).
        let exact = body
            .size_hint()
            .exact()
            .filter(|_| !(self.chunked_ok && head.announces_trailers()));
        if head.length().is_none() {
            if let Some(n) = exact {
                let _ = head.set_length(n);
            }
        }
        let mut body = fill(&mut self.resp_body, body);
        // A body of known size that comes whole in its first frame goes out with the head in one
        // call. Any other first frame is handed on after the head.
        let mut first = None;
        if exact.is_some_and(|n| n > 0) {
            let polled = body.as_mut().poll_frame(cx);
            if let Poll::Ready(Some(Ok(frame))) = &polled {
                let whole = frame
                    .data_ref()
                    .filter(|d| Some(d.chunk().len() as u64) == exact && body.is_end_stream());
                if let Some(data) = whole {
                    match self.conn.send_http_full(&head, data.chunk(), now) {
                        Ok(()) => return self.set_idle(),
                        // A response without content (to HEAD, a 204, a 304), or a length of
                        // the service's own that the body does not have: the general way below
                        // (the head alone, or the response cut short where the length is wrong).
                        Err(h1conn::UsageError::BodyNotAllowed | h1conn::UsageError::LengthMismatch) => {}
                        Err(h1conn::UsageError::InvalidHeader | h1conn::UsageError::InvalidStatus) => {
                            return self.fail_exchange(500, b"internal server error\n")
                        }
                        // The connection is closing or closed: nothing to send.
                        Err(_) => return self.set_idle(),
                    }
                }
            }
            first = Some(polled);
        }
        let ended = body.is_end_stream();
        match self.conn.send_http_response(&head, now) {
            Ok(ResponseFraming::NoBody { .. }) => {
                let _ = self.conn.finish(now);
                self.set_idle();
            }
            Ok(_) if ended && first.is_none() => {
                let _ = self.conn.finish(now);
                self.set_idle();
            }
            Ok(_) => {
                self.exchange = Exchange::Body(None);
                if let Some(polled) = first.filter(Poll::is_ready) {
                    self.body_polled(polled);
                }
            }
            Err(h1conn::UsageError::InvalidHeader | h1conn::UsageError::InvalidStatus) => {
                self.fail_exchange(500, b"internal server error\n")
            }
            // The connection is closing or closed (a timer, the peer's error): nothing to send.
            Err(_) => self.set_idle(),
        }
    }

    /// Answers the current request with a short error of the server's own, and closes after it.
    fn fail_exchange(&mut self, status: u16, text: &[u8]) {
        self.set_idle();
        let resp = h1conn::Response::new(status)
            .headers(&[("content-type", b"text/plain")])
            .close();
        let now = self.now();
        if self.conn.send_full(&resp, text, now).is_err() {
            // A response was under way already: it cannot be completed.
            if self.conn.abort_response(now).is_err() {
                self.conn.handle_write_failed();
            }
        }
    }

    /// Moves response body frames into the connection while its output is below the high-water
    /// mark.
    fn response_body(&mut self, cx: &mut Context<'_>) -> bool {
        let mut progress = false;
        let high_water = self.conn.config().output_high_water;
        while let Exchange::Body(_) = self.exchange {
            if self.conn.transmit().len() >= high_water || self.conn.poll_close().is_some() {
                return progress;
            }
            let Some(body) = held(&mut self.resp_body) else {
                unreachable!("a body under way is in its place")
            };
            let polled = body.poll_frame(cx);
            if polled.is_pending() {
                return progress;
            }
            progress = true;
            self.body_polled(polled);
        }
        progress
    }

    /// Acts on what the response body gave: data into the connection, trailers kept for the end,
    /// the end (with the trailers), or an error (the response is cut short).
    fn body_polled(&mut self, polled: Polled<B>) {
        let now = self.now;
        let Exchange::Body(trailers) = &mut self.exchange else {
            return;
        };
        match polled {
            Poll::Pending => {}
            Poll::Ready(Some(Ok(frame))) => match frame.into_data() {
                Ok(mut data) => {
                    while data.has_remaining() {
                        let chunk = data.chunk();
                        let n = chunk.len();
                        if self.conn.send_body(chunk, now).is_err() {
                            // More than the announced length: cut the response short.
                            let _ = self.conn.abort_response(now);
                            return self.set_idle();
                        }
                        data.advance(n);
                    }
                }
                Err(frame) => {
                    if let Ok(t) = frame.into_trailers() {
                        trailers.get_or_insert_with(Box::default).extend(t);
                    }
                }
            },
            Poll::Ready(Some(Err(_))) => {
                let _ = self.conn.abort_response(now);
                self.set_idle();
            }
            Poll::Ready(None) => {
                let fields: Vec<(&str, &[u8])> = trailers
                    .iter()
                    .flat_map(|t| t.iter())
                    .map(|(n, v)| (n.as_str(), v.as_bytes()))
                    .collect();
                // Trailers go out only on a chunked response (an HTTP/1.0 client or a
                // Content-Length response cannot carry them, RFC 9112 §7.1.2).
                if fields.is_empty() || self.conn.finish_with_trailers(&fields, now).is_err() {
                    let _ = self.conn.finish(now);
                }
                self.set_idle();
            }
        }
    }

    /// Writes `transmit()`, then flushes.
    fn write(&mut self, cx: &mut Context<'_>) -> bool {
        let mut progress = false;
        while !self.conn.transmit().is_empty() {
            match Pin::new(&mut self.io).poll_write(cx, self.conn.transmit()) {
                Poll::Pending => return progress,
                Poll::Ready(Ok(0)) => {
                    self.io_failed(io::ErrorKind::WriteZero.into());
                    return true;
                }
                Poll::Ready(Ok(n)) => {
                    let _ = self.conn.handle_written(n, self.now);
                    self.flush_needed = true;
                    progress = true;
                }
                Poll::Ready(Err(e)) => {
                    self.io_failed(e);
                    return true;
                }
            }
        }
        if self.flush_needed {
            match Pin::new(&mut self.io).poll_flush(cx) {
                Poll::Pending => {}
                Poll::Ready(Ok(())) => self.flush_needed = false,
                Poll::Ready(Err(e)) => {
                    self.io_failed(e);
                    progress = true;
                }
            }
        }
        progress
    }

    fn io_failed(&mut self, e: io::Error) {
        self.conn.handle_write_failed();
        self.error.get_or_insert(e);
    }

    /// Reads once when the connection asks for input. True when something was read (or the input
    /// ended).
    fn read(&mut self, cx: &mut Context<'_>) -> bool {
        if self.read_blocked || !self.input_open || !self.pending.is_empty() || !self.conn.wants_read() {
            return false;
        }
        // Uninitialized: the transport fills what it reads, nothing is zeroed first.
        let mut stack = [const { MaybeUninit::<u8>::uninit() }; READ_CHUNK];
        let mut buf = ReadBuf::uninit(&mut stack);
        match Pin::new(&mut self.io).poll_read(cx, &mut buf) {
            Poll::Pending => {
                self.read_blocked = true;
                false
            }
            Poll::Ready(Ok(())) if buf.filled().is_empty() => {
                self.input_open = false;
                self.conn.handle_eof(self.now);
                true
            }
            Poll::Ready(Ok(())) => {
                let data = buf.filled();
                let took = self.conn.handle_input(data, self.now);
                if took < data.len() {
                    self.pending.extend_from_slice(&data[took..]);
                }
                true
            }
            Poll::Ready(Err(e)) => {
                self.input_open = false;
                self.conn.handle_read_failed();
                self.error.get_or_insert(e);
                true
            }
        }
    }

    /// Polls the connection's next deadline (or the end of the wait for a transport shutdown,
    /// whichever comes first). True when it fired.
    ///
    /// The sleep is re-armed only when the deadline moves earlier: a deadline that moves later
    /// (the usual case: each request pushes the idle and read timers forward) lets the armed sleep
    /// fire early, which runs `handle_timeout` with nothing expired (a no-op by h1conn's
    /// contract) and then arms the later deadline. That keeps timer-wheel updates off the
    /// per-request path.
    fn timer(&mut self, cx: &mut Context<'_>) -> bool {
        let next = match (self.conn.poll_timeout(), self.shut) {
            (d, Shut::Pending { by }) => Some(d.map_or(by, |d| d.min(by))),
            (d, _) => d,
        };
        let Some(deadline) = next else {
            return false;
        };
        let (armed, sleep) = match (self.armed, &mut self.sleep) {
            (Some(a), Some(sleep)) if a <= deadline => (a, sleep),
            (_, slot) => {
                let at = self.clock.at(deadline);
                let sleep = match slot {
                    Some(sleep) => {
                        sleep.as_mut().reset(at);
                        sleep
                    }
                    None => slot.insert(Box::pin(tokio::time::sleep_until(at))),
                };
                self.armed = Some(deadline);
                self.sleep_waker = None;
                (deadline, sleep)
            }
        };
        let registered = self.sleep_waker.as_ref().is_some_and(|w| w.will_wake(cx.waker()));
        if registered && self.now < armed {
            return false;
        }
        if sleep.as_mut().poll(cx).is_pending() {
            if !registered {
                self.sleep_waker = Some(cx.waker().clone());
            }
            return false;
        }
        self.armed = None;
        self.sleep_waker = None;
        // tokio says the armed instant passed: never let a coarser clock reading keep it armed.
        if armed == deadline {
            self.now = self.clock.now().max(armed);
            self.date_at = Some(self.now);
            self.conn.set_date(h1conn::http_date_now());
            self.conn.handle_timeout(self.now);
            self.release_slots();
        }
        true
    }

    /// Acts on the connection's decision to close. `Ready` when the transport is done.
    fn close(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let Some(close) = self.conn.poll_close() else {
            return Poll::Pending;
        };
        if close.how == CloseHow::Abort {
            return Poll::Ready(self.error.take().map_or(Ok(()), Err));
        }
        if close.how == CloseHow::Graceful && self.graceful == GracefulEnd::Drop {
            return Poll::Ready(Ok(()));
        }
        if self.shut != Shut::Done {
            // Shut down writing: a FIN for TCP, close_notify for TLS.
            match Pin::new(&mut self.io).poll_shutdown(cx) {
                Poll::Ready(r) => {
                    self.shut = Shut::Done;
                    if r.is_err() {
                        return Poll::Ready(Ok(()));
                    }
                }
                Poll::Pending => {
                    // A shutdown that waits on the peer (close_notify to a peer that does not
                    // read, a TLS handshake the peer never finished) is output that makes no
                    // progress: it gets the send timeout, then the transport is dropped.
                    let by = match self.shut {
                        Shut::Pending { by } => by,
                        _ => {
                            let by = self.now().saturating_add(self.conn.config().timeouts.send);
                            self.shut = Shut::Pending { by };
                            by
                        }
                    };
                    return match self.now() >= by {
                        true => Poll::Ready(Ok(())),
                        false => Poll::Pending,
                    };
                }
            }
        }
        if close.how == CloseHow::Graceful || self.conn.is_done() {
            return Poll::Ready(Ok(()));
        }
        // Lingering: keep reading (the connection drops the bytes) until it is done.
        Poll::Pending
    }

    /// Gives the connection's buffers back as soon as its first response is written, instead of
    /// `Config::release_idle_after` later. A connection that made one request most often stays
    /// idle (a browser's spare connections, a client that keeps one open), and released at once
    /// its buffers go back to the allocator before the next connection's task is allocated after
    /// them: released a second later, they leave holes between younger connections that keep the
    /// memory resident (about 7.7 KB per idle connection with glibc, against about 2.3 KB). Later
    /// responses keep the delay, so back-to-back requests reuse their buffers.
    fn release_after_first(&mut self) {
        if !self.first_released
            && self.conn.requests_served() > 0
            && self.conn.transmit().is_empty()
            && matches!(self.exchange, Exchange::Idle)
            && self.body.is_none()
        {
            self.first_released = true;
            self.conn.release_memory();
            self.release_slots();
        }
    }

    /// Gives back the places of the service future and the response body once the connection
    /// released its own idle memory: an idle connection keeps neither.
    fn release_slots(&mut self) {
        if matches!(self.exchange, Exchange::Idle) && self.conn.heap_bytes() == 0 {
            self.call = None;
            self.resp_body = None;
            self.headers = None;
            self.fields = None;
        }
    }

    /// Nothing can happen any more: no input, output, deadline or work.
    fn stuck(&self) -> bool {
        !self.input_open
            && self.conn.transmit().is_empty()
            && self.conn.poll_timeout().is_none()
            && matches!(self.exchange, Exchange::Idle)
            && self.body.is_none()
    }
}

impl<IO, S, B> Future for ServeConnection<IO, S, B>
where
    IO: AsyncRead + AsyncWrite + Unpin,
    S: Service<Request<Incoming>, Response = Response<B>>,
    S::Error: Into<BoxError>,
    B: Body,
    B::Error: Into<BoxError>,
{
    type Output = io::Result<()>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        this.wake_up();
        loop {
            let mut progress = this.turn(cx);
            if let Poll::Ready(r) = this.close(cx) {
                return Poll::Ready(r);
            }
            progress |= this.read(cx);
            // The deadline last, once nothing else moves (it only moves with the other calls).
            if progress || this.timer(cx) {
                continue;
            }
            if this.stuck() && this.conn.poll_close().is_none() {
                return Poll::Ready(Ok(()));
            }
            this.release_after_first();
            return Poll::Pending;
        }
    }
}

/// Trailer fields as a [`HeaderMap`] (they passed h1conn's field grammar; a name or value the
/// `http` crate refuses is left out).
fn header_map(fields: h1conn::Fields<'_>) -> HeaderMap {
    let mut map = HeaderMap::with_capacity(fields.len());
    for f in fields.iter() {
        if let (Ok(n), Ok(v)) = (
            HeaderName::from_bytes(f.name.as_bytes()),
            HeaderValue::from_maybe_shared(Bytes::copy_from_slice(f.value)),
        ) {
            map.append(n, v);
        }
    }
    map
}

#[cfg(test)]
mod tests {
    use super::Tracked;
    use h1conn::{Config, Connection, Event};
    use std::time::Duration;

    /// The drained mark skips only the calls that would answer `None`: once a `&mut` call may
    /// have made an event (here, input with a pipelined second request), the connection is asked
    /// again.
    #[test]
    fn drained_events_are_asked_for_again_after_any_call() {
        let mut t = Tracked {
            conn: Connection::new(Config::default(), Duration::ZERO),
            drained: false,
        };
        assert!(t.poll_event().is_none());
        assert!(t.drained);
        let two = b"GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\n";
        assert_eq!(t.handle_input(two, Duration::ZERO), two.len());
        assert!(!t.drained, "a call through DerefMut clears the mark");
        assert!(matches!(t.poll_event(), Some(Event::Request(r)) if r.head.target() == b"/a"));
        assert!(matches!(t.poll_event(), Some(Event::End(None))));
        assert!(t.poll_event().is_none());
        assert!(
            t.poll_event().is_none(),
            "drained: asked without a call in between"
        );
        // Answering the first request lets the second one surface.
        let resp = h1conn::Response::new(204);
        t.send_response(&resp, Duration::ZERO).unwrap();
        t.finish(Duration::ZERO).unwrap();
        assert!(matches!(t.poll_event(), Some(Event::Request(r)) if r.head.target() == b"/b"));
    }
}
