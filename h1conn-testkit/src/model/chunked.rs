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

/// How chunk extensions are read. The two bracket what a recipient may do: read the grammar, or
/// skip what it does not recognise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExtGrammar {
    /// RFC 9112 §7.1.1 exactly.
    Strict,
    /// §7.1.1 "A recipient MUST ignore unrecognized chunk extensions": a recipient that skips them
    /// unread takes BWS ";" and then any VCHAR, obs-text, SP or HTAB up to the CRLF (no CTL).
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

/// Where the input stands at the start of a line.
enum Next<'a> {
    /// A line ended by CRLF, and where the next starts.
    Line(&'a [u8], usize),
    /// The input stops inside the line: what arrived, and whether its last octet is a CR that
    /// may begin the CRLF (then the line is whole before it).
    Open(&'a [u8], bool),
    /// An LF not preceded by CR, or a CR not followed by LF. Chunked framing is written with CRLF
    /// throughout (§7.1); the §2.2 leniency for a bare LF is for the start-line and fields, and no
    /// recipient has to extend it here.
    Broken,
}

fn next_line(input: &[u8], pos: usize) -> Next<'_> {
    let rest = &input[pos..];
    let (line, next) = match rest.iter().position(|&b| b == b'\n') {
        Some(lf) => match rest[..lf].strip_suffix(b"\r") {
            Some(line) => (line, Some(pos + lf + 1)),
            None => return Next::Broken,
        },
        None => match rest.strip_suffix(b"\r") {
            Some(line) => (line, None),
            None => (rest, None),
        },
    };
    match (line.contains(&b'\r'), next) {
        (true, _) => Next::Broken,
        (false, Some(next)) => Next::Line(line, next),
        (false, None) => Next::Open(line, line.len() < rest.len()),
    }
}

/// Whether a line cut short can still become a line `whole` accepts: with its CR in, it must be
/// whole already; without, it must be the start of one.
fn open_line_ok(cr_came: bool, whole: bool, begun: bool) -> bool {
    if cr_came {
        whole
    } else {
        begun
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

/// A trailer line: the empty line that ends the section, or a field line. RFC 9112 §5.2: obs-fold
/// in a request MUST be rejected or replaced; the strict profile rejects (Profile::allow_obs_fold).
fn trailer_line_ok(line: &[u8], whole: bool) -> bool {
    let folded = line.first().copied().is_some_and(wsp);
    line.is_empty()
        || (!folded
            && if whole {
                field_line(line).is_ok()
            } else {
                field_line_could_begin(line)
            })
}

/// Reads the chunked body at the start of `input` (RFC 9112 §7.1).
pub fn chunked_body(input: &[u8], g: ExtGrammar) -> ChunkedBody {
    let mut data = Vec::new();
    let mut pos = 0;
    let done = |data: Vec<u8>, end: ChunkedEnd| ChunkedBody { data, end };
    // *chunk last-chunk
    loop {
        let size = match next_line(input, pos) {
            Next::Line(line, next) => match whole_size_line(line, g) {
                Some(size) => {
                    pos = next;
                    size
                }
                None => return done(data, ChunkedEnd::Invalid("RFC 9112 §7.1 chunk-size line")),
            },
            Next::Open(line, cr) => {
                let ok = open_line_ok(cr, whole_size_line(line, g).is_some(), size_line_begun(line, g));
                let end = match ok {
                    true => ChunkedEnd::Incomplete,
                    false => ChunkedEnd::Invalid("RFC 9112 §7.1 chunk-size line"),
                };
                return done(data, end);
            }
            Next::Broken => return done(data, ChunkedEnd::Invalid("RFC 9112 §7.1 chunk line without CRLF")),
        };
        if size == 0 {
            break;
        }
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
    // trailer-section CRLF (§7.1.2)
    let mut trailers = Vec::new();
    loop {
        match next_line(input, pos) {
            Next::Line([], next) => {
                let end = ChunkedEnd::Complete {
                    trailers,
                    consumed: next,
                };
                return done(data, end);
            }
            Next::Line(line, next) => match (trailer_line_ok(line, true), field_line(line)) {
                (true, Ok(field)) => {
                    trailers.push(field);
                    pos = next;
                }
                _ => return done(data, ChunkedEnd::Invalid("RFC 9112 §7.1.2 trailer field-line")),
            },
            Next::Open(line, cr) => {
                let ok = open_line_ok(cr, trailer_line_ok(line, true), trailer_line_ok(line, false));
                let end = match ok {
                    true => ChunkedEnd::Incomplete,
                    false => ChunkedEnd::Invalid("RFC 9112 §7.1.2 trailer field-line"),
                };
                return done(data, end);
            }
            Next::Broken => {
                return done(
                    data,
                    ChunkedEnd::Invalid("RFC 9112 §7.1.2 trailer line without CRLF"),
                )
            }
        }
    }
}
