//! The named timers, on a virtual clock.

use super::*;

#[test]
fn timer_idle_from_connection_open_closes_silently() {
    let mut s = Driver::client(cfg());
    let t0 = s.now;
    assert_eq!(s.conn.timer(Timer::Idle), Some(t0 + 5 * SEC));
    s.advance(5 * SEC - MS);
    assert!(s.close().is_none());
    s.advance(MS);
    let c = s.close().unwrap();
    assert_eq!(
        (c.how, reasons(&s)),
        (CloseHow::Graceful, vec![CloseReason::Timeout])
    );
    assert!(s.rec.wire.is_empty(), "idle close sends nothing");
}

#[test]
fn timer_idle_restarts_at_end_of_each_response() {
    let mut s = Driver::client(cfg());
    s.advance(4 * SEC);
    s.feed(&get("/"));
    assert_eq!(s.conn.timer(Timer::Idle), None, "disarmed by the request");
    s.advance(3 * SEC);
    s.respond(200, b"");
    let done = s.now;
    assert_eq!(s.conn.timer(Timer::Idle), Some(done + 5 * SEC));
    s.advance(5 * SEC - MS);
    assert!(s.close().is_none());
    s.advance(MS);
    assert!(s.close().is_some());
}

#[test]
fn timer_header_trickling_client_gets_408_by_the_deadline() {
    let c = cfg_with(|c| c.timeouts.header_min_rate = 0);
    let mut s = Driver::client(c);
    let start = s.now;
    let trickle: Vec<u8> = b"GET / HTTP/1.1\r\nHost: a\r\n"
        .iter()
        .chain(b"X-Slow: abcdef\r\n".repeat(10).iter())
        .copied()
        .collect();
    for b in trickle {
        s.feed(&[b]);
        s.advance(500 * MS);
        if s.close().is_some() {
            break;
        }
    }
    assert_eq!(s.take_log(), vec!["error 408"]);
    assert!(s.take_wire().starts_with("HTTP/1.1 408 Request Timeout\r\n"));
    assert!(s.now <= start + 20 * SEC + 500 * MS);
    assert!(reasons(&s).contains(&CloseReason::Timeout));
}

#[test]
fn timer_header_min_rate_extends_up_to_the_cap() {
    let mut s = Driver::client(cfg());
    let start = s.now;
    s.feed(b"GET /");
    assert_eq!(
        s.conn.timer(Timer::Header),
        Some(start + 20 * SEC + 10 * MS),
        "5 bytes at 500 B/s"
    );
    let big = vec![b'a'; 5000];
    s.feed(&big);
    assert_eq!(s.conn.timer(Timer::Header), Some(start + 30 * SEC + 10 * MS));
    let mut c = cfg();
    c.limits.max_request_line = 100_000;
    c.limits.max_head = 100_000;
    c.max_buffered = 200_000;
    let mut s = Driver::client(c);
    let start = s.now;
    s.feed(b"GET /");
    s.feed(&vec![b'a'; 50_000]);
    assert_eq!(
        s.conn.timer(Timer::Header),
        Some(start + 40 * SEC),
        "capped at header_max"
    );
}

#[test]
fn timer_header_not_armed_while_idle_nor_while_a_response_is_pending() {
    let mut s = Driver::client(cfg());
    assert_eq!(s.conn.timer(Timer::Header), None);
    let mut input = get("/a");
    input.extend_from_slice(b"GET /b HT");
    s.feed(&input);
    assert_eq!(
        s.conn.timer(Timer::Header),
        None,
        "previous request is being answered"
    );
    s.advance(30 * SEC);
    assert!(s.close().is_none());
    s.respond(200, b"");
    assert_eq!(
        s.conn.timer(Timer::Header).map(|d| d >= s.now + 20 * SEC),
        Some(true)
    );
}

#[test]
fn timer_body_stall_before_response_gets_408() {
    let c = cfg_with(|c| c.timeouts.body_min_rate = 0);
    let mut s = sent_with(c, &req("POST / HTTP/1.1\nHost: a\nContent-Length: 10\n\n01234"));
    let last = s.now;
    assert_eq!(s.conn.timer(Timer::Body), Some(last + 20 * SEC));
    s.advance(20 * SEC - MS);
    assert!(s.close().is_none());
    s.advance(MS);
    assert_eq!(s.take_log(), vec!["request POST /", "data 01234", "error 408"]);
    assert!(s.take_wire().starts_with("HTTP/1.1 408 "));
    assert!(s.close().is_some());
}

