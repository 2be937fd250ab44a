//! The server connection. [`Connection`] only sequences; each concern has its own file:
//!
//! | file | what it holds |
//! |---|---|
//! | [`state`] | the reader and writer states, their events and the one transition table of each |
//! | `intake.rs` | when input is taken: `wants_read`, the adapter's pauses, the read timers' pause |
//! | `events.rs` | what the application is told ([`Event`], [`Request`]) and how to close ([`Close`]) |
//! | `reader.rs` | input: the read buffer, head parsing, the parse-ahead queue, body stepping, peer errors |
//! | `respond.rs` | the application's calls: accepting a body, response heads, bodies, the end of a response |
//! | [`writer`] | every response byte: heads, `100 Continue`, error responses, chunks |
//! | [`persistence`] | the keep-alive latch and the one persistence decision |
//! | [`deadlines`] | the named timers and the one function that sets them from a snapshot |
//! | `close.rs` | how to close (graceful, linger, abort), lingering, and giving memory back |
//!
//! The part of the state every connection needs (buffers, states, latch, timers, counters) lives in
//! [`Connection`] itself; the part only a connection with a request in flight needs (scanner,
//! pipeline queue, pending events, the current exchange) lives in a boxed `Busy` that is released,
//! together with the buffers, once the connection has been idle for
//! [`Config::release_idle_after`] (unless [`Config::release_idle_memory`] is off). An idle
//! keep-alive connection therefore costs its own size and nothing else, while back-to-back
//! requests reuse their buffers.

mod buffers;
mod close;
pub(crate) mod deadlines;
mod events;
mod intake;
pub(crate) mod persistence;
mod reader;
mod respond;
pub(crate) mod state;
pub(crate) mod writer;

use alloc::boxed::Box;
use alloc::collections::VecDeque;
use alloc::sync::Arc;
use core::time::Duration;

use bytes::Bytes;

use crate::config::Config;
use crate::error::{PeerError, UsageError};
use crate::request::chunked::ChunkedDecoder;
use crate::request::framing::RequestFraming;
use crate::request::head::{Method, RequestHead, Version};
use crate::request::scan::HeadScanner;
use crate::response::framing::ResponseFraming;
use buffers::{InBuf, OutBuf};
use deadlines::{to_nanos, Timer};
use persistence::{Persistence, RequestSide};
use state::{Read, Write, WriteEvent};

pub use events::{Close, CloseHow, Event, Request};

/// A parsed item waiting for its turn.
#[derive(Debug)]
enum Queued {
    /// A request, and what the persistence decision said when it was parsed.
    Request {
        head: RequestHead,
        framing: RequestFraming,
        side: RequestSide,
        last: bool,
    },
    /// A peer error, and whether it answers a HEAD request (then the error response has no body).
    Error(PeerError, bool),
}

/// How the current request's body is decoded (while the reader is in `Continue`, `Body` or
/// `Discard`).
#[derive(Debug)]
enum BodyRead {
    Length(u64),
    Chunked(ChunkedDecoder),
}

/// One request and its response: the data that goes with the reader's body states and the writer's
/// exchange states.
#[derive(Debug)]
struct Exchange {
    method: Method,
    version: Version,
    side: RequestSide,
    /// No request follows this one (decided when it was parsed).
    last: bool,
    body: BodyRead,
    received: u64,
    body_start: u64,
    body_progress: u64,
    discarded: u64,
    /// The response's framing and the Content-Length bytes still owed (writer in `Body`).
    framing: ResponseFraming,
    remaining: u64,
    /// The Upgrade field value, when the request asks to switch protocols.
    upgrade_offer: Option<Bytes>,
}

impl Busy {
    fn pop_queued(&mut self) -> Option<Queued> {
        let q = self.queue.pop_front()?;
        self.queued_bytes -= q.bytes();
        Some(q)
    }
}

