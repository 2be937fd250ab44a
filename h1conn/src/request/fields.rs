//! Field-value rules as small pure functions: Content-Length, Transfer-Encoding, Host, Connection,
//! Expect. Each takes raw field values and says what they mean or which rule they break. The byte
//! classes here also serve the request target's check (`parse`).

use crate::error::PeerErrorKind as K;

/// The options of every `Connection` field line, parsed as a case-insensitive token list
/// (RFC 9110 §7.6.1).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct ConnectionOptions {
    /// `close` was listed.
    pub close: bool,
    /// `keep-alive` was listed.
    pub keep_alive: bool,
    /// `upgrade` was listed.
    pub upgrade: bool,
}

/// What the request expects (RFC 9110 §10.1.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Expect {
    /// No Expect field (or an HTTP/1.0 request, which ignores it).
    None,
    /// `100-continue`, in any case.
    Continue,
    /// Anything else: answered 417 by default.
    Unsupported,
}

/// Optional whitespace (RFC 9110 §5.6.3).
pub(crate) fn is_ows(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

pub(crate) fn trim_ows(mut v: &[u8]) -> &[u8] {
    while let [first, rest @ ..] = v {
        if is_ows(*first) {
            v = rest;
        } else {
            break;
        }
    }
    while let [rest @ .., last] = v {
        if is_ows(*last) {
            v = rest;
        } else {
            break;
        }
    }
    v
}

/// Splits a comma-separated list value (RFC 9110 §5.6.1) into trimmed members, empty ones included
/// (callers decide). A comma inside a quoted-string (RFC 9110 §5.6.4) does not split.
pub(crate) fn list_members(v: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = Some(v);
    core::iter::from_fn(move || {
        let v = rest?;
        let (mut quoted, mut escaped) = (false, false);
        let end = v.iter().position(|&b| {
            match (quoted, escaped, b) {
                (true, true, _) => escaped = false,
                (true, false, b'\\') => escaped = true,
                (_, false, b'"') => quoted = !quoted,
                (false, _, b',') => return true,
                _ => {}
            }
            false
        });
        let (member, tail) = match end {
            Some(i) => (&v[..i], Some(&v[i + 1..])),
            None => (v, None),
        };
        rest = tail;
        Some(trim_ows(member))
    })
}

/// Byte classes, one table lookup each.
pub(crate) const TCHAR: u8 = 1;
/// RFC 3986 unreserved / sub-delims.
const HOST: u8 = 2;
/// What stands for itself in the path and query of a request target (RFC 3986 §3.3, §3.4): pchar
/// (unreserved / sub-delims / ":" / "@") and "/" and "?". Percent-encoding is checked apart.
pub(crate) const TARGET: u8 = 4;
/// Printable ASCII outside RFC 3986 that clients send unencoded: `"` `<` `>` `[` `\` `]` `^` `` ` ``
/// `{` `|` `}` (every VCHAR but `#`, `%` and [`TARGET`]).
pub(crate) const UNENCODED: u8 = 8;
/// obs-text: 0x80..=0xFF.
pub(crate) const OBS_TEXT: u8 = 16;

static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        let alnum = b.is_ascii_alphanumeric();
        if alnum
            || matches!(
                b,
                b'!' | b'#'
                    | b'$'
                    | b'%'
                    | b'&'
                    | b'\''
                    | b'*'
                    | b'+'
                    | b'-'
                    | b'.'
                    | b'^'
                    | b'_'
                    | b'`'
                    | b'|'
                    | b'~'
            )
        {
            t[i] |= TCHAR;
        }
        if alnum
            || matches!(
                b,
                b'-' | b'.'
                    | b'_'
                    | b'~'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
            )
        {
            t[i] |= HOST;
            t[i] |= TARGET;
        }
        if matches!(b, b':' | b'@' | b'/' | b'?') {
            t[i] |= TARGET;
        }
        if matches!(
            b,
            b'"' | b'<' | b'>' | b'[' | b'\\' | b']' | b'^' | b'`' | b'{' | b'|' | b'}'
        ) {
            t[i] |= UNENCODED;
        }
        if b >= 0x80 {
            t[i] |= OBS_TEXT;
        }
        i += 1;
    }
    t
};

