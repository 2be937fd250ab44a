//! The application shared by the `serve` (tokio) and `blocking` (std::net) examples: command-line
//! flags, the mapping onto [`h1conn::Config`], the routes, the demo page, the statistics and the
//! per-connection [`App`] that turns [`Event`]s into responses. The two example files only move
//! bytes between a socket and a [`Connection`]; everything here is free of I/O on sockets.
//!
//! Routes (every response carries `Date` and `Server`):
//!
//! | request                             | response                                                     |
//! |-------------------------------------|--------------------------------------------------------------|
//! | `GET` / `HEAD /`                    | the demo page, or `DIR/index.html` with `--root DIR`, or text |
//! | `POST /`                            | 200, short text; the body is read and discarded              |
//! | `POST` / `PUT /echo`                | 200 with the request body; Content-Length when it had one    |
//! | `GET /stream?chunks=N&size=M`       | N pieces of M bytes, length unknown (chunked / close)        |
//! | `GET /status/CODE`                  | that status (200..=599); 204 and 304 without a body          |
//! | `GET /stats`                        | JSON statistics, see [`Stats::json`]                         |
//! | `GET` other paths                   | a demo resource, or a file under `--root DIR`, or 404        |

use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, Read, Write};
use std::net::{SocketAddr, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use h1conn::{BodyFraming, Config, Connection, Event, Method, Request, Response, ResponseFraming};

/// Output buffered in the connection above which streamed bodies pause and reading pauses (so a
/// client that sends without reading cannot make the server buffer without bound).
pub const HIGH_WATER: usize = 256 * 1024;

/// Most pieces `/stream` sends.
pub const MAX_STREAM_CHUNKS: u64 = 1000;
/// Largest piece `/stream` sends.
pub const MAX_STREAM_SIZE: u64 = 64 * 1024;

/// How many connections `/stats` lists one by one (the most recent ones).
pub const MAX_TRACKED: usize = 10_000;

const SERVER: &[u8] = b"h1conn-example";

const USAGE: &str = "\
usage: serve|blocking [options]

  --listen ADDR               address to listen on (default 127.0.0.1:8080; port 0 picks one)
  --root DIR                  serve files from DIR instead of the demo page
  --keep-alive on|off         persistent connections (default on)
  --max-requests N            requests per connection, 0 = unlimited (default 100)
  --keep-alive-timeout SECS   idle time before a persistent connection closes (default 5)
  --header-timeout SECS       time allowed to receive a request head (default 20)
  --threads N                 serve: tokio worker threads; blocking: most connection threads at
                              once (default: serve, one per core; blocking, 256)

The first line on stdout is `listening on ADDR`.";

/// The command-line flags.
#[derive(Debug, Clone)]
pub struct Opts {
    /// `--listen ADDR`.
    pub listen: SocketAddr,
    /// `--root DIR`, canonicalized.
    pub root: Option<PathBuf>,
    /// `--keep-alive on|off`.
    pub keep_alive: bool,
    /// `--max-requests N`.
    pub max_requests: u32,
    /// `--keep-alive-timeout SECS`.
    pub keep_alive_timeout: Duration,
    /// `--header-timeout SECS`.
    pub header_timeout: Duration,
    /// `--threads N`; 0 = the example's default.
    pub threads: usize,
}

impl Opts {
    /// Parses the process arguments; prints the usage and exits on `--help` or an error.
    pub fn from_env() -> Opts {
        match Opts::parse(std::env::args().skip(1)) {
            Ok(o) => o,
            Err(msg) if msg.is_empty() => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            Err(msg) => {
                eprintln!("error: {msg}\n\n{USAGE}");
                std::process::exit(2);
            }
        }
    }

    /// Parses arguments; `Err("")` means `--help`.
    pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Opts, String> {
        let defaults = Config::default();
        let mut o = Opts {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            root: None,
            keep_alive: defaults.keep_alive.enabled,
            max_requests: defaults.keep_alive.max_requests,
            keep_alive_timeout: defaults.keep_alive.timeout,
            header_timeout: defaults.timeouts.header,
            threads: 0,
        };
        let mut args = args.into_iter();
        while let Some(flag) = args.next() {
            if flag == "--help" || flag == "-h" {
                return Err(String::new());
            }
            let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
            match flag.as_str() {
                "--listen" => {
                    let v = value()?;
                    o.listen = v
                        .to_socket_addrs()
                        .ok()
                        .and_then(|mut a| a.next())
                        .ok_or_else(|| format!("--listen: cannot resolve {v:?}"))?;
                }
                "--root" => {
                    let v = value()?;
                    let dir = Path::new(&v)
                        .canonicalize()
                        .map_err(|e| format!("--root {v}: {e}"))?;
                    if !dir.is_dir() {
                        return Err(format!("--root {v}: not a directory"));
                    }
                    o.root = Some(dir);
                }
                "--keep-alive" => {
                    o.keep_alive = match value()?.as_str() {
                        "on" => true,
                        "off" => false,
                        v => return Err(format!("--keep-alive takes on or off, not {v:?}")),
                    }
                }
                "--max-requests" => o.max_requests = number(&flag, &value()?)?,
                "--keep-alive-timeout" => o.keep_alive_timeout = seconds(&flag, &value()?)?,
                "--header-timeout" => o.header_timeout = seconds(&flag, &value()?)?,
                "--threads" => o.threads = number(&flag, &value()?)?,
                _ => return Err(format!("unknown flag {flag:?}")),
            }
        }
        Ok(o)
    }

    /// The connection configuration: h1conn's defaults with the flags applied.
    ///
    /// `--header-timeout` sets both `timeouts.header` and `timeouts.header_max`, so a head must be
    /// complete within that time however fast its bytes come.
    pub fn config(&self) -> Config {
        let mut c = Config::default();
        c.keep_alive.enabled = self.keep_alive;
        c.keep_alive.max_requests = self.max_requests;
        c.keep_alive.timeout = self.keep_alive_timeout;
        c.timeouts.header = self.header_timeout;
        c.timeouts.header_max = self.header_timeout;
        c
    }
}

fn number<T: std::str::FromStr>(flag: &str, v: &str) -> Result<T, String> {
    v.parse()
        .map_err(|_| format!("{flag} takes a whole number, not {v:?}"))
}

fn seconds(flag: &str, v: &str) -> Result<Duration, String> {
    v.parse::<f64>()
        .ok()
        .and_then(|s| Duration::try_from_secs_f64(s).ok())
        .filter(|d| !d.is_zero())
        .ok_or_else(|| format!("{flag} takes a positive number of seconds, not {v:?}"))
}

/// Prints the `listening on ADDR` line and flushes it at once (scripts wait for it).
pub fn announce(addr: SocketAddr) {
    let mut out = io::stdout().lock();
    // A closed stdout must not stop the server.
    let _ = writeln!(out, "listening on {addr}");
    let _ = out.flush();
}

/// What every connection of one server shares.
#[derive(Debug)]
pub struct Shared {
    /// The flags.
    pub opts: Opts,
    /// The configuration every connection uses.
    pub config: Arc<Config>,
    /// The statistics behind `/stats`.
    pub stats: Stats,
    /// The origin of the time line given to h1conn: `now` is `origin.elapsed()`.
    pub origin: Instant,
}

impl Shared {
    /// Shared state for a server started with `opts`.
    pub fn new(opts: Opts) -> Arc<Shared> {
        Arc::new(Shared {
            config: Arc::new(opts.config()),
            opts,
            stats: Stats::default(),
            origin: Instant::now(),
        })
    }

    /// The time for h1conn: a `Duration` since `origin`.
    pub fn now(&self) -> Duration {
        self.origin.elapsed()
    }
}

/// Connections accepted and requests received, for `/stats`.
#[derive(Debug, Default)]
pub struct Stats {
    inner: Mutex<StatsInner>,
}

#[derive(Debug, Default)]
struct StatsInner {
    connections: u64,
    requests: u64,
    /// Requests per connection, in accept order, for the most recent `MAX_TRACKED` connections;
    /// `first` is the number of the first one listed.
    per_connection: VecDeque<u32>,
    first: u64,
}

impl Stats {
    fn lock(&self) -> std::sync::MutexGuard<'_, StatsInner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Counts an accepted connection; returns its number (0-based, in accept order).
    pub fn connection(&self) -> u64 {
        let mut s = self.lock();
        let id = s.connections;
        s.connections += 1;
        s.per_connection.push_back(0);
        if s.per_connection.len() > MAX_TRACKED {
            s.per_connection.pop_front();
            s.first += 1;
        }
        id
    }

    /// Counts a request head received on connection `id`.
    pub fn request(&self, id: u64) {
        let mut s = self.lock();
        s.requests += 1;
        if let Some(i) = id.checked_sub(s.first) {
            if let Some(n) = s.per_connection.get_mut(i as usize) {
                *n += 1;
            }
        }
    }

    /// The `/stats` body:
    /// `{"connections":C,"requests":R,"per_connection":[n0,n1,...]}` where `C` counts connections
    /// accepted, `R` request heads received (the `/stats` request included), and `per_connection`
    /// gives the requests of each connection in accept order (0 for a connection that sent none;
    /// only the most recent 10000 connections are listed).
    pub fn json(&self) -> String {
        let s = self.lock();
        let mut out = format!(
            "{{\"connections\":{},\"requests\":{},\"per_connection\":[",
            s.connections, s.requests
        );
        for (i, n) in s.per_connection.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&n.to_string());
        }
        out.push_str("]}\n");
        out
    }
}