impl Queued {
    /// Input bytes this item holds.
    fn bytes(&self) -> usize {
        match self {
            Queued::Request { head, .. } => head.as_bytes().len(),
            Queued::Error(..) => 0,
        }
    }
}

impl Exchange {
    /// A protocol switch may follow this request (101 or a CONNECT tunnel): nothing after it is
    /// parsed until it is answered.
    fn may_switch(&self) -> bool {
        self.upgrade_offer.is_some() || self.method == Method::Connect
    }
}

/// State only needed while a request is in flight; released when the connection is idle.
#[derive(Debug, Default)]
struct Busy {
    scanner: HeadScanner,
    /// When the first byte of the next head was seen, if any, and its header deadline.
    head_start: Option<deadlines::HeadClock>,
    queue: VecDeque<Queued>,
    /// Bytes of the heads in `queue`: they count against `max_buffered` like unparsed input.
    queued_bytes: usize,
    events: VecDeque<Event>,
    cur: Option<Exchange>,
    /// Field positions of the heads parsed (see `FieldTable`): one buffer, reused once the
    /// application has dropped the heads, so the default loop allocates nothing per request.
    fields: InBuf,
    /// The length of the last head parsed (0 before the first): the input a head that arrived
    /// whole likely fills ([`reader::may_be_whole`]).
    last_head: usize,
}

/// The first input buffer of a connection, and the least it grows by.
const INPUT_ALLOC_MIN: usize = 1024;

/// Whether the peer may still send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PeerInput {
    Open,
    Ended,
}

/// Whether input is being taken: the connection asks for it ([`Connection::wants_read`]) and the
/// adapter reads ([`Connection::pause_input`]). While not (the server's own back-pressure), the
/// header and body read timers stand still.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Intake {
    Wanted,
    Paused { since: u64 },
}

/// Whether the adapter reads the transport, as it last said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AdapterReads {
    Yes,
    /// [`Connection::pause_input`]: for its own reasons (a blocking write, its own limits).
    Paused,
}

/// What [`Connection::poll_event`] did since the last `settle` (which every call that changes the
/// connection ends with).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Taken {
    Nothing,
    /// It handed out an event: the call that ends the run of events settles.
    Since,
    /// It has nothing to hand out until another call changes the connection: it answers `None`
    /// at once.
    Drained,
    /// Drained, and the connection [awaits a piece of a head](Connection::awaits_head_piece): a
    /// one-byte piece is only appended, while `room` is left (the bytes the partial line can take
    /// with no limit check able to fail: [`HeadScanner::room`], the input buffer's spare capacity
    /// and `max_buffered`), or else scanned, unless it ends the head.
    ///
    /// [`HeadScanner::room`]: crate::request::scan::HeadScanner::room
    AwaitingHead {
        room: u32,
        /// The header deadline in nanoseconds, when it is the connection's one deadline
        /// ([`head_piece_deadline_ns`](Connection::head_piece_deadline_ns)); `u64::MAX` when
        /// [`poll_timeout`](Connection::poll_timeout) must look at the whole table.
        deadline: u64,
    },
}

/// Times kept on the caller's time line, in nanoseconds.
#[derive(Debug, Clone, Copy)]
struct Clock {
    now: u64,
    opened: u64,
    send_progress: u64,
    /// When the output now pending started waiting, and the bytes written since (the send rate).
    send_start: u64,
    sent: u64,
    idle_since: u64,
}

