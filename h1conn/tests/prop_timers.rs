//! Timers (RFC 9112 §9.5, RFC 9110 §15.5.9): deadlines are never in the past after
//! `handle_timeout`, an idle connection never closes before its keep-alive timeout, and a head
//! that trickles in always ends by the header deadline.

use core::time::Duration;

use h1conn::{Config, Connection, Event, Response};
use h1conn_testkit::strategies::valid_request;
use proptest::prelude::*;

/// Drains events, answering every complete request with a 200.
fn answer_all(c: &mut Connection, now: Duration) -> Vec<u16> {
    let mut errors = Vec::new();
    while let Some(ev) = c.poll_event() {
        match ev {
            Event::Request(r) if r.expects_continue => c.accept_body(now).unwrap(),
            Event::End(_) => c.send_full(&Response::new(200), b"ok", now).unwrap(),
            Event::Error(e) => errors.push(e.status()),
            _ => {}
        }
    }
    errors
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
        let mut now = Duration::ZERO;
        let mut c = Connection::new(Config::default(), now);
        let mut off = 0;
        for (cut, tick, write) in steps {
            now += Duration::from_millis(tick);
            c.handle_timeout(now);
            if let Some(d) = c.poll_timeout() {
                prop_assert!(d > now, "deadline {d:?} not after {now:?}");
            }
            let end = off + cut.index(stream.len() - off + 1);
            let took = c.handle_input(&stream[off..end], now);
            off += took;
            answer_all(&mut c, now);
            // Write none, half or all of the output.
            let n = c.transmit().len() * usize::from(write) / 2;
            c.handle_written(n, now).unwrap();
            if c.is_done() {
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
        let t0 = Duration::ZERO;
        let mut c = Connection::new(cfg, t0);
        c.handle_input(b"GET / HTTP/1.1\r\nHost: h\r\n\r\n", t0);
        answer_all(&mut c, t0);
        let tw = Duration::from_millis(written_at);
        let n = c.transmit().len();
        c.handle_written(n, tw).unwrap();
        checks.sort_unstable();
        for off in checks.into_iter().filter(|&o| o < timeout_ms) {
            let now = tw + Duration::from_millis(off);
            c.handle_timeout(now);
            prop_assert!(c.poll_close().is_none() && !c.is_done(), "closed at +{off} ms of {timeout_ms} ms");
        }
        c.handle_timeout(tw + Duration::from_millis(timeout_ms));
        prop_assert!(c.is_done(), "still open at the keep-alive timeout");
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
        let mut c = Connection::new(cfg, Duration::ZERO);
        let prefix = b"GET / HTTP/1.1\r\nHost: h\r\n";
        let endless = prefix.iter().copied().chain(b"X-A: aaaa\r\n".iter().copied().cycle());
        let mut now = t0;
        let mut ended = None;
        for b in endless {
            c.handle_timeout(now);
            let errors = answer_all(&mut c, now);
            if let Some(&s) = errors.first() {
                ended = Some((s, now));
                break;
            }
            if now > t0 + header_max + gap * 2 {
                break;
            }
            c.handle_input(&[b], now);
            let errors = answer_all(&mut c, now);
            if let Some(&s) = errors.first() {
                ended = Some((s, now));
                break;
            }
            now += gap;
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
