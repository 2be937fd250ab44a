//! The driving contract's promises about when output appears (h1conn/src/lib.rs, steps 2 and 5).

use core::time::Duration;
use h1conn::{Config, Connection, Event};

const T: Duration = Duration::ZERO;

/// RFC 9112 §3 + the contract: a head that breaks a rule is answered as soon as `handle_input` has
/// taken it; the error response is in `transmit()` before any `poll_event()`.
#[test]
fn error_response_is_ready_after_handle_input() {
    let mut c = Connection::new(Config::default(), T);
    c.handle_input(b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", T);
    assert!(c.transmit().starts_with(b"HTTP/1.1 400 Bad Request\r\n"));
    assert!(matches!(c.poll_event(), Some(Event::Error(e)) if e.status() == 400));
}

/// Pipelined: the 400 for the second head waits for the first response (responses stay in
/// request order, RFC 9112 §9.3.2).
#[test]
fn error_response_waits_for_earlier_responses() {
    let mut c = Connection::new(Config::default(), T);
    c.handle_input(b"GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\n\r\n", T);
    assert!(c.transmit().is_empty());
    assert!(matches!(c.poll_event(), Some(Event::Request(_))));
    assert!(matches!(c.poll_event(), Some(Event::End(None))));
    c.send_full(&h1conn::Response::new(200), b"one", T).unwrap();
    assert!(matches!(c.poll_event(), Some(Event::Error(e)) if e.status() == 400));
    let wire = String::from_utf8_lossy(c.transmit()).into_owned();
    let first = wire.find("200 OK").unwrap();
    let second = wire.find("400 Bad Request").unwrap();
    assert!(first < second, "{wire}");
}
