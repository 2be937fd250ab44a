//! Runs one request check over a fresh connection and judges what came back.

use std::time::{Duration, Instant};

use crate::model::{family, Case, Expect, Level, Outcome, Severity, Verdict};
use crate::wire::{is_rejection, Delivery, ReadEnd, Response, Target};

/// The request sent after every request check in the same write: answered only when the server
/// read the check's request to its real end and kept the connection.
pub const CANARY: &[u8] = b"GET /?h1probe=canary HTTP/1.1\r\nHost: localhost\r\n\r\n";

/// What the server answered first.
#[derive(Debug)]
pub enum First {
    /// A final response.
    Resp(Response),
    /// An error instead of a response.
    End(ReadEnd),
}

/// What followed the first response.
#[derive(Debug)]
pub enum Second {
    /// A response (to the canary, or to bytes misread as a request).
    Resp(Response),
    /// An error or the end of the connection.
    End(ReadEnd),
}

/// Everything one request check saw.
#[derive(Debug)]
pub struct Exchange {
    /// The first answer.
    pub first: First,
    /// What followed it.
    pub second: Option<Second>,
    /// Bytes sent.
    pub sent: Vec<u8>,
    /// Bytes received.
    pub received: Vec<u8>,
}

/// Sends `bytes` + canary in `delivery` and reads up to two responses.
pub fn exchange(t: &Target, bytes: &[u8], delivery: Delivery) -> Result<Exchange, String> {
    let mut conn = t.connect().map_err(|e| format!("cannot connect: {e}"))?;
    let mut all = bytes.to_vec();
    all.extend_from_slice(CANARY);
    let gap = match delivery {
        Delivery::Whole => Duration::ZERO,
        Delivery::Split => t.ms(40),
        Delivery::Bytes => Duration::from_millis(1),
    };
    conn.send(&all, delivery, gap);
    let head = bytes.starts_with(b"HEAD ");
    let first = match conn.response(head, t.ms(2000)) {
        Ok(r) => First::Resp(r),
        Err(e) => First::End(e),
    };
    let second = match &first {
        First::Resp(_) => Some(match conn.response(false, t.ms(1000)) {
            Ok(r) => Second::Resp(r),
            Err(e) => Second::End(e),
        }),
        First::End(_) => None,
    };
    Ok(Exchange {
        first,
        second,
        sent: conn.sent.clone(),
        received: conn.received.clone(),
    })
}

/// Runs `case` in `delivery`.
pub fn run_case(t: &Target, case: &Case, delivery: Delivery) -> Outcome {
    let start = Instant::now();
    let bytes = case.req.bytes();
    let (verdict, detail, sent, received) = match exchange(t, &bytes, delivery) {
        Ok(x) => {
            let (v, d) = judge(
                case.expect,
                case.level,
                case.severity,
                &x.first,
                x.second.as_ref(),
            );
            (v, d, x.sent, x.received)
        }
        Err(e) => (Verdict::Fail, e, bytes, Vec::new()),
    };
    Outcome {
        id: format!("{}{}", case.id, delivery.suffix()),
        family: family(case.id).to_string(),
        section: case.section,
        level: case.level,
        severity: case.severity,
        title: case.title,
        verdict,
        detail,
        sent,
        received,
        millis: start.elapsed().as_millis(),
        timing: false,
    }
}

fn describe_end(e: &ReadEnd) -> String {
    match e {
        ReadEnd::Timeout => "no response before the deadline (the server waits for more input)".into(),
        ReadEnd::Closed => "connection closed without a response".into(),
        ReadEnd::Reset => "connection reset without a response".into(),
        ReadEnd::Malformed(why) => format!("malformed response: {why}"),
    }
}

/// The verdict on what the server did after its first response, when it should have read the
/// request to its end and either answered the canary or closed.
fn after_accept(second: Option<&Second>) -> Result<&'static str, String> {
    match second {
        Some(Second::Resp(r)) if !is_rejection(r.status) => Ok("canary answered"),
        Some(Second::Resp(r)) => Err(format!(
            "bytes after the request were read as another request (answered {}): the server framed the message differently",
            r.status
        )),
        Some(Second::End(ReadEnd::Closed | ReadEnd::Reset)) => Ok("closed after the response"),
        Some(Second::End(ReadEnd::Timeout)) => Err(
            "no answer to the request sent after it: the server is still reading the message (framing differs)".into(),
        ),
        Some(Second::End(ReadEnd::Malformed(w))) => Err(format!("malformed second response: {w}")),
        None => Ok(""),
    }
}

