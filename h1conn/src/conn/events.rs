//! What the connection tells the application ([`Event`], [`Request`]) and how it asks the transport
//! to close ([`Close`], [`CloseHow`]).

use bytes::Bytes;

#[cfg(doc)]
use super::Connection;

use super::persistence::CloseReasons;
use crate::error::PeerError;
use crate::request::framing::BodyFraming;
use crate::request::head::{RequestHead, Trailers};

/// A request, surfaced once the previous response is complete.
#[derive(Debug, Clone)]
pub struct Request {
    /// The parsed head.
    pub head: RequestHead,
    /// How its body is delimited. Body bytes follow as [`Event::Data`], then [`Event::End`].
    pub framing: BodyFraming,
    /// The client waits for `100 Continue` before sending the body (HTTP/1.1 `Expect:
    /// 100-continue`). Call [`Connection::accept_body`] to send it and receive the body, or answer
    /// with a final response directly (the connection then closes after it, since the client may
    /// or may not send the body).
    pub expects_continue: bool,
}

/// What the connection tells the application.
#[derive(Debug, Clone)]
pub enum Event {
    /// A request head. Every `Request` is followed by its [`Event::Data`] pieces and then exactly
    /// one of [`Event::End`] (at once when it has no body), [`Event::Error`] (the body broke a rule)
    /// or [`Event::Discarded`] (the response ended first); an [`Event::Upgrade`] may follow `End`.
    Request(Request),
    /// Request body bytes (never empty), slices of the read buffer.
    Data(Bytes),
    /// The request body is complete; trailer fields of a chunked body, kept apart.
    End(Option<Trailers>),
    /// The response ended (or the connection is closing) before the request body was delivered:
    /// the rest of the body is read and dropped, or the connection closes. No more events for
    /// this request.
    Discarded,
    /// The response switched protocols (101) or opened a tunnel (2xx to CONNECT). The bytes are
    /// what the peer sent after the request; flush [`Connection::transmit`], then the transport
    /// belongs to the new protocol.
    Upgrade(Bytes),
    /// The peer broke a rule. When no response was started, the connection has queued the error
    /// response itself. Nothing more will be parsed.
    Error(PeerError),
}

/// How to close the transport.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CloseHow {
    /// Everything was sent and no unread input is expected: close.
    Graceful,
    /// Shut down the write side, keep reading and feeding input (it is discarded) until
    /// [`Connection::is_done`], so a reset does not destroy the response (RFC 9112 §9.6).
    Linger,
    /// Close at once; pending output is void (the connection must never be reused).
    Abort,
}

/// The decision to close: how, and every reason recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Close {
    /// How to close.
    pub how: CloseHow,
    /// Why.
    pub reasons: CloseReasons,
}