/// True when `b` is in one of the byte classes `classes` (a union of the class constants).
#[inline]
pub(crate) fn in_class(b: u8, classes: u8) -> bool {
    CLASS[b as usize] & classes != 0
}

/// True when every byte of `v` is in `class` (a single class constant): the class bits of eight
/// bytes ANDed per step, the rest folded the same way, with no branch per byte.
#[inline]
pub(crate) fn all_of(v: &[u8], class: u8) -> bool {
    let t = |b: u8| CLASS[b as usize];
    let mut chunks = v.chunks_exact(8);
    let mut all = class;
    for c in &mut chunks {
        all &= t(c[0]) & t(c[1]) & t(c[2]) & t(c[3]) & t(c[4]) & t(c[5]) & t(c[6]) & t(c[7]);
        if all == 0 {
            return false;
        }
    }
    chunks.remainder().iter().fold(all, |a, &b| a & t(b)) != 0
}

/// Length of the longest prefix of `v` whose bytes are all in `class` (a single class constant):
/// eight bytes per step while the run lasts (their class bits ANDed), then byte by byte.
#[inline]
pub(crate) fn run_of(v: &[u8], class: u8) -> usize {
    let t = |b: u8| CLASS[b as usize];
    let mut n = 0;
    while let Some(c) = v.get(n..n + 8) {
        let all = class & t(c[0]) & t(c[1]) & t(c[2]) & t(c[3]) & t(c[4]) & t(c[5]) & t(c[6]) & t(c[7]);
        if all == 0 {
            break;
        }
        n += 8;
    }
    n + v[n..]
        .iter()
        .position(|&b| !in_class(b, class))
        .unwrap_or(v.len() - n)
}

/// RFC 3986 §2.1: `pct-encoded = "%" HEXDIG HEXDIG` at the start of `v`.
#[inline]
pub(crate) fn is_pct_encoded(v: &[u8]) -> bool {
    matches!(v, [b'%', h, l, ..] if h.is_ascii_hexdigit() && l.is_ascii_hexdigit())
}

/// `tchar` (RFC 9110 §5.6.2).
#[inline]
pub(crate) fn is_tchar(b: u8) -> bool {
    CLASS[b as usize] & TCHAR != 0
}

/// `token = 1*tchar`.
pub(crate) fn is_token(t: &[u8]) -> bool {
    !t.is_empty() && t.iter().all(|&b| is_tchar(b))
}

/// `v` equals `lower` ignoring ASCII case, for a `lower` of lowercase letters, digits and `-`, and
/// a `v` without control bytes (a field name or value as parsed): OR 0x20 maps onto such a byte
/// only the byte itself, its capital letter, and control bytes. Eight bytes per step, the last
/// word overlapping the one before it, instead of a case conversion per byte.
#[inline]
pub(crate) fn eq_lower(v: &[u8], lower: &[u8]) -> bool {
    debug_assert!(lower
        .iter()
        .all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
    const MASK: u64 = 0x2020_2020_2020_2020;
    let n = v.len();
    if n != lower.len() {
        return false;
    }
    // `n` bytes at `i` as a little-endian word (fewer than eight: zero-extended).
    let word = |s: &[u8], i: usize, n: usize| {
        let mut a = [0u8; 8];
        a[..n].copy_from_slice(&s[i..i + n]);
        u64::from_le_bytes(a)
    };
    let same = |i: usize, k: usize| {
        let mask = MASK >> (8 * (8 - k));
        word(v, i, k) | mask == word(lower, i, k)
    };
    match n {
        0 => true,
        1..=8 => same(0, n),
        _ => {
            let mut i = 0;
            while i + 8 < n {
                if !same(i, 8) {
                    return false;
                }
                i += 8;
            }
            same(n - 8, 8)
        }
    }
}

/// Adds the options of one Connection value to `opts`.
pub fn connection_options(value: &[u8], opts: &mut ConnectionOptions) {
    // A single option needs no list parsing.
    if eq_lower(value, b"keep-alive") {
        opts.keep_alive = true;
        return;
    }
    if eq_lower(value, b"close") {
        opts.close = true;
        return;
    }
    for m in list_members(value) {
        if m.eq_ignore_ascii_case(b"close") {
            opts.close = true;
        } else if m.eq_ignore_ascii_case(b"keep-alive") {
            opts.keep_alive = true;
        } else if m.eq_ignore_ascii_case(b"upgrade") {
            opts.upgrade = true;
        }
    }
}

/// Reads every Expect value: `100-continue` alone is understood.
pub fn expect<'a>(values: impl Iterator<Item = &'a [u8]>) -> Expect {
    let mut out = Expect::None;
    for v in values {
        for m in list_members(v) {
            if m.is_empty() {
                continue;
            }
            if m.eq_ignore_ascii_case(b"100-continue") && out != Expect::Unsupported {
                out = Expect::Continue;
            } else {
                return Expect::Unsupported;
            }
        }
    }
    out
}

