#![cfg(feature = "std")]
//! The blocking driver (`h1conn::Blocking`) over real loopback sockets, one thread per connection,
//! as a thread-per-connection server uses it.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use h1conn::{Blocking, Plain, Step, Transport};
use h1conn::{Config, Connection, Event, Response};

/// A server for one connection: answers each request with `body_for(target)`, streamed in pieces
/// of at most 16 KiB with a round of I/O after each. Returns the address and the thread, which
/// ends when the driver says the connection is finished.
fn serve_one(cfg: Config, body_for: fn(&[u8]) -> Vec<u8>) -> (String, JoinHandle<u32>) {
    serve_one_over(cfg, body_for, |sock| sock)
}

/// [`serve_one`] over the transport `wrap` makes of the accepted socket.
fn serve_one_over<T: Transport + 'static>(
    cfg: Config,
    body_for: fn(&[u8]) -> Vec<u8>,
    wrap: fn(TcpStream) -> T,
) -> (String, JoinHandle<u32>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let cfg = Arc::new(cfg);
    let handle = std::thread::spawn(move || {
        let (sock, _) = listener.accept().unwrap();

        let mut io = Blocking::new(wrap(sock));
        let mut conn = Connection::new(cfg, io.now());
        let mut body = Vec::new();
        loop {
            while let Some(ev) = conn.poll_event() {
                match ev {
                    Event::Request(req) => body = body_for(req.head.target()),
                    Event::End(_) => {
                        let resp = Response::new(200).length(body.len() as u64);
                        conn.send_response(&resp, io.now()).unwrap();
                        for piece in body.chunks(16 * 1024) {
                            conn.send_body(piece, io.now()).unwrap();
                            assert_ne!(io.complete_io(&mut conn), Step::Done);
                        }
                        conn.finish(io.now()).unwrap();
                    }
                    _ => {}
                }
            }
            if io.complete_io(&mut conn) == Step::Done {
                return conn.requests_served();
            }
        }
    });
    (addr, handle)
}

fn hello(_: &[u8]) -> Vec<u8> {
    b"hello\n".to_vec()
}

fn read_to_end(mut s: TcpStream) -> Vec<u8> {
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).unwrap();
    out
}

