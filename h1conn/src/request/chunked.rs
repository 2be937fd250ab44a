//! Incremental chunked decoder (RFC 9112 §7.1).
//!
//! Data comes out as slices of the read buffer (no copy). Chunk-size lines are read byte by byte by
//! a state machine that carries over between calls, so each byte is looked at once however the
//! input is split. The size needs at least one hex digit and is overflow-guarded; extensions follow
//! the RFC 9112 §7.1.1 grammar, or are skipped unread when
//! [`Profile::allow_malformed_chunk_extensions`](crate::Profile) is on; CRLF is required everywhere
//! (a bare LF or CR is an error in every profile, RFC 9112 errata 7633). Each line is capped by
//! `Limits::max_chunk_line`, the extensions of a body by `Limits::max_chunk_extensions`. Trailers
//! are returned apart, never merged into the header section.

use bytes::{Buf, Bytes, BytesMut};

use crate::config::{Config, Limits};
use crate::error::{PeerError, PeerErrorKind as K};
use crate::request::fields::is_tchar;
use crate::request::head::Trailers;
use crate::request::parse::parse_trailers;
use crate::request::scan::find_lf;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Reading the hex digits of a chunk size (`digits`: at least one came).
    Size { digits: bool },
    /// After the digits, up to the CR: the chunk extensions.
    Ext(Ext),
    /// Saw CR after a chunk-size line, LF must follow.
    SizeLf,
    /// This many data bytes remain in the current chunk.
    Data(u64),
    /// CR after chunk data.
    DataCr,
    /// LF after chunk data.
    DataLf,
    /// The trailer section, scanned up to `scan` of the buffer.
    Trailers { scan: usize, line_start: usize },
    /// The last chunk and trailers were read.
    Done,
}

/// Where a chunk-size line stands after its digits, in RFC 9112 §7.1.1:
///
/// ```text
/// chunk-ext      = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )
/// chunk-ext-name = token
/// chunk-ext-val  = token / quoted-string
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ext {
    /// After the size, a name or a value: BWS then `;`, or `=` after a name, or (before any BWS)
    /// the CR that ends the line.
    Sep { after_name: bool, ws: bool },
    /// After `;`: BWS, then the first byte of a name.
    NameStart,
    /// Inside a name.
    Name,
    /// After `=`: BWS, then a token or a quoted-string.
    ValueStart,
    /// Inside a token value.
    Token,
    /// Inside a quoted-string (RFC 9110 §5.6.4).
    Quoted,
    /// After a backslash inside a quoted-string: the byte of a quoted-pair.
    Escape,
    /// `allow_malformed_chunk_extensions`: after `;`, any VCHAR, obs-text, SP or HTAB up to the CR.
    Skip,
}

/// What one decoding step produced.
#[derive(Debug, Clone, PartialEq)]
pub enum Decoded {
    /// Body bytes (never empty).
    Data(Bytes),
    /// The body ended; trailer fields if any were sent.
    End(Option<Trailers>),
}

/// Decodes one chunked body from a buffer that grows between calls.
#[derive(Debug, Clone)]
pub struct ChunkedDecoder {
    state: State,
    /// The size of the chunk whose size line is being read.
    size: u64,
    /// Bytes of the current chunk-size line so far, CRLF excluded.
    line: usize,
    /// Bytes of chunk extensions in this body so far.
    ext: usize,
    /// Sum of the chunk sizes so far.
    total: u64,
}

impl Default for ChunkedDecoder {
    fn default() -> Self {
        Self::new()
    }
}

impl ChunkedDecoder {
    /// A decoder at the start of a body.
    pub fn new() -> Self {
        ChunkedDecoder {
            state: State::Size { digits: false },
            size: 0,
            line: 0,
            ext: 0,
            total: 0,
        }
    }

