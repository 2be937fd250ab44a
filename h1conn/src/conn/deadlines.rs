//! Named timers in one fixed table, and the one pure function that sets every deadline from a
//! [`Snapshot`] of the connection and its configuration. The connection takes a snapshot when a
//! deadline is asked for; the next deadline is the minimum over the table, O(timers).
//!
//! Each timer is armed by one documented condition (docs/design.md has the full table):
//!
//! | timer | armed | disarmed | on expiry |
//! |---|---|---|---|
//! | `Idle` | connection open; end of each response with nothing buffered | first byte of the next request | close, no response |
//! | `Header` | first byte of a request head | head complete | 408, close |
//! | `Body` | the body is wanted and the buffer is empty | body complete | 408 (or abort if a response started), close |
//! | `Send` | output pending; no progress for `send`, or below `send_min_rate` after `send` | output drained | abort |
//! | `Linger` | output drained after a lingering-close decision; `linger` after it began or `linger_idle` after the last input | end of input | done |
//! | `Lifetime` | connection open (if configured) | never | no new request; close when idle |
//! | `Release` | idle with buffers held | the next request's first byte | buffers and in-flight state freed |

use core::time::Duration;

use crate::config::{Config, Timeouts};

/// The connection's timers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Timer {
    /// Waiting for the first byte of a request (keep-alive timeout).
    Idle = 0,
    /// Waiting for the rest of a request head.
    Header,
    /// Waiting for request body bytes.
    Body,
    /// Output not acknowledged.
    Send,
    /// Reading and discarding after a close decision.
    Linger,
    /// Maximum connection lifetime.
    Lifetime,
    /// Release of an idle connection's buffers.
    Release,
}

impl Timer {
    /// Every timer, in table order.
    pub const ALL: [Timer; 7] = [
        Timer::Idle,
        Timer::Header,
        Timer::Body,
        Timer::Send,
        Timer::Linger,
        Timer::Lifetime,
        Timer::Release,
    ];
}

/// A deadline per timer, stored as nanoseconds on the caller's time line (`u64::MAX`: disarmed), so
/// the table costs 56 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TimerTable {
    deadlines: [u64; 7],
}

impl Default for TimerTable {
    fn default() -> Self {
        TimerTable {
            deadlines: [u64::MAX; 7],
        }
    }
}

/// A `Duration` as whole nanoseconds, saturating (584 years fit).
#[inline]
pub(crate) fn to_nanos(d: Duration) -> u64 {
    // In u64 arithmetic: no u128 division on the way.
    d.as_secs()
        .saturating_mul(1_000_000_000)
        .saturating_add(u64::from(d.subsec_nanos()))
        .min(u64::MAX - 1)
}

impl TimerTable {
    /// Arms `t` at `at`, or disarms it with `None`.
    #[cfg(test)]
    fn set(&mut self, t: Timer, at: Option<Duration>) {
        self.deadlines[t as usize] = at.map_or(u64::MAX, to_nanos);
    }
    /// The deadline of `t`.
    pub(crate) fn get(&self, t: Timer) -> Option<Duration> {
        let d = self.deadlines[t as usize];
        (d != u64::MAX).then(|| Duration::from_nanos(d))
    }
    /// The earliest deadline.
    pub(crate) fn next(&self) -> Option<Duration> {
        let d = self.deadlines.iter().copied().min().unwrap_or(u64::MAX);
        (d != u64::MAX).then(|| Duration::from_nanos(d))
    }
    /// The first timer (in table order) whose deadline is at or before `now`.
    pub(crate) fn expired(&self, now: Duration) -> Option<Timer> {
        let now = to_nanos(now);
        Timer::ALL
            .into_iter()
            .find(|t| self.deadlines[*t as usize] != u64::MAX && self.deadlines[*t as usize] <= now)
    }
}

/// A deadline that starts at `start`, is `base` long, and grows by [`rate_step`] for each byte
/// received (one second per `rate` bytes), never past `start + cap` (Apache `RequestReadTimeout
/// ... MinRate=`). `rate == 0`: no growth. In nanoseconds, as every deadline.
pub(crate) fn rate_deadline(
    start: u64,
    base: Duration,
    cap: Option<Duration>,
    rate: u32,
    received: u64,
) -> u64 {
    let base = to_nanos(base);
    let ceil = cap.map_or(u64::MAX, |cap| start.saturating_add(to_nanos(cap).max(base)));
    grown_deadline(start.saturating_add(base), ceil, rate_step(rate), received)
}

