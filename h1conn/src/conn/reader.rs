//! The reader: what the connection does with input. It parses heads into the parse-ahead queue,
//! makes the next one current, steps the current body, and turns broken rules into peer errors.
//! Every change of the reader's state goes through the table in [`super::state`].

use alloc::boxed::Box;
use core::time::Duration;

use bytes::Buf;

use super::deadlines::HeadClock;
use super::persistence::{close_reasons, RequestSide};
use super::state::{Read, ReadEvent, Write, WriteEvent};
use super::{writer, BodyRead, Connection, Event, Exchange, Intake, PeerInput, Queued, Request, Taken};
use crate::error::{PeerError, PeerErrorKind};
use crate::request::chunked::{ChunkedDecoder, Decoded};
use crate::request::fields::Expect;
use crate::request::framing::{request_framing, BodyFraming};
use crate::request::head::Method;
use crate::request::head::RequestHead;
use crate::request::parse::{parse_head_reusing, parse_quick, Quick};
use crate::request::scan::Scan;
use crate::CloseHow;
use crate::CloseReason;

/// Whether the input a head starts may hold all of it, so that the one pass ([`parse_quick`]) is
/// tried before the scanner: it is as long as the last head was, or it ends a line. The first
/// piece of a head that arrives in parts is neither, most of the time, and goes to the scanner
/// at once instead of being parsed in vain first. Either way the verdict is the same: the
/// scanner hands a head it finds whole to the one pass.
pub(super) fn may_be_whole(buf: &[u8], last_head: usize) -> bool {
    buf.len() >= last_head || buf.last() == Some(&b'\n')
}

/// Whether the input ends with an empty line, as the last piece of a head does: the one pass is
/// tried on the head before the scanner looks at the rest. The verdict is the one the head gets
/// when it arrives whole: the one pass decides a head only when it is whole and keeps every rule
/// and limit, and leaves every other head to the scanner.
fn ends_a_head(buf: &[u8]) -> bool {
    buf.ends_with(b"\n\r\n") || buf.ends_with(b"\n\n")
}

impl Connection {
    /// False once no further input can matter: nothing more is parsed and no body is to be read.
    pub(super) fn input_needed(&self) -> bool {
        !matches!(self.read, Read::Stopped | Read::Upgraded)
    }

    /// Notes the time of new input: the start of a head (header timer) or body progress.
    pub(super) fn note_input_start(&mut self) {
        let now = self.clock.now;
        let waiting_for_head = self.write == Write::Idle && self.queue_is_empty() && self.read == Read::Heads;
        let was_empty = self.rbuf.is_empty();
        let reading_body = matches!(self.read, Read::Continue | Read::Body | Read::Discard);
        let b = self.busy.get_or_insert_with(Box::default);
        if was_empty && waiting_for_head && b.head_start.is_none() {
            b.head_start = Some(HeadClock::Began(now));
        }
        if let Some(cur) = b.cur.as_mut().filter(|_| reading_body) {
            cur.body_progress = now;
        }
    }

    /// A head may be parsed ahead: heads are read, input is buffered, the pipeline has room, and
    /// output is below the high-water mark.
    pub(super) fn may_parse_head(&self) -> bool {
        self.read == Read::Heads
            && !self.rbuf.is_empty()
            && self.wbuf.len() < self.cfg.output_high_water
            && self
                .busy
                .as_ref()
                .is_none_or(|b| b.queue.len() < self.cfg.max_pipelined)
    }

    /// True when a piece of a head is all the connection waits for, and all the general path
    /// would do with a piece that holds no line end is scan it: a partial head was scanned to its
    /// end, nothing is queued, pending or current, input is taken (the intake is `Wanted`, output
    /// below its high-water mark) and the peer's input is open. Checked at the end of a call that
    /// leaves the connection so ([`Taken::AwaitingHead`]); nothing but another call changes it.
    pub(super) fn awaits_head_piece(&self) -> bool {
        let len = self.rbuf.len();
        self.write == Write::Idle
            && self.read == Read::Heads
            && self.intake == Intake::Wanted
            && self.input == PeerInput::Open
            && self.wbuf.len() < self.cfg.output_high_water
            && self.cfg.max_pipelined > 0
            && self.busy.as_deref().is_some_and(|b| {
                b.queue.is_empty() && b.events.is_empty() && b.cur.is_none() && b.scanner.seen_all(len)
            })
    }

