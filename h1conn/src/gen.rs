//! Generators of valid and hostile HTTP/1 requests, for fuzzing h1conn or another parser against
//! it (feature `arbitrary`).
//!
//! * [`ValidRequest`]: a request every conforming server accepts (method, origin-form target,
//!   HTTP/1.0 or 1.1, Host, fields, a body framed by length or by chunks with extensions and
//!   trailers).
//! * [`HostileRequest`]: a request head built from pieces biased to the spellings real servers got
//!   wrong (duplicate and list Content-Length, odd Transfer-Encoding spellings and whitespace,
//!   Connection token lists in any case, missing or repeated Host, bare CR, control bytes, ...).
//!
//! Both serialize with `to_bytes()`, and [`verdict`] says what h1conn makes of any byte string:
//! accepted (with the parsed request) or rejected (with the status it answers). To fuzz another
//! parser, generate requests, serialize them, and compare that parser's answer with the verdict:
//!
//! ```
//! use arbitrary::{Arbitrary, Unstructured};
//! use h1conn::gen::{verdict, HostileRequest, Verdict};
//!
//! let raw = [7u8; 64]; // a fuzzer's input
//! let req = HostileRequest::arbitrary(&mut Unstructured::new(&raw)).unwrap();
//! match verdict(&req.to_bytes()) {
//!     Verdict::Accepted(a) => println!("accepted {} {:?}", a.method, a.body),
//!     Verdict::Rejected { status, kind } => assert!(status >= 400, "{kind:?}"),
//!     Verdict::Incomplete => {}
//! }
//! ```
//!
//! `examples/differential.rs` runs httparse against these verdicts.
//!
//! The module also holds the bodies of the fuzz targets that need no reference model
//! ([`request_stream`], [`connection_ops`]); they compile in normal builds so they never rot. They
//! panic when an invariant breaks.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;
use core::time::Duration;

use arbitrary::{Arbitrary, Result, Unstructured};

use crate::config::{Config, KeepAliveHeader};
use crate::conn::{Connection, Event};
use crate::error::PeerErrorKind;
use crate::response::Response;
use crate::BodyFraming;
use crate::{Method, Version};

// ---- pieces ----------------------------------------------------------------------------------------

const METHODS: &[&str] = &[
    "GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "PURGE",
];
const PATH_BYTES: &[u8] = b"abcxyz019-._~!$&'()*+,;=:@/%";

/// Bytes for a value: VCHAR and inner spaces, never at either end.
fn vchar_value(u: &mut Unstructured<'_>, max: usize) -> Result<Vec<u8>> {
    let len = u.int_in_range(0..=max)?;
    let mut v = Vec::with_capacity(len);
    for i in 0..len {
        let b = u.int_in_range(0x20u8..=0x7e)?;
        v.push(if b == b' ' && (i == 0 || i + 1 == len) {
            b'x'
        } else {
            b
        });
    }
    Ok(v)
}

/// Up to `max` raw bytes (fewer when the input runs out).
fn some_bytes(u: &mut Unstructured<'_>, max: usize) -> Result<Vec<u8>> {
    let n = u.int_in_range(0..=max)?.min(u.len());
    Ok(u.bytes(n)?.to_vec())
}

fn token(u: &mut Unstructured<'_>, max: usize) -> Result<String> {
    const T: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCXYZ0123456789!#$%&'*+-.^_`|~";
    let len = u.int_in_range(1..=max)?;
    let mut s = String::with_capacity(len);
    for _ in 0..len {
        s.push(*u.choose(T)? as char);
    }
    Ok(s)
}

/// A field name that none of the framing or connection rules look at.
fn plain_field_name(u: &mut Unstructured<'_>) -> Result<String> {
    let name = format!("X-{}", token(u, 10)?);
    Ok(name)
}

// ---- valid requests --------------------------------------------------------------------------------

/// How a [`ValidRequest`] carries its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValidBody {
    /// No Content-Length, no Transfer-Encoding: no body.
    None,
    /// `Content-Length` and these bytes.
    Length(Vec<u8>),
    /// `Transfer-Encoding: chunked` (HTTP/1.1 only).
    Chunked {
        /// The chunks (each non-empty) and an optional extension on each size line.
        chunks: Vec<(Vec<u8>, Option<String>)>,
        /// Trailer fields after the last chunk.
        trailers: Vec<(String, Vec<u8>)>,
    },
}

/// A request every conforming HTTP/1 server accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidRequest {
    /// The method (a registered one or an extension token).
    pub method: String,
    /// An origin-form target.
    pub target: Vec<u8>,
    /// 0 for HTTP/1.0, 1 for HTTP/1.1.
    pub minor: u8,
    /// The Host value (always present for HTTP/1.1).
    pub host: Option<Vec<u8>>,
    /// Other fields, none of them framing, Host, Connection or Expect.
    pub fields: Vec<(String, Vec<u8>)>,
    /// `Some("close")` or `Some("keep-alive")` (any case) as a Connection field.
    pub connection: Option<String>,
    /// Send `Expect: 100-continue` (HTTP/1.1 with a body only).
    pub expect_continue: bool,
    /// The body.
    pub body: ValidBody,
}

