//! A reference model of the request and response rules, written from RFC 9112 and RFC 9110 for the
//! strict profile (`Config::default()`), independently of the code in `src/`.
//!
//! Nothing here imports h1conn. The code is written to be read against the RFC text, not to be
//! fast: it re-scans, allocates and copies freely. Where h1conn's defaults take a side on a MAY, the
//! model follows the default and says so in a comment marked `DEFAULT:`.
//!
//! Used by the property tests (`mod model;`) and by the fuzz targets
//! (`#[path = "../../tests/model/mod.rs"] mod model;`).

// ---- limits (DEFAULT: the values of `Limits::default()`) -------------------------------------------

/// Longest request line, CRLF excluded (414 beyond).
pub const MAX_REQUEST_LINE: usize = 8 * 1024;
/// Longest method (501 beyond).
pub const MAX_METHOD: usize = 32;
/// Most field lines (431 beyond).
pub const MAX_FIELDS: usize = 100;
/// Longest field line, CRLF excluded (431 beyond).
pub const MAX_FIELD_LINE: usize = 8 * 1024;
/// Largest head, request line through the final CRLF (431 beyond).
pub const MAX_HEAD: usize = 64 * 1024;

// ---- character classes (RFC 9110 §5.6.2, RFC 5234 B.1) ---------------------------------------------

/// tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~"
///       / DIGIT / ALPHA
pub fn is_tchar(b: u8) -> bool {
    b.is_ascii_digit() || b.is_ascii_alphabetic() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// token = 1*tchar
pub fn is_token(s: &[u8]) -> bool {
    !s.is_empty() && s.iter().all(|&b| is_tchar(b))
}

/// VCHAR = %x21-7E; obs-text = %x80-FF.
pub fn is_vchar_or_obs_text(b: u8) -> bool {
    (0x21..=0x7e).contains(&b) || b >= 0x80
}

/// OWS = *( SP / HTAB ) (RFC 9110 §5.6.3).
pub fn is_ows(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// Strips OWS from both ends and nothing else (RFC 9112 §5.1: not 0xA0, not VT, not FF).
pub fn trim_ows(s: &[u8]) -> &[u8] {
    let start = s.iter().position(|&b| !is_ows(b)).unwrap_or(s.len());
    let end = s.iter().rposition(|&b| !is_ows(b)).map_or(start, |i| i + 1);
    &s[start..end]
}

/// The members of a comma-separated list (RFC 9110 §5.6.1), each trimmed of OWS. Empty members are
/// kept; the rules using lists say what to do with them.
pub fn list_members(v: &[u8]) -> Vec<&[u8]> {
    v.split(|&b| b == b',').map(trim_ows).collect()
}

fn eq_nocase(a: &[u8], b: &str) -> bool {
    a.eq_ignore_ascii_case(b.as_bytes())
}

// ---- a request head --------------------------------------------------------------------------------

/// How a request body is delimited (RFC 9112 §6.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Body {
    /// Neither Content-Length nor Transfer-Encoding: no body (§6.3 rule 7; requests are never
    /// close-delimited).
    None,
    /// Content-Length (§6.3 rule 6).
    Length(u64),
    /// Transfer-Encoding ending in chunked (§6.3 rule 4).
    Chunked,
}

/// What the model says about an acceptable request head.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    /// The method as sent.
    pub method: Vec<u8>,
    /// The target as sent.
    pub target: Vec<u8>,
    /// The minor version digit as sent.
    pub minor: u8,
    /// True for HTTP/1.1 and higher 1.x minors (RFC 9110 §6.2), false for HTTP/1.0.
    pub http11: bool,
    /// Field lines in order, names as sent, values trimmed of OWS.
    pub fields: Vec<(Vec<u8>, Vec<u8>)>,
    /// Body framing.
    pub body: Body,
    /// The client's side of the persistence decision (RFC 9112 §9.3).
    pub persist: bool,
    /// The client waits for `100 Continue` before sending a body it has.
    pub expect_continue: bool,
    /// Bytes of input the head takes, leading empty lines included.
    pub head_len: usize,
}

/// One broken rule: the status the server answers with and where the rule is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Violation {
    /// The response status.
    pub status: u16,
    /// The rule, by RFC section.
    pub rule: &'static str,
}

/// The model's verdict on a head.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// A valid request.
    Accept(Accepted),
    /// Every rule found broken. When more than one is broken, the server may answer the status of
    /// any of them (the RFC gives no order between errors).
    Reject(Vec<Violation>),
    /// The head is not complete and nothing found so far is wrong.
    Incomplete,
}

impl Verdict {
    /// The statuses a server may answer with, when the head is rejected.
    pub fn statuses(&self) -> Vec<u16> {
        match self {
            Verdict::Reject(v) => v.iter().map(|x| x.status).collect(),
            _ => Vec::new(),
        }
    }
}

fn v(status: u16, rule: &'static str) -> Violation {
    Violation { status, rule }
}

