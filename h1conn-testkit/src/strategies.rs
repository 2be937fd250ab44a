//! proptest strategies for requests and heads, and a driver that runs a connection over a byte
//! stream and records what came out. Shared by the `prop_*` tests; not part of the model itself.

use core::time::Duration;

use h1conn::{BodyFraming, Config, Connection, Event, PeerErrorKind, Response, Version};
use proptest::prelude::*;

// ---- valid requests --------------------------------------------------------------------------------

/// A request body as generated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GenBody {
    /// No framing fields.
    None,
    /// Content-Length and the bytes.
    Length(Vec<u8>),
    /// Chunked: chunks with an optional extension each, then trailers.
    Chunked {
        /// Non-empty chunks and their extensions.
        chunks: Vec<(Vec<u8>, Option<String>)>,
        /// Trailer fields.
        trailers: Vec<(String, Vec<u8>)>,
    },
}

/// A valid request as generated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenRequest {
    /// The method.
    pub method: String,
    /// An origin-form target.
    pub target: String,
    /// 0 or 1.
    pub minor: u8,
    /// The header fields, framing fields included, in wire order.
    pub fields: Vec<(String, Vec<u8>)>,
    /// The body.
    pub body: GenBody,
    /// The client asks to keep the connection (RFC 9112 §9.3).
    pub persist: bool,
}

impl GenRequest {
    /// The head and the framed body.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = format!("{} {} HTTP/1.{}\r\n", self.method, self.target, self.minor).into_bytes();
        for (n, v) in &self.fields {
            out.extend_from_slice(n.as_bytes());
            out.extend_from_slice(b": ");
            out.extend_from_slice(v);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"\r\n");
        match &self.body {
            GenBody::None => {}
            GenBody::Length(b) => out.extend_from_slice(b),
            GenBody::Chunked { chunks, trailers } => {
                for (d, ext) in chunks {
                    out.extend_from_slice(format!("{:X}", d.len()).as_bytes());
                    if let Some(e) = ext {
                        out.extend_from_slice(e.as_bytes());
                    }
                    out.extend_from_slice(b"\r\n");
                    out.extend_from_slice(d);
                    out.extend_from_slice(b"\r\n");
                }
                out.extend_from_slice(b"0\r\n");
                for (n, v) in trailers {
                    out.extend_from_slice(n.as_bytes());
                    out.extend_from_slice(b":");
                    out.extend_from_slice(v);
                    out.extend_from_slice(b"\r\n");
                }
                out.extend_from_slice(b"\r\n");
            }
        }
        out
    }

    /// The decoded body.
    pub fn data(&self) -> Vec<u8> {
        match &self.body {
            GenBody::None => Vec::new(),
            GenBody::Length(b) => b.clone(),
            GenBody::Chunked { chunks, .. } => chunks.iter().flat_map(|(d, _)| d.clone()).collect(),
        }
    }

    /// The trailers sent.
    pub fn trailers(&self) -> Vec<(String, Vec<u8>)> {
        match &self.body {
            GenBody::Chunked { trailers, .. } => trailers.clone(),
            _ => Vec::new(),
        }
    }
}

/// A field name none of the rules looks at.
pub fn plain_name() -> impl Strategy<Value = String> {
    "X-[A-Za-z0-9!#$%&'*+.^_`|~-]{1,12}"
}

/// A field value: VCHAR / obs-text with inner SP and HTAB, nothing at either end.
pub fn plain_value() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(
        prop_oneof![8 => 0x21u8..=0x7e, 1 => Just(b' '), 1 => Just(b'\t'), 1 => 0x80u8..=0xff],
        0..20,
    )
    .prop_map(|mut v| {
        while v.first().is_some_and(|&b| b == b' ' || b == b'\t') {
            v.remove(0);
        }
        while v.last().is_some_and(|&b| b == b' ' || b == b'\t') {
            v.pop();
        }
        v
    })
}

