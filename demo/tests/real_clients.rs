//! Real HTTP clients against the two example servers, `serve` (tokio) and `blocking` (std::net):
//! curl, ApacheBench, Python's `http.client`, wrk and headless Chromium, plus a slow client and an
//! idle keep-alive client written here.
//!
//! Cargo builds both binaries before this test; each test starts
//! them with `--listen 127.0.0.1:0` and reads the address from the first stdout line. A missing
//! external tool fails its test with a message naming the Debian package (the CI script installs
//! them: curl, apache2-utils, wrk, chromium, python3). Everything stays on loopback, every wait is
//! bounded, and every child process is killed when its guard drops.
#![cfg(unix)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// Both examples; every scenario runs against each.
const EXAMPLES: [&str; 2] = ["serve", "blocking"];

const SEC: Duration = Duration::from_secs(1);

// ---- example servers ----------------------------------------------------------------------------

/// The built server binary (cargo builds a package's binaries for its integration tests).
fn example_bin(name: &str) -> PathBuf {
    PathBuf::from(match name {
        "serve" => env!("CARGO_BIN_EXE_serve"),
        "blocking" => env!("CARGO_BIN_EXE_blocking"),
        other => panic!("no server binary named {other}"),
    })
}

/// A running example server, killed on drop.
struct Server {
    name: &'static str,
    child: Child,
    addr: SocketAddr,
    stderr: Option<JoinHandle<String>>,
}

impl Server {
    fn start(name: &'static str, args: &[&str]) -> Server {
        let mut child = Command::new(example_bin(name))
            .args(["--listen", "127.0.0.1:0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start example {name}: {e}"));
        let stdout = child.stdout.take().expect("piped stdout");
        let stderr = child.stderr.take().expect("piped stderr");
        let mut server = Server {
            name,
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            stderr: Some(collect(stderr)),
        };
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            let mut line = String::new();
            let _ = r.read_line(&mut line);
            let _ = tx.send(line);
            // Keep draining so the server can never block on a full pipe.
            let _ = std::io::copy(&mut r, &mut std::io::sink());
        });
        let line = rx
            .recv_timeout(10 * SEC)
            .unwrap_or_else(|_| panic!("{name}: no `listening on` line within 10 s"));
        let addr = line
            .trim()
            .strip_prefix("listening on ")
            .and_then(|a| a.parse().ok())
            .unwrap_or_else(|| panic!("{name}: first stdout line is {line:?}, not `listening on ADDR`"));
        server.addr = addr;
        server
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// `GET /stats` on a connection of its own (which the statistics then include as their last
    /// connection, with one request).
    fn stats(&self) -> Stats {
        let resp = exchange(
            self.addr,
            b"GET /stats HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
        );
        assert!(
            resp.status == 200,
            "{}: /stats answered {}",
            self.name,
            resp.status
        );
        Stats::parse(&String::from_utf8_lossy(&resp.body))
    }

    /// Stops the server and checks it reported nothing on stderr (no usage errors, no accept
    /// errors).
    fn stop_quiet(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let err = self
            .stderr
            .take()
            .map(|h| h.join().unwrap_or_default())
            .unwrap_or_default();
        assert!(err.trim().is_empty(), "{} wrote to stderr:\n{err}", self.name);
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn collect(mut r: impl Read + Send + 'static) -> JoinHandle<String> {
    thread::spawn(move || {
        let mut v = Vec::new();
        let _ = r.read_to_end(&mut v);
        String::from_utf8_lossy(&v).into_owned()
    })
}

/// The `/stats` document: `{"connections":C,"requests":R,"per_connection":[...]}`.
#[derive(Debug)]
struct Stats {
    connections: u64,
    requests: u64,
    per_connection: Vec<u32>,
}

impl Stats {
    fn parse(json: &str) -> Stats {
        let num = |key: &str| -> u64 {
            let at = json
                .find(&format!("\"{key}\":"))
                .unwrap_or_else(|| panic!("no {key} in {json}"));
            json[at + key.len() + 3..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
                .parse()
                .unwrap_or_else(|_| panic!("bad {key} in {json}"))
        };
        let list = json
            .split_once("\"per_connection\":[")
            .and_then(|(_, rest)| rest.split_once(']'))
            .map(|(l, _)| l)
            .unwrap_or_else(|| panic!("no per_connection in {json}"));
        let per_connection = list
            .split(',')
            .filter(|s| !s.trim().is_empty())
            .map(|s| s.trim().parse().expect("per_connection entry"))
            .collect();
        Stats {
            connections: num("connections"),
            requests: num("requests"),
            per_connection,
        }
    }

    /// The connections before the `/stats` request's own one (which is the last, with 1 request).
    fn before_stats(&self) -> &[u32] {
        let (last, rest) = self
            .per_connection
            .split_last()
            .expect("at least the /stats connection");
        assert_eq!(
            *last, 1,
            "the /stats connection should be last with one request: {self:?}"
        );
        assert_eq!(self.connections as usize, self.per_connection.len(), "{self:?}");
        assert_eq!(
            self.requests,
            self.per_connection.iter().map(|&n| u64::from(n)).sum::<u64>(),
            "{self:?}"
        );
        rest
    }
}

// ---- raw HTTP over std::net ---------------------------------------------------------------------

struct RawResponse {
    status: u16,
    head: String,
    body: Vec<u8>,
}

/// Sends `request` on a new connection and reads the response until the server closes (the
/// request must ask for `Connection: close` or be HTTP/1.0). Bounded by a 10 s read timeout.
fn exchange(addr: SocketAddr, request: &[u8]) -> RawResponse {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(10 * SEC)).unwrap();
    s.write_all(request).expect("write request");
    let mut all = Vec::new();
    s.read_to_end(&mut all).expect("read response to the end");
    let split = all
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no end of head in {:?}", String::from_utf8_lossy(&all)));
    let head = String::from_utf8_lossy(&all[..split]).into_owned();
    let status = head
        .get(9..12)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("bad status line in {head:?}"));
    RawResponse {
        status,
        head,
        body: all[split + 4..].to_vec(),
    }
}

