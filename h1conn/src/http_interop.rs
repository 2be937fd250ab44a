//! Interop with the [`http`] crate (feature `http`): a [`RequestHead`] as
//! [`http::request::Parts`], and an [`http::Response`] head as a [`Response`].
//!
//! Requests: [`RequestHead::to_http_parts`] builds the method, URI, version and [`http::HeaderMap`]
//! from the head the connection already parsed and checked. Values and the target are slices of
//! the head's buffer (no copy of the bytes); names are the `http` crate's (lower case). On a
//! kept-alive connection, [`RequestHead::to_http_parts_cached`] takes the names and values of the
//! lines that repeat from the last request instead, and the whole map of a field section that
//! came before ([`FieldCache`]).
//!
//! Responses: [`HttpResponseHead`].

use alloc::vec::Vec;

use crate::conn::Connection;
use crate::error::UsageError;
use crate::request::fields::{eq_lower, list_members};
use crate::request::head::{FieldPos, RequestHead, Version};
use crate::response::{FieldsInfo, Response};
use crate::ResponseFraming;
use core::time::Duration;

impl RequestHead {
    /// The head as [`http::request::Parts`]: method, target as the URI (origin-form `/p?q`,
    /// absolute-form, authority-form or `*` as received), version and header fields in order,
    /// repeated names kept. The bytes are shared with the head, not copied.
    ///
    /// Fails only where the `http` crate is stricter than HTTP/1.1's grammar, which the
    /// connection already checked (for instance some obs-text in a target); a server answers 400.
    pub fn to_http_parts(&self) -> Result<http::request::Parts, http::Error> {
        let (mut parts, ()) = http::Request::new(()).into_parts();
        self.fill_parts(&mut parts)?;
        Ok(parts)
    }

    /// [`to_http_parts`](Self::to_http_parts) with the fields put in `headers`, emptied first
    /// and then grown as needed. A server that keeps the emptied map of its last response
    /// for the next request (as hyper does) reuses its storage, so a request in steady
    /// keep-alive allocates nothing for its fields.
    pub fn to_http_parts_in(
        &self,
        mut headers: http::HeaderMap,
    ) -> Result<http::request::Parts, http::Error> {
        // A map kept empty (as h1conn-tokio keeps its responses' maps) needs no second pass.
        if !headers.is_empty() {
            headers.clear();
        }
        let (mut parts, ()) = http::Request::new(()).into_parts();
        parts.headers = headers;
        self.fill_parts(&mut parts)?;
        Ok(parts)
    }

    /// [`to_http_parts_in`](Self::to_http_parts_in) for the next request on a connection that
    /// keeps `cache`: a field line that the connection's last request also had (the same name and
    /// value, in about the same place) takes its `http` name and value from the cache, without the
    /// name look-up and the check of the value's bytes. The result is the same; only such values
    /// are the cache's copies instead of slices of the head.
    ///
    /// A name is kept from the first time, a value is copied into the cache once it came twice
    /// in a row in its place. A value that changes from one request to the next (Accept or
    /// Sec-Fetch-Dest, with the kind of resource) is converted as `to_http_parts_in` converts it,
    /// without an allocation, and never replaces a copied value it alternates with. A client on
    /// a kept-alive connection sends most lines unchanged (User-Agent, Accept-Language,
    /// Accept-Encoding, Cookie, ...), so from the third request with the cache on, most lines
    /// cost a comparison of their bytes.
    ///
    /// Whole maps are kept too. A field section (three lines or more) that comes a second time
    /// within eight requests converted line by line has its map kept, on a copy of its bytes.
    /// From then on, a request whose field section is byte for byte that one gets a copy of the
    /// map instead of filling one line by line (`headers` is then not used). A page's requests
    /// come in a few kinds (the document, its stylesheets, scripts, images), each kind with the
    /// same lines, in any order: the cache keeps the maps of the four kinds used last
    /// ([`FieldCache`]). Keeping a map costs more than a copy saves, so it takes credit that
    /// copies earn back: more kinds in turn than maps are kept leave most maps in place instead
    /// of pushing each other out. For a connection that serves one request,
    /// [`to_http_parts_in`](Self::to_http_parts_in) does less work.
    pub fn to_http_parts_cached(
        &self,
        mut headers: http::HeaderMap,
        cache: &mut FieldCache,
    ) -> Result<http::request::Parts, http::Error> {
        let (mut parts, ()) = http::Request::new(()).into_parts();
        self.fill_line(&mut parts)?;
        // (A copy costs the map's two allocations, which pays from three lines on.)
        let section = (self.fields.len() >= COPY_FROM)
            .then(|| self.field_section())
            .flatten();
        if let Some(map) = section.and_then(|s| cache.map_of(s)) {
            parts.headers = map.clone();
            return Ok(parts);
        }
        if !headers.is_empty() {
            headers.clear();
        }
        parts.headers = headers;
        match self.fill_fields_cached(&mut parts.headers, cache) {
            Ok(print) => {
                if let Some(s) = section {
                    // The second time a section comes (by its print), its map is kept.
                    if cache.seen_again(print) {
                        cache.keep_map(self, s);
                    }
                }
            }
            Err(e) => {
                cache.clear();
                return Err(e);
            }
        }
        Ok(parts)
    }

    /// The bytes of the field section: from the first field line to the end of the head.
    #[inline]
    fn field_section(&self) -> Option<&[u8]> {
        let first = self.fields.iter().next()?;
        self.as_bytes().get(first.name as usize..)
    }

    /// Sets the method, URI and version of `parts` and appends the fields to its (empty) map.
    #[inline]
    fn fill_parts(&self, parts: &mut http::request::Parts) -> Result<(), http::Error> {
        self.fill_line(parts)?;
        let buf = self.as_bytes();
        parts.headers.reserve(self.fields.len());
        let host = self.host_index();
        for (i, p) in self.fields.iter().enumerate() {
            let name = field_name(p.name_in(buf), Some(i) == host)?;
            parts.headers.append(name, head_value(buf, p)?);
        }
        Ok(())
    }

    /// Sets the method, URI and version of `parts`.
    #[inline(always)]
    fn fill_line(&self, parts: &mut http::request::Parts) -> Result<(), http::Error> {
        let buf = self.as_bytes();
        // Raw bytes: the method and the names were checked as tokens, no UTF-8 check is needed.
        parts.method = http::Method::from_bytes(&buf[..self.method_len as usize])?;
        parts.uri = http::Uri::from_maybe_shared(buf.slice(self.target.0 as usize..self.target.1 as usize))?;
        parts.version = match self.version() {
            Version::Http10 => http::Version::HTTP_10,
            Version::Http11 => http::Version::HTTP_11,
        };
        Ok(())
    }

    /// Where the Host field stands: the parse found it already, so its name needs no look-up.
    fn host_index(&self) -> Option<usize> {
        (self.special.host_count == 1).then_some(usize::from(self.special.host_idx))
    }