/// The current `Date` value (IMF-fixdate of the system clock).
pub fn date_now() -> [u8; 29] {
    thread_local! {
        // The formatted Date changes once a second: format it once per second per thread.
        static CACHE: std::cell::Cell<(u64, [u8; 29])> =
            const { std::cell::Cell::new((u64::MAX, [0; 29])) };
    }
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    CACHE.with(|c| {
        let (at, date) = c.get();
        if at == secs {
            return date;
        }
        let date = h1conn::http_date(secs);
        c.set((secs, date));
        date
    })
}

// ---- the demo page --------------------------------------------------------------------------

const DEMO_HTML: &str = r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>h1conn demo</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/css/base.css">
<link rel="stylesheet" href="/css/layout.css">
<link rel="stylesheet" href="/css/type.css">
<link rel="stylesheet" href="/css/colors.css">
<script src="/js/first.js" defer></script>
<script src="/js/second.js" defer></script>
</head>
<body>
<main>
<h1>h1conn demo</h1>
<p>This page and its nine resources (four stylesheets, two scripts, three images) were served by an
HTTP/1.1 server built on the <code>h1conn</code> state machine. With keep-alive, a browser fetches
all ten over a few persistent connections; <a href="/stats">/stats</a> shows how many requests each
connection carried.</p>
<div class="gallery">
<img src="/img/circle.svg" width="120" height="120" alt="a circle">
<img src="/img/square.svg" width="120" height="120" alt="a square">
<img src="/img/triangle.svg" width="120" height="120" alt="a triangle">
</div>
<p id="status">Scripts have not run.</p>
<ul class="links">
<li><a href="/stream?chunks=20&amp;size=64">/stream?chunks=20&amp;size=64</a>: a body of unknown length</li>
<li><a href="/status/404">/status/404</a>: any status code</li>
<li><a href="/stats">/stats</a>: connections and requests</li>
</ul>
</main>
</body>
</html>
"#;

