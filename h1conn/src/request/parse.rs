//! Parsing a complete request head once: the request line by hand (httparse cannot take `HTTP/1.2`
//! or report 505), the field lines with `httparse::parse_headers`, then one pass over the fields for
//! the ones that matter to framing and persistence.

use bytes::{Bytes, BytesMut};

use crate::config::{Limits, Profile};
use crate::error::{PeerError, PeerErrorKind as K};
use crate::request::fields::{self, is_tchar, ConnectionOptions};
use crate::request::head::{
    FieldPos, FieldTable, InlinePos, Method, RequestHead, Special, TargetForm, Trailers, Version,
    INLINE_FIELDS,
};
use crate::request::scan::{check_request_line_prefix, find_lf};

/// The parts of a request line.
struct RequestLine {
    method: Method,
    method_len: usize,
    target: (usize, usize),
    form: TargetForm,
    version: Version,
    minor: u8,
}

fn parse_version(v: &[u8]) -> Result<(Version, u8), PeerError> {
    match v {
        [b'H', b'T', b'T', b'P', b'/', maj, b'.', min] if maj.is_ascii_digit() && min.is_ascii_digit() => {
            if *maj != b'1' {
                return Err(K::VersionNotSupported.into());
            }
            let minor = min - b'0';
            Ok((
                if minor == 0 {
                    Version::Http10
                } else {
                    Version::Http11
                },
                minor,
            ))
        }
        _ => Err(K::BadVersion.into()),
    }
}

fn parse_request_line(line: &[u8], limits: &Limits, r: &Profile) -> Result<RequestLine, PeerError> {
    check_request_line_prefix(line, limits)?;
    let m_end = line
        .iter()
        .position(|&b| b == b' ')
        .ok_or(PeerError::from(K::BadRequestLine))?;
    if m_end == 0 {
        return Err(K::BadRequestLine.into());
    }
    let method_bytes = &line[..m_end];
    let t_start = m_end + 1;
    let rest = &line[t_start..];
    let Some(t_len) = rest.iter().position(|&b| b == b' ') else {
        // `GET /` with no version is an HTTP/0.9 simple request.
        if !rest.is_empty() && rest.iter().all(|&b| is_target_byte(b, r)) {
            return Err(K::Http09.into());
        }
        return Err(K::BadRequestLine.into());
    };
    if t_len == 0 {
        return Err(K::BadRequestLine.into());
    }
    let target = &rest[..t_len];
    let v = &rest[t_len + 1..];
    if v.contains(&b' ') {
        return Err(K::BadRequestLine.into());
    }
    // The version first: `PRI * HTTP/2.0` (an HTTP/2 preface) is 505, not a misplaced `*`.
    let (version, minor) = parse_version(v)?;
    let method = Method::from_bytes(method_bytes);
    let form = target_form(method, target, r)?;
    Ok(RequestLine {
        method,
        method_len: m_end,
        target: (t_start, t_start + t_len),
        form,
        version,
        minor,
    })
}

fn is_target_byte(b: u8, r: &Profile) -> bool {
    (0x21..=0x7e).contains(&b) || (b >= 0x80 && r.allow_obs_text_in_target)
}

/// RFC 9112 §3.2: the request-target checked against its grammar and its form against the method.
///
/// ```text
/// request-target = origin-form / absolute-form / authority-form / asterisk-form
/// origin-form    = absolute-path [ "?" query ]           ; absolute-path = 1*( "/" segment )
/// absolute-form  = absolute-URI                           ; served with "//" authority only
/// authority-form = uri-host ":" port                      ; CONNECT only
/// asterisk-form  = "*"                                    ; OPTIONS only
/// ```
///
/// The path and query take pchar, "/", "?" and `%` HEXDIG HEXDIG (RFC 3986 §3.3, §3.4); no
/// fragment. The profile may widen them ([`Profile::allow_unencoded_ascii_in_target`],
/// [`Profile::allow_obs_text_in_target`]); an authority always follows the Host rules.
fn target_form(method: Method, t: &[u8], r: &Profile) -> Result<TargetForm, PeerError> {
    if plain_origin_form(method, t) {
        return Ok(TargetForm::Origin);
    }
    any_target_form(method, t, r)
}

