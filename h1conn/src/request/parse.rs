//! Parsing a complete request head once: the request line by hand (httparse cannot take `HTTP/1.2`
//! or report 505), the field lines with `httparse::parse_headers`, then one pass over the fields for
//! the ones that matter to framing and persistence.

use alloc::vec::Vec;
use bytes::Bytes;

use crate::config::{Limits, Profile};
use crate::error::{PeerError, PeerErrorKind as K};
use crate::request::fields::{self, is_tchar, ConnectionOptions};
use crate::request::head::{FieldPos, Method, RequestHead, Special, TargetForm, Trailers, Version};
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
    if !target.iter().all(|&b| is_target_byte(b, r)) {
        return Err(K::BadTarget.into());
    }
    let v = &rest[t_len + 1..];
    if v.contains(&b' ') {
        return Err(K::BadRequestLine.into());
    }
    let (version, minor) = parse_version(v)?;
    let method = Method::from_bytes(method_bytes);
    let form = target_form(method, target)?;
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

/// RFC 9112 §3.2: the target's form, checked against the method.
fn target_form(method: Method, t: &[u8]) -> Result<TargetForm, PeerError> {
    if method == Method::Connect {
        // §3.2.3: CONNECT takes only authority-form: uri-host ":" port.
        return match fields::split_host_port(t) {
            Some((h, Some(p))) if !h.is_empty() && !p.is_empty() && fields::valid_host(t) => {
                Ok(TargetForm::Authority)
            }
            _ => Err(K::TargetFormMismatch.into()),
        };
    }
    if t[0] == b'/' {
        return Ok(TargetForm::Origin);
    }
    if t == b"*" {
        return if method == Method::Options {
            Ok(TargetForm::Asterisk)
        } else {
            Err(K::TargetFormMismatch.into())
        };
    }
    // absolute-form: scheme "://" ... (scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )).
    if let Some(colon) = t.iter().position(|&b| b == b':') {
        let scheme = &t[..colon];
        let scheme_ok = !scheme.is_empty()
            && scheme[0].is_ascii_alphabetic()
            && scheme
                .iter()
                .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
        if scheme_ok && t[colon..].starts_with(b"://") {
            return Ok(TargetForm::Absolute);
        }
        // host:port without CONNECT.
        if fields::split_host_port(t).is_some() && fields::valid_host(t) {
            return Err(K::TargetFormMismatch.into());
        }
    }
    Err(K::BadTarget.into())
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

/// Parses field lines (`section` ends with the empty line) into positions relative to `base`.
pub(crate) fn parse_fields(
    whole: &[u8],
    section_start: usize,
    out: &mut Vec<FieldPos>,
    count_hint: usize,
) -> Result<(), K> {
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
    out.reserve(parsed.len());
    for h in parsed.iter() {
        out.push(FieldPos {
            name: (h.name.as_ptr() as usize - base) as u32,
            name_len: h.name.len() as u32,
            value: (h.value.as_ptr() as usize - base) as u32,
            value_len: h.value.len() as u32,
        });
    }
    Ok(())
}

/// Parses a complete head (as found by [`HeadScanner`]: request line through the empty line, no
/// leading empty lines) into a [`RequestHead`], reusing `fields` (cleared) for the field positions so
/// that steady keep-alive allocates nothing per request. Checks the grammar and the per-field rules
/// that need no policy: Host count, Connection options. Framing rules are
/// [`crate::framing::request_framing`].
pub(crate) fn parse_head_reusing(
    buf: Bytes,
    limits: &Limits,
    r: &Profile,
    mut fields: Vec<FieldPos>,
    field_count: Option<usize>,
) -> Result<RequestHead, PeerError> {
    fields.clear();
    let nl = find_lf(&buf).ok_or(PeerError::from(K::BadRequestLine))?;
    let line_end = if nl > 0 && buf[nl - 1] == b'\r' {
        nl - 1
    } else {
        nl
    };
    let line = parse_request_line(&buf[..line_end], limits, r)?;
    // The scanner counted the field lines; without it, LFs are an upper bound.
    let hint = field_count.unwrap_or_else(|| buf[nl + 1..].iter().filter(|&&b| b == b'\n').count());
    parse_fields(&buf, nl + 1, &mut fields, hint).map_err(PeerError::from)?;
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
    let mut fields = Vec::new();
    let hint = buf.iter().filter(|&&b| b == b'\n').count();
    parse_fields(&buf, 0, &mut fields, hint).map_err(|_| PeerError::from(K::BadTrailer))?;
    Ok(Trailers { buf, fields })
}