// ---- external tools -----------------------------------------------------------------------------

/// The path of a required tool; fails (never skips) when it is missing.
fn tool(name: &str, package: &str) -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!(
                "required tool `{name}` not found in PATH: install the Debian package `{package}` \
                 (apt-get install -y {package}); these tests fail rather than skip without it"
            )
        })
}

/// A finished tool run.
struct Run {
    ok: bool,
    stdout: String,
    stderr: String,
}

/// Kills a child's whole process group on drop (browsers start helpers).
struct ChildGuard(Child);

impl Drop for ChildGuard {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", self.0.id())])
                .stderr(Stdio::null())
                .status();
            let _ = self.0.kill();
        }
        let _ = self.0.wait();
    }
}

/// Runs a command with a time limit, capturing its output; panics when the limit passes.
fn run(cmd: &mut Command, limit: Duration) -> Run {
    use std::os::unix::process::CommandExt;
    let what = format!("{cmd:?}");
    let mut child = ChildGuard(
        cmd.stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {what}: {e}")),
    );
    let out = collect(child.0.stdout.take().expect("piped"));
    let err = collect(child.0.stderr.take().expect("piped"));
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.0.try_wait().expect("try_wait") {
            break s;
        }
        if start.elapsed() > limit {
            drop(child);
            panic!(
                "{what} did not finish within {limit:?}\nstdout:\n{}\nstderr:\n{}",
                out.join().unwrap_or_default(),
                err.join().unwrap_or_default()
            );
        }
        thread::sleep(Duration::from_millis(20));
    };
    Run {
        ok: status.success(),
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
    }
}