/// The common case, decided without the profile: an origin-form target whose bytes every profile
/// takes, with a method other than CONNECT ([`any_target_form`] gives the same answer).
#[inline]
fn plain_origin_form(method: Method, t: &[u8]) -> bool {
    t.first() == Some(&b'/') && method != Method::Connect && fields::run_of(t, fields::TARGET) == t.len()
}

/// [`target_form`] for every target.
fn any_target_form(method: Method, t: &[u8], r: &Profile) -> Result<TargetForm, PeerError> {
    let mut path_classes = fields::TARGET;
    if r.allow_unencoded_ascii_in_target {
        path_classes |= fields::UNENCODED;
    }
    if r.allow_obs_text_in_target {
        path_classes |= fields::OBS_TEXT;
    }
    let form = match t {
        [b'/', ..] => {
            path_and_query(t, path_classes)?;
            TargetForm::Origin
        }
        b"*" => TargetForm::Asterisk,
        _ => return other_form(method, t, path_classes),
    };
    match (form, method) {
        (_, Method::Connect) => Err(K::TargetFormMismatch.into()),
        (TargetForm::Asterisk, m) if m != Method::Options => Err(K::TargetFormMismatch.into()),
        _ => Ok(form),
    }
}

/// `*( <bytes of classes> / pct-encoded )`: the path and query of an origin-form or absolute-form
/// target, in one pass. Which of "/" and "?" comes first needs no check: "?" begins the query and
/// both may follow it.
fn path_and_query(v: &[u8], classes: u8) -> Result<(), PeerError> {
    let mut i = 0;
    loop {
        // The bytes every profile takes run fast; the rest one at a time.
        i += fields::run_of(&v[i..], fields::TARGET);
        match v.get(i) {
            None => return Ok(()),
            Some(&b) if fields::in_class(b, classes) => i += 1,
            Some(_) if fields::is_pct_encoded(&v[i..]) => i += 3,
            Some(_) => return Err(K::BadTarget.into()),
        }
    }
}

/// A target that is neither origin-form nor `*`: absolute-form (`scheme "://" ...`) or
/// authority-form.
fn other_form(method: Method, t: &[u8], path_classes: u8) -> Result<TargetForm, PeerError> {
    let colon = t.iter().position(|&b| b == b':');
    if let Some(c) = colon.filter(|&c| is_scheme(&t[..c]) && t[c..].starts_with(b"://")) {
        if method == Method::Connect {
            return Err(K::TargetFormMismatch.into());
        }
        return absolute_form(&t[..c], &t[c + 3..], path_classes);
    }
    // authority-form = uri-host ":" port (RFC 9112 §3.2.3), for CONNECT only.
    let Some((host, Some(port))) = fields::parse_host(t) else {
        return Err(match method {
            Method::Connect => K::TargetFormMismatch,
            _ => K::BadTarget,
        }
        .into());
    };
    if method != Method::Connect {
        return Err(K::TargetFormMismatch.into());
    }
    // RFC 9110 §9.3.6: a CONNECT target names a host and a port number (16 bits, RFC 9293 §3.1);
    // an empty or invalid port MUST be rejected.
    match fields::parse_decimal(port) {
        Some(p) if p <= 0xffff && !host.is_empty() => Ok(TargetForm::Authority),
        _ => Err(K::BadTarget.into()),
    }
}

