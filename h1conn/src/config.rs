//! Configuration: limits, parsing rules (strict or lenient profile), keep-alive policy and timers.
//!
//! Every field has a default in the range of Apache httpd and nginx; docs/configuration.md maps each
//! one to the directive it mirrors.

use core::time::Duration;

/// Size limits on what the peer may make the connection buffer. Each is checked before more bytes
/// are buffered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Longest request line in bytes, CRLF excluded (default 8 KiB; Apache `LimitRequestLine`).
    /// Beyond: 414.
    pub max_request_line: usize,
    /// Longest method in bytes (default 32). Beyond: 501.
    pub max_method: usize,
    /// Most field lines in the header section (default 100; Apache `LimitRequestFields`). Beyond: 431.
    pub max_fields: usize,
    /// Longest single field line in bytes (default 8 KiB; Apache `LimitRequestFieldSize`). Beyond: 431.
    pub max_field_line: usize,
    /// Largest header section in bytes, request line included (default 64 KiB). Beyond: 431.
    pub max_head: usize,
    /// Largest request body in bytes (default `None`: unlimited; Apache `LimitRequestBody`, nginx
    /// `client_max_body_size`). Beyond: 413.
    pub max_body: Option<u64>,
    /// Longest single chunk-size line in bytes, CRLF excluded: the size digits and any extensions
    /// (default 4 KiB, as Go's `net/http`). Counted per line, so a chunked body may have any number
    /// of chunks. Beyond: 413 (`ChunkLineTooLong`), as Apache answers a line over its limit.
    pub max_chunk_line: usize,
    /// Total bytes of chunk extensions in one chunked body: everything after the size digits on
    /// each chunk-size line, CRLF excluded (default 16 KiB). Beyond: 413
    /// (`ChunkExtensionsTooLarge`; RFC 9112 §7.1.1 asks a server to limit their total length).
    pub max_chunk_extensions: usize,
    /// Largest trailer section in bytes (default 8 KiB). Beyond: 431.
    pub max_trailers: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_request_line: 8 * 1024,
            max_method: 32,
            max_fields: 100,
            max_field_line: 8 * 1024,
            max_head: 64 * 1024,
            max_body: None,
            max_chunk_line: 4 * 1024,
            max_chunk_extensions: 16 * 1024,
            max_trailers: 8 * 1024,
        }
    }
}

/// Which RFC `MAY`s the parser takes. [`Profile::strict`] (the default) rejects every one of them;
/// [`Profile::lenient`] accepts what RFC 9112 allows a recipient to accept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    /// Accept a bare LF as the end of a head line (RFC 9112 §2.2 MAY). Never inside chunked framing.
    pub allow_lf_line_endings: bool,
    /// Replace a bare CR in the head by SP instead of rejecting (RFC 9112 §2.2 MAY).
    pub replace_bare_cr: bool,
    /// Replace obs-fold by SP instead of rejecting (RFC 9112 §5.2 MAY).
    pub allow_obs_fold: bool,
    /// Accept control bytes other than CR, LF and NUL in field values (HTAB is always accepted).
    pub allow_ctl_in_values: bool,
    /// Collapse repeated identical Content-Length values (`5, 5`) into one (RFC 9110 §8.6 MAY).
    pub collapse_identical_content_length: bool,
    /// Accept Content-Length together with Transfer-Encoding: frame by Transfer-Encoding and close
    /// after the response (RFC 9112 §6.1 MAY).
    pub allow_content_length_with_transfer_encoding: bool,
    /// Accept Transfer-Encoding in an HTTP/1.0 request: frame by it and close after the response
    /// (RFC 9112 §6.1 "faulty framing").
    pub allow_transfer_encoding_in_http10: bool,
    /// Accept raw bytes 0x80..=0xFF in the path and query of the request target (nginx does;
    /// RFC 3986 has them percent-encoded). Off in the strict profile, on in the lenient one:
    /// browsers percent-encode, but some clients do not.
    pub allow_obs_text_in_target: bool,
    /// Accept, in the path and query of the request target, the printable ASCII characters outside
    /// RFC 3986 that browsers and curl send unencoded: `"` `<` `>` `[` `\` `]` `^` `` ` `` `{` `|` `}`
    /// (nginx does). `#`, a `%` without two hex digits and the authority's rules stay enforced.
    /// Off in the strict profile, on in the lenient one.
    pub allow_unencoded_ascii_in_target: bool,
    /// Skip chunk extensions unread instead of holding them to the RFC 9112 §7.1.1 grammar: after
    /// the size, BWS `;` and then any VCHAR, obs-text, SP or HTAB up to the CRLF (as nginx, Go and
    /// Apache without `HttpProtocolOptions Strict` do). Off: each extension must be
    /// `BWS ";" BWS token [ BWS "=" BWS ( token / quoted-string ) ]`, else 400. Either way the line
    /// ends at its first CRLF, and CTLs, bare CR and bare LF are refused. On, an unclosed quote
    /// (`5;a="x`) is taken as ending at the CRLF: unsafe behind an intermediary that reads a
    /// quoted-string past a line break.
    pub allow_malformed_chunk_extensions: bool,
}