/// Parses `1*DIGIT` with an overflow guard. No sign, no spaces, no hex, not empty.
pub fn parse_decimal(v: &[u8]) -> Option<u64> {
    if v.is_empty() {
        return None;
    }
    let mut n: u64 = 0;
    for &b in v {
        if !b.is_ascii_digit() {
            return None;
        }
        n = n.checked_mul(10)?.checked_add(u64::from(b - b'0'))?;
    }
    Some(n)
}

/// The Content-Length of a message from all its Content-Length values (RFC 9112 §6.3, RFC 9110
/// §8.6). `Ok(None)` when there is none. A value or list member that is not `1*DIGIT`, or that
/// overflows, is [`K::BadContentLength`]; more than one value is [`K::DuplicateContentLength`]
/// unless `collapse_identical` and all are equal.
pub fn content_length<'a>(
    values: impl Iterator<Item = &'a [u8]>,
    collapse_identical: bool,
) -> Result<Option<u64>, K> {
    let mut found: Option<u64> = None;
    for v in values {
        // A list is only meaningful when identical values are collapsed; otherwise each member is
        // still checked so an invalid spelling says "bad" rather than "duplicate".
        for m in v.split(|&b| b == b',') {
            let m = if collapse_identical { trim_ows(m) } else { m };
            let n = parse_decimal(m).ok_or(K::BadContentLength)?;
            match found {
                None => found = Some(n),
                Some(prev) if prev == n && collapse_identical => {}
                Some(_) => return Err(K::DuplicateContentLength),
            }
        }
    }
    Ok(found)
}

/// The verdict on a request's Transfer-Encoding values (RFC 9112 §6.1, §6.3, §7): `Ok(())` when the
/// codings are exactly `chunked` (after dropping empty list members).
pub fn transfer_encoding<'a>(values: impl Iterator<Item = &'a [u8]>) -> Result<(), K> {
    let mut last_is_chunked = false;
    let mut any = false;
    let mut chunked_seen = false;
    let mut unknown = false;
    for v in values {
        for m in list_members(v) {
            if m.is_empty() {
                continue;
            }
            any = true;
            // transfer-coding = token *( OWS ";" OWS transfer-parameter )
            let (name, params) = match m.iter().position(|&b| b == b';') {
                Some(i) => (trim_ows(&m[..i]), Some(&m[i + 1..])),
                None => (m, None),
            };
            if !is_token(name) {
                return Err(K::BadTransferEncoding);
            }
            if name.eq_ignore_ascii_case(b"chunked") {
                if chunked_seen || params.is_some() {
                    return Err(K::BadTransferEncoding);
                }
                chunked_seen = true;
                last_is_chunked = true;
            } else {
                if let Some(p) = params {
                    if !valid_params(p) {
                        return Err(K::BadTransferEncoding);
                    }
                }
                unknown = true;
                last_is_chunked = false;
            }
        }
    }
    if !any {
        return Err(K::BadTransferEncoding);
    }
    if !last_is_chunked {
        return Err(K::ChunkedNotFinal);
    }
    if unknown {
        return Err(K::UnknownTransferCoding);
    }
    Ok(())
}

