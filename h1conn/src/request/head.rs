//! The parsed request head and its field views. Field positions are kept as offsets into one shared
//! [`Bytes`], so a head costs one buffer slice and one small vector, never an allocation per field.

use bytes::Bytes;

use crate::request::fields::{self as rules, ConnectionOptions, Expect};

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
    pub(crate) fn from_bytes(m: &[u8]) -> Method {
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
    pub(crate) name: u32,
    pub(crate) name_len: u32,
    pub(crate) value: u32,
    pub(crate) value_len: u32,
}

impl FieldPos {
    /// Bytes of one entry in a [`FieldTable`].
    pub(crate) const SIZE: usize = 16;

    /// Appends this entry to a table being built (room reserved by the caller).
    #[inline]
    pub(crate) fn put(&self, out: &mut bytes::BytesMut) {
        let mut e = [0u8; Self::SIZE];
        e[0..4].copy_from_slice(&self.name.to_le_bytes());
        e[4..8].copy_from_slice(&self.name_len.to_le_bytes());
        e[8..12].copy_from_slice(&self.value.to_le_bytes());
        e[12..16].copy_from_slice(&self.value_len.to_le_bytes());
        out.extend_from_slice(&e);
    }

    /// The name's bytes in the head `buf`.
    #[inline]
    pub(crate) fn name_in(self, buf: &[u8]) -> &[u8] {
        &buf[self.name as usize..(self.name + self.name_len) as usize]
    }

    /// The value's bytes in the head `buf`.
    #[inline]
    pub(crate) fn value_in(self, buf: &[u8]) -> &[u8] {
        &buf[self.value as usize..(self.value + self.value_len) as usize]
    }

    #[inline]
    fn read(e: &[u8; Self::SIZE]) -> FieldPos {
        let u = |i: usize| u32::from_le_bytes([e[i], e[i + 1], e[i + 2], e[i + 3]]);
        FieldPos {
            name: u(0),
            name_len: u(4),
            value: u(8),
            value_len: u(12),
        }
    }
}

/// Field lines whose positions a [`FieldTable`] holds in place.
pub(crate) const INLINE_FIELDS: usize = 3;

/// One entry held in place: name, name length, value, value length, as `u16` (the head is shorter
/// than 64 KiB). An unused entry has a zero name length: a field name is never empty.
pub(crate) type InlinePos = [u16; 4];

/// The positions of a section's field lines: held in place for a few fields of a short head
/// (most requests), else packed into a slice of the connection's reused field buffer. Either way
/// a head costs no allocation of its own.
#[derive(Clone)]
pub(crate) enum FieldTable {
    Inline([InlinePos; INLINE_FIELDS]),
    Shared(Bytes),
}

impl Default for FieldTable {
    fn default() -> Self {
        FieldTable::Inline([[0; 4]; INLINE_FIELDS])
    }
}

impl FieldTable {
    /// A table over `FieldPos::SIZE`-byte entries written with [`FieldPos::put`].
    pub(crate) fn new(entries: Bytes) -> Self {
        FieldTable::Shared(entries)
    }
    /// Sets entry `i` of a table held in place; false (and nothing set) when `i` or a position
    /// does not fit.
    pub(crate) fn set_inline(entries: &mut [InlinePos; INLINE_FIELDS], i: usize, p: FieldPos) -> bool {
        let fits = |n: u32| u16::try_from(n).ok();
        match (
            entries.get_mut(i),
            fits(p.name),
            fits(p.name_len),
            fits(p.value),
            fits(p.value_len),
        ) {
            (Some(e), Some(a), Some(b), Some(c), Some(d)) if b > 0 => {
                *e = [a, b, c, d];
                true
            }
            _ => false,
        }
    }
    pub(crate) fn len(&self) -> usize {
        match self {
            FieldTable::Inline(e) => e.iter().take_while(|e| e[1] != 0).count(),
            FieldTable::Shared(b) => b.len() / FieldPos::SIZE,
        }
    }
    pub(crate) fn get(&self, i: usize) -> FieldPos {
        self.iter().nth(i).unwrap_or(FieldPos {
            name: 0,
            name_len: 0,
            value: 0,
            value_len: 0,
        })
    }
    #[inline]
    pub(crate) fn iter(&self) -> impl Iterator<Item = FieldPos> + '_ {
        let (inline, shared): (&[InlinePos], &[u8]) = match self {
            FieldTable::Inline(e) => (e, &[]),
            FieldTable::Shared(b) => (&[], b),
        };
        let inline = inline.iter().take_while(|e| e[1] != 0).map(|e| FieldPos {
            name: e[0].into(),
            name_len: e[1].into(),
            value: e[2].into(),
            value_len: e[3].into(),
        });
        let shared = shared
            .chunks_exact(FieldPos::SIZE)
            .filter_map(|e| <&[u8; FieldPos::SIZE]>::try_from(e).ok())
            .map(FieldPos::read);
        inline.chain(shared)
    }
}