    /// The state of a connection that [awaits a piece of a head](Self::awaits_head_piece): the
    /// piece's [room](Self::head_piece_room) and the header deadline.
    #[inline]
    pub(super) fn awaiting_head(&self) -> Taken {
        Taken::AwaitingHead {
            room: self.head_piece_room(),
            deadline: self.head_piece_deadline_ns(self.rbuf.len()),
        }
    }

    /// The bytes without a line end that the next piece of the head can bring while the
    /// connection [awaits one](Self::awaits_head_piece): what the partial line can take with no
    /// limit check able to fail ([`HeadScanner::room`](crate::request::scan::HeadScanner::room)),
    /// within the input buffer's spare capacity (no growth) and below `max_buffered` (input stays
    /// taken).
    pub(super) fn head_piece_room(&self) -> u32 {
        let len = self.rbuf.len();
        let line = self
            .busy
            .as_deref()
            .map_or(0, |b| b.scanner.room(len, &self.cfg.limits));
        let room = line
            .min(self.rbuf.spare())
            .min(self.cfg.max_buffered.saturating_sub(len + 1));
        u32::try_from(room).unwrap_or(u32::MAX)
    }

    /// Takes `data` as the next piece of a head that arrives in parts, when it is one byte (how
    /// the slowest clients send) and the last call left the connection
    /// [awaiting a piece](Self::awaits_head_piece) with `room` for it
    /// ([`head_piece_room`](Self::head_piece_room)) and the header `deadline`. A byte within
    /// `room` that is not a line end needs no check: it is kept, and the connection still awaits
    /// a piece, with one byte less room and the deadline moved. Any other byte goes to
    /// [`take_head_line_byte`](Self::take_head_line_byte). `None` leaves the input to the general
    /// path, as it does every longer piece (one that holds no line end costs the general path a
    /// scan of its own bytes, so the saving would be small).
    #[inline(always)]
    pub(super) fn take_head_byte(
        &mut self,
        data: &[u8],
        room: u32,
        deadline: u64,
        now: Duration,
    ) -> Option<usize> {
        debug_assert!(self.awaits_head_piece(), "awaiting a head piece, yet not so");
        debug_assert!(room <= self.head_piece_room(), "more room than the limits leave");
        let [byte] = *data else {
            return None;
        };
        if room == 0 || byte == b'\n' {
            return self.take_head_line_byte(byte, now);
        }
        let b = self.busy.as_deref_mut()?;
        self.rbuf.extend_from_slice(&[byte]);
        let len = self.rbuf.len();
        b.scanner.grow_within(len);
        // The header deadline moves with each byte (`header_min_rate`).
        let deadline = match b.head_start {
            Some(h) if deadline != u64::MAX => h.deadline(&self.cfg.timeouts, len as u64),
            _ => u64::MAX,
        };
        self.tick(now);
        self.taken = Taken::AwaitingHead {
            room: room - 1,
            deadline,
        };
        // The limits agree, `settle` has nothing to change (the intake stays as it was, and no
        // memory can be given back with a head in the buffer), and the state is the one the
        // general path would enter. Every test run checks all three.
        #[cfg(debug_assertions)]
        {
            let mut scanner = self.busy.as_deref().map(|b| b.scanner.clone());
            let ok = scanner
                .as_mut()
                .map(|s| s.grow_line(&self.rbuf, &self.cfg.limits));
            assert_eq!(ok, Some(Ok(())), "a byte within room broke a limit");
            let taken = self.taken;
            self.assert_settled("a byte of a head");
            if let Taken::AwaitingHead { deadline: d, .. } = self.awaiting_head() {
                assert_eq!(deadline, d, "the header deadline after a byte of a head");
            }
            self.taken = taken;
        }
        Some(1)
    }

