//! The application contract: what the response API accepts, refuses and adds, the grammar of
//! events on every path, and full duplex. Each test names the rule or scenario it checks.

use core::time::Duration;
use h1conn::{CloseHow, CloseReason, Config, Connection, Event, KeepAliveHeader, Response, UsageError};
use h1conn_testkit::driver::{check_grammar, req, Driver};

const T: Duration = Duration::ZERO;

/// A connection that has surfaced one request from `input` (its events drained).
fn current(input: &str) -> Connection {
    let mut c = Connection::new(Config::default(), T);
    c.handle_input(&req(input), T);
    while c.poll_event().is_some() {}
    c
}

fn sent(input: &str) -> Driver {
    let mut d = Driver::client(Config::default());
    d.feed(&req(input));
    d
}

fn wire(c: &Connection) -> String {
    String::from_utf8_lossy(c.transmit()).into_owned()
}

/// RFC 9110 §9.3.2, §8.6: a HEAD response may carry the length a GET would get; an explicit length
/// is kept, not replaced by the empty body's.
#[test]
fn rfc9110_9_3_2_head_response_keeps_an_explicit_length() {
    let mut c = current("HEAD / HTTP/1.1\nHost: a\n\n");
    c.send_full(&Response::new(200).length(1234), b"", T).unwrap();
    let w = wire(&c);
    assert!(
        w.contains("Content-Length: 1234\r\n") && w.ends_with("\r\n\r\n"),
        "{w}"
    );
}

/// A body for a response that cannot have one is refused, and nothing is sent: the application can
/// still answer properly (RFC 9110 §6.4.1, §9.3.2, §9.3.6, §15.3.5, §15.4.5).
#[test]
fn body_for_a_response_without_body_is_a_usage_error() {
    let cases: &[(&str, u16)] = &[
        ("HEAD / HTTP/1.1\nHost: a\n\n", 200),
        ("GET / HTTP/1.1\nHost: a\n\n", 204),
        ("GET / HTTP/1.1\nHost: a\n\n", 304),
        ("GET / HTTP/1.1\nHost: a\n\n", 103),
        ("CONNECT a:443 HTTP/1.1\nHost: a:443\n\n", 200),
    ];
    for &(input, status) in cases {
        let mut c = current(input);
        assert_eq!(
            c.send_full(&Response::new(status), b"hello", T),
            Err(UsageError::BodyNotAllowed),
            "{input} {status}"
        );
        assert!(c.transmit().is_empty() && !c.is_upgraded(), "{input} {status}");
        c.send_full(&Response::new(404), b"", T).unwrap();
        assert!(wire(&c).starts_with("HTTP/1.1 404"), "{input} {status}");
    }
}

/// A whole body must have the length the response announces (RFC 9110 §8.6).
#[test]
fn body_size_differing_from_the_announced_length_is_a_usage_error() {
    let mut c = current("GET / HTTP/1.1\nHost: a\n\n");
    let r = c.send_full(&Response::new(200).length(4), b"hello", T);
    assert_eq!(r, Err(UsageError::LengthMismatch));
    assert!(c.transmit().is_empty());
}

/// RFC 9112 §9.6: a response the application marks `close` says so, and nothing after it is read;
/// the reason is its own.
#[test]
fn rfc9112_9_6_response_close_says_close_and_nothing_after_is_read() {
    let mut d = sent("GET /1 HTTP/1.1\nHost: a\n\nGET /2 HTTP/1.1\nHost: a\n\n");
    d.respond_with(Response::new(200).close(), b"bye").unwrap();
    let w = d.take_wire();
    assert!(w.contains("Connection: close\r\n") && !w.contains("/2"), "{w}");
    assert_eq!(d.take_log(), vec!["request GET /1", "end"]);
    let close = d.close().unwrap();
    assert_eq!(
        close.reasons.iter().collect::<Vec<_>>(),
        vec![CloseReason::ResponseClose]
    );
    assert_eq!(close.how, CloseHow::Linger, "the second request is unread input");
}

