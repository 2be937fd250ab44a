//! Memory an idle keep-alive connection keeps (nginx keeps about 250 bytes per idle connection).

use core::time::Duration;
use h1conn::{Config, Connection, Response};
use h1conn_testkit::driver::{Answer, Driver};

#[test]
fn idle_keep_alive_connection_is_at_most_256_bytes() {
    let size = core::mem::size_of::<Connection>();
    assert!(size <= 256, "size_of::<Connection>() = {size}");
    let mut c = Driver::new(Config::default());
    assert_eq!(c.conn.heap_bytes(), 0, "a new connection holds no heap memory");
    let req = b"POST /upload HTTP/1.1\r\nHost: example.com\r\nContent-Length: 5\r\n\r\nhello";
    c.feed(req);
    assert!(c.conn.poll_close().is_none(), "kept alive");
    // Buffers are kept for a request that follows at once, then released after the delay.
    assert!(c.conn.heap_bytes() > 0);
    let release = c.conn.timer(h1conn::Timer::Release).expect("release timer armed");
    assert_eq!(release, Duration::from_secs(1));
    c.conn.handle_timeout(release);
    assert_eq!(
        c.conn.heap_bytes(),
        0,
        "an idle keep-alive connection releases its buffers"
    );
    assert_eq!(c.conn.timer(h1conn::Timer::Release), None);
    assert!(c.conn.poll_close().is_none(), "still kept alive");
    // The next request works from nothing.
    c.feed(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    assert_eq!(c.conn.requests_served(), 2);
}

#[test]
fn zero_release_delay_releases_at_once() {
    let cfg = Config {
        release_idle_after: Duration::ZERO,
        ..Config::default()
    };
    let mut c = Driver::new(cfg);
    c.feed(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    assert_eq!(c.conn.heap_bytes(), 0);
    assert_eq!(c.conn.timer(h1conn::Timer::Release), None);
}

#[test]
fn without_release_capacity_is_kept_for_the_next_request() {
    let cfg = Config {
        release_idle_memory: false,
        ..Config::default()
    };
    let mut c = Driver::new(cfg);
    c.feed(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    assert!(c.conn.heap_bytes() > 0);
    c.conn.handle_timeout(Duration::from_secs(2));
    assert!(c.conn.heap_bytes() > 0, "kept");
    assert_eq!(c.conn.timer(h1conn::Timer::Release), None);
}

#[test]
fn a_finished_connection_holds_no_heap() {
    // Aborted with output pending: the output is void and freed.
    let mut c = Driver::new(Config::default()).answer(Answer::manual());
    c.stall_output = true;
    c.feed(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    c.respond_with(Response::new(200), b"hello").unwrap();
    c.conn.handle_write_failed();
    assert!(c.conn.is_done());
    assert_eq!(c.conn.heap_bytes(), 0);
    // A peer error answered, then lingering: nothing more is read or written.
    let mut c = Driver::new(Config::default());
    c.feed(b"GET / HTTP/1.1\r\n\r\n");
    assert!(c.close().is_some() && !c.conn.is_done());
    assert_eq!(c.conn.heap_bytes(), 0);
}