/// What each byte received adds to a deadline under a minimum rate of `rate` bytes per second:
/// a second divided by `rate`, in whole nanoseconds (Apache's mod_reqtimeout adds the same share
/// of a second per byte, in whole microseconds). 0 for no rate.
pub(crate) fn rate_step(rate: u32) -> u64 {
    match rate {
        0 => 0,
        r => 1_000_000_000 / u64::from(r),
    }
}

/// [`rate_deadline`] from its two ends: `floor` (the start plus the base) grows by `step` per
/// byte `received`, up to `ceil`. Saturating addition is associative and keeps order, so
/// `start + min(base + growth, cap)` is `min(floor + growth, ceil)`.
#[inline]
fn grown_deadline(floor: u64, ceil: u64, step: u64, received: u64) -> u64 {
    floor
        .saturating_add(received.saturating_mul(step))
        .min(ceil)
        .min(u64::MAX - 1)
}

/// The header timer of the head now arriving. Most heads arrive whole and are parsed at once, so
/// the two ends of the deadline are worked out (in nanoseconds, from the configuration) only once
/// a head turns out to arrive in pieces: asking for the deadline after each piece of a slow head
/// then costs no conversions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HeadClock {
    /// The first byte of the head was seen at this time.
    Began(u64),
    /// The head is arriving in pieces: when it began, and the ends and step of
    /// [`grown_deadline`].
    Timed {
        /// When the first byte was seen.
        start: u64,
        /// `start + header`.
        floor: u64,
        /// `start + max(header_max, header)`.
        ceil: u64,
        /// What each byte adds: [`rate_step`] of `header_min_rate`.
        step: u64,
    },
}

impl HeadClock {
    /// When the head began.
    pub(crate) fn start(&self) -> u64 {
        match *self {
            HeadClock::Began(start) | HeadClock::Timed { start, .. } => start,
        }
    }

    /// The head is incomplete: work out the ends of its deadline now.
    pub(crate) fn time(&mut self, to: &Timeouts) {
        if let HeadClock::Began(start) = *self {
            let base = to_nanos(to.header);
            *self = HeadClock::Timed {
                start,
                floor: start.saturating_add(base),
                ceil: start.saturating_add(to_nanos(to.header_max).max(base)),
                step: rate_step(to.header_min_rate),
            };
        }
    }

    /// The server paused reading for `d` nanoseconds: the timer stands still that long.
    pub(crate) fn shift(&mut self, d: u64) {
        *self = match *self {
            HeadClock::Began(start) => HeadClock::Began(start.saturating_add(d)),
            HeadClock::Timed {
                start,
                floor,
                ceil,
                step,
            } => HeadClock::Timed {
                start: start.saturating_add(d),
                floor: floor.saturating_add(d),
                ceil: ceil.saturating_add(d),
                step,
            },
        };
    }

    /// The header deadline with `received` bytes of the head in: [`rate_deadline`] from the start
    /// with `to.header`, `to.header_max` and `to.header_min_rate`.
    #[inline]
    pub(crate) fn deadline(&self, to: &Timeouts, received: u64) -> u64 {
        match *self {
            HeadClock::Began(start) => rate_deadline(
                start,
                to.header,
                Some(to.header_max),
                to.header_min_rate,
                received,
            ),
            HeadClock::Timed {
                floor, ceil, step, ..
            } => grown_deadline(floor, ceil, step, received),
        }
    }
}

