//! A reference model of the HTTP/1.1 server rules, written from the RFC text alone: RFC 9112
//! (messages), RFC 9110 (semantics), RFC 3986 (URI, host, IP literals) and RFC 5234 (ABNF). It
//! stands for the strict profile (`Config::default()`) and does not import h1conn.
//!
//! The grammar is written as the ABNF reads, one small recogniser per rule (`abnf`, `uri`,
//! `head`), with every end a rule can reach kept, so alternatives and repetitions mean what
//! RFC 5234 says. Each rule cites its section. The model is meant to be read against the RFC, not
//! to be fast: it re-scans, allocates and copies freely.
//!
//! Three kinds of statement appear:
//! - MUST and SHOULD requirements, quoted or cited, which the model follows;
//! - `CHOICE:` a place where the RFC lets a recipient choose (a MAY, or "MUST either ... or ...");
//!   the model takes h1conn's strict side and names the `h1conn::Profile` or `Config` field that
//!   takes the other side, if one does;
//! - limits, which are configuration: the constants below mirror `Limits::default()`.
//!
//! Files: `abnf` (RFC 5234 operators, core and common rules), `uri` (RFC 3986, Host, the forms of
//! the request-target), `head` (lines, request-line, field lines, the verdict on a head), `fields`
//! (Content-Length, Transfer-Encoding, Connection, Expect), `chunked` (RFC 9112 §7.1), `response`
//! (response framing and persistence).

pub mod abnf;
mod chunked;
mod fields;
mod head;
mod response;
pub mod uri;

pub use chunked::{chunked_body, ChunkLimits, ChunkedBody, ChunkedEnd, ExtGrammar, Limit};
pub use fields::{client_persists, connection_options, content_length_rule, transfer_encoding_rule};
pub use head::{head_verdict, head_verdict_with, HeadLimits};
pub use response::{persists_after, response_framing, Policy, RespBody};
pub use uri::{is_valid_host, TARGET_RULE};

// ---- limits: configuration, not RFC text. They mirror `Limits::default()` --------------------------

/// Longest request line, CRLF excluded (414 beyond; RFC 9112 §3 recommends supporting at least
/// 8000 octets).
pub const MAX_REQUEST_LINE: usize = 8 * 1024;
/// Longest method (501 beyond: RFC 9112 §3 "A server that receives a method longer than any that
/// it implements SHOULD respond with a 501 (Not Implemented) status code").
pub const MAX_METHOD: usize = 32;
/// Most field lines (431 beyond; RFC 9110 §5.4 lets a server refuse a field section larger than it
/// wishes to process).
pub const MAX_FIELDS: usize = 100;
/// Longest field line, CRLF excluded (431 beyond).
pub const MAX_FIELD_LINE: usize = 8 * 1024;
/// Largest head, request line through the final CRLF, leading empty lines not counted (431 beyond).
pub const MAX_HEAD: usize = 64 * 1024;
/// Longest chunk-size line, CRLF excluded (413 beyond).
pub const MAX_CHUNK_LINE: usize = 4 * 1024;
/// Most octets of chunk extensions in one body (413 beyond; RFC 9112 §7.1.1).
pub const MAX_CHUNK_EXTENSIONS: usize = 16 * 1024;
/// Largest trailer section, its final CRLF excluded (431 beyond).
pub const MAX_TRAILERS: usize = 8 * 1024;

// ---- the verdict on a request head -----------------------------------------------------------------

/// How a request body is delimited (RFC 9112 §6.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Body {
    /// Rule 7: neither Transfer-Encoding nor Content-Length, so the length is zero.
    None,
    /// Rule 6: a valid Content-Length.
    Length(u64),
    /// Rule 4: Transfer-Encoding whose final coding is chunked.
    Chunked,
}

/// What the model says about a request head it accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    /// The method as sent.
    pub method: Vec<u8>,
    /// The request-target as sent.
    pub target: Vec<u8>,
    /// The minor version digit as sent.
    pub minor: u8,
    /// HTTP/1.1 semantics: minor 1 and above (RFC 9110 §6.2); false for HTTP/1.0.
    pub http11: bool,
    /// The field lines in order: names as sent, values without their surrounding OWS.
    pub fields: Vec<(Vec<u8>, Vec<u8>)>,
    /// How the body is delimited.
    pub body: Body,
    /// The client's side of persistence (RFC 9112 §9.3).
    pub persist: bool,
    /// The client asked for `100-continue` and has content to send (RFC 9110 §10.1.1).
    pub expect_continue: bool,
    /// Bytes of input the head takes, leading empty lines included.
    pub head_len: usize,
}

/// One broken rule: the status a server answers it with, and where the rule is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Violation {
    /// The response status.
    pub status: u16,
    /// The rule, by RFC section.
    pub rule: &'static str,
}

/// The model's verdict on a request head.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// A valid request.
    Accept(Accepted),
    /// Every broken rule found. The RFC orders no errors against each other, so a server may
    /// answer the status of any of them.
    Reject(Vec<Violation>),
    /// The head has not ended, and no continuation is ruled out yet.
    Incomplete,
}

impl Verdict {
    /// The statuses a server may answer a rejected head with (empty otherwise).
    pub fn statuses(&self) -> Vec<u16> {
        match self {
            Verdict::Reject(found) => found.iter().map(|x| x.status).collect(),
            _ => Vec::new(),
        }
    }
}

fn v(status: u16, rule: &'static str) -> Violation {
    Violation { status, rule }
}