const BASE_CSS: &str = "*, *::before, *::after { box-sizing: border-box; }\n\
body { margin: 0; }\nimg { display: inline-block; }\n";
const LAYOUT_CSS: &str = "main { max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }\n\
.gallery { display: flex; gap: 1rem; margin: 1.5rem 0; }\n";
const TYPE_CSS: &str = "body { font: 16px/1.5 system-ui, sans-serif; }\n\
h1 { font-size: 1.8rem; letter-spacing: .02em; }\ncode { font-family: ui-monospace, monospace; }\n";
const COLORS_CSS: &str = "body { background: #f6f7fb; color: #1d2330; }\n\
a { color: #2457c5; }\n#status { color: #0a7a3b; font-weight: 600; }\n";

const FIRST_JS: &str = "window.h1demo = { first: true };\n";
const SECOND_JS: &str = r#"window.addEventListener('load', function () {
  var css = 0, img = 0;
  for (var i = 0; i < document.styleSheets.length; i++) {
    try { if (document.styleSheets[i].cssRules.length > 0) css++; } catch (e) {}
  }
  var imgs = document.images;
  for (var j = 0; j < imgs.length; j++) {
    if (imgs[j].complete && imgs[j].naturalWidth > 0) img++;
  }
  var js = (window.h1demo && window.h1demo.first ? 1 : 0) + 1;
  var summary = 'css=' + css + ' js=' + js + ' img=' + img;
  document.body.setAttribute('data-loaded', summary);
  document.getElementById('status').textContent = 'Loaded: ' + summary + '.';
});
"#;