fn body_strategy(minor: u8) -> BoxedStrategy<GenBody> {
    let length = proptest::collection::vec(any::<u8>(), 0..80).prop_map(GenBody::Length);
    if minor == 0 {
        return prop_oneof![Just(GenBody::None), length].boxed();
    }
    let chunk = (
        proptest::collection::vec(any::<u8>(), 1..40),
        proptest::option::of("(;[a-z]{1,5}(=[a-z0-9]{1,5})?){1,2}"),
    );
    let chunked = (
        proptest::collection::vec(chunk, 0..5),
        proptest::collection::vec((plain_name(), plain_value()), 0..3),
    )
        .prop_map(|(chunks, trailers)| GenBody::Chunked { chunks, trailers });
    prop_oneof![Just(GenBody::None), length, chunked].boxed()
}

/// A valid request: HTTP/1.0 or 1.1, a Host where needed, plain fields, Connection options in any
/// case, a body by length or by chunks.
pub fn valid_request() -> impl Strategy<Value = GenRequest> {
    let method = prop_oneof![
        Just("GET".to_string()),
        Just("HEAD".to_string()),
        Just("POST".to_string()),
        Just("PUT".to_string()),
        Just("DELETE".to_string()),
        Just("OPTIONS".to_string()),
        "[A-Z]{3,8}".prop_filter("CONNECT takes authority-form", |m| m != "CONNECT"),
    ];
    let target = "/[a-zA-Z0-9._~!$&'()*+,;=:@/-]{0,16}(\\?[a-z0-9=&]{0,8})?";
    (method, target, prop_oneof![1 => Just(0u8), 3 => Just(1u8)])
        .prop_flat_map(|(method, target, minor)| {
            let conn = prop_oneof![
                3 => Just(None),
                1 => prop_oneof![Just("close"), Just("Close"), Just("CLOSE"), Just("foo, close")].prop_map(Some),
                1 => prop_oneof![Just("keep-alive"), Just("Keep-Alive"), Just("KEEP-ALIVE, foo")].prop_map(Some),
            ];
            (
                Just(method),
                Just(target),
                Just(minor),
                any::<bool>(),
                proptest::collection::vec((plain_name(), plain_value()), 0..4),
                conn,
                body_strategy(minor),
                any::<bool>(),
            )
        })
        .prop_map(|(method, target, minor, host10, extra, conn, body, expect)| {
            let mut fields = Vec::new();
            if minor == 1 || host10 {
                fields.push(("Host".to_string(), b"example.com".to_vec()));
            }
            fields.extend(extra);
            if let Some(c) = conn {
                fields.push(("Connection".to_string(), c.as_bytes().to_vec()));
            }
            match &body {
                GenBody::None => {}
                GenBody::Length(b) => fields.push(("Content-Length".to_string(), b.len().to_string().into_bytes())),
                GenBody::Chunked { .. } => fields.push(("Transfer-Encoding".to_string(), b"chunked".to_vec())),
            }
            if expect && minor == 1 {
                fields.push(("Expect".to_string(), b"100-continue".to_vec()));
            }
            let persist = match conn.map(|c| c.to_ascii_lowercase()) {
                Some(c) if c.contains("close") => false,
                Some(c) if c.contains("keep-alive") => true,
                _ => minor == 1,
            };
            GenRequest {
                method,
                target,
                minor,
                fields,
                body,
                persist,
            }
        })
}

// ---- hostile heads ---------------------------------------------------------------------------------

fn pick(v: &'static [&'static [u8]]) -> impl Strategy<Value = Vec<u8>> {
    proptest::sample::select(v).prop_map(|s| s.to_vec())
}

