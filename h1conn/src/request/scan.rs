//! Finding the end of a request head incrementally: line by line, keeping the position between calls
//! so a peer that sends one byte at a time costs O(n) in total, and checking every size limit before
//! more bytes are buffered.

use crate::config::{Limits, Profile};
use crate::error::{PeerError, PeerErrorKind as K};
use crate::request::fields::is_tchar;

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
    /// How far the method of a partial request line was checked, so that each call looks only
    /// at the bytes that arrived since the last one.
    method: MethodCheck,
}

/// The early check of a partial request line's method ([`check_request_line_prefix`]), kept
/// between calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MethodCheck {
    /// The first `n` bytes of the line are tchar, with no SP among them.
    Checked(u32),
    /// A SP ended a valid method: nothing more to check until the line is complete.
    Ended,
}

impl Default for MethodCheck {
    fn default() -> Self {
        MethodCheck::Checked(0)
    }
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

    /// True before any byte of the next head was scanned.
    pub fn is_fresh(&self) -> bool {
        self.pos == 0
    }

    /// True when `len` (the buffer's length) holds no byte the scanner has not looked at.
    pub fn seen_all(&self, len: usize) -> bool {
        self.pos != 0 && self.pos == len
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
        match find_lf(&buf[self.pos..]) {
            // No line ended since the last call (a head trickling in): only the current line grew.
            None => self.grow_line(buf, limits).map(|()| Scan::Partial),
            Some(i) => self.lines(buf, limits, r, self.pos + i),
        }
    }

    /// [`scan`](Self::scan) for a buffer that grew by one byte since the last call: the line it
    /// ends, or the partial line it grew, without a search for line ends.
    #[inline]
    pub fn scan_byte(&mut self, buf: &mut [u8], limits: &Limits, r: &Profile) -> Result<Scan, PeerError> {
        debug_assert_eq!(self.pos + 1, buf.len(), "one byte since the last scan");
        match buf.last() {
            Some(b'\n') => self.lines(buf, limits, r, self.pos),
            _ => self.grow_line(buf, limits).map(|()| Scan::Partial),
        }
    }

    /// [`scan`](Self::scan) for a buffer whose bytes since the last call hold no LF: the current
    /// line grew, and is checked against its limits.
    pub fn grow_line(&mut self, buf: &[u8], limits: &Limits) -> Result<(), PeerError> {
        debug_assert!(find_lf(&buf[self.pos..]).is_none());
        self.pos = buf.len();
        self.check_partial(buf, limits)
    }

    /// How many more bytes without an LF the partial line ending at `len` can take with no limit
    /// check able to fail: 0 while the method of the request line is still being checked (each
    /// of its bytes is looked at). A trailing CR is counted here, which `check_partial` does not:
    /// the room is never more than the checks allow.
    pub fn room(&self, len: usize, limits: &Limits) -> usize {
        let line = len - self.line_start;
        if self.line_no == 0 {
            match self.method {
                MethodCheck::Ended => limits.max_request_line.saturating_sub(line),
                MethodCheck::Checked(_) => 0,
            }
        } else {
            let head = (head_break_at(limits) - 1).saturating_sub(len - self.start);
            limits.max_field_line.saturating_sub(line).min(head)
        }
    }

    /// True when the partial line in `buf` holds nothing but, at most, the CR of its terminator: a
    /// line end now makes it an empty line, which ends the head (or, before the request line, is
    /// skipped).
    pub fn line_is_blank(&self, buf: &[u8]) -> bool {
        matches!(buf.get(self.line_start..), Some([] | [b'\r']))
    }

    /// The partial line grew to `len` within its [`room`](Self::room): nothing to check.
    #[inline]
    pub fn grow_within(&mut self, len: usize) {
        self.pos = len;
    }

