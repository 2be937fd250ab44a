//! The request head: incremental scanning, the request line, field lines, and the parsed type.
//!
//! Scanning ([`HeadScanner`]) finds the end of the head line by line, keeping its position between
//! calls so a peer that sends one byte at a time costs O(n) in total, and checks every size limit
//! before more bytes are buffered. Parsing ([`parse_head`]) then runs once over the complete head:
//! the request line by hand (httparse cannot take `HTTP/1.2` or report 505), the field lines with
//! `httparse::parse_headers`. Field positions are kept as offsets into one shared [`Bytes`], so a
//! head costs one buffer slice and one small vector, never an allocation per field.

use alloc::vec::Vec;
use bytes::Bytes;

use crate::config::{Limits, Profile};
use crate::error::{PeerError, PeerErrorKind as K};
use crate::rules::{self, is_tchar, ConnectionOptions, Expect};

/// The HTTP version of a request, as far as semantics go (RFC 9110 §6.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Version {
    /// HTTP/1.0.
    Http10,
    /// HTTP/1.1, or a higher 1.x minor version handled as HTTP/1.1.
    Http11,
}

/// The request method. Extension methods are [`Method::Other`]; the bytes are in
/// [`RequestHead::method_str`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// GET
    Get,
    /// HEAD
    Head,
    /// POST
    Post,
    /// PUT
    Put,
    /// DELETE
    Delete,
    /// CONNECT
    Connect,
    /// OPTIONS
    Options,
    /// TRACE
    Trace,
    /// PATCH
    Patch,
    /// Any other token.
    Other,
}

impl Method {
    fn from_bytes(m: &[u8]) -> Method {
        match m {
            b"GET" => Method::Get,
            b"HEAD" => Method::Head,
            b"POST" => Method::Post,
            b"PUT" => Method::Put,
            b"DELETE" => Method::Delete,
            b"CONNECT" => Method::Connect,
            b"OPTIONS" => Method::Options,
            b"TRACE" => Method::Trace,
            b"PATCH" => Method::Patch,
            _ => Method::Other,
        }
    }
}

/// The form of the request target (RFC 9112 §3.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TargetForm {
    /// `/path?query` (§3.2.1).
    Origin,
    /// `scheme://authority/path` (§3.2.2); the authority is taken from the target, not Host.
    Absolute,
    /// `host:port`, only with CONNECT (§3.2.3).
    Authority,
    /// `*`, only with OPTIONS (§3.2.4).
    Asterisk,
}

/// Where one field line sits in its buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FieldPos {
    name: u32,
    name_len: u32,
    value: u32,
    value_len: u32,
}

/// A read-only view of field lines (a header or trailer section), in received order, with
/// case-insensitive lookup. Values are trimmed of surrounding SP and HTAB and nothing else.
#[derive(Clone, Copy)]
pub struct Fields<'a> {
    buf: &'a [u8],
    pos: &'a [FieldPos],
}

/// One field line: name as received (its case kept) and value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field<'a> {
    /// The field name (a token, so always ASCII).
    pub name: &'a str,
    /// The field value, trimmed.
    pub value: &'a [u8],
}

impl<'a> Fields<'a> {
    fn field(&self, p: &FieldPos) -> Field<'a> {
        let name = &self.buf[p.name as usize..(p.name + p.name_len) as usize];
        Field {
            // Names were checked to be tokens, so this never fails.
            name: core::str::from_utf8(name).unwrap_or(""),
            value: &self.buf[p.value as usize..(p.value + p.value_len) as usize],
        }
    }
    fn name_at(&self, p: &FieldPos) -> &'a [u8] {
        &self.buf[p.name as usize..(p.name + p.name_len) as usize]
    }
    /// Number of field lines.
    pub fn len(&self) -> usize {
        self.pos.len()
    }
    /// True when there are no field lines.
    pub fn is_empty(&self) -> bool {
        self.pos.is_empty()
    }
    /// The field lines in received order.
    pub fn iter(&self) -> impl Iterator<Item = Field<'a>> + 'a {
        let me = *self;
        self.pos.iter().map(move |p| me.field(p))
    }
    /// The value of the first field line named `name` (ASCII case-insensitive).
    pub fn get(&self, name: &str) -> Option<&'a [u8]> {
        self.get_all(name).next()
    }
    /// The values of every field line named `name`, in received order.
    pub fn get_all<'n>(&self, name: &'n str) -> impl Iterator<Item = &'a [u8]> + 'n
    where
        'a: 'n,
    {
        let me = *self;
        self.pos
            .iter()
            .filter(move |p| me.name_at(p).eq_ignore_ascii_case(name.as_bytes()))
            .map(move |p| me.field(p).value)
    }
    /// True when a field line named `name` is present.
    pub fn contains(&self, name: &str) -> bool {
        self.get(name).is_some()
    }
}