/// Splits the next CRLF-terminated line off `input[pos..]` (RFC 9112 §2.2: lines end in CRLF; a bare
/// LF is rejected in the strict profile). `Ok(None)`: no line end yet. A bare CR inside the line
/// is left for the caller to report (the line structure is still known).
fn next_line(input: &[u8], pos: usize) -> Result<Option<(&[u8], usize)>, Violation> {
    let rest = &input[pos..];
    let Some(lf) = rest.iter().position(|&b| b == b'\n') else {
        return Ok(None);
    };
    if lf == 0 || rest[lf - 1] != b'\r' {
        // DEFAULT: the strict profile refuses the bare-LF MAY.
        return Err(v(400, "RFC 9112 §2.2 bare LF"));
    }
    Ok(Some((&rest[..lf - 1], pos + lf + 1)))
}

/// RFC 9112 §2.2: a CR not followed by LF. DEFAULT: strict 400 (not replaced by SP).
fn bare_cr(line: &[u8]) -> Option<Violation> {
    line.contains(&b'\r').then(|| v(400, "RFC 9112 §2.2 bare CR"))
}

/// RFC 9112 §2.3: HTTP-version = "HTTP" "/" DIGIT "." DIGIT (case-sensitive).
fn parse_version(s: &[u8]) -> Result<u8, Violation> {
    if s.len() == 8 && &s[..5] == b"HTTP/" && s[5].is_ascii_digit() && s[6] == b'.' && s[7].is_ascii_digit() {
        if s[5] != b'1' {
            // RFC 9110 §6.2, §15.6.6: another major version is not supported.
            return Err(v(505, "RFC 9110 §6.2 major version"));
        }
        return Ok(s[7] - b'0');
    }
    Err(v(400, "RFC 9112 §2.3 HTTP-version"))
}

/// RFC 3986 §3.2.2 IPv4address = dec-octet "." dec-octet "." dec-octet "." dec-octet
fn is_ipv4(s: &[u8]) -> bool {
    let parts: Vec<&[u8]> = s.split(|&b| b == b'.').collect();
    parts.len() == 4
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.len() <= 3
                && p.iter().all(u8::is_ascii_digit)
                && (p.len() == 1 || p[0] != b'0')
                && std::str::from_utf8(p).unwrap().parse::<u32>().unwrap() <= 255
        })
}

/// RFC 3986 §3.2.2 IPv6address: eight h16 groups, or fewer with one "::", the last two groups
/// optionally an IPv4address.
fn is_ipv6(s: &[u8]) -> bool {
    let h16 = |g: &[u8]| !g.is_empty() && g.len() <= 4 && g.iter().all(u8::is_ascii_hexdigit);
    // Count groups on each side of an optional "::".
    let text = match std::str::from_utf8(s) {
        Ok(t) => t,
        Err(_) => return false,
    };
    let halves: Vec<&str> = text.split("::").collect();
    let groups_of = |half: &str| -> Option<usize> {
        if half.is_empty() {
            return Some(0);
        }
        let gs: Vec<&str> = half.split(':').collect();
        let mut n = 0;
        for (i, g) in gs.iter().enumerate() {
            if i == gs.len() - 1 && g.contains('.') {
                if !is_ipv4(g.as_bytes()) {
                    return None;
                }
                n += 2;
            } else if h16(g.as_bytes()) {
                n += 1;
            } else {
                return None;
            }
        }
        Some(n)
    };
    match halves.as_slice() {
        [all] => groups_of(all) == Some(8),
        [a, b] => {
            // An IPv4 tail may only end the address.
            if a.contains('.') {
                return false;
            }
            matches!((groups_of(a), groups_of(b)), (Some(x), Some(y)) if x + y <= 7)
        }
        _ => false,
    }
}

/// RFC 3986 §3.2.2 IPvFuture = "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" )
fn is_ipvfuture(s: &[u8]) -> bool {
    let Some(rest) = s.strip_prefix(b"v").or_else(|| s.strip_prefix(b"V")) else {
        return false;
    };
    let Some(dot) = rest.iter().position(|&b| b == b'.') else {
        return false;
    };
    let (hex, tail) = (&rest[..dot], &rest[dot + 1..]);
    !hex.is_empty()
        && hex.iter().all(u8::is_ascii_hexdigit)
        && !tail.is_empty()
        && tail
            .iter()
            .all(|&b| is_unreserved(b) || is_sub_delim(b) || b == b':')
}

/// RFC 3986 §2.3 unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~"
fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~".contains(&b)
}

/// RFC 3986 §2.2 sub-delims = "!" / "$" / "&" / "'" / "(" / ")" / "*" / "+" / "," / ";" / "="
fn is_sub_delim(b: u8) -> bool {
    b"!$&'()*+,;=".contains(&b)
}

/// RFC 3986 §3.2.2 reg-name = *( unreserved / pct-encoded / sub-delims )
fn is_reg_name(s: &[u8]) -> bool {
    let mut i = 0;
    while i < s.len() {
        if s[i] == b'%' {
            if i + 2 < s.len() && s[i + 1].is_ascii_hexdigit() && s[i + 2].is_ascii_hexdigit() {
                i += 3;
                continue;
            }
            return false;
        }
        if !(is_unreserved(s[i]) || is_sub_delim(s[i])) {
            return false;
        }
        i += 1;
    }
    true
}

