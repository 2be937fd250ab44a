//! Shared test harness: feed bytes to a `Connection` (whole, split at every byte boundary, or in
//! given pieces), answer each request, and record a transcript of what came out.

use core::time::Duration;
use h1conn::{BodyFraming, Config, Connection, Event, PeerErrorKind, Response, Version};

/// One line of a transcript.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Out {
    Req {
        method: String,
        target: String,
        version: Version,
        minor: u8,
        body: BodyFraming,
        headers: Vec<(String, Vec<u8>)>,
    },
    Data(Vec<u8>),
    End(Vec<(String, Vec<u8>)>),
    Err(PeerErrorKind),
}

impl Out {
    pub fn req_line(&self) -> Option<(&str, &str)> {
        match self {
            Out::Req { method, target, .. } => Some((method, target)),
            _ => None,
        }
    }
}

/// Drives one connection over `pieces`, answering every complete request with an empty 200.
/// Consecutive `Data` entries are merged so transcripts do not depend on how input was split.
pub fn run_pieces(pieces: &[&[u8]], cfg: &Config) -> (Vec<Out>, Vec<u8>) {
    let t = Duration::ZERO;
    let mut c = Connection::new(cfg.clone(), t);
    let mut outs: Vec<Out> = Vec::new();
    let mut wire = Vec::new();
    for p in pieces {
        let mut off = 0;
        let mut guard = 0;
        while off < p.len() {
            off += c.handle_input(&p[off..], t);
            drain(&mut c, &mut outs, &mut wire);
            guard += 1;
            assert!(guard < 1_000_000, "input not taken");
            if c.is_done() {
                break;
            }
        }
        drain(&mut c, &mut outs, &mut wire);
    }
    (outs, wire)
}

fn drain(c: &mut Connection, outs: &mut Vec<Out>, wire: &mut Vec<u8>) {
    let t = Duration::ZERO;
    while let Some(ev) = c.poll_event() {
        match ev {
            Event::Request(r) => {
                if r.expects_continue {
                    c.accept_body(t).unwrap();
                }
                let h = &r.head;
                outs.push(Out::Req {
                    method: h.method_str().to_string(),
                    target: String::from_utf8_lossy(h.target()).into_owned(),
                    version: h.version(),
                    minor: h.minor_version(),
                    body: r.framing,
                    headers: h
                        .headers()
                        .iter()
                        .map(|f| (f.name.to_string(), f.value.to_vec()))
                        .collect(),
                })
            }
            Event::Data(d) => match outs.last_mut() {
                Some(Out::Data(v)) => v.extend_from_slice(&d),
                _ => outs.push(Out::Data(d.to_vec())),
            },
            Event::End(tr) => {
                outs.push(Out::End(
                    tr.map(|t| {
                        t.fields()
                            .iter()
                            .map(|f| (f.name.to_string(), f.value.to_vec()))
                            .collect()
                    })
                    .unwrap_or_default(),
                ));
                c.send_full(&Response::new(200), b"", t).unwrap();
            }
            Event::Error(e) => outs.push(Out::Err(e.kind())),
            Event::Upgrade(_) => {}
        }
    }
    let n = c.transmit().len();
    wire.extend_from_slice(c.transmit());
    c.handle_written(n, t).unwrap();
}

/// Runs `input` whole, byte by byte, and split in two at every boundary; asserts every run gives
/// the same transcript and wire bytes, and returns them.
pub fn run_all_splits(input: &[u8], cfg: &Config) -> (Vec<Out>, Vec<u8>) {
    let whole = run_pieces(&[input], cfg);
    let bytes: Vec<&[u8]> = input.chunks(1).collect();
    let one_by_one = run_pieces(&bytes, cfg);
    assert_eq!(
        whole,
        one_by_one,
        "byte-by-byte differs for {:?}",
        input.escape_ascii().to_string()
    );
    for i in 1..input.len() {
        let (a, b) = input.split_at(i);
        let split = run_pieces(&[a, b], cfg);
        assert_eq!(
            whole,
            split,
            "split at {i} differs for {:?}",
            input.escape_ascii().to_string()
        );
    }
    whole
}

/// The status codes of every response on the wire, in order.
pub fn statuses(wire: &[u8]) -> Vec<u16> {
    let mut out = Vec::new();
    let mut rest = wire;
    loop {
        let mut headers = [httparse::EMPTY_HEADER; 32];
        let mut resp = httparse::Response::new(&mut headers);
        match resp.parse(rest) {
            Ok(httparse::Status::Complete(n)) => {
                let code = resp.code.unwrap();
                let len: usize = resp
                    .headers
                    .iter()
                    .find(|h| h.name.eq_ignore_ascii_case("content-length"))
                    .map(|h| std::str::from_utf8(h.value).unwrap().parse().unwrap())
                    .unwrap_or(0);
                out.push(code);
                rest = &rest[n + len..];
            }
            _ => return out,
        }
    }
}

/// Feeds the pieces to a default connection without answering, then the end of input; returns the
/// events (as text) and the bytes sent (escaped).
pub fn feed_then_eof(pieces: &[&[u8]]) -> (Vec<String>, String) {
    let t = Duration::ZERO;
    let mut c = Connection::new(Config::default(), t);
    let mut events = Vec::new();
    for p in pieces {
        c.handle_input(p, t);
        while let Some(e) = c.poll_event() {
            events.push(format!("{e:?}"));
        }
    }
    c.handle_eof(t);
    while let Some(e) = c.poll_event() {
        events.push(format!("{e:?}"));
    }
    (events, c.transmit().escape_ascii().to_string())
}
