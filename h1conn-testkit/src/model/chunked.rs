//! A chunked body, RFC 9112 §7.1:
//!
//! ```text
//! chunked-body   = *chunk last-chunk trailer-section CRLF
//! chunk          = chunk-size [ chunk-ext ] CRLF chunk-data CRLF
//! chunk-size     = 1*HEXDIG
//! last-chunk     = 1*("0") [ chunk-ext ] CRLF
//! chunk-data     = 1*OCTET ; a sequence of chunk-size octets
//! trailer-section = *( field-line CRLF )
//! ```

use super::abnf::{
    alt, cat, field_vchar, hexdig, octet, opt, ows, plus, quoted_string, star, text, token, wsp, Ends, MORE,
};
use super::head::{field_line, field_line_could_begin};
use super::{MAX_CHUNK_EXTENSIONS, MAX_CHUNK_LINE, MAX_TRAILERS};

/// Which limit of [`ChunkLimits`] a body passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// One chunk-size line.
    ChunkLine,
    /// The chunk extensions of the body, all lines together.
    ChunkExtensions,
    /// The trailer section.
    Trailers,
    /// The sum of the chunk sizes.
    Body,
}

/// The limits a server puts on a chunked body: configuration, not RFC text. RFC 9112 §7.1.1: "A
/// server ought to limit the total length of chunk extensions received in a request to an amount
/// reasonable for the services provided ... and generate an appropriate 4xx (Client Error)
/// response if that amount is exceeded"; RFC 9110 §5.4 for the trailer fields, §15.5.14 for the
/// content. `Default` mirrors `Limits::default()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChunkLimits {
    /// Longest chunk-size line, CRLF excluded (`max_chunk_line`).
    pub line: usize,
    /// Most octets of chunk-ext in one body: what follows the chunk-size on each line, CRLF
    /// excluded (`max_chunk_extensions`).
    pub extensions: usize,
    /// Largest trailer section, the CRLF that ends it excluded (`max_trailers`).
    pub trailers: usize,
    /// Largest sum of chunk sizes (`max_body`).
    pub body: Option<u64>,
}

impl Default for ChunkLimits {
    fn default() -> Self {
        ChunkLimits {
            line: MAX_CHUNK_LINE,
            extensions: MAX_CHUNK_EXTENSIONS,
            trailers: MAX_TRAILERS,
            body: None,
        }
    }
}

/// How a chunked body ended, as far as the input goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChunkedEnd {
    /// The last chunk and the trailer section were read.
    Complete {
        /// Trailer fields: names as sent, values without their OWS.
        trailers: Vec<(Vec<u8>, Vec<u8>)>,
        /// Bytes of input the body takes.
        consumed: usize,
    },
    /// The input stops inside the body and nothing so far is wrong.
    Incomplete,
    /// A rule is broken.
    Invalid(&'static str),
    /// A limit was passed before any rule was broken.
    TooLarge(Limit),
}

/// What the model reads from a chunked body: the data of every chunk whose size line was valid
/// (as much of the last as arrived), and how the body ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChunkedBody {
    /// The data.
    pub data: Vec<u8>,
    /// How it ended.
    pub end: ChunkedEnd,
}

/// How chunk extensions are read. §7.1.1 gives the grammar, and says "A recipient MUST ignore
/// unrecognized chunk extensions": a recipient may read them, or skip them unread.
/// CHOICE: the strict profile reads the grammar ([`ExtGrammar::Strict`]);
/// `Profile::allow_malformed_chunk_extensions` (on in the lenient profile) skips
/// ([`ExtGrammar::Tolerant`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExtGrammar {
    /// RFC 9112 §7.1.1 exactly.
    Strict,
    /// A recipient that skips the extensions unread takes BWS ";" and then any VCHAR, obs-text, SP
    /// or HTAB up to the CRLF (no CTL).
    Tolerant,
}

/// RFC 9112 §7.1.1:
/// chunk-ext      = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )
/// chunk-ext-name = token
/// chunk-ext-val  = token / quoted-string
fn chunk_ext(s: &[u8], at: usize) -> Ends {
    let value = cat![ows, text("="), ows, alt![token, quoted_string]];
    star(cat![ows, text(";"), ows, token, opt(value)])(s, at)
}

