//! `Connection::release_memory`: an adapter gives an idle connection's memory back at once,
//! before the `Release` timer would.

use core::time::Duration;

use h1conn::{Config, Connection, Event, Response};

const GET: &[u8] = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n";

fn answer(c: &mut Connection, now: Duration) {
    while let Some(ev) = c.poll_event() {
        if let Event::End(_) = ev {
            c.send_full(&Response::new(200), b"ok", now).unwrap();
        }
    }
    let n = c.transmit().len();
    c.handle_written(n, now).unwrap();
}

#[test]
fn release_memory_gives_back_an_idle_connections_buffers_at_once() {
    let t = Duration::from_millis(10);
    let mut c = Connection::new(Config::default(), Duration::ZERO);
    c.handle_input(GET, t);
    answer(&mut c, t);
    assert!(c.heap_bytes() > 0, "buffers kept for the next request by default");
    c.release_memory();
    assert_eq!(c.heap_bytes(), 0);
    // The connection serves the next request as usual.
    c.handle_input(GET, t);
    answer(&mut c, t);
    assert_eq!(c.requests_served(), 2);
}

#[test]
fn release_memory_keeps_what_a_request_in_flight_uses() {
    let t = Duration::from_millis(10);
    let mut c = Connection::new(Config::default(), Duration::ZERO);
    c.handle_input(GET, t);
    assert!(matches!(c.poll_event(), Some(Event::Request(_))));
    let held = c.heap_bytes();
    c.release_memory();
    assert_eq!(c.heap_bytes(), held);
    answer(&mut c, t);
    assert_eq!(c.requests_served(), 1);
}

#[test]
fn release_memory_is_off_with_release_idle_memory_off() {
    let t = Duration::from_millis(10);
    let cfg = Config {
        release_idle_memory: false,
        ..Config::default()
    };
    let mut c = Connection::new(cfg, Duration::ZERO);
    c.handle_input(GET, t);
    answer(&mut c, t);
    let held = c.heap_bytes();
    c.release_memory();
    assert_eq!(c.heap_bytes(), held);
}
