//! The response side: the head the application supplies ([`Response`]), its validation, reason
//! phrases, the framing decision ([`framing`]) and the `Date` formatter ([`date`]). The bytes are
//! written by the connection's writer.

use crate::error::UsageError;
use crate::request::fields::is_token;

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
    validate_fields(resp.headers)
}

/// Checks field lines (of a head or a trailer section): names are tokens, values hold no CR, LF or
/// NUL (RFC 9112 §11.1), and none is a field the machine owns.
pub(crate) fn validate_fields(fields: &[(&str, &[u8])]) -> Result<(), UsageError> {
    for (name, value) in fields {
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