    /// Takes the lines that ended, the first at `nl`.
    #[inline(never)]
    fn lines(
        &mut self,
        buf: &mut [u8],
        limits: &Limits,
        r: &Profile,
        first: usize,
    ) -> Result<Scan, PeerError> {
        let mut found = Some(first);
        loop {
            if found.is_none() && self.pos == buf.len() {
                // The last line ended with the buffer: the next one is empty, and an empty
                // partial line breaks no limit (the line that ended fit in the head's).
                return Ok(Scan::Partial);
            }
            let nl = match found
                .take()
                .or_else(|| find_lf(&buf[self.pos..]).map(|i| self.pos + i))
            {
                Some(nl) => nl,
                None => return self.grow_line(buf, limits).map(|()| Scan::Partial),
            };
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
                    self.method = MethodCheck::default();
                } else {
                    // The same early checks as on a partial line, so the verdict does not depend on
                    // how the input was split.
                    if self.method != MethodCheck::Ended {
                        // A method that a SP ended was checked as it arrived.
                        check_request_line_prefix(&buf[ls..le], limits)?;
                    }
                    check_request_line_len(&buf[ls..le], limits)?;
                    self.line_no = 1;
                }
                self.prev_line_end = content_end;
                self.line_start = nl + 1;
                self.pos = nl + 1;
                self.check_head_len(nl + 1, limits)?;
                continue;
            } else if ls == le {
                // The limit counts the whole head, the final CRLF included.
                self.check_head_len(nl + 1, limits)?;
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
                if !self.line_fits(le, nl, false, limits) {
                    return Err(self.first_broken(buf, le, nl, false, limits));
                }
                self.line_no += 1;
                self.prev_line_end = content_end;
                self.line_start = nl + 1;
                self.pos = nl + 1;
                continue;
            } else {
                self.fields += 1;
                let too_many = self.fields as usize > limits.max_fields;
                if !self.line_fits(le, nl, too_many, limits) {
                    return Err(self.first_broken(buf, le, nl, too_many, limits));
                }
            }
            // `line_fits` checked the head's size with the line's.
            self.line_no += 1;
            self.prev_line_end = content_end;
            self.line_start = nl + 1;
            self.pos = nl + 1;
        }
    }

    fn check_head_len(&self, upto: usize, limits: &Limits) -> Result<(), PeerError> {
        if self.line_no > 0 && upto - self.start > limits.max_head {
            return Err(K::HeadTooLarge.into());
        }
        Ok(())
    }

    /// A field line (or an obs-fold continuation) ending at `nl`, its content ending at `le`,
    /// breaks no limit; `too_many`: it is one field line too many.
    #[inline(always)]
    fn line_fits(&self, le: usize, nl: usize, too_many: bool, limits: &Limits) -> bool {
        le - self.line_start <= limits.max_field_line && nl + 1 - self.start <= limits.max_head && !too_many
    }

    /// The limit a line that does not [fit](Self::line_fits) breaks first, as the checks of its
    /// partial prefixes meet them when it arrives a byte at a time
    /// ([`check_partial`](Self::check_partial)), and then the checks at its end: so the verdict
    /// does not depend on how the line was split. Positions count the head's bytes; at one
    /// position the checks run in the order listed.
    #[cold]
    #[inline(never)]
    fn first_broken(&self, buf: &[u8], le: usize, nl: usize, too_many: bool, limits: &Limits) -> PeerError {
        let lf_at = nl + 1 - self.start;
        let field = (le - self.line_start > limits.max_field_line)
            .then(|| (self.field_break_at(buf, limits), K::FieldTooLarge));
        let many = too_many.then_some((lf_at, K::TooManyFields));
        // A partial prefix breaks the head's limit at `head_break_at`, the whole line past `max_head`.
        let head = (lf_at > limits.max_head).then_some((lf_at.min(head_break_at(limits)), K::HeadTooLarge));
        let first = [field, many, head]
            .into_iter()
            .flatten()
            .reduce(|a, b| if b.0 < a.0 { b } else { a });
        let (_, kind) = first.expect("a line that does not fit breaks a limit");
        kind.into()
    }

    /// The head's byte count at which the checks of a partial line first find the current field
    /// line longer than `max_field_line`: its next content byte, unless that byte is a CR, which
    /// counts once the line goes on (a trailing CR may begin the terminator).
    fn field_break_at(&self, buf: &[u8], limits: &Limits) -> usize {
        let at = self.line_start + limits.max_field_line;
        at + 1 + usize::from(buf.get(at) == Some(&b'\r')) - self.start
    }

    fn check_partial(&mut self, buf: &[u8], limits: &Limits) -> Result<(), PeerError> {
        let line = &buf[self.line_start..];
        // A trailing CR may be the first half of the terminator.
        let len = line.len() - usize::from(line.last() == Some(&b'\r'));
        if self.line_no == 0 {
            self.method = check_method_from(self.method, &line[..len], limits)?;
            if len > limits.max_request_line {
                check_request_line_len(&line[..len], limits)?;
            }
            return Ok(());
        }
        // Both limits broken at once (a piece brought many bytes): the one the line crossed first.
        let field = len > limits.max_field_line;
        let head = buf.len() - self.start >= head_break_at(limits);
        match (field, head) {
            (true, true) if head_break_at(limits) < self.field_break_at(buf, limits) => {
                Err(K::HeadTooLarge.into())
            }
            (true, _) => Err(K::FieldTooLarge.into()),
            (false, true) => Err(K::HeadTooLarge.into()),
            (false, false) => Ok(()),
        }
    }
}

