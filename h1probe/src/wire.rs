//! Raw TCP: connecting, sending bytes in a chosen delivery, and reading responses as a client.

use std::io::{self, ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

/// How the bytes of a request are handed to the socket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// One write.
    Whole,
    /// Three writes, split at a sample of points (after the first byte, in the middle, before
    /// the last byte), with a pause between them.
    Split,
    /// One write per byte, with a pause between them.
    Bytes,
}

impl Delivery {
    /// The suffix this delivery adds to a check's ID (`""`, `"/split"`, `"/bytes"`).
    pub fn suffix(self) -> &'static str {
        match self {
            Delivery::Whole => "",
            Delivery::Split => "/split",
            Delivery::Bytes => "/bytes",
        }
    }

    /// The pieces `bytes` is written in.
    pub fn pieces(self, bytes: &[u8]) -> Vec<&[u8]> {
        match self {
            Delivery::Whole => vec![bytes],
            Delivery::Split => {
                let n = bytes.len();
                let mut cuts = vec![0, 1.min(n), n / 2, n.saturating_sub(1), n];
                cuts.sort_unstable();
                cuts.dedup();
                cuts.windows(2).map(|w| &bytes[w[0]..w[1]]).collect()
            }
            Delivery::Bytes => bytes.chunks(1).collect(),
        }
    }
}

/// Where the probe connects and how long it waits.
#[derive(Debug, Clone)]
pub struct Target {
    /// The server's address.
    pub addr: SocketAddr,
    /// Multiplies every wait and tolerance.
    pub scale: f64,
}

impl Target {
    /// `base` scaled by `--timeout-scale`.
    pub fn dur(&self, base: Duration) -> Duration {
        base.mul_f64(self.scale)
    }

    /// `ms` milliseconds scaled.
    pub fn ms(&self, ms: u64) -> Duration {
        self.dur(Duration::from_millis(ms))
    }

    /// A new connection.
    pub fn connect(&self) -> io::Result<Conn> {
        let stream = TcpStream::connect_timeout(&self.addr, self.ms(3000))?;
        stream.set_nodelay(true)?;
        Ok(Conn {
            stream,
            buf: Vec::new(),
            sent: Vec::new(),
            received: Vec::new(),
            eof: false,
            reset: false,
        })
    }
}

/// What a read found instead of a whole response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadEnd {
    /// Nothing complete arrived before the deadline.
    Timeout,
    /// The server closed (FIN) before a whole response.
    Closed,
    /// The connection was reset.
    Reset,
    /// What arrived is not an HTTP/1.x response (an HTTP/0.9 body, garbage).
    Malformed(String),
}

/// A response as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The final status.
    pub status: u16,
    /// The status line's version, e.g. `HTTP/1.1`.
    pub version: String,
    /// The reason phrase as sent.
    pub reason: Vec<u8>,
    /// Header fields, names as sent.
    pub headers: Vec<(String, Vec<u8>)>,
    /// The body, decoded from its framing.
    pub body: Vec<u8>,
    /// 1xx interim statuses received before the final one.
    pub interim: Vec<u16>,
    /// The body was chunked.
    pub chunked: bool,
    /// The body ended with the connection (no length, no chunks).
    pub close_delimited: bool,
}

impl Response {
    /// The values of every header named `name` (case-insensitive).
    pub fn all<'a>(&'a self, name: &str) -> impl Iterator<Item = &'a [u8]> + 'a {
        let name = name.to_string();
        self.headers
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(&name))
            .map(|(_, v)| v.as_slice())
    }

    /// The first value of `name`.
    pub fn header(&self, name: &str) -> Option<&[u8]> {
        self.all(name).next()
    }

    /// True when some `name` line lists `token` (case-insensitive).
    pub fn has_token(&self, name: &str, token: &str) -> bool {
        self.all(name).any(|v| {
            v.split(|&b| b == b',')
                .any(|m| m.trim_ascii().eq_ignore_ascii_case(token.as_bytes()))
        })
    }

    /// `Connection: close` is present.
    pub fn closes(&self) -> bool {
        self.has_token("connection", "close")
    }

    /// A parameter of the `Keep-Alive` header, e.g. `timeout` or `max`.
    pub fn keep_alive_param(&self, param: &str) -> Option<u64> {
        let v = self.header("keep-alive")?;
        let v = std::str::from_utf8(v).ok()?;
        v.split(',').find_map(|p| {
            let (k, val) = p.split_once('=')?;
            if k.trim().eq_ignore_ascii_case(param) {
                val.trim().trim_matches('"').parse().ok()
            } else {
                None
            }
        })
    }
}

