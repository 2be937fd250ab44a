//! Header, keep-alive, body and send timeouts against slow, stalled and idle clients.

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
        get_204(&mut s, name);
        let idle = Instant::now();
        let n = s.read(&mut [0u8; 1024]).expect("the server closes within 5 s");
        let took = idle.elapsed();
        assert_eq!(n, 0, "{name}: unexpected bytes after the response");
        closed_within(name, took, Duration::from_millis(800), 3 * SEC);
        let _ = s.shutdown(Shutdown::Both);
        srv.stop_quiet();
    }
}

/// How a read loop ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ended {
    /// The server closed its side (a FIN).
    Eof,
    /// The connection was reset, or reading failed otherwise.
    Reset,
    /// The time limit passed with the connection still open.
    TimedOut,
}

/// Reads from `s` until the server closes (EOF or a reset) or `limit` passes, keeping at most the
/// first `keep` bytes; returns them, the byte count and how reading ended.
fn read_until_closed(s: &mut TcpStream, limit: Duration, keep: usize) -> (Vec<u8>, usize, Ended) {
    let start = Instant::now();
    let (mut kept, mut total) = (Vec::new(), 0);
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let left = limit.saturating_sub(start.elapsed());
        if left.is_zero() {
            return (kept, total, Ended::TimedOut);
        }
        s.set_read_timeout(Some(left)).unwrap();
        match s.read(&mut buf) {
            Ok(0) => return (kept, total, Ended::Eof),
            Ok(n) => {
                let room = keep.saturating_sub(kept.len()).min(n);
                kept.extend_from_slice(&buf[..room]);
                total += n;
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                return (kept, total, Ended::TimedOut)
            }
            Err(_) => return (kept, total, Ended::Reset),
        }
    }
}

/// The head (without its blank line) and the bytes after it.
fn split_head(resp: &[u8]) -> (String, &[u8]) {
    let end = resp
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no end of head in {:?}", String::from_utf8_lossy(resp)));
    (
        String::from_utf8_lossy(&resp[..end]).into_owned(),
        &resp[end + 4..],
    )
}

/// POSTs to `path` a head announcing 100 bytes and only 10 of them, then reads until the server
/// closes (6 s at most): what came, how reading ended, and how long after the stall.
fn stall_upload(srv: &Server, path: &str) -> (Vec<u8>, Ended, Duration) {
    let mut s = connect_with_timeout(srv, 5 * SEC);
    let req = format!("POST {path} HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\n0123456789");
    s.write_all(req.as_bytes()).unwrap();
    let stalled = Instant::now();
    let (resp, _, ended) = read_until_closed(&mut s, 6 * SEC, usize::MAX);
    (resp, ended, stalled.elapsed())
}

/// RFC 9110 §15.5.9: an upload that stops before its Content-Length (10 of 100 bytes, then
/// silence) to `POST /`, which answers only after the whole body, gets 408 Request Timeout with
/// `Connection: close` once `--body-timeout 1` has passed since the last byte, and the server
/// closes.
#[test]
fn body_timeout_answers_408_to_an_upload_that_stalls() {
    for_each_server(&["--body-timeout", "1"], |name, srv| {
        let (resp, ended, took) = stall_upload(srv, "/");
        let text = String::from_utf8_lossy(&resp);
        assert!(text.starts_with("HTTP/1.1 408 "), "{name}: {text:?}");
        assert!(text.contains("\r\nConnection: close\r\n"), "{name}: {text:?}");
        assert_eq!(ended, Ended::Eof, "{name}: after {took:?}: {text:?}");
        closed_within(name, took, Duration::from_millis(900), 4 * SEC);
    });
}

/// RFC 9112 §8 (incomplete messages): `/echo` starts its 200 response, with the request's
/// `Content-Length: 100`, on the first body bytes; when the upload stalls after 10 bytes, the body
/// timer (`--body-timeout 1`) cannot answer 408 any more, so the server ends the connection with the
/// response short of its length: the client receives the 10 echoed bytes, then the close.
#[test]
fn body_timeout_cuts_off_an_echo_whose_upload_stalls() {
    for_each_server(&["--body-timeout", "1"], |name, srv| {
        let (resp, ended, took) = stall_upload(srv, "/echo");
        let (head, body) = split_head(&resp);
        assert!(head.starts_with("HTTP/1.1 200 "), "{name}: {head:?}");
        assert!(head.contains("\r\nContent-Length: 100"), "{name}: {head:?}");
        assert_eq!(body, b"0123456789", "{name}: only the bytes that came are echoed");
        assert_ne!(ended, Ended::TimedOut, "{name}: still open after {took:?}");
        closed_within(name, took, Duration::from_millis(900), 4 * SEC);
    });
}