const CIRCLE_SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="120" viewBox="0 0 120 120"><circle cx="60" cy="60" r="50" fill="#2457c5"/></svg>
"##;
const SQUARE_SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="120" viewBox="0 0 120 120"><rect x="15" y="15" width="90" height="90" fill="#0a7a3b"/></svg>
"##;
const TRIANGLE_SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="120" viewBox="0 0 120 120"><polygon points="60,10 110,105 10,105" fill="#c53a24"/></svg>
"##;

/// The demo page's sub-resources: path, content type, body.
const DEMO_RESOURCES: [(&str, &str, &str); 9] = [
    ("/css/base.css", "text/css; charset=utf-8", BASE_CSS),
    ("/css/layout.css", "text/css; charset=utf-8", LAYOUT_CSS),
    ("/css/type.css", "text/css; charset=utf-8", TYPE_CSS),
    ("/css/colors.css", "text/css; charset=utf-8", COLORS_CSS),
    ("/js/first.js", "text/javascript; charset=utf-8", FIRST_JS),
    ("/js/second.js", "text/javascript; charset=utf-8", SECOND_JS),
    ("/img/circle.svg", "image/svg+xml", CIRCLE_SVG),
    ("/img/square.svg", "image/svg+xml", SQUARE_SVG),
    ("/img/triangle.svg", "image/svg+xml", TRIANGLE_SVG),
];

// ---- files under --root ---------------------------------------------------------------------

/// The content type of a file, from its extension.
pub fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "txt" | "md" | "rs" | "toml" => "text/plain; charset=utf-8",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "wasm" => "application/wasm",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        _ => "application/octet-stream",
    }
}

/// Decodes `%XX` escapes; `None` when an escape is malformed.
pub fn percent_decode(s: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(s[i]);
            i += 1;
        }
    }
    Some(out)
}

/// Maps a request path onto a file under `root` (canonical), or the status to answer.
///
/// The path is percent-decoded first, then split on `/`: a segment that starts with `.` (`..`,
/// dot-files) or holds `\` or NUL is refused, so neither `/../x` nor `/%2e%2e/x` nor `/..%2fx`
/// leaves `root`. The result is canonicalized and must still lie under `root` (no escape through a
/// symbolic link). A directory maps to its `index.html`.
pub fn resolve(root: &Path, raw: &[u8]) -> Result<PathBuf, u16> {
    let decoded = percent_decode(raw).ok_or(400u16)?;
    let decoded = String::from_utf8(decoded).map_err(|_| 400u16)?;
    let mut path = root.to_path_buf();
    for seg in decoded.split('/') {
        if seg.is_empty() || seg == "." {
            continue;
        }
        if seg.starts_with('.') || seg.contains('\\') || seg.contains('\0') {
            return Err(403);
        }
        path.push(seg);
    }
    let real = path.canonicalize().map_err(|_| 404u16)?;
    if !real.starts_with(root) {
        return Err(403);
    }
    let real = if real.is_dir() {
        real.join("index.html")
    } else {
        real
    };
    if real.is_file() {
        Ok(real)
    } else {
        Err(404)
    }
}

// ---- the per-connection application ----------------------------------------------------------

/// A body produced as output drains.
#[derive(Debug)]
enum Producer {
    /// `/stream`: `left` more pieces of `size` bytes.
    Pattern { left: u64, size: usize, index: u64 },
    /// A file: `left` more bytes.
    File { file: File, left: u64 },
}

/// What the current request still needs from the application.
#[derive(Debug)]
enum Job {
    /// Nothing: the response is complete (or the machine answers by itself).
    Idle,
    /// `POST /`: the body is read and discarded; the response follows its end.
    Discard { received: u64 },
    /// `/echo`: the response is under way and body pieces are sent back as they arrive.
    Echo { framing: ResponseFraming },
    /// A response body written as output drains.
    Produce(Producer),
}

/// The application for one connection. Call [`App::drive`] after every input to the connection
/// (bytes, EOF, timeout, acknowledged output): it drains the events, answers requests and tops up
/// streamed bodies while the connection holds less than [`HIGH_WATER`] bytes of output.
#[derive(Debug)]
pub struct App {
    shared: Arc<Shared>,
    id: u64,
    job: Job,
    scratch: Vec<u8>,
}