/// `transfer-parameter *( OWS ";" OWS transfer-parameter )`, transfer-parameter = token BWS "="
/// BWS ( token / quoted-string ) (RFC 9112 §7, RFC 9110 §5.6.6). A `;` or `=` inside a
/// quoted-string is part of it.
fn valid_params(p: &[u8]) -> bool {
    let skip_ows = |v: &[u8]| -> usize { v.iter().take_while(|&&b| b == b' ' || b == b'\t').count() };
    let token_len = |v: &[u8]| -> usize { v.iter().take_while(|&&b| is_tchar(b)).count() };
    let mut rest = p;
    loop {
        rest = &rest[skip_ows(rest)..];
        let name = token_len(rest);
        if name == 0 {
            return false;
        }
        rest = &rest[name..];
        rest = &rest[skip_ows(rest)..];
        let Some(after) = rest.strip_prefix(b"=") else {
            return false;
        };
        rest = &after[skip_ows(after)..];
        let value = match rest.first() {
            Some(b'"') => match quoted_len(rest) {
                Some(n) => n,
                None => return false,
            },
            _ => token_len(rest),
        };
        if value == 0 {
            return false;
        }
        rest = &rest[value..];
        rest = &rest[skip_ows(rest)..];
        match rest.split_first() {
            None => return true,
            Some((b';', after)) => rest = after,
            Some(_) => return false,
        }
    }
}

/// The length of the quoted-string at the start of `v`, DQUOTEs included; `None` when `v` does
/// not start with a whole one. RFC 9110 §5.6.4: quoted-string = DQUOTE *( qdtext / quoted-pair )
/// DQUOTE; qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text; quoted-pair = "\\" ( HTAB /
/// SP / VCHAR / obs-text ).
fn quoted_len(v: &[u8]) -> Option<usize> {
    let text = |b: u8| b == b'\t' || b == b' ' || (0x21..=0x7e).contains(&b) || b >= 0x80;
    if v.first() != Some(&b'"') {
        return None;
    }
    let mut i = 1;
    while let Some(&b) = v.get(i) {
        match b {
            b'"' => return Some(i + 1),
            b'\\' if v.get(i + 1).is_some_and(|&q| text(q)) => i += 2,
            b'\\' => return None,
            _ if text(b) => i += 1,
            _ => return None,
        }
    }
    None
}

/// Splits `host[:port]`; the port part may be empty (RFC 3986 `port = *DIGIT`). `None` when a port
/// holds a non-digit or an IP literal is unclosed.
pub fn split_host_port(v: &[u8]) -> Option<(&[u8], Option<&[u8]>)> {
    let host_end = if v.first() == Some(&b'[') {
        v.iter().position(|&b| b == b']')? + 1
    } else {
        v.iter().position(|&b| b == b':').unwrap_or(v.len())
    };
    let (host, rest) = v.split_at(host_end);
    match rest {
        [] => Some((host, None)),
        [b':', port @ ..] if port.iter().all(u8::is_ascii_digit) => Some((host, Some(port))),
        _ => None,
    }
}

/// True when `v` is a valid Host value: `uri-host [ ":" port ]`, or empty (RFC 9110 §7.2,
/// RFC 3986 §3.2.2). Userinfo (`@`) is refused.
pub fn valid_host(v: &[u8]) -> bool {
    // The common form first: a reg-name without percent-encoding, then digits after a colon.
    let n = run_of(v, HOST);
    match &v[n..] {
        [] => true,
        [b':', port @ ..] if port.iter().all(u8::is_ascii_digit) => true,
        _ => parse_host(v).is_some(),
    }
}

/// `uri-host [ ":" port ]` checked and split (the rules of [`valid_host`]); the host may be empty,
/// the port is `None` without a colon and may be empty after one.
pub(crate) fn parse_host(v: &[u8]) -> Option<(&[u8], Option<&[u8]>)> {
    let (host, port) = split_host_port(v)?;
    if let [b'[', inner @ .., b']'] = host {
        // IP-literal = "[" ( IPv6address / IPvFuture ) "]" (RFC 3986 §3.2.2).
        return (is_ipv6(inner) || is_ipv_future(inner)).then_some((host, port));
    }
    // reg-name / IPv4address: unreserved / pct-encoded / sub-delims.
    reg_name_like(host, HOST).then_some((host, port))
}

/// `*( <bytes of class> / pct-encoded )`.
fn reg_name_like(v: &[u8], class: u8) -> bool {
    let mut i = 0;
    while let Some(&b) = v.get(i) {
        if in_class(b, class) {
            i += 1;
        } else if is_pct_encoded(&v[i..]) {
            i += 3;
        } else {
            return false;
        }
    }
    true
}

