//! Response heads: what the application supplies, how the machine writes it, reason phrases and the
//! IMF-fixdate formatter for `Date`.

use bytes::{BufMut, BytesMut};

use crate::error::UsageError;
use crate::rules::is_token;

/// A response head as the application supplies it. The connection adds Content-Length,
/// Transfer-Encoding, Connection and Keep-Alive itself, from `length` and its keep-alive decision.
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
}

impl<'a> Response<'a> {
    /// A response with the standard reason phrase, no headers and an unknown length.
    pub const fn new(status: u16) -> Self {
        Response {
            status,
            reason: None,
            headers: &[],
            length: None,
        }
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

/// Checks application-supplied fields and reason phrase against response splitting
/// (RFC 9112 §11.1) and the fields the machine owns.
pub(crate) fn validate(resp: &Response<'_>) -> Result<(), UsageError> {
    if !(100..=999).contains(&resp.status) {
        return Err(UsageError::InvalidStatus);
    }
    if let Some(r) = resp.reason {
        if r.bytes().any(|b| (b < 0x20 && b != b'\t') || b == 0x7f) {
            return Err(UsageError::InvalidHeader);
        }
    }
    for (name, value) in resp.headers {
        if !is_token(name.as_bytes()) || value.iter().any(|&b| b == b'\r' || b == b'\n' || b == 0) {
            return Err(UsageError::InvalidHeader);
        }
        if is_reserved(name) {
            return Err(UsageError::ReservedHeader);
        }
    }
    Ok(())
}

fn is_reserved(name: &str) -> bool {
    let reserved = match name.len() {
        10 => &["connection", "keep-alive"][..],
        14 => &["content-length"],
        17 => &["transfer-encoding"],
        _ => return false,
    };
    reserved.iter().any(|r| name.eq_ignore_ascii_case(r))
}

/// Appends the decimal form of `n`.
pub(crate) fn put_u64(out: &mut BytesMut, mut n: u64) {
    let mut tmp = [0u8; 20];
    let mut i = tmp.len();
    loop {
        i -= 1;
        tmp[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.put_slice(&tmp[i..]);
}

/// Appends the lowercase hex form of `n` (chunk sizes).
pub(crate) fn put_hex(out: &mut BytesMut, mut n: u64) {
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

/// Appends `HTTP/1.1 <status> <reason>\r\n` and the application's fields.
pub(crate) fn put_status_and_fields(out: &mut BytesMut, resp: &Response<'_>) {
    out.put_slice(b"HTTP/1.1 ");
    put_u64(out, u64::from(resp.status));
    out.put_u8(b' ');
    out.put_slice(
        resp.reason
            .unwrap_or_else(|| reason_phrase(resp.status))
            .as_bytes(),
    );
    out.put_slice(b"\r\n");
    for (name, value) in resp.headers {
        out.put_slice(name.as_bytes());
        out.put_slice(b": ");
        out.put_slice(value);
        out.put_slice(b"\r\n");
    }
}

/// Formats a Unix time (seconds since 1970-01-01T00:00:00Z) as an IMF-fixdate for the `Date`
/// field (RFC 9110 §5.6.7), e.g. `Sun, 06 Nov 1994 08:49:37 GMT`.
pub fn http_date(unix_secs: u64) -> [u8; 29] {
    let days = unix_secs / 86_400;
    let secs = unix_secs % 86_400;
    let (h, m, s) = (secs / 3600, (secs / 60) % 60, secs % 60);
    // 1970-01-01 was a Thursday.
    let weekday = ((days + 4) % 7) as usize;
    let (year, month, day) = civil_from_days(days as i64);
    const WD: [&[u8; 3]; 7] = [b"Sun", b"Mon", b"Tue", b"Wed", b"Thu", b"Fri", b"Sat"];
    const MO: [&[u8; 3]; 12] = [
        b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec",
    ];
    let mut out = *b"Thu, 01 Jan 1970 00:00:00 GMT";
    out[..3].copy_from_slice(WD[weekday]);
    two(&mut out[5..7], day as u64);
    out[8..11].copy_from_slice(MO[(month - 1) as usize]);
    let y = (year.clamp(0, 9999)) as u64;
    out[12] = b'0' + (y / 1000) as u8;
    out[13] = b'0' + (y / 100 % 10) as u8;
    out[14] = b'0' + (y / 10 % 10) as u8;
    out[15] = b'0' + (y % 10) as u8;
    two(&mut out[17..19], h);
    two(&mut out[20..22], m);
    two(&mut out[23..25], s);
    out
}

fn two(dst: &mut [u8], v: u64) {
    dst[0] = b'0' + (v / 10) as u8;
    dst[1] = b'0' + (v % 10) as u8;
}

/// Days since 1970-01-01 to (year, month 1..=12, day 1..=31), proleptic Gregorian calendar.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc9110_5_6_7_imf_fixdate_examples() {
        assert_eq!(&http_date(784_111_777), b"Sun, 06 Nov 1994 08:49:37 GMT");
        assert_eq!(&http_date(0), b"Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(&http_date(951_782_400), b"Tue, 29 Feb 2000 00:00:00 GMT");
        assert_eq!(&http_date(1_798_761_599), b"Thu, 31 Dec 2026 23:59:59 GMT");
    }

    #[test]
    fn hex_and_decimal() {
        let mut b = BytesMut::new();
        put_hex(&mut b, 0);
        put_hex(&mut b, 255);
        put_u64(&mut b, 0);
        put_u64(&mut b, u64::MAX);
        assert_eq!(&b[..], b"0ff018446744073709551615");
    }
}