/// RFC 9110 §7.2: Host = uri-host [ ":" port ]; uri-host = IP-literal / IPv4address / reg-name;
/// port = *DIGIT (RFC 3986 §3.2.3). An empty reg-name is allowed.
pub fn is_valid_host(value: &[u8]) -> bool {
    let (host, port) = if value.first() == Some(&b'[') {
        let Some(close) = value.iter().position(|&b| b == b']') else {
            return false;
        };
        let inner = &value[1..close];
        if !(is_ipv6(inner) || is_ipvfuture(inner)) {
            return false;
        }
        (&value[..=close], &value[close + 1..])
    } else {
        match value.iter().position(|&b| b == b':') {
            Some(c) => (&value[..c], &value[c..]),
            None => (value, &value[value.len()..]),
        }
    };
    let port_ok = port.is_empty() || (port[0] == b':' && port[1..].iter().all(u8::is_ascii_digit));
    let host_ok = host.first() == Some(&b'[') || is_reg_name(host); // IPv4address is a reg-name too
    host_ok && port_ok
}

/// RFC 9112 §3.2: the form of the target must fit the method.
fn check_target_form(method: &[u8], target: &[u8]) -> Option<Violation> {
    if method == b"CONNECT" {
        // §3.2.3: authority-form = uri-host ":" port, and only that.
        let Some(colon) = target.iter().rposition(|&b| b == b':') else {
            return Some(v(400, "RFC 9112 §3.2.3 CONNECT needs authority-form"));
        };
        let (host, port) = (&target[..colon], &target[colon + 1..]);
        let ok = !host.is_empty()
            && !port.is_empty()
            && port.iter().all(u8::is_ascii_digit)
            && is_valid_host(target)
            && (host.first() == Some(&b'[') || !host.contains(&b':'));
        return (!ok).then(|| v(400, "RFC 9112 §3.2.3 CONNECT needs authority-form"));
    }
    if target == b"*" {
        // §3.2.4: asterisk-form only with OPTIONS.
        return (method != b"OPTIONS").then(|| v(400, "RFC 9112 §3.2.4 asterisk-form without OPTIONS"));
    }
    if target[0] == b'/' {
        // §3.2.1 origin-form.
        return None;
    }
    // §3.2.2 absolute-form. DEFAULT: h1conn serves hierarchical URIs only ("scheme://"); an
    // absolute-URI such as "urn:x" is refused with 400, which a server may do for targets it does
    // not serve.
    if let Some(colon) = target.iter().position(|&b| b == b':') {
        let scheme = &target[..colon];
        let scheme_ok = !scheme.is_empty()
            && scheme[0].is_ascii_alphabetic()
            && scheme
                .iter()
                .all(|&b| b.is_ascii_alphanumeric() || b == b'+' || b == b'-' || b == b'.');
        if scheme_ok && target[colon..].starts_with(b"://") {
            return None;
        }
    }
    Some(v(400, "RFC 9112 §3.2 request-target"))
}

/// RFC 9112 §3: request-line = method SP request-target SP HTTP-version.
/// Returns (method, target, minor) or the rules broken.
fn parse_request_line(line: &[u8]) -> Result<(Vec<u8>, Vec<u8>, u8), Vec<Violation>> {
    let mut out = Vec::new();
    let method_len = line.iter().position(|&b| b == b' ').unwrap_or(line.len());
    if method_len > MAX_METHOD {
        // RFC 9112 §3: a method longer than any implemented: 501.
        out.push(v(501, "RFC 9112 §3 method too long"));
    }
    if line.len() > MAX_REQUEST_LINE {
        out.push(v(414, "RFC 9112 §3 request line too long"));
    }
    let parts: Vec<&[u8]> = line.split(|&b| b == b' ').collect();
    if parts.len() == 2 && is_token(parts[0]) && !parts[1].is_empty() {
        // RFC 9112 §2.3: no version: HTTP/0.9 is not served.
        out.push(v(400, "RFC 9112 §2.3 HTTP/0.9 request"));
        return Err(out);
    }
    if parts.len() != 3 || parts.iter().any(|p| p.is_empty()) {
        out.push(v(400, "RFC 9112 §3 request-line grammar"));
        return Err(out);
    }
    let (method, target, version) = (parts[0], parts[1], parts[2]);
    if !is_token(method) {
        out.push(v(400, "RFC 9112 §3.1 method = token"));
    }
    // DEFAULT: allow_obs_text_in_target is on, so bytes 0x80..=0xFF pass; other bytes must be
    // VCHAR (RFC 3986 characters are a subset; h1conn checks the octet range only).
    if !target.iter().all(|&b| is_vchar_or_obs_text(b)) {
        out.push(v(400, "RFC 9112 §3.2 request-target octets"));
    }
    let minor = match parse_version(version) {
        Ok(m) => m,
        Err(e) => {
            out.push(e);
            0
        }
    };
    if out.is_empty() {
        if let Some(e) = check_target_form(method, target) {
            out.push(e);
        }
    }
    if out.is_empty() {
        Ok((method.to_vec(), target.to_vec(), minor))
    } else {
        Err(out)
    }
}

