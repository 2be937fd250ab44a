//! The response side: the head the application supplies ([`Response`]), its validation, reason
//! phrases, the framing decision ([`framing`]) and the `Date` formatter ([`date`]). The bytes are
//! written by the connection's writer.

use crate::conn::writer::Padded;
use crate::error::UsageError;
use crate::request::fields::{all_of, eq_lower, TCHAR};

pub(crate) mod date;
pub(crate) mod framing;

/// A response head as the application supplies it. The connection adds Content-Length,
/// Transfer-Encoding, Connection and Keep-Alive itself, from `length`, `close` and its keep-alive
/// decision, and `Date` when the adapter gave one ([`Connection::set_date`](crate::Connection::set_date))
/// and the response has none of its own.
#[derive(Debug, Clone, Copy)]
pub struct Response<'a> {
    /// Status code, 100..=999.
    pub status: u16,
    /// Reason phrase; `None` writes the standard one (or none for unknown codes). The status line
    /// keeps the SP after the code even when the phrase is empty (RFC 9112 §4).
    pub reason: Option<&'a str>,
    /// Header fields in order. Names must be tokens; values must hold no CR, LF or NUL
    /// (RFC 9112 §11.1).
    pub headers: &'a [(&'a str, &'a [u8])],
    /// The body length when known: written as Content-Length. `None` means chunked to HTTP/1.1 and
    /// close-delimited to HTTP/1.0.
    pub length: Option<u64>,
    /// Close the connection after this response: it says `Connection: close`, and no request after
    /// it is read (RFC 9112 §9.6; reason [`CloseReason::ResponseClose`](crate::CloseReason)).
    pub close: bool,
}

impl<'a> Response<'a> {
    /// A response with the standard reason phrase, no headers and an unknown length.
    pub const fn new(status: u16) -> Self {
        Response {
            status,
            reason: None,
            headers: &[],
            length: None,
            close: false,
        }
    }
    /// Closes the connection after this response.
    pub const fn close(mut self) -> Self {
        self.close = true;
        self
    }
    /// Sets the header fields.
    pub const fn headers(mut self, headers: &'a [(&'a str, &'a [u8])]) -> Self {
        self.headers = headers;
        self
    }
    /// Sets a known body length.
    pub const fn length(mut self, n: u64) -> Self {
        self.length = Some(n);
        self
    }
    /// Sets the reason phrase.
    pub const fn reason(mut self, r: &'a str) -> Self {
        self.reason = Some(r);
        self
    }
}

/// The whole status line of the most common codes with their standard reason phrase, to be
/// written in one piece.
pub(crate) fn common_status_line(status: u16) -> Option<&'static Padded> {
    static LINES: [Padded; 9] = [
        Padded::new(b"HTTP/1.1 200 OK\r\n"),
        Padded::new(b"HTTP/1.1 204 No Content\r\n"),
        Padded::new(b"HTTP/1.1 206 Partial Content\r\n"),
        Padded::new(b"HTTP/1.1 301 Moved Permanently\r\n"),
        Padded::new(b"HTTP/1.1 302 Found\r\n"),
        Padded::new(b"HTTP/1.1 304 Not Modified\r\n"),
        Padded::new(b"HTTP/1.1 400 Bad Request\r\n"),
        Padded::new(b"HTTP/1.1 404 Not Found\r\n"),
        Padded::new(b"HTTP/1.1 500 Internal Server Error\r\n"),
    ];
    let i = match status {
        200 => 0,
        204 => 1,
        206 => 2,
        301 => 3,
        302 => 4,
        304 => 5,
        400 => 6,
        404 => 7,
        500 => 8,
        _ => return None,
    };
    Some(&LINES[i])
}

/// The standard reason phrase of a status code (RFC 9110 §15), or "" for an unknown one.
pub fn reason_phrase(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        101 => "Switching Protocols",
        103 => "Early Hints",
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        203 => "Non-Authoritative Information",
        204 => "No Content",
        205 => "Reset Content",
        206 => "Partial Content",
        300 => "Multiple Choices",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        407 => "Proxy Authentication Required",
        408 => "Request Timeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "Length Required",
        412 => "Precondition Failed",
        413 => "Content Too Large",
        414 => "URI Too Long",
        415 => "Unsupported Media Type",
        416 => "Range Not Satisfiable",
        417 => "Expectation Failed",
        421 => "Misdirected Request",
        422 => "Unprocessable Content",
        426 => "Upgrade Required",
        428 => "Precondition Required",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        _ => "",
    }
}