impl<'a> Arbitrary<'a> for ValidRequest {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let method = if u.ratio(1, 8)? {
            token(u, 8)?
        } else {
            u.choose(METHODS)?.to_string()
        };
        let mut target = vec![b'/'];
        for _ in 0..u.int_in_range(0..=12)? {
            let b = *u.choose(PATH_BYTES)?;
            // Keep percent-encodings well formed.
            if b == b'%' {
                target.extend_from_slice(b"%2F");
            } else {
                target.push(b);
            }
        }
        if u.ratio(1, 4)? {
            target.extend_from_slice(b"?q=");
            target.extend_from_slice(token(u, 6)?.as_bytes());
        }
        let minor = if u.ratio(1, 4)? { 0 } else { 1 };
        let host = if minor == 1 || u.arbitrary()? {
            Some(
                u.choose(&[
                    &b"example.com"[..],
                    b"example.com:8080",
                    b"127.0.0.1",
                    b"[::1]:80",
                    b"a.b",
                ])?
                .to_vec(),
            )
        } else {
            None
        };
        let mut fields = Vec::new();
        for _ in 0..u.int_in_range(0..=4)? {
            fields.push((plain_field_name(u)?, vchar_value(u, 16)?));
        }
        let connection = match u.int_in_range(0..=3)? {
            0 => Some(u.choose(&["close", "Close", "CLOSE"])?.to_string()),
            1 => Some(u.choose(&["keep-alive", "Keep-Alive"])?.to_string()),
            _ => None,
        };
        let body = match u.int_in_range(0..=2)? {
            0 => ValidBody::None,
            1 => ValidBody::Length(some_bytes(u, 64)?),
            _ if minor == 0 => ValidBody::Length(some_bytes(u, 16)?),
            _ => {
                let mut chunks = Vec::new();
                for _ in 0..u.int_in_range(0..=4)? {
                    let data = some_bytes(u, 24)?;
                    if data.is_empty() {
                        break;
                    }
                    let ext = if u.ratio(1, 4)? {
                        Some(format!(";{}={}", token(u, 4)?, token(u, 4)?))
                    } else {
                        None
                    };
                    chunks.push((data, ext));
                }
                let mut trailers = Vec::new();
                for _ in 0..u.int_in_range(0..=2)? {
                    trailers.push((plain_field_name(u)?, vchar_value(u, 8)?));
                }
                ValidBody::Chunked { chunks, trailers }
            }
        };
        let has_body = match &body {
            ValidBody::None => false,
            ValidBody::Length(b) => !b.is_empty(),
            ValidBody::Chunked { .. } => true,
        };
        let expect_continue = minor == 1 && has_body && u.ratio(1, 4)?;
        Ok(ValidRequest {
            method,
            target,
            minor,
            host,
            fields,
            connection,
            expect_continue,
            body,
        })
    }
}

impl ValidRequest {
    /// The head and body on the wire.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(self.method.as_bytes());
        out.push(b' ');
        out.extend_from_slice(&self.target);
        out.extend_from_slice(if self.minor == 0 {
            b" HTTP/1.0\r\n"
        } else {
            b" HTTP/1.1\r\n"
        });
        for (n, v) in self.header_fields() {
            out.extend_from_slice(n.as_bytes());
            out.extend_from_slice(b": ");
            out.extend_from_slice(&v);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"\r\n");
        match &self.body {
            ValidBody::None => {}
            ValidBody::Length(b) => out.extend_from_slice(b),
            ValidBody::Chunked { chunks, trailers } => {
                for (data, ext) in chunks {
                    out.extend_from_slice(format!("{:x}", data.len()).as_bytes());
                    if let Some(e) = ext {
                        out.extend_from_slice(e.as_bytes());
                    }
                    out.extend_from_slice(b"\r\n");
                    out.extend_from_slice(data);
                    out.extend_from_slice(b"\r\n");
                }
                out.extend_from_slice(b"0\r\n");
                for (n, v) in trailers {
                    out.extend_from_slice(n.as_bytes());
                    out.extend_from_slice(b": ");
                    out.extend_from_slice(v);
                    out.extend_from_slice(b"\r\n");
                }
                out.extend_from_slice(b"\r\n");
            }
        }
        out
    }

    /// The header fields in the order [`to_bytes`](ValidRequest::to_bytes) writes them.
    pub fn header_fields(&self) -> Vec<(String, Vec<u8>)> {
        let mut f = Vec::new();
        if let Some(h) = &self.host {
            f.push(("Host".to_string(), h.clone()));
        }
        f.extend(self.fields.iter().cloned());
        if let Some(c) = &self.connection {
            f.push(("Connection".to_string(), c.as_bytes().to_vec()));
        }
        if self.expect_continue {
            f.push(("Expect".to_string(), b"100-continue".to_vec()));
        }
        match &self.body {
            ValidBody::None => {}
            ValidBody::Length(b) => f.push(("Content-Length".to_string(), b.len().to_string().into_bytes())),
            ValidBody::Chunked { .. } => f.push(("Transfer-Encoding".to_string(), b"chunked".to_vec())),
        }
        f
    }

    /// The body bytes the request carries, decoded.
    pub fn body_data(&self) -> Vec<u8> {
        match &self.body {
            ValidBody::None => Vec::new(),
            ValidBody::Length(b) => b.clone(),
            ValidBody::Chunked { chunks, .. } => chunks.iter().flat_map(|(d, _)| d.iter().copied()).collect(),
        }
    }

    /// True when the client asks to keep the connection (RFC 9112 §9.3).
    pub fn wants_persistence(&self) -> bool {
        match self.connection.as_deref().map(str::to_ascii_lowercase).as_deref() {
            Some("close") => false,
            Some("keep-alive") => true,
            _ => self.minor == 1,
        }
    }
}

// ---- hostile requests ------------------------------------------------------------------------------

