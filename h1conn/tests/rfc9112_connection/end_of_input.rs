//! End of input (RFC 9112 §9.6, §8).

use super::*;

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