impl core::fmt::Debug for Fields<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_list()
            .entries(self.iter().map(|fl| (fl.name, BytesDebug(fl.value))))
            .finish()
    }
}

struct BytesDebug<'a>(&'a [u8]);
impl core::fmt::Debug for BytesDebug<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "\"{}\"", self.0.escape_ascii())
    }
}

/// Which framing-relevant fields a head carries, found in the one pass over its field lines.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Special {
    pub host_count: u16,
    pub host_idx: u16,
    pub content_length: bool,
    pub transfer_encoding: bool,
    pub expect: bool,
    pub upgrade: bool,
}

/// A parsed, grammar-checked request head. Cheap to move; the bytes are shared with the read buffer.
#[derive(Clone)]
pub struct RequestHead {
    buf: Bytes,
    method: Method,
    method_len: u32,
    target: (u32, u32),
    form: TargetForm,
    version: Version,
    minor: u8,
    fields: Vec<FieldPos>,
    pub(crate) special: Special,
    connection: ConnectionOptions,
}

impl RequestHead {
    /// The method.
    pub fn method(&self) -> Method {
        self.method
    }
    /// The method as received (a token; case-sensitive).
    pub fn method_str(&self) -> &str {
        core::str::from_utf8(&self.buf[..self.method_len as usize]).unwrap_or("")
    }
    /// The request target as received.
    pub fn target(&self) -> &[u8] {
        &self.buf[self.target.0 as usize..self.target.1 as usize]
    }
    /// The path of an origin-form or absolute-form target (up to `?` or `#`; `/` when an
    /// absolute-form target has none); the whole target for the other forms.
    pub fn path(&self) -> &[u8] {
        let t = self.target();
        let t = match self.form {
            TargetForm::Absolute => {
                let after_scheme = t.windows(3).position(|w| w == b"://").map_or(0, |i| i + 3);
                let rest = &t[after_scheme..];
                match rest.iter().position(|&b| b == b'/' || b == b'?' || b == b'#') {
                    Some(i) if rest[i] == b'/' => &rest[i..],
                    _ => return b"/",
                }
            }
            TargetForm::Origin => t,
            _ => return t,
        };
        let end = t.iter().position(|&b| b == b'?' || b == b'#').unwrap_or(t.len());
        &t[..end]
    }
    /// The query of the target (after `?`, before `#`), if any.
    pub fn query(&self) -> Option<&[u8]> {
        let t = self.target();
        let q = t.iter().position(|&b| b == b'?')?;
        let rest = &t[q + 1..];
        let end = rest.iter().position(|&b| b == b'#').unwrap_or(rest.len());
        Some(&rest[..end])
    }
    /// The form of the target.
    pub fn target_form(&self) -> TargetForm {
        self.form
    }
    /// The version, by semantics: `HTTP/1.2` is [`Version::Http11`].
    pub fn version(&self) -> Version {
        self.version
    }
    /// The minor version digit as received (2 for `HTTP/1.2`).
    pub fn minor_version(&self) -> u8 {
        self.minor
    }
    /// The header section.
    pub fn headers(&self) -> Fields<'_> {
        Fields {
            buf: &self.buf,
            pos: &self.fields,
        }
    }
    /// The parsed `Connection` options, across every Connection line.
    pub fn connection(&self) -> ConnectionOptions {
        self.connection
    }
    /// The authority of the request: from an absolute-form or authority-form target when there is
    /// one (RFC 9112 §3.2.2: Host is then ignored), else the Host value.
    pub fn authority(&self) -> Option<&[u8]> {
        match self.form {
            TargetForm::Absolute => {
                let t = self.target();
                let start = t.windows(3).position(|w| w == b"://").map(|i| i + 3)?;
                let rest = &t[start..];
                let end = rest
                    .iter()
                    .position(|&b| b == b'/' || b == b'?' || b == b'#')
                    .unwrap_or(rest.len());
                Some(&rest[..end])
            }
            TargetForm::Authority => Some(self.target()),
            _ => self.host(),
        }
    }
    /// The Host value, if exactly one was sent.
    pub fn host(&self) -> Option<&[u8]> {
        if self.special.host_count == 1 {
            let p = &self.fields[self.special.host_idx as usize];
            Some(&self.buf[p.value as usize..(p.value + p.value_len) as usize])
        } else {
            None
        }
    }
    /// The `Expect` field, read for HTTP/1.1 only (HTTP/1.0 ignores it, RFC 9110 §10.1.1).
    pub fn expect(&self) -> Expect {
        if !self.special.expect || self.version == Version::Http10 {
            return Expect::None;
        }
        rules::expect(self.headers().get_all("expect"))
    }
    /// True when the request asks for a protocol upgrade (HTTP/1.1, an Upgrade field and the
    /// `upgrade` connection option; RFC 9110 §7.8).
    pub fn wants_upgrade(&self) -> bool {
        self.version == Version::Http11 && self.special.upgrade && self.connection.upgrade
    }
    /// The raw bytes of the whole head, CRLFs included.
    pub fn as_bytes(&self) -> &Bytes {
        &self.buf
    }
}