const HOSTILE_METHODS: &[&[u8]] = &[
    b"GET",
    b"HEAD",
    b"POST",
    b"PUT",
    b"OPTIONS",
    b"CONNECT",
    b"DELETE",
    b"get",
    b"G\x00T",
    b"GE T",
    b"PROPFIND",
    b"",
    b"XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
];
const HOSTILE_TARGETS: &[&[u8]] = &[
    b"/",
    b"/a?b=c",
    b"/%7e",
    b"http://example.com/p",
    b"HTTP://example.com",
    b"*",
    b"example.com:443",
    b"[::1]:443",
    b"//x",
    b"/\x80\xff",
    b"",
    b"/a b",
    b"/\x7f",
    b"urn:x",
    b"example.com",
];
const HOSTILE_VERSIONS: &[&[u8]] = &[
    b"HTTP/1.1",
    b"HTTP/1.1",
    b"HTTP/1.0",
    b"HTTP/1.2",
    b"HTTP/1.9",
    b"HTTP/2.0",
    b"HTTP/0.9",
    b"http/1.1",
    b"HTTP/1.10",
    b"HTTP/1",
    b"HTTP/1.1 ",
    b"HTTP/ 1.1",
    b"",
    b"HTTP/11",
];
const NAMES: &[&[u8]] = &[
    b"Host",
    b"host",
    b"HOST",
    b"Content-Length",
    b"content-length",
    b"CONTENT-LENGTH",
    b"Transfer-Encoding",
    b"transfer-encoding",
    b"TRANSFER-encoding",
    b"Transfer_Encoding",
    b"Transfer-Encoding ",
    b"Content-Length\t",
    b"Connection",
    b"connection",
    b"CONNECTION",
    b"Expect",
    b"Upgrade",
    b"Keep-Alive",
    b"X-Custom",
    b"",
    b"X Y",
    b"X\x80",
];
const SEPARATORS: &[&[u8]] = &[b":", b": ", b": ", b":\t", b":  \t", b" :"];
const CL_VALUES: &[&[u8]] = &[
    b"0",
    b"5",
    b"12",
    b"007",
    b"+5",
    b"-1",
    b"0x5",
    b"5 5",
    b"5,5",
    b"5, 5",
    b"5,6",
    b"5,",
    b",5",
    b"",
    b" ",
    b"18446744073709551615",
    b"18446744073709551616",
    b"99999999999999999999999",
    b"1_0",
    b"5\x0b",
    b"\xa05",
    b"1e3",
    b"5.0",
];
const TE_VALUES: &[&[u8]] = &[
    b"chunked",
    b"chunked",
    b"Chunked",
    b"CHUNKED",
    b"gzip, chunked",
    b"chunked, gzip",
    b"gzip",
    b"identity",
    b"chunked, chunked",
    b",chunked",
    b"chunked,",
    b", ,chunked",
    b"chunked;foo=bar",
    b"chunked ;q=1",
    b"gzip;q=1, chunked",
    b"gzip;=, chunked",
    b"",
    b" ",
    b",",
    b"x-chunked",
    b"chunk",
    b"chunked\x0b",
    b"\xa0chunked",
    b"chunked, identity",
    b"\"chunked\"",
    b"cHuNkEd",
];
const CONN_VALUES: &[&[u8]] = &[
    b"close",
    b"Close",
    b"CLOSE",
    b"keep-alive",
    b"Keep-Alive",
    b"KEEP-ALIVE",
    b"keep-alive, close",
    b"close, keep-alive",
    b"foo, close",
    b"closed",
    b"close;x",
    b", close ,",
    b"keep-alive,,",
    b"upgrade",
    b"TE, keep-alive",
    b"",
];
const HOST_VALUES: &[&[u8]] = &[
    b"example.com",
    b"example.com:80",
    b"example.com:",
    b"EXAMPLE.com",
    b"[::1]",
    b"[::1]:8080",
    b"[2001:db8::7]",
    b"[zz]",
    b"[::1",
    b"",
    b"a b",
    b"x@y",
    b"example.com:8o",
    b"%41",
    b"%4",
    b"ex%2ample",
    b"192.168.0.1",
    b"a:1:2",
    b"[v1.x]",
];
const EXPECT_VALUES: &[&[u8]] = &[
    b"100-continue",
    b"100-Continue",
    b"fail",
    b"100-continue, foo",
    b"",
    b"200-ok",
];
const OTHER_VALUES: &[&[u8]] = &[
    b"x",
    b"a b",
    b"\tv\t",
    b"a\x01b",
    b"a\x7fb",
    b"a\x00b",
    b"v\x80\xff",
    b"a\rb",
    b"a\x0cb",
    b"\"q\"",
];

/// One field line of a [`HostileRequest`]: name, separator and value as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostileField {
    /// The name, possibly not a token or with whitespace before the colon.
    pub name: Vec<u8>,
    /// What separates name and value: `:` with optional whitespace around it.
    pub separator: Vec<u8>,
    /// The value, possibly with control bytes or odd whitespace; never an LF.
    pub value: Vec<u8>,
}