/// RFC 9112 §9.3.2: pipelined requests are answered in order on one connection; the last one says
/// `close` and the connection then closes (§9.6), which ends the driver.
#[test]
fn rfc9112_9_3_2_pipelined_requests_answered_in_order_then_close() {
    let (addr, server) = serve_one(Config::default(), |t| [t, b"\n"].concat());
    let mut c = TcpStream::connect(addr).unwrap();
    c.write_all(
        b"GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n\
          GET /c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    )
    .unwrap();
    let wire = String::from_utf8(read_to_end(c)).unwrap();
    let bodies: Vec<&str> = wire
        .split("\r\n\r\n")
        .skip(1)
        .map(|rest| rest.split("HTTP/1.1").next().unwrap())
        .collect();
    assert_eq!(bodies, ["/a\n", "/b\n", "/c\n"], "{wire}");
    assert_eq!(wire.matches("HTTP/1.1 200 OK\r\n").count(), 3);
    assert!(wire.contains("Connection: close\r\n"));
    assert!(wire.contains("Date: "), "the driver keeps a Date: {wire}");
    assert_eq!(server.join().unwrap(), 3);
}

/// Apache `KeepAliveTimeout`: an idle keep-alive connection is closed by the driver once the
/// keep-alive timeout passes, without a response.
#[test]
fn keep_alive_timeout_closes_an_idle_connection() {
    let mut cfg = Config::default();
    cfg.keep_alive.timeout = Duration::from_millis(300);
    let (addr, server) = serve_one(cfg, hello);
    let mut c = TcpStream::connect(addr).unwrap();
    let started = Instant::now();
    c.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let wire = read_to_end(c);
    let waited = started.elapsed();
    assert!(wire.ends_with(b"hello\n"), "{}", wire.escape_ascii());
    assert!(waited >= Duration::from_millis(300), "closed after {waited:?}");
    assert!(waited < Duration::from_secs(5), "closed after {waited:?}");
    assert_eq!(server.join().unwrap(), 1);
}

/// RFC 9112 §6.3: a streamed 2 MiB Content-Length body arrives whole and byte-exact while the
/// client reads slowly at first (the driver writes each piece before the next is produced).
#[test]
fn rfc9112_6_3_streamed_body_arrives_whole() {
    fn big(_: &[u8]) -> Vec<u8> {
        (0..2 << 20).map(|i| (i % 251) as u8).collect()
    }
    let (addr, server) = serve_one(Config::default(), big);
    let mut c = TcpStream::connect(addr).unwrap();
    c.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let wire = read_to_end(c);
    let at = wire.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    assert!(wire.starts_with(b"HTTP/1.1 200 OK\r\n"));
    assert_eq!(wire[at..], big(b"")[..]);
    assert_eq!(server.join().unwrap(), 1);
}

/// RFC 9112 §3: a malformed request line gets the connection's own 400 and a close; the driver
/// then finishes.
#[test]
fn rfc9112_3_bad_request_is_answered_400_and_closed() {
    let (addr, server) = serve_one(Config::default(), hello);
    let mut c = TcpStream::connect(addr).unwrap();
    c.write_all(b"GET / HTTP/1.1 extra\r\nHost: x\r\n\r\n").unwrap();
    let wire = read_to_end(c);
    assert!(wire.starts_with(b"HTTP/1.1 400 "), "{}", wire.escape_ascii());
    assert_eq!(server.join().unwrap(), 1);
}

/// RFC 9112 §9.6: a client that half-closes after its request still gets the response, then the
/// connection closes.
#[test]
fn rfc9112_9_6_half_close_after_the_request_still_gets_the_response() {
    let (addr, server) = serve_one(Config::default(), hello);
    let mut c = TcpStream::connect(addr).unwrap();
    c.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    c.shutdown(std::net::Shutdown::Write).unwrap();
    let wire = read_to_end(c);
    assert!(wire.starts_with(b"HTTP/1.1 200 OK\r\n"));
    assert!(wire.ends_with(b"hello\n"));
    assert_eq!(server.join().unwrap(), 1);
}

/// A stream that is only `Read + Write`, as a TLS layer over a socket is: it has no timeouts or
/// half-close of its own to offer.
struct Layered(TcpStream);

impl Read for Layered {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.0.read(buf)
    }
}

impl Write for Layered {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

/// Scenario: the driver over any `Read + Write` (`Plain`), here a layered stream whose socket got
/// a 50 ms read timeout before it was wrapped. Requests are answered, and the keep-alive timeout
/// (300 ms) still closes the idle connection, at most one socket timeout late.
#[test]
fn any_read_write_stream_is_served_and_its_timers_fire() {
    let mut cfg = Config::default();
    cfg.keep_alive.timeout = Duration::from_millis(300);
    let (addr, server) = serve_one_over(cfg, hello, |sock| {
        sock.set_read_timeout(Some(Duration::from_millis(50))).unwrap();
        Plain(Layered(sock))
    });
    let mut c = TcpStream::connect(addr).unwrap();
    let started = Instant::now();
    c.write_all(b"GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let wire = String::from_utf8(read_to_end(c)).unwrap();
    let waited = started.elapsed();
    assert_eq!(wire.matches("HTTP/1.1 200 OK\r\n").count(), 2, "{wire}");
    assert!(wire.ends_with("hello\n"), "{wire}");
    assert!(waited >= Duration::from_millis(300), "closed after {waited:?}");
    assert!(waited < Duration::from_secs(5), "closed after {waited:?}");
    assert_eq!(server.join().unwrap(), 2);
}