impl App {
    /// The application for a newly accepted connection (counted in the statistics).
    pub fn new(shared: Arc<Shared>) -> App {
        let id = shared.stats.connection();
        App {
            shared,
            id,
            job: Job::Idle,
            scratch: Vec::new(),
        }
    }

    /// A new connection with the shared configuration, opened now.
    pub fn connection(&self) -> Connection {
        Connection::new(Arc::clone(&self.shared.config), self.shared.now())
    }

    /// Offers received bytes to the connection, draining events in between, until every byte is
    /// taken or the connection takes no more for now. Returns how many were taken; offer the rest
    /// again after output has drained.
    pub fn feed(&mut self, conn: &mut Connection, data: &[u8]) -> usize {
        let mut off = 0;
        while off < data.len() {
            let took = conn.handle_input(&data[off..], self.shared.now());
            off += took;
            self.drive(conn);
            if took == 0 {
                break;
            }
        }
        off
    }

    /// Drains events, answers them and tops up a streamed body. Also refreshes the `Date` the
    /// connection writes on its own error responses.
    pub fn drive(&mut self, conn: &mut Connection) {
        let date = date_now();
        conn.set_date(date);
        // Each round either answers events or finishes a produced response (which lets the next
        // pipelined request surface); both are bounded by the requests buffered.
        loop {
            while let Some(ev) = conn.poll_event() {
                self.on_event(conn, ev, &date);
            }
            if !self.produce(conn) {
                break;
            }
        }
    }

    fn now(&self) -> Duration {
        self.shared.now()
    }

    fn on_event(&mut self, conn: &mut Connection, ev: Event, date: &[u8; 29]) {
        match ev {
            Event::Request(req) => {
                self.shared.stats.request(self.id);
                self.job = Job::Idle;
                self.on_request(conn, &req, date);
                conn.recycle(req.head);
            }
            Event::Data(bytes) => match &mut self.job {
                Job::Discard { received } => *received += bytes.len() as u64,
                Job::Echo { .. } => {
                    let r = conn.send_body(&bytes, self.now());
                    check(conn, r);
                }
                _ => {}
            },
            Event::End(_) => match self.job {
                Job::Discard { received } => {
                    self.job = Job::Idle;
                    let body = format!("received {received} bytes\n");
                    self.send_text(conn, 200, body.as_bytes(), date);
                }
                Job::Echo { .. } => {
                    self.job = Job::Idle;
                    let r = conn.finish(self.now());
                    check(conn, r);
                }
                _ => {}
            },
            Event::Error(_) => {
                // Without a response under way the connection has queued its own error response.
                // An echo under way cannot be completed: end it so the client sees it cut short.
                if let Job::Echo { framing } = self.job {
                    match framing {
                        // A short Content-Length body: finish() turns it into an abort.
                        ResponseFraming::Length(_) => {
                            let r = conn.finish(self.now());
                            check(conn, r);
                        }
                        // A chunked body must not get its last chunk: abort.
                        _ => conn.handle_write_failed(),
                    }
                }
                if !matches!(self.job, Job::Produce(_)) {
                    self.job = Job::Idle;
                }
            }
            // This application never switches protocols (no 101, no 2xx to CONNECT).
            Event::Upgrade(_) => self.job = Job::Idle,
        }
    }

    fn on_request(&mut self, conn: &mut Connection, req: &Request, date: &[u8; 29]) {
        let head = &req.head;
        let method = head.method();
        let path = head.path();
        let get = matches!(method, Method::Get | Method::Head);
        match path {
            b"/" if method == Method::Post => {
                if req.expects_continue {
                    let r = conn.accept_body(self.now());
                    check(conn, r);
                }
                self.job = Job::Discard { received: 0 };
            }
            b"/" if get => match &self.shared.opts.root {
                None => self.send(conn, 200, "text/html; charset=utf-8", DEMO_HTML.as_bytes(), date),
                Some(root) => match resolve(root, b"/") {
                    Ok(file) => self.send_file(conn, &file, date),
                    Err(_) => self.send_text(conn, 200, b"h1conn example server\n", date),
                },
            },
            b"/echo" if matches!(method, Method::Post | Method::Put) => self.echo(conn, req, date),
            b"/stream" if get => self.stream(conn, head.query().unwrap_or_default(), date),
            b"/stats" if get => {
                let body = self.shared.stats.json();
                self.send(conn, 200, "application/json", body.as_bytes(), date);
            }
            p if p.starts_with(b"/status/") && get => self.status(conn, &p[8..], date),
            b"/" | b"/echo" | b"/stream" | b"/stats" => self.not_allowed(conn, path, date),
            p if p.starts_with(b"/status/") => self.not_allowed(conn, path, date),
            p => match &self.shared.opts.root {
                None => match DEMO_RESOURCES.iter().find(|r| r.0.as_bytes() == p) {
                    Some(_) if !get => self.not_allowed(conn, path, date),
                    Some((_, ct, body)) => self.send(conn, 200, ct, body.as_bytes(), date),
                    None => self.send_text(conn, 404, b"not found\n", date),
                },
                Some(root) => match resolve(root, p) {
                    Ok(_) if !get => self.not_allowed(conn, path, date),
                    Ok(file) => self.send_file(conn, &file, date),
                    Err(code) => self.send_text(conn, code, b"not found\n", date),
                },
            },
        }
    }