/// What the deadlines depend on, read off the connection at the end of a call. Times are
/// nanoseconds on the caller's time line.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Snapshot {
    /// The connection is serving (not closing, closed or handed over).
    pub open: bool,
    /// No request is current or queued.
    pub idle: bool,
    /// Heads are still read (the reader is in `Heads`).
    pub reading_heads: bool,
    /// The connection does not ask for input (its own back-pressure): read timers stand still.
    pub reading_paused: bool,
    /// The peer ended its input.
    pub input_ended: bool,
    /// Unprocessed input bytes.
    pub buffered: usize,
    /// Output waits to be written.
    pub output_pending: bool,
    /// When the first byte of the head now arriving was seen.
    pub head_start: Option<u64>,
    /// The body being read: (when reading it began, the last progress, bytes received).
    pub body: Option<(u64, u64, u64)>,
    /// When the connection last became idle or last wrote, whichever is later.
    pub quiet_since: u64,
    /// When output last made progress.
    pub send_progress: u64,
    /// When the output now pending started waiting, and the bytes written since.
    pub send_start: u64,
    pub sent: u64,
    /// While lingering: when it began, and when input last arrived.
    pub linger: Option<(u64, u64)>,
    /// When the connection was opened.
    pub opened: u64,
    /// The lifetime limit has already stopped new requests.
    pub lifetime_over: bool,
    /// Nothing is in flight and the connection holds memory it could give back.
    pub releasable: bool,
}

fn at(t: u64, d: Duration) -> u64 {
    t.saturating_add(to_nanos(d)).min(u64::MAX - 1)
}

/// Every deadline, from the snapshot and the configuration.
pub(crate) fn deadlines(s: &Snapshot, cfg: &Config) -> TimerTable {
    let to = &cfg.timeouts;
    let idle = s.open && s.idle;
    let mut t = TimerTable::default();
    let mut arm = |timer: Timer, deadline: Option<u64>| {
        t.deadlines[timer as usize] = deadline.unwrap_or(u64::MAX);
    };
    arm(
        Timer::Idle,
        (idle && s.buffered == 0 && !s.input_ended && !s.output_pending)
            .then(|| at(s.quiet_since, cfg.keep_alive.timeout)),
    );
    let header = match s.head_start {
        Some(start) if idle && s.reading_heads && !s.reading_paused && s.buffered > 0 => Some(rate_deadline(
            start,
            to.header,
            Some(to.header_max),
            to.header_min_rate,
            s.buffered as u64,
        )),
        _ => None,
    };
    arm(Timer::Header, header);
    let body = match s.body {
        Some((start, progress, received))
            if s.open && !s.reading_paused && s.buffered == 0 && !s.input_ended =>
        {
            let gap = at(progress, to.body);
            let rate = (to.body_min_rate > 0)
                .then(|| rate_deadline(start, to.body, None, to.body_min_rate, received));
            Some(rate.map_or(gap, |r| r.min(gap)))
        }
        _ => None,
    };
    arm(Timer::Body, body);
    let send = s.output_pending.then(|| {
        let stall = at(s.send_progress, to.send);
        match to.send_min_rate {
            0 => stall,
            rate => stall.min(rate_deadline(s.send_start, to.send, None, rate, s.sent)),
        }
    });
    arm(Timer::Send, send);
    arm(
        Timer::Linger,
        s.linger
            .map(|(since, input)| at(since, to.linger).min(at(input, to.linger_idle))),
    );
    let life = match cfg.keep_alive.max_lifetime {
        Some(l) if s.open && !s.lifetime_over => Some(at(s.opened, l)),
        _ => None,
    };
    arm(Timer::Lifetime, life);
    let after = cfg.release_idle_after;
    arm(
        Timer::Release,
        (cfg.release_idle_memory && !after.is_zero() && s.open && !s.output_pending && s.releasable)
            .then(|| at(s.quiet_since, after)),
    );
    t
}

#[inline]
fn dur(n: u64) -> Duration {
    Duration::from_nanos(n)
}

use super::state::{Read, Write};
use super::{Intake, PeerInput};

