//! The requests of one kept-alive connection, built from arbitrary field lines that repeat,
//! change, go missing or come back, and earlier requests that come again: every head h1conn hands over converts to the same `http`
//! parts with the connection's `FieldCache` (`RequestHead::to_http_parts_cached`) as without it
//! (`RequestHead::to_http_parts`), the same error included. The body of the `http_fields` fuzz
//! target.

use core::time::Duration;

use arbitrary::Arbitrary;
use h1conn::{Config, Connection, Event, FieldCache, RequestHead, Response};

/// One request of the connection, made from the last one, from an earlier one, or new.
#[derive(Arbitrary, Debug)]
pub enum Req {
    /// The last request again.
    Again,
    /// The request `n` places back (modulo their number) again: a page's kinds of request come
    /// back in any order.
    Earlier(u8),
    /// The last request with line `at` (modulo their number) dropped.
    Without(u8),
    /// The last request with line `at`'s value replaced.
    Changed(u8, Vec<u8>),
    /// A new request: HTTP/1.0 or 1.1, its lines, and where Host goes among them (1.1 only).
    New {
        http10: bool,
        lines: Vec<(Vec<u8>, Vec<u8>)>,
        host_at: u8,
    },
}

/// Field lines as (name, value).
type Lines = Vec<(Vec<u8>, Vec<u8>)>;

/// Bytes of a token (RFC 9110 §5.6.2).
const TCHAR: &[u8] = b"!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

fn name(raw: &[u8]) -> Vec<u8> {
    let n: Vec<u8> = raw
        .iter()
        .take(12)
        .map(|b| TCHAR[*b as usize % TCHAR.len()])
        .collect();
    if n.is_empty() {
        b"x".to_vec()
    } else {
        n
    }
}

/// A field value: visible ASCII, obs-text, SP and HTAB inside (RFC 9110 §5.5).
fn value(raw: &[u8]) -> Vec<u8> {
    raw.iter()
        .take(40)
        .map(|&b| match b {
            0x21..=0x7e | 0x80..=0xff | b' ' | b'\t' => b,
            _ => b'a' + b % 26,
        })
        .collect()
}

/// Everything a conversion gives, in the map's order.
type Summary = (http::Method, http::Uri, http::Version, Vec<(String, Vec<u8>)>);

fn summary(p: &http::request::Parts) -> Summary {
    let fields = p
        .headers
        .iter()
        .map(|(n, v)| (n.to_string(), v.as_bytes().to_vec()))
        .collect();
    (p.method.clone(), p.uri.clone(), p.version, fields)
}

fn check(head: &RequestHead, cache: &mut FieldCache) {
    let plain = head
        .to_http_parts()
        .map(|p| summary(&p))
        .map_err(|e| e.to_string());
    let cached = head
        .to_http_parts_cached(http::HeaderMap::new(), cache)
        .map(|p| summary(&p))
        .map_err(|e| e.to_string());
    assert_eq!(cached, plain, "{}", head.as_bytes().escape_ascii());
}

/// The input of the `http_fields` fuzz target: the requests of one connection.
#[derive(Arbitrary, Debug)]
pub struct HttpFieldsInput(pub Vec<Req>);

/// The checker: builds the connection's requests, feeds them, answers each with a 204, and
/// compares the two conversions of every head handed over.
pub fn http_fields(input: &HttpFieldsInput) {
    let reqs = &input.0;
    let mut stream = Vec::new();
    let mut sent: Vec<(bool, Lines)> = Vec::new();
    for r in reqs.iter().take(16) {
        let last = sent.last().cloned();
        let (http10, lines) = match (r, last) {
            (
                Req::New {
                    http10,
                    lines,
                    host_at,
                },
                _,
            ) => {
                let (http10, host_at) = (*http10, *host_at);
                let mut lines: Vec<_> = lines.iter().take(12).map(|(n, v)| (name(n), value(v))).collect();
                lines.retain(|(n, _)| !n.eq_ignore_ascii_case(b"host"));
                if !http10 {
                    let at = usize::from(host_at).min(lines.len());
                    lines.insert(at, (b"Host".to_vec(), b"h".to_vec()));
                }
                (http10, lines)
            }
            (Req::Again, Some(l)) => l,
            (Req::Earlier(n), Some(_)) => sent[sent.len() - 1 - usize::from(*n) % sent.len()].clone(),
            (Req::Without(at), Some((http10, mut lines))) if !lines.is_empty() => {
                let at = usize::from(*at) % lines.len();
                if !lines[at].0.eq_ignore_ascii_case(b"host") {
                    lines.remove(at);
                }
                (http10, lines)
            }
            (Req::Changed(at, v), Some((http10, mut lines))) if !lines.is_empty() => {
                let at = usize::from(*at) % lines.len();
                lines[at].1 = value(v);
                (http10, lines)
            }
            (_, l) => l.unwrap_or_default(),
        };
        stream.extend_from_slice(if http10 {
            b"GET / HTTP/1.0\r\n"
        } else {
            b"GET / HTTP/1.1\r\n"
        });
        for (n, v) in &lines {
            stream.extend_from_slice(n);
            stream.extend_from_slice(b": ");
            stream.extend_from_slice(v);
            stream.extend_from_slice(b"\r\n");
        }
        stream.extend_from_slice(b"\r\n");
        sent.push((http10, lines));
    }

    let mut cfg = Config::default();
    cfg.keep_alive.max_requests = 0;
    let now = Duration::ZERO;
    let mut conn = Connection::new(cfg, now);
    let mut cache = FieldCache::new();
    let mut fed = 0;
    for _ in 0..1000 {
        fed += conn.handle_input(&stream[fed..], now);
        let mut moved = false;
        while let Some(ev) = conn.poll_event() {
            moved = true;
            match ev {
                Event::Request(r) => check(&r.head, &mut cache),
                Event::End(_) => conn.send_full(&Response::new(204), b"", now).expect("a response"),
                _ => {}
            }
        }
        let n = conn.transmit().len();
        if n > 0 {
            conn.handle_written(n, now).expect("written");
            moved = true;
        }
        if !moved && (fed == stream.len() || conn.poll_close().is_some()) {
            break;
        }
    }
}
