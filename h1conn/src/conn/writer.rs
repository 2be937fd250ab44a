//! Every response byte: heads (with the fields the connection owns), `100 Continue`, the connection's
//! own error responses, chunks, the last chunk and trailers. Pure encoders over the output buffer;
//! the connection decides what to write and when.

use alloc::vec::Vec;

use bytes::BufMut;

use crate::conn::persistence::ConnectionFields;
use crate::error::PeerError;
use crate::response::framing::ResponseFraming;
use crate::response::{common_status_line, reason_phrase, FieldsInfo, Response};

/// Writes a final response head: status line, `Date` (when given and the application sent none,
/// RFC 9110 §6.6.1), the application's fields, the framing field, the connection fields and the
/// empty line. `info` is what validation learned of the fields.
pub(crate) fn head(
    out: &mut Vec<u8>,
    resp: &Response<'_>,
    info: FieldsInfo,
    framing: ResponseFraming,
    conn: ConnectionFields,
    date: Option<&DateLine>,
) {
    // One reservation for the whole head and a small body instead of growing step by step.
    let estimate =
        160 + resp.reason.map_or(0, str::len) + info.bytes + resp.length.map_or(0, |n| n.min(1024) as usize);
    out.reserve(estimate);
    put_status_line(out, resp);
    if let Some(d) = date.filter(|_| !info.has_date) {
        out.extend_from_slice(d);
    }
    put_fields(out, resp.headers);
    match framing {
        ResponseFraming::Length(n)
        | ResponseFraming::NoBody {
            content_length: Some(n),
        } => {
            out.put_slice(b"Content-Length: ");
            put_u64(out, n);
            out.put_slice(b"\r\n");
        }
        ResponseFraming::Chunked => out.put_slice(b"Transfer-Encoding: chunked\r\n"),
        _ => {}
    }
    match conn {
        ConnectionFields::Close => out.put_slice(b"Connection: close\r\n"),
        ConnectionFields::Persist { echo, header } => {
            if echo {
                out.put_slice(b"Connection: keep-alive\r\n");
            }
            if let Some((timeout, left)) = header {
                out.put_slice(b"Keep-Alive: timeout=");
                put_u64(out, timeout);
                if let Some(left) = left {
                    out.put_slice(b", max=");
                    put_u64(out, u64::from(left));
                }
                out.put_slice(b"\r\n");
            }
        }
        ConnectionFields::Nothing => {}
    }
    out.put_slice(b"\r\n");
}

/// An interim (1xx) response head, as given.
pub(crate) fn interim(out: &mut Vec<u8>, resp: &Response<'_>) {
    put_status_line(out, resp);
    put_fields(out, resp.headers);
    out.put_slice(b"\r\n");
}

/// `101 Switching Protocols` with the application's fields (its Upgrade field among them).
pub(crate) fn switch(out: &mut Vec<u8>, resp: &Response<'_>) {
    put_status_line(out, resp);
    put_fields(out, resp.headers);
    out.put_slice(b"Connection: upgrade\r\n\r\n");
}

/// `100 Continue` (RFC 9110 §10.1.1).
pub(crate) fn continue_100(out: &mut Vec<u8>) {
    out.put_slice(b"HTTP/1.1 100 Continue\r\n\r\n");
}

/// The connection's own answer to a peer error: self-delimited, `Connection: close`, a short fixed
/// text; no body bytes to a HEAD request (RFC 9110 §9.3.2), which still gets the length a GET would.
pub(crate) fn error_response(out: &mut Vec<u8>, e: PeerError, to_head: bool, date: Option<&DateLine>) {
    let body = e.reason().as_bytes();
    let len = body.len() as u64 + 1;
    let resp = Response::new(e.status())
        .headers(&[("Content-Type", b"text/plain")])
        .length(len);
    let framing = if to_head {
        ResponseFraming::NoBody {
            content_length: Some(len),
        }
    } else {
        ResponseFraming::Length(len)
    };
    let info = crate::response::validate_fields(resp.headers).unwrap_or_default();
    head(out, &resp, info, framing, ConnectionFields::Close, date);
    if !to_head {
        out.put_slice(body);
        out.put_u8(b'\n');
    }
}

/// One chunk of a chunked body (RFC 9112 §7.1); never called with empty data.
pub(crate) fn chunk(out: &mut Vec<u8>, data: &[u8]) {
    put_hex(out, data.len() as u64);
    out.put_slice(b"\r\n");
    out.put_slice(data);
    out.put_slice(b"\r\n");
}

/// The last chunk and the trailer section (RFC 9112 §7.1.2).
pub(crate) fn last_chunk(out: &mut Vec<u8>, trailers: &[(&str, &[u8])]) {
    out.put_slice(b"0\r\n");
    put_fields(out, trailers);
    out.put_slice(b"\r\n");
}