impl super::Connection {
    /// Every deadline, from a snapshot of the state; O(timers). Computed when asked, so each call
    /// of the transport or the application costs nothing for timers.
    pub(super) fn deadlines(&self) -> TimerTable {
        let b = self.busy.as_deref();
        let cur = b.and_then(|b| b.cur.as_ref());
        let snapshot = Snapshot {
            open: self.write.in_exchange() || self.write == Write::Idle,
            idle: self.write == Write::Idle && b.is_none_or(|b| b.queue.is_empty()),
            reading_heads: self.read == Read::Heads,
            reading_paused: self.intake != Intake::Wanted,
            input_ended: self.input == PeerInput::Ended,
            buffered: self.rbuf.len(),
            output_pending: !self.wbuf.is_empty() && !matches!(self.write, Write::Closed | Write::Upgraded),
            head_start: b.and_then(|b| b.head_start).map(|h| h.start()),
            body: match (cur, self.read) {
                (Some(c), Read::Body | Read::Discard) => Some((c.body_start, c.body_progress, c.received)),
                _ => None,
            },
            quiet_since: self.clock.idle_since.max(self.clock.send_progress),
            send_progress: self.clock.send_progress,
            send_start: self.clock.send_start,
            sent: self.clock.sent,
            linger: (self.write == Write::Lingering).then_some((self.linger_since, self.linger_input)),
            opened: self.clock.opened,
            lifetime_over: self.latch.reasons().contains(crate::CloseReason::Lifetime),
            releasable: self.holds_memory() && self.nothing_in_flight(),
        };
        deadlines(&snapshot, &self.cfg)
    }

    /// The earliest deadline in the two states a connection spends most calls in, without a
    /// snapshot of the whole table: waiting for its next request (the idle timer, or the release
    /// timer when it comes first), and receiving a head (the header timer). Both need the writer
    /// idle, nothing queued or current, no output pending, the peer's input open and no lifetime
    /// limit; `None` in every other state. The answer is the whole table's ([`deadlines`]).
    pub(super) fn quick_deadline(&self) -> Option<Duration> {
        self.quick_deadline_ns().map(dur)
    }

    /// The header timer while the connection awaits a piece of a head
    /// ([`Taken::AwaitingHead`](super::Taken::AwaitingHead)), worked out when the state was
    /// entered or kept a byte: `None` in every other state, and when the header timer is not the
    /// state's one deadline.
    #[inline(always)]
    pub(super) fn head_piece_deadline(&self) -> Option<Duration> {
        match self.taken {
            super::Taken::AwaitingHead { deadline, .. } if deadline != u64::MAX => Some(dur(deadline)),
            _ => None,
        }
    }

    /// The header deadline of a connection that awaits a piece of a head, with `len` bytes of
    /// it buffered, when it is that state's one deadline (no output pending and no lifetime
    /// limit); `u64::MAX` otherwise.
    #[inline(always)]
    pub(super) fn head_piece_deadline_ns(&self, len: usize) -> u64 {
        if !self.wbuf.is_empty() || self.cfg.keep_alive.max_lifetime.is_some() {
            return u64::MAX;
        }
        match self.busy.as_deref().and_then(|b| b.head_start) {
            Some(h) => h.deadline(&self.cfg.timeouts, len as u64),
            None => u64::MAX,
        }
    }

