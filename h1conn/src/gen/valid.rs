//! Requests every conforming HTTP/1 server accepts.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;

use arbitrary::{Arbitrary, Result, Unstructured};

use super::{field_line, plain_field_name, request_line, some_bytes, token, vchar_value};

const METHODS: &[&str] = &[
    "GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "PURGE",
];
const PATH_BYTES: &[u8] = b"abcxyz019-._~!$&'()*+,;=:@/%";

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
        let version: &[u8] = if self.minor == 0 { b"HTTP/1.0" } else { b"HTTP/1.1" };
        let mut out = request_line(self.method.as_bytes(), &self.target, version);
        for (n, v) in self.header_fields() {
            field_line(&mut out, n.as_bytes(), b": ", &v);
        }
        out.extend_from_slice(b"\r\n");
        match &self.body {
            ValidBody::None => {}
            ValidBody::Length(b) => out.extend_from_slice(b),
            ValidBody::Chunked { chunks, trailers } => {
                for (data, ext) in chunks {
                    out.extend_from_slice(format!("{:x}", data.len()).as_bytes());
                    out.extend_from_slice(ext.as_deref().unwrap_or_default().as_bytes());
                    out.extend_from_slice(b"\r\n");
                    out.extend_from_slice(data);
                    out.extend_from_slice(b"\r\n");
                }
                out.extend_from_slice(b"0\r\n");
                for (n, v) in trailers {
                    field_line(&mut out, n.as_bytes(), b": ", v);
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

    /// True when the client asks to keep the connection (RFC 9112 §9.3): the Connection options
    /// `close` and `keep-alive`, in any case and anywhere in the list, then the version's default.
    pub fn wants_persistence(&self) -> bool {
        let options = self
            .connection
            .as_deref()
            .unwrap_or_default()
            .split(',')
            .map(str::trim);
        let has = |o: &str| options.clone().any(|m| m.eq_ignore_ascii_case(o));
        if has("close") {
            false
        } else {
            has("keep-alive") || self.minor == 1
        }
    }
}
