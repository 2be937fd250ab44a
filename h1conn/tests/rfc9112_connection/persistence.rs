//! Persistence (RFC 9112 §9.3, §9.6) and the keep-alive policy (Apache, nginx).

use super::*;

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