/// One field line biased to the spellings that matter for framing, Host and persistence.
pub fn hostile_field() -> impl Strategy<Value = Vec<u8>> {
    let cl = (
        pick(&[
            b"Content-Length",
            b"content-length",
            b"CONTENT-LENGTH",
            b"Content-Length ",
        ]),
        pick(&[
            b"0",
            b"3",
            b"007",
            b"+3",
            b"-1",
            b"0x3",
            b"3,3",
            b"3, 3",
            b"3,4",
            b"3,",
            b"",
            b"3 3",
            b"18446744073709551615",
            b"18446744073709551616",
            b"1_0",
        ]),
    );
    let te = (
        pick(&[
            b"Transfer-Encoding",
            b"transfer-encoding",
            b"TRANSFER-ENCODING",
            b"Transfer_Encoding",
        ]),
        pick(&[
            b"chunked",
            b"Chunked",
            b"CHUNKED",
            b"gzip, chunked",
            b"chunked, gzip",
            b"gzip",
            b"chunked, chunked",
            b",chunked",
            b"chunked,",
            b" , chunked",
            b"chunked;a=b",
            b"gzip;q=1, chunked",
            b"",
            b"identity",
            b"x-chunked",
            b"\"chunked\"",
            b"chunked\x0b",
        ]),
    );
    let host = (
        pick(&[b"Host", b"host", b"HOST"]),
        pick(&[
            b"example.com",
            b"example.com:80",
            b"example.com:",
            b"",
            b"[::1]",
            b"[::1]:80",
            b"a b",
            b"x@y",
            b"e.com:8o",
            b"%41",
            b"%4",
            b"[v1.a]",
        ]),
    );
    let conn = (
        pick(&[b"Connection", b"connection", b"CONNECTION"]),
        pick(&[
            b"close",
            b"Close",
            b"CLOSE",
            b"keep-alive",
            b"Keep-Alive",
            b"keep-alive, close",
            b"foo,close",
            b"closed",
            b", close ,",
            b"keep-alive,,",
            b"upgrade",
            b"",
        ]),
    );
    let expect = (
        pick(&[b"Expect", b"expect"]),
        pick(&[b"100-continue", b"100-CONTINUE", b"fail", b"100-continue, x", b""]),
    );
    let other = (
        pick(&[b"X-A", b"Upgrade", b"Keep-Alive"]),
        pick(&[b"a", b"a\x01b", b"a\x7f", b"\x80", b"a\x00"]),
    );
    let sep = pick(&[b":", b": ", b":\t", b":  "]);
    let ws = || pick(&[b"", b"", b"", b" ", b"\t", b"\x0b", b"\xa0"]);
    (prop_oneof![cl, te, host, conn, expect, other], sep, ws(), ws())
        .prop_map(|((n, v), sep, pre, post)| [n, sep, pre, v, post, b"\r\n".to_vec()].concat())
}

/// A request head with hostile field lines: version 1.0, 1.1 or 1.2, Host usually first.
pub fn hostile_head() -> impl Strategy<Value = Vec<u8>> {
    (
        pick(&[b"GET", b"POST", b"HEAD", b"PUT"]),
        pick(&[b"HTTP/1.1", b"HTTP/1.1", b"HTTP/1.0", b"HTTP/1.2"]),
        any::<bool>(),
        proptest::collection::vec(hostile_field(), 0..6),
    )
        .prop_map(|(m, v, host, fields)| {
            let mut out = [m, b" /p ".to_vec(), v, b"\r\n".to_vec()].concat();
            if host {
                out.extend_from_slice(b"Host: example.com\r\n");
            }
            for f in fields {
                out.extend_from_slice(&f);
            }
            out.extend_from_slice(b"\r\n");
            out
        })
}

// ---- the driver ------------------------------------------------------------------------------------

/// One entry of an event transcript.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Out {
    /// A request head.
    Req {
        /// Method as sent.
        method: String,
        /// Target as sent.
        target: Vec<u8>,
        /// Version.
        version: Version,
        /// Minor digit.
        minor: u8,
        /// Fields, values trimmed.
        fields: Vec<(String, Vec<u8>)>,
        /// Framing.
        body: BodyFraming,
        /// Waits for 100 Continue.
        expects_continue: bool,
    },
    /// Body bytes (consecutive pieces merged).
    Data(Vec<u8>),
    /// End of body, trailers.
    End(Vec<(String, Vec<u8>)>),
    /// A peer error.
    Err(PeerErrorKind),
    /// Upgrade.
    Upgrade,
}

/// How the driver's application answers a request.
pub type Answer = dyn FnMut(usize, &Out) -> (u16, Option<Vec<u8>>);