/// RFC 3986 §3.2.1: `userinfo = *( unreserved / pct-encoded / sub-delims / ":" )`.
pub(crate) fn valid_userinfo(v: &[u8]) -> bool {
    v.split(|&b| b == b':').all(|part| reg_name_like(part, HOST))
}

#[inline]
fn is_unreserved_or_sub_delim(b: u8) -> bool {
    CLASS[b as usize] & HOST != 0
}

/// RFC 3986 `IPv6address`: eight 16-bit groups, `::` standing for one or more zero groups at most
/// once, the last 32 bits optionally as an IPv4 dotted quad.
pub fn is_ipv6(v: &[u8]) -> bool {
    fn groups(side: &[u8], allow_v4_tail: bool) -> Option<usize> {
        if side.is_empty() {
            return Some(0);
        }
        let parts: alloc::vec::Vec<&[u8]> = side.split(|&b| b == b':').collect();
        let mut n = 0;
        for (i, p) in parts.iter().enumerate() {
            let last = i + 1 == parts.len();
            if last && allow_v4_tail && p.contains(&b'.') {
                if !is_ipv4(p) {
                    return None;
                }
                n += 2;
            } else if (1..=4).contains(&p.len()) && p.iter().all(u8::is_ascii_hexdigit) {
                n += 1;
            } else {
                return None;
            }
        }
        Some(n)
    }
    match v.windows(2).position(|w| w == b"::") {
        None => groups(v, true) == Some(8),
        Some(i) => {
            let (left, right) = (&v[..i], &v[i + 2..]);
            if right.windows(2).any(|w| w == b"::") {
                return false;
            }
            match (groups(left, false), groups(right, true)) {
                (Some(l), Some(r)) => l + r <= 7,
                _ => false,
            }
        }
    }
}

/// RFC 3986 `IPv4address`: four `dec-octet`s 0..=255 without leading zeros.
pub fn is_ipv4(v: &[u8]) -> bool {
    let mut n = 0;
    for part in v.split(|&b| b == b'.') {
        n += 1;
        let ok = match part {
            [d] => d.is_ascii_digit(),
            [b'1'..=b'9', d] => d.is_ascii_digit(),
            [b'1', d, e] => d.is_ascii_digit() && e.is_ascii_digit(),
            [b'2', b'0'..=b'4', e] => e.is_ascii_digit(),
            [b'2', b'5', b'0'..=b'5'] => true,
            _ => false,
        };
        if !ok {
            return false;
        }
    }
    n == 4
}

