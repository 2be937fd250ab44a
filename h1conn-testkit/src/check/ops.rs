//! The `connection_ops` checker: arbitrary operation sequences on one connection, with the
//! response invariants checked on everything it transmits.

use core::time::Duration;

use arbitrary::Arbitrary;
use h1conn::gen::{HostileRequest, ValidRequest};
use h1conn::{CloseHow, CloseReason, Config, KeepAliveHeader, Method, Profile, Request, Response, Version};

use super::event_order;
use crate::driver::{Answer, Driver, Out};
use crate::wire::{self, WireResponse};

/// The configuration of a `connection_ops` run, kept small so limits are reached.
#[derive(Debug, Clone, Arbitrary)]
pub struct ConfigSpec {
    /// `KeepAlive::max_requests` (0..=7; 0 is unlimited).
    pub max_requests: u8,
    /// Send `Keep-Alive: timeout, max` on every persistent response.
    pub keep_alive_header_always: bool,
    /// Keep-alive switched off.
    pub keep_alive_off: bool,
    /// `Config::max_pipelined` (1..=4).
    pub max_pipelined: u8,
    /// `Config::discard_budget` in bytes (0..=255).
    pub discard_budget: u8,
    /// `Config::output_high_water`: 16 bytes per unit, 0 keeping the default (64 KiB).
    pub output_high_water: u8,
    /// Bit 0: `release_idle_memory` off; bit 1: `release_idle_after` zero (memory released as
    /// soon as the connection is idle); bit 2: `Timeouts::send_min_rate` off (the stall timer
    /// alone).
    pub switches: u8,
    /// `KeepAlive::max_lifetime` in seconds, 0 for none (the default).
    pub max_lifetime: u8,
    /// The relaxations of `Profile::lenient()` turned on, one bit each in the order of its
    /// fields (0: the strict profile).
    pub relaxations: u16,
}

impl ConfigSpec {
    /// The configuration this describes.
    pub fn config(&self) -> Config {
        let mut c = Config::default();
        c.keep_alive.max_requests = u32::from(self.max_requests % 8);
        c.keep_alive.header = if self.keep_alive_header_always {
            KeepAliveHeader::Always
        } else {
            KeepAliveHeader::Http10Only
        };
        c.keep_alive.enabled = !self.keep_alive_off;
        c.max_pipelined = usize::from(self.max_pipelined % 4) + 1;
        c.discard_budget = u64::from(self.discard_budget);
        if self.output_high_water != 0 {
            c.output_high_water = usize::from(self.output_high_water) * 16;
        }
        c.release_idle_memory = self.switches & 1 == 0;
        if self.switches & 2 != 0 {
            c.release_idle_after = Duration::ZERO;
        }
        if self.switches & 4 != 0 {
            c.timeouts.send_min_rate = 0;
        }
        let on = |bit: u16| self.relaxations & (1 << bit) != 0;
        c.profile = Profile {
            allow_lf_line_endings: on(0),
            replace_bare_cr: on(1),
            allow_obs_fold: on(2),
            allow_ctl_in_values: on(3),
            collapse_identical_content_length: on(4),
            allow_content_length_with_transfer_encoding: on(5),
            allow_transfer_encoding_in_http10: on(6),
            allow_obs_text_in_target: on(7),
            allow_unencoded_ascii_in_target: on(8),
            allow_malformed_chunk_extensions: on(9),
        };
        if self.max_lifetime != 0 {
            c.keep_alive.max_lifetime = Some(Duration::from_secs(u64::from(self.max_lifetime)));
        }
        c
    }
}

/// What to feed the connection.
#[derive(Debug, Clone, Arbitrary)]
pub enum Input {
    /// A valid request.
    Valid(ValidRequest),
    /// A hostile request.
    Hostile(HostileRequest),
    /// Raw bytes.
    Raw(Vec<u8>),
}

impl Input {
    fn to_bytes(&self) -> Vec<u8> {
        match self {
            Input::Valid(r) => r.to_bytes(),
            Input::Hostile(r) => r.to_bytes(),
            Input::Raw(b) => b.clone(),
        }
    }
}

/// The status of a response the application sends.
#[derive(Debug, Clone, Copy, Arbitrary)]
pub enum StatusPick {
    /// 200
    Ok,
    /// 204
    NoContent,
    /// 304
    NotModified,
    /// 404
    NotFound,
    /// 103 Early Hints (interim)
    EarlyHints,
    /// 100 Continue
    Continue,
    /// 101 Switching Protocols
    Switch,
    /// 500
    ServerError,
    /// Any code 100..=999.
    Other(u16),
}

