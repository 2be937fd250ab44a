//! Applications as they behave, over real sockets: a large echo streamed back while the body
//! arrives (with and without `Expect: 100-continue`), clients that read nothing for longer than the
//! read timeouts, a pipelining client past the per-connection request limit, many pipelining
//! clients at once.

use super::*;

/// The byte at `i` of the pattern the tests send.
fn pattern(i: usize) -> u8 {
    b'a' + (i % 26) as u8
}

/// Writes `n` pattern bytes from a thread (so reading can go on at the same time).
fn write_pattern(mut w: TcpStream, n: usize) -> JoinHandle<()> {
    thread::spawn(move || {
        // A whole number of 26-byte periods, so every write continues the pattern.
        let chunk: Vec<u8> = (0..26 * 2520).map(pattern).collect();
        let mut sent = 0;
        while sent < n {
            let k = (n - sent).min(chunk.len());
            w.write_all(&chunk[..k]).expect("write body");
            sent += k;
        }
    })
}

/// Reads one response head; returns it and the Content-Length.
fn read_head(r: &mut BufReader<TcpStream>) -> (String, usize) {
    let mut head = String::new();
    loop {
        let mut line = String::new();
        assert!(
            r.read_line(&mut line).expect("read head") > 0,
            "EOF inside a head: {head}"
        );
        if line == "\r\n" {
            break;
        }
        head.push_str(&line);
    }
    let len = head
        .lines()
        .find_map(|l| l.strip_prefix("Content-Length: "))
        .map_or(0, |v| v.trim().parse().expect("Content-Length"));
    (head, len)
}

/// Reads a body of `n` bytes and checks it is the pattern.
fn read_pattern(r: &mut BufReader<TcpStream>, n: usize, who: &str) {
    let mut buf = vec![0u8; 64 * 1024];
    let mut got = 0;
    while got < n {
        let k = r.read(&mut buf[..(n - got).min(64 * 1024)]).expect("read body");
        assert!(k > 0, "{who}: EOF after {got} of {n} body bytes");
        for (j, &b) in buf[..k].iter().enumerate() {
            assert_eq!(b, pattern(got + j), "body byte {}", got + j);
        }
        got += k;
    }
}

/// A second request on the same connection succeeds: the connection was kept.
fn second_request_succeeds(r: &mut BufReader<TcpStream>) {
    r.get_mut()
        .write_all(b"GET /status/204 HTTP/1.1\r\nHost: t\r\n\r\n")
        .unwrap();
    let (head, _) = read_head(r);
    assert!(head.starts_with("HTTP/1.1 204"), "{head}");
}

/// Echoes `n` bytes on a new connection; `stall` = how long the client reads nothing after
/// sending the head.
fn echo(srv: &Server, n: usize, expect_continue: bool, stall: Duration) {
    let s = TcpStream::connect(srv.addr).unwrap();
    s.set_read_timeout(Some(30 * SEC)).unwrap();
    let mut r = BufReader::new(s.try_clone().unwrap());
    let expect = if expect_continue {
        "Expect: 100-continue\r\n"
    } else {
        ""
    };
    let head = format!("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: {n}\r\n{expect}\r\n");
    r.get_mut().write_all(head.as_bytes()).unwrap();
    if expect_continue {
        let (head, _) = read_head(&mut r);
        assert!(head.starts_with("HTTP/1.1 100 Continue"), "{head}");
    }
    let writer = write_pattern(s, n);
    thread::sleep(stall);
    let (head, len) = read_head(&mut r);
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(!head.contains("Connection: close"), "{}: {head}", srv.name);
    assert_eq!(len, n);
    read_pattern(&mut r, n, srv.name);
    writer.join().unwrap();
    second_request_succeeds(&mut r);
}

/// Full duplex: a 1 MB Content-Length echo, streamed back while it arrives, with and without
/// `Expect: 100-continue`, keeps the connection.
#[test]
fn echo_of_1_mb_keeps_the_connection_with_and_without_100_continue() {
    for_each_server(&[], |_, srv| {
        echo(srv, 1 << 20, false, Duration::ZERO);
        echo(srv, 1 << 20, true, Duration::ZERO);
    });
}

/// The server's own back-pressure is not the client's fault: a 16 MB echo whose client reads
/// nothing for longer than the header and body timeouts (2 s here, 3 s of silence) then receives
/// everything, and the connection is kept.
#[test]
fn echo_of_16_mb_survives_a_client_that_reads_nothing_past_the_read_timeouts() {
    for_each_server(&["--header-timeout", "2", "--body-timeout", "2"], |_, srv| {
        echo(srv, 16 << 20, false, 3 * SEC);
    });
}