    /// Appends the fields to the (empty) `map`, taking repeated lines from `cache` and leaving
    /// this head's lines in it. Returns a print of the lines (their names' lengths and their
    /// values' hashes), made from what the loop computes anyway.
    fn fill_fields_cached(
        &self,
        map: &mut http::HeaderMap,
        cache: &mut FieldCache,
    ) -> Result<u64, http::Error> {
        let buf = self.as_bytes();
        map.reserve(self.fields.len());
        let host = self.host_index();
        let lines = &mut cache.lines;
        // The lines are rewritten in place: `lines[..w]` are this head's so far, `lines[w..at]`
        // the last head's lines this one lacks, `lines[at..]` the last head's lines not looked
        // at yet. A line is looked for where the last head had it next, or one further on (a
        // line this head lacks); a line this head adds leaves `at` where it was.
        let (mut w, mut at) = (0, 0);
        let mut print = self.fields.len() as u64;
        for (i, p) in self.fields.iter().enumerate() {
            let (name, value) = (p.name_in(buf), p.value_in(buf));
            let is_host = Some(i) == host;
            let found = lines
                .get(at..)
                .unwrap_or_default()
                .iter()
                .take(2)
                .position(|l| l.is_named(name, is_host));
            let line = match found {
                Some(k) => {
                    if w != at + k {
                        lines.swap(w, at + k);
                    }
                    at += k + 1;
                    &mut lines[w]
                }
                None => {
                    let line = CachedLine::new(field_name(name, is_host)?);
                    if w < at {
                        lines[w] = line;
                    } else {
                        lines.insert(w, line);
                        at += 1;
                    }
                    &mut lines[w]
                }
            };
            let value = match line.value.as_ref().filter(|v| v.as_bytes() == value) {
                Some(v) => {
                    // Twice in a row means twice in a row: a value that alternates with the copied
                    // one is never copied in its place.
                    line.seen = None;
                    v.clone()
                }
                None => {
                    // A value is copied into the cache once it came twice in a row in this place:
                    // one that changes from request to request (Accept, Referer, Sec-Fetch-Dest
                    // with the kind of resource) is converted as `to_http_parts_in` converts it,
                    // a slice of the head, without an allocation.
                    let seen = value_hash(value);
                    if line.seen == Some(seen) {
                        let v = http::HeaderValue::from_bytes(value)?;
                        line.value = Some(v.clone());
                        line.copied = seen;
                        v
                    } else {
                        line.seen = Some(seen);
                        head_value(buf, p)?
                    }
                }
            };
            map.append(line.name.clone(), value);
            // The value's hash: the copied value's, or the one just computed.
            print = print.rotate_left(5) ^ line.seen.unwrap_or(line.copied) ^ name.len() as u64;
            w += 1;
        }
        lines.truncate(w);
        Ok(print.wrapping_mul(PRINT_K))
    }
}

/// A field's `http` name: Host's from the parse, which found it already; any other looked up.
#[inline]
fn field_name(name: &[u8], is_host: bool) -> Result<http::HeaderName, http::Error> {
    Ok(match is_host {
        true => http::header::HOST,
        false => http::HeaderName::from_bytes(name)?,
    })
}

/// A field's value as a slice of the head `buf` (no copy), checked by the `http` type.
#[inline]
fn head_value(buf: &bytes::Bytes, p: FieldPos) -> Result<http::HeaderValue, http::Error> {
    let at = p.value as usize;
    Ok(http::HeaderValue::from_maybe_shared(
        buf.slice(at..at + p.value_len as usize),
    )?)
}

/// A hash of a field value, to tell whether a value came again in its place before it is copied
/// (a collision only copies a value that did not repeat). Eight bytes at a time.
fn value_hash(v: &[u8]) -> u64 {
    let mut h = v.len() as u64;
    let mut chunks = v.chunks_exact(8);
    for c in &mut chunks {
        let mut a = [0u8; 8];
        a.copy_from_slice(c);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(a)).wrapping_mul(PRINT_K);
    }
    let mut a = [0u8; 8];
    a[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
    (h.rotate_left(5) ^ u64::from_le_bytes(a)).wrapping_mul(PRINT_K)
}

/// The multiplier of [`value_hash`] and of the print of a head's lines.
const PRINT_K: u64 = 0x517c_c1b7_2722_0a95;

/// Field lines from which a request whose field section came before gets a copy of its map
/// ([`FieldCache`]): a copy allocates the map's two tables, which filling the map kept from the
/// last response does not; per line it saves the name's hashing and the map's probing.
const COPY_FROM: usize = 3;

/// Maps the cache keeps: one for each of the last few kinds of request (a page's document,
/// stylesheets, scripts, images).
const MAPS: usize = 4;

/// The bytes of field sections the cache keeps, in all: more than a browser's requests of
/// [`MAPS`] kinds hold, less than one head may (`Limits::max_head`).
const MAP_BYTES: usize = 8 * 1024;

/// Prints of the sections last converted line by line that the cache remembers, to tell one
/// that comes again.
const PRINTS: usize = 8;

/// What keeping a map costs, in copies of kept maps: keeping one (a copy of its section, a map
/// built line by line) costs more than a copy saves, so copies earn the credit back, four for a
/// map. More kinds of request in turn than [`MAPS`] then leave most maps in place instead of
/// pushing each other out before use.
const KEEP_COST: u8 = 4;

/// The credit for keeping maps: enough to fill the cache at first.
const CREDIT: u8 = KEEP_COST * MAPS as u8;

/// The field lines of a connection's last request as `http` names and values, and the maps of
/// the field sections that came again, for [`RequestHead::to_http_parts_cached`]. It holds one
/// request's names, copies of the values that repeated, and up to four maps with copies of
/// their sections (8 KiB of sections in all, so no more than the head limits let in); it gives
/// them back when cleared or dropped, as a server gives back the rest of an idle connection's
/// memory.
#[derive(Debug, Default)]
pub struct FieldCache {
    /// The last request's lines, in order.
    lines: Vec<CachedLine>,
    /// The maps of sections that came again, the most recently used first.
    maps: Vec<CachedMap>,
    /// The prints of the last sections converted line by line (0: none), and where the next
    /// goes.
    prints: [u64; PRINTS],
    next_print: usize,
    /// Credit spent on keeping maps ([`KEEP_COST`] each), earned back one a copy: keeping is
    /// refused once it would pass [`CREDIT`].
    spent: u8,
}

/// A field section that came again, and its map.
#[derive(Debug)]
struct CachedMap {
    /// A copy of the section's bytes: the map's values are slices of it, but those the line
    /// cache held copies of (shared with it).
    section: bytes::Bytes,
    map: http::HeaderMap,
}