/// The body timer measures silence, not the whole upload: with `--body-timeout 1`, an upload of
/// 2400 bytes sent as 200 bytes every 300 ms (3.3 s in all; 667 B/s, above the default 500 B/s
/// minimum rate) is echoed whole and the connection is kept.
#[test]
fn body_timeout_spares_an_upload_that_keeps_arriving() {
    const PIECE: usize = 200;
    const PIECES: usize = 12;
    for_each_server(&["--body-timeout", "1"], |name, srv| {
        let mut s = connect_with_timeout(srv, 5 * SEC);
        let head = format!(
            "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: {}\r\n\r\n",
            PIECE * PIECES
        );
        s.write_all(head.as_bytes()).unwrap();
        let start = Instant::now();
        let mut sent = Vec::new();
        for i in 0..PIECES {
            if i > 0 {
                thread::sleep(Duration::from_millis(300));
            }
            let piece = vec![b'a' + i as u8; PIECE];
            s.write_all(&piece)
                .unwrap_or_else(|e| panic!("{name}: piece {i} after {:?}: {e}", start.elapsed()));
            sent.extend_from_slice(&piece);
        }
        assert!(start.elapsed() >= 3 * SEC, "the upload outlasts the body timeout");
        // The whole echo: head and 2400 bytes.
        let mut resp = Vec::new();
        let mut buf = [0u8; 4096];
        while resp
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .is_none_or(|end| resp.len() < end + 4 + sent.len())
        {
            let n = s
                .read(&mut buf)
                .unwrap_or_else(|e| panic!("{name}: reading the echo: {e}"));
            assert!(n > 0, "{name}: closed after {:?}", String::from_utf8_lossy(&resp));
            resp.extend_from_slice(&buf[..n]);
        }
        let (head, body) = split_head(&resp);
        assert!(head.starts_with("HTTP/1.1 200 "), "{name}: {head:?}");
        assert!(!head.contains("Connection: close"), "{name}: {head:?}");
        assert!(body == sent, "{name}: the echo differs from the upload");
        // The connection is kept: a second request is answered on it.
        s.write_all(b"GET /status/204 HTTP/1.1\r\nHost: t\r\n\r\n")
            .unwrap();
        let n = s.read(&mut buf).expect("second response");
        assert!(buf[..n].starts_with(b"HTTP/1.1 204 "), "{name}");
    });
}

/// The body's minimum rate (`Timeouts::body_min_rate`, 500 B/s by default; the flags leave it): an
/// upload that trickles one byte every 300 ms never goes 1 s without a byte, yet falls below the
/// rate, so about 1 s after it began (`--body-timeout 1` is also the grace period) the server
/// ends the `/echo` response short of its `Content-Length: 20` and closes.
#[test]
fn body_min_rate_cuts_off_an_upload_that_trickles() {
    for_each_server(&["--body-timeout", "1"], |name, srv| {
        let mut s = connect_with_timeout(srv, 5 * SEC);
        s.write_all(b"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 20\r\n\r\n")
            .unwrap();
        let start = Instant::now();
        // The response, read until the server closes, on a thread of its own.
        let mut r = s.try_clone().unwrap();
        let reader = thread::spawn(move || {
            let (resp, _, ended) = read_until_closed(&mut r, 8 * SEC, usize::MAX);
            (resp, ended, start.elapsed())
        });
        // One byte every 300 ms, 20 bytes (about 6 s) at most, until a write fails.
        for i in 0..20 {
            if i > 0 {
                thread::sleep(Duration::from_millis(300));
            }
            if s.write_all(b"x").is_err() || reader.is_finished() {
                break;
            }
        }
        let (resp, ended, took) = reader.join().unwrap();
        assert_ne!(ended, Ended::TimedOut, "{name}: a 3 B/s upload was not cut off");
        let (head, body) = split_head(&resp);
        assert!(head.starts_with("HTTP/1.1 200 "), "{name}: {head:?}");
        assert!(body.len() < 20, "{name}: the echo is short: {body:?}");
        closed_within(name, took, Duration::from_millis(900), 4 * SEC);
    });
}

