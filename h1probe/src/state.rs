//! Capability detection and the timing and state checks: persistence, pipelining, 100-continue,
//! lingering close, half-close, idle and read timeouts, request limits per connection.

use std::io::Write;
use std::net::TcpStream;
use std::thread;
use std::time::{Duration, Instant};

use crate::model::Level::*;
use crate::model::Severity::*;
use crate::model::{family, Level, Outcome, Severity, Verdict};
use crate::wire::{escape_short, is_rejection, AfterState, Conn, ReadEnd, Response, Target};

/// What the server offers, detected before the checks run. A check that needs a capability the
/// server lacks is skipped, not failed.
#[derive(Debug, Clone, Default)]
pub struct Caps {
    /// An HTTP/1.1 connection serves a second request.
    pub keep_alive: bool,
    /// An HTTP/1.0 `Connection: keep-alive` request keeps the connection.
    pub keep_alive_10: bool,
    /// Two requests in one write get two responses.
    pub pipelining: bool,
    /// A request found that the server answers with a chunked body.
    pub chunked_response: Option<Vec<u8>>,
    /// Chunked request bodies are taken (not 411).
    pub chunked_requests: bool,
    /// `Expect: 100-continue` gets `100 Continue` before the body.
    pub continue_100: bool,
    /// A WebSocket upgrade gets 101.
    pub upgrade: bool,
    /// `Keep-Alive: timeout=` advertised (seconds).
    pub ka_timeout: Option<u64>,
    /// `Keep-Alive: max=` advertised on the first response.
    pub ka_max: Option<u64>,
    /// Status of `GET /`.
    pub root_status: u16,
    /// Status of `GET /h1probe-missing`.
    pub missing_status: u16,
    /// Status of `POST /` with a 5-byte body.
    pub post_status: u16,
    /// Status of `HEAD /`.
    pub head_status: u16,
}

impl Caps {
    /// The capabilities as (name, present, note) rows.
    pub fn rows(&self) -> Vec<(&'static str, bool, String)> {
        let opt = |v: Option<u64>| v.map_or("not advertised".to_string(), |v| v.to_string());
        vec![
            ("keep-alive (HTTP/1.1)", self.keep_alive, String::new()),
            ("keep-alive (HTTP/1.0 opt-in)", self.keep_alive_10, String::new()),
            ("pipelining", self.pipelining, String::new()),
            (
                "chunked responses",
                self.chunked_response.is_some(),
                self.chunked_response
                    .as_ref()
                    .map(|r| escape_short(r.split(|&b| b == b'\r').next().unwrap_or_default(), 60))
                    .unwrap_or_default(),
            ),
            ("chunked request bodies", self.chunked_requests, String::new()),
            ("100-continue", self.continue_100, String::new()),
            ("upgrade (websocket)", self.upgrade, String::new()),
            (
                "Keep-Alive: timeout",
                self.ka_timeout.is_some(),
                opt(self.ka_timeout),
            ),
            ("Keep-Alive: max", self.ka_max.is_some(), opt(self.ka_max)),
        ]
    }
}

/// Everything a timing or state check needs.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// The server.
    pub t: Target,
    /// Its capabilities.
    pub caps: Caps,
    /// `--quick`: shorter caps on how long to wait for a server-side timeout.
    pub quick: bool,
}

impl Ctx {
    /// The longest the probe waits for a server-side timeout to fire.
    pub fn cap(&self) -> Duration {
        self.t.dur(Duration::from_secs(if self.quick { 8 } else { 30 }))
    }

    /// The tolerance around an advertised timeout of `secs`.
    pub fn tolerance(&self, secs: u64) -> Duration {
        self.t
            .dur(Duration::from_millis(500).max(Duration::from_millis(secs * 250)))
    }
}

/// What a timing or state check found.
#[derive(Debug, Clone)]
pub struct Res {
    /// Verdict.
    pub verdict: Verdict,
    /// Why.
    pub detail: String,
    /// Bytes sent.
    pub sent: Vec<u8>,
    /// Bytes received.
    pub received: Vec<u8>,
}

type R = Result<Res, String>;
/// A connection, the first status line seen before the body, and the final response.
type ExpectRun = (Conn, Option<u16>, Result<Response, String>);
/// A connection, its response, and when and how the idle connection ended.
type Idle = (Conn, Response, Option<(Duration, AfterState)>);

/// A timing or state check: one row of the table, run by a function.
#[derive(Debug, Clone, Copy)]
pub struct Dyn {
    /// Stable ID.
    pub id: &'static str,
    /// Section enforced.
    pub section: &'static str,
    /// Level.
    pub level: Level,
    /// Severity.
    pub severity: Severity,
    /// What is checked.
    pub title: &'static str,
    /// Runs it.
    pub run: fn(&Ctx, Level) -> R,
}

impl Dyn {
    /// This check's result: `verdict` with its detail and the bytes exchanged, timed from `start`.
    pub fn outcome(
        &self,
        verdict: Verdict,
        detail: String,
        sent: Vec<u8>,
        received: Vec<u8>,
        start: Instant,
    ) -> Outcome {
        Outcome {
            id: self.id.to_string(),
            family: family(self.id).to_string(),
            section: self.section,
            level: self.level,
            severity: self.severity,
            title: self.title,
            verdict,
            detail,
            sent,
            received,
            millis: start.elapsed().as_millis(),
            timing: true,
        }
    }
}

const fn d(
    id: &'static str,
    section: &'static str,
    level: Level,
    severity: Severity,
    title: &'static str,
    run: fn(&Ctx, Level) -> R,
) -> Dyn {
    Dyn {
        id,
        section,
        level,
        severity,
        title,
        run,
    }
}

// ---- small helpers ----------------------------------------------------------------------------

fn get(path: &str, version: &str, extra: &str) -> Vec<u8> {
    format!("GET {path} HTTP/{version}\r\nHost: localhost\r\n{extra}\r\n").into_bytes()
}