impl core::fmt::Debug for RequestHead {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("RequestHead")
            .field("method", &self.method_str())
            .field("target", &BytesDebug(self.target()))
            .field("version", &self.version)
            .field("headers", &self.headers())
            .finish()
    }
}

/// Trailer fields of a chunked body, kept apart from the header section (RFC 9112 §7.1.2).
#[derive(Clone)]
pub struct Trailers {
    buf: Bytes,
    fields: Vec<FieldPos>,
}

impl Trailers {
    /// The trailer fields.
    pub fn fields(&self) -> Fields<'_> {
        Fields {
            buf: &self.buf,
            pos: &self.fields,
        }
    }
}

impl core::fmt::Debug for Trailers {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        self.fields().fmt(f)
    }
}

impl PartialEq for Trailers {
    fn eq(&self, other: &Self) -> bool {
        self.fields().iter().eq(other.fields().iter())
    }
}

/// What a scan step found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scan {
    /// More bytes are needed.
    Partial,
    /// A complete head sits at `start..end` of the buffer; bytes before `start` are empty lines to
    /// skip.
    Complete {
        /// Where the request line starts.
        start: usize,
        /// One past the empty line that ends the head.
        end: usize,
        /// Field lines in the head (obs-fold continuations not counted).
        fields: usize,
    },
}

/// Finds the end of a request head incrementally, checking limits line by line.
///
/// Feed it the same growing buffer (bytes only appended) until it returns [`Scan::Complete`], then
/// [`reset`](HeadScanner::reset) it for the next head. Each byte is looked at a bounded number of
/// times however the input is split.
#[derive(Debug, Clone, Default)]
pub struct HeadScanner {
    start: usize,
    line_start: usize,
    pos: usize,
    line_no: u32,
    fields: u32,
    /// Where the previous field line's terminator begins (for obs-fold merging).
    prev_line_end: usize,
}