/// A client that asks for 65.5 MB (`/stream`, 1000 pieces of 64 KiB) and reads nothing: with
/// `--send-timeout 1` the server gives up once its output has gone untaken for 1 s past what the
/// socket buffers took (serve about 1 s after the request; blocking about 3 s, since a write that
/// runs into the deadline after the kernel took some bytes counts as progress). Read 6 s later,
/// the response ends (EOF or reset) after what the buffers held, far short of its length; the
/// server serves the next connection.
#[test]
fn send_timeout_ends_a_response_the_client_does_not_read() {
    for_each_server(&["--send-timeout", "1"], |name, srv| {
        let mut s = connect_with_timeout(srv, 5 * SEC);
        s.write_all(b"GET /stream?chunks=1000&size=65536 HTTP/1.1\r\nHost: t\r\n\r\n")
            .unwrap();
        thread::sleep(6 * SEC);
        let reading = Instant::now();
        let (resp, total, ended) = read_until_closed(&mut s, 10 * SEC, 4096);
        let took = reading.elapsed();
        assert!(
            resp.starts_with(b"HTTP/1.1 200 "),
            "{name}: {:?}",
            String::from_utf8_lossy(&resp)
        );
        assert_ne!(
            ended,
            Ended::TimedOut,
            "{name}: {total} bytes, still open after {took:?}"
        );
        assert!(
            total < 32 << 20,
            "{name}: {total} bytes arrived: the server did not give up"
        );
        let ok = exchange(
            srv.addr,
            b"GET /status/204 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
        );
        assert_eq!(ok.status, 204, "{name}");
    });
}

/// Reads `GET /stream?chunks=N&size=65536` on `s`, `step` bytes every 200 ms, until its last chunk
/// or `limit`; returns the body length when the response came whole, or what went wrong.
pub(crate) fn read_stream_in_steps(s: &mut TcpStream, step: usize, limit: Duration) -> Result<usize, String> {
    let start = Instant::now();
    let mut got = Vec::new();
    let mut buf = vec![0u8; step];
    while !got.ends_with(b"\r\n0\r\n\r\n") {
        if start.elapsed() > limit {
            return Err(format!("{} bytes in {limit:?}", got.len()));
        }
        let mut want = step;
        while want > 0 && !got.ends_with(b"\r\n0\r\n\r\n") {
            match s.read(&mut buf[..want]) {
                Ok(0) => return Err(format!("EOF after {} bytes, {:?}", got.len(), start.elapsed())),
                Ok(n) => {
                    got.extend_from_slice(&buf[..n]);
                    want -= n;
                }
                Err(e) => return Err(format!("{e} after {} bytes, {:?}", got.len(), start.elapsed())),
            }
        }
        thread::sleep(Duration::from_millis(200));
    }
    let (head, mut rest) = split_head(&got);
    if !head.starts_with("HTTP/1.1 200 ") || !head.contains("\r\nTransfer-Encoding: chunked") {
        return Err(format!("head {head:?}"));
    }
    // RFC 9112 §7.1: chunk-size CRLF chunk-data CRLF, ..., last-chunk, no trailers, CRLF.
    let mut body = 0;
    loop {
        let line = rest
            .windows(2)
            .position(|w| w == b"\r\n")
            .ok_or("no chunk-size line")?;
        let size = std::str::from_utf8(&rest[..line])
            .ok()
            .and_then(|l| usize::from_str_radix(l, 16).ok())
            .ok_or("bad chunk-size")?;
        rest = &rest[line + 2..];
        if size == 0 {
            return if rest == b"\r\n" {
                Ok(body)
            } else {
                Err("bad last chunk".into())
            };
        }
        if rest.len() < size + 2 || &rest[size..size + 2] != b"\r\n" {
            return Err(format!("bad chunk after {body} bytes"));
        }
        body += size;
        rest = &rest[size + 2..];
    }
}

/// The server's own back-pressure is not blamed on a client that reads: with `--send-timeout 1`,
/// a client that takes 1 MiB every 200 ms receives all of a 16 MiB response, several times what
/// the loopback socket buffers hold, so the server waits on it for longer than the send timeout
/// in all but never 1 s between writes.
#[test]
fn send_timeout_spares_a_client_that_reads_1_mib_every_200_ms() {
    for_each_server(&["--send-timeout", "1"], |name, srv| {
        let mut s = connect_with_timeout(srv, 5 * SEC);
        s.write_all(b"GET /stream?chunks=256&size=65536 HTTP/1.1\r\nHost: t\r\n\r\n")
            .unwrap();
        let body = read_stream_in_steps(&mut s, 1 << 20, 20 * SEC);
        assert_eq!(body, Ok(16 << 20), "{name}");
    });
}
