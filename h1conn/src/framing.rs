//! Message framing decisions as pure functions: how long a request body is (RFC 9112 §6.3) and how
//! a response body is delimited (RFC 9112 §6, RFC 9110 §6.4.1).

use crate::config::{Limits, Profile};
use crate::error::{PeerError, PeerErrorKind as K};
use crate::head::{Method, RequestHead, Version};
use crate::rules;

/// How a request body is delimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BodyFraming {
    /// No body: neither Content-Length nor Transfer-Encoding (RFC 9112 §6.3 rule 7).
    None,
    /// Exactly this many bytes (RFC 9112 §6.3 rule 6).
    Length(u64),
    /// Chunked transfer coding (RFC 9112 §7.1).
    Chunked,
}

/// The framing of a request body, and whether the framing was tolerated only on condition that
/// the connection closes after the response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RequestFraming {
    /// The body delimitation.
    pub body: BodyFraming,
    /// The framing was ambiguous but accepted by a lenient rule (CL with TE, TE in HTTP/1.0):
    /// the connection must close after the response (RFC 9112 §6.1).
    pub must_close: bool,
}

/// RFC 9112 §6.3 for requests: decides the body framing from the head, or the error to answer.
///
/// Order: Transfer-Encoding wins over Content-Length, but with both present the default profile
/// rejects (§6.1); Transfer-Encoding in HTTP/1.0 is faulty framing (§6.1); a Transfer-Encoding whose
/// final coding is not `chunked` is 400, an unknown coding 501; Content-Length must be `1*DIGIT`
/// with no conflicting repeats; neither means no body (requests are never close-delimited).
pub fn request_framing(
    head: &RequestHead,
    r: &Profile,
    limits: &Limits,
) -> Result<RequestFraming, PeerError> {
    let sp = head.special;
    let headers = head.headers();
    if sp.transfer_encoding {
        let mut must_close = false;
        if head.version() == Version::Http10 {
            if !r.allow_transfer_encoding_in_http10 {
                return Err(K::TransferEncodingInHttp10.into());
            }
            must_close = true;
        }
        if sp.content_length {
            if !r.allow_content_length_with_transfer_encoding {
                return Err(K::ContentLengthWithTransferEncoding.into());
            }
            must_close = true;
        }
        rules::transfer_encoding(headers.get_all("transfer-encoding"))?;
        return Ok(RequestFraming {
            body: BodyFraming::Chunked,
            must_close,
        });
    }
    if sp.content_length {
        let n = rules::content_length(
            headers.get_all("content-length"),
            r.collapse_identical_content_length,
        )?
        .unwrap_or(0);
        if limits.max_body.is_some_and(|max| n > max) {
            return Err(K::BodyTooLarge.into());
        }
        return Ok(RequestFraming {
            body: BodyFraming::Length(n),
            must_close: false,
        });
    }
    Ok(RequestFraming {
        body: BodyFraming::None,
        must_close: false,
    })
}

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