impl FieldCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// Forgets every line and map and gives the memory back.
    pub fn clear(&mut self) {
        *self = Self::default();
    }

    /// Heap bytes held: the places of the lines, the bytes of the cached values (names of
    /// the `http` crate's own list take none), and the kept maps with their sections.
    pub fn heap_bytes(&self) -> usize {
        let entry = core::mem::size_of::<http::HeaderName>() + core::mem::size_of::<http::HeaderValue>();
        let maps: usize = self
            .maps
            .iter()
            .map(|m| m.section.len() + m.map.capacity() * entry)
            .sum();
        self.lines.capacity() * core::mem::size_of::<CachedLine>()
            + self
                .lines
                .iter()
                .filter_map(|l| l.value.as_ref())
                .map(|v| v.len())
                .sum::<usize>()
            + self.maps.capacity() * core::mem::size_of::<CachedMap>()
            + maps
    }

    /// The map kept for `section`, if any; it becomes the most recently used.
    #[inline]
    fn map_of(&mut self, section: &[u8]) -> Option<&http::HeaderMap> {
        let i = self.maps.iter().position(|m| m.section == section)?;
        self.maps[..=i].rotate_right(1);
        self.spent = self.spent.saturating_sub(1);
        Some(&self.maps[0].map)
    }

    /// Whether a section with this print was converted line by line shortly before; if not, the
    /// print is remembered.
    fn seen_again(&mut self, print: u64) -> bool {
        // 0 marks a free place.
        let print = print | 1;
        if self.prints.contains(&print) {
            return true;
        }
        self.prints[self.next_print] = print;
        self.next_print = (self.next_print + 1) % PRINTS;
        false
    }

    /// Keeps a map of `head`'s fields, whose lines `lines` holds in order: values the lines hold
    /// copies of are shared, the others are slices of a copy of the field `section`. The least
    /// recently used maps make room. Refused while the credit is spent: more kinds of request
    /// in turn than maps are kept would otherwise push each other out before any is used.
    #[inline(never)]
    fn keep_map(&mut self, head: &RequestHead, section: &[u8]) {
        if section.len() > MAP_BYTES || self.spent + KEEP_COST > CREDIT {
            return;
        }
        let copy = bytes::Bytes::copy_from_slice(section);
        let buf = head.as_bytes();
        let start = buf.len() - section.len();
        let mut map = http::HeaderMap::with_capacity(self.lines.len());
        for (line, p) in self.lines.iter().zip(head.fields.iter()) {
            let value = match line.value.as_ref().filter(|v| v.as_bytes() == p.value_in(buf)) {
                Some(v) => v.clone(),
                None => {
                    let at = p.value as usize - start;
                    // The head's values passed the same check: this never fails.
                    let Ok(v) =
                        http::HeaderValue::from_maybe_shared(copy.slice(at..at + p.value_len as usize))
                    else {
                        return;
                    };
                    v
                }
            };
            map.append(line.name.clone(), value);
        }
        self.spent += KEEP_COST;
        self.maps.insert(0, CachedMap { section: copy, map });
        self.maps.truncate(MAPS);
        let mut total = 0;
        let keep = self
            .maps
            .iter()
            .take_while(|m| {
                total += m.section.len();
                total <= MAP_BYTES
            })
            .count();
        self.maps.truncate(keep);
    }
}

/// One cached field line.
#[derive(Debug)]
struct CachedLine {
    name: http::HeaderName,
    /// The name holds only lowercase letters, digits and `-`: a received name matches it when
    /// equal but for case ([`eq_lower`]). A line with any other name is never matched.
    plain: bool,
    /// The value, copied once it came twice in a row in this place.
    value: Option<http::HeaderValue>,
    /// The hash ([`value_hash`]) of the value the last request had in this place, when that was
    /// not the copied one.
    seen: Option<u64>,
    /// The hash of the copied value.
    copied: u64,
}

impl CachedLine {
    fn new(name: http::HeaderName) -> Self {
        let plain = name
            .as_str()
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        CachedLine {
            name,
            plain,
            value: None,
            seen: None,
            copied: 0,
        }
    }

    /// The line is named `name` as received (a token); `is_host` when it is the head's Host field.
    #[inline]
    fn is_named(&self, name: &[u8], is_host: bool) -> bool {
        match is_host {
            true => self.name == http::header::HOST,
            false => self.plain && eq_lower(name, self.name.as_str().as_bytes()),
        }
    }
}

/// An `http` response head ready to send: its fields (those the connection writes itself taken
/// out and turned into settings) and the settings. Borrow it as a [`Response`] with
/// [`response`](Self::response).
///
/// The connection writes the fields that decide framing and persistence itself
/// (Content-Length, Transfer-Encoding, Connection, Keep-Alive). [`HttpResponseHead::new`](Self::new) turns
/// those fields of an `http` response head into the matching [`Response`] settings, or refuses
/// them with a [`UsageError`]; nothing is dropped silently:
///
/// | field in the `http` head | becomes |
/// |---|---|
/// | `Content-Length: N` (one valid value) | [`Response::length`] `N` |
/// | `Content-Length` malformed or repeated with different values | [`UsageError::InvalidHeader`] |
/// | `Transfer-Encoding: chunked` alone | no length: the connection chunks (or closes, to HTTP/1.0) |
/// | `Transfer-Encoding` with any other coding, or with `Content-Length` | [`UsageError::ReservedHeader`] |
/// | `Connection: close` | [`Response::close`] |
/// | `Connection: keep-alive` | nothing: persistence is the connection's decision, which it writes |
/// | `Connection: upgrade` on a 101 | nothing: the connection writes it on every 101 |
/// | any other `Connection` option | [`UsageError::ReservedHeader`] |
/// | `Keep-Alive` | [`UsageError::ReservedHeader`]: the parameters come from [`Config`](crate::Config) |
/// | `Date` | kept: a response's own `Date` replaces the one set with `set_date` |
///
/// The version of the `http` head is not used: the connection answers in HTTP/1.1 syntax
/// (RFC 9112 §2.3 — a server sends its own highest conformant version).
#[derive(Debug, Clone)]
pub struct HttpResponseHead<'a> {
    status: u16,
    fields: FieldList<'a>,
    length: Option<u64>,
    close: bool,
    info: FieldsInfo,
    trailer: bool,
}

/// Fields kept without an allocation: as many as most responses have once the connection's own
/// (Content-Length, Connection) are taken out.
const INLINE_FIELDS: usize = 4;

/// The fields kept: inline up to [`INLINE_FIELDS`] (no allocation per response), then all of
/// them on the heap.
#[derive(Debug, Clone)]
struct FieldList<'a> {
    inline: [(&'a str, &'a [u8]); INLINE_FIELDS],
    len: usize,
    heap: Vec<(&'a str, &'a [u8])>,
}

impl<'a> FieldList<'a> {
    fn new() -> Self {
        FieldList {
            inline: [("", &[]); INLINE_FIELDS],
            len: 0,
            heap: Vec::new(),
        }
    }

    fn push(&mut self, f: (&'a str, &'a [u8])) {
        if self.heap.is_empty() && self.len < INLINE_FIELDS {
            self.inline[self.len] = f;
            self.len += 1;
            return;
        }
        if self.heap.is_empty() {
            self.heap.reserve(2 * INLINE_FIELDS);
            self.heap.extend_from_slice(&self.inline[..self.len]);
        }
        self.heap.push(f);
    }

    fn as_slice(&self) -> &[(&'a str, &'a [u8])] {
        if self.heap.is_empty() {
            &self.inline[..self.len]
        } else {
            &self.heap
        }
    }
}