/// A server-side HTTP/1.x connection as a sans-I/O state machine. One storable type, no lifetimes.
///
/// The methods fall in four groups (the crate documentation gives the driving contract in order):
///
/// * **A. Inputs from the transport**: [`handle_input`](Self::handle_input),
///   [`handle_eof`](Self::handle_eof), [`handle_written`](Self::handle_written),
///   [`handle_write_failed`](Self::handle_write_failed), [`handle_read_failed`](Self::handle_read_failed),
///   [`handle_timeout`](Self::handle_timeout).
/// * **B. Inputs from the application**: [`accept_body`](Self::accept_body),
///   [`send_response`](Self::send_response), [`send_body`](Self::send_body),
///   [`finish`](Self::finish), [`finish_with_trailers`](Self::finish_with_trailers),
///   [`send_full`](Self::send_full),
///   [`abort_response`](Self::abort_response), [`shutdown`](Self::shutdown),
///   [`pause_input`](Self::pause_input), [`resume_input`](Self::resume_input),
///   [`set_date`](Self::set_date).
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
    rbuf: InBuf,
    wbuf: OutBuf,
    busy: Option<Box<Busy>>,
    read: Read,
    write: Write,
    input: PeerInput,
    intake: Intake,
    adapter: AdapterReads,
    taken: Taken,
    /// How to close, once the writer is `Closing` or `Closed`.
    how: CloseHow,
    /// While `Lingering`: since when, and when input last arrived.
    linger_since: u64,
    linger_input: u64,
    clock: Clock,
    parsed: u32,
    served: u32,
    latch: Persistence,
    error: Option<PeerError>,
    /// The `Date` field line written on final responses (see [`Connection::set_date`]).
    date: Option<writer::DateLine>,
}

impl Connection {
    /// A new connection, opened at `now` (a monotonic time since an origin the caller chooses).
    /// Pass an `Arc<Config>` to share one configuration between many connections.
    pub fn new(cfg: impl Into<Arc<Config>>, now: Duration) -> Self {
        let now = to_nanos(now);
        Connection {
            cfg: cfg.into(),
            rbuf: InBuf::default(),
            wbuf: OutBuf::default(),
            busy: None,
            read: Read::Heads,
            write: Write::Idle,
            input: PeerInput::Open,
            intake: Intake::Wanted,
            adapter: AdapterReads::Yes,
            taken: Taken::Nothing,
            how: CloseHow::Graceful,
            linger_since: 0,
            linger_input: 0,
            clock: Clock {
                now,
                opened: now,
                send_progress: now,
                send_start: now,
                sent: 0,
                idle_since: now,
            },
            parsed: 0,
            served: 0,
            latch: Persistence::default(),
            error: None,
            date: None,
        }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.cfg
    }

    // ---- A. inputs from the transport -----------------------------------------------------------

    /// Feeds received bytes. Returns how many were taken: fewer than `data.len()` when the input
    /// buffer is full (drain events and output first). Complete heads are parsed at once, so an
    /// error response is in [`transmit`](Connection::transmit) right after this call. Input that
    /// can no longer matter (after the last request was read, or while lingering) is taken and
    /// discarded; once upgraded or done, none is taken.
    #[inline]
    pub fn handle_input(&mut self, data: &[u8], now: Duration) -> usize {
        if let Taken::AwaitingHead { room, deadline } = self.taken {
            if let Some(n) = self.take_head_byte(data, room, deadline, now) {
                return n;
            }
        }
        self.take_input(data, now)
    }

    /// The general path of [`handle_input`](Self::handle_input): every input but the byte of a
    /// head that [`take_head_byte`](Self::take_head_byte) keeps.
    #[inline(never)]
    fn take_input(&mut self, data: &[u8], now: Duration) -> usize {
        self.tick(now);
        match self.write {
            Write::Upgraded | Write::Closed => return 0,
            Write::Lingering => {
                if !data.is_empty() {
                    self.linger_input = self.clock.now;
                }
                return data.len();
            }
            _ if !self.input_needed() => {
                self.settle();
                return data.len();
            }
            _ => {}
        }
        let room = self.cfg.max_buffered.saturating_sub(self.input_held());
        let wanted = data.len().min(room);
        let held = self.holds_input_slices();
        let n = match wanted {
            0 => 0,
            _ => self
                .rbuf
                .room(wanted, INPUT_ALLOC_MIN, self.cfg.max_buffered, held)
                .min(wanted),
        };
        let drained = n > 0 && {
            self.note_input_start();
            self.rbuf.extend_from_slice(&data[..n]);
            self.parse_ahead()
        };
        self.settle_input(drained);
        n
    }

