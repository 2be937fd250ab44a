//! Response framing (RFC 9112 §6, RFC 9110 §6.4.1) and the response API's refusals.

use super::*;

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