/// RFC 9112 §5.1 field-line = field-name ":" OWS field-value OWS; RFC 9110 §5.5 field-value.
fn parse_field_line(line: &[u8]) -> Result<(Vec<u8>, Vec<u8>), Violation> {
    let Some(colon) = line.iter().position(|&b| b == b':') else {
        return Err(v(400, "RFC 9112 §5 field line without colon"));
    };
    let name = &line[..colon];
    if name.last().is_some_and(|&b| is_ows(b)) {
        return Err(v(400, "RFC 9112 §5.1 whitespace before colon"));
    }
    if !is_token(name) {
        return Err(v(400, "RFC 9110 §5.1 field-name = token"));
    }
    let value = trim_ows(&line[colon + 1..]);
    // field-content = field-vchar [ 1*( SP / HTAB / field-vchar ) field-vchar ]. DEFAULT: the
    // strict profile rejects every other control byte, not only CR, LF and NUL.
    if !value.iter().all(|&b| is_vchar_or_obs_text(b) || is_ows(b)) {
        return Err(v(400, "RFC 9110 §5.5 field-value octets"));
    }
    Ok((name.to_vec(), value.to_vec()))
}

/// The values of every field line named `name` (case-insensitive, RFC 9110 §5.1).
fn values<'a>(fields: &'a [(Vec<u8>, Vec<u8>)], name: &str) -> Vec<&'a [u8]> {
    fields
        .iter()
        .filter(|(n, _)| eq_nocase(n, name))
        .map(|(_, v)| v.as_slice())
        .collect()
}

/// RFC 9112 §6.1, §6.3, §7: the verdict on Transfer-Encoding values, given that the field is
/// present. `Ok(())` when the codings are exactly `chunked`.
pub fn transfer_encoding_rule(tes: &[&[u8]]) -> Result<(), Vec<Violation>> {
    let mut codings: Vec<(&[u8], Option<&[u8]>)> = Vec::new();
    let mut bad = Vec::new();
    for value in tes {
        for m in list_members(value) {
            // RFC 9110 §5.6.1: a recipient ignores empty list members.
            if m.is_empty() {
                continue;
            }
            // transfer-coding = token *( OWS ";" OWS transfer-parameter )
            match m.iter().position(|&b| b == b';') {
                None => codings.push((m, None)),
                Some(i) => codings.push((trim_ows(&m[..i]), Some(&m[i + 1..]))),
            }
        }
    }
    if codings.is_empty() {
        // Transfer-Encoding = #transfer-coding needs one member; an empty value is invalid.
        return Err(vec![v(400, "RFC 9112 §6.1 empty Transfer-Encoding")]);
    }
    for (name, params) in &codings {
        if !is_token(name) {
            bad.push(v(400, "RFC 9112 §6.1 transfer-coding = token"));
        } else if let Some(p) = params {
            // transfer-parameter = token BWS "=" BWS ( token / quoted-string )
            let ok = p.split(|&b| b == b';').all(|param| {
                let param = trim_ows(param);
                match param.iter().position(|&b| b == b'=') {
                    Some(i) => {
                        let (k, val) = (trim_ows(&param[..i]), trim_ows(&param[i + 1..]));
                        is_token(k)
                            && (is_token(val)
                                || (val.len() >= 2 && val[0] == b'"' && val[val.len() - 1] == b'"'))
                    }
                    None => false,
                }
            });
            if !ok {
                bad.push(v(400, "RFC 9112 §7 transfer-parameter"));
            }
            if eq_nocase(name, "chunked") {
                // RFC 9112 §7.1: chunked takes no parameters.
                bad.push(v(400, "RFC 9112 §7.1 parameters on chunked"));
            }
        }
    }
    let chunked_count = codings.iter().filter(|(n, _)| eq_nocase(n, "chunked")).count();
    if chunked_count > 1 {
        // RFC 9112 §6.1: a sender MUST NOT apply chunked more than once.
        bad.push(v(400, "RFC 9112 §6.1 chunked twice"));
    }
    if !eq_nocase(codings[codings.len() - 1].0, "chunked") {
        // RFC 9112 §6.3 rule 4: chunked not final in a request: 400 and close.
        bad.push(v(400, "RFC 9112 §6.3 chunked not final"));
    } else if codings.iter().any(|(n, _)| !eq_nocase(n, "chunked")) {
        // RFC 9112 §6.1: a coding the server does not understand: 501. This server decodes none
        // but chunked.
        bad.push(v(501, "RFC 9112 §6.1 transfer coding not implemented"));
    }
    if bad.is_empty() {
        Ok(())
    } else {
        Err(bad)
    }
}

/// RFC 9112 §6.3 rule 6 with RFC 9110 §8.6: Content-Length = 1*DIGIT. DEFAULT: the strict profile
/// refuses the MAY of collapsing identical repeated values, so any second value (another line or
/// another list member) is rejected.
pub fn content_length_rule(cls: &[&[u8]]) -> Result<u64, Vec<Violation>> {
    let members: Vec<&[u8]> = cls.iter().flat_map(|v| v.split(|&b| b == b',')).collect();
    let mut bad = Vec::new();
    if members.len() > 1 {
        bad.push(v(400, "RFC 9112 §6.3 repeated Content-Length"));
    }
    let mut n = None;
    for m in &members {
        let valid = !m.is_empty() && m.iter().all(u8::is_ascii_digit);
        // Guard overflow: a length must fit in 64 bits.
        let value = if valid {
            std::str::from_utf8(m).unwrap().parse::<u64>().ok()
        } else {
            None
        };
        match value {
            Some(x) => n = Some(x),
            None => bad.push(v(400, "RFC 9112 §6.3 Content-Length = 1*DIGIT")),
        }
    }
    match (bad.is_empty(), n) {
        (true, Some(x)) => Ok(x),
        _ => Err(bad),
    }
}