impl StatusPick {
    fn code(self) -> u16 {
        match self {
            StatusPick::Ok => 200,
            StatusPick::NoContent => 204,
            StatusPick::NotModified => 304,
            StatusPick::NotFound => 404,
            StatusPick::EarlyHints => 103,
            StatusPick::Continue => 100,
            StatusPick::Switch => 101,
            StatusPick::ServerError => 500,
            StatusPick::Other(c) => 100 + c % 900,
        }
    }
}

/// One operation of the `connection_ops` target.
#[derive(Debug, Clone, Arbitrary)]
pub enum Op {
    /// Feed these bytes (as much as the connection takes; the rest waits for the next `Feed`).
    Feed(Input),
    /// Move the clock forward by this many milliseconds × 16 (up to ~17 min) and call
    /// `handle_timeout` once.
    Tick(u16),
    /// Start a response with this status and an optional known length.
    Respond(StatusPick, Option<u8>),
    /// Send this many body bytes.
    Body(u8),
    /// Finish the response.
    Finish,
    /// A whole response at once.
    Full(StatusPick, u8),
    /// Accept the request body (sends 100 Continue when owed).
    AcceptBody,
    /// Write (acknowledge) this share of the pending output (n/255).
    Write(u8),
    /// The peer ended its input.
    Eof,
    /// Graceful shutdown.
    Shutdown,
}

/// The input of the `connection_ops` target.
#[derive(Debug, Clone, Arbitrary)]
pub struct OpsInput {
    /// The configuration.
    pub config: ConfigSpec,
    /// The operations, in order.
    pub ops: Vec<Op>,
}

/// Drives one connection through arbitrary operations and checks the response invariants on
/// everything it transmits:
///
/// * never both Content-Length and Transfer-Encoding; never chunked to HTTP/1.0;
/// * no body bytes after HEAD, 1xx, 204 or 304;
/// * a close-delimited body comes with `Connection: close`, and nothing follows a response that
///   says `close`;
/// * no request is surfaced after a close decision; requests per connection ≤ `max_requests`;
/// * `Keep-Alive: max=N` counts down by one per response;
/// * responses leave in request order (each carries the index of its request);
/// * after a peer error nothing more is parsed; no `100 Continue` to HTTP/1.0;
/// * after `handle_timeout(now)` no deadline lies in the past.
pub fn connection_ops(input: &OpsInput) {
    let cfg = input.config.config();
    let mut d = Driver::new(cfg.clone()).answer(Answer::manual());
    d.stall_output = true;
    let mut pending: Vec<u8> = Vec::new();
    for op in &input.ops {
        // Responses carry the index of the last request surfaced.
        let tag = d.rec.requests.len().saturating_sub(1).to_string();
        let tagged = [("X-Req", tag.as_bytes()), ("Upgrade", &b"h2c"[..])];
        let now = d.now;
        match op {
            Op::Feed(i) => {
                pending.extend_from_slice(&i.to_bytes());
                let took = d.feed(&pending);
                pending.drain(..took);
            }
            Op::Tick(ms) => d.jump(Duration::from_millis(u64::from(*ms) * 16)),
            Op::Respond(s, len) => {
                let code = s.code();
                let hs = if code == 101 { &tagged[..] } else { &tagged[..1] };
                let mut r = Response::new(code).headers(hs);
                r.length = len.map(u64::from);
                let _ = d.conn.send_response(&r, now);
            }
            Op::Body(n) => {
                let _ = d.conn.send_body(&vec![b'b'; usize::from(*n)], now);
            }
            Op::Finish => {
                let _ = d.conn.finish(now);
            }
            Op::Full(s, n) => {
                let r = Response::new(s.code()).headers(&tagged[..1]);
                let _ = d.conn.send_full(&r, &vec![b'f'; usize::from(*n)], now);
            }
            Op::AcceptBody => {
                let before = d.conn.transmit().len();
                let _ = d.conn.accept_body(now);
                if d.rec
                    .requests
                    .last()
                    .is_some_and(|a| a.head.version() == Version::Http10)
                {
                    // RFC 9110 §10.1.1, §15.2: never a 1xx to an HTTP/1.0 client.
                    assert_eq!(d.conn.transmit().len(), before, "100 Continue to HTTP/1.0");
                }
            }
            Op::Write(share) => d.ack(d.conn.transmit().len() * usize::from(*share) / 255),
            Op::Eof => d.conn.handle_eof(now),
            Op::Shutdown => d.conn.shutdown(now),
        }
        d.pump();
        // Drained, it stays drained until the next call (adapters rely on it).
        assert!(
            d.conn.poll_event().is_none(),
            "an event after None without a call"
        );
        if d.conn.is_upgraded() {
            break;
        }
    }
    event_order(&d.rec);
    let apps = &d.rec.requests;
    let max = cfg.keep_alive.max_requests as usize;
    assert!(max == 0 || apps.len() <= max, "more requests than max_requests");
    let reqs = d.rec.outs.iter().filter(|o| matches!(o, Out::Req { .. }));
    for (k, _) in reqs.enumerate().skip(1) {
        assert!(
            !apps[k - 1].head.connection().close,
            "request surfaced after the client asked to close"
        );
    }
    // Output is cut short by an abort (void output: send stall, write failure) or by a response
    // the application cut off (flushed, then closed).
    let aborted = matches!(d.close(), Some(cl) if cl.how == CloseHow::Abort)
        || d.conn.persistence().reasons().contains(CloseReason::Aborted);
    let mut wire = d.rec.wire.clone();
    wire.extend_from_slice(d.conn.transmit());
    // Final responses of the application are matched to their request by the X-Req tag.
    let responses = wire::parse(&wire, &mut |_, r| {
        app_of(r, apps).is_some_and(|(_, a)| {
            let m = a.head.method();
            m == Method::Head || (m == Method::Connect && (200..300).contains(&r.status))
        })
    });
    check_responses(&responses, apps, &cfg, aborted, &wire);
}