    /// `/echo`: the response starts at once; the body follows piece by piece.
    fn echo(&mut self, conn: &mut Connection, req: &Request, date: &[u8; 29]) {
        let now = self.now();
        if req.expects_continue {
            let r = conn.accept_body(now);
            check(conn, r);
        }
        let ct = req
            .head
            .headers()
            .get("content-type")
            .unwrap_or(b"application/octet-stream");
        let headers = [("Date", &date[..]), ("Server", SERVER), ("Content-Type", ct)];
        let length = match req.framing {
            BodyFraming::None => Some(0),
            BodyFraming::Length(n) => Some(n),
            BodyFraming::Chunked => None,
        };
        let resp = Response {
            length,
            ..Response::new(200).headers(&headers)
        };
        match conn.send_response(&resp, now) {
            Ok(_) if length == Some(0) => {
                let r = conn.finish(now);
                check(conn, r);
            }
            Ok(framing) => self.job = Job::Echo { framing },
            Err(e) => check(conn, Err::<(), _>(e)),
        }
    }

    /// `/stream?chunks=N&size=M`.
    fn stream(&mut self, conn: &mut Connection, query: &[u8], date: &[u8; 29]) {
        let (mut chunks, mut size) = (10u64, 1024u64);
        for pair in query.split(|&b| b == b'&') {
            let mut kv = pair.splitn(2, |&b| b == b'=');
            let (k, v) = (kv.next().unwrap_or_default(), kv.next().unwrap_or_default());
            let v = std::str::from_utf8(v).ok().and_then(|v| v.parse::<u64>().ok());
            match (k, v) {
                (b"chunks", Some(v)) => chunks = v.min(MAX_STREAM_CHUNKS),
                (b"size", Some(v)) => size = v.min(MAX_STREAM_SIZE),
                (b"chunks" | b"size", None) => {
                    return self.send_text(conn, 400, b"chunks and size take numbers\n", date);
                }
                _ => {}
            }
        }
        let headers = [
            ("Date", &date[..]),
            ("Server", SERVER),
            ("Content-Type", b"text/plain; charset=utf-8"),
        ];
        self.start_produced(
            conn,
            &Response::new(200).headers(&headers),
            Producer::Pattern {
                left: chunks,
                size: size as usize,
                index: 0,
            },
        );
    }

    /// `/status/CODE`.
    fn status(&mut self, conn: &mut Connection, code: &[u8], date: &[u8; 29]) {
        let code = std::str::from_utf8(code)
            .ok()
            .and_then(|c| c.parse::<u16>().ok())
            .filter(|c| (200..=599).contains(c));
        match code {
            None => self.send_text(conn, 400, b"status codes 200 to 599 only\n", date),
            Some(c @ (204 | 304)) => {
                let headers = [("Date", &date[..]), ("Server", SERVER)];
                let now = self.now();
                let r = conn
                    .send_response(&Response::new(c).headers(&headers), now)
                    .and_then(|_| conn.finish(now));
                check(conn, r);
            }
            Some(c) => {
                let reason = h1conn::reason_phrase(c);
                let body = format!("{c} {reason}\n");
                self.send_text(conn, c, body.as_bytes(), date);
            }
        }
    }

    fn not_allowed(&mut self, conn: &mut Connection, path: &[u8], date: &[u8; 29]) {
        let allow: &[u8] = match path {
            b"/" => b"GET, HEAD, POST",
            b"/echo" => b"POST, PUT",
            _ => b"GET, HEAD",
        };
        let headers = [
            ("Date", &date[..]),
            ("Server", SERVER),
            ("Content-Type", b"text/plain; charset=utf-8"),
            ("Allow", allow),
        ];
        let r = conn.send_full(
            &Response::new(405).headers(&headers),
            b"method not allowed\n",
            self.now(),
        );
        check(conn, r);
    }