/// RFC 3986 §3.1: `scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )`.
fn is_scheme(s: &[u8]) -> bool {
    matches!(s, [first, rest @ ..] if first.is_ascii_alphabetic()
        && rest.iter().all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')))
}

/// The absolute-form after `scheme "://"`: `authority path-abempty [ "?" query ]`. The authority
/// replaces Host (RFC 9112 §3.2.2), so it is held to the Host rules; an "http" or "https" URI must
/// also name a host (RFC 9110 §4.2.1, §4.2.2: a recipient MUST reject an empty host) and carry no
/// userinfo (§4.2.4: SHOULD treat it as an error). Other schemes may have both
/// (`authority = [ userinfo "@" ] host [ ":" port ]`, RFC 3986 §3.2).
fn absolute_form(scheme: &[u8], rest: &[u8], path_classes: u8) -> Result<TargetForm, PeerError> {
    let end = rest
        .iter()
        .position(|&b| b == b'/' || b == b'?')
        .unwrap_or(rest.len());
    let (authority, path_query) = rest.split_at(end);
    let http = scheme.eq_ignore_ascii_case(b"http") || scheme.eq_ignore_ascii_case(b"https");
    let host_port = match authority.iter().position(|&b| b == b'@') {
        None => authority,
        Some(at) if !http && fields::valid_userinfo(&authority[..at]) => &authority[at + 1..],
        Some(_) => return Err(K::BadTarget.into()),
    };
    match fields::parse_host(host_port) {
        Some((host, _)) if !(http && host.is_empty()) => {}
        _ => return Err(K::BadTarget.into()),
    }
    path_and_query(path_query, path_classes)?;
    Ok(TargetForm::Absolute)
}

/// Works out the precise kind of a field-section error httparse reported, by a slow second look
/// (error path only).
fn classify_field_error(section: &[u8]) -> K {
    for line in section.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            continue;
        }
        if line.contains(&b'\r') {
            return K::BareCr;
        }
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            return K::BadFieldName;
        };
        let name = &line[..colon];
        if name.is_empty() {
            return K::BadFieldName;
        }
        if matches!(name.last(), Some(b' ' | b'\t')) && name.iter().any(|&b| is_tchar(b)) {
            return K::WhitespaceBeforeColon;
        }
        if !name.iter().all(|&b| is_tchar(b)) {
            return K::BadFieldName;
        }
        if line[colon + 1..]
            .iter()
            .any(|&b| (b < 0x20 && b != b'\t') || b == 0x7f)
        {
            return K::BadFieldValue;
        }
    }
    K::BadFieldName
}

/// Parses field lines (`section` ends with the empty line) into a table of positions relative to
/// `whole`, written into `arena` (a reused buffer: no allocation per head in steady state).
pub(crate) fn parse_fields(
    whole: &[u8],
    section_start: usize,
    arena: &mut BytesMut,
    count_hint: usize,
) -> Result<FieldTable, K> {
    let section = &whole[section_start..];
    let mut small = [httparse::EMPTY_HEADER; 24];
    let mut big;
    let headers: &mut [httparse::Header<'_>] = if count_hint <= small.len() {
        &mut small[..count_hint.max(1)]
    } else {
        big = alloc::vec![httparse::EMPTY_HEADER; count_hint];
        &mut big
    };
    let parsed = match httparse::parse_headers(section, headers) {
        Ok(httparse::Status::Complete((_, h))) => h,
        Ok(httparse::Status::Partial) => return Err(classify_field_error(section)),
        Err(_) => return Err(classify_field_error(section)),
    };
    let base = whole.as_ptr() as usize;
    arena.reserve(parsed.len() * FieldPos::SIZE);
    for h in parsed.iter() {
        FieldPos {
            name: (h.name.as_ptr() as usize - base) as u32,
            name_len: h.name.len() as u32,
            value: (h.value.as_ptr() as usize - base) as u32,
            value_len: h.value.len() as u32,
        }
        .put(arena);
    }
    Ok(FieldTable::new(arena.split().freeze()))
}

