//! Named timers in one fixed table. The next deadline is the minimum over the table, O(timers).
//!
//! Each timer is armed by one documented event (docs/design.md has the full table):
//!
//! | timer | armed | disarmed | on expiry |
//! |---|---|---|---|
//! | `Idle` | connection open; end of each response with nothing buffered | first byte of the next request | close, no response |
//! | `Header` | first byte of a request head | head complete | 408, close |
//! | `Body` | the body is wanted and the buffer is empty | body complete | 408 (or abort if a response started), close |
//! | `Send` | output pending | output drained | abort |
//! | `Linger` | output drained after a lingering-close decision | end of input | done |
//! | `Lifetime` | connection open (if configured) | never | no new request; close when idle |
//! | `Release` | idle with buffers held | the next request's first byte | buffers and in-flight state freed |

use core::time::Duration;

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
pub struct TimerTable {
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
pub(crate) fn to_nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos())
        .unwrap_or(u64::MAX - 1)
        .min(u64::MAX - 1)
}

impl TimerTable {
    /// Arms `t` at `at`, or disarms it with `None`.
    pub fn set(&mut self, t: Timer, at: Option<Duration>) {
        self.deadlines[t as usize] = at.map_or(u64::MAX, to_nanos);
    }
    /// The deadline of `t`.
    pub fn get(&self, t: Timer) -> Option<Duration> {
        let d = self.deadlines[t as usize];
        (d != u64::MAX).then(|| Duration::from_nanos(d))
    }
    /// The earliest deadline.
    pub fn next(&self) -> Option<Duration> {
        let d = self.deadlines.iter().copied().min().unwrap_or(u64::MAX);
        (d != u64::MAX).then(|| Duration::from_nanos(d))
    }
    /// The first timer (in table order) whose deadline is at or before `now`.
    pub fn expired(&self, now: Duration) -> Option<Timer> {
        let now = to_nanos(now);
        Timer::ALL
            .into_iter()
            .find(|t| self.deadlines[*t as usize] != u64::MAX && self.deadlines[*t as usize] <= now)
    }
}

/// A deadline that starts at `start`, is `base` long, and grows by one second per `rate` bytes
/// received, never past `start + cap` (Apache `RequestReadTimeout ... MinRate=`). `rate == 0`: no
/// growth.
pub fn rate_deadline(
    start: Duration,
    base: Duration,
    cap: Option<Duration>,
    rate: u32,
    received: u64,
) -> Duration {
    let mut d = base;
    if rate > 0 {
        let ext_ms = received.saturating_mul(1000) / u64::from(rate);
        d = d.saturating_add(Duration::from_millis(ext_ms));
    }
    if let Some(cap) = cap {
        d = d.min(cap.max(base));
    }
    start.saturating_add(d)
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
        let s = Duration::from_secs(100);
        let b = Duration::from_secs(20);
        let cap = Some(Duration::from_secs(40));
        assert_eq!(rate_deadline(s, b, cap, 500, 0), Duration::from_secs(120));
        assert_eq!(rate_deadline(s, b, cap, 500, 1000), Duration::from_secs(122));
        assert_eq!(rate_deadline(s, b, cap, 500, 1_000_000), Duration::from_secs(140));
        assert_eq!(rate_deadline(s, b, cap, 0, 1_000_000), Duration::from_secs(120));
    }
}