/// The verdict on what the server did after a refusal: close, or at least not go on reading.
fn after_reject(second: Option<&Second>, critical: bool) -> (Verdict, String) {
    match second {
        Some(Second::End(ReadEnd::Closed | ReadEnd::Reset)) | None => (Verdict::Pass, "closed".into()),
        Some(Second::End(ReadEnd::Timeout)) => (
            if critical { Verdict::Fail } else { Verdict::Warn },
            "connection left open after the refusal (RFC 9112 §6.3: close after a framing error)".into(),
        ),
        Some(Second::Resp(r)) => (
            if critical { Verdict::Fail } else { Verdict::Warn },
            format!(
                "went on reading after the refusal: answered {} to the bytes that followed",
                r.status
            ),
        ),
        Some(Second::End(ReadEnd::Malformed(w))) => (Verdict::Warn, format!("then malformed bytes: {w}")),
    }
}

/// Judges a request check's exchange.
pub fn judge(
    expect: Expect,
    level: Level,
    severity: Severity,
    first: &First,
    second: Option<&Second>,
) -> (Verdict, String) {
    let critical = severity == Severity::Critical;
    let bad = Verdict::violation_of(level, severity);
    let resp = match first {
        First::Resp(r) => r,
        First::End(e) => {
            return match (expect, e) {
                (Expect::LimitOrWait(_), ReadEnd::Timeout) => (
                    Verdict::Skip,
                    "the server waits for the body: no limit to check".into(),
                ),
                (Expect::Accept | Expect::PreferAccept | Expect::NotStatus(_), _) => (bad, describe_end(e)),
                (_, ReadEnd::Closed | ReadEnd::Reset) => (
                    Verdict::Warn,
                    format!("refused without a status: {}", describe_end(e)),
                ),
                (_, ReadEnd::Malformed(_)) => (bad, describe_end(e)),
                (_, ReadEnd::Timeout) => (bad, describe_end(e)),
            };
        }
    };
    let status = resp.status;
    if status == 411 && matches!(expect, Expect::Accept | Expect::PreferAccept) {
        return (
            Verdict::Skip,
            "411: the server takes no chunked request bodies".into(),
        );
    }
    let refused = is_rejection(status);
    // An early answer (404, 405, ...) to a request whose fault lies in its body, then a close:
    // the server never read the body, so it neither accepted nor reported the fault.
    if expect.malformed()
        && !refused
        && status >= 300
        && matches!(second, Some(Second::End(ReadEnd::Closed | ReadEnd::Reset)))
    {
        return (
            Verdict::Warn,
            format!("answered {status} before reading the body, then closed: the fault was not examined"),
        );
    }
    let accepted_verdict = |lax: Verdict| -> (Verdict, String) {
        match after_accept(second) {
            Ok(note) if lax == Verdict::Pass => (Verdict::Pass, format!("{status}; {note}")),
            Ok(note) => (
                lax,
                format!("accepted ({status}; {note}) where a refusal is the stricter reading"),
            ),
            Err(why) => (
                if critical { Verdict::Fail } else { bad },
                format!("{status}, but {why}"),
            ),
        }
    };
    let refused_verdict = |codes: &[u16], require_close: bool| -> (Verdict, String) {
        let (mut v, mut d) = if require_close {
            after_reject(second, critical)
        } else {
            (Verdict::Pass, String::new())
        };
        if !codes.contains(&status) {
            if v == Verdict::Pass {
                v = Verdict::Warn;
            }
            d = format!("refused with {status} (expected {codes:?}); {d}");
        } else {
            d = format!("{status}; {d}");
        }
        (v, d)
    };
    match expect {
        Expect::Accept => {
            if refused {
                (bad, format!("refused a valid request with {status}"))
            } else {
                accepted_verdict(Verdict::Pass)
            }
        }
        Expect::PreferAccept => {
            if refused {
                (
                    Verdict::Warn,
                    format!("refused with {status}; the RFC asks servers to accept this"),
                )
            } else {
                accepted_verdict(Verdict::Pass)
            }
        }
        Expect::NotStatus(s) => {
            if status == s {
                (bad, format!("answered {status}"))
            } else {
                (Verdict::Pass, format!("{status}"))
            }
        }
        Expect::Reject(codes) => {
            if refused {
                refused_verdict(codes, true)
            } else {
                match after_accept(second) {
                    Ok(_) => (
                        bad,
                        format!("accepted with {status}; expected {codes:?} and close"),
                    ),
                    Err(why) => (
                        if critical { Verdict::Fail } else { bad },
                        format!("accepted with {status}, and {why}"),
                    ),
                }
            }
        }
        Expect::Refuse(codes) => {
            if refused || codes.contains(&status) {
                refused_verdict(codes, false)
            } else {
                (bad, format!("answered {status}; expected one of {codes:?}"))
            }
        }
        Expect::PreferReject(codes) => {
            if refused {
                refused_verdict(codes, true)
            } else {
                accepted_verdict(Verdict::Warn)
            }
        }
        Expect::RejectElseClose(codes) => {
            if refused {
                refused_verdict(codes, true)
            } else {
                match second {
                    Some(Second::End(ReadEnd::Closed | ReadEnd::Reset)) => (
                        Verdict::Warn,
                        format!("accepted ({status}) and closed after: allowed, a refusal is safer"),
                    ),
                    Some(Second::Resp(r)) => (
                        Verdict::Fail,
                        format!(
                            "accepted ({status}) and kept the connection: answered {} next",
                            r.status
                        ),
                    ),
                    _ => (
                        Verdict::Fail,
                        format!("accepted ({status}) and kept the connection open after ambiguous framing"),
                    ),
                }
            }
        }
        Expect::LimitOrWait(codes) => {
            if status == 408 {
                (
                    Verdict::Skip,
                    "the server waited for the body until its read timeout (408): no limit to check".into(),
                )
            } else if codes.contains(&status) {
                (Verdict::Pass, format!("{status}"))
            } else if refused {
                (
                    Verdict::Warn,
                    format!("refused with {status} (expected {codes:?})"),
                )
            } else {
                (
                    bad,
                    format!("answered {status} to a request whose body never came"),
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::parse_head;

    fn resp(status: u16) -> Response {
        let raw = format!("HTTP/1.1 {status} X\r\nContent-Length: 0\r\n\r\n");
        parse_head(raw.as_bytes()).unwrap().unwrap().0
    }

    #[test]
    fn reject_then_close_passes_and_desync_fails() {
        let e = Expect::Reject(&[400]);
        let first = First::Resp(resp(400));
        let closed = Second::End(ReadEnd::Closed);
        assert_eq!(
            judge(e, Level::Must, Severity::Critical, &first, Some(&closed)).0,
            Verdict::Pass
        );
        let next = Second::Resp(resp(200));
        assert_eq!(
            judge(e, Level::Must, Severity::Critical, &first, Some(&next)).0,
            Verdict::Fail
        );
        assert_eq!(
            judge(e, Level::Must, Severity::Low, &first, Some(&next)).0,
            Verdict::Warn
        );
        let ok = First::Resp(resp(200));
        assert_eq!(
            judge(e, Level::Must, Severity::Low, &ok, Some(&next)).0,
            Verdict::Fail
        );
        assert_eq!(
            judge(e, Level::Should, Severity::Low, &ok, Some(&next)).0,
            Verdict::Warn
        );
        let other = First::Resp(resp(501));
        assert_eq!(
            judge(e, Level::Must, Severity::Critical, &other, Some(&closed)).0,
            Verdict::Warn
        );
    }

    #[test]
    fn accept_needs_the_canary_or_a_close() {
        let ok = First::Resp(resp(200));
        let e = Expect::Accept;
        assert_eq!(
            judge(
                e,
                Level::Must,
                Severity::Critical,
                &ok,
                Some(&Second::Resp(resp(200)))
            )
            .0,
            Verdict::Pass
        );
        assert_eq!(
            judge(
                e,
                Level::Must,
                Severity::Critical,
                &ok,
                Some(&Second::Resp(resp(400)))
            )
            .0,
            Verdict::Fail
        );
        assert_eq!(
            judge(
                e,
                Level::Must,
                Severity::Critical,
                &ok,
                Some(&Second::End(ReadEnd::Timeout))
            )
            .0,
            Verdict::Fail
        );
        assert_eq!(
            judge(
                e,
                Level::Must,
                Severity::Critical,
                &ok,
                Some(&Second::End(ReadEnd::Closed))
            )
            .0,
            Verdict::Pass
        );
        let e = Expect::RejectElseClose(&[400]);
        assert_eq!(
            judge(
                e,
                Level::Must,
                Severity::Critical,
                &ok,
                Some(&Second::End(ReadEnd::Closed))
            )
            .0,
            Verdict::Warn
        );
        assert_eq!(
            judge(
                e,
                Level::Must,
                Severity::Critical,
                &ok,
                Some(&Second::Resp(resp(200)))
            )
            .0,
            Verdict::Fail
        );
    }
}
