//! Incremental chunked decoder (RFC 9112 §7.1).
//!
//! Data comes out as slices of the read buffer (no copy). Chunk-size lines are strict: at least one
//! hex digit, overflow-guarded, extensions checked for stray control bytes and counted against a
//! total budget, CRLF required everywhere (a bare LF or CR is an error in every profile, RFC 9112
//! errata 7633). Trailers are returned apart, never merged into the header section.

use bytes::{Buf, Bytes, BytesMut};

use crate::config::Limits;
use crate::error::{PeerError, PeerErrorKind as K};
use crate::request::head::Trailers;
use crate::request::parse::parse_trailers;
use crate::request::scan::find_lf;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Reading hex digits of a chunk size.
    Size { digits: u32, value: u64 },
    /// After the digits: BWS, `;` and extensions until CR.
    Ext { size: u64, semi: bool, ws: bool },
    /// Saw CR after a chunk-size line, LF must follow.
    SizeLf { size: u64 },
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
    line_bytes: usize,
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
            state: State::Size { digits: 0, value: 0 },
            line_bytes: 0,
            total: 0,
        }
    }

    /// Decodes from the front of `buf`, consuming what it used. Returns `Ok(None)` when more input
    /// is needed (everything usable was consumed, or a partial trailer section stays buffered).
    pub fn decode(&mut self, buf: &mut BytesMut, limits: &Limits) -> Result<Option<Decoded>, PeerError> {
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
                State::Size { digits, value } => {
                    if let Some(d) = hex_value(b) {
                        self.count_line_byte(limits)?;
                        let value = value
                            .checked_mul(16)
                            .and_then(|v| v.checked_add(u64::from(d)))
                            .ok_or(PeerError::from(K::ChunkSizeOverflow))?;
                        State::Size {
                            digits: digits + 1,
                            value,
                        }
                    } else if digits == 0 {
                        return Err(K::BadChunk.into());
                    } else if b == b'\r' {
                        State::SizeLf { size: value }
                    } else if b == b';' || b == b' ' || b == b'\t' {
                        self.count_line_byte(limits)?;
                        State::Ext {
                            size: value,
                            semi: b == b';',
                            ws: b != b';',
                        }
                    } else {
                        return Err(K::BadChunk.into());
                    }
                }
                State::Ext { size, semi, ws } => {
                    if b == b'\r' {
                        if !semi {
                            // Whitespace after the size with no extension: not the grammar.
                            return Err(K::BadChunk.into());
                        }
                        State::SizeLf { size }
                    } else if b == b'\t' || (0x20..0x7f).contains(&b) || b >= 0x80 {
                        self.count_line_byte(limits)?;
                        if !semi && b != b';' && b != b' ' && b != b'\t' {
                            return Err(K::BadChunk.into());
                        }
                        State::Ext {
                            size,
                            semi: semi || b == b';',
                            ws,
                        }
                    } else {
                        // LF, NUL and other control bytes inside a chunk line.
                        return Err(K::BadChunk.into());
                    }
                }
                State::SizeLf { size } => {
                    if b != b'\n' {
                        return Err(K::BadChunk.into());
                    }
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
                    State::Size { digits: 0, value: 0 }
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

    fn count_line_byte(&mut self, limits: &Limits) -> Result<(), PeerError> {
        self.line_bytes += 1;
        if self.line_bytes > limits.max_chunk_lines {
            return Err(K::ChunkExtensionsTooLarge.into());
        }
        Ok(())
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
            if nl == line_start || buf[nl - 1] != b'\r' {
                return Err(K::BadChunk.into());
            }
            if nl + 1 > limits.max_trailers + 2 {
                return Err(K::TrailersTooLarge.into());
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

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}
