//! When input is taken: the connection asks for it ([`Connection::wants_read`]) and the adapter reads
//! ([`Connection::pause_input`]). While it is not taken (the server's own back-pressure), the header
//! and body read timers stand still; `settle`, run at the end of every call, starts and ends those
//! pauses and gives memory back.

use core::time::Duration;

use super::state::Write;
use super::{AdapterReads, Connection, Intake, PeerInput, Taken};

impl Connection {
    /// True when the adapter should read from the transport now: the connection needs input, has
    /// room for it, and its output is below
    /// [`Config::output_high_water`](crate::Config::output_high_water). An adapter reads only while
    /// this is true, so the server's own back-pressure is never blamed on the peer: the header and
    /// body read timers run only while it is true, and a peer that stops reading its responses is
    /// caught by the send timer instead. While lingering it stays true (input is read and dropped).
    pub fn wants_read(&self) -> bool {
        match self.write {
            Write::Upgraded | Write::Closed => false,
            Write::Lingering => true,
            _ => {
                self.input_needed()
                    && self.input == PeerInput::Open
                    && self.input_held() < self.cfg.max_buffered
                    && (self.rbuf.spare() > 0 || !self.holds_input_slices())
                    && self.wbuf.len() < self.cfg.output_high_water
            }
        }
    }

    /// The adapter stops reading for reasons of its own (a thread-per-connection adapter blocked in
    /// a write, its own memory limits): the header and body read timers stand still until
    /// [`resume_input`](Self::resume_input), since the peer cannot be blamed for bytes nobody reads.
    /// A peer that does not read what is written is caught by the send timer.
    pub fn pause_input(&mut self, now: Duration) {
        self.tick(now);
        self.adapter = AdapterReads::Paused;
        self.settle();
    }

    /// The adapter reads again (see [`pause_input`](Self::pause_input)).
    pub fn resume_input(&mut self, now: Duration) {
        self.tick(now);
        self.adapter = AdapterReads::Yes;
        self.settle();
    }

    /// Requests parsed ahead or events not yet polled hold slices of the input buffer: it is not
    /// moved to a new allocation then (the connection would hold two).
    pub(super) fn holds_input_slices(&self) -> bool {
        self.busy
            .as_ref()
            .is_some_and(|b| !b.queue.is_empty() || !b.events.is_empty())
    }

    /// Input the connection holds: unprocessed bytes and the heads parsed ahead. At most
    /// [`Config::max_buffered`].
    pub(super) fn input_held(&self) -> usize {
        self.rbuf.len() + self.busy.as_ref().map_or(0, |b| b.queued_bytes)
    }

    /// The intake agrees with what the connection and the adapter say now (as `settle` leaves it).
    pub(super) fn intake_settled(&self) -> bool {
        let taking = self.wants_read() && self.adapter == AdapterReads::Yes;
        taking == (self.intake == Intake::Wanted)
    }

    /// Debug builds, where a call skips `settle`: runs it and panics if it changed the intake,
    /// whether input is wanted, or the memory held (`what` names the call's case).
    #[cfg(debug_assertions)]
    pub(super) fn assert_settled(&mut self, what: &str) {
        let state = |c: &Self| (c.intake, c.wants_read(), c.heap_bytes());
        let before = state(self);
        self.settle();
        assert_eq!(before, state(self), "{what} left `settle` work to do");
    }

    /// End of every public call that changes state: release memory, and start or end a pause of
    /// the read timers when the connection stops or starts asking for input.
    pub(super) fn settle(&mut self) {
        self.taken = Taken::Nothing;
        self.release_if_idle();
        // Earlier field-position buffers are held only by what is queued or pending here (or by
        // the application). The input buffer never retires one: it waits instead (`InBuf::room`).
        if let Some(b) = self.busy.as_mut() {
            if b.queue.is_empty() && b.events.is_empty() {
                b.fields.forget_retired();
            }
        }
        let now = self.clock.now;
        let taking = self.wants_read() && self.adapter == AdapterReads::Yes;
        match (self.intake, taking) {
            (Intake::Wanted, false) => self.intake = Intake::Paused { since: now },
            (Intake::Paused { since }, true) => {
                // The pause does not count against the peer: move the read clocks forward.
                let paused = now.saturating_sub(since);
                if let Some(b) = self.busy.as_mut() {
                    if let Some(h) = b.head_start.as_mut() {
                        h.shift(paused);
                    }
                    if let Some(c) = b.cur.as_mut() {
                        c.body_start = c.body_start.saturating_add(paused);
                        c.body_progress = c.body_progress.saturating_add(paused);
                    }
                }
                self.intake = Intake::Wanted;
            }
            _ => {}
        }
    }
}