    /// The end of a call that took input: `settle`, and remember when `poll_event` has nothing to
    /// find (`drained`, from [`parse_ahead`](Self::parse_ahead)).
    pub(super) fn settle_input(&mut self, drained: bool) {
        self.settle();
        if drained {
            self.taken = if self.awaits_head_piece() {
                self.awaiting_head()
            } else {
                Taken::Drained
            };
        }
    }

    /// The peer ended its input (a read returned 0). Complete requests already buffered are still
    /// answered (a half-close does not cancel responses, RFC 9112 §9.6); then the connection closes.
    pub fn handle_eof(&mut self, now: Duration) {
        self.tick(now);
        self.input = PeerInput::Ended;
        if self.write == Write::Lingering {
            self.write = self.write.on(WriteEvent::LingerEnded);
        }
        self.check_eof();
        self.settle();
    }

    /// Processes every timer whose deadline is at or before `now`. A call with nothing expired
    /// changes nothing.
    pub fn handle_timeout(&mut self, now: Duration) {
        self.tick(now);
        // In the states a connection spends most calls in, the earliest deadline is known without
        // the whole table: when it lies ahead, nothing expired. Every test run checks the shortcut
        // against the table.
        if self.quick_deadline_ns().is_some_and(|d| d > self.clock.now) {
            debug_assert!(self
                .deadlines()
                .expired(Duration::from_nanos(self.clock.now))
                .is_none());
            return;
        }
        let mut fired = 0;
        while let Some(t) = self.deadlines().expired(Duration::from_nanos(self.clock.now)) {
            self.fire(t);
            fired += 1;
            if fired > 2 * Timer::ALL.len() {
                break;
            }
        }
        if fired > 0 {
            self.settle();
        }
    }

    /// Acknowledges that the first `n` bytes of [`transmit`](Connection::transmit) were written.
    pub fn handle_written(&mut self, n: usize, now: Duration) -> Result<(), UsageError> {
        self.tick(now);
        if n > self.transmit().len() {
            return Err(UsageError::AckBeyondTransmit);
        }
        if n > 0 {
            self.wbuf.written(n);
            self.clock.send_progress = self.clock.now;
            self.clock.sent += n as u64;
            if self.wbuf.is_empty() && !self.write.in_exchange() {
                self.clock.idle_since = self.clock.now;
            }
        }
        self.advance_close();
        self.settle_written();
        Ok(())
    }

    /// The end of [`handle_written`](Self::handle_written). Less output pending can start input
    /// again (reading waited for output to drain), and an emptied buffer can be given back. While
    /// input is taken, the writer serves (not closing, closed or lingering) and idle memory is not
    /// given back at once, neither can happen, and nothing else `settle` looks at changed since the
    /// last call settled: only `poll_event` must look again.
    fn settle_written(&mut self) {
        let quiet = self.intake == Intake::Wanted
            && !matches!(self.write, Write::Closing | Write::Closed | Write::Lingering)
            && !(self.cfg.release_idle_memory && self.cfg.release_idle_after.is_zero());
        if !quiet {
            self.settle();
            return;
        }
        // Every test run checks that `settle` would change nothing.
        #[cfg(debug_assertions)]
        self.assert_settled("written output");
        self.taken = Taken::Nothing;
    }

    /// Writing failed or the bytes never left: the connection aborts and is never reused.
    pub fn handle_write_failed(&mut self) {
        self.abort(crate::CloseReason::TransportFailed);
        self.settle();
    }

    /// Reading failed (a reset, a TLS error): the connection aborts and is never reused. A read
    /// that returned 0 bytes is [`handle_eof`](Self::handle_eof), not a failure.
    pub fn handle_read_failed(&mut self) {
        self.abort(crate::CloseReason::TransportFailed);
        self.settle();
    }