/// What validation learned of a head's fields, for the writer.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct FieldsInfo {
    /// Bytes the field lines take on the wire.
    pub(crate) bytes: usize,
    /// The application sent its own `Date`.
    pub(crate) has_date: bool,
}

/// Checks application-supplied fields and reason phrase against response splitting
/// (RFC 9112 §11.1) and the fields the machine owns.
pub(crate) fn validate(resp: &Response<'_>) -> Result<FieldsInfo, UsageError> {
    if !(100..=999).contains(&resp.status) {
        return Err(UsageError::InvalidStatus);
    }
    if let Some(r) = resp.reason {
        if r.bytes().any(|b| (b < 0x20 && b != b'\t') || b == 0x7f) {
            return Err(UsageError::InvalidHeader);
        }
    }
    validate_fields(resp.headers)
}

/// Checks field lines (of a head or a trailer section): names are tokens, values hold no CR, LF or
/// NUL (RFC 9112 §11.1), and none is a field the machine owns.
pub(crate) fn validate_fields(fields: &[(&str, &[u8])]) -> Result<FieldsInfo, UsageError> {
    let mut info = FieldsInfo::default();
    for (name, value) in fields {
        let name = name.as_bytes();
        if name.is_empty() || !all_of(name, TCHAR) || !safe_value(value) {
            return Err(UsageError::InvalidHeader);
        }
        match name.len() {
            4 => info.has_date |= eq_lower(name, b"date"),
            10 | 14 | 17 if is_reserved(name) => return Err(UsageError::ReservedHeader),
            _ => {}
        }
        info.bytes += name.len() + value.len() + 4;
    }
    Ok(info)
}

/// No CR, LF or NUL. Eight bytes at a time, a word with no byte below 14 needs no closer look
/// (SWAR: a byte below 14 borrows when 14 is subtracted from it). The last word overlaps the one
/// before it; a value shorter than a word is looked at byte by byte.
#[inline]
fn safe_value(v: &[u8]) -> bool {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let bad = |b: u8| b == 0 || b == b'\n' || b == b'\r';
    let word = |w: &[u8]| {
        let mut a = [b' '; 8];
        a.copy_from_slice(w);
        u64::from_le_bytes(a)
    };
    let clean = |w: u64| w.wrapping_sub(LO * 14) & !w & HI == 0;
    if v.len() < 8 {
        return !v.iter().any(|&b| bad(b));
    }
    let mut chunks = v.chunks_exact(8);
    for c in &mut chunks {
        if !clean(word(c)) && c.iter().any(|&b| bad(b)) {
            return false;
        }
    }
    let tail = &v[v.len() - 8..];
    chunks.remainder().is_empty() || clean(word(tail)) || !tail.iter().any(|&b| bad(b))
}

fn is_reserved(name: &[u8]) -> bool {
    let reserved = match name.len() {
        10 => &["connection", "keep-alive"][..],
        14 => &["content-length"],
        17 => &["transfer-encoding"],
        _ => return false,
    };
    reserved.iter().any(|r| eq_lower(name, r.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 9112 §11.1: CR, LF or NUL anywhere in a value is refused, whichever eight-byte word it
    /// falls in; every other byte (HTAB, obs-text, the bytes next to them in value) is kept.
    #[test]
    fn rfc9112_11_1_cr_lf_nul_refused_at_every_position() {
        for len in 1..40 {
            for at in 0..len {
                for bad in [b'\r', b'\n', 0] {
                    let mut v = alloc::vec![b'a'; len];
                    v[at] = bad;
                    assert!(!safe_value(&v), "{bad} at {at} of {len}");
                }
                let mut v = alloc::vec![b'a'; len];
                v[at] = [b'\t', 0x0b, 0x0e, 0x7f, 0x80, 0xff][at % 6];
                assert!(safe_value(&v), "{:?}", v);
            }
        }
    }
}