    /// Decodes from the front of `buf`, consuming what it used. Returns `Ok(None)` when more input
    /// is needed (everything usable was consumed, or a partial trailer section stays buffered).
    pub fn decode(&mut self, buf: &mut BytesMut, cfg: &Config) -> Result<Option<Decoded>, PeerError> {
        let limits = &cfg.limits;
        let mut i = 0;
        loop {
            match self.state {
                State::Data(rem) => {
                    buf.advance(i);
                    if buf.is_empty() {
                        return Ok(None);
                    }
                    let take = rem.min(buf.len() as u64) as usize;
                    let left = rem - take as u64;
                    self.state = if left == 0 {
                        State::DataCr
                    } else {
                        State::Data(left)
                    };
                    return Ok(Some(Decoded::Data(buf.split_to(take).freeze())));
                }
                State::Trailers { .. } => {
                    buf.advance(i);
                    return self.trailers(buf, limits);
                }
                State::Done => {
                    buf.advance(i);
                    return Ok(None);
                }
                _ => {}
            }
            let Some(&b) = buf.get(i) else {
                buf.advance(i);
                return Ok(None);
            };
            i += 1;
            self.state = match self.state {
                State::Size { .. } | State::Ext(_) => self.line_byte(b, cfg)?,
                State::SizeLf => {
                    if b != b'\n' {
                        return Err(K::BadChunk.into());
                    }
                    let size = core::mem::take(&mut self.size);
                    self.line = 0;
                    if size == 0 {
                        State::Trailers {
                            scan: i,
                            line_start: i,
                        }
                    } else {
                        self.total = self
                            .total
                            .checked_add(size)
                            .ok_or(PeerError::from(K::BodyTooLarge))?;
                        if limits.max_body.is_some_and(|max| self.total > max) {
                            return Err(K::BodyTooLarge.into());
                        }
                        State::Data(size)
                    }
                }
                State::DataCr => {
                    if b != b'\r' {
                        return Err(K::BadChunk.into());
                    }
                    State::DataLf
                }
                State::DataLf => {
                    if b != b'\n' {
                        return Err(K::BadChunk.into());
                    }
                    State::Size { digits: false }
                }
                State::Data(_) | State::Trailers { .. } | State::Done => unreachable_state(),
            };
            if let State::Trailers { .. } = self.state {
                // Positions in the trailer state are relative to the buffer after advancing.
                buf.advance(i);
                i = 0;
                self.state = State::Trailers {
                    scan: 0,
                    line_start: 0,
                };
            }
        }
    }

    /// One byte of a chunk-size line. Every byte but the CR counts against `max_chunk_line`, and
    /// every one after the size digits against `max_chunk_extensions`, before it is read: the first
    /// byte past a limit is refused whatever it is (a byte that broke a rule earlier was refused
    /// as such).
    fn line_byte(&mut self, b: u8, cfg: &Config) -> Result<State, PeerError> {
        let limits = &cfg.limits;
        let (digit, in_ext) = match self.state {
            State::Size { digits } => {
                let d = hex_value(b);
                (d, digits && d.is_none())
            }
            _ => (None, true),
        };
        if b != b'\r' {
            self.line += 1;
            if self.line > limits.max_chunk_line {
                return Err(K::ChunkLineTooLong.into());
            }
            if in_ext {
                self.ext += 1;
                if self.ext > limits.max_chunk_extensions {
                    return Err(K::ChunkExtensionsTooLarge.into());
                }
            }
        }
        let skip = cfg.profile.allow_malformed_chunk_extensions;
        let next = match (self.state, digit) {
            (State::Size { .. }, Some(d)) => {
                self.size = self
                    .size
                    .checked_mul(16)
                    .and_then(|v| v.checked_add(u64::from(d)))
                    .ok_or(PeerError::from(K::ChunkSizeOverflow))?;
                Some(State::Size { digits: true })
            }
            (State::Size { digits: true }, None) => ext_byte(
                Ext::Sep {
                    after_name: false,
                    ws: false,
                },
                b,
                skip,
            ),
            (State::Ext(e), _) => ext_byte(e, b, skip),
            _ => None,
        };
        next.ok_or(K::BadChunk.into())
    }

    /// Scans the trailer section; it stays in `buf` until complete, then is parsed as field lines.
    fn trailers(&mut self, buf: &mut BytesMut, limits: &Limits) -> Result<Option<Decoded>, PeerError> {
        let State::Trailers {
            mut scan,
            mut line_start,
        } = self.state
        else {
            return Ok(None);
        };
        loop {
            let Some(off) = find_lf(&buf[scan..]) else {
                if buf.len() > limits.max_trailers + 2 {
                    return Err(K::TrailersTooLarge.into());
                }
                self.state = State::Trailers {
                    scan: buf.len(),
                    line_start,
                };
                return Ok(None);
            };
            let nl = scan + off;
            // The size first, as when the input stops before this LF: the same verdict however the
            // input is split.
            if nl + 1 > limits.max_trailers + 2 {
                return Err(K::TrailersTooLarge.into());
            }
            if nl == line_start || buf[nl - 1] != b'\r' {
                return Err(K::BadChunk.into());
            }
            if nl - 1 == line_start {
                // The empty line: the section is complete.
                let section = buf.split_to(nl + 1).freeze();
                self.state = State::Done;
                if section.len() == 2 {
                    return Ok(Some(Decoded::End(None)));
                }
                return Ok(Some(Decoded::End(Some(parse_trailers(section)?))));
            }
            line_start = nl + 1;
            scan = nl + 1;
        }
    }
}

fn unreachable_state() -> State {
    // Handled before the byte loop; kept total so no panic is reachable.
    State::Done
}