/// Connection options of every Connection line (RFC 9110 §7.6.1), lowercased.
pub fn connection_options(fields: &[(Vec<u8>, Vec<u8>)]) -> Vec<Vec<u8>> {
    values(fields, "connection")
        .into_iter()
        .flat_map(list_members)
        .filter(|m| !m.is_empty())
        .map(|m| m.to_ascii_lowercase())
        .collect()
}

/// RFC 9112 §9.3, in its order: a `close` option → close; else HTTP/1.1 → persist; else HTTP/1.0
/// with `keep-alive` → persist; else close.
pub fn client_persists(http11: bool, options: &[Vec<u8>]) -> bool {
    if options.iter().any(|o| o == b"close") {
        return false;
    }
    if http11 {
        return true;
    }
    options.iter().any(|o| o == b"keep-alive")
}

/// RFC 9110 §10.1.1. `Ok(true)`: `100-continue` (and nothing else). HTTP/1.0 ignores Expect.
/// DEFAULT: any other expectation is answered 417 (`reject_unknown_expectations`).
fn expect_rule(http11: bool, fields: &[(Vec<u8>, Vec<u8>)]) -> Result<bool, Violation> {
    if !http11 {
        return Ok(false);
    }
    let members: Vec<&[u8]> = values(fields, "expect")
        .into_iter()
        .flat_map(list_members)
        .filter(|m| !m.is_empty())
        .collect();
    if members.iter().any(|m| !eq_nocase(m, "100-continue")) {
        return Err(v(417, "RFC 9110 §10.1.1 unsupported expectation"));
    }
    Ok(!members.is_empty())
}

/// The model's verdict on the request head at the start of `input` (which may go on past the
/// head).
pub fn head_verdict(input: &[u8]) -> Verdict {
    let mut pos = 0;
    // RFC 9112 §2.2: a server SHOULD ignore at least one empty line received before the
    // request-line (h1conn ignores any number).
    let request_line = loop {
        match next_line(input, pos) {
            Err(e) => {
                // The line is broken, but what arrived of it may break a rule of its own first.
                let mut v = vec![e];
                if let Verdict::Reject(mut early) = incomplete_or_limits(input, pos, true, 0) {
                    v.append(&mut early);
                }
                return Verdict::Reject(v);
            }
            Ok(None) => return incomplete_or_limits(input, pos, true, 0),
            Ok(Some((&[], next))) => pos = next,
            Ok(Some((line, next))) => break (line, next),
        }
    };
    let head_start = pos;
    let (line, mut pos) = request_line;
    let mut violations: Vec<Violation> = bare_cr(line).into_iter().collect();
    let parsed_line = match parse_request_line(line) {
        Ok(p) => Some(p),
        Err(mut e) => {
            violations.append(&mut e);
            None
        }
    };
    let mut fields = Vec::new();
    let mut field_lines = 0;
    loop {
        let (line, next) = match next_line(input, pos) {
            Err(e) => {
                violations.push(e);
                if let Verdict::Reject(mut early) = incomplete_or_limits(input, pos, false, field_lines) {
                    violations.append(&mut early);
                }
                return Verdict::Reject(violations);
            }
            Ok(None) => {
                if input.len() - head_start > MAX_HEAD + 1 {
                    violations.push(v(431, "RFC 9110 §5.4 header section too large"));
                }
                if let Verdict::Reject(mut early) = incomplete_or_limits(input, pos, false, field_lines) {
                    violations.append(&mut early);
                }
                if violations.is_empty() {
                    return Verdict::Incomplete;
                }
                return Verdict::Reject(violations);
            }
            Ok(Some(x)) => x,
        };
        if next - head_start > MAX_HEAD {
            violations.push(v(431, "RFC 9110 §5.4 header section too large"));
        }
        pos = next;
        if line.is_empty() {
            break;
        }
        field_lines += 1;
        if field_lines > MAX_FIELDS {
            violations.push(v(431, "RFC 9110 §5.4 too many fields"));
        }
        if line.len() > MAX_FIELD_LINE {
            violations.push(v(431, "RFC 9110 §5.4 field line too large"));
        }
        if let Some(e) = bare_cr(line) {
            violations.push(e);
            continue;
        }
        if is_ows(line[0]) {
            // RFC 9112 §2.2 whitespace after the start line; §5.2 obs-fold (strict: 400).
            violations.push(v(
                400,
                "RFC 9112 §5.2 obs-fold / §2.2 whitespace after start line",
            ));
            continue;
        }
        match parse_field_line(line) {
            Ok(f) => fields.push(f),
            Err(e) => violations.push(e),
        }
    }
    let Some((method, target, minor)) = parsed_line else {
        return Verdict::Reject(violations);
    };
    let http11 = minor >= 1;

    // RFC 9112 §3.2: exactly one valid Host in HTTP/1.1; never two.
    let hosts = values(&fields, "host");
    if hosts.len() > 1 {
        violations.push(v(400, "RFC 9112 §3.2 more than one Host"));
    }
    if hosts.is_empty() && http11 {
        violations.push(v(400, "RFC 9112 §3.2 HTTP/1.1 without Host"));
    }
    if hosts.iter().any(|h| !is_valid_host(h)) {
        violations.push(v(400, "RFC 9112 §3.2 invalid Host"));
    }

    // RFC 9112 §6.1, §6.3: body framing.
    let tes = values(&fields, "transfer-encoding");
    let cls = values(&fields, "content-length");
    let mut body = Body::None;
    if !tes.is_empty() {
        if !http11 {
            // §6.1: TE in HTTP/1.0 is faulty framing. DEFAULT: strict 400.
            violations.push(v(400, "RFC 9112 §6.1 Transfer-Encoding in HTTP/1.0"));
        }
        if !cls.is_empty() {
            // §6.1: CL with TE. DEFAULT: strict 400 (the MAY to frame by TE and close is off).
            violations.push(v(400, "RFC 9112 §6.1 Content-Length with Transfer-Encoding"));
        }
        match transfer_encoding_rule(&tes) {
            Ok(()) => body = Body::Chunked,
            Err(mut e) => violations.append(&mut e),
        }
    } else if !cls.is_empty() {
        match content_length_rule(&cls) {
            Ok(n) => body = Body::Length(n),
            Err(mut e) => violations.append(&mut e),
        }
    }

    let expects = match expect_rule(http11, &fields) {
        Ok(e) => e,
        Err(e) => {
            violations.push(e);
            false
        }
    };
    if !violations.is_empty() {
        return Verdict::Reject(violations);
    }
    let persist = client_persists(http11, &connection_options(&fields));
    // The client waits only when it has a body to send: a head with no body gets none.
    let has_body = matches!(body, Body::Chunked) || matches!(body, Body::Length(n) if n > 0);
    Verdict::Accept(Accepted {
        method,
        target,
        minor,
        http11,
        fields,
        body,
        persist,
        expect_continue: expects && has_body,
        head_len: pos,
    })
}

