//! Persistence (RFC 9112 §9.3, §9.6): the keep-alive latch, and the one decision that says why a
//! connection will not carry another request.
//!
//! Keep-alive is a one-way latch: it starts open and every reason to close is recorded; it never
//! reopens. [`close_reasons`] is a pure function of the request, the policy (Apache's `KeepAlive`,
//! `MaxKeepAliveRequests`) and, once known, the response. The connection asks it twice: when it
//! parses a request ahead (is this the last request? then nothing after it is parsed), and when the
//! response head is written (the reasons close the latch, and the head says `Connection: close`).
//! [`connection_fields`] then says what the head announces.

use core::fmt;

use crate::config::{KeepAlive, KeepAliveHeader};
use crate::request::fields::ConnectionOptions;
use crate::request::head::Version;

/// Why a connection will not be kept alive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum CloseReason {
    /// The client sent a `close` connection option (RFC 9112 §9.3, §9.6).
    ClientClose = 0,
    /// An HTTP/1.0 request without `keep-alive` (RFC 9112 §9.3).
    Http10,
    /// Keep-alive is off by policy (`KeepAlive Off`).
    PolicyOff,
    /// The last request allowed on one connection was served (`MaxKeepAliveRequests`).
    MaxRequests,
    /// The connection lived past its maximum lifetime.
    Lifetime,
    /// A response without a known length to an HTTP/1.0 client ends with the connection.
    CloseDelimited,
    /// More of the request body than the discard budget was still unread when the response ended.
    UnreadBody,
    /// A final response answered an `Expect: 100-continue` request without `100 Continue`: the
    /// client may or may not send the body, so the connection cannot be reused (RFC 9110 §10.1.1).
    UnansweredContinue,
    /// The request framing was tolerated only on condition of closing (RFC 9112 §6.1).
    FramingFault,
    /// A peer error was answered with an error status (400, 408, 413, 414, 431, 501, 505).
    ErrorStatus,
    /// The application asked for a graceful shutdown.
    Shutdown,
    /// A timer expired (idle keep-alive, header, body, send or linger).
    Timeout,
    /// The peer ended its input.
    PeerClosed,
    /// The response body was shorter than announced, or the application aborted.
    Aborted,
    /// Reading or writing the transport failed.
    TransportFailed,
    /// The application asked to close after this response ([`Response::close`](crate::Response::close)).
    ResponseClose,
    /// The connection was handed over after 101 Switching Protocols or a 2xx to CONNECT.
    Upgraded,
}

impl CloseReason {
    const ALL: [CloseReason; 17] = [
        CloseReason::ClientClose,
        CloseReason::Http10,
        CloseReason::PolicyOff,
        CloseReason::MaxRequests,
        CloseReason::Lifetime,
        CloseReason::CloseDelimited,
        CloseReason::UnreadBody,
        CloseReason::UnansweredContinue,
        CloseReason::FramingFault,
        CloseReason::ErrorStatus,
        CloseReason::Shutdown,
        CloseReason::Timeout,
        CloseReason::PeerClosed,
        CloseReason::Aborted,
        CloseReason::TransportFailed,
        CloseReason::ResponseClose,
        CloseReason::Upgraded,
    ];
}

/// A set of [`CloseReason`]s.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct CloseReasons(u32);

impl CloseReasons {
    /// The empty set.
    pub const fn empty() -> Self {
        CloseReasons(0)
    }
    /// True when no reason was recorded.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }
    /// True when `r` is in the set.
    pub const fn contains(self, r: CloseReason) -> bool {
        self.0 & (1 << r as u8) != 0
    }
    /// Adds `r`.
    pub(crate) fn insert(&mut self, r: CloseReason) {
        self.0 |= 1 << r as u8;
    }
    /// The reasons, in declaration order.
    pub fn iter(self) -> impl Iterator<Item = CloseReason> {
        CloseReason::ALL.into_iter().filter(move |r| self.contains(*r))
    }
}

impl fmt::Debug for CloseReasons {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

/// The keep-alive latch: open until the first reason to close, then closed for good.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Persistence {
    reasons: CloseReasons,
}

impl Persistence {
    /// True while no reason to close was recorded.
    pub fn is_open(&self) -> bool {
        self.reasons.is_empty()
    }
    /// Records a reason to close. The latch never reopens.
    pub(crate) fn close(&mut self, r: CloseReason) {
        self.reasons.insert(r);
    }
    /// Records every reason in `rs`.
    pub(crate) fn close_all(&mut self, rs: CloseReasons) {
        self.reasons.0 |= rs.0;
    }
    /// Every reason recorded.
    pub fn reasons(&self) -> CloseReasons {
        self.reasons
    }
}

