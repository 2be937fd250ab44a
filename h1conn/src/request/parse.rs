//! Parsing a complete request head once: the request line by hand (httparse cannot take `HTTP/1.2`
//! or report 505), the field lines with `httparse::parse_headers`, then one pass over the fields for
//! the ones that matter to framing and persistence.

use bytes::{Bytes, BytesMut};

use crate::config::{Limits, Profile};
use crate::error::{PeerError, PeerErrorKind as K};
use crate::request::fields::{self, is_tchar, ConnectionOptions};
use crate::request::head::{
    FieldPos, FieldTable, Method, RequestHead, Special, TargetForm, Trailers, Version,
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
    while let Some(&b) = v.get(i) {
        if fields::in_class(b, classes) {
            i += 1;
        } else if fields::is_pct_encoded(&v[i..]) {
            i += 3;
        } else {
            return Err(K::BadTarget.into());
        }
    }
    Ok(())
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
/// [`crate::framing::request_framing`].
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
    let mut head = RequestHead {
        method: line.method,
        method_len: line.method_len as u32,
        target: (line.target.0 as u32, line.target.1 as u32),
        form: line.form,
        version: line.version,
        minor: line.minor,
        fields,
        special: Special::default(),
        connection: ConnectionOptions::default(),
        buf,
    };
    scan_special(&mut head)?;
    Ok(head)
}

/// One pass over field names: note the framing-relevant ones, parse Connection, check Host.
fn scan_special(head: &mut RequestHead) -> Result<(), PeerError> {
    let mut sp = Special::default();
    let mut conn = ConnectionOptions::default();
    for (i, p) in head.fields.iter().enumerate() {
        let name = &head.buf[p.name as usize..(p.name + p.name_len) as usize];
        let value = &head.buf[p.value as usize..(p.value + p.value_len) as usize];
        match name.len() {
            4 if name.eq_ignore_ascii_case(b"host") => {
                sp.host_count = sp.host_count.saturating_add(1);
                sp.host_idx = i as u16;
                if !fields::valid_host(value) {
                    return Err(K::BadHost.into());
                }
            }
            6 if name.eq_ignore_ascii_case(b"expect") => sp.expect = true,
            7 if name.eq_ignore_ascii_case(b"upgrade") => sp.upgrade = true,
            10 if name.eq_ignore_ascii_case(b"connection") => fields::connection_options(value, &mut conn),
            14 if name.eq_ignore_ascii_case(b"content-length") => sp.content_length = true,
            17 if name.eq_ignore_ascii_case(b"transfer-encoding") => sp.transfer_encoding = true,
            _ => {}
        }
    }
    // RFC 9112 §3.2: HTTP/1.1 needs exactly one Host; no version may send two.
    if sp.host_count > 1 {
        return Err(K::DuplicateHost.into());
    }
    if sp.host_count == 0 && head.version == Version::Http11 {
        return Err(K::MissingHost.into());
    }
    head.special = sp;
    head.connection = conn;
    Ok(())
}

/// Parses a complete trailer section (field lines through the empty line).
pub(crate) fn parse_trailers(buf: Bytes) -> Result<Trailers, PeerError> {
    let hint = buf.iter().filter(|&&b| b == b'\n').count();
    let fields =
        parse_fields(&buf, 0, &mut BytesMut::new(), hint).map_err(|_| PeerError::from(K::BadTrailer))?;
    Ok(Trailers { buf, fields })
}
