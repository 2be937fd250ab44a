//! Timers (RFC 9112 §9.5, RFC 9110 §15.5.9): deadlines are never in the past after
//! `handle_timeout`, an idle connection never closes before its keep-alive timeout, and a head
//! that trickles in always ends by the header deadline.

use core::time::Duration;

use h1conn::Config;
use h1conn_testkit::driver::{Answer, Driver, Out};
use h1conn_testkit::strategies::valid_request;
use proptest::prelude::*;

/// A driver that answers every request with a 200 and leaves output to [`Driver::ack`].
fn stalled(cfg: Config) -> Driver {
    let mut d = Driver::new(cfg).answer(Answer::with(|_| (200, Some(b"ok".to_vec()))));
    d.stall_output = true;
    d
}

/// The status of the first peer error.
fn error(d: &Driver) -> Option<u16> {
    d.rec.outs.iter().find_map(|o| match o {
        Out::Err(k) => Some(k.status()),
        _ => None,
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// RFC 9112 §9.5: after `handle_timeout(now)` every deadline lies after `now`, whatever the
    /// input, the ticks (up to 70 s, past every timer) and how much of the output was written.
    #[test]
    fn rfc9112_9_5_no_deadline_in_past_after_handle_timeout(
        reqs in proptest::collection::vec(valid_request(), 1..4),
        steps in proptest::collection::vec((any::<prop::sample::Index>(), 0u64..70_000, 0u8..=2), 1..12),
    ) {
        let stream: Vec<u8> = reqs.iter().flat_map(|r| r.to_bytes()).collect();
        let mut d = stalled(Config::default());
        let mut off = 0;
        for (cut, tick, write) in steps {
            // `jump` asserts that no deadline lies at or before `now` after `handle_timeout`.
            d.jump(Duration::from_millis(tick));
            let end = off + cut.index(stream.len() - off + 1);
            off += d.feed(&stream[off..end]);
            // Write none, half or all of the output.
            d.ack(d.conn.transmit().len() * usize::from(write) / 2);
            if d.conn.is_done() {
                break;
            }
        }
    }

    /// RFC 9112 §9.5: an idle connection is closed by the keep-alive timeout, never before it.
    #[test]
    fn rfc9112_9_5_idle_close_not_before_keep_alive_timeout(
        timeout_ms in 1_000u64..30_000,
        written_at in 0u64..5_000,
        mut checks in proptest::collection::vec(0u64..30_000, 0..8),
    ) {
        let mut cfg = Config::default();
        cfg.keep_alive.timeout = Duration::from_millis(timeout_ms);
        let mut d = stalled(cfg);
        d.feed(b"GET / HTTP/1.1\r\nHost: h\r\n\r\n");
        // The response is written at `written_at`.
        d.now = Duration::from_millis(written_at);
        d.ack(d.conn.transmit().len());
        checks.sort_unstable();
        for off in checks.into_iter().filter(|&o| o < timeout_ms) {
            d.jump(Duration::from_millis(written_at + off) - d.now);
            prop_assert!(d.close().is_none() && !d.conn.is_done(), "closed at +{off} ms of {timeout_ms} ms");
        }
        d.jump(Duration::from_millis(written_at + timeout_ms) - d.now);
        prop_assert!(d.conn.is_done(), "still open at the keep-alive timeout");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// RFC 9110 §15.5.9: a head that trickles in (one byte every `gap`, never finishing) ends in an
    /// error by the header deadline: `Timeouts::header_max` after its first byte at the latest
    /// (408), or earlier when a size limit is hit (431); a 408 never comes before
    /// `Timeouts::header`. The first byte comes before the 5 s idle timeout of a new connection.
    #[test]
    fn rfc9110_15_5_9_trickling_header_ends_by_header_deadline(gap_ms in 50u64..3_000, start_ms in 0u64..4_900) {
        let cfg = Config::default();
        let (header, header_max) = (cfg.timeouts.header, cfg.timeouts.header_max);
        let gap = Duration::from_millis(gap_ms);
        let t0 = Duration::from_millis(start_ms);
        let mut d = stalled(cfg);
        let prefix = b"GET / HTTP/1.1\r\nHost: h\r\n";
        let mut endless = prefix.iter().copied().chain(b"X-A: aaaa\r\n".iter().copied().cycle());
        d.jump(t0);
        let mut ended = None;
        while d.now <= t0 + header_max + gap * 2 {
            d.feed(&[endless.next().unwrap()]);
            if let Some(s) = error(&d) {
                ended = Some((s, d.now));
                break;
            }
            d.jump(gap);
            if let Some(s) = error(&d) {
                ended = Some((s, d.now));
                break;
            }
        }
        let Some((status, at)) = ended else {
            return Err(TestCaseError::fail("the trickling head never ended"));
        };
        prop_assert!(status == 408 || status == 431, "status {status}");
        // The timer fires at the first call after its deadline: at most one gap late.
        prop_assert!(at <= t0 + header_max + gap, "ended at {at:?}, started {t0:?}");
        if status == 408 {
            prop_assert!(at >= t0 + header, "408 at {at:?} before the header timeout from {t0:?}");
        }
    }
}