/// Pipelines `n` GETs from a writer thread, waits `stall`, then reads responses until `n` have come
/// or the server closes; returns how many came and whether the last said `Connection: close`.
fn pipeline(addr: SocketAddr, n: usize, stall: Duration) -> (usize, bool) {
    let s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(30 * SEC)).unwrap();
    let mut w = s.try_clone().unwrap();
    let writer = thread::spawn(move || {
        let one = b"GET /status/204 HTTP/1.1\r\nHost: t\r\n\r\n";
        let all: Vec<u8> = one.iter().copied().cycle().take(one.len() * n).collect();
        // The server may close after its last allowed response: a failed write is expected then.
        let _ = w.write_all(&all);
    });
    thread::sleep(stall);
    let mut r = BufReader::new(s);
    let (mut got, mut closed) = (0, false);
    while got < n {
        let mut line = String::new();
        match r.read_line(&mut line) {
            Ok(0) => break,
            Ok(_) if line.starts_with("HTTP/1.1 204") => got += 1,
            Ok(_) => closed |= line == "Connection: close\r\n",
            Err(e) => panic!("read after {got} responses: {e}"),
        }
    }
    writer.join().unwrap();
    (got, closed)
}

/// 20 connections pipeline 10,000 GETs each and read nothing for longer than the header timeout
/// (2 s here, 3 s of silence); then each receives every response.
#[test]
fn twenty_pipelining_clients_that_read_late_receive_every_response() {
    for_each_server(&["--max-requests", "0", "--header-timeout", "2"], |name, srv| {
        let addr = srv.addr;
        let clients: Vec<_> = (0..20)
            .map(|_| thread::spawn(move || pipeline(addr, 10_000, 3 * SEC)))
            .collect();
        for c in clients {
            assert_eq!(c.join().unwrap(), (10_000, false), "{name}");
        }
    });
}

/// With the default 100 requests per connection, a client that pipelines 10,000 GETs receives all
/// 100 responses, the last one saying `Connection: close` (lingering keeps them from a reset).
#[test]
fn pipelining_past_max_requests_receives_all_100_responses() {
    for_each_server(&[], |name, srv| {
        let (got, closed) = pipeline(srv.addr, 10_000, Duration::ZERO);
        assert_eq!((got, closed), (100, true), "{name}");
    });
}

/// Reads a chunked body and checks it is the pattern; returns its length.
fn read_chunked_pattern(r: &mut BufReader<TcpStream>, who: &str) -> usize {
    let mut total = 0;
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let mut line = String::new();
        assert!(
            r.read_line(&mut line).unwrap() > 0,
            "{who}: EOF in a chunk-size line after {total}"
        );
        let size =
            usize::from_str_radix(line.trim_end(), 16).unwrap_or_else(|_| panic!("{who}: size {line:?}"));
        if size == 0 {
            let mut end = String::new();
            r.read_line(&mut end).unwrap();
            assert_eq!(end, "\r\n", "{who}: no trailers expected");
            return total;
        }
        let mut left = size;
        while left > 0 {
            let k = r.read(&mut buf[..left.min(64 * 1024)]).unwrap();
            assert!(k > 0, "{who}: EOF inside a chunk");
            for (j, &b) in buf[..k].iter().enumerate() {
                assert_eq!(b, pattern(total + j), "{who}: body byte {}", total + j);
            }
            total += k;
            left -= k;
        }
        let mut crlf = [0u8; 2];
        r.read_exact(&mut crlf).unwrap();
        assert_eq!(&crlf, b"\r\n");
    }
}

/// Echoes `n` pattern bytes sent as chunks of `chunk` bytes; the echo comes back chunked.
fn chunked_echo(srv: &Server, n: usize, chunk: usize) {
    let s = TcpStream::connect(srv.addr).unwrap();
    s.set_read_timeout(Some(60 * SEC)).unwrap();
    let mut r = BufReader::new(s.try_clone().unwrap());
    let mut w = s;
    let writer = thread::spawn(move || {
        let mut out = Vec::with_capacity(64 * 1024);
        out.extend_from_slice(b"POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n");
        let mut sent = 0;
        while sent < n {
            let k = chunk.min(n - sent);
            out.extend_from_slice(format!("{k:x}\r\n").as_bytes());
            out.extend((sent..sent + k).map(pattern));
            out.extend_from_slice(b"\r\n");
            sent += k;
            if out.len() >= 60 * 1024 {
                w.write_all(&out).expect("write chunks");
                out.clear();
            }
        }
        out.extend_from_slice(b"0\r\n\r\n");
        w.write_all(&out).expect("write last chunk");
    });
    let (head, _) = read_head(&mut r);
    assert!(
        head.starts_with("HTTP/1.1 200") && head.contains("Transfer-Encoding: chunked"),
        "{head}"
    );
    assert_eq!(read_chunked_pattern(&mut r, srv.name), n, "{}", srv.name);
    writer.join().unwrap();
    second_request_succeeds(&mut r);
}

/// Long chunked uploads are not cut off (RFC 9112 §7.1): 20 MB in 4 KiB chunks and 50,000
/// one-byte chunks are echoed whole, and the connection is kept.
#[test]
fn chunked_uploads_of_20_mb_in_4_kib_chunks_and_50000_one_byte_chunks_echo_whole() {
    for_each_server(&[], |_, srv| {
        chunked_echo(srv, 20 << 20, 4096);
        chunked_echo(srv, 50_000, 1);
    });
}
