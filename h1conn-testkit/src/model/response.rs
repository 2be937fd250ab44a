//! How a response is framed, and whether the connection persists after it, asked as the RFC asks
//! them: which responses have no content (RFC 9110 §6.4.1), which must not announce a length at
//! all (RFC 9110 §8.6, RFC 9112 §6.1), and how the end of the content is announced when there is
//! content (RFC 9112 §6.1 to §6.3).

/// How a response body is delimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RespBody {
    /// No content. `content_length`: the length the response announces all the same (a HEAD or
    /// 304 response may carry the length the GET or 200 would have had).
    NoBody {
        /// The Content-Length announced without content.
        content_length: Option<u64>,
    },
    /// Content-Length and exactly that many octets.
    Length(u64),
    /// Transfer-Encoding: chunked.
    Chunked,
    /// The content ends when the connection closes.
    UntilClose,
}

/// RFC 9110 §15: "The first digit of the status code defines the class of response."
fn class(status: u16) -> u16 {
    status / 100
}

/// A request method, compared as RFC 9110 §9.1 says: "The method token is case-sensitive".
fn is(method: &[u8], name: &str) -> bool {
    method == name.as_bytes()
}

/// RFC 9110 §6.4.1: "Responses to the HEAD request method (Section 9.3.2) never include content
/// ... a 2xx (Successful) response to a CONNECT request method (Section 9.3.6) switches the
/// connection to tunnel mode instead of having content. All 1xx (Informational), 204 (No
/// Content), and 304 (Not Modified) responses do not include content." The same list is
/// RFC 9112 §6.3 rules 1 and 2, and §15.2, §15.3.5, §15.4.5: each "cannot contain content or
/// trailers".
fn has_no_content(method: &[u8], status: u16) -> bool {
    let to_head = is(method, "HEAD");
    let tunnel = is(method, "CONNECT") && class(status) == 2;
    let informational = class(status) == 1;
    to_head || tunnel || informational || status == 204 || status == 304
}

/// The responses that carry neither Content-Length nor Transfer-Encoding. RFC 9110 §8.6: "A
/// server MUST NOT send a Content-Length header field in any response with a status code of 1xx
/// (Informational) or 204 (No Content). A server MUST NOT send a Content-Length header field in
/// any 2xx (Successful) response to a CONNECT request"; RFC 9112 §6.1 says the same of
/// Transfer-Encoding.
fn must_not_announce_length(method: &[u8], status: u16) -> bool {
    class(status) == 1 || status == 204 || (is(method, "CONNECT") && class(status) == 2)
}

/// How a response with content marks where the content ends, given the length when known.
fn delimited(http11: bool, length: Option<u64>) -> RespBody {
    // RFC 9112 §6.2: "In the absence of Transfer-Encoding, an origin server MAY send a
    // Content-Length header field when the content size is known prior to sending the complete
    // header section." CHOICE: RFC 9112 §6.2 MAY send Content-Length (a known length may also be
    // chunked); the strict profile sends Content-Length (no field chunks it).
    if let Some(n) = length {
        return RespBody::Length(n);
    }
    // RFC 9112 §6.1: "A server MUST NOT send a response containing Transfer-Encoding unless the
    // corresponding request indicates HTTP/1.1 (or later minor revisions)." With chunked allowed,
    // it frames content of unknown length (§7.1); otherwise §6.3 rule 8: the length "is determined
    // by the number of octets received prior to the server closing the connection".
    match http11 {
        true => RespBody::Chunked,
        false => RespBody::UntilClose,
    }
}

/// The framing of a response with `status` to a `method` request of HTTP/1.1 (`http11`) or
/// HTTP/1.0, whose content length is `length` when known.
pub fn response_framing(method: &[u8], http11: bool, status: u16, length: Option<u64>) -> RespBody {
    if !has_no_content(method, status) {
        return delimited(http11, length);
    }
    if must_not_announce_length(method, status) {
        return RespBody::NoBody { content_length: None };
    }
    // What is left is HEAD and 304. CHOICE: RFC 9110 §8.6 "A server MAY send a Content-Length
    // header field in a response to a HEAD request" and "in a 304 (Not Modified) response to a
    // conditional GET request" (the length the GET / the 200 would have had); the strict profile
    // sends it whenever the application gives it. CHOICE: RFC 9112 §6.1 MAY send the
    // Transfer-Encoding a GET would have had in such a response; the strict profile never does.
    // No field takes the other side of either.
    RespBody::NoBody {
        content_length: length,
    }
}

/// The keep-alive policy as far as the model needs it (h1conn's default: on, 100 requests).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Keep-alive on.
    pub enabled: bool,
    /// Most requests served on one connection (0: no limit).
    pub max_requests: u32,
}

/// Whether the connection persists after the final response to the `nth` request (from 1), given
/// the client's side of persistence (RFC 9112 §9.3), the server's policy and the response framing.
pub fn persists_after(nth: u32, client_persists: bool, policy: Policy, framing: RespBody) -> bool {
    // RFC 9112 §9.3: "In order to remain persistent, all messages on a connection need to have a
    // self-defined message length (i.e., one not defined by closure of the connection)".
    let self_delimited = framing != RespBody::UntilClose;
    // The server's own wishes: RFC 9112 §9.6 lets either side close after a response, saying so
    // with the "close" option. The policy is configuration (KeepAlive::enabled, max_requests).
    let server_keeps = policy.enabled && (policy.max_requests == 0 || nth < policy.max_requests);
    client_persists && self_delimited && server_keeps
}