/// The state after byte `b` of the extensions, in state `e`; `None` when `b` breaks the grammar.
/// `skip`: `allow_malformed_chunk_extensions`, everything after the first `;` is skipped.
fn ext_byte(e: Ext, b: u8, skip: bool) -> Option<State> {
    let ws = b == b' ' || b == b'\t';
    let sep = Ext::Sep {
        after_name: false,
        ws: false,
    };
    let next = match e {
        Ext::Sep { after_name, ws: seen } => match b {
            b'\r' if !seen => return Some(State::SizeLf),
            b';' if skip => Ext::Skip,
            b';' => Ext::NameStart,
            b'=' if after_name => Ext::ValueStart,
            _ if ws => Ext::Sep { after_name, ws: true },
            _ => return None,
        },
        Ext::NameStart | Ext::ValueStart if ws => e,
        Ext::NameStart | Ext::Name if is_tchar(b) => Ext::Name,
        Ext::Name => {
            return ext_byte(
                Ext::Sep {
                    after_name: true,
                    ws: false,
                },
                b,
                skip,
            )
        }
        Ext::ValueStart if b == b'"' => Ext::Quoted,
        Ext::ValueStart | Ext::Token if is_tchar(b) => Ext::Token,
        Ext::Token => return ext_byte(sep, b, skip),
        Ext::Quoted if b == b'"' => sep,
        Ext::Quoted if b == b'\\' => Ext::Escape,
        // qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text
        Ext::Quoted if ws || (0x21..0x7f).contains(&b) || b >= 0x80 => Ext::Quoted,
        // quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text )
        Ext::Escape if ws || (0x21..0x7f).contains(&b) || b >= 0x80 => Ext::Quoted,
        Ext::Skip if b == b'\r' => return Some(State::SizeLf),
        Ext::Skip if ws || (0x21..0x7f).contains(&b) || b >= 0x80 => Ext::Skip,
        _ => return None,
    };
    Some(State::Ext(next))
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    /// Feeds `input` one byte at a time, the way a slow peer sends it; returns the data and how
    /// the body ended. Asserts that no byte of a chunk-size line stays buffered between calls: the
    /// decoder never goes back over a line.
    fn byte_by_byte(input: &[u8], cfg: &Config) -> (Vec<u8>, Result<bool, PeerError>) {
        let mut d = ChunkedDecoder::new();
        let mut buf = BytesMut::new();
        let mut data = Vec::new();
        for &b in input {
            buf.extend_from_slice(&[b]);
            loop {
                match d.decode(&mut buf, cfg) {
                    Ok(Some(Decoded::Data(bytes))) => data.extend_from_slice(&bytes),
                    Ok(Some(Decoded::End(_))) => return (data, Ok(true)),
                    Ok(None) => break,
                    Err(e) => return (data, Err(e)),
                }
            }
            if !matches!(d.state, State::Trailers { .. }) {
                assert!(buf.is_empty(), "{:?} kept {buf:?}", d.state);
            }
        }
        (data, Ok(false))
    }

    #[test]
    fn rfc9112_7_1_1_extension_bytes_are_read_once_as_they_arrive() {
        let mut line = b"5".to_vec();
        for _ in 0..200 {
            line.extend_from_slice(b" ; name = \"q;\\\"x\"");
        }
        let cfg = Config::default();
        let input = [&line[..], b"\r\nhello\r\n0;a=b\r\n\r\n"].concat();
        assert!(line.len() < cfg.limits.max_chunk_line);
        assert_eq!(byte_by_byte(&input, &cfg), (b"hello".to_vec(), Ok(true)));
        let mut lenient = cfg.clone();
        lenient.profile = crate::Profile::lenient();
        assert_eq!(byte_by_byte(&input, &lenient), (b"hello".to_vec(), Ok(true)));
    }

    #[test]
    fn rfc9112_7_1_limits_refuse_the_first_byte_past_them() {
        let mut cfg = Config::default();
        cfg.limits.max_chunk_line = 6;
        cfg.limits.max_chunk_extensions = 4;
        let kind = |input: &[u8], cfg: &Config| byte_by_byte(input, cfg).1.map_err(|e| e.kind());
        assert_eq!(kind(b"5;abc\r\nhello\r\n0\r\n\r\n", &cfg), Ok(true));
        // Past the line limit while the line is still open; a broken byte before it wins.
        assert_eq!(kind(b"00005;a", &cfg), Err(K::ChunkLineTooLong));
        assert_eq!(kind(b"0000x;a", &cfg), Err(K::BadChunk));
        // Extensions counted over the body: 4 here, the fifth byte is refused.
        assert_eq!(kind(b"1;abc\r\nx\r\n0;", &cfg), Err(K::ChunkExtensionsTooLarge));
        assert_eq!(kind(b"1;abc\r\nx\r\n0\r\n\r\n", &cfg), Ok(true));
    }
}