/// Parses a complete head (as found by [`HeadScanner`]: request line through the empty line, no
/// leading empty lines) into a [`RequestHead`], its field positions written into `arena` (reused,
/// so steady keep-alive allocates nothing per request). Checks the grammar and the per-field rules
/// that need no policy: Host count, Connection options. Framing rules are
/// [`crate::framing::request_framing`]. This is the canonical parse: [`parse_quick`] must agree
/// with it (scanner included) on every head it accepts.
pub(crate) fn parse_head_reusing(
    buf: Bytes,
    limits: &Limits,
    r: &Profile,
    arena: &mut BytesMut,
    field_count: Option<usize>,
) -> Result<RequestHead, PeerError> {
    let nl = find_lf(&buf).ok_or(PeerError::from(K::BadRequestLine))?;
    let line_end = if nl > 0 && buf[nl - 1] == b'\r' {
        nl - 1
    } else {
        nl
    };
    let line = parse_request_line(&buf[..line_end], limits, r)?;
    // The scanner counted the field lines; without it, LFs are an upper bound.
    let hint = field_count.unwrap_or_else(|| buf[nl + 1..].iter().filter(|&&b| b == b'\n').count());
    let fields = parse_fields(&buf, nl + 1, arena, hint).map_err(PeerError::from)?;
    let mut special = SpecialFields::default();
    for (i, p) in fields.iter().enumerate() {
        special.field(i, p.name_in(&buf), p.value_in(&buf))?;
    }
    let (special, connection) = special.finish(line.version)?;
    Ok(RequestHead {
        method: line.method,
        method_len: line.method_len as u32,
        target: (line.target.0 as u32, line.target.1 as u32),
        form: line.form,
        version: line.version,
        minor: line.minor,
        fields,
        special,
        connection,
        buf,
    })
}

/// Field lines the one-pass parse takes on the stack; a head with more goes the canonical way.
const QUICK_FIELDS: usize = 64;

/// What [`parse_quick`] made of the bytes at the start of a buffer.
pub(crate) enum Quick {
    /// A complete head of this many bytes, exactly as the canonical path would parse it (its bytes
    /// not yet attached: [`RequestHead::buf`] is empty until the caller splits them off).
    Head(RequestHead, usize),
    /// The head is not complete yet.
    Partial,
    /// Something the one pass does not decide (an error, a limit, leading empty lines, a bare LF,
    /// another version): the scanner and [`parse_head_reusing`] give the verdict.
    Canonical,
}