impl<'a> Arbitrary<'a> for HostileField {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let name = if u.ratio(1, 16)? {
            let raw: Vec<u8> = u.arbitrary()?;
            raw.into_iter()
                .filter(|&b| b != b'\n' && b != b':')
                .take(12)
                .collect()
        } else {
            u.choose(NAMES)?.to_vec()
        };
        let lower = name.to_ascii_lowercase();
        let table = match lower
            .strip_suffix(b" ")
            .or(lower.strip_suffix(b"\t"))
            .unwrap_or(&lower)
        {
            b"host" => HOST_VALUES,
            b"content-length" => CL_VALUES,
            b"transfer-encoding" | b"transfer_encoding" => TE_VALUES,
            b"connection" => CONN_VALUES,
            b"expect" => EXPECT_VALUES,
            _ => OTHER_VALUES,
        };
        let mut value = if u.ratio(1, 16)? {
            let raw: Vec<u8> = u.arbitrary()?;
            raw.into_iter().filter(|&b| b != b'\n').take(16).collect()
        } else {
            u.choose(table)?.to_vec()
        };
        if u.ratio(1, 8)? {
            // Odd whitespace around the value.
            let ws: &[u8] = u.choose(&[&b" "[..], b"\t", b"  ", b"\x0b", b"\x0c", b"\xa0"])?;
            if u.arbitrary()? {
                value.splice(0..0, ws.iter().copied());
            } else {
                value.extend_from_slice(ws);
            }
        }
        Ok(HostileField {
            name,
            separator: u.choose(SEPARATORS)?.to_vec(),
            value,
        })
    }
}

/// A request head built from pieces biased to hostile spellings, and a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostileRequest {
    /// Empty lines (CRLF) before the request line.
    pub leading_empty_lines: u8,
    /// The method.
    pub method: Vec<u8>,
    /// The request target.
    pub target: Vec<u8>,
    /// The version as sent.
    pub version: Vec<u8>,
    /// Field lines.
    pub fields: Vec<HostileField>,
    /// A field line that starts with whitespace (obs-fold, or whitespace after the request line
    /// when it comes first) is inserted before this field index.
    pub fold_at: Option<u8>,
    /// Bytes after the head.
    pub body: Vec<u8>,
}

impl<'a> Arbitrary<'a> for HostileRequest {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let leading_empty_lines = if u.ratio(1, 8)? { u.int_in_range(1..=2)? } else { 0 };
        let method = u.choose(HOSTILE_METHODS)?.to_vec();
        let target = u.choose(HOSTILE_TARGETS)?.to_vec();
        let version = u.choose(HOSTILE_VERSIONS)?.to_vec();
        let mut fields = Vec::new();
        // Most heads get a plain Host first, so the framing rules are reached.
        if u.ratio(3, 4)? {
            fields.push(HostileField {
                name: b"Host".to_vec(),
                separator: b": ".to_vec(),
                value: b"example.com".to_vec(),
            });
        }
        for _ in 0..u.int_in_range(0..=5)? {
            fields.push(u.arbitrary()?);
        }
        let fold_at = if u.ratio(1, 16)? {
            Some(u.int_in_range(0..=5)?)
        } else {
            None
        };
        let body = match u.int_in_range(0..=3)? {
            0 => Vec::new(),
            1 => b"0\r\n\r\n".to_vec(),
            2 => b"5\r\nhello\r\n0\r\n\r\n".to_vec(),
            _ => some_bytes(u, 16)?,
        };
        Ok(HostileRequest {
            leading_empty_lines,
            method,
            target,
            version,
            fields,
            fold_at,
            body,
        })
    }
}

impl HostileRequest {
    /// The head alone: request line, field lines, the empty line.
    pub fn head_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for _ in 0..self.leading_empty_lines {
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(&self.method);
        out.push(b' ');
        out.extend_from_slice(&self.target);
        out.push(b' ');
        out.extend_from_slice(&self.version);
        out.extend_from_slice(b"\r\n");
        for (i, f) in self.fields.iter().enumerate() {
            if self.fold_at == Some(i as u8) {
                out.extend_from_slice(b" folded\r\n");
            }
            out.extend_from_slice(&f.name);
            out.extend_from_slice(&f.separator);
            out.extend_from_slice(&f.value);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"\r\n");
        out
    }

    /// The head and the body bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = self.head_bytes();
        out.extend_from_slice(&self.body);
        out
    }
}

// ---- h1conn's verdict ------------------------------------------------------------------------------

/// What h1conn made of the first request in a byte string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    /// The method as sent.
    pub method: String,
    /// The target as sent.
    pub target: Vec<u8>,
    /// The version by semantics.
    pub version: Version,
    /// The minor version digit as sent.
    pub minor: u8,
    /// The header fields, names as sent, values trimmed.
    pub headers: Vec<(String, Vec<u8>)>,
    /// How the body is delimited.
    pub body: BodyFraming,
    /// The request waited for `100 Continue`.
    pub expects_continue: bool,
    /// Bytes of input the head took (leading empty lines included).
    pub head_len: usize,
    /// The body bytes received, decoded.
    pub data: Vec<u8>,
    /// Trailer fields, when the body was complete and chunked.
    pub trailers: Vec<(String, Vec<u8>)>,
    /// The whole body was in the input.
    pub body_complete: bool,
    /// The body ended in a peer error (bad chunk, ...) with this status.
    pub body_error: Option<u16>,
    /// Whether the connection stays open after a `404` answer with an empty body (not a
    /// 2xx, so CONNECT and Upgrade requests are answered without a tunnel); `None` when the
    /// body was not complete.
    pub persists: Option<bool>,
}

/// h1conn's verdict on the first request of a byte string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The head was accepted.
    Accepted(Accepted),
    /// The head was rejected with this status (400, 408, 413, 414, 417, 431, 501 or 505).
    Rejected {
        /// The status h1conn answers.
        status: u16,
        /// What was wrong.
        kind: PeerErrorKind,
    },
    /// The head is not complete.
    Incomplete,
}

