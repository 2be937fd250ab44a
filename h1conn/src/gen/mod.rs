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
//! Both serialize with `to_bytes()`, and [`verdict`] says what h1conn makes of the first request
//! head in any byte string: accepted (with the parsed head) or rejected (with the status it
//! answers). To fuzz another parser, generate requests, serialize them, and compare that parser's
//! answer with the verdict:
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

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::time::Duration;

use arbitrary::{Result, Unstructured};

use crate::conn::{Connection, Event, Request};
use crate::BodyFraming;
use crate::Config;
use crate::PeerErrorKind;
use crate::Version;

mod hostile;
mod valid;

pub use hostile::{HostileField, HostileRequest};
pub use valid::{ValidBody, ValidRequest};

// ---- pieces ----------------------------------------------------------------------------------------

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

/// `method SP target SP version CRLF`.
fn request_line(method: &[u8], target: &[u8], version: &[u8]) -> Vec<u8> {
    [method, b" ", target, b" ", version, b"\r\n"].concat()
}

/// `name separator value CRLF`, appended to `out`.
fn field_line(out: &mut Vec<u8>, name: &[u8], separator: &[u8], value: &[u8]) {
    for part in [name, separator, value, b"\r\n"] {
        out.extend_from_slice(part);
    }
}

// ---- h1conn's verdict ------------------------------------------------------------------------------

/// What h1conn made of the first request head in a byte string.
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
    /// The request waits for `100 Continue`.
    pub expects_continue: bool,
    /// Bytes of input the head took (leading empty lines included).
    pub head_len: usize,
}

/// h1conn's verdict on the first request head of a byte string.
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

/// h1conn's verdict on the first request in `bytes`, with `cfg`: feeds the bytes until the first
/// event, and reads it.
pub fn verdict_with(bytes: &[u8], cfg: &Config) -> Verdict {
    let t = Duration::ZERO;
    let mut c = Connection::new(cfg.clone(), t);
    let mut off = 0;
    loop {
        let took = c.handle_input(&bytes[off..], t);
        off += took;
        match c.poll_event() {
            Some(Event::Request(r)) => return Verdict::Accepted(accepted(&r, off - c.buffered_input())),
            Some(Event::Error(e)) => {
                return Verdict::Rejected {
                    status: e.status(),
                    kind: e.kind(),
                }
            }
            _ if took == 0 => return Verdict::Incomplete,
            _ => {}
        }
    }
}

fn accepted(r: &Request, head_len: usize) -> Accepted {
    let h = &r.head;
    Accepted {
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
    }
}