    // ---- C. outputs -----------------------------------------------------------------------------

    /// The next event, if any. Drain after every input.
    ///
    /// Once it returns `None`, it returns `None` again until another call changes the connection
    /// (any `&mut self` method: input, a timeout, the application's calls). An adapter may skip
    /// asking until then, as h1conn-tokio does.
    #[inline]
    pub fn poll_event(&mut self) -> Option<Event> {
        if matches!(self.taken, Taken::Drained | Taken::AwaitingHead { .. }) {
            // Every test run checks the shortcut against the step it skips.
            #[cfg(debug_assertions)]
            {
                let buffered = self.rbuf.len();
                assert!(
                    !self.step(true) && self.rbuf.len() == buffered,
                    "drained, yet a step to take"
                );
            }
            return None;
        }
        self.next_event()
    }

    /// [`poll_event`](Self::poll_event) once something may have changed since it last answered.
    #[inline(never)]
    fn next_event(&mut self) -> Option<Event> {
        let buffered = self.rbuf.len();
        let mut moved = false;
        loop {
            if let Some(b) = self.busy.as_mut().filter(|b| !b.events.is_empty()) {
                // Settled by the call that ends the run of events (`None`).
                self.taken = Taken::Since;
                return b.events.pop_front();
            }
            if !self.step(true) {
                // Unless an event was taken or something moved since the last call settled, there
                // is nothing to settle: a step that found nothing to do changes nothing `settle`
                // looks at, unless it consumed input.
                if moved || self.taken == Taken::Since || self.rbuf.len() != buffered {
                    self.settle();
                } else {
                    debug_assert!(self.intake_settled());
                }
                self.taken = Taken::Drained;
                return None;
            }
            moved = true;
        }
    }

    /// Bytes to write to the peer. Acknowledge with [`handle_written`](Connection::handle_written).
    #[inline]
    pub fn transmit(&self) -> &[u8] {
        if self.write == Write::Closed && self.how == CloseHow::Abort {
            return &[];
        }
        self.wbuf.pending()
    }

    /// The earliest deadline, if any timer is armed.
    #[inline]
    pub fn poll_timeout(&self) -> Option<Duration> {
        if let Some(d) = self.head_piece_deadline() {
            // Every test run checks the shortcut against the whole table.
            debug_assert_eq!(Some(d), self.deadlines().next());
            return Some(d);
        }
        self.next_deadline()
    }

    /// [`poll_timeout`](Self::poll_timeout) in any state but awaiting a piece of a head.
    #[inline(never)]
    fn next_deadline(&self) -> Option<Duration> {
        if let Some(d) = self.quick_deadline() {
            // Every test run checks the shortcut against the whole table.
            debug_assert_eq!(Some(d), self.deadlines().next());
            return Some(d);
        }
        self.deadlines().next()
    }

    /// `Some` once the connection has decided to close and has nothing more to send (or must
    /// abort). With [`CloseHow::Linger`], keep reading until [`is_done`](Connection::is_done).
    pub fn poll_close(&self) -> Option<Close> {
        let how = match self.write {
            Write::Closed => self.how,
            Write::Lingering => CloseHow::Linger,
            _ => return None,
        };
        Some(Close {
            how,
            reasons: self.latch.reasons(),
        })
    }

    // ---- D. state -------------------------------------------------------------------------------

    /// The deadline of one timer.
    pub fn timer(&self, t: Timer) -> Option<Duration> {
        self.deadlines().get(t)
    }

    /// True when the transport should be closed now (after a lingering close, when it ended).
    pub fn is_done(&self) -> bool {
        self.write == Write::Closed
    }