    /// [`quick_deadline`](Self::quick_deadline) in nanoseconds.
    #[inline(always)]
    pub(super) fn quick_deadline_ns(&self) -> Option<u64> {
        let b = self.busy.as_deref();
        let common = self.write == Write::Idle
            && self.input == PeerInput::Open
            && self.wbuf.is_empty()
            && self.cfg.keep_alive.max_lifetime.is_none()
            && b.is_none_or(|b| b.cur.is_none() && b.queue.is_empty());
        if !common {
            return None;
        }
        let head_start = b.and_then(|b| b.head_start);
        if self.rbuf.is_empty() {
            // Waiting for the next request.
            if head_start.is_some() || b.is_some_and(|b| !b.events.is_empty()) {
                return None;
            }
            let since = self.clock.idle_since.max(self.clock.send_progress);
            let mut next = at(since, self.cfg.keep_alive.timeout);
            let after = self.cfg.release_idle_after;
            if self.cfg.release_idle_memory && !after.is_zero() && self.holds_memory() {
                next = next.min(at(since, after));
            }
            return Some(next);
        }
        // A head arriving: the header timer alone.
        match head_start {
            Some(h) if self.read == Read::Heads && self.intake == Intake::Wanted => {
                Some(h.deadline(&self.cfg.timeouts, self.rbuf.len() as u64))
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_is_minimum_and_expired_in_order() {
        let mut t = TimerTable::default();
        assert_eq!(t.next(), None);
        t.set(Timer::Send, Some(Duration::from_secs(9)));
        t.set(Timer::Idle, Some(Duration::from_secs(5)));
        assert_eq!(t.next(), Some(Duration::from_secs(5)));
        assert_eq!(t.expired(Duration::from_secs(4)), None);
        assert_eq!(t.expired(Duration::from_secs(9)), Some(Timer::Idle));
        t.set(Timer::Idle, None);
        assert_eq!(t.expired(Duration::from_secs(9)), Some(Timer::Send));
    }

    #[test]
    fn min_rate_extends_up_to_cap() {
        let secs = |n: u64| n * 1_000_000_000;
        let s = secs(100);
        let b = Duration::from_secs(20);
        let cap = Some(Duration::from_secs(40));
        assert_eq!(rate_deadline(s, b, cap, 500, 0), secs(120));
        assert_eq!(rate_deadline(s, b, cap, 500, 1000), secs(122));
        assert_eq!(rate_deadline(s, b, cap, 500, 1_000_000), secs(140));
        assert_eq!(rate_deadline(s, b, cap, 0, 1_000_000), secs(120));
    }

    /// Each byte adds its share of a second under a minimum rate (Apache mod_reqtimeout's
    /// `MinRate`): 2 ms at 500 B/s, so that 500 bytes add a second; a rate that does not divide a
    /// second adds its share rounded down; no rate adds nothing, and neither does a rate above a
    /// byte per nanosecond.
    #[test]
    fn min_rate_adds_a_share_of_a_second_per_byte() {
        assert_eq!(rate_step(500), 2_000_000);
        assert_eq!(rate_step(3), 333_333_333);
        assert_eq!(rate_step(0), 0);
        assert_eq!(rate_step(u32::MAX), 0);
        let s = 7_000_000_000;
        let b = Duration::from_secs(20);
        for received in [0, 1, 2, 499, 500, 501] {
            assert_eq!(
                rate_deadline(s, b, None, 500, received),
                s + 20_000_000_000 + received * 2_000_000
            );
        }
        assert_eq!(rate_deadline(s, b, None, 3, 3), s + 20_999_999_999);
    }

    /// Huge limits saturate at the last representable deadline instead of wrapping.
    #[test]
    fn rate_deadline_saturates() {
        let huge = Some(Duration::MAX);
        assert_eq!(
            rate_deadline(u64::MAX - 5, Duration::MAX, huge, 1, u64::MAX),
            u64::MAX - 1
        );
        assert_eq!(
            rate_deadline(0, Duration::from_secs(1), huge, 1, u64::MAX),
            u64::MAX - 1
        );
    }

    /// A head's header deadline (Apache `RequestReadTimeout header=20-40,MinRate=500`) is the same
    /// whether its ends were worked out once (`Timed`) or are converted at each ask (`Began`),
    /// before and after a pause of the server's own, at the edges of the clock too.
    #[test]
    fn timed_head_clock_agrees_with_the_rate_deadline() {
        let secs = Duration::from_secs;
        let configs = [
            (secs(20), secs(40), 500),
            (secs(20), secs(10), 500),
            (secs(5), secs(5), 0),
            (Duration::MAX, Duration::MAX, 1),
        ];
        for (header, header_max, header_min_rate) in configs {
            let to = Timeouts {
                header,
                header_max,
                header_min_rate,
                ..Timeouts::default()
            };
            for start in [0, 7_000_000_123, u64::MAX - 9] {
                for pause in [0, 3_000_000_000, u64::MAX / 2] {
                    let mut began = HeadClock::Began(start);
                    let mut timed = began;
                    timed.time(&to);
                    assert!(matches!(timed, HeadClock::Timed { .. }));
                    began.shift(pause);
                    timed.shift(pause);
                    assert_eq!(began.start(), timed.start());
                    for received in [0, 1, 499, 500, 10_000, u64::MAX] {
                        let expected = rate_deadline(
                            start.saturating_add(pause),
                            header,
                            Some(header_max),
                            header_min_rate,
                            received,
                        );
                        assert_eq!(began.deadline(&to, received), expected);
                        assert_eq!(
                            timed.deadline(&to, received),
                            expected,
                            "{to:?} {start} {pause} {received}"
                        );
                    }
                }
            }
        }
    }
}
