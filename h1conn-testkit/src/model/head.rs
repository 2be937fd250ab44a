//! A request head read line by line (RFC 9112 §2.2, §3, §5) and the verdict on it.
//!
//! RFC 9112 §2.1: HTTP-message = start-line CRLF *( field-line CRLF ) CRLF [ message-body ]

use super::abnf::{
    cat, could_begin, digit, exact, field_vchar, is_token, matches, octet, tchar, text, token, trim_ows, wsp,
    Ends,
};
use super::fields::{client_persists, connection_options, expect_rule, host_rule, request_body};
use super::uri::{request_target, target_rule};
use super::{
    v, Accepted, Body, Verdict, Violation, MAX_FIELDS, MAX_FIELD_LINE, MAX_HEAD, MAX_METHOD, MAX_REQUEST_LINE,
};

/// The limits a server puts on a request head and on a body whose length the head announces:
/// configuration, not RFC text (RFC 9112 §3, RFC 9110 §5.4, §15.5.14). `Default` mirrors
/// `Limits::default()`; a fuzz target makes them small so each is reached within short inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeadLimits {
    /// Longest request line, CRLF excluded (`max_request_line`; 414 beyond).
    pub request_line: usize,
    /// Longest method (`max_method`; 501 beyond).
    pub method: usize,
    /// Most field lines (`max_fields`; 431 beyond).
    pub fields: usize,
    /// Longest field line, CRLF excluded (`max_field_line`; 431 beyond).
    pub field_line: usize,
    /// Largest head from the request line through the final CRLF (`max_head`; 431 beyond).
    pub head: usize,
    /// Largest Content-Length (`max_body`; 413 beyond).
    pub body: Option<u64>,
}

impl Default for HeadLimits {
    fn default() -> Self {
        HeadLimits {
            request_line: MAX_REQUEST_LINE,
            method: MAX_METHOD,
            fields: MAX_FIELDS,
            field_line: MAX_FIELD_LINE,
            head: MAX_HEAD,
            body: None,
        }
    }
}

// ---- lines (RFC 9112 §2.2) -------------------------------------------------------------------------

