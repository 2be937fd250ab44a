//! Header and keep-alive timeouts against slow and idle clients.

use super::*;

/// A connection to `srv` whose reads give up after `timeout`.
pub(crate) fn connect_with_timeout(srv: &Server, timeout: Duration) -> TcpStream {
    let s = TcpStream::connect(srv.addr).expect("connect");
    s.set_read_timeout(Some(timeout)).unwrap();
    s
}

/// The server closed after `took`, which lies between `min` and `max`.
pub(crate) fn closed_within(name: &str, took: Duration, min: Duration, max: Duration) {
    assert!(took >= min, "{name}: closed too early ({took:?})");
    assert!(took <= max, "{name}: closed too late ({took:?})");
}

#[test]
fn header_timeout_closes_a_client_that_trickles_its_head() {
    for name in EXAMPLES {
        let srv = Server::start(name, &["--header-timeout", "1"]);
        let mut s = connect_with_timeout(&srv, Duration::from_millis(300));
        let start = Instant::now();
        let head = b"GET / HTTP/1.1\r\nHost: localhost\r\nUser-Agent: one-byte-every-300-ms\r\n\r\n";
        let mut got = Vec::new();
        let mut closed = false;
        // One byte, then up to 300 ms of reading; 20 rounds (about 6 s) at most.
        for &b in head.iter().take(20) {
            if s.write_all(&[b]).is_err() {
                closed = true;
                break;
            }
            let mut buf = [0u8; 1024];
            match s.read(&mut buf) {
                Ok(0) => {
                    closed = true;
                    break;
                }
                Ok(n) => got.extend_from_slice(&buf[..n]),
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) => {}
                Err(_) => {
                    closed = true;
                    break;
                }
            }
            if got.ends_with(b"\n") && got.windows(4).any(|w| w == b"\r\n\r\n") {
                break;
            }
        }
        let took = start.elapsed();
        let text = String::from_utf8_lossy(&got);
        assert!(
            text.starts_with("HTTP/1.1 408 ") || closed,
            "{name}: neither 408 nor a close after {took:?}: {text:?}"
        );
        closed_within(name, took, Duration::from_millis(900), 4 * SEC);
        if !got.is_empty() {
            assert!(
                text.contains("\r\nDate: "),
                "{name}: the 408 carries a Date: {text:?}"
            );
            assert!(text.contains("\r\nConnection: close\r\n"), "{name}: {text:?}");
        }
        drop(s);
        srv.stop_quiet();
    }
}

#[test]
fn keep_alive_timeout_closes_an_idle_connection() {
    for name in EXAMPLES {
        let srv = Server::start(name, &["--keep-alive-timeout", "1"]);
        let mut s = connect_with_timeout(&srv, 5 * SEC);
        s.write_all(b"GET /status/204 HTTP/1.1\r\nHost: localhost\r\n\r\n")
            .unwrap();
        let mut got = Vec::new();
        let mut buf = [0u8; 1024];
        while !got.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = s.read(&mut buf).expect("response");
            assert!(n > 0, "{name}: closed before the response");
            got.extend_from_slice(&buf[..n]);
        }
        assert!(
            got.starts_with(b"HTTP/1.1 204 "),
            "{name}: {:?}",
            String::from_utf8_lossy(&got)
        );
        let idle = Instant::now();
        let n = s.read(&mut buf).expect("the server closes within 5 s");
        let took = idle.elapsed();
        assert_eq!(n, 0, "{name}: unexpected bytes after the response");
        closed_within(name, took, Duration::from_millis(800), 3 * SEC);
        let _ = s.shutdown(Shutdown::Both);
        srv.stop_quiet();
    }
}