/// An unfinished head: incomplete, unless a limit is already exceeded or the request line can
/// never become valid.
fn incomplete_or_limits(input: &[u8], pos: usize, in_request_line: bool, fields: usize) -> Verdict {
    let partial = &input[pos..];
    let partial = &partial[..partial.iter().position(|&b| b == b'\n').unwrap_or(partial.len())];
    let partial = partial.strip_suffix(b"\r").unwrap_or(partial);
    let mut found: Vec<Violation> = bare_cr(partial).into_iter().collect();
    if in_request_line {
        let method_end = partial.iter().position(|&b| b == b' ').unwrap_or(partial.len());
        if method_end > MAX_METHOD {
            found.push(v(501, "RFC 9112 §3 method too long"));
        }
        if !partial[..method_end].iter().all(|&b| is_tchar(b)) {
            found.push(v(400, "RFC 9112 §3.1 method = token"));
        }
        if partial.len() > MAX_REQUEST_LINE {
            found.push(v(414, "RFC 9112 §3 request line too long"));
        }
    } else {
        if partial.len() > MAX_FIELD_LINE {
            found.push(v(431, "RFC 9110 §5.4 field line too large"));
        }
        if fields > MAX_FIELDS {
            found.push(v(431, "RFC 9110 §5.4 too many fields"));
        }
    }
    if found.is_empty() {
        Verdict::Incomplete
    } else {
        Verdict::Reject(found)
    }
}

// ---- chunked bodies (RFC 9112 §7.1) ----------------------------------------------------------------

/// The end state of a chunked body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChunkedEnd {
    /// The last chunk and the trailer section were read; `consumed` bytes belong to the body.
    Complete {
        /// Trailer fields, names as sent, values trimmed.
        trailers: Vec<(Vec<u8>, Vec<u8>)>,
        /// Bytes of input the body takes.
        consumed: usize,
    },
    /// More input is needed and nothing so far is wrong.
    Incomplete,
    /// A rule is broken.
    Invalid(&'static str),
}

/// A chunked body as the model reads it: the data of every chunk whose size line was valid, and how
/// it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChunkedBody {
    /// The decoded data.
    pub data: Vec<u8>,
    /// How it ended.
    pub end: ChunkedEnd,
}

/// How strictly chunk extensions are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExtGrammar {
    /// RFC 9112 §7.1.1 exactly: chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS
    /// chunk-ext-val ] ), names tokens, values token / quoted-string.
    Strict,
    /// What a recipient that ignores unknown extensions may tolerate: after the first `;`, any
    /// VCHAR / obs-text / SP / HTAB (never CTLs, never a bare CR or LF).
    Tolerant,
}