/// Appends the decimal form of `n`: one digit and two digits directly, longer numbers two digits
/// per division.
pub(crate) fn put_u64(out: &mut Vec<u8>, n: u64) {
    const PAIRS: &[u8; 200] = b"0001020304050607080910111213141516171819\
        2021222324252627282930313233343536373839\
        4041424344454647484950515253545556575859\
        6061626364656667686970717273747576777879\
        8081828384858687888990919293949596979899";
    if n < 10 {
        out.push(b'0' + n as u8);
        return;
    }
    if n < 100 {
        let i = 2 * n as usize;
        out.extend_from_slice(&PAIRS[i..i + 2]);
        return;
    }
    let mut tmp = [0u8; 20];
    let mut i = tmp.len();
    let mut n = n;
    while n >= 100 {
        let p = 2 * (n % 100) as usize;
        n /= 100;
        i -= 2;
        tmp[i..i + 2].copy_from_slice(&PAIRS[p..p + 2]);
    }
    if n >= 10 {
        let p = 2 * n as usize;
        i -= 2;
        tmp[i..i + 2].copy_from_slice(&PAIRS[p..p + 2]);
    } else {
        i -= 1;
        tmp[i] = b'0' + n as u8;
    }
    out.extend_from_slice(&tmp[i..]);
}

/// A line of at most [`Padded::SIZE`] bytes in a fixed-size array.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Padded {
    bytes: [u8; Padded::SIZE],
    len: usize,
}

impl Padded {
    pub(crate) const SIZE: usize = 48;

    /// `s` padded (at most [`Padded::SIZE`] bytes; checked when built in a constant).
    pub(crate) const fn new(s: &[u8]) -> Self {
        let mut bytes = [0u8; Padded::SIZE];
        let mut i = 0;
        while i < s.len() {
            bytes[i] = s[i];
            i += 1;
        }
        Padded { bytes, len: s.len() }
    }
}

/// Appends a padded line: the whole array (a copy of known size, done inline without a call), then
/// the padding is cut off again.
#[inline]
fn put_padded(out: &mut Vec<u8>, line: &Padded) {
    let keep = out.len() + line.len;
    out.extend_from_slice(&line.bytes);
    out.truncate(keep);
}

/// A `Date` field line (RFC 9110 §6.6.1), built once for each value
/// [`Connection::set_date`](crate::Connection::set_date) is given.
pub(crate) type DateLine = [u8; 37];

/// `Date: <date>\r\n`.
pub(crate) fn date_line(date: &[u8; 29]) -> DateLine {
    let mut line = [0u8; 37];
    line[..6].copy_from_slice(b"Date: ");
    line[6..35].copy_from_slice(date);
    line[35..].copy_from_slice(b"\r\n");
    line
}

/// Appends the lowercase hex form of `n` (chunk sizes).
pub(crate) fn put_hex(out: &mut Vec<u8>, mut n: u64) {
    let mut tmp = [0u8; 16];
    let mut i = tmp.len();
    loop {
        i -= 1;
        tmp[i] = b"0123456789abcdef"[(n & 15) as usize];
        n >>= 4;
        if n == 0 {
            break;
        }
    }
    out.put_slice(&tmp[i..]);
}

/// Appends `HTTP/1.1 <status> <reason>\r\n`.
fn put_status_line(out: &mut Vec<u8>, resp: &Response<'_>) {
    if let Some(line) = resp
        .reason
        .is_none()
        .then(|| common_status_line(resp.status))
        .flatten()
    {
        put_padded(out, line);
        return;
    }
    out.put_slice(b"HTTP/1.1 ");
    put_u64(out, u64::from(resp.status));
    out.put_u8(b' ');
    out.put_slice(
        resp.reason
            .unwrap_or_else(|| reason_phrase(resp.status))
            .as_bytes(),
    );
    out.put_slice(b"\r\n");
}

/// Appends field lines.
fn put_fields(out: &mut Vec<u8>, fields: &[(&str, &[u8])]) {
    for (name, value) in fields {
        out.put_slice(name.as_bytes());
        out.put_slice(b": ");
        out.put_slice(value);
        out.put_slice(b"\r\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_and_decimal() {
        let mut b = Vec::new();
        put_hex(&mut b, 0);
        put_hex(&mut b, 255);
        put_u64(&mut b, 0);
        put_u64(&mut b, u64::MAX);
        assert_eq!(&b[..], b"0ff018446744073709551615");
        for n in [1, 9, 10, 42, 99, 100, 101, 999, 1000, 12345, 1 << 40] {
            b.clear();
            put_u64(&mut b, n);
            assert_eq!(b, alloc::format!("{n}").into_bytes());
        }
    }

    /// RFC 9112 §6.3: the Content-Length line holds the decimal length, whatever its size.
    #[test]
    fn rfc9112_6_3_content_length_line() {
        for n in [0, 5, 9, 10, 4096, 1 << 40, u64::MAX] {
            let mut b = Vec::new();
            let resp = Response::new(200).length(n);
            let info = FieldsInfo::default();
            head(
                &mut b,
                &resp,
                info,
                ResponseFraming::Length(n),
                ConnectionFields::Close,
                None,
            );
            let want = alloc::format!("HTTP/1.1 200 OK\r\nContent-Length: {n}\r\nConnection: close\r\n\r\n");
            assert_eq!(b, want.into_bytes());
        }
    }

    /// RFC 9112 §4: the prebuilt status lines are `HTTP/1.1 <code> <standard reason>`.
    #[test]
    fn rfc9112_4_prebuilt_status_lines() {
        for status in 100..1000 {
            let mut b = Vec::new();
            put_status_line(&mut b, &Response::new(status));
            let want = alloc::format!("HTTP/1.1 {status} {}\r\n", crate::response::reason_phrase(status));
            assert_eq!(b, want.into_bytes(), "{status}");
        }
    }
}