/// The head's byte count at which the checks of a partial field line find the head too large:
/// past `max_head + 1` bytes, which leaves room for the CR of a final CRLF whose LF has not come.
fn head_break_at(limits: &Limits) -> usize {
    limits.max_head + 2
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

/// [`check_request_line_prefix`] on a partial request line that has grown since the check that
/// left `done`: only the method bytes not yet looked at are checked, so a line that arrives a byte
/// at a time costs O(1) per call. The verdict is the one the whole check gives.
fn check_method_from(done: MethodCheck, line: &[u8], limits: &Limits) -> Result<MethodCheck, PeerError> {
    let MethodCheck::Checked(from) = done else {
        return Ok(done);
    };
    let window = &line[..line.len().min(limits.max_method + 1)];
    for &b in window.get(from as usize..).unwrap_or_default() {
        if b == b' ' {
            return Ok(MethodCheck::Ended);
        }
        if !is_tchar(b) {
            return Err(K::BadRequestLine.into());
        }
    }
    if window.len() > limits.max_method {
        return Err(K::MethodTooLong.into());
    }
    Ok(MethodCheck::Checked(window.len() as u32))
}

/// Early rejection of a request line before its end arrives: a method byte that is not a token, or
/// a method longer than any known.
pub(crate) fn check_request_line_prefix(line: &[u8], limits: &Limits) -> Result<(), PeerError> {
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

/// A request line (whole, or begun and without the CR that may start its CRLF) over
/// `max_request_line`: 414. Called after [`check_request_line_prefix`], which answers a method
/// over `max_method` first.
fn check_request_line_len(line: &[u8], limits: &Limits) -> Result<(), PeerError> {
    if line.len() > limits.max_request_line {
        return Err(K::UriTooLong.into());
    }
    Ok(())
}
#[cfg(test)]
mod tests {
    use super::*;

    /// `max_head` counts the whole head, request line through the final CRLF: a head of exactly the
    /// limit is taken, one byte more is 431 (RFC 9110 §15.5.20).
    #[test]
    fn max_head_counts_the_final_crlf() {
        let limits = Limits {
            max_head: 64,
            ..Limits::default()
        };
        let line = b"GET / HTTP/1.1\r\nHost: a\r\n";
        for (total, ok) in [(64, true), (65, false)] {
            let mut head = line.to_vec();
            let filler = total - head.len() - "X: \r\n\r\n".len();
            head.extend_from_slice(b"X: ");
            head.extend(core::iter::repeat_n(b'x', filler));
            head.extend_from_slice(b"\r\n\r\n");
            assert_eq!(head.len(), total);
            let got = HeadScanner::default().scan(&mut head, &limits, &Profile::strict());
            match got {
                Ok(Scan::Complete { end, .. }) => assert!(ok && end == total),
                Err(e) => assert!(!ok && e.kind() == K::HeadTooLarge, "{e:?}"),
                other => panic!("{other:?}"),
            }
        }
    }

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

    /// RFC 9112 §3: the early method check of a partial request line, kept between calls, gives at
    /// every length the verdict of the whole check on the line so far, however the line is split:
    /// valid methods, a bad byte at each position, a method one byte too long, a SP at the edge of
    /// the window, an empty method, a CR inside.
    #[test]
    fn rfc9112_3_incremental_method_check_matches_the_whole_check() {
        let limits = Limits {
            max_method: 7,
            ..Limits::default()
        };
        let mut lines: alloc::vec::Vec<alloc::vec::Vec<u8>> = [
            &b"GET / HTTP/1.1"[..],
            b"OPTIONS * HTTP/1.1",
            b"OPTIONSX / HTTP/1.1",
            b" / HTTP/1.1",
            b"GE\rT / HTTP/1.1",
            b"PATCH\t/ HTTP/1.1",
        ]
        .iter()
        .map(|l| l.to_vec())
        .collect();
        for at in 0..8 {
            let mut l = b"ABCDEFG / HTTP/1.1".to_vec();
            l[at] = b'@';
            lines.push(l);
        }
        for line in &lines {
            for step in 1..4 {
                let mut done = MethodCheck::default();
                let mut end = 0;
                while end < line.len() {
                    end = (end + step).min(line.len());
                    let whole = check_request_line_prefix(&line[..end], &limits);
                    let incremental = check_method_from(done, &line[..end], &limits);
                    assert_eq!(whole, incremental.map(|_| ()), "{:?} at {end}", line);
                    match incremental {
                        Ok(d) => done = d,
                        Err(_) => break,
                    }
                }
            }
        }
    }

    /// RFC 9112 §2.2, §3, §5: a head trickled one byte at a time gets the same scan, byte for
    /// byte, from [`HeadScanner::scan_byte`] as from [`HeadScanner::scan`]: valid heads (with
    /// empty lines before the request line), and heads that break a rule or a limit at a line
    /// end (bare LF, whitespace after the request line, obs-fold, a field line and a head too
    /// long, too many fields, a request line too long) or inside a line (a bad method byte, a
    /// method too long), in the strict and the lenient profile.
    #[test]
    fn rfc9112_2_scanning_a_byte_agrees_with_scanning_the_buffer() {
        let limits = Limits {
            max_method: 7,
            max_request_line: 40,
            max_field_line: 24,
            max_fields: 3,
            max_head: 90,
            ..Limits::default()
        };
        let heads: [&[u8]; 14] = [
            b"GET / HTTP/1.1\r\nHost: a\r\n\r\n",
            b"\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n\r\n",
            b"GET / HTTP/1.1\nHost: a\n\n",
            b"GET / HTTP/1.1\r\n Host: a\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: a\r\n b\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: aaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n",
            b"GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n",
            b"GET / HTTP/1.1\r\nA: 11111111111111\r\nB: 22222222222222\r\nC: 333333333333333\r\n\r\n",
            b"GET /aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa HTTP/1.1\r\n\r\n",
            b"G@T / HTTP/1.1\r\n\r\n",
            b"OPTIONSX / HTTP/1.1\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: a\x01b\r\n\r\n",
            b"\nGET / HTTP/1.1\r\n\r\n",
        ];
        for profile in [Profile::strict(), Profile::lenient()] {
            for head in heads {
                let (mut a, mut b) = (HeadScanner::default(), HeadScanner::default());
                let (mut buf_a, mut buf_b) = (alloc::vec::Vec::new(), alloc::vec::Vec::new());
                for &byte in head {
                    buf_a.push(byte);
                    buf_b.push(byte);
                    let whole = a.scan(&mut buf_a, &limits, &profile);
                    let one = b.scan_byte(&mut buf_b, &limits, &profile);
                    let show = head.escape_ascii();
                    assert_eq!(whole, one, "{show} at {}", buf_a.len());
                    assert_eq!(buf_a, buf_b, "{show}: the bytes as rewritten");
                    match whole {
                        Ok(Scan::Partial) if a.skipped() > 0 => {
                            // As the connection does: drop the skipped empty lines.
                            let n = a.skipped();
                            buf_a.drain(..n);
                            buf_b.drain(..n);
                            a.rebase(n);
                            b.rebase(n);
                        }
                        Ok(Scan::Partial) => {}
                        _ => break,
                    }
                }
            }
        }
    }
}