/// Runs a connection over `pieces`, with `ticks[i]` added to the clock before piece `i`. Every
/// request is answered once its body ended, by `answer(index, request)` → (status, body: `Some`
/// for a known length, `None` for a streamed body of 3 bytes). Returns the transcript and the wire.
pub fn drive(cfg: &Config, pieces: &[&[u8]], ticks: &[Duration], answer: &mut Answer) -> (Vec<Out>, Vec<u8>) {
    drive_with(cfg, pieces, ticks, answer, false)
}

/// [`drive`], answering each request as soon as its head arrives when `early` (the body is then
/// left for the connection to discard, and `100 Continue` is never accepted).
pub fn drive_with(
    cfg: &Config,
    pieces: &[&[u8]],
    ticks: &[Duration],
    answer: &mut Answer,
    early: bool,
) -> (Vec<Out>, Vec<u8>) {
    let mut now = Duration::ZERO;
    let mut c = Connection::new(cfg.clone(), now);
    let mut outs = Vec::new();
    let mut wire = Vec::new();
    let mut reqs = 0;
    for (i, p) in pieces.iter().enumerate() {
        now += ticks.get(i).copied().unwrap_or_default();
        c.handle_timeout(now);
        let mut off = 0;
        let mut stalls = 0;
        while off < p.len() && stalls < 3 {
            let took = c.handle_input(&p[off..], now);
            off += took;
            stalls = if took == 0 { stalls + 1 } else { 0 };
            drain(&mut c, &mut outs, &mut wire, &mut reqs, now, answer, early);
        }
        drain(&mut c, &mut outs, &mut wire, &mut reqs, now, answer, early);
    }
    (outs, wire)
}

fn drain(
    c: &mut Connection,
    outs: &mut Vec<Out>,
    wire: &mut Vec<u8>,
    reqs: &mut usize,
    now: Duration,
    answer: &mut Answer,
    early: bool,
) {
    while let Some(ev) = c.poll_event() {
        match ev {
            Event::Request(r) => {
                if r.expects_continue && !early {
                    c.accept_body(now).unwrap();
                }
                let h = &r.head;
                outs.push(Out::Req {
                    method: h.method_str().to_string(),
                    target: h.target().to_vec(),
                    version: h.version(),
                    minor: h.minor_version(),
                    fields: h
                        .headers()
                        .iter()
                        .map(|f| (f.name.to_string(), f.value.to_vec()))
                        .collect(),
                    body: r.framing,
                    expects_continue: r.expects_continue,
                });
                if early {
                    let req = outs.last().cloned().unwrap();
                    respond(c, reqs, &req, now, answer);
                }
            }
            Event::Data(d) => match outs.last_mut() {
                Some(Out::Data(v)) => v.extend_from_slice(&d),
                _ => outs.push(Out::Data(d.to_vec())),
            },
            Event::End(t) => {
                let req = outs
                    .iter()
                    .rev()
                    .find(|o| matches!(o, Out::Req { .. }))
                    .cloned()
                    .unwrap();
                outs.push(Out::End(
                    t.map(|t| {
                        t.fields()
                            .iter()
                            .map(|f| (f.name.to_string(), f.value.to_vec()))
                            .collect()
                    })
                    .unwrap_or_default(),
                ));
                if !early {
                    respond(c, reqs, &req, now, answer);
                }
            }
            Event::Error(e) => outs.push(Out::Err(e.kind())),
            Event::Upgrade(_) => outs.push(Out::Upgrade),
        }
    }
    let n = c.transmit().len();
    wire.extend_from_slice(c.transmit());
    c.handle_written(n, now).unwrap();
}

fn respond(c: &mut Connection, reqs: &mut usize, req: &Out, now: Duration, answer: &mut Answer) {
    let (status, body) = answer(*reqs, req);
    let tag = reqs.to_string();
    let headers = [("X-Req", tag.as_bytes())];
    *reqs += 1;
    match body {
        Some(b) => c
            .send_full(&Response::new(status).headers(&headers), &b, now)
            .unwrap(),
        None => {
            let f = c
                .send_response(&Response::new(status).headers(&headers), now)
                .unwrap();
            if !matches!(f, h1conn::ResponseFraming::NoBody { .. }) {
                c.send_body(b"abc", now).unwrap();
            }
            c.finish(now).unwrap();
        }
    }
}