/// The status classes h1probe reads as "the server refused the request as sent".
pub fn is_rejection(status: u16) -> bool {
    matches!(status, 400 | 408 | 411 | 413 | 414 | 417 | 431) || status >= 500
}

/// One client connection, with everything sent and received kept for the report.
#[derive(Debug)]
pub struct Conn {
    stream: TcpStream,
    buf: Vec<u8>,
    /// Every byte written.
    pub sent: Vec<u8>,
    /// Every byte read.
    pub received: Vec<u8>,
    eof: bool,
    reset: bool,
}

/// What the connection did after the probe stopped expecting responses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterState {
    /// The server closed (FIN).
    Closed,
    /// The server reset the connection.
    Reset,
    /// Still open at the deadline.
    Open,
    /// More bytes arrived.
    Data,
}

impl Conn {
    /// Writes `bytes` in the pieces `delivery` makes, pausing `gap` between pieces. A write
    /// error (the server closed early) ends the writing quietly: what it answered is still read.
    pub fn send(&mut self, bytes: &[u8], delivery: Delivery, gap: Duration) -> bool {
        let pieces = delivery.pieces(bytes);
        let n = pieces.len();
        for (i, p) in pieces.into_iter().enumerate() {
            if self.stream.write_all(p).is_err() {
                return false;
            }
            self.sent.extend_from_slice(p);
            if i + 1 < n && !gap.is_zero() {
                thread::sleep(gap);
            }
        }
        true
    }

    /// Writes `bytes` at once.
    pub fn write(&mut self, bytes: &[u8]) -> bool {
        self.send(bytes, Delivery::Whole, Duration::ZERO)
    }

    /// Another handle on the socket, for writing from another thread.
    pub fn try_clone_stream(&self) -> io::Result<TcpStream> {
        self.stream.try_clone()
    }

    /// Shuts down the writing half (a half-close).
    pub fn shutdown_write(&mut self) {
        let _ = self.stream.shutdown(Shutdown::Write);
    }

    /// Bytes read but not yet taken by a response.
    pub fn pending(&self) -> &[u8] {
        &self.buf
    }

    /// Reads more bytes, waiting until `deadline`. Returns false when nothing more can come
    /// (EOF, reset or the deadline).
    fn fill(&mut self, deadline: Instant) -> bool {
        if self.eof || self.reset {
            return false;
        }
        let now = Instant::now();
        if now >= deadline {
            return false;
        }
        let wait = (deadline - now).max(Duration::from_millis(1));
        let _ = self.stream.set_read_timeout(Some(wait));
        let mut tmp = [0u8; 16 * 1024];
        match self.stream.read(&mut tmp) {
            Ok(0) => {
                self.eof = true;
                false
            }
            Ok(n) => {
                self.buf.extend_from_slice(&tmp[..n]);
                self.received.extend_from_slice(&tmp[..n]);
                true
            }
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => false,
            Err(e) if e.kind() == ErrorKind::Interrupted => true,
            Err(_) => {
                self.reset = true;
                false
            }
        }
    }

    fn end(&self) -> ReadEnd {
        if self.reset {
            ReadEnd::Reset
        } else if self.eof {
            ReadEnd::Closed
        } else {
            ReadEnd::Timeout
        }
    }