impl Profile {
    /// The default profile: every relaxation off.
    pub const fn strict() -> Self {
        Profile {
            allow_lf_line_endings: false,
            replace_bare_cr: false,
            allow_obs_fold: false,
            allow_ctl_in_values: false,
            collapse_identical_content_length: false,
            allow_content_length_with_transfer_encoding: false,
            allow_transfer_encoding_in_http10: false,
            allow_obs_text_in_target: false,
            allow_unencoded_ascii_in_target: false,
            allow_malformed_chunk_extensions: false,
        }
    }
    /// Every relaxation RFC 9112 and RFC 9110 allow a recipient.
    pub const fn lenient() -> Self {
        Profile {
            allow_lf_line_endings: true,
            replace_bare_cr: true,
            allow_obs_fold: true,
            allow_ctl_in_values: true,
            collapse_identical_content_length: true,
            allow_content_length_with_transfer_encoding: true,
            allow_transfer_encoding_in_http10: true,
            allow_obs_text_in_target: true,
            allow_unencoded_ascii_in_target: true,
            allow_malformed_chunk_extensions: true,
        }
    }
}

impl Default for Profile {
    fn default() -> Self {
        Profile::strict()
    }
}

/// When to send `Keep-Alive: timeout=T, max=N` on persistent responses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeepAliveHeader {
    /// Only to HTTP/1.0 clients that asked for keep-alive (default; what Apache does for 1.0).
    Http10Only,
    /// On every persistent response.
    Always,
    /// Never.
    Never,
}

/// The keep-alive policy, after Apache's `KeepAlive`, `MaxKeepAliveRequests` and `KeepAliveTimeout`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeepAlive {
    /// `KeepAlive On|Off` (default on).
    pub enabled: bool,
    /// `MaxKeepAliveRequests`: requests served on one connection, the last one answered with
    /// `Connection: close` (default 100; 0 = unlimited).
    pub max_requests: u32,
    /// `KeepAliveTimeout`: how long an idle connection waits for the next request (default 5 s).
    pub timeout: Duration,
    /// Longest life of one connection, after which no new request is started (default `None`; nginx
    /// `keepalive_time`).
    pub max_lifetime: Option<Duration>,
    /// When to send the `Keep-Alive` header (default: to HTTP/1.0 keep-alive clients only).
    pub header: KeepAliveHeader,
}

impl Default for KeepAlive {
    fn default() -> Self {
        KeepAlive {
            enabled: true,
            max_requests: 100,
            timeout: Duration::from_secs(5),
            max_lifetime: None,
            header: KeepAliveHeader::Http10Only,
        }
    }
}

