//! Reading responses back from the wire with `httparse::Response`, checking their framing.

/// A response read back from the wire.
#[derive(Debug, Clone)]
pub struct WireResponse {
    /// Status code (0 for a head cut short by the end of the wire).
    pub status: u16,
    /// Header fields.
    pub headers: Vec<(String, Vec<u8>)>,
    /// Body bytes (chunked: decoded; close-delimited: the rest of the wire).
    pub body: Vec<u8>,
    /// The framing the head announced.
    pub framing: WireFraming,
    /// The response was cut short by the end of the wire.
    pub truncated: bool,
}

/// How a response on the wire was framed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WireFraming {
    /// No body by status or method.
    NoBody,
    /// Content-Length.
    Length,
    /// Transfer-Encoding: chunked.
    Chunked,
    /// Until the connection closes.
    UntilClose,
}

impl WireResponse {
    /// The first value of `name`.
    pub fn header(&self, name: &str) -> Option<&[u8]> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_slice())
    }

    /// How many lines named `name`.
    pub fn count(&self, name: &str) -> usize {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .count()
    }

    /// `Connection: close` is present.
    pub fn closes(&self) -> bool {
        self.header("connection").is_some_and(|v| {
            v.split(|&b| b == b',')
                .any(|m| m.trim_ascii().eq_ignore_ascii_case(b"close"))
        })
    }

    /// The `X-Req` tag of the request answered (see [`crate::driver::Answer`]), if any.
    pub fn req(&self) -> Option<usize> {
        std::str::from_utf8(self.header("x-req")?).ok()?.parse().ok()
    }
}

/// Reads every response on `wire`, which may end inside one (marked `truncated`; a head cut short
/// has status 0). `no_body(k, response)` says whether final response `k` carries no body by the
/// request method (HEAD, 2xx to CONNECT); 1xx, 204 and 304 never do. Reading stops after a 101.
///
/// Panics when the wire breaks a framing rule: a head that does not parse or is not HTTP/1.1, both
/// or repeated Content-Length / Transfer-Encoding, framing on a 1xx or 204, Transfer-Encoding on a
/// response without body, a bad chunk line, or a close-delimited body without `Connection: close`.
pub fn parse(wire: &[u8], no_body: &mut dyn FnMut(usize, &WireResponse) -> bool) -> Vec<WireResponse> {
    let mut out = Vec::new();
    let mut rest = wire;
    let mut finals = 0;
    while !rest.is_empty() {
        let mut hb = [httparse::EMPTY_HEADER; 64];
        let mut resp = httparse::Response::new(&mut hb);
        let n = match resp.parse(rest) {
            Ok(httparse::Status::Complete(n)) => n,
            Ok(httparse::Status::Partial) => {
                assert!(
                    b"HTTP/1.1 ".starts_with(&rest[..rest.len().min(9)]) || rest.starts_with(b"HTTP/1.1 ")
                );
                out.push(WireResponse {
                    status: 0,
                    headers: Vec::new(),
                    body: Vec::new(),
                    framing: WireFraming::NoBody,
                    truncated: true,
                });
                return out;
            }
            Err(e) => panic!(
                "response head does not parse ({e:?}): {:?}",
                rest.escape_ascii().to_string()
            ),
        };
        assert_eq!(resp.version, Some(1), "status line must be HTTP/1.1");
        let status = resp.code.expect("status");
        let mut r = WireResponse {
            status,
            headers: resp
                .headers
                .iter()
                .map(|h| (h.name.to_string(), h.value.to_vec()))
                .collect(),
            body: Vec::new(),
            framing: WireFraming::NoBody,
            truncated: false,
        };
        rest = &rest[n..];
        let (cl, te) = (r.count("content-length"), r.count("transfer-encoding"));
        assert!(
            !(cl > 0 && te > 0),
            "response with both Content-Length and Transfer-Encoding"
        );
        assert!(cl <= 1 && te <= 1, "repeated framing header in a response");
        let interim = (100..200).contains(&status);
        if interim || status == 204 {
            assert_eq!(cl + te, 0, "Content-Length or Transfer-Encoding on a {status}");
        }
        let bodiless = interim || status == 204 || status == 304 || no_body(finals, &r);
        finals += usize::from(!interim);
        if bodiless {
            assert_eq!(te, 0, "Transfer-Encoding on a response without body");
        } else if cl == 1 {
            let v = r.header("content-length").unwrap_or(b"");
            let len: usize = std::str::from_utf8(v)
                .unwrap()
                .parse()
                .expect("Content-Length digits");
            let take = len.min(rest.len());
            r.body = rest[..take].to_vec();
            r.truncated = take < len;
            rest = &rest[take..];
            r.framing = WireFraming::Length;
        } else if te == 1 {
            assert_eq!(r.header("transfer-encoding"), Some(&b"chunked"[..]));
            r.framing = WireFraming::Chunked;
            rest = read_chunks(rest, &mut r);
        } else {
            assert!(r.closes(), "close-delimited response without Connection: close");
            r.framing = WireFraming::UntilClose;
            r.body = rest.to_vec();
            rest = &[];
        }
        let switched = status == 101;
        out.push(r);
        if switched {
            break;
        }
    }
    out
}

/// Reads a chunked body (no trailers expected) into `r`; returns the rest of the wire.
fn read_chunks<'a>(mut rest: &'a [u8], r: &mut WireResponse) -> &'a [u8] {
    loop {
        let Some(lf) = rest.iter().position(|&b| b == b'\n') else {
            r.truncated = true;
            return &[];
        };
        let line = rest[..lf]
            .strip_suffix(b"\r")
            .expect("CRLF in response chunk line");
        let size = usize::from_str_radix(std::str::from_utf8(line).unwrap(), 16).expect("hex size");
        rest = &rest[lf + 1..];
        if size == 0 {
            return match rest.strip_prefix(b"\r\n") {
                Some(rest) => rest,
                None => {
                    r.truncated = true;
                    &[]
                }
            };
        }
        if rest.len() < size + 2 {
            r.truncated = true;
            return &[];
        }
        r.body.extend_from_slice(&rest[..size]);
        assert_eq!(&rest[size..size + 2], b"\r\n");
        rest = &rest[size + 2..];
    }
}

/// [`parse`] for a wire that must hold only whole responses.
pub fn read_responses(
    wire: &[u8],
    no_body: &mut dyn FnMut(usize, &WireResponse) -> bool,
) -> Vec<WireResponse> {
    let out = parse(wire, no_body);
    assert!(
        out.iter().all(|r| !r.truncated),
        "a response is cut short: {:?}",
        wire.escape_ascii().to_string()
    );
    out
}

/// The status codes of every response on the wire, in order; a response without Content-Length or
/// Transfer-Encoding is taken to have no body (a tunnel, a response to HEAD).
pub fn statuses(wire: &[u8]) -> Vec<u16> {
    let mut unframed = |_, r: &WireResponse| r.count("content-length") + r.count("transfer-encoding") == 0;
    parse(wire, &mut unframed).iter().map(|r| r.status).collect()
}
