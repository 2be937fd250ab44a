//! Memory an idle keep-alive connection keeps (nginx keeps about 250 bytes per idle connection).

use core::time::Duration;
use h1conn::{Config, Connection, Event, Response};

fn serve_one(c: &mut Connection, input: &[u8]) {
    let t = Duration::ZERO;
    c.handle_input(input, t);
    while let Some(ev) = c.poll_event() {
        match ev {
            Event::End(_) => c.send_full(&Response::new(200), b"hello", t).unwrap(),
            Event::Request(r) => c.recycle(r.head),
            _ => {}
        }
    }
    let n = c.transmit().len();
    c.handle_written(n, t).unwrap();
}

#[test]
fn idle_keep_alive_connection_is_at_most_256_bytes() {
    let size = core::mem::size_of::<Connection>();
    assert!(size <= 256, "size_of::<Connection>() = {size}");
    let mut c = Connection::new(Config::default(), Duration::ZERO);
    assert_eq!(c.heap_bytes(), 0, "a new connection holds no heap memory");
    let req = b"POST /upload HTTP/1.1\r\nHost: example.com\r\nContent-Length: 5\r\n\r\nhello";
    serve_one(&mut c, req);
    assert!(c.poll_close().is_none(), "kept alive");
    // Buffers are kept for a request that follows at once, then released after the delay.
    assert!(c.heap_bytes() > 0);
    let release = c.timer(h1conn::Timer::Release).expect("release timer armed");
    assert_eq!(release, Duration::from_secs(1));
    c.handle_timeout(release);
    assert_eq!(
        c.heap_bytes(),
        0,
        "an idle keep-alive connection releases its buffers"
    );
    assert_eq!(c.timer(h1conn::Timer::Release), None);
    assert!(c.poll_close().is_none(), "still kept alive");
    // The next request works from nothing.
    serve_one(&mut c, b"GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    assert_eq!(c.requests_served(), 2);
}

#[test]
fn zero_release_delay_releases_at_once() {
    let cfg = Config {
        release_idle_after: Duration::ZERO,
        ..Config::default()
    };
    let mut c = Connection::new(cfg, Duration::ZERO);
    serve_one(&mut c, b"GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    assert_eq!(c.heap_bytes(), 0);
    assert_eq!(c.timer(h1conn::Timer::Release), None);
}

#[test]
fn without_release_capacity_is_kept_for_the_next_request() {
    let cfg = Config {
        release_idle_memory: false,
        ..Config::default()
    };
    let mut c = Connection::new(cfg, Duration::ZERO);
    serve_one(&mut c, b"GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    assert!(c.heap_bytes() > 0);
    c.handle_timeout(Duration::from_secs(2));
    assert!(c.heap_bytes() > 0, "kept");
    assert_eq!(c.timer(h1conn::Timer::Release), None);
}

#[test]
fn a_finished_connection_holds_no_heap() {
    let t = Duration::ZERO;
    // Aborted with output pending: the output is void and freed.
    let mut c = Connection::new(Config::default(), t);
    c.handle_input(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n", t);
    while c.poll_event().is_some() {}
    c.send_full(&Response::new(200), b"hello", t).unwrap();
    c.handle_write_failed();
    assert!(c.is_done());
    assert_eq!(c.heap_bytes(), 0);
    // A peer error answered, then lingering: nothing more is read or written.
    let mut c = Connection::new(Config::default(), t);
    c.handle_input(b"GET / HTTP/1.1\r\n\r\n", t);
    while c.poll_event().is_some() {}
    let n = c.transmit().len();
    c.handle_written(n, t).unwrap();
    assert!(c.poll_close().is_some() && !c.is_done());
    assert_eq!(c.heap_bytes(), 0);
}