/// The [`ExtGrammar::Tolerant`] reading: [ BWS ";" *( VCHAR / obs-text / SP / HTAB ) ]
fn skipped_ext(s: &[u8], at: usize) -> Ends {
    opt(cat![ows, text(";"), star(octet(|b| field_vchar(b) || wsp(b)))])(s, at)
}

/// A chunk-size line without its CRLF: chunk-size [ chunk-ext ] (the last-chunk's size is all
/// zeros: a chunk-size of value 0).
fn size_line(g: ExtGrammar, line: &[u8]) -> Ends {
    match g {
        ExtGrammar::Strict => cat![plus(octet(hexdig)), opt(chunk_ext)](line, 0),
        ExtGrammar::Tolerant => cat![plus(octet(hexdig)), skipped_ext](line, 0),
    }
}

/// The value of the chunk-size that starts `line` (chunk-ext never starts with a HEXDIG, so the
/// size is all the leading HEXDIGs). `None` past 64 bits: §7.1 "Recipients MUST anticipate
/// potentially large hexadecimal numerals and prevent parsing errors due to integer conversion
/// overflows"; a size this recipient cannot count is refused.
fn chunk_size(line: &[u8]) -> Option<u64> {
    let digits = line.iter().take_while(|&&b| hexdig(b)).count();
    let zeros = line.iter().take_while(|&&b| b == b'0').count().min(digits);
    let significant = std::str::from_utf8(&line[zeros..digits]).ok()?;
    match significant.len() {
        0 => Some(0),
        1..=16 => u64::from_str_radix(significant, 16).ok(),
        _ => None,
    }
}

/// A chunk-size line: whole and valid, with the size it gives.
fn whole_size_line(line: &[u8], g: ExtGrammar) -> Option<u64> {
    match size_line(g, line).contains(&line.len()) {
        true => chunk_size(line),
        false => None,
    }
}

/// A chunk-size line cut short: could it still become valid?
fn size_line_begun(line: &[u8], g: ExtGrammar) -> bool {
    let ends = size_line(g, line);
    (ends.contains(&line.len()) || ends.contains(&MORE)) && chunk_size(line).is_some()
}

/// A trailer line of a section that ended: a field line. RFC 9112 §5.2: obs-fold in a request
/// MUST be rejected or replaced; the strict profile rejects (Profile::allow_obs_fold), and so does
/// the lenient one in trailers.
fn trailer_line_ok(line: &[u8], whole: bool) -> bool {
    let folded = line.first().copied().is_some_and(wsp);
    !folded
        && !line.contains(&b'\r')
        && if whole {
            field_line(line).is_ok()
        } else {
            field_line_could_begin(line)
        }
}

/// A trailer line cut short: could it still become the empty line or a field line? With its CR
/// in, it must be whole already.
fn open_trailer_line_ok(rest: &[u8]) -> bool {
    match rest.strip_suffix(b"\r") {
        Some(line) => line.is_empty() || trailer_line_ok(line, true),
        None => trailer_line_ok(rest, false),
    }
}

/// Where a limit stops a line that starts with `digits` HEXDIGs, when `ext_left` octets of
/// extensions remain for the body: the index of the first octet refused, and the limit. The line
/// limit is counted first when both fall on one octet; a line without a digit has no extensions.
fn line_limit(digits: usize, ext_left: usize, limits: &ChunkLimits) -> (usize, Limit) {
    let ext_at = match digits {
        0 => usize::MAX,
        _ => digits.saturating_add(ext_left),
    };
    match limits.line <= ext_at {
        true => (limits.line, Limit::ChunkLine),
        false => (ext_at, Limit::ChunkExtensions),
    }
}