impl<'a> HttpResponseHead<'a> {
    /// Reads an `http` response head. See the [type's documentation](Self) for what
    /// each connection-owned field becomes; a field that cannot be honoured is a [`UsageError`].
    pub fn new(parts: &'a http::response::Parts) -> Result<Self, UsageError> {
        Self::from_status_and_headers(parts.status, &parts.headers)
    }

    /// The same from a whole [`http::Response`] (the body is not looked at).
    pub fn from_response<B>(resp: &'a http::Response<B>) -> Result<Self, UsageError> {
        Self::from_status_and_headers(resp.status(), resp.headers())
    }

    fn from_status_and_headers(
        status: http::StatusCode,
        headers: &'a http::HeaderMap,
    ) -> Result<Self, UsageError> {
        let status = status.as_u16();
        let mut head = HttpResponseHead {
            status,
            fields: FieldList::new(),
            length: None,
            close: false,
            info: FieldsInfo::default(),
            trailer: false,
        };
        let mut chunked = false;
        for (name, value) in headers {
            // Names of the `http` types are lower case: one look at the text decides.
            let (name, v) = (name.as_str(), value.as_bytes());
            if name == "content-length" {
                // RFC 9110 §8.6: one decimal number; a list of equal values is the same length.
                let n = content_length(v).ok_or(UsageError::InvalidHeader)?;
                if head.length.is_some_and(|m| m != n) {
                    return Err(UsageError::InvalidHeader);
                }
                head.length = Some(n);
            } else if name == "transfer-encoding" {
                // RFC 9112 §6.1: the connection applies chunked itself; any other coding would
                // have to be applied by it too, which it does not do.
                let mut codings = list_members(v).filter(|m| !m.is_empty());
                let only_chunked = codings.next().is_some_and(|c| c.eq_ignore_ascii_case(b"chunked"))
                    && codings.next().is_none();
                if !only_chunked {
                    return Err(UsageError::ReservedHeader);
                }
                chunked = true;
            } else if name == "connection" {
                // RFC 9110 §7.6.1 / RFC 9112 §9.6.
                for opt in list_members(v).filter(|m| !m.is_empty()) {
                    if opt.eq_ignore_ascii_case(b"close") {
                        head.close = true;
                    } else if opt.eq_ignore_ascii_case(b"keep-alive")
                        || (status == 101 && opt.eq_ignore_ascii_case(b"upgrade"))
                    {
                        // Written by the connection itself.
                    } else {
                        return Err(UsageError::ReservedHeader);
                    }
                }
            } else if name == "keep-alive" {
                return Err(UsageError::ReservedHeader);
            } else {
                // What `Response` validation would find, noted here: the `http` types already
                // hold only tokens as names and no CR, LF or NUL in values.
                head.info.bytes += name.len() + v.len() + 4;
                head.info.has_date |= name == "date";
                head.trailer |= name == "trailer";
                head.fields.push((name, v));
            }
        }
        // RFC 9112 §6.2: a sender must not send Content-Length with Transfer-Encoding.
        if chunked && head.length.is_some() {
            return Err(UsageError::ReservedHeader);
        }
        Ok(head)
    }

    /// The response settings, borrowing the fields.
    pub fn response(&self) -> Response<'_> {
        Response {
            status: self.status,
            reason: None,
            headers: self.fields.as_slice(),
            length: self.length,
            close: self.close,
        }
    }

    /// The length the head announced with Content-Length, if any.
    pub fn length(&self) -> Option<u64> {
        self.length
    }

    /// Sets the body length, as when the body's exact size is known from elsewhere (an
    /// `http_body::Body` size hint). Refused when the head announced a different one.
    pub fn set_length(&mut self, n: u64) -> Result<(), UsageError> {
        match self.length {
            Some(m) if m != n => Err(UsageError::LengthMismatch),
            _ => {
                self.length = Some(n);
                Ok(())
            }
        }
    }

    /// Closes the connection after this response (as `Connection: close` in the head does).
    pub fn set_close(&mut self) {
        self.close = true;
    }

    /// Whether the connection closes after this response.
    pub fn closes(&self) -> bool {
        self.close
    }

    /// Whether the head has a `Trailer` field: the response announces trailer fields
    /// (RFC 9110 §6.6.2), which only a chunked body can carry (RFC 9112 §7.1.2). An adapter that
    /// knows the body's size then leaves the length unset for an HTTP/1.1 client, so the
    /// trailers can follow the body.
    pub fn announces_trailers(&self) -> bool {
        self.trailer
    }
}

impl Connection {
    /// [`send_response`](Connection::send_response) with an `http` response head: the same, except
    /// that its fields are not checked again (the `http` types hold only tokens as names and no
    /// CR, LF or NUL in values, and [`HttpResponseHead`] took out the fields the connection owns).
    pub fn send_http_response(
        &mut self,
        head: &HttpResponseHead<'_>,
        now: Duration,
    ) -> Result<ResponseFraming, UsageError> {
        self.send_checked(&head.response(), head.info, now)
    }

    /// [`send_full`](Connection::send_full) with an `http` response head: the head and the whole
    /// body in one call, the fields not checked again (as
    /// [`send_http_response`](Connection::send_http_response)). The same errors as `send_full`:
    /// a body for a response that has none (HEAD, 1xx, 204, 304, 2xx to CONNECT) is
    /// [`UsageError::BodyNotAllowed`], a body whose size differs from the head's length
    /// [`UsageError::LengthMismatch`]; nothing is sent on an error.
    pub fn send_http_full(
        &mut self,
        head: &HttpResponseHead<'_>,
        body: &[u8],
        now: Duration,
    ) -> Result<(), UsageError> {
        self.full(&head.response(), Some(head.info), body, now)
    }
}