/// The answer "200, empty body".
pub fn ok_empty(_: usize, _: &Out) -> (u16, Option<Vec<u8>>) {
    (200, Some(Vec::new()))
}

// ---- reading responses back ------------------------------------------------------------------------

/// A response read back from the wire.
#[derive(Debug, Clone)]
pub struct WireResponse {
    /// Status code.
    pub status: u16,
    /// Header fields.
    pub headers: Vec<(String, Vec<u8>)>,
    /// Body bytes (chunked: decoded; close-delimited: the rest of the wire).
    pub body: Vec<u8>,
    /// The framing the head announced.
    pub framing: WireFraming,
}

/// How a response on the wire was framed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WireFraming {
    /// No body by status or method.
    NoBody,
    /// Content-Length.
    Length,
    /// Transfer-Encoding: chunked.
    Chunked,
    /// Until the connection closes.
    UntilClose,
}

impl WireResponse {
    /// The first value of `name`.
    pub fn header(&self, name: &str) -> Option<&[u8]> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_slice())
    }
    /// How many lines named `name`.
    pub fn count(&self, name: &str) -> usize {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .count()
    }
    /// `Connection: close` is present.
    pub fn closes(&self) -> bool {
        self.header("connection").is_some_and(|v| {
            v.split(|&b| b == b',')
                .any(|m| m.trim_ascii().eq_ignore_ascii_case(b"close"))
        })
    }
    /// The X-Req tag of the request answered, if any.
    pub fn req(&self) -> Option<usize> {
        std::str::from_utf8(self.header("x-req")?).ok()?.parse().ok()
    }
}

/// Reads every response on `wire`; `no_body(response)` says whether a final response carries no
/// body by the request method (HEAD, 2xx to CONNECT). Panics on a head or framing that does not
/// parse.
pub fn read_responses(wire: &[u8], no_body: &dyn Fn(&WireResponse) -> bool) -> Vec<WireResponse> {
    let mut out = Vec::new();
    let mut rest = wire;
    while !rest.is_empty() {
        let mut hb = [httparse::EMPTY_HEADER; 64];
        let mut resp = httparse::Response::new(&mut hb);
        let n = match resp.parse(rest) {
            Ok(httparse::Status::Complete(n)) => n,
            other => panic!(
                "response does not parse: {other:?} {:?}",
                rest.escape_ascii().to_string()
            ),
        };
        let mut r = WireResponse {
            status: resp.code.unwrap(),
            headers: resp
                .headers
                .iter()
                .map(|h| (h.name.to_string(), h.value.to_vec()))
                .collect(),
            body: Vec::new(),
            framing: WireFraming::NoBody,
        };
        rest = &rest[n..];
        let s = r.status;
        if (100..200).contains(&s) || s == 204 || s == 304 || no_body(&r) {
            out.push(r);
            continue;
        }
        if let Some(v) = r.header("content-length") {
            let len: usize = std::str::from_utf8(v).unwrap().parse().unwrap();
            r.body = rest[..len].to_vec();
            rest = &rest[len..];
            r.framing = WireFraming::Length;
        } else if r.header("transfer-encoding").is_some() {
            r.framing = WireFraming::Chunked;
            loop {
                let lf = rest.iter().position(|&b| b == b'\n').expect("chunk line");
                let size = usize::from_str_radix(std::str::from_utf8(&rest[..lf - 1]).unwrap(), 16).unwrap();
                rest = &rest[lf + 1..];
                if size == 0 {
                    assert!(rest.starts_with(b"\r\n"), "no trailers expected");
                    rest = &rest[2..];
                    break;
                }
                r.body.extend_from_slice(&rest[..size]);
                assert_eq!(&rest[size..size + 2], b"\r\n");
                rest = &rest[size + 2..];
            }
        } else {
            r.framing = WireFraming::UntilClose;
            r.body = rest.to_vec();
            rest = &[];
        }
        out.push(r);
    }
    out
}