/// RFC 9112 §6.3, §8: a GET answered whole with an announced length but no body bytes is an
/// incomplete response. The head goes out, then the connection closes (reason `Aborted`) and the
/// request pipelined behind is not served, so the client never reads a later response as the
/// missing body.
#[test]
fn rfc9112_8_announced_length_without_its_body_ends_the_connection() {
    let mut d = sent("GET /1 HTTP/1.1\nHost: a\n\nGET /2 HTTP/1.1\nHost: a\n\n");
    d.respond_with(Response::new(200).length(10), b"").unwrap();
    let w = d.take_wire();
    assert!(
        w.contains("Content-Length: 10\r\n") && w.ends_with("\r\n\r\n"),
        "{w}"
    );
    assert_eq!(d.take_log(), vec!["request GET /1", "end"]);
    let close = d.close().unwrap();
    assert_eq!(
        close.reasons.iter().collect::<Vec<_>>(),
        vec![CloseReason::Aborted]
    );
}

/// RFC 9112 §7.1.2: a chunked response ends with trailer fields, checked like head fields; a response
/// that is not chunked cannot carry them.
#[test]
fn rfc9112_7_1_2_chunked_response_with_trailers() {
    let mut c = current("GET / HTTP/1.1\nHost: a\n\n");
    c.send_response(&Response::new(200), T).unwrap();
    c.send_body(b"abc", T).unwrap();
    assert_eq!(
        c.finish_with_trailers(&[("Bad Name", b"x")], T),
        Err(UsageError::InvalidHeader)
    );
    assert_eq!(
        c.finish_with_trailers(&[("Content-Length", b"3")], T),
        Err(UsageError::ReservedHeader)
    );
    c.finish_with_trailers(&[("Digest", b"sha-256=abc"), ("X-Done", b"1")], T)
        .unwrap();
    assert!(wire(&c).ends_with("3\r\nabc\r\n0\r\nDigest: sha-256=abc\r\nX-Done: 1\r\n\r\n"));

    let mut c = current("GET / HTTP/1.1\nHost: a\n\n");
    c.send_response(&Response::new(200).length(3), T).unwrap();
    c.send_body(b"abc", T).unwrap();
    assert_eq!(
        c.finish_with_trailers(&[("X-Done", b"1")], T),
        Err(UsageError::TrailersNotAllowed)
    );
    c.finish(T).unwrap();
}

/// RFC 9110 §6.6.1: with a date from the adapter, every final response carries it (the
/// application's and the connection's own), unless the response has its own `Date`.
#[test]
fn rfc9110_6_6_1_date_on_every_response_unless_the_application_set_one() {
    let date = h1conn::http_date(784_111_777);
    let mut c = current("GET / HTTP/1.1\nHost: a\n\n");
    c.set_date(date);
    c.send_full(&Response::new(200), b"", T).unwrap();
    assert!(wire(&c).contains("\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n"));

    let mut c = current("GET / HTTP/1.1\nHost: a\n\n");
    c.set_date(date);
    let own = Response::new(200).headers(&[("date", b"Mon, 07 Nov 1994 00:00:00 GMT")]);
    c.send_full(&own, b"", T).unwrap();
    assert_eq!(wire(&c).matches("ate: ").count(), 1, "{}", wire(&c));

    let mut c = Connection::new(Config::default(), T);
    c.set_date(date);
    c.handle_input(b"GET / HTTP/1.1\r\n\r\n", T);
    assert!(wire(&c).starts_with("HTTP/1.1 400 Bad Request\r\nDate: Sun, 06 Nov 1994"));
}

