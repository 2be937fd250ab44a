//! The `serve` binary's routes as a tower service: methods a route does not serve, `OPTIONS *`.

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