/// Reads the chunked body at the start of `input` (RFC 9112 §7.1) under `limits`.
///
/// A limit counts octets as they come: the first octet past it is refused, unless an octet before
/// it already broke a rule (then the body is `Invalid`). CHOICE: a trailer section is measured
/// line by line before its field lines are judged, which happens once it is complete; a section
/// over the limit is `TooLarge` even when one of its lines is also broken.
pub fn chunked_body(input: &[u8], g: ExtGrammar, limits: &ChunkLimits) -> ChunkedBody {
    let mut data = Vec::new();
    let mut pos = 0;
    let mut ext_total = 0usize;
    let mut body_total = 0u64;
    let done = |data: Vec<u8>, end: ChunkedEnd| ChunkedBody { data, end };
    let size_rule = ChunkedEnd::Invalid("RFC 9112 §7.1 chunk-size line");
    // *chunk last-chunk
    loop {
        // The line is every octet before the first CR: an LF among them breaks the grammar.
        let rest = &input[pos..];
        let cr = rest.iter().position(|&b| b == b'\r');
        let line = &rest[..cr.unwrap_or(rest.len())];
        let digits = line.iter().take_while(|&&b| hexdig(b)).count();
        let (at, limit) = line_limit(digits, limits.extensions - ext_total, limits);
        if at < line.len() {
            let end = match size_line_begun(&line[..at], g) {
                true => ChunkedEnd::TooLarge(limit),
                false => size_rule,
            };
            return done(data, end);
        }
        let Some(cr) = cr else {
            let end = match size_line_begun(line, g) {
                true => ChunkedEnd::Incomplete,
                false => size_rule,
            };
            return done(data, end);
        };
        let Some(size) = whole_size_line(line, g) else {
            return done(data, size_rule);
        };
        match rest.get(cr + 1) {
            None => return done(data, ChunkedEnd::Incomplete),
            Some(b'\n') => pos += cr + 2,
            Some(_) => return done(data, ChunkedEnd::Invalid("RFC 9112 §7.1 chunk line without CRLF")),
        }
        ext_total += line.len() - digits;
        if size == 0 {
            break;
        }
        body_total = match body_total.checked_add(size) {
            Some(total) if limits.body.is_none_or(|max| total <= max) => total,
            _ => return done(data, ChunkedEnd::TooLarge(Limit::Body)),
        };
        // chunk-data CRLF
        let rest = &input[pos..];
        let Some(chunk) = usize::try_from(size).ok().and_then(|n| rest.get(..n)) else {
            data.extend_from_slice(rest);
            return done(data, ChunkedEnd::Incomplete);
        };
        data.extend_from_slice(chunk);
        pos += chunk.len();
        match &input[pos..] {
            [] | [b'\r'] => return done(data, ChunkedEnd::Incomplete),
            [b'\r', b'\n', ..] => pos += 2,
            _ => return done(data, ChunkedEnd::Invalid("RFC 9112 §7.1 CRLF after chunk-data")),
        }
    }
    // trailer-section CRLF (§7.1.2), at most `limits.trailers` octets before that CRLF.
    let start = pos;
    let most = limits.trailers.saturating_add(2);
    let mut lines: Vec<&[u8]> = Vec::new();
    let field_rule = ChunkedEnd::Invalid("RFC 9112 §7.1.2 trailer field-line");
    loop {
        let rest = &input[pos..];
        let Some(lf) = rest.iter().position(|&b| b == b'\n') else {
            let end = if input.len() - start > most {
                ChunkedEnd::TooLarge(Limit::Trailers)
            } else if lines.iter().all(|l| trailer_line_ok(l, true)) && open_trailer_line_ok(rest) {
                ChunkedEnd::Incomplete
            } else {
                field_rule
            };
            return done(data, end);
        };
        let next = pos + lf + 1;
        if next - start > most {
            return done(data, ChunkedEnd::TooLarge(Limit::Trailers));
        }
        let Some(line) = rest[..lf].strip_suffix(b"\r") else {
            return done(
                data,
                ChunkedEnd::Invalid("RFC 9112 §7.1.2 trailer line without CRLF"),
            );
        };
        pos = next;
        if !line.is_empty() {
            lines.push(line);
            continue;
        }
        let mut trailers = Vec::new();
        for l in lines {
            match (trailer_line_ok(l, true), field_line(l)) {
                (true, Ok(field)) => trailers.push(field),
                _ => return done(data, field_rule),
            }
        }
        let end = ChunkedEnd::Complete {
            trailers,
            consumed: pos,
        };
        return done(data, end);
    }
}