/// Position of the first LF, eight bytes at a time (SWAR: a word has a zero byte where it equals
/// the pattern; the lowest flagged byte is the first match).
pub(crate) fn find_lf(hay: &[u8]) -> Option<usize> {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    const PAT: u64 = LO * b'\n' as u64;
    let mut chunks = hay.chunks_exact(8);
    let mut base = 0;
    for c in &mut chunks {
        let mut a = [0u8; 8];
        a.copy_from_slice(c);
        let w = u64::from_le_bytes(a) ^ PAT;
        let t = w.wrapping_sub(LO) & !w & HI;
        if t != 0 {
            return Some(base + (t.trailing_zeros() / 8) as usize);
        }
        base += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&b| b == b'\n')
        .map(|i| base + i)
}

impl HeadScanner {
    /// Forget all progress (after the head was taken out of the buffer).
    pub fn reset(&mut self) {
        *self = Self::default();
    }

    /// Bytes of leading empty lines seen so far; the caller may drop them from the buffer and
    /// [`rebase`](HeadScanner::rebase).
    pub fn skipped(&self) -> usize {
        self.start
    }

    /// Shift positions after the caller dropped `n` bytes from the front of the buffer.
    pub fn rebase(&mut self, n: usize) {
        self.start -= n;
        self.line_start -= n;
        self.pos -= n;
        self.prev_line_end = self.prev_line_end.saturating_sub(n);
    }

    /// Continues scanning `buf`. In lenient profiles, bare CRs, control bytes and obs-fold are
    /// rewritten in place to SP, so the buffer is mutable.
    pub fn scan(&mut self, buf: &mut [u8], limits: &Limits, r: &Profile) -> Result<Scan, PeerError> {
        loop {
            let Some(i) = find_lf(&buf[self.pos..]) else {
                self.pos = buf.len();
                self.check_partial(buf, limits)?;
                return Ok(Scan::Partial);
            };
            let nl = self.pos + i;
            let has_cr = nl > self.line_start && buf[nl - 1] == b'\r';
            if !has_cr && !r.allow_lf_line_endings {
                return Err(K::BareLf.into());
            }
            let content_end = if has_cr { nl - 1 } else { nl };
            let (ls, le) = (self.line_start, content_end);
            if r.replace_bare_cr || r.allow_ctl_in_values {
                lenient_rewrite(&mut buf[ls..le], r);
            }
            if self.line_no == 0 {
                if ls == le {
                    // RFC 9112 §2.2: empty lines before the request line are skipped.
                    self.start = nl + 1;
                } else {
                    // The same early checks as on a partial line, so the verdict does not depend on
                    // how the input was split.
                    check_request_line_prefix(&buf[ls..le], limits)?;
                    check_request_line_len(&buf[ls..le], limits)?;
                    self.line_no = 1;
                }
                self.prev_line_end = content_end;
                self.line_start = nl + 1;
                self.pos = nl + 1;
                self.check_head_len(nl + 1, limits)?;
                continue;
            } else if ls == le {
                return Ok(Scan::Complete {
                    start: self.start,
                    end: nl + 1,
                    fields: self.fields as usize,
                });
            } else if buf[ls] == b' ' || buf[ls] == b'\t' {
                if self.line_no == 1 {
                    return Err(K::WhitespaceAfterStartLine.into());
                }
                if !r.allow_obs_fold {
                    return Err(K::ObsFold.into());
                }
                // Merge with the previous field line: its terminator becomes SP.
                for b in &mut buf[self.prev_line_end..ls] {
                    *b = b' ';
                }
                // The merged line is measured from the previous line start (kept in line_no > 1).
                self.line_no += 1;
                self.prev_line_end = content_end;
                self.line_start = nl + 1;
                self.pos = nl + 1;
                self.check_head_len(nl + 1, limits)?;
                continue;
            } else {
                self.fields += 1;
                if self.fields as usize > limits.max_fields {
                    return Err(K::TooManyFields.into());
                }
                if le - ls > limits.max_field_line {
                    return Err(K::FieldTooLarge.into());
                }
            }
            self.line_no += 1;
            self.prev_line_end = content_end;
            self.line_start = nl + 1;
            self.pos = nl + 1;
            self.check_head_len(nl + 1, limits)?;
        }
    }

