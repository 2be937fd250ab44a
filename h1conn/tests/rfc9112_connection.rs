//! The connection on a virtual clock: persistence (RFC 9112 §9), response framing (§6), pipelining
//! (§9.3.2), Expect (RFC 9110 §10.1.1), Upgrade (RFC 9110 §7.8) and every named timer.

use core::time::Duration;
use h1conn::{CloseHow, CloseReason, Config, KeepAliveHeader, Response, ResponseFraming, Timer, UsageError};
use h1conn_testkit::driver::{get, req, Driver, MS, SEC};

fn cfg() -> Config {
    Config::default()
}

/// The default configuration changed by `f`.
fn cfg_with(f: impl FnOnce(&mut Config)) -> Config {
    let mut c = cfg();
    f(&mut c);
    c
}

/// A simulated client (default configuration) that has sent `input`.
fn sent(input: &[u8]) -> Driver {
    sent_with(cfg(), input)
}

/// A simulated client with `c` that has sent `input`.
fn sent_with(c: Config, input: &[u8]) -> Driver {
    let mut s = Driver::client(c);
    s.feed(input);
    s
}

/// The response just written says `Connection: close`, for `reason` alone, and the connection
/// closes `how`.
fn assert_closing(s: &mut Driver, reason: CloseReason, how: CloseHow) {
    let wire = s.take_wire();
    assert!(wire.contains("Connection: close\r\n"), "{wire}");
    assert_closed(s, reason, how);
}

/// The connection closes `how`, for `reason` alone.
fn assert_closed(s: &Driver, reason: CloseReason, how: CloseHow) {
    assert_eq!(reasons(s), vec![reason]);
    assert_eq!(s.close().unwrap().how, how);
}

/// The bytes written for `resp` with an empty body.
fn answer(s: &mut Driver, resp: Response<'_>) -> String {
    s.respond_with(resp, b"").unwrap();
    s.take_wire()
}

fn reasons(s: &Driver) -> Vec<CloseReason> {
    s.conn.persistence().reasons().iter().collect()
}

// ---- Persistence (RFC 9112 §9.3) -----------------------------------------------------------------

#[test]
fn rfc9112_9_3_http11_persists_by_default() {
    let mut s = Driver::client(cfg());
    for i in 0..3 {
        s.feed(&get(&format!("/{i}")));
        assert_eq!(s.take_log(), vec![format!("request GET /{i}"), "end".into()]);
        s.respond(200, b"hello");
        let w = s.take_wire();
        assert_eq!(
            w,
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello"
        );
    }
    assert!(s.close().is_none());
    assert!(s.conn.persistence().is_open());
    assert_eq!(s.conn.requests_served(), 3);
}

#[test]
fn rfc9112_9_6_client_close_ends_after_the_response_and_nothing_more_is_parsed() {
    let mut s = sent(
        &[
            req("GET /a HTTP/1.1\nHost: a\nConnection: close\n\n"),
            get("/after-close"),
        ]
        .concat(),
    );
    assert_eq!(s.take_log(), vec!["request GET /a", "end"]);
    s.respond(200, b"x");
    assert!(s.take_wire().contains("Connection: close\r\n"));
    assert_eq!(s.take_log(), Vec::<String>::new(), "no request after close");
    let c = s.close().expect("closing");
    assert_eq!(reasons(&s), vec![CloseReason::ClientClose]);
    assert_eq!(c.how, CloseHow::Linger, "unread pipelined input: linger");
}

#[test]
fn rfc9112_9_3_close_option_any_case_any_line_any_list_position() {
    for conn_lines in [
        "Connection: CLOSE\n",
        "Connection: foo, Close\n",
        "Connection: keep-alive\nConnection: bar ,close , baz\n",
        "Connection: ,,close\n",
    ] {
        let mut s = sent(&req(&format!("GET / HTTP/1.1\nHost: a\n{conn_lines}\n")));
        s.respond(200, b"");
        assert!(s.take_wire().contains("Connection: close\r\n"), "{conn_lines:?}");
        assert_eq!(s.close().map(|c| c.how), Some(CloseHow::Graceful));
    }
}