/// One line of input.
enum Line<'a> {
    /// Ended by CRLF; the line without it.
    Crlf(&'a [u8]),
    /// Ended by an LF with no CR before it; the line without the LF.
    BareLf(&'a [u8]),
    /// Not ended yet: the input stops inside it. A last CR may be the first half of a CRLF, so it
    /// is left out.
    Open(&'a [u8]),
}

/// The line that starts at `at`, and where the next one starts.
fn line_at(input: &[u8], at: usize) -> (Line<'_>, usize) {
    let rest = &input[at..];
    let Some(lf) = rest.iter().position(|&b| b == b'\n') else {
        return (Line::Open(rest.strip_suffix(b"\r").unwrap_or(rest)), input.len());
    };
    let next = at + lf + 1;
    match rest[..lf].strip_suffix(b"\r") {
        Some(line) => (Line::Crlf(line), next),
        None => (Line::BareLf(&rest[..lf]), next),
    }
}

/// RFC 9112 §2.2: "the line terminator for the start-line and fields is the sequence CRLF".
fn bare_lf() -> Violation {
    // CHOICE: RFC 9112 §2.2 "a recipient MAY recognize a single LF as a line terminator and
    // ignore any preceding CR"; the strict profile does not (Profile::allow_lf_line_endings does).
    v(400, "RFC 9112 §2.2 line ends in a bare LF")
}

/// RFC 9112 §2.2: "A recipient of such a bare CR MUST consider that element to be invalid or
/// replace each bare CR with SP before processing the element".
fn bare_cr(line: &[u8]) -> Option<Violation> {
    // CHOICE: RFC 9112 §2.2 lets the recipient take either (invalid, or each bare CR replaced by
    // SP); the strict profile takes "invalid" (Profile::replace_bare_cr replaces). Within a line every CR is bare: the line's own
    // CRLF is not part of it.
    line.contains(&b'\r').then(|| v(400, "RFC 9112 §2.2 bare CR"))
}

// ---- the request-line (RFC 9112 §3) ----------------------------------------------------------------

/// RFC 9112 §2.3: HTTP-version = HTTP-name "/" DIGIT "." DIGIT; HTTP-name = %s"HTTP"
/// (case-sensitive).
fn http_version(s: &[u8], at: usize) -> Ends {
    cat![exact(b"HTTP"), text("/"), octet(digit), text("."), octet(digit)](s, at)
}

/// RFC 9112 §3: request-line = method SP request-target SP HTTP-version; §3.1: method = token.
fn request_line_grammar(s: &[u8], at: usize) -> Ends {
    cat![token, exact(b" "), request_target, exact(b" "), http_version](s, at)
}

/// The limits on a request line, whole or begun.
fn request_line_limits(line: &[u8], limits: &HeadLimits) -> Vec<Violation> {
    let mut found = Vec::new();
    // The method is what comes before the first SP.
    if line.iter().take_while(|&&b| b != b' ').count() > limits.method {
        // RFC 9112 §3: "A server that receives a method longer than any that it implements
        // SHOULD respond with a 501 (Not Implemented) status code."
        found.push(v(501, "RFC 9112 §3 method longer than any implemented"));
    }
    if line.len() > limits.request_line {
        // RFC 9112 §3: "A server that receives a request-target longer than any URI it wishes to
        // parse MUST respond with a 414 (URI Too Long) status code."
        found.push(v(414, "RFC 9112 §3 request line too long"));
    }
    found
}

/// A request-line whose end has not arrived: what already rules out every continuation.
fn request_line_begun(partial: &[u8], limits: &HeadLimits) -> Vec<Violation> {
    let mut found = request_line_limits(partial, limits);
    found.extend(bare_cr(partial));
    if !could_begin(request_line_grammar, partial) {
        found.push(v(400, "RFC 9112 §3 request-line grammar"));
    }
    found
}

/// The parts of a request-line: method, request-target, minor version.
type RequestLine = (Vec<u8>, Vec<u8>, u8);

/// A request-line: its parts when it has three and a version this server speaks, and every rule it
/// breaks.
fn request_line(line: &[u8], limits: &HeadLimits) -> (Option<RequestLine>, Vec<Violation>) {
    let mut found = request_line_limits(line, limits);
    found.extend(bare_cr(line));
    // None of method, request-target and HTTP-version holds an SP, so the three are what single
    // SPs separate. CHOICE: RFC 9112 §3 "recipients MAY instead parse on whitespace-delimited
    // word boundaries"; the strict profile takes single SPs (no Profile field does otherwise).
    let parts: Vec<&[u8]> = line.split(|&b| b == b' ').collect();
    let [method, target, version] = parts[..] else {
        found.push(v(
            400,
            "RFC 9112 §3 request-line = method SP request-target SP HTTP-version",
        ));
        return (None, found);
    };
    if !is_token(method) {
        found.push(v(400, "RFC 9112 §3.1 method = token"));
    }
    found.extend(target_rule(method, target));
    let minor = if !matches(http_version, version) {
        found.push(v(400, "RFC 9112 §2.3 HTTP-version"));
        None
    } else if version[5] != b'1' {
        // RFC 9110 §6.2: the major version "indicates the messaging syntax"; this server speaks
        // HTTP/1. §15.6.6: 505 "indicates that the server does not support, or refuses to support,
        // the major version of HTTP that was used in the request message".
        found.push(v(505, "RFC 9110 §15.6.6 major version not supported"));
        None
    } else {
        Some(version[7] - b'0')
    };
    // The parts, when the version is known: the rules of the header section can be read then,
    // whatever else is wrong with the line.
    (
        minor.map(|minor| (method.to_vec(), target.to_vec(), minor)),
        found,
    )
}

// ---- field lines (RFC 9112 §5) ---------------------------------------------------------------------

/// RFC 9110 §5.5: field-value = *field-content;
/// field-content = field-vchar [ 1*( SP / HTAB / field-vchar ) field-vchar ].
/// So: field-vchar, SP and HTAB octets, neither first nor last being SP or HTAB.
fn field_value(value: &[u8]) -> bool {
    let edge = |b: Option<&u8>| b.is_none_or(|&b| field_vchar(b));
    value.iter().all(|&b| field_vchar(b) || wsp(b)) && edge(value.first()) && edge(value.last())
}

/// RFC 9112 §5: field-line = field-name ":" OWS field-value OWS; RFC 9110 §5.1: field-name =
/// token. Returns the name as sent and the value without its OWS.
pub(crate) fn field_line(line: &[u8]) -> Result<(Vec<u8>, Vec<u8>), Violation> {
    // A token holds no ":", so the first ":" ends the name.
    let Some(colon) = line.iter().position(|&b| b == b':') else {
        return Err(v(400, "RFC 9112 §5 field-line without \":\""));
    };
    let (name, value) = (&line[..colon], trim_ows(&line[colon + 1..]));
    if name.last().copied().is_some_and(wsp) {
        // RFC 9112 §5.1: "A server MUST reject, with a response status code of 400 (Bad Request),
        // any received request message that contains whitespace between a header field name and
        // colon."
        return Err(v(400, "RFC 9112 §5.1 whitespace between field name and colon"));
    }
    if !is_token(name) {
        return Err(v(400, "RFC 9110 §5.1 field-name = token"));
    }
    if !field_value(value) {
        // RFC 9110 §5.5: "a recipient of CR, LF, or NUL within a field value MUST either reject the
        // message or replace each of those characters with SP ... Field values containing other CTL
        // characters are also invalid; however, recipients MAY retain such characters".
        // CHOICE: RFC 9110 §5.5 MAY retain the other CTLs, and lets CR, LF and NUL be replaced by
        // SP; the strict profile rejects them all (Profile::allow_ctl_in_values retains the CTLs
        // other than CR, LF and NUL; no field replaces NUL).
        return Err(v(400, "RFC 9110 §5.5 field-value"));
    }
    Ok((name.to_vec(), value.to_vec()))
}

/// True when a field line that has not ended yet could still become one: the name so far is
/// tchar octets, and once the colon has come, what is there is a field line.
pub(crate) fn field_line_could_begin(partial: &[u8]) -> bool {
    match partial.contains(&b':') {
        true => field_line(partial).is_ok(),
        false => partial.iter().all(|&b| tchar(b)),
    }
}

/// A field line starting with whitespace.
fn folded(first: bool) -> Violation {
    if first {
        // RFC 9112 §2.2: "A recipient that receives whitespace between the start-line and the first
        // header field MUST either reject the message as invalid or consume each
        // whitespace-preceded line without further processing of it". CHOICE: RFC 9112 §2.2 lets
        // the recipient do either; the strict profile rejects (no Profile field consumes them).
        v(400, "RFC 9112 §2.2 whitespace after the start-line")
    } else {
        // RFC 9112 §5.2: "A server that receives an obs-fold in a request message ... MUST either
        // reject the message by sending a 400 (Bad Request) ... or replace each received obs-fold
        // with one or more SP octets". CHOICE: RFC 9112 §5.2 lets the server do either; the
        // strict profile rejects (Profile::allow_obs_fold replaces).
        v(400, "RFC 9112 §5.2 obs-fold")
    }
}

/// A field line, whole or cut short (`whole` false: its end has not arrived). `Ok`: a whole, valid
/// line's field. `Err`: every rule it breaks; for a line cut short, what already rules out every
/// continuation (possibly nothing).
fn judge_field_line(
    line: &[u8],
    first: bool,
    whole: bool,
    limits: &HeadLimits,
) -> Result<(Vec<u8>, Vec<u8>), Vec<Violation>> {
    let mut found = Vec::new();
    if line.len() > limits.field_line {
        // RFC 9110 §5.4: "A server that receives a request header field line, field value, or set
        // of fields larger than it wishes to process MUST respond with an appropriate 4xx (Client
        // Error) status code." 431: RFC 6585 §5.
        found.push(v(431, "RFC 9110 §5.4 field line too large"));
    }
    if let Some(cr) = bare_cr(line) {
        found.push(cr);
    } else if line.first().copied().is_some_and(wsp) {
        found.push(folded(first));
    } else if !whole {
        if !field_line_could_begin(line) {
            found.push(v(400, "RFC 9112 §5 field-line grammar"));
        }
    } else {
        match field_line(line) {
            Ok(field) if found.is_empty() => return Ok(field),
            Ok(_) => {}
            Err(broken) => found.push(broken),
        }
    }
    Err(found)
}

// ---- the head --------------------------------------------------------------------------------------

fn so_far(found: Vec<Violation>) -> Verdict {
    match found.is_empty() {
        true => Verdict::Incomplete,
        false => Verdict::Reject(found),
    }
}

/// The limits on the head as a whole: bytes from the request-line on, and field lines.
fn head_limits(head_bytes: usize, field_lines: usize, limits: &HeadLimits) -> Vec<Violation> {
    let mut found = Vec::new();
    if head_bytes > limits.head {
        found.push(v(431, "RFC 9110 §5.4 header section too large"));
    }
    if field_lines > limits.fields {
        found.push(v(431, "RFC 9110 §5.4 too many field lines"));
    }
    found
}

/// The model's verdict on the request head at the start of `input` (which may go on past it),
/// under the default limits.
pub fn head_verdict(input: &[u8]) -> Verdict {
    head_verdict_with(input, &HeadLimits::default())
}

/// The model's verdict on the request head at the start of `input` under `limits`.
pub fn head_verdict_with(input: &[u8], limits: &HeadLimits) -> Verdict {
    // RFC 9112 §2.2: "a server that is expecting to receive and parse a request-line SHOULD ignore
    // at least one empty line (CRLF) received prior to the request-line." Any number is ignored.
    let mut at = 0;
    let (line, head_start) = loop {
        match line_at(input, at) {
            (Line::Crlf([]), next) => at = next,
            (Line::Crlf(line), next) => {
                let start = at;
                at = next;
                break (line, start);
            }
            (Line::BareLf(line), _) => {
                let mut found = vec![bare_lf()];
                found.extend(request_line_begun(line, limits));
                return Verdict::Reject(found);
            }
            (Line::Open(line), _) => return so_far(request_line_begun(line, limits)),
        }
    };
    let (request, mut found) = request_line(line, limits);

    let mut fields = Vec::new();
    let mut field_lines = 0;
    loop {
        let first = field_lines == 0;
        let (line, next) = line_at(input, at);
        match line {
            Line::Crlf([]) => {
                at = next;
                break;
            }
            Line::Crlf(line) => match judge_field_line(line, first, true, limits) {
                Ok(field) => fields.push(field),
                Err(broken) => found.extend(broken),
            },
            Line::BareLf(line) => {
                found.push(bare_lf());
                found.extend(
                    judge_field_line(line, first, false, limits)
                        .err()
                        .unwrap_or_default(),
                );
                found.extend(head_limits(next - head_start, field_lines, limits));
                return Verdict::Reject(found);
            }
            Line::Open(line) => {
                found.extend(
                    judge_field_line(line, first, false, limits)
                        .err()
                        .unwrap_or_default(),
                );
                found.extend(head_limits(next - head_start, field_lines, limits));
                return so_far(found);
            }
        }
        field_lines += 1;
        at = next;
    }
    found.extend(head_limits(at - head_start, field_lines, limits));

    let Some((method, target, minor)) = request else {
        return Verdict::Reject(found);
    };
    // RFC 9110 §6.2: a higher minor version is handled as the highest this server implements.
    let http11 = minor >= 1;
    found.extend(host_rule(http11, &fields));
    let body = request_body(http11, &fields).unwrap_or_else(|broken| {
        found.extend(broken);
        Body::None
    });
    let expects_continue = expect_rule(http11, &fields).unwrap_or_else(|broken| {
        found.push(broken);
        false
    });
    if let (Body::Length(n), Some(max)) = (body, limits.body) {
        if n > max {
            // RFC 9110 §15.5.14: 413 "the request content is larger than the server is willing
            // or able to process".
            found.push(v(413, "RFC 9110 §15.5.14 content larger than the server accepts"));
        }
    }
    let has_content = matches!(body, Body::Chunked) || matches!(body, Body::Length(n) if n > 0);
    // CHOICE: RFC 9110 §9.3.6 "A CONNECT request message does not have content"; what follows the
    // head is tunnel data, so a head that frames content is refused (no field accepts it).
    if method == b"CONNECT" && has_content {
        found.push(v(400, "RFC 9110 §9.3.6"));
    }
    if !found.is_empty() {
        return Verdict::Reject(found);
    }
    // CHOICE: RFC 9110 §10.1.1 "A server MAY omit sending a 100 (Continue) response if ... the
    // framing indicates that there is no content"; the strict profile omits it then (no field
    // sends it).
    Verdict::Accept(Accepted {
        persist: client_persists(http11, &connection_options(&fields)),
        expect_continue: expects_continue && has_content,
        method,
        target,
        minor,
        http11,
        fields,
        body,
        head_len: at,
    })
}