/// RFC 9112 §7.1.1: chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )
fn chunk_ext_ok(ext: &[u8], g: ExtGrammar) -> bool {
    if ext.is_empty() {
        return true;
    }
    match g {
        ExtGrammar::Tolerant => {
            let after_bws = &ext[ext.iter().position(|&b| !is_ows(b)).unwrap_or(ext.len())..];
            after_bws.first() == Some(&b';')
                && after_bws.iter().all(|&b| is_vchar_or_obs_text(b) || is_ows(b))
        }
        ExtGrammar::Strict => {
            let mut i = 0;
            let skip_bws = |i: &mut usize| {
                while *i < ext.len() && is_ows(ext[*i]) {
                    *i += 1;
                }
            };
            let token = |i: &mut usize| {
                let s = *i;
                while *i < ext.len() && is_tchar(ext[*i]) {
                    *i += 1;
                }
                *i > s
            };
            while i < ext.len() {
                skip_bws(&mut i);
                if i >= ext.len() || ext[i] != b';' {
                    return false;
                }
                i += 1;
                skip_bws(&mut i);
                if !token(&mut i) {
                    return false;
                }
                let save = i;
                skip_bws(&mut i);
                if i < ext.len() && ext[i] == b'=' {
                    i += 1;
                    skip_bws(&mut i);
                    if i < ext.len() && ext[i] == b'"' {
                        // quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE
                        i += 1;
                        loop {
                            if i >= ext.len() {
                                return false;
                            }
                            match ext[i] {
                                b'"' => {
                                    i += 1;
                                    break;
                                }
                                b'\\' => {
                                    if i + 1 >= ext.len()
                                        || !(is_vchar_or_obs_text(ext[i + 1]) || is_ows(ext[i + 1]))
                                    {
                                        return false;
                                    }
                                    i += 2;
                                }
                                b if is_ows(b) || b == 0x21 || (0x23..=0x5b).contains(&b) => i += 1,
                                b if (0x5d..=0x7e).contains(&b) || b >= 0x80 => i += 1,
                                _ => return false,
                            }
                        }
                    } else if !token(&mut i) {
                        return false;
                    }
                } else {
                    i = save;
                }
            }
            true
        }
    }
}

/// A chunk-size line: chunk-size [ chunk-ext ], chunk-size = 1*HEXDIG. Returns the size (`None`
/// when it does not fit in 64 bits) or `Err` when the grammar is broken.
fn chunk_size_line(line: &[u8], g: ExtGrammar) -> Result<Option<u64>, ()> {
    let digits = line.iter().take_while(|b| b.is_ascii_hexdigit()).count();
    if digits == 0 || !chunk_ext_ok(&line[digits..], g) {
        return Err(());
    }
    let significant = line[..digits].iter().skip_while(|&&b| b == b'0').count();
    if significant > 16 {
        return Ok(None);
    }
    let text = std::str::from_utf8(&line[..digits]).unwrap();
    Ok(u64::from_str_radix(text, 16).ok())
}

/// Whether a partial chunk-size line could still become valid.
fn chunk_size_prefix_viable(p: &[u8], g: ExtGrammar) -> bool {
    if p.is_empty() {
        return true;
    }
    if let Some(line) = p.strip_suffix(b"\r") {
        // The CR can only be the start of the line's CRLF: the line must be complete.
        return matches!(chunk_size_line(line, g), Ok(Some(_)));
    }
    ["", "0", "a", ";a", "\"", "a\"", "=a"]
        .iter()
        .any(|s| chunk_size_line(&[p, s.as_bytes()].concat(), g).is_ok_and(|n| n.is_some()))
}