/// The number after `label` in a tool's report (`Failed requests:        0`).
fn number_after(text: &str, label: &str) -> Option<u64> {
    let at = text.find(label)? + label.len();
    text[at..]
        .trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .ok()
}

/// A fresh directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        static N: AtomicUsize = AtomicUsize::new(0);
        let p = std::env::temp_dir().join(format!(
            "h1conn-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).expect("create temp dir");
        TempDir(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

// ---- curl ---------------------------------------------------------------------------------------

#[test]
fn curl_reuses_one_connection_and_gets_keep_alive_on_http10() {
    let curl = tool("curl", "curl");
    for name in EXAMPLES {
        let srv = Server::start(name, &[]);
        let urls = ["/", "/css/base.css", "/stream?chunks=3&size=10", "/status/204"];
        let r = run(
            Command::new(&curl)
                .args(["-sv", "--max-time", "20"])
                .args(urls.iter().map(|u| srv.url(u))),
            30 * SEC,
        );
        assert!(r.ok, "{name}: curl failed:\n{}", r.stderr);
        let reused = r.stderr.matches("Re-using existing connection").count()
            + r.stderr.matches("Reusing existing connection").count();
        assert_eq!(reused, urls.len() - 1, "{name}: curl -v:\n{}", r.stderr);
        assert_eq!(
            r.stderr.matches("< Date: ").count(),
            urls.len(),
            "{name}:\n{}",
            r.stderr
        );
        assert!(
            r.stdout.contains("<title>h1conn demo</title>"),
            "{name}: {}",
            r.stdout
        );
        let stats = srv.stats();
        assert_eq!(
            stats.before_stats(),
            &[4],
            "{name}: one connection for four URLs: {stats:?}"
        );

        // HTTP/1.0 with `Connection: keep-alive`: the answer announces the policy, and the
        // connection is kept (`max` counts down).
        let r = run(
            Command::new(&curl)
                .args([
                    "-sv",
                    "--max-time",
                    "20",
                    "--http1.0",
                    "-H",
                    "Connection: keep-alive",
                ])
                .args([srv.url("/status/200"), srv.url("/status/200")])
                .args(["-o", "/dev/null", "-o", "/dev/null"]),
            30 * SEC,
        );
        assert!(r.ok, "{name}: curl --http1.0 failed:\n{}", r.stderr);
        for line in [
            "< Connection: keep-alive",
            "< Keep-Alive: timeout=5, max=99",
            "< Keep-Alive: timeout=5, max=98",
        ] {
            assert!(r.stderr.contains(line), "{name}: no {line:?} in\n{}", r.stderr);
        }
        let stats = srv.stats();
        assert_eq!(stats.before_stats(), &[4, 1, 2], "{name}: {stats:?}");
        srv.stop_quiet();
    }
}

/// Runs `f` against each example server started with `args`, then stops the server.
fn for_each_server(args: &[&str], mut f: impl FnMut(&str, &Server)) {
    for name in EXAMPLES {
        let srv = Server::start(name, args);
        f(name, &srv);
        srv.stop_quiet();
    }
}

// ---- ApacheBench --------------------------------------------------------------------------------

/// Runs `ab -n 2000 -c 10` (with `-k` when `keep_alive`) against `srv`; asserts every request
/// completed with a 2xx, and as many kept alive as asked.
fn ab_2000(ab: &Path, name: &str, srv: &Server, keep_alive: bool) {
    let mut args = vec!["-q", "-n", "2000", "-c", "10", "-s", "20"];
    if keep_alive {
        args.insert(1, "-k");
    }
    let r = run(Command::new(ab).args(&args).arg(srv.url("/")), 60 * SEC);
    assert!(r.ok, "{name}: ab {args:?} failed:\n{}\n{}", r.stdout, r.stderr);
    let mut expected = vec![("Complete requests:", 2000), ("Failed requests:", 0)];
    if keep_alive {
        expected.push(("Keep-Alive requests:", 2000));
    }
    for (label, n) in expected {
        assert_eq!(
            number_after(&r.stdout, label),
            Some(n),
            "{name}: {label}\n{}",
            r.stdout
        );
    }
    assert!(!r.stdout.contains("Non-2xx"), "{name}:\n{}", r.stdout);
}

#[test]
fn ab_2000_requests_with_and_without_keep_alive() {
    let ab = tool("ab", "apache2-utils");
    for name in EXAMPLES {
        // Unlimited requests per connection, so every one of the 2000 responses is persistent
        // (with the default limit of 100, each connection's last response says close).
        let srv = Server::start(name, &["--max-requests", "0"]);
        ab_2000(&ab, name, &srv, true);
        let stats = srv.stats();
        let per = stats.before_stats();
        assert_eq!(
            per.iter().map(|&n| n as usize).sum::<usize>(),
            2000,
            "{name}: {stats:?}"
        );
        let used = per.iter().filter(|&&n| n > 0).count();
        assert!(used <= 10, "{name}: ab -k -c 10 needs 10 connections: {stats:?}");

        ab_2000(&ab, name, &srv, false);
        // After the -k connections and the first /stats connection: 2000 connections of one
        // request each (ab may also open one it never uses).
        let before = per.len() + 1;
        let stats = srv.stats();
        let without_k: Vec<u32> = stats.before_stats()[before..]
            .iter()
            .copied()
            .filter(|&n| n > 0)
            .collect();
        assert_eq!(without_k.len(), 2000, "{name}: {stats:?}");
        assert!(
            without_k.iter().all(|&n| n == 1),
            "{name}: one request per connection without -k: {stats:?}"
        );
        srv.stop_quiet();
    }
}

// ---- Python http.client -------------------------------------------------------------------------

const PYTHON_CLIENT: &str = r#"
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

// ---- wrk ----------------------------------------------------------------------------------------

#[test]
fn wrk_two_seconds_without_errors() {
    let wrk = tool("wrk", "wrk");
    for_each_server(&[], |name, srv| {
        let r = run(
            Command::new(&wrk)
                .args(["-t1", "-c10", "-d2s", "--timeout", "5s"])
                .arg(srv.url("/")),
            30 * SEC,
        );
        assert!(r.ok, "{name}: wrk failed:\n{}\n{}", r.stdout, r.stderr);
        assert!(!r.stdout.contains("Socket errors"), "{name}:\n{}", r.stdout);
        assert!(!r.stdout.contains("Non-2xx"), "{name}:\n{}", r.stdout);
        let done = r
            .stdout
            .lines()
            .find_map(|l| l.trim().split_once(" requests in ").map(|(n, _)| n.to_string()))
            .and_then(|n| n.parse::<u64>().ok())
            .unwrap_or(0);
        assert!(done > 100, "{name}: wrk completed {done} requests:\n{}", r.stdout);
        let stats = srv.stats();
        assert!(stats.requests > done, "{name}: {stats:?} vs {done}");
    });
}

// ---- Chromium -----------------------------------------------------------------------------------

/// Loads the demo page in headless Chromium; returns the DOM after the load event.
fn chromium_dom(chromium: &Path, srv: &Server) -> String {
    let profile = TempDir::new("chromium");
    let r = run(
        Command::new(chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
            ])
            .arg(format!("--user-data-dir={}", profile.0.display()))
            .arg("--dump-dom")
            .arg(srv.url("/")),
        60 * SEC,
    );
    assert!(r.ok, "{}: chromium failed:\n{}", srv.name, r.stderr);
    r.stdout
}

#[test]
fn chromium_loads_the_demo_page_over_few_connections() {
    let chromium = tool("chromium", "chromium");
    for name in EXAMPLES {
        for keep_alive in ["on", "off"] {
            let srv = Server::start(name, &["--keep-alive", keep_alive]);
            let dom = chromium_dom(&chromium, &srv);
            // The second script runs on `load` and counts what arrived.
            assert!(
                dom.contains(r#"data-loaded="css=4 js=2 img=3""#),
                "{name} keep-alive {keep_alive}: not every resource loaded:\n{dom}"
            );
            let stats = srv.stats();
            let used: Vec<u32> = stats.before_stats().iter().copied().filter(|&n| n > 0).collect();
            assert_eq!(used.iter().sum::<u32>(), 10, "{name} {keep_alive}: {stats:?}");
            if keep_alive == "on" {
                assert!(used.len() <= 6, "{name}: more than 6 connections: {stats:?}");
            } else {
                assert!(
                    used.iter().all(|&n| n == 1),
                    "{name}: reuse with keep-alive off: {stats:?}"
                );
            }
            srv.stop_quiet();
        }
    }
}

// ---- timeouts -----------------------------------------------------------------------------------

/// A connection to `srv` whose reads give up after `timeout`.
fn connect_with_timeout(srv: &Server, timeout: Duration) -> TcpStream {
    let s = TcpStream::connect(srv.addr).expect("connect");
    s.set_read_timeout(Some(timeout)).unwrap();
    s
}

/// The server closed after `took`, which lies between `min` and `max`.
fn closed_within(name: &str, took: Duration, min: Duration, max: Duration) {
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

// ---- files under --root -------------------------------------------------------------------------

#[test]
fn root_serves_files_and_refuses_paths_outside_it() {
    let outer = TempDir::new("root");
    let root = outer.0.join("site");
    std::fs::create_dir_all(root.join("sub")).unwrap();
    std::fs::write(root.join("index.html"), "<p>index</p>\n").unwrap();
    std::fs::write(root.join("style.css"), "p { color: red }\n").unwrap();
    std::fs::write(root.join("sub").join("data.json"), "{\"a\":1}\n").unwrap();
    std::fs::write(outer.0.join("secret.txt"), "SECRET\n").unwrap();
    let root_arg = root.to_str().expect("utf-8 temp path");
    for name in EXAMPLES {
        let srv = Server::start(name, &["--root", root_arg]);
        let get = |path: &str| {
            exchange(
                srv.addr,
                format!("GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n").as_bytes(),
            )
        };
        for (path, ct, body) in [
            ("/", "text/html; charset=utf-8", "<p>index</p>\n"),
            ("/style.css", "text/css; charset=utf-8", "p { color: red }\n"),
            ("/sub/data.json", "application/json", "{\"a\":1}\n"),
            ("/sub/%64ata.json", "application/json", "{\"a\":1}\n"),
        ] {
            let r = get(path);
            assert_eq!(r.status, 200, "{name} {path}: {}", r.head);
            assert!(
                r.head.contains(&format!("\r\nContent-Type: {ct}\r\n")),
                "{name} {path}: {}",
                r.head
            );
            assert!(
                r.head
                    .contains(&format!("\r\nContent-Length: {}\r\n", body.len())),
                "{name} {path}: {}",
                r.head
            );
            assert_eq!(r.body, body.as_bytes(), "{name} {path}");
        }
        assert_eq!(get("/missing.txt").status, 404, "{name}");
        for path in [
            "/../secret.txt",
            "/sub/../../secret.txt",
            "/%2e%2e/secret.txt",
            "/%2E%2E/secret.txt",
            "/sub/..%2f..%2fsecret.txt",
            "/..%5csecret.txt",
            "/%2fsecret.txt/..",
            "/%zz",
        ] {
            let r = get(path);
            assert!(
                matches!(r.status, 400 | 403 | 404),
                "{name} {path}: {} {}",
                r.status,
                r.head
            );
            assert!(
                !String::from_utf8_lossy(&r.body).contains("SECRET"),
                "{name} {path}"
            );
        }
        srv.stop_quiet();
    }
}