    /// The byte of a head piece that the scanner must look at: a byte of the request line's
    /// method, a byte past the partial line's room, or a line end. It is scanned as the general
    /// path scans it ([`HeadScanner::scan_byte`]); when the head stays partial and every limit
    /// holds, it is kept and the connection still awaits a piece. `None` leaves it to the general
    /// path, untaken: a line end that ends the head (or an empty line before it), a byte that
    /// breaks a rule or a limit (the scanner's progress is undone, and the general path reaches
    /// the same verdict on the same bytes), or an input buffer without spare room.
    ///
    /// [`HeadScanner::scan_byte`]: crate::request::scan::HeadScanner::scan_byte
    #[inline(never)]
    fn take_head_line_byte(&mut self, byte: u8, now: Duration) -> Option<usize> {
        let len = self.rbuf.len();
        if self.rbuf.spare() == 0 || len + 1 >= self.cfg.max_buffered {
            return None;
        }
        let b = self.busy.as_deref_mut()?;
        if byte == b'\n' && b.scanner.line_is_blank(&self.rbuf) {
            return None;
        }
        let before = b.scanner.clone();
        self.rbuf.extend_from_slice(&[byte]);
        let cfg = &*self.cfg;
        match b.scanner.scan_byte(&mut self.rbuf, &cfg.limits, &cfg.profile) {
            Ok(Scan::Partial) if b.scanner.skipped() == 0 => {}
            _ => {
                b.scanner = before;
                self.rbuf.truncate(len);
                return None;
            }
        }
        self.tick(now);
        self.taken = self.awaiting_head();
        #[cfg(debug_assertions)]
        {
            let taken = self.taken;
            self.assert_settled("a scanned byte of a head");
            self.taken = taken;
        }
        Some(1)
    }

    /// Parses one head; queues the request or the error. False when the head is not complete.
    ///
    /// A head that arrived whole is parsed in one pass ([`parse_quick`]); a head that arrives in
    /// pieces is scanned line by line as it grows (each byte looked at once, every limit checked
    /// before more is buffered) and parsed by the same one pass when complete. What the one pass
    /// leaves undecided goes to the canonical parse.
    pub(super) fn parse_one(&mut self) -> bool {
        let Some(q) = self.parse_next() else {
            return false;
        };
        self.enqueue(q);
        true
    }

    /// Puts a parsed item at the end of the parse-ahead queue.
    fn enqueue(&mut self, q: Queued) {
        let b = self.busy.get_or_insert_with(Box::default);
        b.queued_bytes += q.bytes();
        b.queue.push_back(q);
    }

    /// Parses the next head (as [`parse_one`](Self::parse_one)) and returns it instead of queueing
    /// it: for when nothing is queued and it becomes current at once.
    #[inline]
    pub(super) fn parse_next(&mut self) -> Option<Queued> {
        if let Some(b) = self.busy.as_ref() {
            if b.scanner.seen_all(self.rbuf.len()) {
                // A partial head and no byte since it was last scanned: a cheap answer, without
                // entering the parse below.
                return None;
            }
        }
        self.parse_new_bytes()
    }

    /// [`parse_next`](Self::parse_next) when bytes arrived since the last scan.
    #[inline(never)]
    fn parse_new_bytes(&mut self) -> Option<Queued> {
        let b = self.busy.get_or_insert_with(Box::default);
        let held = !b.queue.is_empty() || !b.events.is_empty();
        let fresh = b.scanner.is_fresh();
        let whole = if fresh {
            may_be_whole(&self.rbuf, b.last_head)
        } else {
            // The last piece of a head that arrived in parts: the rest needs no scan.
            ends_a_head(&self.rbuf)
        };
        if whole {
            let (fields, cfg) = (&mut b.fields, &*self.cfg);
            let quick = parse_quick(&self.rbuf, &cfg.limits, &cfg.profile, |n| {
                fields.reserve_fields(n, held)
            });
            if let Quick::Head(mut head, len) = quick {
                if !fresh {
                    b.scanner.reset();
                }
                b.last_head = len;
                head.buf = self.rbuf.split_to(len).freeze();
                return Some(self.queued(head));
            }
        }
        self.scanned_head(held)
    }

