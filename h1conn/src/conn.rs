//! The server connection: sequences head parsing, body decoding, the keep-alive latch, response
//! framing and the timers. It never does I/O and never reads a clock.
//!
//! Layout: the part of the state every connection needs (buffers, latch, timers, counters) lives in
//! [`Connection`] itself; the part only a connection with a request in flight needs (scanner,
//! pipeline queue, pending events, the current exchange) lives in a boxed `Busy` that is released,
//! together with the buffers, once the connection has been idle for
//! [`Config::release_idle_after`] (unless [`Config::release_idle_memory`] is off). An idle
//! keep-alive connection therefore costs its own size and nothing else, while back-to-back
//! requests reuse their buffers.

use alloc::boxed::Box;
use alloc::collections::VecDeque;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::time::Duration;

use bytes::{Buf, BufMut, Bytes, BytesMut};

use crate::chunked::{ChunkedDecoder, Decoded};
use crate::config::{Config, KeepAliveHeader};
use crate::error::{PeerError, PeerErrorKind, UsageError};
use crate::framing::{request_framing, response_framing, BodyFraming, RequestFraming, ResponseFraming};
use crate::head::{parse_head_reusing, FieldPos, HeadScanner, Method, RequestHead, Scan, Trailers, Version};
use crate::persistence::{client_wants_persistence, requests_left, CloseReason, CloseReasons, Persistence};
use crate::response::{self, put_hex, put_status_and_fields, put_u64, reason_phrase, Response};
use crate::rules::{self, Expect};
use crate::timers::{rate_deadline, to_nanos, Timer, TimerTable};

/// A request, surfaced once the previous response is complete.
#[derive(Debug, Clone)]
pub struct Request {
    /// The parsed head.
    pub head: RequestHead,
    /// How its body is delimited. Body bytes follow as [`Event::Data`], then [`Event::End`].
    pub framing: BodyFraming,
    /// The client waits for `100 Continue` before sending the body (HTTP/1.1 `Expect:
    /// 100-continue`). Call [`Connection::accept_body`] to send it and receive the body, or answer
    /// with a final response directly (the connection then closes after it, since the client may
    /// or may not send the body).
    pub expects_continue: bool,
}

/// What the connection tells the application.
#[derive(Debug, Clone)]
pub enum Event {
    /// A request head. Every `Request` is followed by its body events and one [`Event::End`]
    /// (at once when it has no body).
    Request(Request),
    /// Request body bytes (never empty), slices of the read buffer.
    Data(Bytes),
    /// The request body is complete; trailer fields of a chunked body, kept apart.
    End(Option<Trailers>),
    /// The response switched protocols (101) or opened a tunnel (2xx to CONNECT). The bytes are
    /// what the peer sent after the request; flush [`Connection::transmit`], then the transport
    /// belongs to the new protocol.
    Upgrade(Bytes),
    /// The peer broke a rule. When no response was started, the connection has queued the error
    /// response itself. Nothing more will be parsed.
    Error(PeerError),
}

/// How to close the transport.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CloseHow {
    /// Everything was sent and no unread input is expected: close.
    Graceful,
    /// Shut down the write side, keep reading and feeding input (it is discarded) until
    /// [`Connection::is_done`], so a reset does not destroy the response (RFC 9112 §9.6).
    Linger,
    /// Close at once; pending output is void (the connection must never be reused).
    Abort,
}

/// The decision to close: how, and every reason recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Close {
    /// How to close.
    pub how: CloseHow,
    /// Why.
    pub reasons: CloseReasons,
}

#[derive(Debug)]
enum Queued {
    Request(RequestHead, RequestFraming),
    /// A peer error, and whether it answers a HEAD request (then the error response has no body).
    Error(PeerError, bool),
}

