//! Errors, split by who is at fault.
//!
//! * [`PeerError`]: the bytes the peer sent (or its timing) break a rule. It carries the status code
//!   the connection answers with and is sticky: once a connection has one, it parses nothing more.
//! * [`UsageError`]: the application called the machine out of order or handed it something it must
//!   not send (response splitting, a body longer than announced, ...). The connection state is left
//!   unchanged unless the error says otherwise.

use core::fmt;

/// What exactly the peer got wrong. Each kind maps to one status code ([`PeerErrorKind::status`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PeerErrorKind {
    /// The request line does not match `method SP request-target SP HTTP-version` (RFC 9112 §3).
    BadRequestLine,
    /// A request line without a version: HTTP/0.9 is not served (RFC 9112 §2.3).
    Http09,
    /// The version is not `HTTP/` DIGIT `.` DIGIT (RFC 9112 §2.3).
    BadVersion,
    /// A major version other than 1 (RFC 9110 §6.2, §15.6.6).
    VersionNotSupported,
    /// The method is longer than any method this server knows (RFC 9112 §3, 501).
    MethodTooLong,
    /// The request target is longer than the configured limit (RFC 9112 §3, 414).
    UriTooLong,
    /// The request target is not in the grammar of RFC 9112 §3.2 (origin-form `/path?query`,
    /// absolute-form `scheme://authority/path?query`, authority-form `host:port`, asterisk-form
    /// `*`) over the characters of RFC 3986: a byte outside them (`#`, so any fragment, among them), a
    /// `%` without two hex digits, an absolute-form authority that is not a valid Host value or,
    /// for "http" and "https", has an empty host or userinfo (RFC 9110 §4.2), a CONNECT target
    /// with an empty host or a port that is empty or above 65535 (RFC 9110 §9.3.6). The profile may
    /// let raw obs-text and some ASCII through in the path and query
    /// ([`Profile::allow_obs_text_in_target`](crate::Profile::allow_obs_text_in_target),
    /// [`Profile::allow_unencoded_ascii_in_target`](crate::Profile::allow_unencoded_ascii_in_target)).
    BadTarget,
    /// The form of the target does not fit the method: authority-form without CONNECT, asterisk-form
    /// without OPTIONS, or CONNECT without authority-form (RFC 9112 §3.2.3, §3.2.4).
    TargetFormMismatch,
    /// A line ends in a bare LF and the profile requires CRLF (RFC 9112 §2.2).
    BareLf,
    /// A CR not followed by LF (RFC 9112 §2.2).
    BareCr,
    /// Whitespace between the start line and the first field line (RFC 9112 §2.2).
    WhitespaceAfterStartLine,
    /// A field line continued with obs-fold (RFC 9112 §5.2).
    ObsFold,
    /// Whitespace between a field name and its colon (RFC 9112 §5.1).
    WhitespaceBeforeColon,
    /// A field name that is empty, lacks its colon or holds a non-token byte (RFC 9110 §5.1).
    BadFieldName,
    /// A field value with CR, LF, NUL or another control byte (RFC 9110 §5.5).
    BadFieldValue,
    /// More field lines than the configured limit (RFC 9110 §5.4, 431).
    TooManyFields,
    /// One field line longer than the configured limit (RFC 9110 §5.4, 431).
    FieldTooLarge,
    /// The header section is larger than the configured limit (RFC 9110 §5.4, 431).
    HeadTooLarge,
    /// An HTTP/1.1 request without Host (RFC 9112 §3.2).
    MissingHost,
    /// More than one Host field line (RFC 9112 §3.2).
    DuplicateHost,
    /// A Host value that is not `uri-host [ ":" port ]` (RFC 9112 §3.2).
    BadHost,
    /// A Content-Length that is not 1*DIGIT or overflows (RFC 9112 §6.3).
    BadContentLength,
    /// Content-Length given more than once (with differing values, or at all in the strict profile).
    DuplicateContentLength,
    /// A Transfer-Encoding value that breaks the rules: empty, `chunked` twice, parameters on
    /// `chunked`, bad token (RFC 9112 §6.1, §7).
    BadTransferEncoding,
    /// The final transfer coding is not `chunked` (RFC 9112 §6.3: 400 and close).
    ChunkedNotFinal,
    /// A transfer coding this server does not understand (RFC 9112 §6.1: 501).
    UnknownTransferCoding,
    /// Both Content-Length and Transfer-Encoding (RFC 9112 §6.1; rejected by the default profile).
    ContentLengthWithTransferEncoding,
    /// Transfer-Encoding in an HTTP/1.0 request (RFC 9112 §6.1: faulty framing).
    TransferEncodingInHttp10,
    /// A chunk-size line that is not `1*HEXDIG [ chunk-ext ] CRLF`, or missing CRLF after chunk data
    /// (RFC 9112 §7.1).
    BadChunk,
    /// A chunk size that does not fit in 64 bits (RFC 9112 §7.1).
    ChunkSizeOverflow,
    /// Chunk extensions larger in total than the configured limit (RFC 9112 §7.1.1, 413).
    ChunkExtensionsTooLarge,
    /// One chunk-size line longer than the configured limit (413).
    ChunkLineTooLong,
    /// The trailer section is larger than the configured limit (RFC 9112 §7.1.2, 431).
    TrailersTooLarge,
    /// A trailer field line that breaks the field grammar (RFC 9112 §7.1.2).
    BadTrailer,
    /// The body is larger than the configured limit (RFC 9110 §15.5.14, 413).
    BodyTooLarge,
    /// The peer ended its input inside a request head or body (RFC 9112 §6.3, §8).
    Incomplete,
    /// The request head did not arrive before the header-read deadline (RFC 9110 §15.5.9, 408).
    HeaderTimeout,
    /// The request body stalled past the body-read deadline (RFC 9110 §15.5.9, 408).
    BodyTimeout,
    /// An Expect value other than `100-continue` (RFC 9110 §10.1.1, 417).
    ExpectationFailed,
    /// A CONNECT request whose fields frame content (RFC 9110 §9.3.6: it has none).
    ContentInConnect,
}

