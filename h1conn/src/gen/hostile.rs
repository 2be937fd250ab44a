//! Request heads built from pieces biased to the spellings real servers got wrong.

use alloc::vec::Vec;

use arbitrary::{Arbitrary, Result, Unstructured};

use super::{field_line, request_line, some_bytes};

const HOSTILE_METHODS: &[&[u8]] = &[
    b"GET",
    b"HEAD",
    b"POST",
    b"PUT",
    b"OPTIONS",
    b"CONNECT",
    b"DELETE",
    b"get",
    b"G\x00T",
    b"GE T",
    b"PROPFIND",
    b"",
    b"XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
];
const HOSTILE_TARGETS: &[&[u8]] = &[
    b"/",
    b"/a?b=c",
    b"/%7e",
    b"http://example.com/p",
    b"HTTP://example.com",
    b"*",
    b"example.com:443",
    b"[::1]:443",
    b"//x",
    b"/\x80\xff",
    b"",
    b"/a b",
    b"/\x7f",
    b"urn:x",
    b"example.com",
    b"/a{b}|c",
    b"/?a[]=1",
    b"/%zz",
    b"/100%",
    b"/a#frag",
    b"http://[::1]:8080/p?q",
    b"http://[4712::abcd::]/",
    b"http://localhost:80:80/",
    b"http://",
    b"http://u@h/",
    b"ftp://u@/x",
    b"example.com:99999",
    b"[::1]:65535",
];
const HOSTILE_VERSIONS: &[&[u8]] = &[
    b"HTTP/1.1",
    b"HTTP/1.1",
    b"HTTP/1.0",
    b"HTTP/1.2",
    b"HTTP/1.9",
    b"HTTP/2.0",
    b"HTTP/0.9",
    b"http/1.1",
    b"HTTP/1.10",
    b"HTTP/1",
    b"HTTP/1.1 ",
    b"HTTP/ 1.1",
    b"",
    b"HTTP/11",
];
const NAMES: &[&[u8]] = &[
    b"Host",
    b"host",
    b"HOST",
    b"Content-Length",
    b"content-length",
    b"CONTENT-LENGTH",
    b"Transfer-Encoding",
    b"transfer-encoding",
    b"TRANSFER-encoding",
    b"Transfer_Encoding",
    b"Transfer-Encoding ",
    b"Content-Length\t",
    b"Connection",
    b"connection",
    b"CONNECTION",
    b"Expect",
    b"Upgrade",
    b"Keep-Alive",
    b"X-Custom",
    b"",
    b"X Y",
    b"X\x80",
];
const SEPARATORS: &[&[u8]] = &[b":", b": ", b": ", b":\t", b":  \t", b" :"];
const CL_VALUES: &[&[u8]] = &[
    b"0",
    b"5",
    b"12",
    b"007",
    b"+5",
    b"-1",
    b"0x5",
    b"5 5",
    b"5,5",
    b"5, 5",
    b"5,6",
    b"5,",
    b",5",
    b"",
    b" ",
    b"18446744073709551615",
    b"18446744073709551616",
    b"99999999999999999999999",
    b"1_0",
    b"5\x0b",
    b"\xa05",
    b"1e3",
    b"5.0",
];
const TE_VALUES: &[&[u8]] = &[
    b"chunked",
    b"chunked",
    b"Chunked",
    b"CHUNKED",
    b"gzip, chunked",
    b"chunked, gzip",
    b"gzip",
    b"identity",
    b"chunked, chunked",
    b",chunked",
    b"chunked,",
    b", ,chunked",
    b"chunked;foo=bar",
    b"chunked ;q=1",
    b"gzip;q=1, chunked",
    b"gzip;=, chunked",
    b"",
    b" ",
    b",",
    b"x-chunked",
    b"chunk",
    b"chunked\x0b",
    b"\xa0chunked",
    b"chunked, identity",
    b"\"chunked\"",
    b"cHuNkEd",
];
const CONN_VALUES: &[&[u8]] = &[
    b"close",
    b"Close",
    b"CLOSE",
    b"keep-alive",
    b"Keep-Alive",
    b"KEEP-ALIVE",
    b"keep-alive, close",
    b"close, keep-alive",
    b"foo, close",
    b"closed",
    b"close;x",
    b", close ,",
    b"keep-alive,,",
    b"upgrade",
    b"TE, keep-alive",
    b"",
];
const HOST_VALUES: &[&[u8]] = &[
    b"example.com",
    b"example.com:80",
    b"example.com:",
    b"EXAMPLE.com",
    b"[::1]",
    b"[::1]:8080",
    b"[2001:db8::7]",
    b"[zz]",
    b"[::1",
    b"",
    b"a b",
    b"x@y",
    b"example.com:8o",
    b"%41",
    b"%4",
    b"ex%2ample",
    b"192.168.0.1",
    b"a:1:2",
    b"[v1.x]",
];
const EXPECT_VALUES: &[&[u8]] = &[
    b"100-continue",
    b"100-Continue",
    b"fail",
    b"100-continue, foo",
    b"",
    b"200-ok",
];
const OTHER_VALUES: &[&[u8]] = &[
    b"x",
    b"a b",
    b"\tv\t",
    b"a\x01b",
    b"a\x7fb",
    b"a\x00b",
    b"v\x80\xff",
    b"a\rb",
    b"a\x0cb",
    b"\"q\"",
];

