//! Python http.client: keep-alive, chunked upload, Expect: 100-continue.

use super::*;

pub(crate) const PYTHON_CLIENT: &str = r#"
import http.client, socket, sys

host, port = sys.argv[1], int(sys.argv[2])
c = http.client.HTTPConnection(host, port, timeout=10)
socks = set()

def check(method, path, expect_status=200, **kw):
    c.request(method, path, **kw)
    r = c.getresponse()
    body = r.read()
    assert r.status == expect_status, (method, path, r.status, body)
    assert r.getheader("Date"), "no Date on " + path
    socks.add(id(c.sock))
    return r, body

for _ in range(4):
    r, body = check("GET", "/")
    assert b"<title>h1conn demo</title>" in body

# A chunked upload is echoed in chunks, byte for byte.
parts = [b"hello ", b"chunked ", b"world " * 2000, bytes(range(256))]
r, body = check("POST", "/echo", body=iter(parts), encode_chunked=True)
assert body == b"".join(parts), (len(body), len(b"".join(parts)))
assert r.getheader("Transfer-Encoding") == "chunked", r.getheaders()

# A Content-Length upload is echoed with Content-Length.
payload = bytes(range(256)) * 400
r, body = check("PUT", "/echo", body=payload)
assert body == payload
assert r.getheader("Content-Length") == str(len(payload)), r.getheaders()

# A POST body to / is read and discarded.
r, body = check("POST", "/", body=b"x" * 5000)
assert body == b"received 5000 bytes\n", body

assert len(socks) == 1, "http.client opened %d connections" % len(socks)
c.close()

# Expect: 100-continue: the head alone, wait for 100 Continue, then the body.
s = socket.create_connection((host, port), timeout=10)
payload = b"sent after 100 Continue"
s.sendall(b"POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\n"
          b"Content-Length: %d\r\nExpect: 100-continue\r\n\r\n" % len(payload))
buf = b""
while b"\r\n\r\n" not in buf:
    more = s.recv(4096)
    assert more, "closed before 100 Continue: %r" % buf
    buf += more
interim = b"HTTP/1.1 100 Continue\r\n\r\n"
assert buf.startswith(interim), buf
s.sendall(payload)
buf = buf[len(interim):]
while b"\r\n\r\n" not in buf:
    more = s.recv(4096)
    assert more, "closed before the final response: %r" % buf
    buf += more
head, _, rest = buf.partition(b"\r\n\r\n")
assert head.startswith(b"HTTP/1.1 200 "), head
length = [int(l.split(b":")[1]) for l in head.split(b"\r\n") if l.lower().startswith(b"content-length:")]
assert length == [len(payload)], head
while len(rest) < len(payload):
    more = s.recv(4096)
    assert more, "closed before the body ended"
    rest += more
assert rest == payload, rest
s.close()
print("python ok")
"#;

#[test]
fn python_http_client_keep_alive_chunked_upload_and_expect_continue() {
    let python = tool("python3", "python3");
    for_each_server(&[], |name, srv| {
        let addr = [srv.addr.ip().to_string(), srv.addr.port().to_string()];
        let r = run(
            Command::new(&python).args(["-c", PYTHON_CLIENT]).args(addr),
            60 * SEC,
        );
        assert!(
            r.ok && r.stdout.contains("python ok"),
            "{name}: python:\n{}\n{}",
            r.stdout,
            r.stderr
        );
        let stats = srv.stats();
        assert_eq!(stats.before_stats(), &[7, 1], "{name}: {stats:?}");
    });
}