#[test]
fn timer_body_min_rate() {
    let mut s = sent(&req("POST / HTTP/1.1\nHost: a\nContent-Length: 100000\n\n"));
    let start = s.now;
    // 1000 bytes each 2.5 s: below 500 B/s on average but never 20 s silent.
    for _ in 0..60 {
        s.advance(2500 * MS);
        s.feed(&[b'x'; 1000]);
        if s.close().is_some() {
            break;
        }
    }
    assert!(s.take_log().contains(&"error 408".to_string()));
    // Deadline: 20 s + 1 s per 500 bytes received. After the 35th piece (at 87.5 s) it is
    // 20 + 70 = 90 s, reached before the 36th piece is due.
    assert_eq!(s.now, start + 90 * SEC);
}

#[test]
fn timer_body_not_armed_while_100_continue_is_pending() {
    let mut s = sent(&req(
        "PUT / HTTP/1.1\nHost: a\nExpect: 100-continue\nContent-Length: 3\n\n",
    ));
    assert_eq!(s.conn.timer(Timer::Body), None);
    s.conn.accept_body(s.now).unwrap();
    assert!(s.conn.timer(Timer::Body).is_some());
}

#[test]
fn timer_send_stall_aborts() {
    let mut s = sent(&get("/"));
    s.stall_output = true;
    s.respond(200, b"hello");
    let t = s.now;
    assert_eq!(s.conn.timer(Timer::Send), Some(t + 60 * SEC));
    s.advance(60 * SEC);
    let c = s.close().unwrap();
    assert_eq!(c.how, CloseHow::Abort);
    assert!(c.reasons.contains(CloseReason::Timeout));
}

