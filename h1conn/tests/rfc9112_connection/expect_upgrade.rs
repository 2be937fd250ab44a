//! Expect (RFC 9110 §10.1.1), Upgrade and CONNECT (RFC 9110 §7.8, §9.3.6).

use super::*;

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
    assert_eq!(reasons(&s), vec![CloseReason::UnansweredContinue]);
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