/// The request a response answers, by its X-Req tag.
fn app_of<'a>(r: &WireResponse, apps: &'a [Request]) -> Option<(usize, &'a Request)> {
    r.req().and_then(|k| apps.get(k).map(|a| (k, a)))
}

fn check_responses(responses: &[WireResponse], apps: &[Request], cfg: &Config, aborted: bool, wire: &[u8]) {
    let max = cfg.keep_alive.max_requests;
    let mut finals = 0u32;
    let mut last_req: Option<usize> = None;
    let n = responses.len();
    for (i, r) in responses.iter().enumerate() {
        if r.status == 0 {
            // A head cut short: only when the connection aborted.
            assert!(
                aborted,
                "partial response head without an abort: {:?}",
                wire.escape_ascii().to_string()
            );
            continue;
        }
        if r.truncated {
            assert!(aborted || i + 1 == n, "truncated response not at the end");
        }
        let interim = (100..200).contains(&r.status);
        let req = app_of(r, apps);
        let tunnel =
            req.is_some_and(|(_, a)| a.head.method() == Method::Connect && (200..300).contains(&r.status));
        if let Some((k, a)) = req {
            let h = &a.head;
            if h.version() == Version::Http10 {
                assert!(r.header("transfer-encoding").is_none(), "chunked to HTTP/1.0");
                assert!(!interim || r.status == 101, "1xx to HTTP/1.0");
            }
            if !interim {
                // Responses leave in request order.
                if let Some(prev) = last_req {
                    assert!(k > prev, "response to request {k} after response to {prev}");
                }
                last_req = Some(k);
                if h.method() == Method::Head {
                    assert!(r.body.is_empty(), "body bytes after a HEAD response");
                }
                // A tunnel (2xx to CONNECT) carries no connection fields (RFC 9110 §9.3.6).
                if h.connection().close && !tunnel {
                    assert!(r.closes(), "client asked to close, response keeps the connection");
                }
                if h.version() == Version::Http10 && !r.closes() && !tunnel {
                    assert!(
                        r.header("connection")
                            .is_some_and(|v| v.eq_ignore_ascii_case(b"keep-alive")),
                        "HTTP/1.0 response that persists without Connection: keep-alive"
                    );
                }
            }
        }
        if interim {
            continue;
        }
        if r.status == 204 || r.status == 304 {
            assert!(r.body.is_empty(), "body bytes after {}", r.status);
        }
        finals += 1;
        if max != 0 && finals >= max && r.status != 101 {
            assert!(
                r.closes() || req.is_some_and(|(_, a)| a.head.method() == Method::Connect),
                "response {finals} of max {max} does not close"
            );
        }
        if let Some(ka) = r.header("keep-alive") {
            let s = std::str::from_utf8(ka).expect("ascii Keep-Alive");
            if let Some(m) = s.split(',').find_map(|p| p.trim().strip_prefix("max=")) {
                let m: u32 = m.parse().expect("max=N");
                assert_eq!(
                    i64::from(m),
                    i64::from(max) - i64::from(finals),
                    "Keep-Alive max does not count down: {s} at response {finals}"
                );
            }
        }
        if r.closes() {
            assert!(i + 1 == n, "a response follows one that said Connection: close");
        }
    }
}