/// h1conn's verdict on the first request in `bytes`, with the default (strict) configuration.
pub fn verdict(bytes: &[u8]) -> Verdict {
    verdict_with(bytes, &Config::default())
}

/// h1conn's verdict on the first request in `bytes`, with `cfg`.
pub fn verdict_with(bytes: &[u8], cfg: &Config) -> Verdict {
    let t = Duration::ZERO;
    let mut c = Connection::new(cfg.clone(), t);
    let mut off = 0;
    let mut out: Option<Accepted> = None;
    let mut done = false;
    let mut stalls = 0;
    while !done {
        let took = c.handle_input(&bytes[off..], t);
        off += took;
        let mut progressed = took > 0;
        while let Some(ev) = c.poll_event() {
            progressed = true;
            match ev {
                Event::Request(r) => {
                    if out.is_some() {
                        done = true;
                        break;
                    }
                    let h = &r.head;
                    let head_len = bytes.len() - (bytes.len() - off) - c.buffered_input();
                    out = Some(Accepted {
                        method: h.method_str().to_string(),
                        target: h.target().to_vec(),
                        version: h.version(),
                        minor: h.minor_version(),
                        headers: h
                            .headers()
                            .iter()
                            .map(|f| (f.name.to_string(), f.value.to_vec()))
                            .collect(),
                        body: r.framing,
                        expects_continue: r.expects_continue,
                        head_len,
                        data: Vec::new(),
                        trailers: Vec::new(),
                        body_complete: false,
                        body_error: None,
                        persists: None,
                    });
                    if r.expects_continue {
                        let _ = c.accept_body(t);
                    }
                }
                Event::Data(d) => {
                    if let Some(a) = out.as_mut() {
                        a.data.extend_from_slice(&d);
                    }
                }
                Event::End(tr) => {
                    if let Some(a) = out.as_mut() {
                        a.body_complete = true;
                        if let Some(tr) = tr {
                            a.trailers = tr
                                .fields()
                                .iter()
                                .map(|f| (f.name.to_string(), f.value.to_vec()))
                                .collect();
                        }
                        let _ = c.send_full(&Response::new(404), b"", t);
                        a.persists = Some(c.persistence().is_open());
                    }
                    done = true;
                    break;
                }
                Event::Error(e) => {
                    match out.as_mut() {
                        None => {
                            return Verdict::Rejected {
                                status: e.status(),
                                kind: e.kind(),
                            }
                        }
                        Some(a) => a.body_error = Some(e.status()),
                    }
                    done = true;
                    break;
                }
                Event::Upgrade(_) => {
                    done = true;
                    break;
                }
            }
        }
        let n = c.transmit().len();
        let _ = c.handle_written(n, t);
        if off >= bytes.len() && !progressed {
            break;
        }
        if !progressed {
            stalls += 1;
            if stalls > 2 {
                break;
            }
        }
    }
    match out {
        Some(a) => Verdict::Accepted(a),
        None => Verdict::Incomplete,
    }
}

// ---- fuzz target bodies ----------------------------------------------------------------------------

/// A small deterministic generator for split points and clock ticks.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

/// One request as the `request_stream` target saw it.
#[derive(Debug, Clone)]
pub struct SeenRequest {
    /// The raw head bytes as h1conn kept them.
    pub head: Vec<u8>,
    /// The method.
    pub method: Method,
    /// The framing h1conn chose.
    pub body: BodyFraming,
    /// The body bytes delivered.
    pub data: Vec<u8>,
    /// The body ended (Event::End).
    pub ended: bool,
}

/// What the `request_stream` target observed, for further checks by the caller.
#[derive(Debug, Clone, Default)]
pub struct StreamReport {
    /// Requests surfaced, in order.
    pub requests: Vec<SeenRequest>,
    /// The peer error, if one was reported.
    pub error: Option<u16>,
    /// Everything the connection transmitted.
    pub wire: Vec<u8>,
}

const PEER_STATUSES: [u16; 8] = [400, 408, 413, 414, 417, 431, 501, 505];