    /// Reads one final response (and the 1xx before it) within `timeout`. `head` says the
    /// request was HEAD (no body follows).
    pub fn response(&mut self, head: bool, timeout: Duration) -> Result<Response, ReadEnd> {
        let deadline = Instant::now() + timeout;
        let mut interim = Vec::new();
        loop {
            let (mut r, head_len) = loop {
                match parse_head(&self.buf) {
                    Ok(Some(x)) => break x,
                    Ok(None) => {
                        if !self.fill(deadline) {
                            if self.eof && !self.buf.is_empty() {
                                return Err(ReadEnd::Malformed(format!(
                                    "connection closed inside a response head ({} bytes)",
                                    self.buf.len()
                                )));
                            }
                            return Err(self.end());
                        }
                    }
                    Err(why) => return Err(ReadEnd::Malformed(why)),
                }
            };
            self.buf.drain(..head_len);
            if (100..200).contains(&r.status) && r.status != 101 {
                interim.push(r.status);
                continue;
            }
            r.interim = interim;
            let te = r.has_token("transfer-encoding", "chunked");
            let cl = r
                .header("content-length")
                .and_then(|v| std::str::from_utf8(v).ok())
                .and_then(|v| v.trim().parse::<usize>().ok());
            if head || r.status == 204 || r.status == 304 || r.status == 101 {
                return Ok(r);
            }
            if te {
                r.chunked = true;
                loop {
                    match parse_chunked(&self.buf) {
                        Ok(Some((body, used))) => {
                            r.body = body;
                            self.buf.drain(..used);
                            return Ok(r);
                        }
                        Ok(None) => {
                            if !self.fill(deadline) {
                                return Err(self.end_inside("chunked body"));
                            }
                        }
                        Err(why) => return Err(ReadEnd::Malformed(why)),
                    }
                }
            }
            if let Some(n) = cl {
                while self.buf.len() < n {
                    if !self.fill(deadline) {
                        return Err(self.end_inside("body"));
                    }
                }
                r.body = self.buf.drain(..n).collect();
                return Ok(r);
            }
            // Close-delimited.
            while self.fill(deadline) {}
            if !self.eof {
                return Err(self.end_inside("close-delimited body"));
            }
            r.close_delimited = true;
            r.body = std::mem::take(&mut self.buf);
            return Ok(r);
        }
    }

    fn end_inside(&self, what: &str) -> ReadEnd {
        match self.end() {
            ReadEnd::Timeout => ReadEnd::Timeout,
            ReadEnd::Reset => ReadEnd::Reset,
            _ => ReadEnd::Malformed(format!("connection closed inside the {what}")),
        }
    }

    /// Waits up to `timeout` for the server to close; says what happened.
    pub fn after(&mut self, timeout: Duration) -> AfterState {
        if !self.buf.is_empty() {
            return AfterState::Data;
        }
        let deadline = Instant::now() + timeout;
        let before = self.buf.len();
        self.fill(deadline);
        if self.buf.len() > before {
            AfterState::Data
        } else if self.reset {
            AfterState::Reset
        } else if self.eof {
            AfterState::Closed
        } else {
            AfterState::Open
        }
    }

    /// Waits up to `timeout` for the server to end the connection, discarding any bytes; returns
    /// the time it took, or `None` if still open.
    pub fn wait_end(&mut self, timeout: Duration) -> Option<(Duration, AfterState)> {
        let start = Instant::now();
        let deadline = start + timeout;
        loop {
            if self.eof {
                return Some((start.elapsed(), AfterState::Closed));
            }
            if self.reset {
                return Some((start.elapsed(), AfterState::Reset));
            }
            if Instant::now() >= deadline {
                return None;
            }
            self.fill(deadline);
        }
    }

    /// True once the server has ended the connection (seen by a read).
    pub fn ended(&self) -> bool {
        self.eof || self.reset
    }
}

/// Parses a response head at the start of `buf`: `Ok(None)` when incomplete.
pub fn parse_head(buf: &[u8]) -> Result<Option<(Response, usize)>, String> {
    // A response must start with "HTTP/"; anything else (HTTP/0.9 bodies, garbage) is malformed
    // as soon as enough bytes are there to tell.
    let probe = &buf[..buf.len().min(5)];
    if !b"HTTP/".starts_with(probe) {
        return Err(format!(
            "not an HTTP/1.x response: {}",
            escape(&buf[..buf.len().min(40)])
        ));
    }
    let Some(end) = find(buf, b"\r\n\r\n") else {
        if buf.len() > 256 * 1024 {
            return Err("response head larger than 256 KiB".into());
        }
        return Ok(None);
    };
    let head = &buf[..end];
    let mut lines = head
        .split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l));
    let line = lines.next().unwrap_or_default();
    let bad = || format!("bad status line {}", escape(line));
    if line.len() < 12 || line[8] != b' ' {
        return Err(bad());
    }
    let version = String::from_utf8_lossy(&line[..8]).into_owned();
    let status = std::str::from_utf8(&line[9..12])
        .ok()
        .and_then(|s| s.parse::<u16>().ok())
        .ok_or_else(bad)?;
    let reason = if line.len() > 12 {
        if line[12] != b' ' {
            return Err(bad());
        }
        line[13..].to_vec()
    } else {
        Vec::new()
    };
    let mut headers = Vec::new();
    for l in lines {
        let Some(colon) = l.iter().position(|&b| b == b':') else {
            return Err(format!("bad response field line {}", escape(l)));
        };
        headers.push((
            String::from_utf8_lossy(&l[..colon]).into_owned(),
            l[colon + 1..].trim_ascii().to_vec(),
        ));
    }
    Ok(Some((
        Response {
            status,
            version,
            reason,
            headers,
            body: Vec::new(),
            interim: Vec::new(),
            chunked: false,
            close_delimited: false,
        },
        end + 4,
    )))
}