/// What the persistence decision knows of one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RequestSide {
    /// The request's version.
    pub version: Version,
    /// Its Connection options.
    pub options: ConnectionOptions,
    /// Its framing was accepted only on condition of closing (RFC 9112 §6.1).
    pub must_close: bool,
    /// Its number on this connection, from 1.
    pub nth: u32,
}

/// What the persistence decision knows of the response, once its head is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ResponseSide {
    /// The body ends with the connection.
    pub close_delimited: bool,
    /// A final response answers an `Expect: 100-continue` whose `100 Continue` was never sent.
    pub unanswered_continue: bool,
    /// The application asked to close after this response.
    pub close: bool,
}

/// Every reason the connection closes after this request (empty: it may persist).
pub(crate) fn close_reasons(
    policy: &KeepAlive,
    req: RequestSide,
    resp: Option<ResponseSide>,
) -> CloseReasons {
    let mut r = CloseReasons::empty();
    if let Err(why) = client_wants_persistence(req.version, req.options) {
        r.insert(why);
    }
    if req.must_close {
        r.insert(CloseReason::FramingFault);
    }
    if !policy.enabled {
        r.insert(CloseReason::PolicyOff);
    }
    if requests_left(policy.max_requests, req.nth) == Some(0) {
        r.insert(CloseReason::MaxRequests);
    }
    if let Some(resp) = resp {
        if resp.close_delimited {
            r.insert(CloseReason::CloseDelimited);
        }
        if resp.unanswered_continue {
            r.insert(CloseReason::UnansweredContinue);
        }
        if resp.close {
            r.insert(CloseReason::ResponseClose);
        }
    }
    r
}

/// What a final response head says about the connection (RFC 9112 §9.3, §9.6; `Keep-Alive` as in
/// RFC 2068 §19.7.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ConnectionFields {
    /// `Connection: close`.
    Close,
    /// The connection persists: `Connection: keep-alive` when `echo`, and `Keep-Alive: timeout=T`
    /// (with `, max=N` when requests are counted) when `header` is given.
    Persist {
        /// Write `Connection: keep-alive` (HTTP/1.0 clients need it; it goes with `Keep-Alive`).
        echo: bool,
        /// `(timeout in whole seconds, requests left)` for the `Keep-Alive` field.
        header: Option<(u64, Option<u32>)>,
    },
    /// Nothing: a tunnel after a 2xx to CONNECT.
    Nothing,
}

/// The connection fields of a final response head, from the keep-alive decision.
pub(crate) fn connection_fields(
    keep: bool,
    version: Version,
    policy: &KeepAlive,
    served: u32,
) -> ConnectionFields {
    if !keep {
        return ConnectionFields::Close;
    }
    let send_header = match policy.header {
        KeepAliveHeader::Never => false,
        KeepAliveHeader::Always => true,
        KeepAliveHeader::Http10Only => version == Version::Http10,
    };
    ConnectionFields::Persist {
        echo: version == Version::Http10 || send_header,
        // Whole seconds, never 0: a client may read `timeout=0` as "do not reuse".
        header: send_header.then(|| {
            (
                policy.timeout.as_secs().max(1),
                requests_left(policy.max_requests, served),
            )
        }),
    }
}

/// RFC 9112 §9.3, in its order: a `close` option closes; otherwise HTTP/1.1 persists; otherwise
/// HTTP/1.0 persists only with `keep-alive`.
pub(crate) fn client_wants_persistence(version: Version, conn: ConnectionOptions) -> Result<(), CloseReason> {
    if conn.close {
        return Err(CloseReason::ClientClose);
    }
    match version {
        Version::Http11 => Ok(()),
        Version::Http10 if conn.keep_alive => Ok(()),
        Version::Http10 => Err(CloseReason::Http10),
    }
}

/// How many more requests may follow the `served`-th one (1-based) under `max_requests`
/// (0 = unlimited: `None`). Zero means this response is the last one.
pub(crate) fn requests_left(max_requests: u32, served: u32) -> Option<u32> {
    if max_requests == 0 {
        None
    } else {
        Some(max_requests.saturating_sub(served))
    }
}
