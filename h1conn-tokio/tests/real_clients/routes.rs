//! The `serve` binary's routes as a tower service: methods a route does not serve, `OPTIONS *`,
//! response trailers; `--threads`; a steady reader and the send timeout.

use super::*;

fn allow(r: &RawResponse) -> String {
    r.head
        .lines()
        .find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.eq_ignore_ascii_case("allow").then(|| v.trim().to_string())
        })
        .unwrap_or_else(|| panic!("no Allow in {}", r.head))
}

/// RFC 9110 §15.5.6: 405 carries `Allow` with the methods the resource serves, CONNECT and
/// OPTIONS on a route included; RFC 9110 §9.3.7: `OPTIONS *` is about the server as a whole.
#[test]
fn rfc9110_15_5_6_methods_a_route_does_not_serve_get_405_with_allow() {
    let srv = Server::start("serve", &[]);
    for (req, want) in [
        ("DELETE / HTTP/1.1", "GET, HEAD, POST"),
        ("GET /echo HTTP/1.1", "POST, PUT"),
        ("OPTIONS /echo HTTP/1.1", "POST, PUT"),
        ("PUT /stats HTTP/1.1", "GET, HEAD"),
        ("POST /status/200 HTTP/1.1", "GET, HEAD"),
        ("OPTIONS /css/base.css HTTP/1.1", "GET, HEAD"),
        ("PATCH /stream HTTP/1.1", "GET, HEAD"),
    ] {
        let r = exchange(
            srv.addr,
            format!("{req}\r\nHost: localhost\r\nConnection: close\r\n\r\n").as_bytes(),
        );
        assert_eq!(r.status, 405, "{req}: {}", r.head);
        assert_eq!(allow(&r), want, "{req}");
    }
    let r = exchange(
        srv.addr,
        b"CONNECT localhost:443 HTTP/1.1\r\nHost: localhost:443\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(r.status, 405, "CONNECT: {}", r.head);
    assert_eq!(allow(&r), "GET, HEAD, POST, PUT, OPTIONS");
    let r = exchange(
        srv.addr,
        b"OPTIONS * HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(r.status, 200, "OPTIONS *: {}", r.head);
    assert_eq!(allow(&r), "GET, HEAD, POST, PUT, OPTIONS");
    // A path nothing serves is 404 whatever the method.
    let r = exchange(
        srv.addr,
        b"DELETE /nothing HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(r.status, 404);
    srv.stop_quiet();
}

/// RFC 9112 §7.1.2: a service's response trailers go out in the trailer section of a chunked
/// response, announced by `Trailer` (RFC 9110 §6.6.2). An HTTP/1.0 client gets a close-delimited
/// response, which cannot carry them: the content alone.
#[test]
fn rfc9112_7_1_2_response_trailers_over_a_socket() {
    let srv = Server::start("serve", &[]);
    let r = exchange(
        srv.addr,
        b"GET /stream?chunks=2&size=4&trailers=1 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(r.status, 200, "{}", r.head);
    let head = r.head.to_ascii_lowercase();
    assert!(head.contains("\r\ntransfer-encoding: chunked"), "{}", r.head);
    assert!(head.contains("\r\ntrailer: x-pieces"), "{}", r.head);
    assert_eq!(
        String::from_utf8_lossy(&r.body),
        "4\r\naaa\n\r\n4\r\nbbb\n\r\n0\r\nx-pieces: 2\r\n\r\n"
    );

    let r = exchange(
        srv.addr,
        b"GET /stream?chunks=2&size=4&trailers=1 HTTP/1.0\r\n\r\n",
    );
    assert_eq!(r.status, 200, "{}", r.head);
    assert!(
        !r.head.to_ascii_lowercase().contains("transfer-encoding"),
        "{}",
        r.head
    );
    assert_eq!(r.body, b"aaa\nbbb\n");

    let r = exchange(
        srv.addr,
        b"GET /stream?trailers=2 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(r.status, 400, "{}", r.head);
}

/// `serve --threads N` runs N tokio worker threads (tokio names them `tokio-rt-worker`), and serves
/// concurrent clients on them.
#[cfg(target_os = "linux")]
#[test]
fn threads_flag_sets_the_worker_threads() {
    let srv = Server::start("serve", &["--threads", "3"]);
    let clients: Vec<_> = (0..6)
        .map(|_| {
            let addr = srv.addr;
            thread::spawn(move || {
                exchange(
                    addr,
                    b"GET /status/200 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
                )
                .status
            })
        })
        .collect();
    for c in clients {
        assert_eq!(c.join().unwrap(), 200);
    }
    let tasks = std::fs::read_dir(format!("/proc/{}/task", srv.child.id())).expect("/proc");
    let workers = tasks
        .filter_map(|t| std::fs::read_to_string(t.ok()?.path().join("comm")).ok())
        .filter(|name| name.trim() == "tokio-rt-worker")
        .count();
    assert_eq!(workers, 3);
}

/// The server's own pauses are not blamed on a client that reads: a client taking 64 KiB every
/// 200 ms (320 KB/s, far above `send_min_rate`) receives all of a 6 MiB response with
/// `--send-timeout 2`, although the socket buffers hold less than the response and writing waits
/// on the client for longer than the send timeout in all. The client's receive buffer is fixed at
/// 256 KiB: an autotuned one (up to 32 MB here) keeps its window shut until a sixteenth of it is
/// free, seconds apart at this pace, and no server could see progress then. `serve` sees each
/// move of its output at once (`TCP_NOTSENT_LOWAT` on its listener), not only when a third of a
/// send buffer grown to megabytes has drained.
#[cfg(target_os = "linux")]
#[test]
fn send_timeout_spares_a_client_that_reads_64_kib_every_200_ms() {
    use socket2::{Domain, Protocol, Socket, Type};
    let srv = Server::start("serve", &["--send-timeout", "2"]);
    let sock = Socket::new(Domain::IPV4, Type::STREAM, Some(Protocol::TCP)).unwrap();
    sock.set_recv_buffer_size(256 * 1024).unwrap();
    sock.connect(&srv.addr.into()).unwrap();
    let mut s = TcpStream::from(sock);
    s.set_read_timeout(Some(5 * SEC)).unwrap();
    s.write_all(b"GET /stream?chunks=96&size=65536 HTTP/1.1\r\nHost: t\r\n\r\n")
        .unwrap();
    let body = timeouts::read_stream_in_steps(&mut s, 64 << 10, 40 * SEC);
    assert_eq!(body, Ok(6 << 20));
}