impl PeerErrorKind {
    /// The status code the server answers this error with.
    pub const fn status(self) -> u16 {
        use PeerErrorKind::*;
        match self {
            VersionNotSupported => 505,
            MethodTooLong | UnknownTransferCoding => 501,
            UriTooLong => 414,
            TooManyFields | FieldTooLarge | HeadTooLarge | TrailersTooLarge => 431,
            ChunkExtensionsTooLarge | ChunkLineTooLong | BodyTooLarge => 413,
            HeaderTimeout | BodyTimeout => 408,
            ExpectationFailed => 417,
            _ => 400,
        }
    }

    /// A short, fixed description of the error (no peer bytes are echoed).
    pub const fn reason(self) -> &'static str {
        use PeerErrorKind::*;
        match self {
            BadRequestLine => "malformed request line",
            Http09 => "HTTP/0.9 request line without version",
            BadVersion => "malformed HTTP version",
            VersionNotSupported => "HTTP major version not supported",
            MethodTooLong => "method longer than any known",
            UriTooLong => "request target too long",
            BadTarget => "invalid request target",
            TargetFormMismatch => "request-target form does not fit the method",
            BareLf => "line ends in bare LF",
            BareCr => "bare CR in the message head",
            WhitespaceAfterStartLine => "whitespace between start line and first field",
            ObsFold => "obsolete line folding",
            WhitespaceBeforeColon => "whitespace between field name and colon",
            BadFieldName => "invalid field name",
            BadFieldValue => "invalid byte in field value",
            TooManyFields => "too many header fields",
            FieldTooLarge => "header field too large",
            HeadTooLarge => "header section too large",
            MissingHost => "HTTP/1.1 request without Host",
            DuplicateHost => "more than one Host",
            BadHost => "invalid Host value",
            BadContentLength => "invalid Content-Length",
            DuplicateContentLength => "repeated Content-Length",
            BadTransferEncoding => "invalid Transfer-Encoding",
            ChunkedNotFinal => "chunked is not the final transfer coding",
            UnknownTransferCoding => "transfer coding not implemented",
            ContentLengthWithTransferEncoding => "both Content-Length and Transfer-Encoding",
            TransferEncodingInHttp10 => "Transfer-Encoding in an HTTP/1.0 request",
            BadChunk => "malformed chunked framing",
            ChunkSizeOverflow => "chunk size overflows",
            ChunkExtensionsTooLarge => "chunk extensions too large",
            ChunkLineTooLong => "chunk-size line too long",
            TrailersTooLarge => "trailer section too large",
            BadTrailer => "invalid trailer field",
            BodyTooLarge => "request body too large",
            Incomplete => "input ended inside a request",
            HeaderTimeout => "request head not received in time",
            BodyTimeout => "request body not received in time",
            ExpectationFailed => "expectation not supported",
            ContentInConnect => "CONNECT request with content",
        }
    }
}