/// A read-only view of field lines (a header or trailer section), in received order, with
/// case-insensitive lookup. Values are trimmed of surrounding SP and HTAB and nothing else.
#[derive(Clone, Copy)]
pub struct Fields<'a> {
    buf: &'a [u8],
    pos: &'a FieldTable,
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
    fn field(&self, p: FieldPos) -> Field<'a> {
        let name = &self.buf[p.name as usize..(p.name + p.name_len) as usize];
        Field {
            // Names were checked to be tokens, so this never fails.
            name: core::str::from_utf8(name).unwrap_or(""),
            value: &self.buf[p.value as usize..(p.value + p.value_len) as usize],
        }
    }
    fn name_at(&self, p: FieldPos) -> &'a [u8] {
        &self.buf[p.name as usize..(p.name + p.name_len) as usize]
    }
    /// Number of field lines.
    pub fn len(&self) -> usize {
        self.pos.len()
    }
    /// True when there are no field lines.
    pub fn is_empty(&self) -> bool {
        self.pos.len() == 0
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
            .filter(move |p| me.name_at(*p).eq_ignore_ascii_case(name.as_bytes()))
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
    pub(crate) buf: Bytes,
    pub(crate) method: Method,
    pub(crate) method_len: u32,
    pub(crate) target: (u32, u32),
    pub(crate) form: TargetForm,
    pub(crate) version: Version,
    pub(crate) minor: u8,
    pub(crate) fields: FieldTable,
    pub(crate) special: Special,
    pub(crate) connection: ConnectionOptions,
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
    /// The path of an origin-form or absolute-form target (up to `?`; `/` when an absolute-form
    /// target has none); the whole target for the other forms. A target never holds a fragment
    /// (`#` is refused, RFC 9112 §3.2).
    pub fn path(&self) -> &[u8] {
        let t = self.target();
        let t = match self.form {
            TargetForm::Absolute => {
                let after_scheme = t.windows(3).position(|w| w == b"://").map_or(0, |i| i + 3);
                let rest = &t[after_scheme..];
                match rest.iter().position(|&b| b == b'/' || b == b'?') {
                    Some(i) if rest[i] == b'/' => &rest[i..],
                    _ => return b"/",
                }
            }
            TargetForm::Origin => t,
            _ => return t,
        };
        let end = t.iter().position(|&b| b == b'?').unwrap_or(t.len());
        &t[..end]
    }
    /// The query of an origin-form or absolute-form target (after the first `?`), if any.
    pub fn query(&self) -> Option<&[u8]> {
        let t = self.target();
        let q = t.iter().position(|&b| b == b'?')?;
        Some(&t[q + 1..])
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
    /// one (RFC 9112 §3.2.2: Host is then ignored), else the Host value. An absolute-form's
    /// authority was checked by the Host rules (with userinfo only in schemes other than "http"
    /// and "https").
    pub fn authority(&self) -> Option<&[u8]> {
        match self.form {
            TargetForm::Absolute => {
                let t = self.target();
                let start = t.windows(3).position(|w| w == b"://").map(|i| i + 3)?;
                let rest = &t[start..];
                let end = rest
                    .iter()
                    .position(|&b| b == b'/' || b == b'?')
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
            let p = self.fields.get(self.special.host_idx as usize);
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
    pub(crate) buf: Bytes,
    pub(crate) fields: FieldTable,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Config, Connection, Event};
    use alloc::vec::Vec;
    use core::time::Duration;

    fn pos(name: u32, name_len: u32, value: u32, value_len: u32) -> FieldPos {
        FieldPos {
            name,
            name_len,
            value,
            value_len,
        }
    }

    /// A table held in place takes only what it can hold: three entries, positions below 64 KiB,
    /// names not empty (so an unused entry is told apart).
    #[test]
    fn inline_table_takes_what_fits() {
        let mut e = [[0u16; 4]; INLINE_FIELDS];
        assert!(FieldTable::set_inline(&mut e, 0, pos(16, 4, 22, 9)));
        assert!(
            !FieldTable::set_inline(&mut e, 1, pos(40, 0, 42, 1)),
            "empty name"
        );
        assert!(
            !FieldTable::set_inline(&mut e, 1, pos(70_000, 4, 70_006, 1)),
            "past 64 KiB"
        );
        assert!(
            !FieldTable::set_inline(&mut e, INLINE_FIELDS, pos(40, 4, 46, 1)),
            "no room"
        );
        assert!(FieldTable::set_inline(&mut e, 1, pos(40, 4, 46, 1)));
        let t = FieldTable::Inline(e);
        assert_eq!(t.len(), 2);
        assert_eq!(
            t.iter().collect::<Vec<_>>(),
            [pos(16, 4, 22, 9), pos(40, 4, 46, 1)]
        );
        assert_eq!(t.get(1), pos(40, 4, 46, 1));
        assert_eq!(FieldTable::default().len(), 0);
    }

    /// RFC 9110 §5.3: every field line is kept in order, whichever table holds the positions:
    /// up to three fields in place, four or more in the connection's buffer.
    #[test]
    fn rfc9110_5_3_fields_kept_in_order_in_either_table() {
        for n in 0..6 {
            let mut raw = Vec::from(&b"GET / HTTP/1.1\r\nHost: h\r\n"[..]);
            for i in 1..n {
                raw.extend_from_slice(alloc::format!("X-{i}: v{i}\r\n").as_bytes());
            }
            raw.extend_from_slice(b"\r\n");
            let mut c = Connection::new(Config::default(), Duration::ZERO);
            assert_eq!(c.handle_input(&raw, Duration::ZERO), raw.len());
            let Some(Event::Request(r)) = c.poll_event() else {
                panic!("no request");
            };
            let h = r.head.headers();
            assert_eq!(h.len(), n.max(1));
            assert!(matches!(r.head.fields, FieldTable::Inline(_)) == (n <= INLINE_FIELDS));
            for (i, f) in h.iter().enumerate().skip(1) {
                assert_eq!(f.name, alloc::format!("X-{i}"));
                assert_eq!(f.value, alloc::format!("v{i}").as_bytes());
            }
            assert_eq!(r.head.host(), Some(&b"h"[..]));
        }
    }
}