    fn send_file(&mut self, conn: &mut Connection, path: &Path, date: &[u8; 29]) {
        let opened = File::open(path).and_then(|f| Ok((f.metadata()?.len(), f)));
        let Ok((len, file)) = opened else {
            return self.send_text(conn, 404, b"not found\n", date);
        };
        let headers = [
            ("Date", &date[..]),
            ("Server", SERVER),
            ("Content-Type", content_type(path).as_bytes()),
        ];
        self.start_produced(
            conn,
            &Response::new(200).headers(&headers).length(len),
            Producer::File { file, left: len },
        );
    }

    /// Starts a response whose body is produced as output drains (nothing more for HEAD).
    fn start_produced(&mut self, conn: &mut Connection, resp: &Response<'_>, producer: Producer) {
        let now = self.now();
        match conn.send_response(resp, now) {
            Ok(ResponseFraming::NoBody { .. }) => {
                let r = conn.finish(now);
                check(conn, r);
            }
            Ok(_) => {
                self.job = Job::Produce(producer);
                self.produce(conn);
            }
            Err(e) => check(conn, Err::<(), _>(e)),
        }
    }

    /// Writes more of a produced body while output is below [`HIGH_WATER`]. True when the response
    /// was finished (the next pipelined request may now surface).
    fn produce(&mut self, conn: &mut Connection) -> bool {
        let now = self.now();
        let Job::Produce(p) = &mut self.job else {
            return false;
        };
        while conn.transmit().len() < HIGH_WATER {
            if conn.poll_close().is_some() {
                // Aborted: nothing more will be sent.
                self.job = Job::Idle;
                return false;
            }
            let piece: io::Result<Option<&[u8]>> = match p {
                Producer::Pattern { left: 0, .. } | Producer::File { left: 0, .. } => Ok(None),
                Producer::Pattern { left, size, index } => {
                    self.scratch.clear();
                    self.scratch.resize(*size, b'a' + (*index % 26) as u8);
                    if let Some(last) = self.scratch.last_mut() {
                        *last = b'\n';
                    }
                    *left -= 1;
                    *index += 1;
                    Ok(Some(&self.scratch[..]))
                }
                Producer::File { file, left } => {
                    let want = (*left).min(64 * 1024) as usize;
                    self.scratch.resize(want, 0);
                    match file.read(&mut self.scratch[..want]) {
                        Ok(0) => Err(io::ErrorKind::UnexpectedEof.into()),
                        Ok(n) => {
                            *left -= n as u64;
                            Ok(Some(&self.scratch[..n]))
                        }
                        Err(e) => Err(e),
                    }
                }
            };
            match piece {
                Ok(Some(bytes)) => {
                    if let Err(e) = conn.send_body(bytes, now) {
                        self.job = Job::Idle;
                        check(conn, Err::<(), _>(e));
                        return false;
                    }
                }
                Ok(None) => {
                    self.job = Job::Idle;
                    let r = conn.finish(now);
                    check(conn, r);
                    return true;
                }
                Err(e) => {
                    // The file changed under us: the body cannot be completed.
                    eprintln!("read error: {e}");
                    self.job = Job::Idle;
                    conn.handle_write_failed();
                    return false;
                }
            }
        }
        false
    }

    fn send_text(&mut self, conn: &mut Connection, status: u16, body: &[u8], date: &[u8; 29]) {
        self.send(conn, status, "text/plain; charset=utf-8", body, date);
    }

    fn send(&mut self, conn: &mut Connection, status: u16, ct: &str, body: &[u8], date: &[u8; 29]) {
        let headers = [
            ("Date", &date[..]),
            ("Server", SERVER),
            ("Content-Type", ct.as_bytes()),
        ];
        let r = conn.send_full(&Response::new(status).headers(&headers), body, self.now());
        check(conn, r);
    }
}

/// A usage error is a bug in this application: report it and drop the connection.
fn check<T>(conn: &mut Connection, r: Result<T, h1conn::UsageError>) {
    if let Err(e) = r {
        eprintln!("h1conn usage error: {e}");
        conn.handle_write_failed();
    }
}