    /// The scanner's way to the next item: `None` while the head is incomplete.
    fn scanned_head(&mut self, held: bool) -> Option<Queued> {
        Some(match self.scan_head(held)? {
            Ok(head) => self.queued(head),
            Err((e, to_head)) => self.queued_error(e, to_head),
        })
    }

    /// A parsed head as the next item: its framing, and what the persistence decision says of it.
    /// A head that holds a body, asks to switch protocols or is the last one stops parsing ahead.
    fn queued(&mut self, head: RequestHead) -> Queued {
        let cfg = &*self.cfg;
        let framing = match request_framing(&head, &cfg.profile, &cfg.limits) {
            Ok(f) => f,
            Err(e) => {
                let to_head = head.method() == Method::Head;
                return self.queued_error(e, to_head);
            }
        };
        self.parsed += 1;
        let side = RequestSide {
            version: head.version(),
            options: head.connection(),
            must_close: framing.must_close,
            nth: self.parsed,
        };
        let last = !close_reasons(&cfg.keep_alive, side, None).is_empty();
        let holds = has_body(framing.body) || head.wants_upgrade() || head.method() == Method::Connect;
        match (holds, last) {
            (true, _) => self.read = self.read.on(ReadEvent::HeadWithBody),
            (false, true) => self.read = self.read.on(ReadEvent::LastHead),
            (false, false) => {}
        }
        Queued::Request {
            head,
            framing,
            side,
            last,
        }
    }

    /// A broken head as the next item: it is the last.
    fn queued_error(&mut self, e: PeerError, to_head: bool) -> Queued {
        self.parsed += 1;
        self.read = self.read.on(ReadEvent::LastHead);
        Queued::Error(e, to_head)
    }

    /// The scanner's way to a head: `None` while it is incomplete; once it is whole, the one pass
    /// parses it, or the canonical parse when the one pass leaves it undecided. An error says
    /// whether it answers a HEAD request.
    fn scan_head(&mut self, held: bool) -> Option<Result<RequestHead, (PeerError, bool)>> {
        let cfg = &*self.cfg;
        let b = self.busy.get_or_insert_with(Box::default);
        let scanned = b.scanner.scan(&mut self.rbuf, &cfg.limits, &cfg.profile);
        let skipped = b.scanner.skipped();
        if skipped > 0 {
            self.rbuf.advance(skipped);
            b.scanner.rebase(skipped);
        }
        match scanned {
            Ok(Scan::Partial) => {
                if self.rbuf.is_empty() {
                    b.head_start = None;
                } else if let Some(h) = b.head_start.as_mut() {
                    h.time(&cfg.timeouts);
                }
                None
            }
            Ok(Scan::Complete {
                start,
                end,
                fields: count,
            }) => {
                b.scanner.reset();
                let len = end - start;
                b.last_head = len;
                // The head is whole now: the one pass parses it as it parses a head that arrived
                // whole, with the same verdict, unless it leaves it to the canonical parse.
                let fields = &mut b.fields;
                let quick = parse_quick(&self.rbuf[..len], &cfg.limits, &cfg.profile, |n| {
                    fields.reserve_fields(n, held)
                });
                if let Quick::Head(mut head, n) = quick {
                    debug_assert_eq!(n, len, "the one pass ends the head where the scanner did");
                    head.buf = self.rbuf.split_to(len).freeze();
                    return Some(Ok(head));
                }
                let bytes = self.rbuf.split_to(len).freeze();
                let to_head = bytes.starts_with(b"HEAD ");
                let arena = b.fields.reserve_fields(count, held);
                Some(
                    parse_head_reusing(bytes, &cfg.limits, &cfg.profile, arena, Some(count))
                        .map_err(|e| (e, to_head)),
                )
            }
            Err(e) => Some(Err((e, self.rbuf.starts_with(b"HEAD ")))),
        }
    }