    /// True once the connection was handed over ([`Event::Upgrade`]).
    pub fn is_upgraded(&self) -> bool {
        self.write == Write::Upgraded
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

    /// Heap bytes the connection holds now, beyond `size_of::<Connection>()`: its buffers (input
    /// and earlier input buffers that requests still queued or events not yet polled hold), the
    /// field-position buffer, output, and the in-flight state. What the application keeps of what
    /// it was given (request heads, body pieces) is its own. Zero for an idle keep-alive connection
    /// by default.
    pub fn heap_bytes(&self) -> usize {
        let busy = self.busy.as_ref().map_or(0, |b| {
            core::mem::size_of::<Busy>()
                + b.queue.capacity() * core::mem::size_of::<Queued>()
                + b.events.capacity() * core::mem::size_of::<Event>()
                + b.fields.heap_bytes()
        });
        self.rbuf.heap_bytes() + self.wbuf.capacity() + busy
    }

    /// How many more bytes [`handle_input`](Connection::handle_input) would take now.
    pub fn input_capacity(&self) -> usize {
        match self.write {
            Write::Upgraded | Write::Closed => 0,
            Write::Lingering => usize::MAX,
            _ if !self.input_needed() => usize::MAX,
            _ if self.holds_input_slices() && self.rbuf.spare() == 0 => 0,
            _ => self.cfg.max_buffered.saturating_sub(self.input_held()),
        }
    }

    // ---- sequencing -----------------------------------------------------------------------------

    #[inline]
    fn tick(&mut self, now: Duration) {
        self.clock.now = self.clock.now.max(to_nanos(now));
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
            b.queued_bytes = 0;
            b.queue.clear();
        }
    }

    fn push_event(&mut self, e: Event) {
        self.busy.get_or_insert_with(Box::default).events.push_back(e);
    }

    /// One unit of progress; false when nothing can move without more input or a call. Body bytes
    /// are stepped only for [`poll_event`](Connection::poll_event) (`with_body`), so that input
    /// taken by `handle_input` stays in the bounded read buffer until the application asks.
    fn step(&mut self, with_body: bool) -> bool {
        if !self.write.in_exchange() && self.write != Write::Idle {
            return false;
        }
        if self.cur_ref().is_some() {
            match self.read {
                Read::Body | Read::Discard => return with_body && self.step_body(),
                Read::Continue => {}
                _ if self.write == Write::Finished => {
                    self.end_exchange();
                    return true;
                }
                _ => {}
            }
        } else if self.write == Write::Idle && self.wbuf.len() < self.cfg.output_high_water {
            let next = match self.busy.as_mut().and_then(|b| b.pop_queued()) {
                Some(q) => Some(q),
                // Nothing parsed ahead: the next head becomes current as soon as it is parsed.
                None if self.may_parse_head() => self.parse_next(),
                None => None,
            };
            return match next {
                Some(q) => {
                    self.surface(q);
                    true
                }
                None => false,
            };
        }
        self.may_parse_head() && self.parse_one()
    }

    /// When no request is current, parses the next head now and makes it current, so a peer error
    /// is answered before the application polls. Heads behind a current request are parsed by
    /// [`poll_event`](Connection::poll_event), as the application takes requests.
    ///
    /// True when it stopped with nothing left to do: [`poll_event`](Connection::poll_event) would
    /// find no event and no step to take.
    pub(super) fn parse_ahead(&mut self) -> bool {
        while self.write == Write::Idle {
            if !self.step(false) {
                // Idle, so nothing is current and no body is stepped: `step(true)` would answer
                // the same.
                return self
                    .busy
                    .as_ref()
                    .is_none_or(|b| b.events.is_empty() && b.cur.is_none());
            }
        }
        false
    }

    /// The output buffer, to append to: output that starts waiting now starts the send timer.
    fn out(&mut self) -> &mut alloc::vec::Vec<u8> {
        if self.wbuf.is_empty() {
            self.clock.send_progress = self.clock.now;
            self.clock.send_start = self.clock.now;
            self.clock.sent = 0;
        }
        self.wbuf.append()
    }
}