/// The peer broke a protocol rule. Carries the status code to answer with.
///
/// A connection that reports a `PeerError` has stopped parsing for good: it writes the error
/// response (when no response is under way), refuses keep-alive and closes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PeerError {
    kind: PeerErrorKind,
}

impl PeerError {
    /// Wraps a kind.
    pub const fn new(kind: PeerErrorKind) -> Self {
        PeerError { kind }
    }
    /// What the peer got wrong.
    pub const fn kind(&self) -> PeerErrorKind {
        self.kind
    }
    /// The status code to answer with (400, 408, 413, 414, 417, 431, 501 or 505).
    pub const fn status(&self) -> u16 {
        self.kind.status()
    }
    /// A short fixed reason.
    pub const fn reason(&self) -> &'static str {
        self.kind.reason()
    }
}

impl From<PeerErrorKind> for PeerError {
    fn from(kind: PeerErrorKind) -> Self {
        PeerError { kind }
    }
}

impl fmt::Display for PeerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "peer error {}: {}", self.status(), self.reason())
    }
}

#[cfg(feature = "std")]
impl std::error::Error for PeerError {}

/// The application used the connection wrongly. Nothing was sent; the state is unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum UsageError {
    /// A response was given while no request is waiting for one.
    NoRequestPending,
    /// A response head was given twice for one request.
    ResponseAlreadyStarted,
    /// Body data or end of body was given before the response head.
    ResponseNotStarted,
    /// The status code is outside 100..=999.
    InvalidStatus,
    /// A header name is not a token, or a value holds CR, LF or NUL (RFC 9112 §11.1).
    InvalidHeader,
    /// A header the machine writes itself was supplied (Content-Length, Transfer-Encoding,
    /// Connection, Keep-Alive): use the response's length instead.
    ReservedHeader,
    /// Body data for a response that has no body (HEAD, 1xx, 101, 204, 304, 2xx to CONNECT).
    BodyNotAllowed,
    /// More body bytes than the announced Content-Length.
    BodyTooLong,
    /// A whole body whose size differs from the length the response announces.
    LengthMismatch,
    /// Trailer fields for a response that is not chunked.
    TrailersNotAllowed,
    /// A 101 response to a request that asked for no upgrade, or to a protocol it did not list.
    UpgradeNotRequested,
    /// `accept_body` was called when no body is waiting for it.
    NoBodyToAccept,
    /// The connection is closed, upgraded or handed off: it takes no more calls of this kind.
    Closed,
    /// More transmitted bytes were acknowledged than were handed out.
    AckBeyondTransmit,
}

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use UsageError::*;
        let s = match self {
            NoRequestPending => "no request is waiting for a response",
            ResponseAlreadyStarted => "the response head was already given",
            ResponseNotStarted => "no response head was given yet",
            InvalidStatus => "invalid status code",
            InvalidHeader => "header name or value not allowed (CR, LF or NUL, or a non-token name)",
            ReservedHeader => {
                "Content-Length, Transfer-Encoding, Connection and Keep-Alive are written by the connection"
            }
            BodyNotAllowed => "this response has no body",
            BodyTooLong => "more body bytes than announced",
            LengthMismatch => "the body's size differs from the announced length",
            TrailersNotAllowed => "trailer fields need a chunked response",
            UpgradeNotRequested => "the request did not ask for this upgrade",
            NoBodyToAccept => "no request body is waiting to be accepted",
            Closed => "the connection is closed or handed off",
            AckBeyondTransmit => "acknowledged more bytes than were handed out",
        };
        f.write_str(s)
    }
}

#[cfg(feature = "std")]
impl std::error::Error for UsageError {}