/// Reads one chunked body from the start of `input` (RFC 9112 §7.1):
/// chunked-body = *chunk last-chunk trailer-section CRLF;
/// chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF.
pub fn chunked_body(input: &[u8], g: ExtGrammar) -> ChunkedBody {
    let mut data = Vec::new();
    let mut pos = 0;
    let end = |data: Vec<u8>, end: ChunkedEnd| ChunkedBody { data, end };
    loop {
        // The chunk-size line. Bare CR or LF anywhere in it is an error (errata 7633: no lenient
        // line ends inside chunked framing).
        let rest = &input[pos..];
        let Some(lf) = rest.iter().position(|&b| b == b'\n') else {
            let viable = !rest
                .iter()
                .enumerate()
                .any(|(i, &b)| b == b'\r' && i + 1 < rest.len())
                && chunk_size_prefix_viable(rest, g);
            return end(
                data,
                if viable {
                    ChunkedEnd::Incomplete
                } else {
                    ChunkedEnd::Invalid("RFC 9112 §7.1 chunk-size line")
                },
            );
        };
        if lf == 0 || rest[lf - 1] != b'\r' || rest[..lf - 1].contains(&b'\r') {
            return end(
                data,
                ChunkedEnd::Invalid("RFC 9112 §7.1 chunk line must end in CRLF"),
            );
        }
        let size = match chunk_size_line(&rest[..lf - 1], g) {
            Err(()) => return end(data, ChunkedEnd::Invalid("RFC 9112 §7.1 chunk-size line")),
            Ok(None) => return end(data, ChunkedEnd::Invalid("RFC 9112 §7.1 chunk size overflows")),
            Ok(Some(n)) => n,
        };
        pos += lf + 1;
        if size == 0 {
            break;
        }
        // chunk-data CRLF
        let avail = (input.len() - pos) as u64;
        if avail < size {
            data.extend_from_slice(&input[pos..]);
            return end(data, ChunkedEnd::Incomplete);
        }
        data.extend_from_slice(&input[pos..pos + size as usize]);
        pos += size as usize;
        let after = &input[pos..];
        match after {
            [] | [b'\r'] => return end(data, ChunkedEnd::Incomplete),
            [b'\r', b'\n', ..] => pos += 2,
            _ => return end(data, ChunkedEnd::Invalid("RFC 9112 §7.1 CRLF after chunk data")),
        }
    }
    // trailer-section = *( field-line CRLF ), then CRLF (RFC 9112 §7.1.2).
    let mut trailers = Vec::new();
    loop {
        let rest = &input[pos..];
        let Some(lf) = rest.iter().position(|&b| b == b'\n') else {
            let bare_cr = rest
                .iter()
                .enumerate()
                .any(|(i, &b)| b == b'\r' && i + 1 < rest.len());
            let viable = !bare_cr
                && match rest.strip_suffix(b"\r") {
                    // The CR ends the line: it must be empty or a whole field line.
                    Some(line) => line.is_empty() || (!is_ows(line[0]) && parse_field_line(line).is_ok()),
                    None => {
                        rest.is_empty()
                            || (!is_ows(rest[0])
                                && ["", "a", ":", "a:"]
                                    .iter()
                                    .any(|s| parse_field_line(&[rest, s.as_bytes()].concat()).is_ok()))
                    }
                };
            return end(
                data,
                if viable {
                    ChunkedEnd::Incomplete
                } else {
                    ChunkedEnd::Invalid("RFC 9112 §7.1.2 trailer field line")
                },
            );
        };
        if lf == 0 || rest[lf - 1] != b'\r' || rest[..lf - 1].contains(&b'\r') {
            return end(
                data,
                ChunkedEnd::Invalid("RFC 9112 §7.1.2 trailer line must end in CRLF"),
            );
        }
        let line = &rest[..lf - 1];
        pos += lf + 1;
        if line.is_empty() {
            return end(
                data,
                ChunkedEnd::Complete {
                    trailers,
                    consumed: pos,
                },
            );
        }
        if is_ows(line[0]) {
            return end(data, ChunkedEnd::Invalid("RFC 9112 §5.2 obs-fold in trailers"));
        }
        match parse_field_line(line) {
            Ok(f) => trailers.push(f),
            Err(_) => return end(data, ChunkedEnd::Invalid("RFC 9112 §7.1.2 trailer field line")),
        }
    }
}

// ---- responses (RFC 9112 §6, RFC 9110 §6.4.1, §8.6) ------------------------------------------------

/// How a response body is delimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RespBody {
    /// No body bytes; `content_length` may be announced (HEAD, 304).
    NoBody {
        /// A Content-Length the response may carry without a body.
        content_length: Option<u64>,
    },
    /// Content-Length and exactly that many bytes.
    Length(u64),
    /// Transfer-Encoding: chunked.
    Chunked,
    /// The body ends when the connection closes.
    UntilClose,
}

/// The framing a server must choose for a response (RFC 9112 §6.1–§6.3, RFC 9110 §6.4.1, §8.6).
pub fn response_framing(method: &[u8], http11: bool, status: u16, length: Option<u64>) -> RespBody {
    // RFC 9110 §6.4.1: 1xx and 204 have no content; RFC 9110 §8.6: they MUST NOT carry
    // Content-Length; RFC 9110 §9.3.6: a 2xx to CONNECT switches to tunnel mode, no CL, no TE.
    if (100..200).contains(&status) || status == 204 || (method == b"CONNECT" && (200..300).contains(&status))
    {
        return RespBody::NoBody { content_length: None };
    }
    // RFC 9110 §6.4.1: responses to HEAD and 304 have no content; RFC 9110 §8.6 lets them carry the
    // length the GET / 200 would have had.
    if method == b"HEAD" || status == 304 {
        return RespBody::NoBody {
            content_length: length,
        };
    }
    match length {
        Some(n) => RespBody::Length(n),
        // RFC 9112 §6.1: never Transfer-Encoding to a request below HTTP/1.1.
        None if http11 => RespBody::Chunked,
        // RFC 9112 §6.3 rule 8: an unknown length to HTTP/1.0 ends with the connection.
        None => RespBody::UntilClose,
    }
}

/// The keep-alive policy, as far as the model needs it (DEFAULT: enabled, 100 requests).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Keep-alive on.
    pub enabled: bool,
    /// Most requests on one connection (0: no limit).
    pub max_requests: u32,
}

/// Whether the connection persists after the `nth` final response (1-based) to a request the
/// client sent with `client_persists` (RFC 9112 §9.3), given the policy and the response framing.
pub fn persists_after(nth: u32, client_persists: bool, policy: Policy, framing: RespBody) -> bool {
    client_persists
        && policy.enabled
        && (policy.max_requests == 0 || nth < policy.max_requests)
        // RFC 9112 §6.3: a close-delimited body ends only by closing.
        && framing != RespBody::UntilClose
}