/// One field line of a [`HostileRequest`]: name, separator and value as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostileField {
    /// The name, possibly not a token or with whitespace before the colon.
    pub name: Vec<u8>,
    /// What separates name and value: `:` with optional whitespace around it.
    pub separator: Vec<u8>,
    /// The value, possibly with control bytes or odd whitespace; never an LF.
    pub value: Vec<u8>,
}

impl<'a> Arbitrary<'a> for HostileField {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let name = if u.ratio(1, 16)? {
            let raw: Vec<u8> = u.arbitrary()?;
            raw.into_iter()
                .filter(|&b| b != b'\n' && b != b':')
                .take(12)
                .collect()
        } else {
            u.choose(NAMES)?.to_vec()
        };
        let lower = name.to_ascii_lowercase();
        let table = match lower
            .strip_suffix(b" ")
            .or(lower.strip_suffix(b"\t"))
            .unwrap_or(&lower)
        {
            b"host" => HOST_VALUES,
            b"content-length" => CL_VALUES,
            b"transfer-encoding" | b"transfer_encoding" => TE_VALUES,
            b"connection" => CONN_VALUES,
            b"expect" => EXPECT_VALUES,
            _ => OTHER_VALUES,
        };
        let mut value = if u.ratio(1, 16)? {
            let raw: Vec<u8> = u.arbitrary()?;
            raw.into_iter().filter(|&b| b != b'\n').take(16).collect()
        } else {
            u.choose(table)?.to_vec()
        };
        if u.ratio(1, 8)? {
            // Odd whitespace around the value.
            let ws: &[u8] = u.choose(&[&b" "[..], b"\t", b"  ", b"\x0b", b"\x0c", b"\xa0"])?;
            if u.arbitrary()? {
                value.splice(0..0, ws.iter().copied());
            } else {
                value.extend_from_slice(ws);
            }
        }
        Ok(HostileField {
            name,
            separator: u.choose(SEPARATORS)?.to_vec(),
            value,
        })
    }
}

/// A request head built from pieces biased to hostile spellings, and a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostileRequest {
    /// Empty lines (CRLF) before the request line.
    pub leading_empty_lines: u8,
    /// The method.
    pub method: Vec<u8>,
    /// The request target.
    pub target: Vec<u8>,
    /// The version as sent.
    pub version: Vec<u8>,
    /// Field lines.
    pub fields: Vec<HostileField>,
    /// A field line that starts with whitespace (obs-fold, or whitespace after the request line
    /// when it comes first) is inserted before this field index.
    pub fold_at: Option<u8>,
    /// Bytes after the head.
    pub body: Vec<u8>,
}

impl<'a> Arbitrary<'a> for HostileRequest {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let leading_empty_lines = if u.ratio(1, 8)? { u.int_in_range(1..=2)? } else { 0 };
        let method = u.choose(HOSTILE_METHODS)?.to_vec();
        let target = u.choose(HOSTILE_TARGETS)?.to_vec();
        let version = u.choose(HOSTILE_VERSIONS)?.to_vec();
        let mut fields = Vec::new();
        // Most heads get a plain Host first, so the framing rules are reached.
        if u.ratio(3, 4)? {
            fields.push(HostileField {
                name: b"Host".to_vec(),
                separator: b": ".to_vec(),
                value: b"example.com".to_vec(),
            });
        }
        for _ in 0..u.int_in_range(0..=5)? {
            fields.push(u.arbitrary()?);
        }
        let fold_at = if u.ratio(1, 16)? {
            Some(u.int_in_range(0..=5)?)
        } else {
            None
        };
        let body = match u.int_in_range(0..=3)? {
            0 => Vec::new(),
            1 => b"0\r\n\r\n".to_vec(),
            2 => b"5\r\nhello\r\n0\r\n\r\n".to_vec(),
            _ => some_bytes(u, 16)?,
        };
        Ok(HostileRequest {
            leading_empty_lines,
            method,
            target,
            version,
            fields,
            fold_at,
            body,
        })
    }
}

impl HostileRequest {
    /// The head alone: request line, field lines, the empty line.
    pub fn head_bytes(&self) -> Vec<u8> {
        let mut out = b"\r\n".repeat(usize::from(self.leading_empty_lines));
        out.extend_from_slice(&request_line(&self.method, &self.target, &self.version));
        for (i, f) in self.fields.iter().enumerate() {
            if self.fold_at == Some(i as u8) {
                out.extend_from_slice(b" folded\r\n");
            }
            field_line(&mut out, &f.name, &f.separator, &f.value);
        }
        out.extend_from_slice(b"\r\n");
        out
    }

    /// The head and the body bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = self.head_bytes();
        out.extend_from_slice(&self.body);
        out
    }
}