/// Fuzz target body: `data[0]` seeds how the rest is cut into pieces and how far the clock moves
/// between them (always below every timeout); the rest is the byte stream. Every request is
/// answered with a `200`. Panics when an invariant breaks:
///
/// * every request surfaced is HTTP/1.0 or 1.1 with a token method and a target of visible bytes,
///   has at most one Host and exactly one when HTTP/1.1, and never carries both Content-Length and
///   Transfer-Encoding, nor Transfer-Encoding in HTTP/1.0;
/// * its body framing agrees with its header fields;
/// * a peer error carries one of 400/408/413/414/417/431/501/505, and nothing is surfaced after it;
/// * the output starts with `HTTP/1.1 ` and every response head on it parses.
pub fn request_stream(data: &[u8]) -> StreamReport {
    let mut report = StreamReport::default();
    let Some((&seed, stream)) = data.split_first() else {
        return report;
    };
    let mut rng = Rng(u64::from(seed).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut now = Duration::ZERO;
    let mut c = Connection::new(Config::default(), now);
    let mut off = 0;
    let mut after_error = false;
    let mut stalls = 0;
    while off < stream.len() && stalls < 3 {
        let max_piece = (seed as usize % 23) + 1;
        let piece = 1 + (rng.next() as usize % max_piece);
        let end = (off + piece).min(stream.len());
        // Ticks stay far below every timeout (idle 5 s, header 20 s, body 20 s).
        now += Duration::from_micros(rng.next() % 2_000);
        let took = c.handle_input(&stream[off..end], now);
        off += took;
        drain_stream_events(&mut c, &mut report, &mut after_error, now);
        let n = c.transmit().len();
        report.wire.extend_from_slice(c.transmit());
        c.handle_written(n, now).expect("ack within transmit");
        stalls = if took == 0 { stalls + 1 } else { 0 };
    }
    c.handle_eof(now);
    drain_stream_events(&mut c, &mut report, &mut after_error, now);
    report.wire.extend_from_slice(c.transmit());
    if !report.wire.is_empty() {
        assert!(
            report.wire.starts_with(b"HTTP/1.1 "),
            "output starts with {:?}",
            &report.wire[..9.min(report.wire.len())]
        );
    }
    check_wire_heads(&report.wire, &report.requests);
    report
}

fn drain_stream_events(c: &mut Connection, report: &mut StreamReport, after_error: &mut bool, now: Duration) {
    while let Some(ev) = c.poll_event() {
        match ev {
            Event::Request(r) => {
                assert!(!*after_error, "request surfaced after a peer error");
                check_request_head(&r);
                report.requests.push(SeenRequest {
                    head: r.head.as_bytes().to_vec(),
                    method: r.head.method(),
                    body: r.framing,
                    data: Vec::new(),
                    ended: false,
                });
                if r.expects_continue {
                    c.accept_body(now).expect("accept_body after a request");
                }
            }
            Event::Data(d) => {
                assert!(!*after_error, "data after a peer error");
                assert!(!d.is_empty(), "empty Data event");
                let last = report.requests.last_mut().expect("data without a request");
                assert!(!last.ended, "data after End");
                last.data.extend_from_slice(&d);
                if let BodyFraming::Length(n) = last.body {
                    assert!(last.data.len() as u64 <= n, "more body than Content-Length");
                }
            }
            Event::End(_) => {
                assert!(!*after_error, "End after a peer error");
                let last = report.requests.last_mut().expect("End without a request");
                assert!(!last.ended, "two End events");
                last.ended = true;
                if let BodyFraming::Length(n) = last.body {
                    assert_eq!(
                        last.data.len() as u64,
                        n,
                        "body shorter than Content-Length at End"
                    );
                }
                if last.body == BodyFraming::None {
                    assert!(last.data.is_empty());
                }
                let _ = c.send_full(&Response::new(200), b"ok", now);
            }
            Event::Error(e) => {
                assert!(!*after_error, "two peer errors");
                assert!(
                    PEER_STATUSES.contains(&e.status()),
                    "peer error status {}",
                    e.status()
                );
                *after_error = true;
                report.error = Some(e.status());
            }
            Event::Upgrade(_) => {}
        }
    }
}

fn check_request_head(r: &crate::conn::Request) {
    let h = &r.head;
    assert!(
        crate::request::fields::is_token(h.method_str().as_bytes()),
        "method {:?}",
        h.method_str()
    );
    assert!(!h.target().is_empty());
    assert!(
        h.target().iter().all(|&b| b > 0x20 && b != 0x7f),
        "target {:?}",
        h.target()
    );
    assert!(h.minor_version() <= 9);
    assert_eq!(h.version() == Version::Http10, h.minor_version() == 0);
    let headers = h.headers();
    let hosts = headers.get_all("host").count();
    assert!(hosts <= 1, "two Host fields accepted");
    if h.version() == Version::Http11 {
        assert_eq!(hosts, 1, "HTTP/1.1 request without Host accepted");
    }
    let te = headers.contains("transfer-encoding");
    let cl = headers.contains("content-length");
    assert!(!(te && cl), "both Content-Length and Transfer-Encoding accepted");
    if te {
        assert_eq!(
            h.version(),
            Version::Http11,
            "Transfer-Encoding accepted in HTTP/1.0"
        );
        assert_eq!(r.framing, BodyFraming::Chunked);
    } else if cl {
        let v = headers.get("content-length").unwrap_or(b"");
        assert!(
            !v.is_empty() && v.iter().all(u8::is_ascii_digit),
            "Content-Length {:?} accepted",
            v
        );
        assert_eq!(
            headers.get_all("content-length").count(),
            1,
            "repeated Content-Length accepted"
        );
        let n = core::str::from_utf8(v).ok().and_then(|s| s.parse::<u64>().ok());
        assert_eq!(Some(r.framing), n.map(BodyFraming::Length));
    } else {
        assert_eq!(r.framing, BodyFraming::None);
    }
    for f in headers.iter() {
        assert!(crate::request::fields::is_token(f.name.as_bytes()));
        assert!(
            f.value.iter().all(|&b| b == b'\t' || b >= 0x20 && b != 0x7f),
            "control byte in field value {:?}",
            f.value
        );
        assert!(!f.value.first().is_some_and(|&b| b == b' ' || b == b'\t'));
        assert!(!f.value.last().is_some_and(|&b| b == b' ' || b == b'\t'));
    }
}

/// Every response head on the wire parses with `httparse::Response`; walks bodies by their
/// framing. Returns the parsed responses.
fn check_wire_heads(wire: &[u8], requests: &[SeenRequest]) -> Vec<WireResponse> {
    parse_wire(wire, &mut |k, r| {
        requests
            .get(k)
            .is_some_and(|q| r.status == 200 && (q.method == Method::Head || q.method == Method::Connect))
    })
}

/// One response as read back from the wire.
#[derive(Debug, Clone)]
struct WireResponse {
    status: u16,
    headers: Vec<(String, Vec<u8>)>,
    /// Body bytes as framed (chunked: decoded).
    body: Vec<u8>,
    /// The response was cut short by the end of the wire.
    truncated: bool,
}

impl WireResponse {
    fn header(&self, name: &str) -> Option<&[u8]> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_slice())
    }
    fn count(&self, name: &str) -> usize {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .count()
    }
    fn closes(&self) -> bool {
        self.header("connection").is_some_and(|v| {
            v.split(|&b| b == b',')
                .any(|m| m.trim_ascii().eq_ignore_ascii_case(b"close"))
        })
    }
}