/// A Content-Length value: digits, or a comma-separated list of one repeated number.
fn content_length(v: &[u8]) -> Option<u64> {
    let mut out: Option<u64> = None;
    for part in v.split(|&b| b == b',') {
        let part = part.trim_ascii();
        if part.is_empty() || part.len() > 19 || !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let n = part.iter().fold(0u64, |acc, &d| acc * 10 + u64::from(d - b'0'));
        if out.is_some_and(|m| m != n) {
            return None;
        }
        out = Some(n);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Config, Connection, Event};
    use alloc::string::String;
    use core::time::Duration;

    fn head(raw: &[u8]) -> RequestHead {
        let mut c = Connection::new(Config::default(), Duration::ZERO);
        assert_eq!(c.handle_input(raw, Duration::ZERO), raw.len());
        match c.poll_event() {
            Some(Event::Request(r)) => r.head,
            other => panic!("no request: {other:?}"),
        }
    }

    fn resp(b: http::response::Builder) -> http::response::Parts {
        b.body(()).unwrap().into_parts().0
    }

    #[test]
    fn rfc9112_3_request_line_and_fields_become_parts() {
        let h = head(b"GET /a/b?x=1 HTTP/1.1\r\nHost: example.com\r\nAccept: a\r\naccept: b\r\n\r\n");
        let p = h.to_http_parts().unwrap();
        assert_eq!(p.method, http::Method::GET);
        assert_eq!(p.uri.path(), "/a/b");
        assert_eq!(p.uri.query(), Some("x=1"));
        assert_eq!(p.version, http::Version::HTTP_11);
        assert_eq!(p.headers["host"], "example.com");
        // RFC 9110 §5.3: repeated field lines keep their order.
        let all: Vec<_> = p.headers.get_all("accept").iter().collect();
        assert_eq!(all, ["a", "b"]);
    }

    /// RFC 9110 §5: a map given to fill comes back holding exactly the request's fields, whatever
    /// it held before, and keeps its storage.
    #[test]
    fn rfc9110_5_a_reused_map_holds_only_the_requests_fields() {
        let h = head(b"GET / HTTP/1.1\r\nHost: h\r\nAccept: a\r\n\r\n");
        let mut old = http::HeaderMap::with_capacity(16);
        old.insert("x-old", http::HeaderValue::from_static("1"));
        old.append("accept", http::HeaderValue::from_static("stale"));
        let capacity = old.capacity();
        let p = h.to_http_parts_in(old).unwrap();
        let fields: Vec<_> = p
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_bytes()))
            .collect();
        assert_eq!(fields, [("host", &b"h"[..]), ("accept", b"a")]);
        assert_eq!(p.headers.capacity(), capacity);
    }

    /// Every field keeps its own name, wherever Host stands, whether the head came whole (one
    /// pass) or byte by byte (the scanner's way).
    #[test]
    fn rfc9110_5_field_names_kept_wherever_host_stands() {
        let heads: [&[u8]; 3] = [
            b"GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\n\r\n",
            b"GET / HTTP/1.1\r\nA: 1\r\nHost: h\r\nB: 2\r\n\r\n",
            b"GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nhOsT: h\r\n\r\n",
        ];
        for raw in heads {
            let mut bytewise = Connection::new(Config::default(), Duration::ZERO);
            for b in raw.chunks(1) {
                assert_eq!(bytewise.handle_input(b, Duration::ZERO), 1);
            }
            let Some(Event::Request(r)) = bytewise.poll_event() else {
                panic!("no request")
            };
            for h in [head(raw), r.head] {
                use alloc::string::{String, ToString};
                let p = h.to_http_parts().unwrap();
                // HeaderMap iterates by name: compare as sorted (name, value) lists.
                let mut got: Vec<(String, &[u8])> = p
                    .headers
                    .iter()
                    .map(|(n, v)| (n.to_string(), v.as_bytes()))
                    .collect();
                let mut want: Vec<(String, &[u8])> = h
                    .headers()
                    .iter()
                    .map(|f| (f.name.to_ascii_lowercase(), f.value))
                    .collect();
                got.sort();
                want.sort();
                assert_eq!(got, want, "{raw:?}");
            }
        }
    }

    /// Everything a conversion gives, in the map's order.
    fn summary(p: &http::request::Parts) -> (http::Method, http::Uri, http::Version, Vec<(String, Vec<u8>)>) {
        use alloc::string::ToString;
        let fields = p
            .headers
            .iter()
            .map(|(n, v)| (n.to_string(), v.as_bytes().to_vec()))
            .collect();
        (p.method.clone(), p.uri.clone(), p.version, fields)
    }

    /// Scenario: one kept-alive connection's requests, converted with its cache. Each request's
    /// parts are exactly the uncached conversion's (RFC 9110 §5: names, values and order of the
    /// field lines), whether its lines repeat the last request's, change value, go missing, are
    /// added, or come with another case; names that differ only in bytes other than letters are
    /// never taken for each other.
    #[test]
    fn rfc9110_5_cached_conversion_equals_the_plain_one_over_a_connection() {
        let heads: [&[u8]; 7] = [
            b"GET /1 HTTP/1.1\r\nHost: h\r\nUser-Agent: ua\r\nAccept: */*\r\nCookie: a=1\r\n\r\n",
            // The same lines.
            b"GET /2 HTTP/1.1\r\nHost: h\r\nUser-Agent: ua\r\nAccept: */*\r\nCookie: a=1\r\n\r\n",
            // A value changes, a line goes missing, another case.
            b"GET /3 HTTP/1.1\r\nHOST: h\r\nAccept: text/html\r\nCOOKIE: a=1\r\n\r\n",
            // A line is added, one comes back, Host moves.
            b"GET /4 HTTP/1.1\r\nX-New: n\r\nUser-Agent: ua\r\nAccept: text/html\r\nHost: h\r\nCookie: a=1\r\n\r\n",
            // Names that are equal but for bytes other than letters, and a repeated name.
            b"GET /5 HTTP/1.1\r\nHost: h\r\nX~y: 1\r\nX_y: 2\r\nAccept: a\r\naccept: b\r\n\r\n",
            b"GET /6 HTTP/1.1\r\nHost: h\r\nx^Y: 1\r\nx_Y: 2\r\nAccept: a\r\naccept: b\r\n\r\n",
            // HTTP/1.0 without Host, no fields at all.
            b"GET /7 HTTP/1.0\r\n\r\n",
        ];
        let mut cache = FieldCache::new();
        for raw in heads {
            let h = head(raw);
            let cached = h
                .to_http_parts_cached(http::HeaderMap::new(), &mut cache)
                .unwrap();
            let plain = h.to_http_parts().unwrap();
            assert_eq!(summary(&cached), summary(&plain), "{}", raw.escape_ascii());
            let values: usize = h.headers().iter().map(|f| f.value.len()).sum();
            assert!(cache.heap_bytes() >= values, "the cache holds this head's values");
        }
        assert!(cache.lines.is_empty(), "the last head had no field lines");
        cache.clear();
        assert_eq!(cache.heap_bytes(), 0);
    }

    /// The cached conversion of `h`, and whether its map is a copy of a kept one: a map given
    /// to fill is not used then (a copy has the kept map's capacity, not the given one's).
    fn convert(h: &RequestHead, cache: &mut FieldCache) -> (http::request::Parts, bool) {
        const ROOM: usize = 64;
        let p = h
            .to_http_parts_cached(http::HeaderMap::with_capacity(ROOM), cache)
            .unwrap();
        let copied = p.headers.capacity() < ROOM;
        (p, copied)
    }

    /// A request whose field section (three lines or more) came twice before gets a copy of its
    /// map, from the third such request on, whatever came between; one line more, less or
    /// changed, and the map is built again.
    #[test]
    fn rfc9110_5_a_section_that_came_twice_gets_a_copy_of_its_map() {
        let a: &[u8] = b"GET /a HTTP/1.1\r\nHost: h\r\nAccept: x\r\nAccept: y\r\nUser-Agent: ua\r\n\r\n";
        let b: &[u8] = b"GET /b HTTP/1.1\r\nHost: h\r\nAccept: x\r\nAccept: z\r\nUser-Agent: ua\r\n\r\n";
        let shorter: &[u8] = b"GET /c HTTP/1.1\r\nHost: h\r\nAccept: x\r\nAccept: y\r\n\r\n";
        let mut cache = FieldCache::new();
        let mut got = Vec::new();
        for raw in [a, a, a, shorter, a, b, b, a, b] {
            let h = head(raw);
            let (cached, copied) = convert(&h, &mut cache);
            assert_eq!(
                summary(&cached),
                summary(&h.to_http_parts().unwrap()),
                "{}",
                raw.escape_ascii()
            );
            got.push(copied);
        }
        assert_eq!(got, [false, false, true, false, true, false, false, true, true]);
        // Two lines: filling the map kept from the last response costs less than a copy.
        let two: &[u8] = b"GET / HTTP/1.1\r\nHost: h\r\nAccept: x\r\n\r\n";
        for _ in 0..3 {
            let h = head(two);
            let (cached, copied) = convert(&h, &mut cache);
            assert_eq!(summary(&cached), summary(&h.to_http_parts().unwrap()));
            assert!(!copied);
        }
    }

    /// Scenario: a page's requests on one kept-alive connection, in a rotation of four kinds
    /// (document, stylesheet, script, image) with their own Accept and Sec-Fetch-Dest lines.
    /// From the third round on, every request gets a copy of its kind's map, equal to the
    /// plain conversion (RFC 9110 §5); a fifth kind pushes out the least recently used one.
    #[test]
    fn rfc9110_5_a_pages_kinds_of_request_each_keep_a_map() {
        let kind = |path: &str, accept: &str, dest: &str| {
            alloc::format!(
                "GET {path} HTTP/1.1\r\nHost: www.example.com\r\nUser-Agent: Mozilla/5.0\r\n\
                 Accept: {accept}\r\nAccept-Language: en-US,en;q=0.9\r\n\
                 Sec-Fetch-Dest: {dest}\r\nSec-Fetch-Site: same-origin\r\n\r\n"
            )
        };
        let kinds = [
            kind("/", "text/html,*/*;q=0.8", "document"),
            kind("/a.css", "text/css,*/*;q=0.1", "style"),
            kind("/a.js", "*/*", "script"),
            kind("/a.png", "image/avif,image/webp,*/*;q=0.8", "image"),
        ];
        let mut cache = FieldCache::new();
        let mut convert = |raw: &str| {
            let h = head(raw.as_bytes());
            let (cached, copied) = convert(&h, &mut cache);
            assert_eq!(summary(&cached), summary(&h.to_http_parts().unwrap()), "{raw}");
            copied
        };
        let rounds: Vec<Vec<bool>> = (0..4)
            .map(|_| kinds.iter().map(|k| convert(k)).collect())
            .collect();
        assert_eq!(rounds[0], [false; 4]);
        assert_eq!(rounds[1], [false; 4], "kept on their second time");
        assert_eq!(rounds[2..], [[true; 4], [true; 4]]);
        // A font twice: its map pushes out the document's, the least recently used.
        let font = kind("/a.woff2", "application/font-woff2;q=1.0", "font");
        assert!(!convert(&font) && !convert(&font) && convert(&font));
        assert!(!convert(&kinds[0]), "the document's map was pushed out");
        assert!(convert(&kinds[3]), "the image's map was kept");
        assert!(cache.maps.len() <= MAPS);
    }

    /// More kinds of request in turn than maps are kept (six against four): keeping a map
    /// costs credit that copies earn back, so the maps are not pushed out before they are used,
    /// and most requests still get a copy. Without the credit each kept map is pushed out
    /// before its kind comes again, and none does.
    #[test]
    fn more_kinds_in_turn_than_maps_still_get_copies() {
        let kinds: Vec<String> = (0..6)
            .map(|i| {
                alloc::format!("GET /{i} HTTP/1.1\r\nHost: h\r\nUser-Agent: ua\r\nAccept: kind/{i}\r\n\r\n")
            })
            .collect();
        let mut cache = FieldCache::new();
        let mut copies = 0;
        for round in 0..12 {
            for k in &kinds {
                let h = head(k.as_bytes());
                let (cached, copied) = convert(&h, &mut cache);
                assert_eq!(summary(&cached), summary(&h.to_http_parts().unwrap()));
                if round >= 4 && copied {
                    copies += 1;
                }
            }
        }
        assert!(copies >= 8 * 6 / 2, "{copies} copies of 48 requests");
    }

    /// The memory a hostile client can make the cache keep is bounded: a section over 8 KiB is
    /// never kept (and pushes no kept map out), and sections of 3 KiB, each sent three times,
    /// keep no more than 8 KiB of sections in all; `heap_bytes` counts what is kept.
    #[test]
    fn kept_sections_stay_within_their_bound() {
        let big = |i: usize, len: usize| {
            alloc::format!(
                "GET / HTTP/1.1\r\nHost: h\r\nX-A: {i}\r\nX-Pad: {}\r\n\r\n",
                "p".repeat(len)
            )
        };
        let mut cache = FieldCache::new();
        let small = big(0, 10);
        for _ in 0..3 {
            convert(&head(small.as_bytes()), &mut cache);
        }
        assert_eq!(cache.maps.len(), 1);
        // Two lines of half the bound each (a line is held to `max_field_line`, 8 KiB).
        let half = "p".repeat(MAP_BYTES / 2);
        let huge = alloc::format!("GET / HTTP/1.1\r\nHost: h\r\nX-A: {half}\r\nX-B: {half}\r\n\r\n");
        for _ in 0..3 {
            let (_, copied) = convert(&head(huge.as_bytes()), &mut cache);
            assert!(!copied, "a section over the bound is never kept");
        }
        assert_eq!(cache.maps.len(), 1, "the kept map stays");
        for i in 1..7 {
            for _ in 0..3 {
                let raw = big(i, 3 * 1024);
                let (cached, _) = convert(&head(raw.as_bytes()), &mut cache);
                assert_eq!(
                    summary(&cached),
                    summary(&head(raw.as_bytes()).to_http_parts().unwrap())
                );
                let kept: usize = cache.maps.iter().map(|m| m.section.len()).sum();
                assert!(kept <= MAP_BYTES, "{kept} bytes of sections kept");
                assert!(cache.heap_bytes() >= kept);
            }
        }
        assert!(cache.maps.len() >= 2, "sections of 3 KiB are kept");
    }

    /// A value that came twice in a row in its place is copied into the cache, and from then on
    /// shared with the maps; before that, it is a slice of the head.
    #[test]
    fn repeated_lines_share_the_cached_value() {
        let mut cache = FieldCache::new();
        let raw = b"GET / HTTP/1.1\r\nHost: h\r\nUser-Agent: ua\r\n\r\n";
        let heads = [head(raw), head(raw), head(raw)];
        let parts: Vec<_> = heads
            .iter()
            .map(|h| {
                h.to_http_parts_cached(http::HeaderMap::new(), &mut cache)
                    .unwrap()
            })
            .collect();
        let ua = |p: &http::request::Parts| p.headers["user-agent"].as_bytes().as_ptr();
        let copied = cache.lines[1].value.as_ref().expect("copied").as_bytes().as_ptr();
        let in_head = |h: &RequestHead| h.as_bytes().as_ptr_range().contains(&ua(&parts[0]));
        assert!(in_head(&heads[0]), "the first time, a slice of the head");
        assert_eq!(ua(&parts[1]), copied, "the second time in a row, copied");
        assert_eq!(ua(&parts[2]), copied, "then shared");
    }

    /// A value that alternates with the copied one is converted from the head each time and never
    /// replaces it: requests for a page's kinds of resource alternate their Accept fields.
    #[test]
    fn alternating_values_are_not_copied_in_turn() {
        let mut cache = FieldCache::new();
        let x: &[u8] = b"GET / HTTP/1.1\r\nHost: h\r\nAccept: text/html\r\n\r\n";
        let y: &[u8] = b"GET / HTTP/1.1\r\nHost: h\r\nAccept: image/*\r\n\r\n";
        for (i, raw) in [x, x, y, x, y, x, y].into_iter().enumerate() {
            let h = head(raw);
            let cached = h
                .to_http_parts_cached(http::HeaderMap::new(), &mut cache)
                .unwrap();
            assert_eq!(summary(&cached), summary(&h.to_http_parts().unwrap()));
            let accept = cache.lines[1].value.as_ref().map(|v| v.as_bytes());
            let want = (i > 0).then_some(&b"text/html"[..]);
            assert_eq!(accept, want, "after request {i}");
        }
    }

    /// Field lines for [`cached_conversion_equals_the_plain_one`]: names in several cases and
    /// with bytes other than letters, values that repeat often.
    fn arb_fields() -> impl Strategy<Value = Vec<(&'static str, &'static str)>> {
        const NAMES: &[&str] = &[
            "Accept",
            "accept",
            "ACCEPT",
            "User-Agent",
            "Cookie",
            "X-A",
            "x_b",
            "X~c",
            "x^C",
            "Referer",
            "a",
        ];
        const VALUES: &[&str] = &[
            "1",
            "2",
            "text/html",
            "",
            "a b",
            "gzip, deflate, br, zstd; q=0.9 and more",
        ];
        proptest::collection::vec(
            (proptest::sample::select(NAMES), proptest::sample::select(VALUES)),
            0..8,
        )
    }

    use proptest::prelude::*;

    proptest! {
        /// RFC 9110 §5: over any sequence of requests on one connection, the cached conversion
        /// gives each request exactly the parts the plain one gives.
        #[test]
        fn cached_conversion_equals_the_plain_one(
            seq in proptest::collection::vec((arb_fields(), 0usize..8, proptest::option::of(0usize..8)), 1..12),
        ) {
            let mut cache = FieldCache::new();
            let mut history: Vec<(String, usize)> = Vec::new();
            for (fields, host_at, again) in seq {
                // Often an earlier request again, as a page's requests repeat their lines.
                if let Some((raw, n)) = again.filter(|_| !history.is_empty()).map(|i| &history[i % history.len()]) {
                    let h = head(raw.as_bytes());
                    let (cached, copied) = convert(&h, &mut cache);
                    prop_assert_eq!(summary(&cached), summary(&h.to_http_parts().unwrap()));
                    if !copied {
                        prop_assert_eq!(cache.lines.len(), *n);
                    }
                    continue;
                }
                let mut raw = String::from("GET / HTTP/1.1\r\n");
                for (i, (n, v)) in fields.iter().enumerate() {
                    if i == host_at.min(fields.len()) {
                        raw.push_str("Host: h\r\n");
                    }
                    raw.push_str(&alloc::format!("{n}: {v}\r\n"));
                }
                if host_at >= fields.len() {
                    raw.push_str("Host: h\r\n");
                }
                raw.push_str("\r\n");
                let h = head(raw.as_bytes());
                let cached = h.to_http_parts_cached(http::HeaderMap::new(), &mut cache).unwrap();
                prop_assert_eq!(summary(&cached), summary(&h.to_http_parts().unwrap()));
                prop_assert!(cache.maps.len() <= MAPS);
                history.push((raw, fields.len() + 1));
            }
        }
    }

    #[test]
    fn rfc9110_9_1_extension_method_and_http10() {
        let p = head(b"PURGE /x HTTP/1.0\r\n\r\n").to_http_parts().unwrap();
        assert_eq!(p.method.as_str(), "PURGE");
        assert_eq!(p.version, http::Version::HTTP_10);
    }

    #[test]
    fn rfc9112_3_2_target_forms_become_uris() {
        let p = head(b"GET http://example.com:8080/p?q HTTP/1.1\r\nHost: x\r\n\r\n")
            .to_http_parts()
            .unwrap();
        assert_eq!(p.uri.authority().unwrap().as_str(), "example.com:8080");
        assert_eq!(p.uri.path(), "/p");
        let p = head(b"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n")
            .to_http_parts()
            .unwrap();
        assert_eq!(p.uri.authority().unwrap().as_str(), "example.com:443");
        let p = head(b"OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n")
            .to_http_parts()
            .unwrap();
        assert_eq!(p.uri, "*");
    }

    #[test]
    fn request_values_share_the_head_buffer() {
        let h = head(b"GET / HTTP/1.1\r\nHost: example.com\r\n\r\n");
        let p = h.to_http_parts().unwrap();
        let v = p.headers["host"].as_bytes().as_ptr() as usize;
        let buf = h.as_bytes().as_ptr() as usize;
        assert!((buf..buf + h.as_bytes().len()).contains(&v));
    }

    #[test]
    fn rfc9110_8_6_content_length_becomes_the_length() {
        let p = resp(
            http::Response::builder()
                .status(200)
                .header("content-length", "5"),
        );
        let h = HttpResponseHead::new(&p).unwrap();
        assert_eq!(h.response().length, Some(5));
        assert!(h.response().headers.is_empty());
        let p = resp(http::Response::builder().header("content-length", "5, 5"));
        assert_eq!(HttpResponseHead::new(&p).unwrap().length(), Some(5));
        for bad in ["x", "5, 6", "-1", ""] {
            let p = resp(http::Response::builder().header("content-length", bad));
            assert_eq!(
                HttpResponseHead::new(&p).unwrap_err(),
                UsageError::InvalidHeader,
                "{bad}"
            );
        }
        let p = resp(
            http::Response::builder()
                .header("content-length", "5")
                .header("content-length", "6"),
        );
        assert_eq!(HttpResponseHead::new(&p).unwrap_err(), UsageError::InvalidHeader);
    }

    #[test]
    fn rfc9112_6_1_transfer_encoding_chunked_means_no_length() {
        let p = resp(http::Response::builder().header("transfer-encoding", "chunked"));
        let h = HttpResponseHead::new(&p).unwrap();
        assert_eq!(h.length(), None);
        assert!(h.response().headers.is_empty());
        let p = resp(http::Response::builder().header("transfer-encoding", "gzip, chunked"));
        assert_eq!(HttpResponseHead::new(&p).unwrap_err(), UsageError::ReservedHeader);
    }

    #[test]
    fn rfc9110_6_6_2_a_trailer_field_announces_trailers_and_is_sent() {
        let p = resp(http::Response::builder().header("trailer", "x-checksum"));
        let h = HttpResponseHead::new(&p).unwrap();
        assert!(h.announces_trailers());
        assert_eq!(h.response().headers, &[("trailer", &b"x-checksum"[..])]);
        let p = resp(http::Response::builder().header("x-trailer", "1"));
        assert!(!HttpResponseHead::new(&p).unwrap().announces_trailers());
    }

    #[test]
    fn rfc9112_6_2_content_length_with_transfer_encoding_is_refused() {
        let p = resp(
            http::Response::builder()
                .header("transfer-encoding", "chunked")
                .header("content-length", "3"),
        );
        assert_eq!(HttpResponseHead::new(&p).unwrap_err(), UsageError::ReservedHeader);
    }

    #[test]
    fn rfc9112_9_6_connection_close_becomes_close() {
        let p = resp(http::Response::builder().header("connection", "close"));
        let h = HttpResponseHead::new(&p).unwrap();
        assert!(h.response().close);
        assert!(h.response().headers.is_empty());
        let p = resp(http::Response::builder().header("connection", "keep-alive"));
        assert!(!HttpResponseHead::new(&p).unwrap().closes());
        let p = resp(http::Response::builder().header("connection", "x-private"));
        assert_eq!(HttpResponseHead::new(&p).unwrap_err(), UsageError::ReservedHeader);
        let p = resp(
            http::Response::builder()
                .status(101)
                .header("connection", "upgrade"),
        );
        assert!(HttpResponseHead::new(&p).is_ok());
    }

    #[test]
    fn keep_alive_field_is_refused_not_dropped() {
        let p = resp(http::Response::builder().header("keep-alive", "timeout=5"));
        assert_eq!(HttpResponseHead::new(&p).unwrap_err(), UsageError::ReservedHeader);
    }

    #[test]
    fn rfc9110_6_6_1_date_is_kept_and_replaces_the_connections() {
        let p = resp(
            http::Response::builder()
                .header("date", "Sun, 06 Nov 1994 08:49:37 GMT")
                .header("x-a", "1"),
        );
        let h = HttpResponseHead::new(&p).unwrap();
        let r = h.response();
        assert_eq!(r.headers.len(), 2);

        let mut c = Connection::new(Config::default(), Duration::ZERO);
        c.set_date(*b"Mon, 07 Nov 1994 08:49:37 GMT");
        c.handle_input(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n", Duration::ZERO);
        while c.poll_event().is_some() {}
        c.send_full(&r, b"hi", Duration::ZERO).unwrap();
        let out = core::str::from_utf8(c.transmit()).unwrap();
        assert!(out.contains("date: Sun, 06 Nov 1994"), "{out}");
        assert!(!out.contains("Mon, 07"), "{out}");
    }

    /// `send_http_response` writes exactly what `send_response` writes for the same head, the
    /// `Date` rule (RFC 9110 §6.6.1) included; only the second look at the fields is skipped.
    #[test]
    fn send_http_response_writes_what_send_response_writes() {
        for with_date in [false, true] {
            let mut b = http::Response::builder()
                .status(404)
                .header("content-type", "text/plain")
                .header("content-length", "2")
                .header("x-b", "a\tb");
            if with_date {
                b = b.header("date", "Sun, 06 Nov 1994 08:49:37 GMT");
            }
            let p = resp(b);
            let h = HttpResponseHead::new(&p).unwrap();
            let wire = |http_path: bool| {
                let mut c = Connection::new(Config::default(), Duration::ZERO);
                c.set_date(*b"Mon, 07 Nov 1994 08:49:37 GMT");
                c.handle_input(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n", Duration::ZERO);
                while c.poll_event().is_some() {}
                let f = if http_path {
                    c.send_http_response(&h, Duration::ZERO)
                } else {
                    c.send_response(&h.response(), Duration::ZERO)
                };
                assert_eq!(f, Ok(ResponseFraming::Length(2)));
                c.send_body(b"no", Duration::ZERO).unwrap();
                c.finish(Duration::ZERO).unwrap();
                c.transmit().to_vec()
            };
            assert_eq!(wire(true), wire(false));
            let out = wire(true);
            assert_eq!(
                out.windows(6)
                    .filter(|w| w.eq_ignore_ascii_case(b"date: "))
                    .count(),
                1
            );
        }
    }

    /// `send_http_full` writes exactly what head, body and finish write in three calls; a body
    /// for a HEAD request (RFC 9110 §9.3.2) or of the wrong length is refused with nothing sent.
    #[test]
    fn send_http_full_writes_what_three_calls_write() {
        let p = resp(
            http::Response::builder()
                .status(200)
                .header("content-type", "text/plain"),
        );
        let mut h = HttpResponseHead::new(&p).unwrap();
        h.set_length(5).unwrap();
        let conn = |method: &str| {
            let mut c = Connection::new(Config::default(), Duration::ZERO);
            c.set_date(*b"Mon, 07 Nov 1994 08:49:37 GMT");
            let req = alloc::format!("{method} / HTTP/1.1\r\nHost: a\r\n\r\n");
            c.handle_input(req.as_bytes(), Duration::ZERO);
            while c.poll_event().is_some() {}
            c
        };
        let mut one = conn("GET");
        one.send_http_full(&h, b"hello", Duration::ZERO).unwrap();
        let mut three = conn("GET");
        three.send_http_response(&h, Duration::ZERO).unwrap();
        three.send_body(b"hello", Duration::ZERO).unwrap();
        three.finish(Duration::ZERO).unwrap();
        assert_eq!(one.transmit(), three.transmit());
        assert!(one.transmit().ends_with(b"\r\n\r\nhello"));

        let mut head = conn("HEAD");
        assert_eq!(
            head.send_http_full(&h, b"hello", Duration::ZERO),
            Err(UsageError::BodyNotAllowed)
        );
        assert!(head.transmit().is_empty());
        let mut short = conn("GET");
        assert_eq!(
            short.send_http_full(&h, b"hell", Duration::ZERO),
            Err(UsageError::LengthMismatch)
        );
        assert!(short.transmit().is_empty());
    }

    #[test]
    fn many_fields_are_all_kept_in_order() {
        // Below, at and past the fields kept in place.
        for count in 0..20 {
            let mut b = http::Response::builder();
            for i in 0..count {
                b = b.header(alloc::format!("x-f{i}"), alloc::format!("{i}"));
            }
            let p = resp(b);
            let h = HttpResponseHead::new(&p).unwrap();
            let r = h.response();
            assert_eq!(r.headers.len(), count);
            for (i, (n, v)) in r.headers.iter().enumerate() {
                assert_eq!(*n, alloc::format!("x-f{i}"));
                assert_eq!(*v, alloc::format!("{i}").as_bytes());
            }
        }
    }

    #[test]
    fn set_length_agrees_with_the_head() {
        let p = resp(http::Response::builder().header("content-length", "5"));
        let mut h = HttpResponseHead::new(&p).unwrap();
        assert_eq!(h.set_length(6), Err(UsageError::LengthMismatch));
        assert_eq!(h.set_length(5), Ok(()));
        let whole = http::Response::new(());
        let mut h = HttpResponseHead::from_response(&whole).unwrap();
        h.set_length(3).unwrap();
        h.set_close();
        assert_eq!((h.length(), h.closes()), (Some(3), true));
    }
}
