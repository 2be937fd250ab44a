//! How long a request body is (RFC 9112 §6.3), as a pure function of the parsed head.

use crate::config::{Limits, Profile};
use crate::error::{PeerError, PeerErrorKind as K};
use crate::request::fields as rules;
use crate::request::head::{Method, RequestHead, Version};

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
    let f = framing_fields(head, r, limits)?;
    // RFC 9110 §9.3.6: a CONNECT request has no content; what follows its head is tunnel data.
    // A head that frames content anyway is refused rather than guessed at.
    if head.method() == Method::Connect && !matches!(f.body, BodyFraming::None | BodyFraming::Length(0)) {
        return Err(K::ContentInConnect.into());
    }
    Ok(f)
}

/// The framing the Transfer-Encoding and Content-Length fields give (RFC 9112 §6.1, §6.3).
fn framing_fields(head: &RequestHead, r: &Profile, limits: &Limits) -> Result<RequestFraming, PeerError> {
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