/// Parses the wire. `no_body(index_of_final_response)` says whether that response must have no
/// body (HEAD); 1xx, 204 and 304 never have one.
fn parse_wire(wire: &[u8], no_body: &mut dyn FnMut(usize, &WireResponse) -> bool) -> Vec<WireResponse> {
    let mut out = Vec::new();
    let mut rest = wire;
    let mut finals = 0;
    while !rest.is_empty() {
        let mut hb = [httparse::EMPTY_HEADER; 64];
        let mut resp = httparse::Response::new(&mut hb);
        let n = match resp.parse(rest) {
            Ok(httparse::Status::Complete(n)) => n,
            Ok(httparse::Status::Partial) => {
                assert!(
                    b"HTTP/1.1 ".starts_with(&rest[..rest.len().min(9)]) || rest.starts_with(b"HTTP/1.1 ")
                );
                out.push(WireResponse {
                    status: 0,
                    headers: Vec::new(),
                    body: Vec::new(),
                    truncated: true,
                });
                return out;
            }
            Err(e) => panic!(
                "response head does not parse ({e:?}): {:?}",
                rest.escape_ascii().to_string()
            ),
        };
        assert_eq!(resp.version, Some(1), "status line must be HTTP/1.1");
        let status = resp.code.expect("status");
        let headers: Vec<(String, Vec<u8>)> = resp
            .headers
            .iter()
            .map(|h| (h.name.to_string(), h.value.to_vec()))
            .collect();
        rest = &rest[n..];
        let mut r = WireResponse {
            status,
            headers,
            body: Vec::new(),
            truncated: false,
        };
        let cl = r.count("content-length");
        let te = r.count("transfer-encoding");
        assert!(
            !(cl > 0 && te > 0),
            "response with both Content-Length and Transfer-Encoding"
        );
        assert!(cl <= 1 && te <= 1, "repeated framing header in a response");
        let interim = (100..200).contains(&status);
        if interim || status == 204 {
            assert_eq!(cl + te, 0, "Content-Length or Transfer-Encoding on a {status}");
        }
        let bodiless = interim || status == 204 || status == 304 || no_body(finals, &r);
        if !interim {
            finals += 1;
        }
        if bodiless {
            assert_eq!(te, 0, "Transfer-Encoding on a response without body");
            out.push(r);
            if status == 101 {
                return out;
            }
            continue;
        }
        if cl == 1 {
            let v = r.header("content-length").unwrap_or(b"");
            let len: usize = core::str::from_utf8(v)
                .unwrap()
                .parse()
                .expect("Content-Length digits");
            let take = len.min(rest.len());
            r.body = rest[..take].to_vec();
            r.truncated = take < len;
            rest = &rest[take..];
        } else if te == 1 {
            assert_eq!(r.header("transfer-encoding"), Some(&b"chunked"[..]));
            loop {
                let Some(lf) = rest.iter().position(|&b| b == b'\n') else {
                    r.truncated = true;
                    rest = &[];
                    break;
                };
                let line = &rest[..lf];
                let line = line.strip_suffix(b"\r").expect("CRLF in response chunk line");
                let size = usize::from_str_radix(core::str::from_utf8(line).unwrap(), 16).expect("hex size");
                rest = &rest[lf + 1..];
                if size == 0 {
                    if rest.starts_with(b"\r\n") {
                        rest = &rest[2..];
                    } else {
                        r.truncated = true;
                        rest = &[];
                    }
                    break;
                }
                assert!(size > 0);
                if rest.len() < size + 2 {
                    r.truncated = true;
                    rest = &[];
                    break;
                }
                r.body.extend_from_slice(&rest[..size]);
                assert_eq!(&rest[size..size + 2], b"\r\n");
                rest = &rest[size + 2..];
            }
        } else {
            // Close-delimited: everything else is body, and the connection must close.
            assert!(r.closes(), "close-delimited response without Connection: close");
            r.body = rest.to_vec();
            rest = &[];
        }
        out.push(r);
    }
    out
}

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
    /// Feed these bytes (as much as the connection takes).
    Feed(Input),
    /// Move the clock forward by this many milliseconds × 16 (up to ~17 min) and call
    /// `handle_timeout`.
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

/// A request as the application saw it.
struct AppRequest {
    method: Method,
    version: Version,
    client_close: bool,
}