    fn check_head_len(&self, upto: usize, limits: &Limits) -> Result<(), PeerError> {
        if self.line_no > 0 && upto - self.start > limits.max_head {
            return Err(K::HeadTooLarge.into());
        }
        Ok(())
    }

    fn check_partial(&self, buf: &[u8], limits: &Limits) -> Result<(), PeerError> {
        let line = &buf[self.line_start..];
        // A trailing CR may be the first half of the terminator.
        let len = line.len() - usize::from(line.last() == Some(&b'\r'));
        if self.line_no == 0 {
            check_request_line_prefix(&line[..len], limits)?;
            if len > limits.max_request_line {
                check_request_line_len(line, limits)?;
            }
        } else if len > limits.max_field_line {
            return Err(K::FieldTooLarge.into());
        }
        if self.line_no > 0 && buf.len() - self.start > limits.max_head + 1 {
            return Err(K::HeadTooLarge.into());
        }
        Ok(())
    }
}

/// Lenient profile: bare CR and (if allowed) other control bytes become SP.
fn lenient_rewrite(line: &mut [u8], r: &Profile) {
    for b in line {
        if (*b == b'\r' && r.replace_bare_cr)
            || (r.allow_ctl_in_values && (*b < 0x20 || *b == 0x7f) && !matches!(*b, b'\t' | 0 | b'\r'))
        {
            *b = b' ';
        }
    }
}

/// Early rejection of a request line before its end arrives: a method byte that is not a token, or
/// a method longer than any known.
fn check_request_line_prefix(line: &[u8], limits: &Limits) -> Result<(), PeerError> {
    // Only the method matters here, so at most `max_method + 1` bytes are looked at: repeated
    // calls on a growing partial line stay O(1) each.
    let line = &line[..line.len().min(limits.max_method + 1)];
    let m_end = line.iter().position(|&b| b == b' ').unwrap_or(line.len());
    let method = &line[..m_end];
    if method.iter().any(|&b| !is_tchar(b)) {
        return Err(K::BadRequestLine.into());
    }
    if m_end > limits.max_method {
        return Err(K::MethodTooLong.into());
    }
    Ok(())
}

fn check_request_line_len(line: &[u8], limits: &Limits) -> Result<(), PeerError> {
    if line.len() > limits.max_request_line {
        let m_end = line.iter().position(|&b| b == b' ').unwrap_or(line.len());
        if m_end > limits.max_method {
            return Err(K::MethodTooLong.into());
        }
        return Err(K::UriTooLong.into());
    }
    Ok(())
}

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
        return match rules::split_host_port(t) {
            Some((h, Some(p))) if !h.is_empty() && !p.is_empty() && rules::valid_host(t) => {
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
        if rules::split_host_port(t).is_some() && rules::valid_host(t) {
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
                if !rules::valid_host(value) {
                    return Err(K::BadHost.into());
                }
            }
            6 if name.eq_ignore_ascii_case(b"expect") => sp.expect = true,
            7 if name.eq_ignore_ascii_case(b"upgrade") => sp.upgrade = true,
            10 if name.eq_ignore_ascii_case(b"connection") => rules::connection_options(value, &mut conn),
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

impl RequestHead {
    /// Takes back the field vector for reuse by the next parse.
    pub(crate) fn into_field_vec(self) -> Vec<FieldPos> {
        self.fields
    }
}

#[cfg(test)]
mod tests {
    use super::find_lf;

    #[test]
    fn find_lf_matches_a_plain_search_at_every_position() {
        for len in 0..40 {
            for at in 0..=len {
                let mut v = alloc::vec![b'a'; len];
                // Bytes that can fool a word trick: 0x8a, 0x0b, 0x09 around the match.
                for (i, b) in v.iter_mut().enumerate() {
                    *b = [b'a', 0x8a, 0x0b, 0x09, 0x0a ^ 0x80][i % 5];
                }
                if at < len {
                    v[at] = b'\n';
                }
                let plain = v.iter().position(|&b| b == b'\n');
                assert_eq!(find_lf(&v), plain, "len {len} at {at}");
            }
        }
    }
}