/// A slow-read attack: a peer that takes its response just often enough to keep the send timer's
/// stall limit from firing is aborted once it falls below `send_min_rate` after the `send` grace
/// period; a peer reading above the rate never is.
#[test]
fn timer_send_min_rate_aborts_a_slow_reader() {
    let cfg = |rate| {
        let mut c = Config::default();
        c.timeouts.send = 10 * SEC;
        c.timeouts.send_min_rate = rate;
        c
    };
    let body = vec![b'x'; 1 << 20];
    // Reads 100 B/s against a minimum of 1 000 B/s: the deadline is start + 10 s + sent / 1 000.
    let mut c = Connection::new(cfg(1000), Duration::ZERO);
    c.handle_input(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n", Duration::ZERO);
    while c.poll_event().is_some() {}
    c.send_full(&Response::new(200), &body, Duration::ZERO).unwrap();
    let mut t = Duration::ZERO;
    while c.poll_close().is_none() {
        t += SEC;
        c.handle_timeout(t);
        if c.poll_close().is_none() {
            c.handle_written(100, t).unwrap();
        }
        assert!(t < 20 * SEC, "still open at {t:?}");
    }
    let close = c.poll_close().unwrap();
    assert_eq!(close.how, CloseHow::Abort);
    assert!(close.reasons.contains(CloseReason::Timeout));
    // At 11 s, 1 000 bytes were taken (100 a second): the deadline is 10 s + 1 000 / 1 000 s.
    assert_eq!(t, 11 * SEC);

    // Reads 2 000 B/s: kept for as long as it reads.
    let mut c = Connection::new(cfg(1000), Duration::ZERO);
    c.handle_input(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n", Duration::ZERO);
    while c.poll_event().is_some() {}
    c.send_full(&Response::new(200), &body, Duration::ZERO).unwrap();
    for s in 1..=120 {
        let t = s * SEC;
        c.handle_timeout(t);
        assert!(c.poll_close().is_none(), "closed at {t:?}");
        c.handle_written(2000, t).unwrap();
    }
}

#[test]
fn timer_linger_after_error_reads_and_discards_then_ends() {
    let mut s = sent(b"GET / HTTP/1.1\r\nHost: a\r\nBad Header: x\r\n\r\n");
    assert_eq!(s.take_log(), vec!["error 400"]);
    let c = s.close().unwrap();
    assert_eq!(c.how, CloseHow::Linger);
    assert!(!s.conn.is_done());
    assert_eq!(
        s.conn.handle_input(b"more junk", s.now),
        9,
        "input taken and discarded"
    );
    s.advance(2 * SEC);
    assert!(s.conn.is_done());
}

/// RFC 9112 §9.6: lingering is bounded by time, never by bytes: it ends at the peer's EOF, when
/// input pauses for `linger_idle`, or after `linger` in all; any amount of input meanwhile is read
/// and dropped.
#[test]
fn timer_linger_ends_at_eof_or_after_a_pause_or_the_total_time() {
    let mut s = sent(b"GET / HTTP/1.1\r\n\r\n");
    assert_eq!(s.close().unwrap().how, CloseHow::Linger);
    s.eof();
    assert!(s.conn.is_done());

    let mut s = sent(b"GET / HTTP/1.1\r\n\r\n");
    s.feed(&vec![0u8; 1 << 20]);
    assert!(!s.conn.is_done(), "a megabyte of input does not end lingering");
    s.advance(1900 * MS);
    s.feed(b"x");
    s.advance(1900 * MS);
    assert!(!s.conn.is_done(), "input within linger_idle keeps lingering");
    s.advance(200 * MS);
    assert!(s.conn.is_done(), "2 s without input ends it");

    let mut s = sent(b"GET / HTTP/1.1\r\n\r\n");
    for _ in 0..40 {
        s.advance(SEC);
        s.feed(b"x");
    }
    assert!(s.conn.is_done(), "30 s in all ends it");
}

#[test]
fn timer_spurious_handle_timeout_changes_nothing() {
    let mut s = sent(&get("/"));
    let before = s.conn.poll_timeout();
    s.conn.handle_timeout(s.now + MS);
    s.pump();
    assert_eq!(s.conn.poll_timeout(), before);
    assert_eq!(s.take_log(), vec!["request GET /", "end"]);
}

/// `handle_timeout` one nanosecond before each deadline of the two states a connection spends
/// most calls in changes nothing; at the deadline the timer fires. Checked for the release timer
/// and the idle timer (RFC 9112 §9.5) of a connection waiting for its next request, and for the
/// header timer (RFC 9110 §15.5.9) of a head arriving.
#[test]
fn timer_handle_timeout_just_before_a_deadline_changes_nothing_and_at_it_fires() {
    const NS: Duration = Duration::from_nanos(1);
    // Waiting for the next request: the buffers are given back after `release_idle_after` (1 s),
    // the connection closes after the keep-alive timeout (5 s).
    let mut s = sent(&get("/"));
    s.respond(200, b"");
    let release = s.conn.poll_timeout().unwrap();
    assert_eq!(release, s.now + SEC);
    let held = s.conn.heap_bytes();
    assert!(held > 0);
    s.conn.handle_timeout(release - NS);
    assert_eq!(
        (s.conn.poll_timeout(), s.conn.heap_bytes()),
        (Some(release), held)
    );
    s.conn.handle_timeout(release);
    assert_eq!(s.conn.heap_bytes(), 0, "the release timer fired");
    let idle = s.conn.poll_timeout().unwrap();
    assert_eq!(idle, release + 4 * SEC);
    s.conn.handle_timeout(idle - NS);
    assert!(s.close().is_none() && s.conn.poll_timeout() == Some(idle));
    s.conn.handle_timeout(idle);
    assert_eq!(reasons(&s), vec![CloseReason::Timeout]);
    assert_eq!(s.close().unwrap().how, CloseHow::Graceful);

    // A head arriving: the header timer answers 408.
    let mut s = sent(b"GET / HTTP/1.1\r\nHost: a\r\n");
    let header = s.conn.poll_timeout().unwrap();
    assert_eq!(Some(header), s.conn.timer(Timer::Header));
    s.conn.handle_timeout(header - NS);
    s.pump();
    assert!(s.take_log().is_empty() && s.conn.poll_timeout() == Some(header));
    s.conn.handle_timeout(header);
    s.pump();
    assert_eq!(s.take_log(), vec!["error 408"]);
}
