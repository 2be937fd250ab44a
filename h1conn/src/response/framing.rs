//! How a response body is delimited (RFC 9112 §6.1-§6.3, RFC 9110 §6.4.1), as a pure function.

use crate::request::head::{Method, Version};

/// How a response body is delimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResponseFraming {
    /// No body bytes at all. `content_length` is written as a header when given (HEAD and 304 may
    /// carry the length the GET / 200 would have).
    NoBody {
        /// Content-Length to announce without sending a body.
        content_length: Option<u64>,
    },
    /// `Content-Length: n` and exactly n bytes.
    Length(u64),
    /// `Transfer-Encoding: chunked` (HTTP/1.1 requests only).
    Chunked,
    /// Unknown length to an HTTP/1.0 client: the body ends when the connection closes.
    CloseDelimited,
}

impl ResponseFraming {
    /// True when the body ends only with the connection.
    pub fn is_close_delimited(self) -> bool {
        self == ResponseFraming::CloseDelimited
    }
}

/// Chooses the framing of a response (RFC 9112 §6.1–§6.3, RFC 9110 §6.4.1):
/// 1xx, 204, 2xx to CONNECT: no body and no length; HEAD and 304: no body, the length if known;
/// a known length: Content-Length; otherwise chunked to HTTP/1.1 and close-delimited to HTTP/1.0.
pub fn response_framing(
    method: Method,
    version: Version,
    status: u16,
    length: Option<u64>,
) -> ResponseFraming {
    if (100..200).contains(&status)
        || status == 204
        || (method == Method::Connect && (200..300).contains(&status))
    {
        return ResponseFraming::NoBody { content_length: None };
    }
    if method == Method::Head || status == 304 {
        return ResponseFraming::NoBody {
            content_length: length,
        };
    }
    match (length, version) {
        (Some(n), _) => ResponseFraming::Length(n),
        (None, Version::Http11) => ResponseFraming::Chunked,
        (None, Version::Http10) => ResponseFraming::CloseDelimited,
    }
}