/// One pass over a head that arrived whole: httparse parses the request line and the field lines
/// together, the limits the scanner would check are checked from its slices, and the special
/// fields are noted as the positions are recorded. Accepts only what the canonical path accepts,
/// with the same result; anything else is [`Quick::Canonical`]. `arena` gives room for `n` field
/// positions (the connection's reused field buffer).
pub(crate) fn parse_quick<'a>(
    buf: &[u8],
    limits: &Limits,
    r: &Profile,
    arena: impl FnOnce(usize) -> &'a mut BytesMut,
) -> Quick {
    let mut slots = [const { core::mem::MaybeUninit::<httparse::Header<'_>>::uninit() }; QUICK_FIELDS];
    let mut req = httparse::Request::new(&mut []);
    let len = match req.parse_with_uninit_headers(buf, &mut slots) {
        Ok(httparse::Status::Complete(n)) => n,
        Ok(httparse::Status::Partial) => return Quick::Partial,
        Err(_) => return Quick::Canonical,
    };
    quick_head(buf, len, &req, limits, r, arena)
}

fn quick_head<'a>(
    buf: &[u8],
    len: usize,
    req: &httparse::Request<'_, '_>,
    limits: &Limits,
    r: &Profile,
    arena: impl FnOnce(usize) -> &'a mut BytesMut,
) -> Quick {
    // The head is built in place in the answer (it is moved often enough on its way).
    let (Some(method), Some(target), Some(minor)) = (req.method, req.path, req.version) else {
        return Quick::Canonical;
    };
    let (method, target) = (method.as_bytes(), target.as_bytes());
    let base = buf.as_ptr() as usize;
    let off = |s: &[u8]| s.as_ptr() as usize - base;
    // The scanner's limits: head, method, request line (httparse checked `SP HTTP/1.x` and its
    // newline); then every line must end in CRLF, the empty one included.
    let t_start = off(target);
    let line_end = t_start + target.len() + " HTTP/1.1".len();
    if off(method) != 0
        || len > limits.max_head
        || method.len() > limits.max_method
        || line_end > limits.max_request_line
        || buf[line_end] != b'\r'
        || buf[len - 2] != b'\r'
        || req.headers.len() > limits.max_fields
    {
        return Quick::Canonical;
    }
    let m = Method::from_bytes(method);
    let Ok(form) = target_form(m, target, r) else {
        return Quick::Canonical;
    };
    let version = if minor == 0 {
        Version::Http10
    } else {
        Version::Http11
    };
    let headers = &*req.headers;
    let mut special = SpecialFields::default();
    // A few fields of a short head are held in place; more go to the connection's buffer. The
    // loop is the same for both (one copy of it each, so each stays as lean as a single one).
    let mut inline = InlineSink([[0u16; 4]; INLINE_FIELDS]);
    let mut out = None;
    let taken = if headers.len() <= INLINE_FIELDS && len <= usize::from(u16::MAX) {
        quick_fields(buf, len, headers, limits, &mut special, &mut inline)
    } else {
        let o = out.insert(arena(headers.len()));
        quick_fields(buf, len, headers, limits, &mut special, &mut **o)
    };
    let Some((special, connection)) = taken.then(|| special.finish(version).ok()).flatten() else {
        if let Some(o) = out {
            o.clear();
        }
        return Quick::Canonical;
    };
    let fields = match out {
        Some(o) => FieldTable::new(o.split().freeze()),
        None => FieldTable::Inline(inline.0),
    };
    Quick::Head(
        RequestHead {
            buf: Bytes::new(),
            method: m,
            method_len: method.len() as u32,
            target: (t_start as u32, (t_start + target.len()) as u32),
            form,
            version,
            minor,
            fields,
            special,
            connection,
        },
        len,
    )
}

/// Where [`quick_fields`] writes the positions: in place, or the connection's field buffer.
trait FieldSink {
    /// Records field `i`; false when it cannot be held.
    fn put(&mut self, i: usize, p: FieldPos) -> bool;
}

/// Up to [`INLINE_FIELDS`] positions held in place.
struct InlineSink([InlinePos; INLINE_FIELDS]);

impl FieldSink for InlineSink {
    #[inline]
    fn put(&mut self, i: usize, p: FieldPos) -> bool {
        FieldTable::set_inline(&mut self.0, i, p)
    }
}

impl FieldSink for BytesMut {
    #[inline]
    fn put(&mut self, _: usize, p: FieldPos) -> bool {
        p.put(self);
        true
    }
}

/// The field lines httparse found, checked as the scanner would (each ends in CRLF and keeps to
/// its limit), the special ones noted, their positions written to `sink`. False when the
/// canonical path must decide.
#[inline]
fn quick_fields(
    buf: &[u8],
    len: usize,
    headers: &[httparse::Header<'_>],
    limits: &Limits,
    special: &mut SpecialFields,
    sink: &mut impl FieldSink,
) -> bool {
    let base = buf.as_ptr() as usize;
    let off = |s: &[u8]| s.as_ptr() as usize - base;
    for (i, h) in headers.iter().enumerate() {
        let name = off(h.name.as_bytes());
        let next = headers.get(i + 1).map_or(len - 2, |n| off(n.name.as_bytes()));
        if buf[next - 2] != b'\r'
            || next - 2 - name > limits.max_field_line
            || special.field(i, h.name.as_bytes(), h.value).is_err()
        {
            return false;
        }
        let p = FieldPos {
            name: name as u32,
            name_len: h.name.len() as u32,
            value: off(h.value) as u32,
            value_len: h.value.len() as u32,
        };
        if !sink.put(i, p) {
            return false;
        }
    }
    true
}

/// The one pass over field names: notes the framing-relevant ones, parses Connection, checks Host.
#[derive(Default)]
struct SpecialFields {
    sp: Special,
    conn: ConnectionOptions,
}

impl SpecialFields {
    /// Notes field `i` when it is one of the special ones. Most names are not, and their length
    /// and first letter say so without a call.
    #[inline(always)]
    fn field(&mut self, i: usize, name: &[u8], value: &[u8]) -> Result<(), PeerError> {
        // OR 0x20 lowercases a letter and maps no other byte onto one.
        let first = name.first().map_or(0, |b| b | 0x20);
        let candidate = match name.len() {
            4 => first == b'h',
            6 => first == b'e',
            7 => first == b'u',
            10 | 14 => first == b'c',
            17 => first == b't',
            _ => false,
        };
        if candidate {
            return self.special(i, name, value);
        }
        Ok(())
    }

    #[inline]
    fn special(&mut self, i: usize, name: &[u8], value: &[u8]) -> Result<(), PeerError> {
        // `lower` is a lowercase name of the same length: the first letter decides most cases
        // without a call (OR 0x20 lowercases a letter and maps no other byte onto one).
        let is = |lower: &[u8]| (name[0] | 0x20) == lower[0] && fields::eq_lower(name, lower);
        let sp = &mut self.sp;
        match name.len() {
            4 if is(b"host") => {
                sp.host_count = sp.host_count.saturating_add(1);
                sp.host_idx = i as u16;
                if !fields::valid_host(value) {
                    return Err(K::BadHost.into());
                }
            }
            6 if is(b"expect") => sp.expect = true,
            7 if is(b"upgrade") => sp.upgrade = true,
            10 if is(b"connection") => fields::connection_options(value, &mut self.conn),
            14 if is(b"content-length") => sp.content_length = true,
            17 if is(b"transfer-encoding") => sp.transfer_encoding = true,
            _ => {}
        }
        Ok(())
    }

    /// RFC 9112 §3.2: HTTP/1.1 needs exactly one Host; no version may send two.
    fn finish(self, version: Version) -> Result<(Special, ConnectionOptions), PeerError> {
        if self.sp.host_count > 1 {
            return Err(K::DuplicateHost.into());
        }
        if self.sp.host_count == 0 && version == Version::Http11 {
            return Err(K::MissingHost.into());
        }
        Ok((self.sp, self.conn))
    }
}

/// Parses a complete trailer section (field lines through the empty line).
pub(crate) fn parse_trailers(buf: Bytes) -> Result<Trailers, PeerError> {
    let hint = buf.iter().filter(|&&b| b == b'\n').count();
    let fields =
        parse_fields(&buf, 0, &mut BytesMut::new(), hint).map_err(|_| PeerError::from(K::BadTrailer))?;
    Ok(Trailers { buf, fields })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::scan::{HeadScanner, Scan};
    use alloc::format;
    use alloc::string::{String, ToString};
    use proptest::prelude::*;

    /// The canonical verdict on a buffer: the scanner, then the parse of what it found.
    fn canonical(buf: &[u8], limits: &Limits, r: &Profile) -> Option<Result<RequestHead, K>> {
        let mut bytes = buf.to_vec();
        match HeadScanner::default().scan(&mut bytes, limits, r) {
            Ok(Scan::Partial) => None,
            Ok(Scan::Complete { start, end, fields }) => {
                let head = Bytes::copy_from_slice(&bytes[start..end]);
                let mut arena = BytesMut::new();
                Some(parse_head_reusing(head, limits, r, &mut arena, Some(fields)).map_err(|e| e.kind()))
            }
            Err(e) => Some(Err(e.kind())),
        }
    }

    /// Everything a parsed head says, for comparison.
    fn summary(h: &RequestHead) -> String {
        format!(
            "{} {:?} {:?} {:?} {} {:?} {:?} {:?} {:?} {:?}",
            h.method_str(),
            h.target().escape_ascii().to_string(),
            h.form,
            h.version,
            h.minor,
            h.headers(),
            h.special,
            h.connection,
            h.host(),
            h.method,
        )
    }

    /// The one-pass parse accepts a head only when the canonical path accepts it, with the same
    /// result; whatever it declines, the canonical path decides (so no verdict depends on which
    /// path a head took, RFC 9112 §2).
    fn check(buf: &[u8], limits: &Limits, r: &Profile) -> Result<(), TestCaseError> {
        let mut arena = BytesMut::new();
        let quick = parse_quick(buf, limits, r, |n| {
            arena.reserve(n * FieldPos::SIZE);
            &mut arena
        });
        let expected = canonical(buf, limits, r);
        match quick {
            Quick::Head(mut head, len) => {
                head.buf = Bytes::copy_from_slice(&buf[..len]);
                let Some(Ok(canon)) = expected else {
                    return Err(TestCaseError::fail(format!(
                        "quick accepted, canonical {expected:?}"
                    )));
                };
                prop_assert_eq!(summary(&head), summary(&canon));
                prop_assert_eq!(head.as_bytes(), canon.as_bytes());
            }
            Quick::Partial => prop_assert!(
                expected.is_none() || matches!(expected, Some(Err(_))),
                "quick partial, canonical {:?}",
                expected
            ),
            Quick::Canonical => {}
        }
        Ok(())
    }

    fn small_limits() -> Limits {
        Limits {
            max_request_line: 24,
            max_method: 5,
            max_fields: 3,
            max_field_line: 30,
            max_head: 90,
            ..Limits::default()
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2048))]

        /// Hostile heads, with default and with small limits, strict and lenient.
        #[test]
        fn quick_parse_agrees_with_the_canonical_path(
            head in h1conn_testkit::strategies::hostile_head(),
            cut in 0usize..200,
            small in any::<bool>(),
            lenient in any::<bool>(),
        ) {
            let limits = if small { small_limits() } else { Limits::default() };
            let r = if lenient { Profile::lenient() } else { Profile::strict() };
            check(&head, &limits, &r)?;
            // A prefix: partial heads and heads cut inside a line.
            check(&head[..cut.min(head.len())], &limits, &r)?;
        }

        /// Valid requests (with their bodies following the head).
        #[test]
        fn quick_parse_agrees_on_valid_requests(
            req in h1conn_testkit::strategies::valid_request(),
            small in any::<bool>(),
        ) {
            let limits = if small { small_limits() } else { Limits::default() };
            check(&req.to_bytes(), &limits, &Profile::strict())?;
        }
    }

    proptest! {
        /// RFC 9112 §3.2: the shortcut for plain origin-form targets answers as the full check
        /// does, under every profile.
        #[test]
        fn plain_origin_form_agrees_with_the_full_check(
            t in proptest::collection::vec(prop_oneof![Just(b'/'), Just(b'?'), Just(b'%'), any::<u8>()], 0..12),
            m in 0usize..4,
            lenient in any::<bool>(),
        ) {
            let method = [Method::Get, Method::Connect, Method::Options, Method::Other][m];
            let r = if lenient { Profile::lenient() } else { Profile::strict() };
            if plain_origin_form(method, &t) {
                prop_assert_eq!(any_target_form(method, &t, &r), Ok(TargetForm::Origin));
            }
            let mut slash = t.clone();
            slash.insert(0, b'/');
            if plain_origin_form(method, &slash) {
                prop_assert_eq!(any_target_form(method, &slash, &r), Ok(TargetForm::Origin));
            }
        }
    }

    /// RFC 9112 §3.2, §6.1, §6.3, §9.6, RFC 9110 §7.8, §10.1.1: the one pass notes every field
    /// that decides framing or persistence, whatever the case of its name, and no look-alike of
    /// the same length and first letter; each head is taken by the one pass and agrees with the
    /// canonical parse.
    #[test]
    fn rfc9112_special_fields_in_any_case_and_their_look_alikes() {
        let special = [
            ("Expect", "100-continue"),
            ("Upgrade", "websocket"),
            ("Connection", "close"),
            ("Content-Length", "0"),
            ("Transfer-Encoding", "chunked"),
        ];
        let look_alikes = [
            "Hots",
            "Hx",
            "Exceed",
            "Urgency",
            "Connexions",
            "Content-Lingth",
            "Transfer-Encodinh",
            "Accept",
            "Cookie",
            "Referer",
            "User-Agent",
            "Sec-Fetch-Mode",
        ];
        let cases = |n: &str| [n.to_string(), n.to_ascii_uppercase(), n.to_ascii_lowercase()];
        let (l, r) = (Limits::default(), Profile::strict());
        let mut heads = alloc::vec::Vec::new();
        for host in cases("Host") {
            heads.push(format!("GET / HTTP/1.1\r\n{host}: a\r\n\r\n"));
        }
        for (name, value) in special {
            for n in cases(name) {
                heads.push(format!("GET / HTTP/1.1\r\nHost: a\r\n{n}: {value}\r\n\r\n"));
            }
        }
        for n in look_alikes {
            heads.push(format!("GET / HTTP/1.1\r\nHost: a\r\n{n}: 1\r\n\r\n"));
        }
        for h in &heads {
            let mut arena = BytesMut::new();
            let quick = parse_quick(h.as_bytes(), &l, &r, |n| {
                arena.reserve(n * FieldPos::SIZE);
                &mut arena
            });
            let Quick::Head(mut head, len) = quick else {
                panic!("{h:?} not taken by the one pass");
            };
            head.buf = Bytes::copy_from_slice(&h.as_bytes()[..len]);
            check(h.as_bytes(), &l, &r).unwrap_or_else(|e| panic!("{h:?}: {e}"));
            // What a plain look at every name finds.
            let has = |name: &str| head.headers().iter().any(|f| f.name.eq_ignore_ascii_case(name));
            let sp = head.special;
            assert_eq!(sp.host_count, 1, "{h:?}");
            assert_eq!(sp.expect, has("expect"), "{h:?}");
            assert_eq!(sp.upgrade, has("upgrade"), "{h:?}");
            assert_eq!(sp.content_length, has("content-length"), "{h:?}");
            assert_eq!(sp.transfer_encoding, has("transfer-encoding"), "{h:?}");
            assert_eq!(head.connection.close, has("connection"), "{h:?}");
        }
    }

    #[test]
    fn quick_parse_takes_a_plain_head_and_declines_the_unusual() {
        let (l, r) = (Limits::default(), Profile::strict());
        let mut arena = BytesMut::new();
        let mut quick = |b: &[u8]| match parse_quick(b, &l, &r, |n| {
            arena.reserve(n * FieldPos::SIZE);
            &mut arena
        }) {
            Quick::Head(_, len) => format!("head {len}"),
            Quick::Partial => "partial".into(),
            Quick::Canonical => "canonical".into(),
        };
        assert_eq!(quick(b"GET / HTTP/1.1\r\nHost: a\r\n\r\nrest"), "head 27");
        assert_eq!(quick(b"GET / HTTP/1.1\r\nHost: a\r\n"), "partial");
        // RFC 9112 §2.2: leading empty lines, bare LF: the scanner's business.
        assert_eq!(quick(b"\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"), "canonical");
        assert_eq!(quick(b"GET / HTTP/1.1\nHost: a\r\n\r\n"), "canonical");
        assert_eq!(quick(b"GET / HTTP/1.1\r\nHost: a\n\r\n"), "canonical");
        assert_eq!(quick(b"GET / HTTP/1.1\r\nHost: a\r\n\n"), "canonical");
        // Another version, a duplicate Host, a bad target.
        assert_eq!(quick(b"GET / HTTP/1.2\r\nHost: a\r\n\r\n"), "canonical");
        assert_eq!(
            quick(b"GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n"),
            "canonical"
        );
        assert_eq!(quick(b"GET /a#b HTTP/1.1\r\nHost: a\r\n\r\n"), "canonical");
    }
}