fn post(path: &str, extra: &str, body: &str) -> Vec<u8> {
    format!(
        "POST {path} HTTP/1.1\r\nHost: localhost\r\n{extra}Content-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

const MISSING: &str = "/h1probe-missing";

fn res(verdict: Verdict, detail: impl Into<String>, c: &Conn) -> R {
    Ok(Res {
        verdict,
        detail: detail.into(),
        sent: c.sent.clone(),
        received: c.received.clone(),
    })
}

fn skip(detail: impl Into<String>) -> R {
    Ok(Res {
        verdict: Verdict::Skip,
        detail: detail.into(),
        sent: Vec::new(),
        received: Vec::new(),
    })
}

fn bad(level: Level) -> Verdict {
    Verdict::violation(level)
}

fn read(c: &mut Conn, t: &Target, head: bool) -> Result<Response, String> {
    c.response(head, t.ms(3000)).map_err(|e| end_text(&e))
}

fn end_text(e: &ReadEnd) -> String {
    match e {
        ReadEnd::Timeout => "no response".into(),
        ReadEnd::Closed => "closed without a response".into(),
        ReadEnd::Reset => "reset without a response".into(),
        ReadEnd::Malformed(w) => format!("malformed response: {w}"),
    }
}

/// Sends `req` on a new connection and reads its response.
fn one(t: &Target, req: &[u8]) -> Result<(Conn, Response), String> {
    let mut c = t.connect().map_err(|e| format!("cannot connect: {e}"))?;
    c.write(req);
    let r = read(&mut c, t, req.starts_with(b"HEAD "))?;
    Ok((c, r))
}

// ---- capability detection ----------------------------------------------------------------------

/// Detects what the server offers (a few seconds at most).
pub fn detect(t: &Target) -> Result<Caps, String> {
    let mut caps = Caps::default();
    let (mut c, r) = one(t, &get("/", "1.1", ""))?;
    caps.root_status = r.status;
    if !r.closes() {
        c.write(&get(MISSING, "1.1", ""));
        if let Ok(r2) = c.response(false, t.ms(2000)) {
            caps.keep_alive = true;
            caps.missing_status = r2.status;
        }
    }
    if caps.missing_status == 0 {
        caps.missing_status = one(t, &get(MISSING, "1.1", "Connection: close\r\n"))
            .map(|x| x.1.status)
            .unwrap_or(0);
    }
    if let Ok((mut c, r)) = one(t, &get("/", "1.0", "Connection: keep-alive\r\n")) {
        caps.ka_timeout = r.keep_alive_param("timeout");
        caps.ka_max = r.keep_alive_param("max");
        if r.has_token("connection", "keep-alive") {
            c.write(&get("/", "1.0", "Connection: keep-alive\r\n"));
            caps.keep_alive_10 = c.response(false, t.ms(2000)).is_ok();
        }
    }
    if caps.ka_timeout.is_none() {
        if let Ok((_, r)) = one(t, &get("/", "1.1", "")) {
            caps.ka_timeout = r.keep_alive_param("timeout");
            caps.ka_max = caps.ka_max.or(r.keep_alive_param("max"));
        }
    }
    if let Ok((mut c, _)) = t.connect().map(|c| (c, ())) {
        let mut two = get("/", "1.1", "");
        two.extend_from_slice(&get(MISSING, "1.1", ""));
        c.write(&two);
        caps.pipelining = c.response(false, t.ms(2000)).is_ok() && c.response(false, t.ms(2000)).is_ok();
    }
    caps.head_status = one(
        t,
        b"HEAD / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    )
    .map(|x| x.1.status)
    .unwrap_or(0);
    caps.post_status = one(t, &post("/", "Connection: close\r\n", "hello"))
        .map(|x| x.1.status)
        .unwrap_or(0);
    if let Ok((_, r)) = one(
        t,
        b"POST / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    ) {
        caps.chunked_requests = r.status != 411 && !is_rejection(r.status);
    }
    let candidates: [&[u8]; 3] = [
        b"GET / HTTP/1.1\r\nHost: localhost\r\nAccept-Encoding: gzip\r\n\r\n",
        b"GET /stream?chunks=3&size=16 HTTP/1.1\r\nHost: localhost\r\n\r\n",
        b"POST /echo HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    ];
    for cand in candidates {
        if let Ok((_, r)) = one(t, cand) {
            if r.chunked && r.status == 200 {
                caps.chunked_response = Some(cand.to_vec());
                break;
            }
        }
    }
    if let Ok(mut c) = t.connect() {
        c.write(b"POST / HTTP/1.1\r\nHost: localhost\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
        if let Ok(Some(s)) = interim(&mut c, t.ms(1500)) {
            caps.continue_100 = s == 100;
        }
    }
    if let Ok((_, r)) = one(
        t,
        b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
    ) {
        caps.upgrade = r.status == 101;
    }
    Ok(caps)
}

/// Waits for the first status line (interim or final) without consuming a body: returns its
/// status, `None` when nothing came in `wait`.
fn interim(c: &mut Conn, wait: Duration) -> Result<Option<u16>, String> {
    let deadline = Instant::now() + wait;
    loop {
        let p = c.pending();
        if let Some(end) = crate::wire::find(p, b"\r\n") {
            let line = &p[..end];
            return Ok(std::str::from_utf8(line.get(9..12).unwrap_or_default())
                .ok()
                .and_then(|s| s.parse().ok()));
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Ok(None);
        }
        match c.after(left) {
            AfterState::Data => {}
            AfterState::Open => return Ok(None),
            _ => return Err("connection ended".into()),
        }
    }
}

// ---- persistence --------------------------------------------------------------------------------

/// (version, Connection field lines, the connection must close)
const CONNECTION_CASES: &[(&str, &str, bool)] = &[
    ("1.1", "", false),
    ("1.1", "Connection: close\r\n", true),
    ("1.1", "Connection: CLOSE\r\n", true),
    ("1.1", "Connection: Close\r\n", true),
    ("1.1", "Connection: keep-alive, close\r\n", true),
    ("1.1", "Connection: close, keep-alive\r\n", true),
    ("1.1", "Connection: foo, close, bar\r\n", true),
    ("1.1", "Connection: foo\r\nConnection: close\r\n", true),
    ("1.1", "Connection:   close   \r\n", true),
    ("1.1", "Connection: closed\r\n", false),
    ("1.0", "", true),
    ("1.0", "Connection: keep-alive\r\n", false),
    ("1.0", "Connection: KEEP-ALIVE\r\n", false),
    ("1.0", "Connection: keep-alive, close\r\n", true),
    ("1.1", "Connection: keep-alive\r\n", false),
    ("1.1", "Connection: x-foo\r\n", false),
    ("1.1", "Connection: , close ,\r\n", true),
    ("1.1", "Connection: upgrade\r\nConnection: close\r\n", true),
    ("1.2", "", false),
    ("1.0", "Connection: foo, keep-alive\r\n", false),
];

fn connection_case(ctx: &Ctx, level: Level, i: usize) -> R {
    let (version, fields, must_close) = CONNECTION_CASES[i];
    let t = &ctx.t;
    let is10 = version == "1.0";
    if !must_close
        && !(if is10 {
            ctx.caps.keep_alive_10
        } else {
            ctx.caps.keep_alive
        })
    {
        return skip(format!("no keep-alive for HTTP/{version}"));
    }
    let mut c = t.connect().map_err(|e| e.to_string())?;
    let mut bytes = get("/", version, fields);
    if must_close {
        // A request after the close: it must not be answered.
        bytes.extend_from_slice(&get("/", "1.1", ""));
    }
    c.write(&bytes);
    let r = match read(&mut c, t, false) {
        Ok(r) => r,
        Err(e) => return res(bad(level), e, &c),
    };
    if must_close {
        match c.after(t.ms(1500)) {
            AfterState::Closed | AfterState::Reset => {
                if !is10 && !r.closes() {
                    res(
                        Verdict::Warn,
                        "closed, but the response lacks Connection: close",
                        &c,
                    )
                } else {
                    res(Verdict::Pass, "closed after the response", &c)
                }
            }
            AfterState::Data => res(bad(level), "answered a request sent after the close", &c),
            AfterState::Open => res(bad(level), "connection left open after a close request", &c),
        }
    } else {
        if r.closes() {
            return res(bad(level), "answered with Connection: close", &c);
        }
        if is10 && !r.has_token("connection", "keep-alive") {
            return res(
                bad(level),
                "HTTP/1.0 keep-alive response without Connection: keep-alive",
                &c,
            );
        }
        c.write(&get("/", version, fields));
        match read(&mut c, t, false) {
            Ok(_) => res(
                Verdict::Pass,
                "second request answered on the same connection",
                &c,
            ),
            Err(e) => res(bad(level), format!("second request: {e}"), &c),
        }
    }
}

macro_rules! conn_fns {
    ($($name:ident = $i:expr),*) => {
        $(fn $name(ctx: &Ctx, level: Level) -> R { connection_case(ctx, level, $i) })*
    };
}
conn_fns!(
    p00 = 0,
    p01 = 1,
    p02 = 2,
    p03 = 3,
    p04 = 4,
    p05 = 5,
    p06 = 6,
    p07 = 7,
    p08 = 8,
    p09 = 9,
    p10 = 10,
    p11 = 11,
    p12 = 12,
    p13 = 13,
    p14 = 14,
    p15 = 15,
    p16 = 16,
    p17 = 17,
    p18 = 18,
    p19 = 19
);

fn no_chunked_to_10(ctx: &Ctx, level: Level) -> R {
    let Some(req) = &ctx.caps.chunked_response else {
        return skip("no request found that gets a chunked response");
    };
    let mut req10 = String::from_utf8_lossy(req)
        .replacen("HTTP/1.1", "HTTP/1.0", 1)
        .into_bytes();
    if req10.starts_with(b"POST") {
        // A 1.0 body needs a length.
        req10 = b"POST /echo HTTP/1.0\r\nHost: localhost\r\nContent-Length: 5\r\n\r\nhello".to_vec();
    }
    let mut c = ctx.t.connect().map_err(|e| e.to_string())?;
    c.write(&req10);
    match read(&mut c, &ctx.t, false) {
        Ok(r) if r.header("transfer-encoding").is_some() => {
            res(bad(level), "Transfer-Encoding sent to HTTP/1.0", &c)
        }
        Ok(r) => res(
            Verdict::Pass,
            format!("{} without Transfer-Encoding", r.status),
            &c,
        ),
        Err(e) => res(bad(level), e, &c),
    }
}

fn chunked_response_persists(ctx: &Ctx, level: Level) -> R {
    let Some(req) = &ctx.caps.chunked_response else {
        return skip("no request found that gets a chunked response");
    };
    let mut c = ctx.t.connect().map_err(|e| e.to_string())?;
    c.write(req);
    let r = match read(&mut c, &ctx.t, false) {
        Ok(r) => r,
        Err(e) => return res(bad(level), e, &c),
    };
    if r.header("content-length").is_some() {
        return res(bad(level), "both Content-Length and Transfer-Encoding", &c);
    }
    c.write(&get("/", "1.1", ""));
    match read(&mut c, &ctx.t, false) {
        Ok(_) => res(
            Verdict::Pass,
            "chunked response well formed; next request answered",
            &c,
        ),
        Err(e) => res(bad(level), format!("after the chunked response: {e}"), &c),
    }
}

fn close_header_when_closing(ctx: &Ctx, level: Level) -> R {
    let mut c = ctx.t.connect().map_err(|e| e.to_string())?;
    for i in 0..20 {
        c.write(&get(if i % 2 == 0 { "/" } else { MISSING }, "1.1", ""));
        let r = match read(&mut c, &ctx.t, false) {
            Ok(r) => r,
            Err(e) => return res(bad(level), format!("request {}: {e}", i + 1), &c),
        };
        if r.closes() {
            return res(
                Verdict::Pass,
                format!("closed after {} requests, announced", i + 1),
                &c,
            );
        }
        if c.after(Duration::from_millis(20)) != AfterState::Open {
            return res(
                bad(level),
                format!("closed after request {} without Connection: close", i + 1),
                &c,
            );
        }
    }
    res(Verdict::Pass, "20 requests on one connection", &c)
}

fn error_response_closes(ctx: &Ctx, level: Level) -> R {
    let mut c = ctx.t.connect().map_err(|e| e.to_string())?;
    c.write(b"GET / HTTP/1.1\r\nHost: localhost\r\nX A: 1\r\n\r\n");
    match read(&mut c, &ctx.t, false) {
        Ok(r) if is_rejection(r.status) => {
            let closed = matches!(c.after(ctx.t.ms(1500)), AfterState::Closed | AfterState::Reset);
            match (closed, r.closes()) {
                (true, true) => res(
                    Verdict::Pass,
                    format!("{} with Connection: close, closed", r.status),
                    &c,
                ),
                (true, false) => res(
                    bad(level),
                    format!("{} closed without Connection: close", r.status),
                    &c,
                ),
                (false, _) => res(
                    Verdict::Warn,
                    format!("{} and the connection stays open", r.status),
                    &c,
                ),
            }
        }
        Ok(r) => skip(format!("the malformed request got {}", r.status)),
        Err(e) => skip(e),
    }
}

fn head_no_body(ctx: &Ctx, level: Level) -> R {
    let mut c = ctx.t.connect().map_err(|e| e.to_string())?;
    let mut b = b"HEAD / HTTP/1.1\r\nHost: localhost\r\n\r\n".to_vec();
    b.extend_from_slice(&get(MISSING, "1.1", ""));
    c.write(&b);
    if let Err(e) = read(&mut c, &ctx.t, true) {
        return res(bad(level), e, &c);
    }
    match read(&mut c, &ctx.t, false) {
        Ok(r) if r.status == ctx.caps.missing_status => {
            res(Verdict::Pass, "HEAD had no body; next response in place", &c)
        }
        Ok(r) => res(
            bad(level),
            format!(
                "after HEAD the next response is {} (body bytes after HEAD?)",
                r.status
            ),
            &c,
        ),
        Err(e) if e.contains("malformed") => {
            res(bad(level), format!("body bytes after the HEAD response: {e}"), &c)
        }
        Err(e) if !ctx.caps.pipelining => skip(format!("no pipelining: {e}")),
        Err(e) => res(bad(level), e, &c),
    }
}

fn keep_alive_header_only_when_persisting(ctx: &Ctx, level: Level) -> R {
    let mut c = ctx.t.connect().map_err(|e| e.to_string())?;
    c.write(&get("/", "1.0", "Connection: keep-alive, close\r\n"));
    match read(&mut c, &ctx.t, false) {
        Ok(r) if r.header("keep-alive").is_some() => {
            res(bad(level), "Keep-Alive header on a closing response", &c)
        }
        Ok(_) => res(Verdict::Pass, "no Keep-Alive header when closing", &c),
        Err(e) => res(bad(level), e, &c),
    }
}

fn date_header(ctx: &Ctx, level: Level) -> R {
    let mut c = ctx.t.connect().map_err(|e| e.to_string())?;
    c.write(&get("/", "1.1", "Connection: close\r\n"));
    match read(&mut c, &ctx.t, false) {
        Ok(r) if r.header("date").is_some() => res(Verdict::Pass, "Date present", &c),
        Ok(_) => res(bad(level), "no Date header", &c),
        Err(e) => res(bad(level), e, &c),
    }
}

fn status_line_shape(ctx: &Ctx, level: Level) -> R {
    let mut c = ctx.t.connect().map_err(|e| e.to_string())?;
    c.write(&get(MISSING, "1.1", "Connection: close\r\n"));
    match read(&mut c, &ctx.t, false) {
        Ok(r) if r.version == "HTTP/1.1" => res(Verdict::Pass, format!("HTTP/1.1 {}", r.status), &c),
        Ok(r) => res(
            bad(level),
            format!("version {} answering HTTP/1.1", r.version),
            &c,
        ),
        Err(e) => res(bad(level), e, &c),
    }
}

fn persists_after_404(ctx: &Ctx, level: Level) -> R {
    if !ctx.caps.keep_alive {
        return skip("no keep-alive");
    }
    let mut c = ctx.t.connect().map_err(|e| e.to_string())?;
    c.write(&get(MISSING, "1.1", ""));
    let r = read(&mut c, &ctx.t, false);
    match r {
        Ok(r) if r.closes() => res(bad(level), format!("{} closes the connection", r.status), &c),
        Ok(_) => {
            c.write(&get("/", "1.1", ""));
            match read(&mut c, &ctx.t, false) {
                Ok(_) => res(Verdict::Pass, "connection kept after a 404", &c),
                Err(e) => res(bad(level), e, &c),
            }
        }
        Err(e) => res(bad(level), e, &c),
    }
}

fn post_10_keep_alive(ctx: &Ctx, level: Level) -> R {
    if !ctx.caps.keep_alive_10 {
        return skip("no HTTP/1.0 keep-alive");
    }
    let mut c = ctx.t.connect().map_err(|e| e.to_string())?;
    c.write(
        b"POST / HTTP/1.0\r\nHost: localhost\r\nConnection: keep-alive\r\nContent-Length: 5\r\n\r\nhello",
    );
    if let Err(e) = read(&mut c, &ctx.t, false) {
        return res(bad(level), e, &c);
    }
    c.write(&get("/", "1.0", "Connection: keep-alive\r\n"));
    match read(&mut c, &ctx.t, false) {
        Ok(_) => res(Verdict::Pass, "HTTP/1.0 POST kept the connection", &c),
        Err(e) if c.ended() => res(Verdict::Pass, format!("closed after the POST ({e})"), &c),
        Err(e) => res(bad(level), e, &c),
    }
}

// ---- pipelining ---------------------------------------------------------------------------------

#[derive(Clone, Copy)]
enum K {
    Root,
    Missing,
    Head,
    Post,
    Chunked,
    Close,
    Bad,
    Root10,
}

impl K {
    fn bytes(self) -> Vec<u8> {
        match self {
            K::Root => get("/", "1.1", ""),
            K::Missing => get(MISSING, "1.1", ""),
            K::Head => b"HEAD / HTTP/1.1\r\nHost: localhost\r\n\r\n".to_vec(),
            K::Post => post("/", "", "hello"),
            K::Chunked => b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n".to_vec(),
            K::Close => get(MISSING, "1.1", "Connection: close\r\n"),
            K::Bad => b"GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: +5\r\n\r\n".to_vec(),
            K::Root10 => get("/", "1.0", "Connection: keep-alive\r\n"),
        }
    }

    fn status(self, caps: &Caps) -> Option<u16> {
        match self {
            K::Root | K::Root10 => Some(caps.root_status),
            K::Head => Some(caps.head_status),
            K::Missing | K::Close => Some(caps.missing_status),
            K::Post | K::Chunked => Some(caps.post_status),
            K::Bad => None,
        }
    }
}

/// Sends `seq` in one write (or byte by byte) and checks the responses come back in order.
fn pipeline(ctx: &Ctx, level: Level, seq: &[K], bytewise: bool) -> R {
    if !ctx.caps.pipelining {
        return skip("no pipelining");
    }
    let mut c = ctx.t.connect().map_err(|e| e.to_string())?;
    let all: Vec<u8> = seq.iter().flat_map(|k| k.bytes()).collect();
    if bytewise {
        c.send(&all, crate::wire::Delivery::Bytes, Duration::from_millis(1));
    } else {
        let mut w = c_clone(&c)?;
        let data = all.clone();
        thread::spawn(move || {
            let _ = w.write_all(&data);
        });
        c.sent.extend_from_slice(&all);
    }
    for (i, k) in seq.iter().enumerate() {
        let r = match c.response(matches!(k, K::Head), ctx.t.ms(3000)) {
            Ok(r) => r,
            Err(ReadEnd::Closed | ReadEnd::Reset)
                if i > 0 && ctx.caps.ka_max.is_some_and(|m| i as u64 >= m) =>
            {
                return res(
                    Verdict::Pass,
                    format!("{i} responses in order, then the max-requests close"),
                    &c,
                );
            }
            Err(e) => return res(bad(level), format!("response {}: {}", i + 1, end_text(&e)), &c),
        };
        match k.status(&ctx.caps) {
            Some(s) if s != r.status => {
                return res(
                    bad(level),
                    format!(
                        "response {} is {} where {} answers {s}: out of order",
                        i + 1,
                        r.status,
                        i + 1
                    ),
                    &c,
                )
            }
            None if !is_rejection(r.status) => {
                return res(
                    bad(level),
                    format!("malformed request {} answered {}", i + 1, r.status),
                    &c,
                )
            }
            _ => {}
        }
        if matches!(k, K::Close | K::Bad) || r.closes() {
            return match c.after(ctx.t.ms(1500)) {
                AfterState::Closed | AfterState::Reset => res(
                    Verdict::Pass,
                    format!("{} responses in order, then closed", i + 1),
                    &c,
                ),
                AfterState::Data => res(
                    bad(level),
                    "answered requests after the connection's last one",
                    &c,
                ),
                AfterState::Open => res(bad(level), "connection left open after its last response", &c),
            };
        }
    }
    res(Verdict::Pass, format!("{} responses in order", seq.len()), &c)
}

fn c_clone(c: &Conn) -> Result<TcpStream, String> {
    c.try_clone_stream().map_err(|e| e.to_string())
}

fn alternating(n: usize) -> Vec<K> {
    (0..n)
        .map(|i| if i % 2 == 0 { K::Root } else { K::Missing })
        .collect()
}

fn pipe2(ctx: &Ctx, l: Level) -> R {
    pipeline(ctx, l, &alternating(2), false)
}
fn pipe10(ctx: &Ctx, l: Level) -> R {
    pipeline(ctx, l, &alternating(10), false)
}
fn pipe50(ctx: &Ctx, l: Level) -> R {
    pipeline(ctx, l, &alternating(50), false)
}
fn pipe_post(ctx: &Ctx, l: Level) -> R {
    pipeline(ctx, l, &[K::Root, K::Post, K::Missing, K::Post, K::Root], false)
}
fn pipe_chunked(ctx: &Ctx, l: Level) -> R {
    if !ctx.caps.chunked_requests {
        return skip("no chunked request bodies");
    }
    pipeline(
        ctx,
        l,
        &[K::Missing, K::Chunked, K::Root, K::Chunked, K::Missing],
        false,
    )
}
fn pipe_head(ctx: &Ctx, l: Level) -> R {
    pipeline(ctx, l, &[K::Root, K::Head, K::Missing, K::Head, K::Root], false)
}
fn pipe_bytes(ctx: &Ctx, l: Level) -> R {
    pipeline(ctx, l, &[K::Missing, K::Root, K::Missing], true)
}
fn pipe_close_mid(ctx: &Ctx, l: Level) -> R {
    pipeline(
        ctx,
        l,
        &[K::Root, K::Missing, K::Close, K::Root, K::Missing],
        false,
    )
}
fn pipe_bad_mid(ctx: &Ctx, l: Level) -> R {
    pipeline(ctx, l, &[K::Root, K::Missing, K::Bad, K::Root, K::Missing], false)
}
fn pipe_10(ctx: &Ctx, l: Level) -> R {
    if !ctx.caps.keep_alive_10 {
        return skip("no HTTP/1.0 keep-alive");
    }
    pipeline(ctx, l, &[K::Root10, K::Root10, K::Root10], false)
}
fn pipe100(ctx: &Ctx, l: Level) -> R {
    pipeline(ctx, l, &alternating(100), false)
}
fn pipe_mixed(ctx: &Ctx, l: Level) -> R {
    pipeline(
        ctx,
        l,
        &[
            K::Head,
            K::Post,
            K::Missing,
            K::Root,
            K::Head,
            K::Post,
            K::Missing,
            K::Root,
        ],
        false,
    )
}

// ---- 100-continue -------------------------------------------------------------------------------

fn expect_head(path: &str, version: &str, value: &str) -> Vec<u8> {
    format!("POST {path} HTTP/{version}\r\nHost: localhost\r\nExpect: {value}\r\nContent-Length: 5\r\n\r\n")
        .into_bytes()
}

/// Sends an Expect head, waits, then the body; returns (first status line seen before the body,
/// final response).
fn expect_exchange(ctx: &Ctx, head: &[u8], body: &[u8]) -> Result<ExpectRun, String> {
    let mut c = ctx.t.connect().map_err(|e| e.to_string())?;
    c.write(head);
    let early = interim(&mut c, ctx.t.ms(1500)).unwrap_or(None);
    if early.is_none_or(|s| s == 100) {
        c.write(body);
    }
    let r = read(&mut c, &ctx.t, false);
    Ok((c, early, r))
}

fn cont_before_body(ctx: &Ctx, level: Level) -> R {
    let (c, early, r) = expect_exchange(ctx, &expect_head("/", "1.1", "100-continue"), b"hello")?;
    match (early, r) {
        (Some(100), Ok(r)) if r.interim == [100] => res(
            Verdict::Pass,
            format!("100 before the body, then {}", r.status),
            &c,
        ),
        (Some(100), Ok(r)) => res(bad(level), format!("interim responses {:?}", r.interim), &c),
        (Some(s), Ok(_)) => res(Verdict::Pass, format!("final status {s} before the body"), &c),
        (None, Ok(r)) => res(
            bad(level),
            format!("nothing before the body (then {}): the client waits", r.status),
            &c,
        ),
        (_, Err(e)) => res(bad(level), e, &c),
    }
}

fn cont_case(ctx: &Ctx, level: Level) -> R {
    if !ctx.caps.continue_100 {
        return skip("no 100-continue");
    }
    let (c, early, r) = expect_exchange(ctx, &expect_head("/", "1.1", "100-Continue"), b"hello")?;
    match (early, r) {
        (Some(100), Ok(_)) => res(Verdict::Pass, "100 for 100-Continue", &c),
        (Some(s), Ok(_)) if s >= 200 => res(Verdict::Pass, format!("final {s}"), &c),
        (_, Ok(r)) => res(
            bad(level),
            format!("no 100 for a differently cased 100-continue (then {})", r.status),
            &c,
        ),
        (_, Err(e)) => res(bad(level), e, &c),
    }
}

fn cont_never_10(ctx: &Ctx, level: Level) -> R {
    let (c, early, r) = expect_exchange(ctx, &expect_head("/", "1.0", "100-continue"), b"hello")?;
    match (early, r) {
        (Some(s), _) if (100..200).contains(&s) => {
            res(bad(level), format!("{s} sent to an HTTP/1.0 client"), &c)
        }
        (_, Ok(r)) if !r.interim.is_empty() => res(
            bad(level),
            format!("{:?} sent to an HTTP/1.0 client", r.interim),
            &c,
        ),
        (_, Ok(r)) => res(Verdict::Pass, format!("no 1xx; {}", r.status), &c),
        (_, Err(e)) => res(bad(level), e, &c),
    }
}

fn cont_chunked(ctx: &Ctx, level: Level) -> R {
    if !ctx.caps.continue_100 || !ctx.caps.chunked_requests {
        return skip("no 100-continue or no chunked request bodies");
    }
    let head =
        b"POST / HTTP/1.1\r\nHost: localhost\r\nExpect: 100-continue\r\nTransfer-Encoding: chunked\r\n\r\n";
    let (c, early, r) = expect_exchange(ctx, head, b"5\r\nhello\r\n0\r\n\r\n")?;
    match (early, r) {
        (Some(_), Ok(r)) => res(Verdict::Pass, format!("interim then {}", r.status), &c),
        (None, Ok(_)) => res(bad(level), "no 100 for a chunked body", &c),
        (_, Err(e)) => res(bad(level), e, &c),
    }
}

fn cont_body_unasked(ctx: &Ctx, level: Level) -> R {
    let mut c = ctx.t.connect().map_err(|e| e.to_string())?;
    let mut b = expect_head("/", "1.1", "100-continue");
    b.extend_from_slice(b"hello");
    b.extend_from_slice(&get(MISSING, "1.1", ""));
    c.write(&b);
    let r1 = read(&mut c, &ctx.t, false);
    let r2 = read(&mut c, &ctx.t, false);
    match (r1, r2) {
        (Ok(a), Ok(b)) if b.status == ctx.caps.missing_status && b.interim.is_empty() => res(
            Verdict::Pass,
            format!("{} then {} in order", a.status, b.status),
            &c,
        ),
        (Ok(_), Ok(b)) => res(
            bad(level),
            format!("second response {} (interim {:?})", b.status, b.interim),
            &c,
        ),
        (Ok(_), Err(_)) if c.ended() => res(Verdict::Pass, "closed after the first response", &c),
        (Ok(_), Err(e)) | (Err(e), _) => res(bad(level), e, &c),
    }
}

fn cont_early_final(ctx: &Ctx, level: Level) -> R {
    let mut c = ctx.t.connect().map_err(|e| e.to_string())?;
    c.write(&expect_head(MISSING, "1.1", "100-continue"));
    let early = interim(&mut c, ctx.t.ms(1500)).unwrap_or(None);
    // The client sends the body whatever came (as clients do after a timeout), then a request.
    let mut b = b"hello".to_vec();
    b.extend_from_slice(&get("/", "1.1", ""));
    c.write(&b);
    let r1 = read(&mut c, &ctx.t, false);
    let r2 = read(&mut c, &ctx.t, false);
    match (r1, r2) {
        (Ok(a), Ok(b)) if b.status == ctx.caps.root_status => res(
            Verdict::Pass,
            format!(
                "{:?}/{} then {}: body discarded, in sync",
                early, a.status, b.status
            ),
            &c,
        ),
        (Ok(_), Ok(b)) => res(
            bad(level),
            format!("the body was read as a request: {}", b.status),
            &c,
        ),
        (Ok(a), Err(_)) if c.ended() => res(Verdict::Pass, format!("{} then closed", a.status), &c),
        (Ok(_), Err(e)) | (Err(e), _) => res(bad(level), e, &c),
    }
}

fn cont_no_body(ctx: &Ctx, level: Level) -> R {
    let mut c = ctx.t.connect().map_err(|e| e.to_string())?;
    c.write(&get("/", "1.1", "Expect: 100-continue\r\n"));
    match read(&mut c, &ctx.t, false) {
        Ok(r) => res(
            Verdict::Pass,
            format!("{} (interim {:?})", r.status, r.interim),
            &c,
        ),
        Err(e) => res(bad(level), e, &c),
    }
}

// ---- lingering close and half-close -------------------------------------------------------------

/// Writes `head` and then `body_len` filler bytes from another thread while reading the response.
fn flood(ctx: &Ctx, level: Level, head: &[u8], body_len: usize) -> R {
    let mut c = ctx.t.connect().map_err(|e| e.to_string())?;
    let mut w = c_clone(&c)?;
    let mut data = head.to_vec();
    data.extend(std::iter::repeat_n(b'x', body_len));
    c.sent.extend_from_slice(&data[..head.len().min(data.len())]);
    thread::spawn(move || {
        for piece in data.chunks(16 * 1024) {
            if w.write_all(piece).is_err() {
                break;
            }
        }
    });
    match c.response(false, ctx.t.ms(5000)) {
        Ok(r) => res(Verdict::Pass, format!("{} received whole", r.status), &c),
        Err(ReadEnd::Reset) => res(
            bad(level),
            "reset before the response could be read: no lingering close",
            &c,
        ),
        Err(e) => res(bad(level), end_text(&e), &c),
    }
}

fn linger_early_404(ctx: &Ctx, level: Level) -> R {
    let n = 4 << 20;
    flood(
        ctx,
        level,
        format!("POST {MISSING} HTTP/1.1\r\nHost: localhost\r\nContent-Length: {n}\r\n\r\n").as_bytes(),
        n,
    )
}
fn linger_after_400(ctx: &Ctx, level: Level) -> R {
    flood(
        ctx,
        level,
        b"GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: +5\r\n\r\n",
        1 << 20,
    )
}
fn linger_after_close(ctx: &Ctx, level: Level) -> R {
    flood(ctx, level, &get("/", "1.1", "Connection: close\r\n"), 1 << 20)
}
fn linger_after_431(ctx: &Ctx, level: Level) -> R {
    let mut h = b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: ".to_vec();
    h.extend(std::iter::repeat_n(b'a', 256 * 1024));
    h.extend_from_slice(b"\r\n\r\n");
    flood(ctx, level, &h, 512 * 1024)
}
fn linger_unread_body(ctx: &Ctx, level: Level) -> R {
    let n = 2 << 20;
    flood(
        ctx,
        level,
        format!("GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: {n}\r\n\r\n").as_bytes(),
        n,
    )
}

fn half(ctx: &Ctx, level: Level, bytes: &[u8], responses: usize) -> R {
    let mut c = ctx.t.connect().map_err(|e| e.to_string())?;
    c.write(bytes);
    c.shutdown_write();
    for i in 0..responses {
        if let Err(e) = read(&mut c, &ctx.t, false) {
            return res(
                bad(level),
                format!("response {} after the half-close: {e}", i + 1),
                &c,
            );
        }
    }
    res(
        Verdict::Pass,
        format!("{responses} response(s) after the half-close"),
        &c,
    )
}

fn half_get(ctx: &Ctx, l: Level) -> R {
    half(ctx, l, &get("/", "1.1", ""), 1)
}
fn half_post(ctx: &Ctx, l: Level) -> R {
    half(ctx, l, &post("/", "", "hello"), 1)
}
fn half_pipe(ctx: &Ctx, l: Level) -> R {
    if !ctx.caps.pipelining {
        return skip("no pipelining");
    }
    let mut b = get("/", "1.1", "");
    b.extend_from_slice(&get(MISSING, "1.1", ""));
    half(ctx, l, &b, 2)
}
fn half_10(ctx: &Ctx, l: Level) -> R {
    half(ctx, l, &get("/", "1.0", ""), 1)
}

/// Sends an incomplete request, half-closes, and expects the connection to end without a 2xx.
fn half_incomplete(ctx: &Ctx, level: Level, bytes: &[u8]) -> R {
    let mut c = ctx.t.connect().map_err(|e| e.to_string())?;
    c.write(bytes);
    c.shutdown_write();
    match c.response(false, ctx.t.ms(3000)) {
        Ok(r) if (200..300).contains(&r.status) => res(
            bad(level),
            format!("answered {} to an incomplete request", r.status),
            &c,
        ),
        Ok(r) => match c.wait_end(ctx.t.ms(3000)) {
            Some(_) => res(Verdict::Pass, format!("{} then closed", r.status), &c),
            None => res(
                bad(level),
                format!("{} and the connection stays open after EOF", r.status),
                &c,
            ),
        },
        Err(ReadEnd::Closed | ReadEnd::Reset) => res(Verdict::Pass, "closed", &c),
        Err(ReadEnd::Timeout) => res(bad(level), "still open 3 s after the client's EOF", &c),
        Err(e) => res(bad(level), end_text(&e), &c),
    }
}
fn half_partial_head(ctx: &Ctx, l: Level) -> R {
    half_incomplete(ctx, l, b"GET / HTTP/1.1\r\nHost: loc")
}
fn half_partial_body(ctx: &Ctx, l: Level) -> R {
    half_incomplete(
        ctx,
        l,
        b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 10\r\n\r\nhello",
    )
}
fn half_partial_chunked(ctx: &Ctx, l: Level) -> R {
    half_incomplete(
        ctx,
        l,
        b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n",
    )
}

// ---- timeouts -----------------------------------------------------------------------------------

/// Opens a connection, serves one request, then measures how long the idle connection lives.
fn idle(ctx: &Ctx, req: &[u8]) -> Result<Idle, String> {
    let mut c = ctx.t.connect().map_err(|e| e.to_string())?;
    c.write(req);
    let r = read(&mut c, &ctx.t, false)?;
    let end = c.wait_end(ctx.cap());
    Ok((c, r, end))
}

fn idle_closes(ctx: &Ctx, level: Level) -> R {
    if !ctx.caps.keep_alive {
        return skip("no keep-alive");
    }
    let (c, _, end) = idle(ctx, &get("/", "1.1", ""))?;
    match end {
        Some((d, _)) => res(
            Verdict::Pass,
            format!("idle connection closed after {:.1} s", d.as_secs_f64()),
            &c,
        ),
        None => res(
            bad(level),
            format!(
                "idle connection still open after {:.0} s",
                ctx.cap().as_secs_f64()
            ),
            &c,
        ),
    }
}

fn idle_matches_advertised(ctx: &Ctx, level: Level, early: bool) -> R {
    let Some(t) = ctx.caps.ka_timeout else {
        return skip("no Keep-Alive: timeout advertised");
    };
    if !ctx.caps.keep_alive_10 {
        return skip("no HTTP/1.0 keep-alive");
    }
    let advertised = Duration::from_secs(t);
    if advertised > ctx.cap() {
        return skip(format!("advertised timeout {t} s is beyond this run's wait"));
    }
    let (c, _, end) = idle(ctx, &get("/", "1.0", "Connection: keep-alive\r\n"))?;
    let tol = ctx.tolerance(t);
    match end {
        Some((d, _)) if early && d + tol < advertised => res(
            bad(level),
            format!(
                "closed after {:.2} s, before the advertised {t} s",
                d.as_secs_f64()
            ),
            &c,
        ),
        Some((d, _)) if !early && d > advertised + tol => res(
            bad(level),
            format!(
                "closed after {:.2} s, later than the advertised {t} s",
                d.as_secs_f64()
            ),
            &c,
        ),
        Some((d, _)) => res(
            Verdict::Pass,
            format!("closed after {:.2} s (advertised {t} s)", d.as_secs_f64()),
            &c,
        ),
        None if early => res(Verdict::Pass, "not closed early", &c),
        None => res(
            bad(level),
            format!(
                "still open after {:.0} s (advertised {t} s)",
                ctx.cap().as_secs_f64()
            ),
            &c,
        ),
    }
}
fn idle_not_early(ctx: &Ctx, l: Level) -> R {
    idle_matches_advertised(ctx, l, true)
}
fn idle_not_late(ctx: &Ctx, l: Level) -> R {
    idle_matches_advertised(ctx, l, false)
}

fn idle_restarts(ctx: &Ctx, level: Level) -> R {
    let Some(t) = ctx.caps.ka_timeout.filter(|&t| t >= 1) else {
        return skip("no Keep-Alive: timeout advertised");
    };
    if !ctx.caps.keep_alive_10 {
        return skip("no HTTP/1.0 keep-alive");
    }
    let period = Duration::from_secs(t);
    if period * 2 > ctx.cap() {
        return skip("advertised timeout too long for this run");
    }
    let mut c = ctx.t.connect().map_err(|e| e.to_string())?;
    let req = get("/", "1.0", "Connection: keep-alive\r\n");
    // Three requests each 0.6 T apart: 1.2 T from the first, the connection must still serve.
    for i in 0..3 {
        c.write(&req);
        if let Err(e) = read(&mut c, &ctx.t, false) {
            return res(
                bad(level),
                format!("request {} at {:.1} T: {e}", i + 1, i as f64 * 0.6),
                &c,
            );
        }
        if i < 2 {
            thread::sleep(period.mul_f64(0.6));
        }
    }
    res(Verdict::Pass, "the idle timer restarted after each response", &c)
}

fn idle_graceful(ctx: &Ctx, level: Level) -> R {
    if !ctx.caps.keep_alive {
        return skip("no keep-alive");
    }
    let (c, _, end) = idle(ctx, &get("/", "1.1", ""))?;
    match end {
        Some((_, AfterState::Reset)) => res(bad(level), "idle connection reset instead of closed", &c),
        Some((d, _)) => {
            let extra = &c.received[c.received.len().min(received_len_first(&c))..];
            if extra.is_empty() {
                res(
                    Verdict::Pass,
                    format!("silent FIN after {:.1} s", d.as_secs_f64()),
                    &c,
                )
            } else if extra.starts_with(b"HTTP/1.1 408") {
                res(Verdict::Pass, "408 then FIN (RFC 9110 §15.5.9 allows it)", &c)
            } else {
                res(
                    bad(level),
                    format!(
                        "unsolicited bytes on an idle connection: {}",
                        escape_short(extra, 60)
                    ),
                    &c,
                )
            }
        }
        None => skip("idle connection never closed"),
    }
}

fn received_len_first(c: &Conn) -> usize {
    // The first response's head and body are everything before the idle period.
    crate::wire::find(&c.received, b"\r\n\r\n").map_or(0, |h| {
        let head = &c.received[..h];
        let cl = String::from_utf8_lossy(head)
            .lines()
            .find_map(|l| {
                l.split_once(':')
                    .filter(|(n, _)| n.eq_ignore_ascii_case("content-length"))
                    .and_then(|(_, v)| v.trim().parse::<usize>().ok())
            })
            .unwrap_or(0);
        h + 4 + cl
    })
}

fn idle_10(ctx: &Ctx, level: Level) -> R {
    if !ctx.caps.keep_alive_10 {
        return skip("no HTTP/1.0 keep-alive");
    }
    let (c, _, end) = idle(ctx, &get("/", "1.0", "Connection: keep-alive\r\n"))?;
    match end {
        Some((d, _)) => res(
            Verdict::Pass,
            format!("closed after {:.1} s", d.as_secs_f64()),
            &c,
        ),
        None => res(bad(level), "idle HTTP/1.0 keep-alive connection never closed", &c),
    }
}

fn idle_survives_1s(ctx: &Ctx, level: Level) -> R {
    if !ctx.caps.keep_alive {
        return skip("no keep-alive");
    }
    if ctx.caps.ka_timeout.is_some_and(|t| t < 2) {
        return skip("advertised timeout under 2 s");
    }
    let mut c = ctx.t.connect().map_err(|e| e.to_string())?;
    c.write(&get("/", "1.1", ""));
    read(&mut c, &ctx.t, false)?;
    thread::sleep(Duration::from_secs(1));
    c.write(&get("/", "1.1", ""));
    match read(&mut c, &ctx.t, false) {
        Ok(_) => res(Verdict::Pass, "served after 1 s idle", &c),
        Err(e) => res(bad(level), format!("after 1 s idle: {e}"), &c),
    }
}

fn ka_consistent(ctx: &Ctx, level: Level) -> R {
    if !ctx.caps.keep_alive_10 || ctx.caps.ka_timeout.is_none() {
        return skip("no HTTP/1.0 keep-alive with Keep-Alive: timeout");
    }
    let mut c = ctx.t.connect().map_err(|e| e.to_string())?;
    let mut seen = Vec::new();
    for _ in 0..3 {
        c.write(&get("/", "1.0", "Connection: keep-alive\r\n"));
        match read(&mut c, &ctx.t, false) {
            Ok(r) => seen.push(r.keep_alive_param("timeout")),
            Err(e) => return res(bad(level), e, &c),
        }
    }
    if seen.windows(2).all(|w| w[0] == w[1]) {
        res(
            Verdict::Pass,
            format!("timeout={:?} on every response", seen[0]),
            &c,
        )
    } else {
        res(bad(level), format!("timeouts {seen:?}"), &c)
    }
}

/// Sends `start`, then feeds `trickle` one piece every `every` until the server ends the
/// connection or the cap passes.
fn cut_off(ctx: &Ctx, level: Level, start: &[u8], trickle: &[u8], every: Duration) -> R {
    let mut c = ctx.t.connect().map_err(|e| e.to_string())?;
    c.write(start);
    let began = Instant::now();
    let mut sent_ok = true;
    while began.elapsed() < ctx.cap() {
        if !trickle.is_empty() && sent_ok {
            sent_ok = c.write(trickle);
        }
        match c.after(every) {
            AfterState::Open => {}
            AfterState::Data => {
                let _ = c.wait_end(ctx.t.ms(2000));
                let status = String::from_utf8_lossy(c.received.get(9..12).unwrap_or_default()).into_owned();
                let v = if status == "408" || status.starts_with('4') {
                    Verdict::Pass
                } else {
                    bad(level)
                };
                return res(
                    v,
                    format!("answered {status} after {:.1} s", began.elapsed().as_secs_f64()),
                    &c,
                );
            }
            AfterState::Closed | AfterState::Reset => {
                return res(
                    Verdict::Pass,
                    format!("cut off after {:.1} s", began.elapsed().as_secs_f64()),
                    &c,
                );
            }
        }
        if !sent_ok {
            return res(
                Verdict::Pass,
                format!(
                    "cut off after {:.1} s (write failed)",
                    began.elapsed().as_secs_f64()
                ),
                &c,
            );
        }
    }
    res(
        bad(level),
        format!("still reading after {:.0} s", ctx.cap().as_secs_f64()),
        &c,
    )
}

fn header_timeout(ctx: &Ctx, l: Level) -> R {
    cut_off(
        ctx,
        l,
        b"GET / HTTP/1.1\r\nHost: loc",
        b"",
        Duration::from_millis(250),
    )
}
fn silent_connection(ctx: &Ctx, l: Level) -> R {
    cut_off(ctx, l, b"", b"", Duration::from_millis(250))
}
fn slowloris_bytes(ctx: &Ctx, l: Level) -> R {
    cut_off(
        ctx,
        l,
        b"GET / HTTP/1.1\r\nHost: localhost\r\nX-A: ",
        b"a",
        Duration::from_millis(200),
    )
}
fn slowloris_lines(ctx: &Ctx, l: Level) -> R {
    cut_off(
        ctx,
        l,
        b"GET / HTTP/1.1\r\nHost: localhost\r\n",
        b"X-Slow: 1\r\n",
        Duration::from_millis(500),
    )
}
fn slowloris_request_line(ctx: &Ctx, l: Level) -> R {
    cut_off(ctx, l, b"GET /", b"a", Duration::from_millis(200))
}
fn body_stall(ctx: &Ctx, l: Level) -> R {
    cut_off(
        ctx,
        l,
        b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 10\r\n\r\nhello",
        b"",
        Duration::from_millis(250),
    )
}
fn chunked_stall(ctx: &Ctx, l: Level) -> R {
    cut_off(
        ctx,
        l,
        b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel",
        b"",
        Duration::from_millis(250),
    )
}
fn body_trickle(ctx: &Ctx, l: Level) -> R {
    cut_off(
        ctx,
        l,
        b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000000\r\n\r\n",
        b"x",
        Duration::from_millis(250),
    )
}
fn idle_then_partial(ctx: &Ctx, l: Level) -> R {
    if !ctx.caps.keep_alive {
        return skip("no keep-alive");
    }
    let mut c = ctx.t.connect().map_err(|e| e.to_string())?;
    c.write(&get("/", "1.1", ""));
    read(&mut c, &ctx.t, false)?;
    c.write(b"GET / HTTP/1.1\r\nHo");
    let began = Instant::now();
    match c.wait_end(ctx.cap()) {
        Some((d, _)) => res(
            Verdict::Pass,
            format!("partial second head cut off after {:.1} s", d.as_secs_f64()),
            &c,
        ),
        None => res(
            bad(l),
            format!(
                "partial second head still open after {:.0} s",
                began.elapsed().as_secs_f64()
            ),
            &c,
        ),
    }
}

fn slow_but_steady_head(ctx: &Ctx, level: Level) -> R {
    let mut c = ctx.t.connect().map_err(|e| e.to_string())?;
    let req = get("/", "1.1", "Connection: close\r\n");
    let (a, b) = req.split_at(10);
    c.write(a);
    thread::sleep(Duration::from_millis(700));
    c.write(b);
    match read(&mut c, &ctx.t, false) {
        Ok(r) => res(
            Verdict::Pass,
            format!("{} for a head sent in two halves 0.7 s apart", r.status),
            &c,
        ),
        Err(e) => res(bad(level), e, &c),
    }
}

fn slow_but_steady_body(ctx: &Ctx, level: Level) -> R {
    let mut c = ctx.t.connect().map_err(|e| e.to_string())?;
    c.write(b"POST / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Length: 10\r\n\r\nhello");
    thread::sleep(Duration::from_millis(700));
    c.write(b"world");
    match read(&mut c, &ctx.t, false) {
        Ok(r) if !is_rejection(r.status) => res(Verdict::Pass, format!("{}", r.status), &c),
        Ok(r) => res(
            bad(level),
            format!("refused a body sent in two halves: {}", r.status),
            &c,
        ),
        Err(e) => res(bad(level), e, &c),
    }
}

// ---- requests per connection ---------------------------------------------------------------------

fn max_counts_down(ctx: &Ctx, level: Level) -> R {
    let Some(max) = ctx.caps.ka_max else {
        return skip("no Keep-Alive: max advertised");
    };
    let mut c = ctx.t.connect().map_err(|e| e.to_string())?;
    let mut seen = Vec::new();
    for _ in 0..3.min(max + 1) {
        c.write(&get("/", "1.0", "Connection: keep-alive\r\n"));
        match read(&mut c, &ctx.t, false) {
            Ok(r) => seen.push(r.keep_alive_param("max")),
            Err(e) => return res(bad(level), e, &c),
        }
    }
    let ok = seen
        .windows(2)
        .all(|w| matches!((w[0], w[1]), (Some(a), Some(b)) if b + 1 == a));
    if ok {
        res(Verdict::Pass, format!("max= {seen:?}"), &c)
    } else {
        res(
            bad(level),
            format!("max= {seen:?} does not count down by one"),
            &c,
        )
    }
}

/// Sends requests one after another until the connection closes; returns how many were served
/// and whether the last announced the close.
fn serve_until_close(ctx: &Ctx, c: &mut Conn, limit: u64, req: &[u8]) -> Result<(u64, bool), String> {
    for i in 1..=limit {
        c.write(req);
        let r = read(c, &ctx.t, false).map_err(|e| format!("request {i}: {e}"))?;
        if r.closes() {
            return Ok((i, true));
        }
        if c.after(Duration::from_millis(5)) != AfterState::Open {
            return Ok((i, false));
        }
    }
    Ok((limit, false))
}

fn max_closes(ctx: &Ctx, level: Level) -> R {
    let Some(max) = ctx.caps.ka_max.filter(|&m| m <= 500) else {
        return skip("no Keep-Alive: max (at most 500) advertised");
    };
    let mut c = ctx.t.connect().map_err(|e| e.to_string())?;
    let (n, _) = match serve_until_close(
        ctx,
        &mut c,
        max + 1,
        &get("/", "1.0", "Connection: keep-alive\r\n"),
    ) {
        Ok(x) => x,
        Err(e) => return res(bad(level), e, &c),
    };
    // max= on the first response counts either the requests left after it (Apache, h1conn) or
    // those left including it.
    if n == max || n == max + 1 {
        res(
            Verdict::Pass,
            format!("closed after {n} requests (first response said max={max})"),
            &c,
        )
    } else {
        res(
            bad(level),
            format!("closed after {n} requests; the first response said max={max}"),
            &c,
        )
    }
}

fn max_last_announces(ctx: &Ctx, level: Level) -> R {
    let Some(max) = ctx.caps.ka_max.filter(|&m| m <= 500) else {
        return skip("no Keep-Alive: max (at most 500) advertised");
    };
    let mut c = ctx.t.connect().map_err(|e| e.to_string())?;
    match serve_until_close(ctx, &mut c, max + 1, &get("/", "1.1", "")) {
        Ok((n, true)) => res(
            Verdict::Pass,
            format!("response {n} carried Connection: close"),
            &c,
        ),
        Ok((n, false)) if n > max => skip("HTTP/1.1 connections are not limited"),
        Ok((n, false)) => res(
            bad(level),
            format!("closed after {n} without Connection: close"),
            &c,
        ),
        Err(e) => res(bad(level), e, &c),
    }
}

fn max_pipelined(ctx: &Ctx, level: Level) -> R {
    let Some(max) = ctx.caps.ka_max.filter(|&m| m <= 200) else {
        return skip("no Keep-Alive: max (at most 200) advertised");
    };
    if !ctx.caps.pipelining {
        return skip("no pipelining");
    }
    let mut c = ctx.t.connect().map_err(|e| e.to_string())?;
    let req = get("/", "1.0", "Connection: keep-alive\r\n");
    let all: Vec<u8> = (0..max + 3).flat_map(|_| req.clone()).collect();
    let mut w = c_clone(&c)?;
    thread::spawn(move || {
        let _ = w.write_all(&all);
    });
    let mut n = 0;
    while c.response(false, ctx.t.ms(3000)).is_ok() {
        n += 1;
    }
    if (n == max || n == max + 1) && c.ended() {
        res(
            Verdict::Pass,
            format!("{n} of {} pipelined answered, then closed", max + 3),
            &c,
        )
    } else {
        res(
            bad(level),
            format!("{n} of {} pipelined answered; max={max}", max + 3),
            &c,
        )
    }
}

/// Every timing and state check, in report order.
#[rustfmt::skip]
pub static DYNS: &[Dyn] = &[
    d("PERS-001", "RFC 9112 §9.3", Should, Medium, "HTTP/1.1 persists by default", p00),
    d("PERS-002", "RFC 9112 §9.6", Must, High, "Connection: close closes, later request unanswered", p01),
    d("PERS-003", "RFC 9112 §9.6", Must, High, "Connection: CLOSE (upper case)", p02),
    d("PERS-004", "RFC 9112 §9.6", Must, High, "Connection: Close (mixed case)", p03),
    d("PERS-005", "RFC 9112 §9.3", Must, High, "close last in the list", p04),
    d("PERS-006", "RFC 9112 §9.3", Must, High, "close first in the list", p05),
    d("PERS-007", "RFC 9112 §9.3", Must, High, "close in the middle of the list", p06),
    d("PERS-008", "RFC 9112 §9.3", Must, High, "close in a second Connection line", p07),
    d("PERS-009", "RFC 9112 §9.3", Must, High, "close with whitespace around it", p08),
    d("PERS-010", "RFC 9112 §9.3", Should, Medium, "closed is not close", p09),
    d("PERS-011", "RFC 9112 §9.3", Must, High, "HTTP/1.0 without keep-alive closes", p10),
    d("PERS-012", "RFC 9112 §C.2.2", May, Medium, "HTTP/1.0 keep-alive persists and is echoed", p11),
    d("PERS-013", "RFC 9112 §C.2.2", May, Medium, "HTTP/1.0 KEEP-ALIVE in upper case", p12),
    d("PERS-014", "RFC 9112 §9.3", Must, High, "HTTP/1.0 keep-alive, close closes", p13),
    d("PERS-015", "RFC 9112 §9.3", Should, Medium, "HTTP/1.1 explicit keep-alive persists", p14),
    d("PERS-016", "RFC 9112 §9.3", Should, Medium, "unknown Connection option persists", p15),
    d("PERS-017", "RFC 9110 §5.6.1", Must, High, "close among empty list members", p16),
    d("PERS-018", "RFC 9112 §9.3", Must, High, "close after an upgrade option line", p17),
    d("PERS-019", "RFC 9110 §6.2", Should, Medium, "HTTP/1.2 persists as HTTP/1.1", p18),
    d("PERS-020", "RFC 9112 §C.2.2", May, Medium, "HTTP/1.0 keep-alive second in the list", p19),
    d("PERS-021", "RFC 9112 §6.1", Must, High, "no chunked response to HTTP/1.0", no_chunked_to_10),
    d("PERS-022", "RFC 9112 §6.2", Must, High, "chunked response well framed, connection reusable", chunked_response_persists),
    d("PERS-023", "RFC 9112 §9.3", Must, High, "a closing response says Connection: close", close_header_when_closing),
    d("PERS-024", "RFC 9112 §9.6", Should, Medium, "an error that closes says Connection: close", error_response_closes),
    d("PERS-025", "RFC 9112 §6.3", Must, Critical, "HEAD response has no body", head_no_body),
    d("PERS-026", "RFC 9112 §C.2.2", Should, Low, "no Keep-Alive header on a closing response", keep_alive_header_only_when_persisting),
    d("PERS-027", "RFC 9110 §6.6.1", Must, Low, "Date on a 200 response", date_header),
    d("PERS-028", "RFC 9110 §6.2", Should, Low, "HTTP/1.1 answered as HTTP/1.1", status_line_shape),
    d("PERS-029", "RFC 9112 §9.3", Should, Medium, "a 404 keeps the connection", persists_after_404),
    d("PERS-030", "RFC 9112 §C.2.2", May, Medium, "HTTP/1.0 keep-alive POST keeps the connection", post_10_keep_alive),
    d("PIPE-001", "RFC 9112 §9.3.2", Must, High, "two pipelined requests answered in order", pipe2),
    d("PIPE-002", "RFC 9112 §9.3.2", Must, High, "ten pipelined requests in order", pipe10),
    d("PIPE-003", "RFC 9112 §9.3.2", Must, High, "fifty pipelined requests in order", pipe50),
    d("PIPE-004", "RFC 9112 §9.3.2", Must, Critical, "pipelined POSTs with bodies", pipe_post),
    d("PIPE-005", "RFC 9112 §9.3.2", Must, Critical, "pipelined chunked POSTs", pipe_chunked),
    d("PIPE-006", "RFC 9112 §9.3.2", Must, Critical, "pipelined HEADs", pipe_head),
    d("PIPE-007", "RFC 9112 §9.3.2", Must, High, "a pipeline sent one byte at a time", pipe_bytes),
    d("PIPE-008", "RFC 9112 §9.6", Must, High, "close in the middle of a pipeline ends it", pipe_close_mid),
    d("PIPE-009", "RFC 9112 §9.3.2", Must, Critical, "a bad request in a pipeline ends it", pipe_bad_mid),
    d("PIPE-010", "RFC 9112 §9.3.2", May, Medium, "HTTP/1.0 keep-alive pipeline", pipe_10),
    d("PIPE-011", "RFC 9112 §9.3.2", Must, High, "a hundred pipelined requests written before reading", pipe100),
    d("PIPE-012", "RFC 9112 §9.3.2", Must, Critical, "mixed HEAD, POST and GET pipeline", pipe_mixed),
    d("CONT-001", "RFC 9110 §10.1.1", Should, Medium, "100 Continue or a final status before the body", cont_before_body),
    d("CONT-002", "RFC 9110 §10.1.1", Must, Medium, "100-Continue in another case", cont_case),
    d("CONT-003", "RFC 9110 §15.2", Must, High, "never a 1xx to HTTP/1.0", cont_never_10),
    d("CONT-004", "RFC 9110 §10.1.1", Should, Medium, "100-continue with a chunked body", cont_chunked),
    d("CONT-005", "RFC 9110 §10.1.1", Must, Critical, "body sent without waiting: stays in sync", cont_body_unasked),
    d("CONT-006", "RFC 9110 §10.1.1", Must, Critical, "early final status, body sent anyway: in sync or closed", cont_early_final),
    d("CONT-007", "RFC 9110 §10.1.1", Must, Medium, "100-continue without a body is answered", cont_no_body),
    d("LING-001", "RFC 9112 §9.6", Should, High, "404 to a 4 MiB upload survives the unread body", linger_early_404),
    d("LING-002", "RFC 9112 §9.6", Should, High, "400 survives 1 MiB sent after it", linger_after_400),
    d("LING-003", "RFC 9112 §9.6", Should, High, "Connection: close response survives 1 MiB after it", linger_after_close),
    d("LING-004", "RFC 9112 §9.6", Should, High, "refusal of a 256 KiB field survives more input", linger_after_431),
    d("LING-005", "RFC 9112 §9.6", Should, High, "GET with an unread 2 MiB body", linger_unread_body),
    d("HALF-001", "RFC 9112 §9.6", Should, Medium, "GET then half-close: response arrives", half_get),
    d("HALF-002", "RFC 9112 §9.6", Should, Medium, "POST then half-close: response arrives", half_post),
    d("HALF-003", "RFC 9112 §9.6", Should, Medium, "two pipelined then half-close: both answered", half_pipe),
    d("HALF-004", "RFC 9112 §9.6", Should, Medium, "HTTP/1.0 GET then half-close", half_10),
    d("HALF-005", "RFC 9112 §8", Should, High, "partial head then EOF: closed", half_partial_head),
    d("HALF-006", "RFC 9112 §8", Must, High, "partial body then EOF: no 2xx, closed", half_partial_body),
    d("HALF-007", "RFC 9112 §8", Must, High, "chunked body without last chunk then EOF", half_partial_chunked),
    d("TIME-001", "RFC 9112 §9.5", Should, High, "an idle keep-alive connection is closed", idle_closes),
    d("TIME-002", "RFC 9112 §9.5", Should, Medium, "idle close not before the advertised timeout", idle_not_early),
    d("TIME-003", "RFC 9112 §9.5", Should, Medium, "idle close not long after the advertised timeout", idle_not_late),
    d("TIME-004", "RFC 9112 §9.5", Should, Medium, "the idle timer restarts after each response", idle_restarts),
    d("TIME-005", "RFC 9112 §9.5", Should, Medium, "idle close is graceful (FIN, no stray bytes)", idle_graceful),
    d("TIME-006", "RFC 9112 §9.5", Should, High, "an idle HTTP/1.0 keep-alive connection is closed", idle_10),
    d("TIME-007", "RFC 9112 §9.5", Should, Medium, "one second idle does not close", idle_survives_1s),
    d("TIME-008", "RFC 9112 §C.2.2", Should, Low, "Keep-Alive: timeout is the same on each response", ka_consistent),
    d("TIME-009", "RFC 9112 §9.5", Should, High, "a partial head then silence is cut off", header_timeout),
    d("TIME-010", "RFC 9112 §9.5", Should, High, "a silent new connection is closed", silent_connection),
    d("TIME-011", "RFC 9112 §9.5", Should, High, "slowloris: a value trickled a byte at a time", slowloris_bytes),
    d("TIME-012", "RFC 9112 §9.5", Should, High, "slowloris: endless field lines", slowloris_lines),
    d("TIME-013", "RFC 9112 §9.5", Should, High, "slowloris: endless request line", slowloris_request_line),
    d("TIME-014", "RFC 9112 §8", Should, High, "a stalled Content-Length body is cut off", body_stall),
    d("TIME-015", "RFC 9112 §8", Should, High, "a stalled chunk is cut off", chunked_stall),
    d("TIME-016", "RFC 9112 §9.5", May, Medium, "a body trickled at 4 B/s is cut off (minimum rate)", body_trickle),
    d("TIME-017", "RFC 9112 §9.5", Should, High, "a partial second head after a response is cut off", idle_then_partial),
    d("TIME-018", "RFC 9112 §9.5", Should, Medium, "a head in two halves 0.7 s apart is served", slow_but_steady_head),
    d("TIME-019", "RFC 9112 §9.5", Should, Medium, "a body in two halves 0.7 s apart is served", slow_but_steady_body),
    d("MAX-001", "RFC 9112 §C.2.2", Should, Low, "Keep-Alive: max counts down", max_counts_down),
    d("MAX-002", "RFC 9112 §C.2.2", Should, Medium, "the connection closes after max requests", max_closes),
    d("MAX-003", "RFC 9112 §9.6", Must, Medium, "the last allowed response says Connection: close", max_last_announces),
    d("MAX-004", "RFC 9112 §9.6", Must, High, "pipelined beyond max: exactly max answered", max_pipelined),
    d("DRAIN-001", "RFC 9112 §9.6", Should, High, "drain: the request in flight is answered with Connection: close", crate::drain::needs_cmd),
    d("DRAIN-002", "RFC 9112 §9.6", Must, Medium, "drain: its connection closes after that response", crate::drain::needs_cmd),
    d("DRAIN-003", "RFC 9112 §9.5", Should, Medium, "drain: an idle keep-alive connection is closed at once", crate::drain::needs_cmd),
    d("DRAIN-004", "RFC 9112 §9.6", Should, Medium, "drain: no new request is served and kept", crate::drain::needs_cmd),
];