/// Fuzz target body: drives one connection through arbitrary operations and checks the response
/// invariants on everything it transmits:
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
    let mut now = Duration::ZERO;
    let mut c = Connection::new(cfg.clone(), now);
    let mut apps: Vec<AppRequest> = Vec::new();
    let mut wire = Vec::new();
    let mut close_decided_at: Option<usize> = None;
    let mut pending: Vec<u8> = Vec::new();
    let mut errored = false;
    for op in &input.ops {
        match op {
            Op::Feed(i) => {
                pending.extend_from_slice(&match i {
                    Input::Valid(r) => r.to_bytes(),
                    Input::Hostile(r) => r.to_bytes(),
                    Input::Raw(b) => b.clone(),
                });
                let took = c.handle_input(&pending, now);
                pending.drain(..took);
            }
            Op::Tick(ms) => {
                now += Duration::from_millis(u64::from(*ms) * 16);
                c.handle_timeout(now);
                if let Some(d) = c.poll_timeout() {
                    assert!(
                        d > now,
                        "deadline {d:?} in the past after handle_timeout({now:?})"
                    );
                }
            }
            Op::Respond(s, len) => {
                let k = apps.len().saturating_sub(1);
                let tag = format!("{k}");
                let headers = [("X-Req", tag.as_bytes()), ("Upgrade", &b"h2c"[..])];
                let code = s.code();
                let hs = if code == 101 { &headers[..] } else { &headers[..1] };
                let mut r = Response::new(code).headers(hs);
                r.length = len.map(u64::from);
                let _ = c.send_response(&r, now);
            }
            Op::Body(n) => {
                let _ = c.send_body(&vec![b'b'; usize::from(*n)], now);
            }
            Op::Finish => {
                let _ = c.finish(now);
            }
            Op::Full(s, n) => {
                let k = apps.len().saturating_sub(1);
                let tag = format!("{k}");
                let headers = [("X-Req", tag.as_bytes())];
                let r = Response::new(s.code()).headers(&headers);
                let _ = c.send_full(&r, &vec![b'f'; usize::from(*n)], now);
            }
            Op::AcceptBody => {
                let before = c.transmit().len();
                let _ = c.accept_body(now);
                if apps.last().is_some_and(|a| a.version == Version::Http10) {
                    // RFC 9110 §10.1.1, §15.2: never a 1xx to an HTTP/1.0 client.
                    assert_eq!(c.transmit().len(), before, "100 Continue to HTTP/1.0");
                }
            }
            Op::Write(share) => {
                let len = c.transmit().len();
                let n = len * usize::from(*share) / 255;
                wire.extend_from_slice(&c.transmit()[..n]);
                c.handle_written(n, now).expect("ack within transmit");
            }
            Op::Eof => c.handle_eof(now),
            Op::Shutdown => c.shutdown(now),
        }
        while let Some(ev) = c.poll_event() {
            match &ev {
                Event::Error(_) => {
                    assert!(!errored, "a second peer error");
                    errored = true;
                }
                Event::Data(_) | Event::End(_) | Event::Request(_) => {
                    assert!(!errored, "input parsed after a peer error: {ev:?}");
                }
                Event::Upgrade(_) => {}
            }
            if let Event::Request(r) = ev {
                assert!(
                    close_decided_at.is_none(),
                    "request surfaced after the client asked to close"
                );
                let client_close = r.head.connection().close;
                if client_close {
                    close_decided_at = Some(apps.len());
                }
                apps.push(AppRequest {
                    method: r.head.method(),
                    version: r.head.version(),
                    client_close,
                });
                let max = cfg.keep_alive.max_requests as usize;
                assert!(max == 0 || apps.len() <= max, "more requests than max_requests");
            }
        }
        if c.is_upgraded() {
            break;
        }
    }
    // Output is cut short by an abort (void output: send stall, write failure) or by a response
    // the application cut off (flushed, then closed).
    let aborted = matches!(c.poll_close(), Some(cl) if cl.how == crate::CloseHow::Abort)
        || c.persistence().reasons().contains(crate::CloseReason::Aborted);
    wire.extend_from_slice(c.transmit());
    // Index final responses of the application to their request by the X-Req tag.
    let mut no_body = |_: usize, r: &WireResponse| {
        app_of(r, &apps).is_some_and(|(_, a)| {
            a.method == Method::Head || (a.method == Method::Connect && (200..300).contains(&r.status))
        })
    };
    let responses = parse_wire(&wire, &mut no_body);
    check_responses(&responses, &apps, &cfg, aborted, &wire);
}

/// The request a response answers, by its X-Req tag.
fn app_of<'a>(r: &WireResponse, apps: &'a [AppRequest]) -> Option<(usize, &'a AppRequest)> {
    r.header("x-req")
        .and_then(|v| core::str::from_utf8(v).ok()?.parse::<usize>().ok())
        .and_then(|k| apps.get(k).map(|a| (k, a)))
}

fn check_responses(
    responses: &[WireResponse],
    apps: &[AppRequest],
    cfg: &Config,
    aborted: bool,
    wire: &[u8],
) {
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
        if let Some((k, a)) = req {
            if a.version == Version::Http10 {
                assert!(r.header("transfer-encoding").is_none(), "chunked to HTTP/1.0");
                assert!(!interim || r.status == 101, "1xx to HTTP/1.0");
            }
            if !interim {
                // Responses leave in request order.
                if let Some(prev) = last_req {
                    assert!(k > prev, "response to request {k} after response to {prev}");
                }
                last_req = Some(k);
                if a.method == Method::Head {
                    assert!(r.body.is_empty(), "body bytes after a HEAD response");
                }
                // A tunnel (2xx to CONNECT) carries no connection fields (RFC 9110 §9.3.6).
                if a.client_close && !(a.method == Method::Connect && (200..300).contains(&r.status)) {
                    assert!(r.closes(), "client asked to close, response keeps the connection");
                }
                let tunnel = a.method == Method::Connect && (200..300).contains(&r.status);
                if a.version == Version::Http10 && !r.closes() && !tunnel {
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
                r.closes() || req.is_some_and(|(_, a)| a.method == Method::Connect),
                "response {finals} of max {max} does not close"
            );
        }
        if let Some(ka) = r.header("keep-alive") {
            let s = core::str::from_utf8(ka).expect("ascii Keep-Alive");
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