    /// Makes a queued item the current exchange.
    pub(super) fn surface(&mut self, q: Queued) {
        if let Some(b) = self.busy.as_mut() {
            b.head_start = None;
        }
        let (head, framing, side, last) = match q {
            Queued::Error(e, to_head) => return self.peer_error_without_exchange(e, to_head),
            Queued::Request {
                head,
                framing,
                side,
                last,
            } => (head, framing, side, last),
        };
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
            BodyFraming::None => BodyRead::Length(0),
            BodyFraming::Length(n) => BodyRead::Length(n),
            BodyFraming::Chunked => BodyRead::Chunked(ChunkedDecoder::new()),
        };
        let with_body = has_body(framing.body);
        let expects_continue = expect == Expect::Continue && with_body;
        let now = self.clock.now;
        let b = self.busy.get_or_insert_with(Box::default);
        b.cur = Some(Exchange {
            method: head.method(),
            version: head.version(),
            side,
            last,
            body,
            received: 0,
            body_start: now,
            body_progress: now,
            discarded: 0,
            framing: crate::ResponseFraming::NoBody { content_length: None },
            remaining: 0,
            upgrade_offer,
        });
        b.events.push_back(Event::Request(Request {
            head,
            framing: framing.body,
            expects_continue,
        }));
        self.write = self.write.on(WriteEvent::Surfaced);
        if !with_body {
            self.push_event(Event::End(None));
        } else if self.read == Read::Blocked {
            self.read = self.read.on(if expects_continue {
                ReadEvent::ContinueAwaited
            } else {
                ReadEvent::BodyStarts
            });
        }
    }

    /// Decodes one piece of the current body.
    pub(super) fn step_body(&mut self) -> bool {
        let now = self.clock.now;
        let ended = self.input == PeerInput::Ended;
        let Some(cur) = self.busy.as_mut().and_then(|b| b.cur.as_mut()) else {
            return false;
        };
        let out = match &mut cur.body {
            BodyRead::Length(rem) if self.rbuf.is_empty() => Ok(None),
            BodyRead::Length(rem) => {
                let take = (*rem).min(self.rbuf.len() as u64) as usize;
                *rem -= take as u64;
                Ok(Some(Decoded::Data(self.rbuf.split_to(take).freeze())))
            }
            BodyRead::Chunked(d) => {
                self.rbuf.mark_split();
                d.decode(&mut self.rbuf, &self.cfg)
            }
        };
        let complete = matches!(cur.body, BodyRead::Length(0));
        match out {
            Ok(None) if ended => {
                self.body_error(PeerErrorKind::Incomplete.into());
                true
            }
            Ok(None) => false,
            Ok(Some(Decoded::Data(data))) => {
                cur.received += data.len() as u64;
                cur.body_progress = now;
                if self.read == Read::Discard {
                    cur.discarded += data.len() as u64;
                    if complete {
                        self.body_end();
                    } else if cur.discarded > self.cfg.discard_budget {
                        self.unread_body();
                    }
                } else {
                    self.push_event(Event::Data(data));
                    if complete {
                        self.push_event(Event::End(None));
                        self.body_end();
                    }
                }
                true
            }
            Ok(Some(Decoded::End(trailers))) => {
                if self.read != Read::Discard {
                    self.push_event(Event::End(trailers));
                }
                self.body_end();
                true
            }
            Err(e) => {
                self.body_error(e);
                true
            }
        }
    }

    /// The current body ended: parse on, hold for a possible protocol switch, or stop.
    fn body_end(&mut self) {
        let (last, hold) = self.cur_ref().map_or((true, false), |c| (c.last, c.may_switch()));
        if last || !self.latch.is_open() {
            self.stop_reading();
        } else {
            self.read = self.read.on(if hold {
                ReadEvent::BodyEndedHold
            } else {
                ReadEvent::BodyEnded
            });
        }
        if self.write == Write::Finished && self.read != Read::Discard {
            self.end_exchange();
        }
    }

    /// The rest of the body will not be read: close after the output, lingering.
    pub(super) fn unread_body(&mut self) {
        self.latch.close(CloseReason::UnreadBody);
        self.drop_exchange();
        self.stop_reading();
        self.close(CloseHow::Linger);
    }

    /// A peer error inside the current body (bad chunk, body timeout, input ended).
    pub(super) fn body_error(&mut self, e: PeerError) {
        if self.cur_ref().is_none() {
            return;
        }
        let to_head = self.cur_ref().is_some_and(|c| c.method == Method::Head);
        let incomplete = e.kind() == PeerErrorKind::Incomplete;
        self.error = Some(e);
        if self.write != Write::Finished {
            self.push_event(Event::Error(e));
        }
        self.stop_reading();
        self.latch.close(if incomplete {
            CloseReason::PeerClosed
        } else {
            CloseReason::ErrorStatus
        });
        match self.write {
            Write::Respond => {
                // No response started: the connection answers (unless the peer is gone).
                self.drop_exchange();
                if !incomplete {
                    self.served += 1;
                    let date = self.date;
                    writer::error_response(self.out(), e, to_head, date.as_ref());
                }
                self.close(if incomplete {
                    CloseHow::Graceful
                } else {
                    CloseHow::Linger
                });
            }
            // The application's response finishes, then the connection closes.
            Write::Body => {}
            _ => {
                self.drop_exchange();
                self.close(CloseHow::Linger);
            }
        }
    }

    /// A peer error with no exchange to attach to: queue the error response and close.
    pub(super) fn peer_error_without_exchange(&mut self, e: PeerError, to_head: bool) {
        self.error = Some(e);
        self.push_event(Event::Error(e));
        self.stop_reading();
        self.latch.close(CloseReason::ErrorStatus);
        self.served += 1;
        let date = self.date;
        writer::error_response(self.out(), e, to_head, date.as_ref());
        self.close(CloseHow::Linger);
    }

    /// After the peer's EOF: close once no complete request is left to answer.
    pub(super) fn check_eof(&mut self) {
        if self.input != PeerInput::Ended || self.write != Write::Idle || !self.queue_is_empty() {
            return;
        }
        // Complete heads may still sit in the buffer: parse them first.
        while self.may_parse_head() && self.parse_one() {}
        if !self.queue_is_empty() {
            return;
        }
        self.latch.close(CloseReason::PeerClosed);
        self.stop_reading();
        self.close(CloseHow::Graceful);
    }

    /// After an exchange ends: close if the latch says so, else become idle.
    pub(super) fn end_exchange(&mut self) {
        self.drop_exchange();
        if self.write.in_exchange() {
            self.write = self.write.on(WriteEvent::ExchangeEnded);
        }
        if self.read == Read::Blocked && self.queue_is_empty() {
            self.read = self.read.on(ReadEvent::ExchangeEnded);
        }
        if !self.latch.is_open() {
            let how = self.how_to_close();
            self.stop_reading();
            self.close(how);
        } else {
            self.clock.idle_since = self.clock.now;
            let now = self.clock.now;
            let pending = !self.rbuf.is_empty();
            if let Some(b) = self.busy.as_mut() {
                b.head_start = pending.then_some(HeadClock::Began(now));
            }
        }
        self.check_eof();
        self.maybe_close();
    }

    /// Forgets the current exchange. A request whose body was still being delivered gets its last
    /// event, [`Event::Discarded`].
    pub(super) fn drop_exchange(&mut self) {
        let delivering = matches!(self.read, Read::Continue | Read::Body);
        if let Some(b) = self.busy.as_mut() {
            if b.cur.take().is_some() && delivering {
                b.events.push_back(Event::Discarded);
            }
        }
    }

    /// Nothing more is read: the reader stops and the parse-ahead queue is dropped.
    pub(super) fn stop_reading(&mut self) {
        self.clear_queue();
        if !matches!(self.read, Read::Stopped | Read::Upgraded) {
            self.read = self.read.on(ReadEvent::Stop);
        }
    }
}

fn has_body(f: BodyFraming) -> bool {
    !matches!(f, BodyFraming::None | BodyFraming::Length(0))
}