/// RFC 3986 `IPvFuture = "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" )`.
fn is_ipv_future(v: &[u8]) -> bool {
    let [b'v' | b'V', rest @ ..] = v else {
        return false;
    };
    let Some(dot) = rest.iter().position(|&b| b == b'.') else {
        return false;
    };
    let (ver, tail) = (&rest[..dot], &rest[dot + 1..]);
    !ver.is_empty()
        && ver.iter().all(u8::is_ascii_hexdigit)
        && !tail.is_empty()
        && tail.iter().all(|&b| b == b':' || is_unreserved_or_sub_delim(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 9110 §5.1, §7.6.1: field names and the connection options compare case-insensitively.
    /// The word-wise compare agrees with a byte-by-byte one for every name and option it is used
    /// for, in any case, with any byte that a field name or value may hold (no control byte but
    /// HTAB) at any position, and at every other length.
    #[test]
    fn eq_lower_agrees_with_a_case_insensitive_compare() {
        let targets: [&[u8]; 10] = [
            b"host",
            b"date",
            b"close",
            b"expect",
            b"upgrade",
            b"connection",
            b"keep-alive",
            b"content-length",
            b"transfer-encoding",
            b"abcdefghijklmnopqrstuvwxyz-0123456789",
        ];
        let bytes = core::iter::once(b'\t').chain(0x20..=0xff);
        for t in targets {
            let upper = t.to_ascii_uppercase();
            let mixed: alloc::vec::Vec<u8> = t
                .iter()
                .enumerate()
                .map(|(i, b)| if i % 2 == 0 { b.to_ascii_uppercase() } else { *b })
                .collect();
            for v in [t.to_vec(), upper, mixed] {
                assert!(eq_lower(&v, t));
                for at in 0..v.len() {
                    for b in bytes.clone() {
                        let mut w = v.clone();
                        w[at] = b;
                        assert_eq!(eq_lower(&w, t), w.eq_ignore_ascii_case(t), "{w:?}");
                    }
                }
                assert!(eq_lower(b"", b""));
                for len in 0..v.len() + 9 {
                    let w: alloc::vec::Vec<u8> = v.iter().copied().cycle().take(len).collect();
                    assert_eq!(eq_lower(&w, t), w.eq_ignore_ascii_case(t), "{w:?}");
                }
            }
        }
    }

    /// The eight-at-a-time test agrees with a byte-by-byte one for every class, length and
    /// position of a byte that may lie outside the class.
    #[test]
    fn all_of_matches_a_plain_scan() {
        for class in [TCHAR, HOST, TARGET] {
            for len in 0..30 {
                for at in 0..=len {
                    for odd in [b' ', b'"', b'%', 0x80, b'\n', b'a'] {
                        let mut v = alloc::vec![b'a'; len];
                        if at < len {
                            v[at] = odd;
                        }
                        let plain = v.iter().all(|&b| in_class(b, class));
                        assert_eq!(all_of(&v, class), plain, "class {class} len {len} at {at}");
                    }
                }
            }
        }
    }

    /// The eight-at-a-time run agrees with a byte-by-byte scan for every class, length and
    /// position of the first byte outside the class.
    #[test]
    fn run_of_matches_a_plain_scan() {
        for class in [TCHAR, HOST, TARGET] {
            for len in 0..30 {
                for stop in 0..=len {
                    for odd in [b' ', b'"', b'%', 0x80, b'\n'] {
                        let mut v = alloc::vec![b'a'; len];
                        if stop < len {
                            v[stop] = odd;
                        }
                        let plain = v.iter().position(|&b| !in_class(b, class)).unwrap_or(len);
                        assert_eq!(run_of(&v, class), plain, "class {class} len {len} stop {stop}");
                    }
                }
            }
        }
    }

    /// RFC 9110 §5.6.1, §5.6.4: list members are split at commas outside quoted strings.
    #[test]
    fn rfc9110_5_6_1_list_members_respect_quoted_strings() {
        fn split(v: &[u8]) -> alloc::vec::Vec<&[u8]> {
            list_members(v).collect()
        }
        assert_eq!(split(b"a, b ,,c"), [&b"a"[..], b"b", b"", b"c"]);
        assert_eq!(
            split(br#"gzip;q="a,b", chunked"#),
            [&br#"gzip;q="a,b""#[..], b"chunked"]
        );
        assert_eq!(split(br#"x="a\",b", y"#), [&br#"x="a\",b""#[..], b"y"]);
        assert_eq!(
            transfer_encoding([&br#"gzip;q="a,b", chunked"#[..]].into_iter()),
            Err(K::UnknownTransferCoding)
        );
    }

    /// RFC 3986 §3.2.2: IPv6address (with `::` and an IPv4 tail), IPvFuture, and Host values that
    /// carry them.
    #[test]
    fn rfc3986_3_2_2_ip_literals() {
        #[rustfmt::skip]
        let v6: &[(&[u8], bool)] = &[
            (b"::1", true), (b"::", true), (b"1:2:3:4:5:6:7:8", true), (b"fe80::1", true),
            (b"::ffff:192.0.2.1", true), (b"1:2:3:4:5:6:1.2.3.4", true), (b"1::", true),
            (b"1:2:3:4:5:6:7::", true), (b"zz", false), (b"::1::2", false),
            (b"1:2:3:4:5:6:7:8:9", false), (b"12345::", false), (b"1:2:3:4:5:6:7", false),
            (b":1", false), (b"1:", false), (b"1:2:3:4:5:6:7:8::", false), (b"::256.1.1.1", false),
            (b"::1.2.3", false), (b"::01.2.3.4", false), (b"", false),
        ];
        for &(v, ok) in v6 {
            assert_eq!(is_ipv6(v), ok, "{}", v.escape_ascii());
        }
        assert!(is_ipv_future(b"v1.x:y"));
        assert!(!is_ipv_future(b"v1"));
        assert!(!is_ipv_future(b"v.x"));
        assert!(valid_host(b"[::1]:8080"));
        assert!(!valid_host(b"[zz]"));
    }
}