#[derive(Debug)]
enum BodyRead {
    Length(u64),
    Chunked(ChunkedDecoder),
    Done,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Continue {
    NotExpected,
    Waiting,
    Accepted,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Resp {
    Waiting,
    Sending {
        framing: ResponseFraming,
        remaining: u64,
    },
    Finished,
}

/// One request and its response.
#[derive(Debug)]
struct Exchange {
    method: Method,
    version: Version,
    body: BodyRead,
    end_emitted: bool,
    received: u64,
    body_start: u64,
    body_progress: u64,
    cont: Continue,
    resp: Resp,
    /// The Upgrade field value, when the request asks to switch protocols.
    upgrade_offer: Option<Bytes>,
    discarded: u64,
    /// A peer error ended this exchange's input.
    failed: bool,
}

impl Exchange {
    fn body_done(&self) -> bool {
        matches!(self.body, BodyRead::Done)
    }
    /// Body bytes may flow, except while a `100 Continue` is owed but not yet accepted.
    fn body_flowing(&self) -> bool {
        self.cont != Continue::Waiting || self.resp == Resp::Finished
    }
    fn wants_input(&self) -> bool {
        !self.body_done() && !self.failed
    }
}

/// State only needed while a request is in flight; released when the connection is idle.
#[derive(Debug, Default)]
struct Busy {
    scanner: HeadScanner,
    /// When the first byte of the next head was seen (nanoseconds), if any.
    head_start: Option<u64>,
    queue: VecDeque<Queued>,
    events: VecDeque<Event>,
    cur: Option<Exchange>,
    spare_fields: Vec<FieldPos>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Open,
    /// Closing once output is drained.
    Closing(CloseHow),
    /// Output drained; reading and discarding until the linger ends.
    Lingering {
        since: u64,
        discarded: u64,
    },
    /// Finished: close the transport.
    Done(CloseHow),
    /// Handed over to another protocol.
    Upgraded,
}

/// A server-side HTTP/1.x connection as a sans-I/O state machine. One storable type, no lifetimes.
///
/// The methods fall in four groups (the crate documentation gives the driving contract in order):
///
/// * **A. Inputs from the transport**: [`handle_input`](Self::handle_input),
///   [`handle_eof`](Self::handle_eof), [`handle_written`](Self::handle_written),
///   [`handle_write_failed`](Self::handle_write_failed), [`handle_timeout`](Self::handle_timeout).
/// * **B. Inputs from the application**: [`accept_body`](Self::accept_body),
///   [`send_response`](Self::send_response), [`send_body`](Self::send_body),
///   [`finish`](Self::finish), [`send_full`](Self::send_full), [`shutdown`](Self::shutdown),
///   [`set_date`](Self::set_date), [`recycle`](Self::recycle).
/// * **C. Outputs**, to drain after every input, in this order: [`poll_event`](Self::poll_event)
///   until `None`, then [`transmit`](Self::transmit), then [`poll_timeout`](Self::poll_timeout),
///   then [`poll_close`](Self::poll_close).
/// * **D. State**: [`is_done`](Self::is_done), [`is_upgraded`](Self::is_upgraded),
///   [`peer_error`](Self::peer_error), [`persistence`](Self::persistence),
///   [`requests_served`](Self::requests_served), [`timer`](Self::timer),
///   [`buffered_input`](Self::buffered_input), [`input_capacity`](Self::input_capacity),
///   [`heap_bytes`](Self::heap_bytes).
///
/// Every input that can move a deadline takes `now`; times that go backwards are treated as the
/// latest time seen.
#[derive(Debug)]
pub struct Connection {
    cfg: Arc<Config>,
    rbuf: BytesMut,
    wbuf: BytesMut,
    busy: Option<Box<Busy>>,
    timers: TimerTable,
    now: u64,
    opened: u64,
    send_progress: u64,
    idle_since: u64,
    state: State,
    parsed: u32,
    served: u32,
    latch: Persistence,
    parse_stop: bool,
    eof: bool,
    lifetime_over: bool,
    error: Option<PeerError>,
    date: Option<[u8; 29]>,
}

fn dur(n: u64) -> Duration {
    Duration::from_nanos(n)
}

impl Connection {
    /// A new connection, opened at `now` (a monotonic time since an origin the caller chooses).
    /// Pass an `Arc<Config>` to share one configuration between many connections.
    pub fn new(cfg: impl Into<Arc<Config>>, now: Duration) -> Self {
        let now = to_nanos(now);
        let mut c = Connection {
            cfg: cfg.into(),
            rbuf: BytesMut::new(),
            wbuf: BytesMut::new(),
            busy: None,
            timers: TimerTable::default(),
            now,
            opened: now,
            send_progress: now,
            idle_since: now,
            state: State::Open,
            parsed: 0,
            served: 0,
            latch: Persistence::default(),
            parse_stop: false,
            eof: false,
            lifetime_over: false,
            error: None,
            date: None,
        };
        c.refresh_timers();
        c
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.cfg
    }

    // ---- inputs -------------------------------------------------------------------------------

    /// Feeds received bytes. Returns how many were taken: fewer than `data.len()` when the input
    /// buffer is full (drain events and output first). Input that can no longer matter (after the
    /// last request was read, or while lingering) is taken and discarded; once upgraded or done,
    /// none is taken.
    pub fn handle_input(&mut self, data: &[u8], now: Duration) -> usize {
        self.tick(now);
        match self.state {
            State::Upgraded | State::Done(_) => return 0,
            State::Lingering { since, discarded } => {
                let discarded = discarded.saturating_add(data.len() as u64);
                self.state = if discarded > self.cfg.timeouts.linger_bytes {
                    State::Done(CloseHow::Linger)
                } else {
                    State::Lingering { since, discarded }
                };
                self.refresh_timers();
                return data.len();
            }
            _ if !self.input_needed() => {
                self.refresh_timers();
                return data.len();
            }
            _ => {}
        }
        let room = self.cfg.max_buffered.saturating_sub(self.rbuf.len());
        let n = data.len().min(room);
        if n > 0 {
            let now = self.now;
            let waiting_for_head = self.waiting_for_head();
            let was_empty = self.rbuf.is_empty();
            let b = self.busy.get_or_insert_with(Box::default);
            if was_empty && waiting_for_head && b.head_start.is_none() {
                b.head_start = Some(now);
            }
            if let Some(cur) = b.cur.as_mut() {
                if cur.wants_input() {
                    cur.body_progress = now;
                }
            }
            self.rbuf.extend_from_slice(&data[..n]);
        }
        self.refresh_timers();
        n
    }

    /// The peer ended its input (a read returned 0). Complete requests already buffered are still
    /// answered (a half-close does not cancel responses, RFC 9112 §9.6); then the connection closes.
    pub fn handle_eof(&mut self, now: Duration) {
        self.tick(now);
        self.eof = true;
        if let State::Lingering { .. } = self.state {
            self.state = State::Done(CloseHow::Linger);
        }
        self.check_eof();
        self.settle();
    }

    /// Processes every timer whose deadline is at or before `now`. A call with nothing expired
    /// changes nothing.
    pub fn handle_timeout(&mut self, now: Duration) {
        self.tick(now);
        if self.timers.expired(dur(self.now)).is_none() {
            return;
        }
        while let Some(t) = self.timers.expired(dur(self.now)) {
            self.timers.set(t, None);
            self.fire(t);
            self.refresh_timers();
        }
        self.settle();
    }

    /// The application will read the request body: sends `100 Continue` when the client waits
    /// for it (HTTP/1.1 only). Without an expectation this does nothing.
    pub fn accept_body(&mut self, now: Duration) -> Result<(), UsageError> {
        self.tick(now);
        let now = self.now;
        let cur = self.cur_mut().ok_or(UsageError::NoRequestPending)?;
        if cur.cont == Continue::Waiting && cur.resp == Resp::Waiting {
            cur.cont = Continue::Accepted;
            cur.body_start = now;
            cur.body_progress = now;
            self.wbuf.put_slice(b"HTTP/1.1 100 Continue\r\n\r\n");
            self.output_added();
        }
        self.refresh_timers();
        Ok(())
    }

    /// Starts the response to the current request. Returns the framing chosen: with
    /// [`ResponseFraming::NoBody`] no body bytes may follow. Every final response ends with
    /// [`finish`](Connection::finish). Interim 1xx responses may precede it (100 is the same as
    /// [`accept_body`](Connection::accept_body)); they are dropped for HTTP/1.0 clients, which
    /// never receive 1xx. A 101 (to a request that offered the protocol in its Upgrade field) or a
    /// 2xx to CONNECT hands the connection over.
    pub fn send_response(
        &mut self,
        resp: &Response<'_>,
        now: Duration,
    ) -> Result<ResponseFraming, UsageError> {
        self.tick(now);
        if matches!(
            self.state,
            State::Done(_) | State::Upgraded | State::Lingering { .. }
        ) {
            return Err(UsageError::Closed);
        }
        response::validate(resp)?;
        let cur = self.cur_ref().ok_or(UsageError::NoRequestPending)?;
        if cur.resp != Resp::Waiting {
            return Err(UsageError::ResponseAlreadyStarted);
        }
        let (method, version) = (cur.method, cur.version);
        let status = resp.status;
        if status == 101 {
            return self.send_switch(resp);
        }
        if status == 100 {
            self.accept_body(now)?;
            return Ok(ResponseFraming::NoBody { content_length: None });
        }
        if (100..200).contains(&status) {
            if version == Version::Http11 {
                put_status_and_fields(&mut self.wbuf, resp);
                self.wbuf.put_slice(b"\r\n");
                self.output_added();
            }
            self.refresh_timers();
            return Ok(ResponseFraming::NoBody { content_length: None });
        }
        let framing = response_framing(method, version, status, resp.length);
        let tunnel = method == Method::Connect && (200..300).contains(&status);
        self.served += 1;
        self.decide_keep_alive_for_response(framing);
        let keep = self.latch.is_open() && !tunnel;
        // One allocation for the whole head (and a small body) instead of growing step by step.
        let estimate = 128
            + resp.reason.map_or(0, str::len)
            + resp
                .headers
                .iter()
                .map(|(n, v)| n.len() + v.len() + 4)
                .sum::<usize>()
            + resp.length.map_or(0, |n| n.min(1024) as usize);
        self.wbuf.reserve(estimate);
        put_status_and_fields(&mut self.wbuf, resp);
        match framing {
            ResponseFraming::Length(n)
            | ResponseFraming::NoBody {
                content_length: Some(n),
            } => {
                self.wbuf.put_slice(b"Content-Length: ");
                put_u64(&mut self.wbuf, n);
                self.wbuf.put_slice(b"\r\n");
            }
            ResponseFraming::Chunked => self.wbuf.put_slice(b"Transfer-Encoding: chunked\r\n"),
            _ => {}
        }
        if !tunnel {
            self.put_connection_fields(keep, version);
        }
        self.wbuf.put_slice(b"\r\n");
        self.output_added();
        let remaining = match framing {
            ResponseFraming::Length(n) => n,
            _ => 0,
        };
        if let Some(cur) = self.cur_mut() {
            cur.resp = Resp::Sending { framing, remaining };
        }
        if tunnel {
            self.hand_off();
        }
        self.refresh_timers();
        Ok(framing)
    }

    /// Sends response body bytes. Chunked responses get one chunk per call (empty calls write
    /// nothing). The bytes are copied into the output buffer; check
    /// [`transmit`](Connection::transmit)'s length to apply back-pressure.
    pub fn send_body(&mut self, data: &[u8], now: Duration) -> Result<(), UsageError> {
        self.tick(now);
        let cur = self.cur_mut().ok_or(UsageError::NoRequestPending)?;
        let Resp::Sending { framing, remaining } = cur.resp else {
            return Err(not_sending(cur.resp));
        };
        if data.is_empty() {
            return Ok(());
        }
        match framing {
            ResponseFraming::NoBody { .. } => return Err(UsageError::BodyNotAllowed),
            ResponseFraming::Length(_) => {
                if data.len() as u64 > remaining {
                    return Err(UsageError::BodyTooLong);
                }
                cur.resp = Resp::Sending {
                    framing,
                    remaining: remaining - data.len() as u64,
                };
                self.wbuf.put_slice(data);
            }
            ResponseFraming::Chunked => {
                put_hex(&mut self.wbuf, data.len() as u64);
                self.wbuf.put_slice(b"\r\n");
                self.wbuf.put_slice(data);
                self.wbuf.put_slice(b"\r\n");
            }
            ResponseFraming::CloseDelimited => self.wbuf.put_slice(data),
        }
        self.output_added();
        self.refresh_timers();
        Ok(())
    }

    /// Ends the response. A Content-Length body that is short is cut off as by
    /// [`abort_response`](Connection::abort_response): the client sees the connection close before
    /// the announced length (RFC 9112 §8) and the connection is never reused; the call still
    /// succeeds.
    pub fn finish(&mut self, now: Duration) -> Result<(), UsageError> {
        self.tick(now);
        let cur = self.cur_mut().ok_or(UsageError::NoRequestPending)?;
        let Resp::Sending { framing, remaining } = cur.resp else {
            return Err(not_sending(cur.resp));
        };
        cur.resp = Resp::Finished;
        match framing {
            ResponseFraming::Length(_) if remaining > 0 => {
                self.cut_response();
                self.settle();
                return Ok(());
            }
            ResponseFraming::Chunked => self.wbuf.put_slice(b"0\r\n\r\n"),
            _ => {}
        }
        self.output_added();
        self.end_response();
        self.settle();
        Ok(())
    }

    /// Cuts the response under way short: what was already given is still transmitted, the body is
    /// left incomplete (no last chunk; fewer bytes than the Content-Length) so the client sees the
    /// failure, and the connection closes after the output is flushed (reason
    /// [`CloseReason::Aborted`]). For when the application fails mid-body, or the request body
    /// turned out bad after the response started.
    pub fn abort_response(&mut self, now: Duration) -> Result<(), UsageError> {
        self.tick(now);
        let cur = self.cur_mut().ok_or(UsageError::NoRequestPending)?;
        if !matches!(cur.resp, Resp::Sending { .. }) {
            return Err(not_sending(cur.resp));
        }
        cur.resp = Resp::Finished;
        self.cut_response();
        self.settle();
        Ok(())
    }

    /// Ends the exchange without completing its body framing: flush, then close.
    fn cut_response(&mut self) {
        self.latch.close(CloseReason::Aborted);
        self.drop_exchange();
        let how = if self.rbuf.is_empty() {
            CloseHow::Graceful
        } else {
            CloseHow::Linger
        };
        self.stop_parsing_and_close(how);
    }

    /// Convenience: a whole response with a body known in advance (its length is set from `body`).
    pub fn send_full(&mut self, resp: &Response<'_>, body: &[u8], now: Duration) -> Result<(), UsageError> {
        let r = Response {
            length: Some(body.len() as u64),
            ..*resp
        };
        let framing = self.send_response(&r, now)?;
        if (100..200).contains(&resp.status) || self.state == State::Upgraded {
            return Ok(());
        }
        if !matches!(framing, ResponseFraming::NoBody { .. }) {
            self.send_body(body, now)?;
        }
        self.finish(now)
    }

    /// Acknowledges that the first `n` bytes of [`transmit`](Connection::transmit) were written.
    pub fn handle_written(&mut self, n: usize, now: Duration) -> Result<(), UsageError> {
        self.tick(now);
        if n > self.transmit().len() {
            return Err(UsageError::AckBeyondTransmit);
        }
        if n > 0 {
            self.wbuf.advance(n);
            self.send_progress = self.now;
            if self.wbuf.is_empty() && self.cur_ref().is_none() {
                self.idle_since = self.now;
            }
        }
        self.advance_close();
        self.settle();
        Ok(())
    }

    /// Writing failed or the bytes never left: the connection aborts and is never reused.
    pub fn handle_write_failed(&mut self) {
        self.abort(CloseReason::Aborted);
        self.settle();
    }

    /// Graceful shutdown: no new request is started; a response under way finishes with
    /// `Connection: close` when its head is not yet sent; an idle connection closes at once.
    pub fn shutdown(&mut self, now: Duration) {
        self.tick(now);
        self.stop_new_requests(CloseReason::Shutdown);
        self.maybe_close();
        self.settle();
    }

    /// Sets the `Date` value written on the responses the connection makes itself (error
    /// responses, including the 408 of a timer); format it with [`http_date`](crate::http_date).
    /// The value is used as it is: refresh it before `handle_input` and `handle_timeout` (once a
    /// second is enough).
    pub fn set_date(&mut self, date: [u8; 29]) {
        self.date = Some(date);
    }

    /// Gives a request head back when the application is done with it, so its field vector is
    /// reused for the next request (no allocation per request in steady state).
    pub fn recycle(&mut self, head: RequestHead) {
        if let Some(b) = self.busy.as_mut() {
            let v = head.into_field_vec();
            if v.capacity() > b.spare_fields.capacity() {
                b.spare_fields = v;
            }
        }
    }

    // ---- outputs ------------------------------------------------------------------------------

    /// The next event, if any. Drain after every input.
    pub fn poll_event(&mut self) -> Option<Event> {
        loop {
            if let Some(e) = self.busy.as_mut().and_then(|b| b.events.pop_front()) {
                return Some(e);
            }
            if !self.step() {
                self.settle();
                return None;
            }
        }
    }

    /// Bytes to write to the peer. Acknowledge with [`handle_written`](Connection::handle_written).
    pub fn transmit(&self) -> &[u8] {
        if matches!(self.state, State::Done(CloseHow::Abort)) {
            return &[];
        }
        &self.wbuf
    }

    /// The earliest deadline, if any timer is armed.
    pub fn poll_timeout(&self) -> Option<Duration> {
        self.timers.next()
    }

    /// The deadline of one timer.
    pub fn timer(&self, t: Timer) -> Option<Duration> {
        self.timers.get(t)
    }

    /// `Some` once the connection has decided to close and has nothing more to send (or must
    /// abort). With [`CloseHow::Linger`], keep reading until [`is_done`](Connection::is_done).
    pub fn poll_close(&self) -> Option<Close> {
        let how = match self.state {
            State::Done(how) => how,
            State::Lingering { .. } => CloseHow::Linger,
            _ => return None,
        };
        Some(Close {
            how,
            reasons: self.latch.reasons(),
        })
    }

    /// True when the transport should be closed now (after a lingering close, when it ended).
    pub fn is_done(&self) -> bool {
        matches!(self.state, State::Done(_))
    }

    /// True once the connection was handed over ([`Event::Upgrade`]).
    pub fn is_upgraded(&self) -> bool {
        self.state == State::Upgraded
    }

    /// The peer error that stopped this connection, if any (sticky).
    pub fn peer_error(&self) -> Option<PeerError> {
        self.error
    }

    /// The keep-alive latch and its reasons.
    pub fn persistence(&self) -> Persistence {
        self.latch
    }

    /// Final responses started on this connection (error responses included).
    pub fn requests_served(&self) -> u32 {
        self.served
    }

    /// Bytes of received input not yet processed.
    pub fn buffered_input(&self) -> usize {
        self.rbuf.len()
    }

    /// Heap bytes the connection holds now (buffer capacities and in-flight state), beyond
    /// `size_of::<Connection>()`. Zero for an idle keep-alive connection by default.
    pub fn heap_bytes(&self) -> usize {
        let busy = self.busy.as_ref().map_or(0, |b| {
            core::mem::size_of::<Busy>()
                + b.queue.capacity() * core::mem::size_of::<Queued>()
                + b.events.capacity() * core::mem::size_of::<Event>()
                + b.spare_fields.capacity() * core::mem::size_of::<FieldPos>()
        });
        self.rbuf.capacity() + self.wbuf.capacity() + busy
    }

    /// How many more bytes [`handle_input`](Connection::handle_input) would take now.
    pub fn input_capacity(&self) -> usize {
        match self.state {
            State::Upgraded | State::Done(_) => 0,
            State::Lingering { .. } => usize::MAX,
            _ if !self.input_needed() => usize::MAX,
            _ => self.cfg.max_buffered.saturating_sub(self.rbuf.len()),
        }
    }

    // ---- sequencing ---------------------------------------------------------------------------

    fn tick(&mut self, now: Duration) {
        self.now = self.now.max(to_nanos(now));
    }

    fn cur_ref(&self) -> Option<&Exchange> {
        self.busy.as_ref().and_then(|b| b.cur.as_ref())
    }

    fn cur_mut(&mut self) -> Option<&mut Exchange> {
        self.busy.as_mut().and_then(|b| b.cur.as_mut())
    }

    fn queue_is_empty(&self) -> bool {
        self.busy.as_ref().is_none_or(|b| b.queue.is_empty())
    }

    fn clear_queue(&mut self) {
        if let Some(b) = self.busy.as_mut() {
            b.queue.clear();
        }
    }

    fn push_event(&mut self, e: Event) {
        self.busy.get_or_insert_with(Box::default).events.push_back(e);
    }

    /// False once no further input can matter: parsing stopped and no body is still to be read.
    fn input_needed(&self) -> bool {
        if !self.parse_stop {
            return true;
        }
        let Some(b) = self.busy.as_ref() else {
            return false;
        };
        if b.cur.as_ref().is_some_and(Exchange::wants_input) {
            return true;
        }
        matches!(b.queue.back(), Some(Queued::Request(_, f)) if f.body != BodyFraming::None)
    }

    /// True when the next bytes of input would start the head of the request surfaced next.
    fn waiting_for_head(&self) -> bool {
        self.cur_ref().is_none() && self.queue_is_empty() && !self.parse_stop && self.state == State::Open
    }

    /// One unit of progress; false when nothing can move without more input or a call.
    fn step(&mut self) -> bool {
        if !matches!(self.state, State::Open | State::Closing(_)) {
            return false;
        }
        // 1. The current exchange: body bytes, end of body, or discarding after the response.
        if let Some(cur) = self.cur_mut() {
            if cur.wants_input() && cur.body_flowing() {
                return self.step_body();
            }
            if cur.body_done() && !cur.end_emitted && cur.resp != Resp::Finished {
                cur.end_emitted = true;
                self.push_event(Event::End(None));
                return true;
            }
            if cur.resp == Resp::Finished && !cur.wants_input() {
                self.end_exchange();
                return true;
            }
        }
        // 2. Surface the next request when nothing is current.
        if self.cur_ref().is_none() && self.state == State::Open {
            if let Some(q) = self.busy.as_mut().and_then(|b| b.queue.pop_front()) {
                self.surface(q);
                return true;
            }
        }
        // 3. Parse ahead.
        if self.may_parse_head() {
            return self.parse_one();
        }
        false
    }

    fn may_parse_head(&self) -> bool {
        if self.parse_stop || self.rbuf.is_empty() {
            return false;
        }
        let Some(b) = self.busy.as_ref() else {
            return true;
        };
        if b.queue.len() >= self.cfg.max_pipelined {
            return false;
        }
        match b.queue.back() {
            Some(Queued::Request(h, f)) => f.body == BodyFraming::None && !is_switch_candidate(h),
            Some(Queued::Error(..)) => false,
            None => match &b.cur {
                Some(c) => c.body_done() && c.upgrade_offer.is_none() && c.method != Method::Connect,
                None => true,
            },
        }
    }

    /// Scans for one head; queues the request or the error.
    fn parse_one(&mut self) -> bool {
        let cfg = Arc::clone(&self.cfg);
        let b = self.busy.get_or_insert_with(Box::default);
        let scanned = b.scanner.scan(&mut self.rbuf, &cfg.limits, &cfg.profile);
        let skipped = b.scanner.skipped();
        if skipped > 0 {
            self.rbuf.advance(skipped);
            b.scanner.rebase(skipped);
        }
        let q = match scanned {
            Ok(Scan::Partial) => {
                if self.rbuf.is_empty() {
                    b.head_start = None;
                }
                return false;
            }
            Ok(Scan::Complete {
                start,
                end,
                fields: count,
            }) => {
                let bytes = self.rbuf.split_to(end - start).freeze();
                b.scanner.reset();
                self.parsed += 1;
                let fields = core::mem::take(&mut b.spare_fields);
                let to_head = bytes.starts_with(b"HEAD ");
                match parse_head_reusing(bytes, &cfg.limits, &cfg.profile, fields, Some(count))
                    .and_then(|h| request_framing(&h, &cfg.profile, &cfg.limits).map(|f| (h, f)))
                {
                    Ok((h, f)) => {
                        if self.ends_connection(&h, &f) {
                            self.parse_stop = true;
                        }
                        Queued::Request(h, f)
                    }
                    Err(e) => {
                        self.parse_stop = true;
                        Queued::Error(e, to_head)
                    }
                }
            }
            Err(e) => {
                self.parse_stop = true;
                Queued::Error(e, self.rbuf.starts_with(b"HEAD "))
            }
        };
        self.busy.get_or_insert_with(Box::default).queue.push_back(q);
        true
    }

    /// Whether a parsed request is the last one this connection will take.
    fn ends_connection(&self, h: &RequestHead, f: &RequestFraming) -> bool {
        let ka = &self.cfg.keep_alive;
        client_wants_persistence(h.version(), h.connection()).is_err()
            || !ka.enabled
            || f.must_close
            || (ka.max_requests != 0 && self.parsed >= ka.max_requests)
            || self.lifetime_over
    }

    /// Makes a queued item the current exchange.
    fn surface(&mut self, q: Queued) {
        if let Some(b) = self.busy.as_mut() {
            b.head_start = None;
        }
        let (head, framing) = match q {
            Queued::Error(e, to_head) => return self.peer_error_without_exchange(e, to_head),
            Queued::Request(head, framing) => (head, framing),
        };
        let version = head.version();
        if let Err(r) = client_wants_persistence(version, head.connection()) {
            self.latch.close(r);
        }
        if framing.must_close {
            self.latch.close(CloseReason::FramingFault);
        }
        let expect = head.expect();
        if expect == Expect::Unsupported && self.cfg.reject_unknown_expectations {
            let to_head = head.method() == Method::Head;
            return self.peer_error_without_exchange(PeerErrorKind::ExpectationFailed.into(), to_head);
        }
        let upgrade_offer = if head.wants_upgrade() {
            head.headers()
                .get("upgrade")
                .map(|v| head.as_bytes().slice_ref(v))
        } else {
            None
        };
        let body = match framing.body {
            BodyFraming::None | BodyFraming::Length(0) => BodyRead::Done,
            BodyFraming::Length(n) => BodyRead::Length(n),
            BodyFraming::Chunked => BodyRead::Chunked(ChunkedDecoder::new()),
        };
        let expects_continue = expect == Expect::Continue && !matches!(body, BodyRead::Done);
        let now = self.now;
        let b = self.busy.get_or_insert_with(Box::default);
        b.cur = Some(Exchange {
            method: head.method(),
            version,
            body,
            end_emitted: false,
            received: 0,
            body_start: now,
            body_progress: now,
            cont: if expects_continue {
                Continue::Waiting
            } else {
                Continue::NotExpected
            },
            resp: Resp::Waiting,
            upgrade_offer,
            discarded: 0,
            failed: false,
        });
        b.events.push_back(Event::Request(Request {
            head,
            framing: framing.body,
            expects_continue,
        }));
    }

    /// Decodes one piece of the current body.
    fn step_body(&mut self) -> bool {
        let now = self.now;
        let budget = self.cfg.discard_budget;
        let Some(b) = self.busy.as_mut() else {
            return false;
        };
        let Some(cur) = b.cur.as_mut() else {
            return false;
        };
        let out: Result<Option<Decoded>, PeerError> = match &mut cur.body {
            BodyRead::Length(rem) => {
                if self.rbuf.is_empty() {
                    Ok(None)
                } else {
                    let take = (*rem).min(self.rbuf.len() as u64) as usize;
                    *rem -= take as u64;
                    let data = self.rbuf.split_to(take).freeze();
                    if *rem == 0 {
                        cur.body = BodyRead::Done;
                    }
                    Ok(Some(Decoded::Data(data)))
                }
            }
            BodyRead::Chunked(d) => {
                let r = d.decode(&mut self.rbuf, &self.cfg.limits);
                if matches!(r, Ok(Some(Decoded::End(_)))) {
                    cur.body = BodyRead::Done;
                }
                r
            }
            BodyRead::Done => Ok(None),
        };
        match out {
            Ok(None) => {
                if self.eof && !cur.body_done() {
                    self.body_error(PeerErrorKind::Incomplete.into());
                    return true;
                }
                false
            }
            Ok(Some(Decoded::Data(data))) => {
                cur.received += data.len() as u64;
                cur.body_progress = now;
                if cur.resp == Resp::Finished {
                    cur.discarded += data.len() as u64;
                    if cur.discarded > budget && !cur.body_done() {
                        cur.failed = true;
                        self.latch.close(CloseReason::UnreadBody);
                        self.stop_parsing_and_close(CloseHow::Linger);
                    }
                } else {
                    b.events.push_back(Event::Data(data));
                }
                true
            }
            Ok(Some(Decoded::End(trailers))) => {
                if cur.resp != Resp::Finished {
                    cur.end_emitted = true;
                    b.events.push_back(Event::End(trailers));
                }
                true
            }
            Err(e) => {
                self.body_error(e);
                true
            }
        }
    }

    /// A peer error inside the current body (bad chunk, body timeout, input ended).
    fn body_error(&mut self, e: PeerError) {
        let Some(cur) = self.cur_mut() else {
            return;
        };
        cur.failed = true;
        let resp = cur.resp;
        let to_head = cur.method == Method::Head;
        let incomplete = e.kind() == PeerErrorKind::Incomplete;
        self.error = Some(e);
        if resp != Resp::Finished {
            self.push_event(Event::Error(e));
        }
        self.parse_stop = true;
        self.clear_queue();
        self.latch.close(if incomplete {
            CloseReason::PeerClosed
        } else {
            CloseReason::ErrorStatus
        });
        match resp {
            Resp::Waiting => {
                // No response started: the connection answers (unless the peer is gone).
                self.drop_exchange();
                if !incomplete {
                    self.served += 1;
                    self.write_error_response(e, to_head);
                }
                self.state = State::Closing(if incomplete {
                    CloseHow::Graceful
                } else {
                    CloseHow::Linger
                });
            }
            // The application's response finishes, then the connection closes.
            Resp::Sending { .. } => {}
            Resp::Finished => {
                self.drop_exchange();
                self.state = State::Closing(CloseHow::Linger);
            }
        }
        self.advance_close();
    }

    /// A peer error with no exchange to attach to: queue the error response and close.
    fn peer_error_without_exchange(&mut self, e: PeerError, to_head: bool) {
        self.error = Some(e);
        self.push_event(Event::Error(e));
        self.parse_stop = true;
        self.clear_queue();
        self.latch.close(CloseReason::ErrorStatus);
        self.served += 1;
        self.write_error_response(e, to_head);
        self.state = State::Closing(CloseHow::Linger);
        self.advance_close();
    }

    /// A self-delimited error response with `Connection: close`; no body bytes to a HEAD request
    /// (RFC 9110 §9.3.2), which still gets the length a GET would.
    fn write_error_response(&mut self, e: PeerError, to_head: bool) {
        let body = e.reason();
        let status = e.status();
        self.wbuf.put_slice(b"HTTP/1.1 ");
        put_u64(&mut self.wbuf, u64::from(status));
        self.wbuf.put_u8(b' ');
        self.wbuf.put_slice(reason_phrase(status).as_bytes());
        self.wbuf.put_slice(b"\r\n");
        if let Some(d) = self.date {
            self.wbuf.put_slice(b"Date: ");
            self.wbuf.put_slice(&d);
            self.wbuf.put_slice(b"\r\n");
        }
        self.wbuf
            .put_slice(b"Content-Type: text/plain\r\nContent-Length: ");
        put_u64(&mut self.wbuf, body.len() as u64 + 1);
        self.wbuf.put_slice(b"\r\nConnection: close\r\n\r\n");
        if !to_head {
            self.wbuf.put_slice(body.as_bytes());
            self.wbuf.put_u8(b'\n');
        }
        self.output_added();
    }

    /// The response is complete: the exchange stays until its body is read or discarded.
    fn end_response(&mut self) {
        let budget = self.cfg.discard_budget;
        let latch_open = self.latch.is_open();
        let Some(cur) = self.cur_mut() else {
            return;
        };
        if cur.wants_input() {
            let unread_over = matches!(cur.body, BodyRead::Length(rem) if rem > budget);
            if cur.cont == Continue::Waiting || unread_over || !latch_open {
                // The body will not be read: do not wait for it.
                cur.failed = true;
                if latch_open {
                    self.latch.close(CloseReason::UnreadBody);
                }
                self.drop_exchange();
                self.stop_parsing_and_close(CloseHow::Linger);
            }
            // Otherwise the rest is discarded as it arrives (counted against the budget).
            return;
        }
        self.end_exchange();
    }

    fn drop_exchange(&mut self) {
        if let Some(b) = self.busy.as_mut() {
            b.cur = None;
        }
    }

    /// After an exchange ends: close if the latch says so, else become idle.
    fn end_exchange(&mut self) {
        self.drop_exchange();
        if !self.latch.is_open() {
            self.parse_stop = true;
            self.clear_queue();
            let how = if self.rbuf.is_empty() {
                CloseHow::Graceful
            } else {
                CloseHow::Linger
            };
            if self.state == State::Open {
                self.state = State::Closing(how);
            }
        } else {
            self.idle_since = self.now;
            let now = self.now;
            let pending = !self.rbuf.is_empty();
            if let Some(b) = self.busy.as_mut() {
                b.head_start = pending.then_some(now);
            }
        }
        self.check_eof();
        self.maybe_close();
    }

    /// Records why the response about to be written closes the connection.
    fn decide_keep_alive_for_response(&mut self, framing: ResponseFraming) {
        let ka = &self.cfg.keep_alive;
        if !ka.enabled {
            self.latch.close(CloseReason::PolicyOff);
        }
        if ka.max_requests != 0 && self.served >= ka.max_requests {
            self.latch.close(CloseReason::MaxRequests);
        }
        if self.lifetime_over {
            self.latch.close(CloseReason::Lifetime);
        }
        if framing.is_close_delimited() {
            self.latch.close(CloseReason::CloseDelimited);
        }
        let budget = self.cfg.discard_budget;
        if let Some(cur) = self.cur_ref() {
            let unread_over = matches!(cur.body, BodyRead::Length(rem) if rem > budget);
            if cur.cont == Continue::Waiting || unread_over {
                self.latch.close(CloseReason::UnreadBody);
            }
        }
    }

    /// Connection and Keep-Alive fields (RFC 9112 §9.3, §9.6; RFC 2068 §19.7.1 for Keep-Alive).
    fn put_connection_fields(&mut self, keep: bool, version: Version) {
        if !keep {
            self.wbuf.put_slice(b"Connection: close\r\n");
            return;
        }
        let ka = &self.cfg.keep_alive;
        let send_ka = match ka.header {
            KeepAliveHeader::Never => false,
            KeepAliveHeader::Always => true,
            KeepAliveHeader::Http10Only => version == Version::Http10,
        };
        if version == Version::Http10 || send_ka {
            self.wbuf.put_slice(b"Connection: keep-alive\r\n");
        }
        if send_ka {
            self.wbuf.put_slice(b"Keep-Alive: timeout=");
            put_u64(&mut self.wbuf, ka.timeout.as_secs());
            if let Some(left) = requests_left(ka.max_requests, self.served) {
                self.wbuf.put_slice(b", max=");
                put_u64(&mut self.wbuf, u64::from(left));
            }
            self.wbuf.put_slice(b"\r\n");
        }
    }

    /// 101 Switching Protocols: only to a protocol the client offered, after the whole request.
    fn send_switch(&mut self, resp: &Response<'_>) -> Result<ResponseFraming, UsageError> {
        let cur = self.cur_ref().ok_or(UsageError::NoRequestPending)?;
        let offer = cur
            .upgrade_offer
            .as_ref()
            .ok_or(UsageError::UpgradeNotRequested)?;
        if !cur.body_done() {
            return Err(UsageError::UpgradeNotRequested);
        }
        let chosen = resp
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("upgrade"))
            .map(|(_, v)| *v)
            .ok_or(UsageError::UpgradeNotRequested)?;
        let offered = |p: &[u8]| rules::list_members(offer).any(|o| o.eq_ignore_ascii_case(p));
        let mut chosen_members = rules::list_members(chosen).filter(|p| !p.is_empty()).peekable();
        if chosen_members.peek().is_none() || !chosen_members.all(offered) {
            return Err(UsageError::UpgradeNotRequested);
        }
        put_status_and_fields(&mut self.wbuf, resp);
        self.wbuf.put_slice(b"Connection: upgrade\r\n\r\n");
        self.output_added();
        self.served += 1;
        if let Some(cur) = self.cur_mut() {
            cur.resp = Resp::Finished;
        }
        self.hand_off();
        self.refresh_timers();
        Ok(ResponseFraming::NoBody { content_length: None })
    }

    fn hand_off(&mut self) {
        self.latch.close(CloseReason::Upgraded);
        let rest = self.rbuf.split().freeze();
        self.push_event(Event::Upgrade(rest));
        self.clear_queue();
        self.parse_stop = true;
        self.state = State::Upgraded;
    }

    fn stop_new_requests(&mut self, r: CloseReason) {
        self.latch.close(r);
        self.parse_stop = true;
        self.clear_queue();
    }

    fn stop_parsing_and_close(&mut self, how: CloseHow) {
        self.parse_stop = true;
        self.clear_queue();
        if self.state == State::Open {
            self.state = State::Closing(how);
        }
        self.advance_close();
    }

    fn abort(&mut self, r: CloseReason) {
        self.latch.close(r);
        self.parse_stop = true;
        self.clear_queue();
        if self.state != State::Upgraded {
            self.state = State::Done(CloseHow::Abort);
        }
    }

    /// Closes a connection with nothing in flight once its latch is closed.
    fn maybe_close(&mut self) {
        if self.state == State::Open && self.cur_ref().is_none() && !self.latch.is_open() {
            self.clear_queue();
            let how = if self.rbuf.is_empty() {
                CloseHow::Graceful
            } else {
                CloseHow::Linger
            };
            self.state = State::Closing(how);
        }
        self.advance_close();
    }

    /// After the peer's EOF: close once no complete request is left to answer.
    fn check_eof(&mut self) {
        if !self.eof || self.state != State::Open || self.cur_ref().is_some() || !self.queue_is_empty() {
            return;
        }
        // Complete heads may still sit in the buffer: parse them first.
        while self.may_parse_head() && self.parse_one() {}
        if !self.queue_is_empty() {
            return;
        }
        self.latch.close(CloseReason::PeerClosed);
        self.parse_stop = true;
        self.state = State::Closing(CloseHow::Graceful);
        self.advance_close();
    }

    /// Moves Closing → Lingering or Done once output is drained.
    fn advance_close(&mut self) {
        if let State::Closing(how) = self.state {
            if self.wbuf.is_empty() {
                self.state = match how {
                    CloseHow::Linger if !self.eof => State::Lingering {
                        since: self.now,
                        discarded: 0,
                    },
                    _ => State::Done(how),
                };
                self.rbuf.clear();
            }
        }
    }

    fn output_added(&mut self) {
        if self.timers.get(Timer::Send).is_none() {
            self.send_progress = self.now;
        }
    }

    fn fire(&mut self, t: Timer) {
        match t {
            Timer::Idle => {
                self.latch.close(CloseReason::Timeout);
                self.parse_stop = true;
                if self.state == State::Open {
                    self.state = State::Closing(CloseHow::Graceful);
                }
                self.advance_close();
            }
            Timer::Header => {
                self.latch.close(CloseReason::Timeout);
                let to_head = self.rbuf.starts_with(b"HEAD ");
                self.rbuf.clear();
                if let Some(b) = self.busy.as_mut() {
                    b.scanner.reset();
                }
                self.peer_error_without_exchange(PeerErrorKind::HeaderTimeout.into(), to_head);
            }
            Timer::Body => {
                self.latch.close(CloseReason::Timeout);
                self.body_error(PeerErrorKind::BodyTimeout.into());
            }
            Timer::Send => self.abort(CloseReason::Timeout),
            Timer::Linger => self.state = State::Done(CloseHow::Linger),
            Timer::Lifetime => {
                self.lifetime_over = true;
                self.stop_new_requests(CloseReason::Lifetime);
                self.maybe_close();
            }
            Timer::Release => self.release_now(),
        }
    }

    /// End of every public call: release idle memory and recompute deadlines.
    fn settle(&mut self) {
        self.release_if_idle();
        self.refresh_timers();
    }

    /// True when nothing is in flight: no request, no buffered input, no pending event.
    fn nothing_in_flight(&self) -> bool {
        self.rbuf.is_empty()
            && self.busy.as_ref().is_none_or(|b| {
                b.cur.is_none() && b.queue.is_empty() && b.events.is_empty() && b.head_start.is_none()
            })
    }

    /// True while the connection holds heap memory it could give back.
    fn holds_memory(&self) -> bool {
        self.busy.is_some() || self.rbuf.capacity() > 0 || self.wbuf.capacity() > 0
    }

    /// Releases at once what a finished connection holds, and an idle one's memory when the
    /// release delay is zero (otherwise the `Release` timer does it).
    fn release_if_idle(&mut self) {
        if matches!(self.state, State::Done(_) | State::Lingering { .. }) {
            // Nothing more is read or (past what is pending) written.
            self.busy = None;
            self.rbuf = BytesMut::new();
            if self.wbuf.is_empty() || self.state == State::Done(CloseHow::Abort) {
                self.wbuf = BytesMut::new();
            }
            return;
        }
        if self.cfg.release_idle_memory && self.cfg.release_idle_after.is_zero() {
            self.release_now();
        }
    }

    /// Drops the in-flight state and the buffers of a connection with nothing in flight.
    fn release_now(&mut self) {
        if self.nothing_in_flight() {
            self.busy = None;
            self.rbuf = BytesMut::new();
        }
        if self.wbuf.is_empty() && self.wbuf.capacity() > 0 {
            self.wbuf = BytesMut::new();
        }
    }

    /// Recomputes every deadline from the state; O(timers).
    fn refresh_timers(&mut self) {
        let to = &self.cfg.timeouts;
        let open = self.state == State::Open;
        let b = self.busy.as_deref();
        let cur = b.and_then(|b| b.cur.as_ref());
        let queue_empty = b.is_none_or(|b| b.queue.is_empty());
        let nothing_in_flight = open && cur.is_none() && queue_empty;

        let idle = nothing_in_flight && self.rbuf.is_empty() && !self.eof && self.wbuf.is_empty();
        let idle_at =
            idle.then(|| dur(self.idle_since.max(self.send_progress)) + self.cfg.keep_alive.timeout);
        self.timers.set(Timer::Idle, idle_at);

        let header = (nothing_in_flight && !self.parse_stop && !self.rbuf.is_empty())
            .then(|| b.and_then(|b| b.head_start))
            .flatten()
            .map(|s| {
                rate_deadline(
                    dur(s),
                    to.header,
                    Some(to.header_max),
                    to.header_min_rate,
                    self.rbuf.len() as u64,
                )
            });
        self.timers.set(Timer::Header, header);

        let body = match cur {
            Some(c)
                if matches!(self.state, State::Open | State::Closing(_))
                    && c.wants_input()
                    && c.body_flowing()
                    && self.rbuf.is_empty()
                    && !self.eof =>
            {
                let gap = dur(c.body_progress) + to.body;
                let rate = (to.body_min_rate > 0)
                    .then(|| rate_deadline(dur(c.body_start), to.body, None, to.body_min_rate, c.received));
                Some(rate.map_or(gap, |r| r.min(gap)))
            }
            _ => None,
        };
        self.timers.set(Timer::Body, body);

        let send = (!self.wbuf.is_empty() && !matches!(self.state, State::Done(_) | State::Upgraded))
            .then(|| dur(self.send_progress) + to.send);
        self.timers.set(Timer::Send, send);

        let linger = match self.state {
            State::Lingering { since, .. } => Some(dur(since) + to.linger),
            _ => None,
        };
        self.timers.set(Timer::Linger, linger);

        let life = match (self.cfg.keep_alive.max_lifetime, self.lifetime_over, self.state) {
            (Some(l), false, State::Open) => Some(dur(self.opened) + l),
            _ => None,
        };
        self.timers.set(Timer::Lifetime, life);

        let after = self.cfg.release_idle_after;
        let release = (self.cfg.release_idle_memory
            && !after.is_zero()
            && self.state == State::Open
            && self.wbuf.is_empty()
            && self.holds_memory()
            && self.nothing_in_flight())
        .then(|| dur(self.idle_since.max(self.send_progress)) + after);
        self.timers.set(Timer::Release, release);
    }
}

fn not_sending(r: Resp) -> UsageError {
    if r == Resp::Waiting {
        UsageError::ResponseNotStarted
    } else {
        UsageError::Closed
    }
}

fn is_switch_candidate(h: &RequestHead) -> bool {
    h.wants_upgrade() || h.method() == Method::Connect
}