/// A keep-alive timeout under a second is advertised as one second, never `timeout=0`.
#[test]
fn keep_alive_header_never_advertises_timeout_0() {
    let mut cfg = Config::default();
    cfg.keep_alive.timeout = Duration::from_millis(500);
    cfg.keep_alive.header = KeepAliveHeader::Always;
    let mut c = Connection::new(cfg, T);
    c.handle_input(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n", T);
    while c.poll_event().is_some() {}
    c.send_full(&Response::new(200), b"", T).unwrap();
    assert!(
        wire(&c).contains("Keep-Alive: timeout=1, max=99\r\n"),
        "{}",
        wire(&c)
    );
}

/// A failed read aborts the connection, with its own reason.
#[test]
fn handle_read_failed_aborts() {
    let mut c = current("GET / HTTP/1.1\nHost: a\n\n");
    c.handle_read_failed();
    let close = c.poll_close().unwrap();
    assert_eq!(close.how, CloseHow::Abort);
    assert!(close.reasons.contains(CloseReason::TransportFailed));
    assert!(c.transmit().is_empty());
}

/// A connection whose application has started a `Content-Length: n` echo response to a POST of
/// `n` bytes, none of them sent yet.
fn echo_started(n: usize) -> Connection {
    let mut c = Connection::new(Config::default(), T);
    let head = format!("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: {n}\r\n\r\n");
    c.handle_input(head.as_bytes(), T);
    assert!(matches!(c.poll_event(), Some(Event::Request(_))));
    c.send_response(&Response::new(200).length(n as u64), T).unwrap();
    c
}

/// Full duplex: an application that streams its response while a large Content-Length body is still
/// arriving, and reads every byte, keeps the connection (a second request on it succeeds).
#[test]
fn full_duplex_echo_of_a_large_body_keeps_the_connection() {
    const N: usize = 300_000;
    let mut c = echo_started(N);
    let (mut fed, mut echoed, mut ended) = (0, 0, false);
    let chunk = [b'x'; 4096];
    while !ended {
        if fed < N {
            fed += c.handle_input(&chunk[..(N - fed).min(chunk.len())], T);
        }
        while let Some(ev) = c.poll_event() {
            match ev {
                Event::Data(d) => {
                    c.send_body(&d, T).unwrap();
                    echoed += d.len();
                }
                Event::End(_) => {
                    c.finish(T).unwrap();
                    ended = true;
                }
                other => panic!("{other:?}"),
            }
        }
        let n = c.transmit().len();
        assert!(!wire(&c).contains("Connection: close"));
        c.handle_written(n, T).unwrap();
    }
    assert_eq!(echoed, N);
    assert!(c.persistence().is_open() && c.poll_close().is_none());
    c.handle_input(b"GET /2 HTTP/1.1\r\nHost: a\r\n\r\n", T);
    assert!(matches!(c.poll_event(), Some(Event::Request(_))));
}

/// The grammar of events (h1conn::Event): every request is followed by its data and exactly one of
/// End, Error or Discarded, on every path: early response with the body discarded, a bad chunk
/// after an early response, a peer error mid-body, an upgrade.
#[test]
fn event_grammar_holds_on_every_path() {
    let chunked = "POST / HTTP/1.1\nHost: a\nTransfer-Encoding: chunked\n\n2\nab\n";
    let upgrade = "GET / HTTP/1.1\nHost: a\nConnection: upgrade\nUpgrade: x\n\nrest";
    let paths: [(&str, &str, &str, &[&str]); 4] = [
        (
            "early response, rest discarded",
            "POST / HTTP/1.1\nHost: a\nContent-Length: 6\n\nab",
            "cd\nef",
            &["request POST /", "data ab", "discarded"],
        ),
        (
            "early response, then a bad chunk",
            chunked,
            "zz\n",
            &["request POST /", "data ab", "discarded"],
        ),
        (
            "peer error mid-body",
            chunked,
            "",
            &["request POST /", "data ab", "error 400"],
        ),
        ("upgrade", upgrade, "", &["request GET /", "end", "upgrade rest"]),
    ];
    for (name, first, after, want) in paths {
        let mut d = Driver::client(Config::default());
        d.feed(&req(first));
        match name {
            "peer error mid-body" => {
                d.feed(b"zz\r\n");
            }
            "upgrade" => {
                let r = Response::new(101).headers(&[("Upgrade", b"x")]);
                d.conn.send_response(&r, d.now).unwrap();
                d.pump();
            }
            _ => {
                d.respond(413, b"");
                d.feed(&req(after));
            }
        }
        assert_eq!(d.take_log(), want, "{name}");
        check_grammar(&d.rec.outs).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

/// The server's own back-pressure is never the peer's fault: a pipelining client that reads nothing
/// for 25 s (past the 20 s header timeout) while the next head is half sent stops being read once
/// output reaches the high-water mark, gets no 408, and then receives every response.
#[test]
fn own_back_pressure_does_not_run_the_header_timer() {
    use h1conn_testkit::driver::Answer;
    let cfg = Config {
        output_high_water: 1024,
        ..Config::default()
    };
    let mut d = Driver::new(cfg).answer(Answer::with(|_| (200, Some(vec![b'r'; 2000]))));
    d.stall_output = true;
    let first = req("GET /1 HTTP/1.1\nHost: a\n\nGET /2 HTTP/1.1\nHo");
    assert_eq!(d.feed(&first), first.len());
    assert!(
        !d.conn.wants_read(),
        "output above the high-water mark pauses reading"
    );
    d.advance(Duration::from_secs(25));
    assert!(
        d.close().is_none() && d.conn.peer_error().is_none(),
        "{:?}",
        d.close()
    );
    d.stall_output = false;
    d.pump();
    assert!(d.conn.wants_read());
    d.feed(&req("st: a\n\n"));
    let wire = d.take_wire();
    assert_eq!(wire.matches("HTTP/1.1 200 OK").count(), 2, "every response");
    assert!(!wire.contains("408"));
}

/// The same for a body: an echo whose client reads nothing for 25 s (past the 20 s body timeout)
/// is paused, not timed out, and completes once the client reads.
#[test]
fn own_back_pressure_does_not_run_the_body_timer() {
    const N: usize = 200_000;
    let mut c = echo_started(N);
    let chunk = [b'y'; 8192];
    let (mut fed, mut ended, mut now) = (0, false, T);
    let mut client_reads = false;
    while !ended {
        if c.wants_read() && fed < N {
            fed += c.handle_input(&chunk[..(N - fed).min(chunk.len())], now);
        }
        while let Some(ev) = c.poll_event() {
            match ev {
                Event::Data(b) => c.send_body(&b, now).unwrap(),
                Event::End(_) => {
                    c.finish(now).unwrap();
                    ended = true;
                }
                other => panic!("{other:?}"),
            }
        }
        if !client_reads && !c.wants_read() {
            // Output reached the high-water mark; the client reads nothing for 25 s.
            now += Duration::from_secs(25);
            c.handle_timeout(now);
            assert!(c.poll_close().is_none() && c.peer_error().is_none());
            client_reads = true;
        }
        if client_reads {
            let n = c.transmit().len();
            c.handle_written(n, now).unwrap();
        }
    }
    assert!(client_reads, "the echo paused reading");
    assert!(c.persistence().is_open());
}

/// `wants_read`: true while input is needed and there is room; false when the read buffer or the
/// output is full, or the connection is done; true while lingering (input is dropped).
#[test]
fn wants_read_follows_room_output_and_fate() {
    let cfg = Config {
        max_buffered: 64,
        ..Config::default()
    };
    let mut c = Connection::new(cfg, T);
    assert!(c.wants_read());
    c.handle_input(b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\n\r\n", T);
    assert!(matches!(c.poll_event(), Some(Event::Request(_))));
    c.handle_input(&[b'z'; 64], T);
    assert!(!c.wants_read(), "read buffer full until the application polls");
    while c.poll_event().is_some() {}
    assert!(c.wants_read());
    let mut c = current("GET / HTTP/1.1\nHost: a\nBad Field: x\n\n");
    let n = c.transmit().len();
    c.handle_written(n, T).unwrap();
    assert_eq!(c.poll_close().map(|c| c.how), Some(CloseHow::Linger));
    assert!(c.wants_read(), "lingering reads and drops input");
    c.handle_eof(T);
    assert!(c.is_done() && !c.wants_read());
}

/// An adapter that stops reading for its own reasons (a blocking write) says so with
/// `pause_input`: the body timer stands still until `resume_input`, then runs on from where it
/// stopped.
#[test]
fn pause_input_stops_the_body_timer() {
    let mut c = current("POST / HTTP/1.1\nHost: a\nContent-Length: 10\n\n");
    let body_deadline = c.timer(h1conn::Timer::Body).expect("body timer armed");
    assert_eq!(body_deadline, Duration::from_secs(20));
    c.pause_input(Duration::from_secs(5));
    assert_eq!(c.timer(h1conn::Timer::Body), None, "paused");
    c.handle_timeout(Duration::from_secs(30));
    assert!(c.poll_close().is_none() && c.peer_error().is_none());
    c.resume_input(Duration::from_secs(30));
    // 5 s had run before the pause: 15 s are left.
    assert_eq!(c.timer(h1conn::Timer::Body), Some(Duration::from_secs(45)));
}