#[test]
fn rfc9112_9_3_close_must_be_a_whole_token() {
    let mut s = sent(&req("GET / HTTP/1.1\nHost: a\nConnection: closed, xclose\n\n"));
    s.respond(200, b"");
    assert!(!s.take_wire().contains("Connection: close"));
    assert!(s.close().is_none());
}

#[test]
fn rfc9112_9_3_http10_without_keep_alive_closes() {
    let mut s = sent(b"GET / HTTP/1.0\r\n\r\n");
    s.respond(200, b"ok");
    let w = s.take_wire();
    assert!(
        w.contains("Connection: close\r\n") && !w.contains("Keep-Alive"),
        "{w}"
    );
    assert_closed(&s, CloseReason::Http10, CloseHow::Graceful);
}

#[test]
fn rfc9112_9_3_http10_keep_alive_gets_keep_alive_and_max_countdown() {
    let c = cfg_with(|c| c.keep_alive.max_requests = 4);
    let mut s = Driver::client(c);
    let mut seen = Vec::new();
    for _ in 0..4 {
        s.feed(b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        s.respond(200, b"ok");
        let w = s.take_wire();
        let line = w
            .lines()
            .filter(|l| l.starts_with("Connection:") || l.starts_with("Keep-Alive:"))
            .collect::<Vec<_>>()
            .join(" | ");
        seen.push(line);
    }
    assert_eq!(
        seen,
        vec![
            "Connection: keep-alive | Keep-Alive: timeout=5, max=3",
            "Connection: keep-alive | Keep-Alive: timeout=5, max=2",
            "Connection: keep-alive | Keep-Alive: timeout=5, max=1",
            "Connection: close",
        ]
    );
    assert_eq!(reasons(&s), vec![CloseReason::MaxRequests]);
    assert!(s.close().is_some());
}

#[test]
fn apache_max_keep_alive_requests_default_100_counts_down_from_99() {
    let mut s = sent(b"GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n");
    s.respond(200, b"");
    assert!(s.take_wire().contains("Keep-Alive: timeout=5, max=99\r\n"));
}

#[test]
fn apache_max_keep_alive_requests_http11_last_response_closes_and_pipeline_stops() {
    let c = cfg_with(|c| c.keep_alive.max_requests = 2);
    let mut s = Driver::client(c);
    let input = [get("/1"), get("/2"), get("/3")].concat();
    s.feed(&input);
    s.respond(200, b"");
    s.respond(200, b"");
    assert_eq!(s.respond_with(Response::new(200), b""), Err(UsageError::Closed));
    let log = s.take_log();
    assert_eq!(log, vec!["request GET /1", "end", "request GET /2", "end"]);
    let w = s.take_wire();
    assert_eq!(w.matches("HTTP/1.1 200").count(), 2);
    assert_eq!(w.matches("Connection: close").count(), 1);
    assert_eq!(reasons(&s), vec![CloseReason::MaxRequests]);
}

#[test]
fn apache_max_keep_alive_requests_zero_is_unlimited() {
    let mut c = cfg();
    c.keep_alive.max_requests = 0;
    c.keep_alive.header = KeepAliveHeader::Always;
    let mut s = Driver::client(c);
    for _ in 0..150 {
        s.feed(&get("/"));
        s.respond(200, b"");
    }
    let w = s.take_wire();
    assert_eq!(w.matches("Keep-Alive: timeout=5\r\n").count(), 150);
    assert!(!w.contains("close"));
}

#[test]
fn apache_keep_alive_off_closes_after_each_response() {
    let c = cfg_with(|c| c.keep_alive.enabled = false);
    let mut s = sent_with(c, &get("/"));
    s.respond(200, b"");
    assert_closing(&mut s, CloseReason::PolicyOff, CloseHow::Graceful);
}

#[test]
fn keep_alive_header_modes() {
    let c = cfg_with(|c| c.keep_alive.header = KeepAliveHeader::Always);
    let mut s = sent_with(c, &get("/"));
    s.respond(200, b"");
    let w = s.take_wire();
    assert!(
        w.contains("Connection: keep-alive\r\nKeep-Alive: timeout=5, max=99\r\n"),
        "{w}"
    );
    let c = cfg_with(|c| c.keep_alive.header = KeepAliveHeader::Never);
    let mut s = sent_with(c, b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    s.respond(200, b"");
    let w = s.take_wire();
    assert!(
        w.contains("Connection: keep-alive\r\n") && !w.contains("Keep-Alive:"),
        "{w}"
    );
}

#[test]
fn rfc9112_6_3_unknown_length_to_http10_is_close_delimited_then_close() {
    let mut s = sent(b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    s.pump();
    let f = s.conn.send_response(&Response::new(200), s.now).unwrap();
    assert_eq!(f, ResponseFraming::CloseDelimited);
    s.finish_body(&[b"abc", b"def"]);
    assert_eq!(
        s.take_wire(),
        "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nabcdef"
    );
    assert_closed(&s, CloseReason::CloseDelimited, CloseHow::Graceful);
}

#[test]
fn nginx_keepalive_time_lifetime_closes_idle_connection() {
    let mut c = cfg();
    c.keep_alive.max_lifetime = Some(Duration::from_secs(3));
    c.keep_alive.timeout = Duration::from_secs(10);
    let mut s = Driver::client(c);
    let t0 = s.now;
    s.feed(&get("/"));
    s.respond(200, b"");
    s.advance(2 * SEC);
    assert!(s.close().is_none());
    s.advance(SEC);
    assert_eq!(s.now, t0 + 3 * SEC);
    assert_eq!(s.close().unwrap().how, CloseHow::Graceful);
    assert_eq!(reasons(&s), vec![CloseReason::Lifetime]);
}

#[test]
fn nginx_keepalive_time_lifetime_during_request_closes_after_response() {
    let c = cfg_with(|c| c.keep_alive.max_lifetime = Some(Duration::from_secs(3)));
    let mut s = sent_with(c, &get("/"));
    s.advance(4 * SEC);
    assert!(s.close().is_none());
    s.respond(200, b"");
    assert!(s.take_wire().contains("Connection: close"));
    assert!(s.close().is_some());
}

#[test]
fn shutdown_when_idle_closes_now_and_mid_request_after_response() {
    let mut s = Driver::client(cfg());
    s.conn.shutdown(s.now);
    assert_eq!(s.close().unwrap().how, CloseHow::Graceful);
    assert_eq!(reasons(&s), vec![CloseReason::Shutdown]);

    let mut s = Driver::client(cfg());
    let input = [get("/a"), get("/b")].concat();
    s.feed(&input);
    s.conn.shutdown(s.now);
    assert!(s.close().is_none());
    s.respond(200, b"");
    assert!(s.take_wire().contains("Connection: close"));
    assert_eq!(s.take_log(), vec!["request GET /a", "end"]);
    assert!(s.close().is_some());
}

// ---- Response framing (RFC 9112 §6, RFC 9110 §6.4.1) ----------------------------------------------

#[test]
fn rfc9112_7_unknown_length_to_http11_is_chunked() {
    let mut s = sent(&get("/"));
    let f = s.conn.send_response(&Response::new(200), s.now).unwrap();
    assert_eq!(f, ResponseFraming::Chunked);
    s.finish_body(&[b"hello", b"", &[b'x'; 26]]);
    assert_eq!(
        s.take_wire(),
        format!(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n1a\r\n{}\r\n0\r\n\r\n",
            "x".repeat(26)
        )
    );
    assert!(s.close().is_none());
}

#[test]
fn rfc9112_6_3_head_response_has_no_body_but_may_carry_length() {
    let mut s = sent(b"HEAD / HTTP/1.1\r\nHost: a\r\n\r\n");
    let f = s
        .conn
        .send_response(&Response::new(200).length(1234), s.now)
        .unwrap();
    assert_eq!(
        f,
        ResponseFraming::NoBody {
            content_length: Some(1234)
        }
    );
    assert_eq!(s.conn.send_body(b"x", s.now), Err(UsageError::BodyNotAllowed));
    s.finish_body(&[]);
    assert_eq!(s.take_wire(), "HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n");
    // Without a length: no Transfer-Encoding and no `0\r\n\r\n`.
    s.feed(b"HEAD / HTTP/1.1\r\nHost: a\r\n\r\n");
    s.conn.send_response(&Response::new(200), s.now).unwrap();
    s.finish_body(&[]);
    assert_eq!(s.take_wire(), "HTTP/1.1 200 OK\r\n\r\n");
    assert!(s.close().is_none());
}

#[test]
fn rfc9112_6_3_204_and_304_have_no_body() {
    let mut s = sent(&get("/"));
    assert_eq!(
        answer(&mut s, Response::new(204)),
        "HTTP/1.1 204 No Content\r\n\r\n"
    );
    s.feed(&get("/"));
    assert_eq!(
        s.conn.send_response(&Response::new(304), s.now).unwrap(),
        ResponseFraming::NoBody { content_length: None }
    );
    assert_eq!(s.conn.send_body(b"x", s.now), Err(UsageError::BodyNotAllowed));
    s.finish_body(&[]);
    assert_eq!(s.take_wire(), "HTTP/1.1 304 Not Modified\r\n\r\n");
}

#[test]
fn rfc9112_4_status_line_keeps_sp_after_code_with_empty_reason() {
    let mut s = Driver::client(cfg());
    for (resp, wire) in [
        (Response::new(299), "HTTP/1.1 299 \r\nContent-Length: 0\r\n\r\n"),
        (
            Response::new(200).reason(""),
            "HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n",
        ),
    ] {
        s.feed(&get("/"));
        assert_eq!(answer(&mut s, resp), wire);
    }
}

#[test]
fn rfc9112_11_1_response_splitting_refused() {
    let mut s = sent(&get("/"));
    for h in [
        ("X", &b"a\r\nSet-Cookie: evil"[..]),
        ("X", b"a\nb"),
        ("X", b"a\rb"),
        ("X", b"a\0b"),
        ("X\r\nY", b"a"),
        ("X Y", b"a"),
        ("", b"a"),
    ] {
        let hs = [h];
        assert_eq!(
            s.conn.send_response(&Response::new(200).headers(&hs), s.now),
            Err(UsageError::InvalidHeader),
            "{h:?}"
        );
    }
    assert_eq!(
        s.conn
            .send_response(&Response::new(200).reason("OK\r\nX: y"), s.now),
        Err(UsageError::InvalidHeader)
    );
    for name in ["Content-Length", "transfer-encoding", "Connection", "Keep-Alive"] {
        let hs = [(name, &b"1"[..])];
        assert_eq!(
            s.conn.send_response(&Response::new(200).headers(&hs), s.now),
            Err(UsageError::ReservedHeader)
        );
    }
    assert!(s.rec.wire.is_empty(), "nothing was sent");
    s.respond(200, b"fine");
    assert!(s.take_wire().starts_with("HTTP/1.1 200 OK"));
}

#[test]
fn rfc9112_8_body_longer_than_announced_refused_shorter_is_cut_off() {
    let mut s = sent(&get("/"));
    s.conn
        .send_response(&Response::new(200).length(3), s.now)
        .unwrap();
    assert_eq!(s.conn.send_body(b"abcd", s.now), Err(UsageError::BodyTooLong));
    s.finish_body(&[b"ab"]);
    // What was given leaves; the connection closes before the announced length.
    assert_eq!(s.take_wire(), "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nab");
    let c = s.close().unwrap();
    assert_eq!(c.how, CloseHow::Graceful);
    assert_eq!(reasons(&s), vec![CloseReason::Aborted]);
}

#[test]
fn rfc9112_7_1_abort_response_leaves_chunked_body_without_last_chunk() {
    let mut s = Driver::client(cfg());
    let input = [get("/a"), get("/b")].concat();
    s.feed(&input);
    s.conn.send_response(&Response::new(200), s.now).unwrap();
    s.conn.send_body(b"part", s.now).unwrap();
    s.conn.abort_response(s.now).unwrap();
    s.pump();
    assert_eq!(
        s.take_wire(),
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\npart\r\n"
    );
    assert_eq!(
        s.take_log(),
        vec!["request GET /a", "end"],
        "nothing served after the cut"
    );
    assert!(s.close().is_some());
    assert_eq!(s.conn.abort_response(s.now), Err(UsageError::NoRequestPending));
}

#[test]
fn rfc9110_15_2_interim_responses_only_to_http11() {
    let mut s = sent(&get("/"));
    s.respond_with(
        Response::new(103).headers(&[("Link", b"</s.css>; rel=preload")]),
        b"",
    )
    .ok();
    s.respond(200, b"");
    let w = s.take_wire();
    assert!(
        w.starts_with("HTTP/1.1 103 Early Hints\r\nLink: </s.css>; rel=preload\r\n\r\nHTTP/1.1 200 OK"),
        "{w}"
    );

    let mut s = sent(b"GET / HTTP/1.0\r\n\r\n");
    s.conn.send_response(&Response::new(103), s.now).unwrap();
    s.respond(200, b"");
    assert!(s.take_wire().starts_with("HTTP/1.1 200 OK"));
}

#[test]
fn usage_errors_leave_state_unchanged() {
    let mut s = Driver::client(cfg());
    assert_eq!(
        s.conn.send_response(&Response::new(200), s.now),
        Err(UsageError::NoRequestPending)
    );
    s.feed(&get("/"));
    assert_eq!(s.conn.send_body(b"x", s.now), Err(UsageError::ResponseNotStarted));
    assert_eq!(s.conn.finish(s.now), Err(UsageError::ResponseNotStarted));
    assert_eq!(
        s.conn.send_response(&Response::new(42), s.now),
        Err(UsageError::InvalidStatus)
    );
    s.conn
        .send_response(&Response::new(200).length(0), s.now)
        .unwrap();
    assert_eq!(
        s.conn.send_response(&Response::new(200), s.now),
        Err(UsageError::ResponseAlreadyStarted)
    );
    s.conn.finish(s.now).unwrap();
    assert_eq!(
        s.conn.handle_written(1_000_000, s.now),
        Err(UsageError::AckBeyondTransmit)
    );
    s.pump();
    assert!(s.close().is_none());
}

#[test]
fn handle_write_failed_aborts() {
    let mut s = sent(&get("/"));
    s.stall_output = true;
    s.respond(200, b"x");
    s.conn.handle_write_failed();
    assert_eq!(s.close().unwrap().how, CloseHow::Abort);
}

// ---- Pipelining (RFC 9112 §9.3.2) -----------------------------------------------------------------

const PAGE: [&str; 10] = [
    "/", "/a.css", "/b.css", "/c.css", "/d.css", "/app.js", "/lib.js", "/1.png", "/2.png", "/3.png",
];

fn page_transcript() -> Vec<String> {
    PAGE.iter()
        .flat_map(|p| [format!("request GET {p}"), "end".to_string()])
        .collect()
}

#[test]
fn rfc9112_9_3_2_page_with_nine_resources_pipelined_on_one_connection() {
    let mut s = Driver::client(cfg());
    let all: Vec<u8> = PAGE.iter().flat_map(|p| get(p)).collect();
    s.feed(&all);
    for p in PAGE {
        s.respond(200, p.as_bytes());
    }
    assert_eq!(s.take_log(), page_transcript());
    let w = s.take_wire();
    let bodies: Vec<&str> = w
        .split("HTTP/1.1 200 OK\r\n")
        .skip(1)
        .map(|r| r.rsplit("\r\n\r\n").next().unwrap())
        .collect();
    assert_eq!(bodies, PAGE.to_vec(), "responses leave in request order");
    assert!(s.close().is_none());
    assert_eq!(s.conn.requests_served(), 10);
}

#[test]
fn rfc9112_9_3_page_with_nine_resources_sequential_on_one_connection() {
    let mut s = Driver::client(cfg());
    for p in PAGE {
        s.feed(&get(p));
        s.advance(50 * MS);
        s.respond(200, p.as_bytes());
        s.advance(100 * MS);
    }
    assert_eq!(s.take_log(), page_transcript());
    assert!(s.close().is_none());
}

#[test]
fn rfc9112_9_3_2_pipelined_bodies_and_bodiless_requests_interleave() {
    let mut s = Driver::client(cfg());
    let input = req(
        "POST /1 HTTP/1.1\nHost: a\nContent-Length: 3\n\nabcGET /2 HTTP/1.1\nHost: a\n\nPOST /3 HTTP/1.1\nHost: a\nTransfer-Encoding: chunked\n\n",
    );
    let mut input = input;
    input.extend_from_slice(b"2\r\nxy\r\n0\r\nT: v\r\n\r\nGET /4 HTTP/1.1\r\nHost: a\r\n\r\n");
    s.feed(&input);
    for _ in 0..4 {
        s.respond(200, b"");
    }
    assert_eq!(
        s.take_log(),
        vec![
            "request POST /1",
            "data abc",
            "end",
            "request GET /2",
            "end",
            "request POST /3",
            "data xy",
            "end trailers=1",
            "request GET /4",
            "end"
        ]
    );
}

#[test]
fn pipeline_is_bounded_by_count_and_bytes() {
    let mut c = cfg();
    c.max_pipelined = 2;
    c.max_buffered = 256;
    let mut s = Driver::client(c);
    let all: Vec<u8> = (0..40).flat_map(|i| get(&format!("/{i}"))).collect();
    let took = s.conn.handle_input(&all, s.now);
    assert_eq!(took, 256, "input taken only up to max_buffered");
    s.pump();
    assert_eq!(s.take_log(), vec!["request GET /0", "end"]);
    assert!(s.conn.buffered_input() <= 256);
    assert_eq!(s.conn.input_capacity(), 256 - s.conn.buffered_input());
    // Serving drains the queue and makes room.
    s.respond(200, b"");
    assert_eq!(s.take_log(), vec!["request GET /1", "end"]);
    assert!(s.conn.input_capacity() > 0);
}

// ---- Unread bodies (RFC 9112 §9.3) ---------------------------------------------------------------

#[test]
fn rfc9112_9_3_unread_small_body_is_discarded_and_connection_kept() {
    let mut s = sent(&req("POST /up HTTP/1.1\nHost: a\nContent-Length: 10\n\n01234"));
    assert_eq!(s.take_log(), vec!["request POST /up", "data 01234"]);
    s.respond(413, b"no");
    s.feed(&req("56789GET /next HTTP/1.1\nHost: a\n\n"));
    assert_eq!(s.take_log(), vec!["request GET /next", "end"]);
    assert!(s.close().is_none());
}

#[test]
fn go_discard_budget_unread_body_over_budget_closes() {
    let c = cfg_with(|c| c.discard_budget = 100);
    let mut s = sent_with(c, &req("POST /up HTTP/1.1\nHost: a\nContent-Length: 1000\n\n"));
    s.respond(413, b"");
    assert_closing(&mut s, CloseReason::UnreadBody, CloseHow::Linger);
}

#[test]
fn go_discard_budget_unread_chunked_body_over_budget_closes_after_response() {
    let c = cfg_with(|c| c.discard_budget = 10);
    let mut s = sent_with(
        c,
        &req("POST /up HTTP/1.1\nHost: a\nTransfer-Encoding: chunked\n\n"),
    );
    s.respond(200, b"");
    assert!(s.close().is_none());
    s.feed(b"8\r\n01234567\r\n8\r\n01234567\r\n");
    assert_eq!(s.close().unwrap().how, CloseHow::Linger);
    assert!(reasons(&s).contains(&CloseReason::UnreadBody));
}

// ---- Expect (RFC 9110 §10.1.1) ---------------------------------------------------------------------

/// A client that has sent the head of a 4-byte HTTP/1.1 PUT with `Expect: expect`.
fn put_expecting(expect: &str) -> Driver {
    sent(&req(&format!(
        "PUT /f HTTP/1.1\nHost: a\nExpect: {expect}\nContent-Length: 4\n\n"
    )))
}

#[test]
fn rfc9110_10_1_1_100_continue_sent_when_body_is_accepted() {
    let mut s = put_expecting("100-Continue");
    assert_eq!(s.take_log(), vec!["request PUT /f expect-100"]);
    assert!(s.rec.wire.is_empty(), "no 100 before the application asks");
    s.conn.accept_body(s.now).unwrap();
    s.pump();
    assert_eq!(s.take_wire(), "HTTP/1.1 100 Continue\r\n\r\n");
    s.feed(b"data");
    assert_eq!(s.take_log(), vec!["data data", "end"]);
    s.respond(201, b"");
    assert!(s.take_wire().starts_with("HTTP/1.1 201 Created\r\n"));
    assert!(s.close().is_none());
}

#[test]
fn rfc9110_10_1_1_early_final_response_without_100_closes() {
    let mut s = put_expecting("100-continue");
    s.respond(401, b"");
    let w = s.take_wire();
    assert!(
        !w.contains("100 Continue") && w.contains("Connection: close\r\n"),
        "{w}"
    );
    assert_eq!(reasons(&s), vec![CloseReason::UnreadBody]);
    assert!(s.close().is_some());
}

#[test]
fn rfc9110_10_1_1_unknown_expectation_is_417() {
    let mut s = put_expecting("teapot");
    assert_eq!(s.take_log(), vec!["error 417"]);
    assert!(s.take_wire().starts_with("HTTP/1.1 417 Expectation Failed\r\n"));
    assert!(s.close().is_some());
}

#[test]
fn rfc9110_10_1_1_expect_ignored_in_http10() {
    let mut s = sent(&req(
        "PUT /f HTTP/1.0\nExpect: 100-continue\nContent-Length: 4\n\ndata",
    ));
    assert_eq!(s.take_log(), vec!["request PUT /f", "data data", "end"]);
    s.conn.send_response(&Response::new(100), s.now).unwrap();
    s.respond(200, b"");
    assert!(
        s.take_wire().starts_with("HTTP/1.1 200 OK"),
        "never a 1xx to HTTP/1.0"
    );
}

// ---- Upgrade and CONNECT (RFC 9110 §7.8, §9.3.6) -------------------------------------------------------

#[test]
fn rfc9110_7_8_switching_protocols_hands_over_buffered_bytes() {
    let mut s = sent(
        &[
            req("GET /chat HTTP/1.1\nHost: a\nUpgrade: websocket\nConnection: Upgrade\n\n"),
            b"\x81\x05hello".to_vec(),
        ]
        .concat(),
    );
    assert_eq!(s.take_log(), vec!["request GET /chat", "end"]);
    assert_eq!(
        s.conn
            .send_response(&Response::new(101).headers(&[("Upgrade", b"h2c")]), s.now),
        Err(UsageError::UpgradeNotRequested)
    );
    s.respond_with(Response::new(101).headers(&[("Upgrade", b"WebSocket")]), b"")
        .unwrap();
    assert_eq!(
        s.take_wire(),
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: WebSocket\r\nConnection: upgrade\r\n\r\n"
    );
    assert_eq!(s.rec.upgraded.as_deref(), Some(&b"\x81\x05hello"[..]));
    assert!(s.conn.is_upgraded());
    assert_eq!(s.conn.handle_input(b"more", s.now), 0);
}

#[test]
fn rfc9110_7_8_upgrade_declined_continues_http() {
    let mut s = sent(
        &[
            req("GET /chat HTTP/1.1\nHost: a\nUpgrade: websocket\nConnection: upgrade\n\n"),
            get("/next"),
        ]
        .concat(),
    );
    s.respond(200, b"plain");
    assert_eq!(
        s.take_log(),
        vec!["request GET /chat", "end", "request GET /next", "end"]
    );
}

#[test]
fn rfc9110_7_8_upgrade_ignored_in_http10_and_without_connection_option() {
    for r in [
        "GET / HTTP/1.0\nUpgrade: websocket\nConnection: upgrade\n\n",
        "GET / HTTP/1.1\nHost: a\nUpgrade: websocket\n\n",
    ] {
        let mut s = sent(&req(r));
        assert_eq!(
            s.conn
                .send_response(&Response::new(101).headers(&[("Upgrade", b"websocket")]), s.now),
            Err(UsageError::UpgradeNotRequested),
            "{r:?}"
        );
    }
}

#[test]
fn rfc9110_9_3_6_connect_2xx_is_a_tunnel_without_length() {
    let mut s = sent(
        &[
            req("CONNECT example.com:443 HTTP/1.1\nHost: example.com:443\n\n"),
            b"\x16\x03\x01tls".to_vec(),
        ]
        .concat(),
    );
    assert_eq!(
        s.conn.send_response(&Response::new(200), s.now).unwrap(),
        ResponseFraming::NoBody { content_length: None }
    );
    s.pump();
    assert_eq!(s.take_wire(), "HTTP/1.1 200 OK\r\n\r\n");
    assert_eq!(s.rec.upgraded.as_deref(), Some(&b"\x16\x03\x01tls"[..]));
    assert!(s.conn.is_upgraded());
}

// ---- Timers --------------------------------------------------------------------------------------------

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

#[test]
fn timer_linger_ends_at_eof_or_byte_budget() {
    let mut s = sent(b"GET / HTTP/1.1\r\n\r\n");
    assert_eq!(s.close().unwrap().how, CloseHow::Linger);
    s.eof();
    assert!(s.conn.is_done());
    let mut s = sent(b"GET / HTTP/1.1\r\n\r\n");
    s.feed(&vec![0u8; 70_000]);
    assert!(s.conn.is_done());
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

// ---- End of input (RFC 9112 §9.6) -----------------------------------------------------------------

#[test]
fn rfc9112_9_6_half_close_does_not_cancel_responses() {
    let mut s = Driver::client(cfg());
    let input = [get("/a"), get("/b")].concat();
    s.feed(&input);
    s.eof();
    assert!(s.close().is_none());
    s.respond(200, b"a");
    s.respond(200, b"b");
    assert_eq!(
        s.take_log(),
        vec!["request GET /a", "end", "request GET /b", "end"]
    );
    assert_eq!(s.take_wire().matches("HTTP/1.1 200 OK").count(), 2);
    let c = s.close().unwrap();
    assert_eq!(c.how, CloseHow::Graceful);
    assert!(c.reasons.contains(CloseReason::PeerClosed));
}

#[test]
fn rfc9112_8_eof_inside_body_is_incomplete() {
    let mut s = sent(&req("POST / HTTP/1.1\nHost: a\nContent-Length: 10\n\nabc"));
    s.eof();
    assert_eq!(s.take_log(), vec!["request POST /", "data abc", "error 400"]);
    assert!(s.close().is_some());
    assert!(s.rec.wire.is_empty(), "nobody to answer");
}

#[test]
fn rfc9112_9_6_eof_when_idle_or_mid_head_closes() {
    let mut s = Driver::client(cfg());
    s.eof();
    assert_eq!(s.close().unwrap().how, CloseHow::Graceful);
    let mut s = sent(b"GET / HT");
    s.eof();
    assert!(s.close().is_some());
    assert!(s.rec.wire.is_empty());
}