/// Decodes a chunked body at the start of `buf`: `Ok(None)` when incomplete.
pub fn parse_chunked(buf: &[u8]) -> Result<Option<(Vec<u8>, usize)>, String> {
    let mut pos = 0;
    let mut body = Vec::new();
    loop {
        let Some(eol) = find(&buf[pos..], b"\r\n") else {
            return Ok(None);
        };
        let line = &buf[pos..pos + eol];
        let digits = line.split(|&b| b == b';').next().unwrap_or_default().trim_ascii();
        let size = std::str::from_utf8(digits)
            .ok()
            .and_then(|d| usize::from_str_radix(d, 16).ok())
            .ok_or_else(|| format!("bad chunk-size line {}", escape(line)))?;
        pos += eol + 2;
        if size == 0 {
            // Trailer section up to the empty line.
            loop {
                let Some(eol) = find(&buf[pos..], b"\r\n") else {
                    return Ok(None);
                };
                pos += eol + 2;
                if eol == 0 {
                    return Ok(Some((body, pos)));
                }
            }
        }
        if buf.len() < pos + size + 2 {
            return Ok(None);
        }
        body.extend_from_slice(&buf[pos..pos + size]);
        if &buf[pos + size..pos + size + 2] != b"\r\n" {
            return Err("chunk data not followed by CRLF".into());
        }
        pos += size + 2;
    }
}

/// The first position of `needle` in `hay`.
pub fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Bytes as printable ASCII, with `\r`, `\n`, `\t`, `\\` and `\xNN` escapes.
pub fn escape(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len());
    for &b in bytes {
        match b {
            b'\r' => s.push_str("\\r"),
            b'\n' => s.push_str("\\n"),
            b'\t' => s.push_str("\\t"),
            b'\\' => s.push_str("\\\\"),
            0x20..=0x7e => s.push(b as char),
            _ => s.push_str(&format!("\\x{b:02x}")),
        }
    }
    s
}

/// `escape`, cut to `max` characters with a note of what was left out.
pub fn escape_short(bytes: &[u8], max: usize) -> String {
    if bytes.len() <= max {
        escape(bytes)
    } else {
        format!("{}... ({} bytes)", escape(&bytes[..max]), bytes.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_heads_and_chunked_bodies() {
        let (r, n) = parse_head(b"HTTP/1.1 200 OK\r\nA: b\r\n\r\nxx").unwrap().unwrap();
        assert_eq!((r.status, n, r.header("a")), (200, 25, Some(&b"b"[..])));
        let (body, used) = parse_chunked(b"3;x=y\r\nabc\r\n0\r\nT: 1\r\n\r\nnext")
            .unwrap()
            .unwrap();
        assert_eq!((body.as_slice(), used), (&b"abc"[..], 23));
        assert_eq!(parse_chunked(b"3\r\nab").unwrap(), None);
        assert!(parse_head(b"<html>").is_err());
        assert_eq!(parse_head(b"HTT").unwrap(), None);
        assert!(parse_head(b"HTTP/1.1 200\r\n\r\n").unwrap().is_some());
    }

    #[test]
    fn deliveries_cover_every_byte() {
        let b = b"GET / HTTP/1.1\r\n\r\n";
        for d in [Delivery::Whole, Delivery::Split, Delivery::Bytes] {
            assert_eq!(d.pieces(b).concat(), b.to_vec());
        }
        assert_eq!(Delivery::Split.pieces(b).len(), 4);
    }
}