/// Read and write deadlines, after Apache `RequestReadTimeout` / `Timeout` and nginx
/// `client_header_timeout`, `client_body_timeout`, `send_timeout`, `lingering_*`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timeouts {
    /// Time from the first byte of a request head to its end (default 20 s).
    pub header: Duration,
    /// Cap on the header deadline after extensions by `header_min_rate` (default 40 s).
    pub header_max: Duration,
    /// Each `header_min_rate` bytes received extend the header deadline by one second, up to
    /// `header_max` (default 500 B/s; 0 = no extension). Each byte adds its share, a second
    /// divided by the rate in whole nanoseconds, as Apache's mod_reqtimeout adds whole
    /// microseconds per byte. The other minimum rates count the same way.
    pub header_min_rate: u32,
    /// Longest silence between body bytes while the body is read (default 20 s).
    pub body: Duration,
    /// The body must also arrive at this average rate after a `body` grace period (default 500 B/s;
    /// 0 = off).
    pub body_min_rate: u32,
    /// Longest time pending output may go unacknowledged (default 60 s). Beyond: abort.
    pub send: Duration,
    /// Output must also be taken at this average rate after a `send` grace period, counted from
    /// when output started waiting (default 240 B/s, as IIS's `minBytesPerSecond`; 0 = off).
    /// Beyond: abort. Catches a peer that reads just often enough to keep the `send` timer from
    /// firing (a slow-read attack holds a large response, and the memory behind it, open).
    pub send_min_rate: u32,
    /// After a close decision, the longest time to keep reading and discarding input so the
    /// responses already written are not destroyed by a reset (RFC 9112 §9.6; default 30 s, as
    /// nginx's `lingering_time` and Apache's 30 s cap). Bounded by time, never by a byte count: a
    /// pipelining client can send any amount before it reads its responses.
    pub linger: Duration,
    /// Lingering also ends when no input arrived for this long (default 2 s, as Apache's wait per
    /// read; nginx `lingering_timeout` 5 s).
    pub linger_idle: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            header: Duration::from_secs(20),
            header_max: Duration::from_secs(40),
            header_min_rate: 500,
            body: Duration::from_secs(20),
            body_min_rate: 500,
            send: Duration::from_secs(60),
            send_min_rate: 240,
            linger: Duration::from_secs(30),
            linger_idle: Duration::from_secs(2),
        }
    }
}

/// Everything a [`Connection`](crate::Connection) is configured with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Size limits.
    pub limits: Limits,
    /// Parsing profile.
    pub profile: Profile,
    /// Keep-alive policy.
    pub keep_alive: KeepAlive,
    /// Deadlines.
    pub timeouts: Timeouts,
    /// Requests parsed ahead while an earlier response is being produced (default 16).
    pub max_pipelined: usize,
    /// Input the connection holds, unprocessed bytes and heads parsed ahead together, before it
    /// stops taking more (default 64 KiB + the head limit). Reading pauses there until the
    /// application drains events.
    pub max_buffered: usize,
    /// Output held before the connection stops asking for input and stops starting requests
    /// (default 64 KiB): a client that does not read its responses is not read either, and is
    /// caught by the send timer, while the server's own pause never runs the read timers.
    pub output_high_water: usize,
    /// Unread request body discarded after a response to keep the connection; beyond it the
    /// connection closes instead (default 256 KiB, as Go's `net/http`).
    pub discard_budget: u64,
    /// Answer an Expect other than `100-continue` with 417 (default true; RFC 9110 §10.1.1 MAY).
    pub reject_unknown_expectations: bool,
    /// Release buffers and in-flight state of an idle connection, so an idle keep-alive
    /// connection costs only `size_of::<Connection>()` (default true, as nginx frees the buffers of
    /// idle keep-alive connections). Off: capacity is always kept for the next request.
    pub release_idle_memory: bool,
    /// How long a connection stays idle before its memory is released (default 1 s; zero: at
    /// once). A request that arrives sooner finds its buffers and allocates nothing.
    pub release_idle_after: Duration,
}

impl Default for Config {
    fn default() -> Self {
        let limits = Limits::default();
        let max_buffered = limits.max_head + 64 * 1024;
        Config {
            limits,
            profile: Profile::default(),
            keep_alive: KeepAlive::default(),
            timeouts: Timeouts::default(),
            max_pipelined: 16,
            max_buffered,
            output_high_water: 64 * 1024,
            discard_budget: 256 * 1024,
            reject_unknown_expectations: true,
            release_idle_memory: true,
            release_idle_after: Duration::from_secs(1),
        }
    }
}
