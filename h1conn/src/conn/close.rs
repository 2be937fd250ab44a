//! Closing in one place: how to close (graceful, linger, abort), the move from closing to lingering
//! or closed once output is drained, what each timer does when it fires, and giving memory back.

use super::deadlines::Timer;
use super::state::{Write, WriteEvent};
use super::{Connection, PeerInput};
use crate::error::PeerErrorKind;
use crate::CloseHow;
use crate::CloseReason;

/// How to close once the last response is out: gracefully when no unread input is buffered, else
/// lingering, so the peer's unread bytes do not make the kernel reset the connection and destroy
/// the response (RFC 9112 §9.6).
pub(crate) fn how_to_close(unread_input: bool) -> CloseHow {
    if unread_input {
        CloseHow::Linger
    } else {
        CloseHow::Graceful
    }
}

impl Connection {
    /// Lingering when input is buffered or requests parsed ahead are dropped: the peer is still
    /// sending.
    pub(super) fn how_to_close(&self) -> CloseHow {
        how_to_close(!self.rbuf.is_empty() || !self.queue_is_empty())
    }

    /// Decides to close: the writer goes `Closing` (dropping any exchange) and closes `how` once
    /// output is drained.
    pub(super) fn close(&mut self, how: CloseHow) {
        if self.write.in_exchange() || self.write == Write::Idle {
            self.drop_exchange();
            self.write = self.write.on(WriteEvent::Close);
            self.how = how;
        }
        self.advance_close();
    }

    /// Moves `Closing` to `Lingering` or `Closed` once output is drained.
    pub(super) fn advance_close(&mut self) {
        if self.write != Write::Closing || !self.wbuf.is_empty() {
            return;
        }
        if self.how == CloseHow::Linger && self.input == PeerInput::Open {
            self.write = self.write.on(WriteEvent::DrainedLinger);
            self.linger_since = self.clock.now;
            self.linger_input = self.clock.now;
        } else {
            self.write = self.write.on(WriteEvent::Drained);
        }
        self.rbuf.clear();
    }

    /// Closes at once; pending output is void.
    pub(super) fn abort(&mut self, r: CloseReason) {
        self.latch.close(r);
        match self.write {
            Write::Upgraded => {}
            Write::Closed => self.how = CloseHow::Abort,
            _ => {
                self.drop_exchange();
                self.write = self.write.on(WriteEvent::Abort);
                self.how = CloseHow::Abort;
            }
        }
        self.stop_reading();
    }

    /// No new request starts: the latch closes and nothing further is parsed.
    pub(super) fn stop_new_requests(&mut self, r: CloseReason) {
        self.latch.close(r);
        self.clear_queue();
        if matches!(self.read, super::Read::Heads | super::Read::Blocked) {
            self.stop_reading();
        }
    }

    /// Closes a connection with nothing in flight once its latch is closed.
    pub(super) fn maybe_close(&mut self) {
        if self.write == Write::Idle && !self.latch.is_open() {
            let how = self.how_to_close();
            self.stop_reading();
            self.close(how);
        }
        self.advance_close();
    }

    pub(super) fn fire(&mut self, t: Timer) {
        match t {
            Timer::Idle => {
                self.latch.close(CloseReason::Timeout);
                self.stop_reading();
                self.close(CloseHow::Graceful);
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
            Timer::Linger => self.write = self.write.on(WriteEvent::LingerEnded),
            Timer::Lifetime => {
                self.stop_new_requests(CloseReason::Lifetime);
                self.maybe_close();
            }
            Timer::Release => self.release_now(),
        }
    }

    /// Gives back the buffers and the in-flight state now, as the `Release` timer does once the
    /// connection has been idle for [`Config::release_idle_after`](crate::Config::release_idle_after):
    /// for an adapter that expects the connection to stay idle. What is still in use (a request in
    /// flight, input not yet processed, output not yet written) is kept. Does nothing when
    /// [`Config::release_idle_memory`](crate::Config::release_idle_memory) is off.
    pub fn release_memory(&mut self) {
        if self.cfg.release_idle_memory {
            self.release_now();
        }
    }

    /// True when nothing is in flight: no request, no buffered input, no pending event.
    pub(super) fn nothing_in_flight(&self) -> bool {
        self.rbuf.is_empty()
            && self.busy.as_ref().is_none_or(|b| {
                b.cur.is_none() && b.queue.is_empty() && b.events.is_empty() && b.head_start.is_none()
            })
    }

    /// True while the connection holds heap memory it could give back.
    pub(super) fn holds_memory(&self) -> bool {
        self.busy.is_some() || self.rbuf.heap_bytes() > 0 || self.wbuf.capacity() > 0
    }

    /// Releases at once what a finished connection holds, and an idle one's memory when the
    /// release delay is zero (otherwise the `Release` timer does it).
    pub(super) fn release_if_idle(&mut self) {
        if matches!(self.write, Write::Closed | Write::Lingering) {
            // Nothing more is read or (past what is pending) written.
            self.busy = None;
            self.rbuf.release();
            if self.wbuf.is_empty() || self.how == CloseHow::Abort && self.write == Write::Closed {
                self.wbuf.release();
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
            self.rbuf.release();
        }
        if self.wbuf.is_empty() && self.wbuf.capacity() > 0 {
            self.wbuf.release();
        }
    }
}
