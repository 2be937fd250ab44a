//! Graceful drain, when the server offers a way to start one (`--drain-cmd`, e.g.
//! `kill -INT PID` for h1conn's `serve`, `kill -QUIT PID` for nginx): the probe sets up an idle
//! keep-alive connection and a request in flight, runs the command, and watches both. These run
//! last, after every other check, since the server goes away.

use std::process::Command;
use std::thread;
use std::time::Instant;

use crate::model::{Outcome, Verdict};
use crate::state::{Ctx, Dyn};
use crate::wire::AfterState;

/// IDs of the drain checks (in DYNS, where they are skipped unless `--drain-cmd` is given).
pub const IDS: [&str; 4] = ["DRAIN-001", "DRAIN-002", "DRAIN-003", "DRAIN-004"];

/// Runs the drain checks with `cmd` (through `sh -c`); returns their outcomes in `IDS` order.
pub fn run(ctx: &Ctx, cmd: &str, table: &[&'static Dyn]) -> Vec<Outcome> {
    let start = Instant::now();
    let t = &ctx.t;
    let fail =
        |d: &Dyn, why: String| d.outcome(Verdict::violation(d.level), why, Vec::new(), Vec::new(), start);
    let [d1, d2, d3, d4] = [table[0], table[1], table[2], table[3]];
    // An idle keep-alive connection, and a request whose body is half sent.
    let idle = t.connect().ok().and_then(|mut c| {
        c.write(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
        c.response(false, t.ms(3000)).ok().map(|_| c)
    });
    let busy = t.connect().ok().map(|mut c| {
        c.write(b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 10\r\n\r\nhello");
        c
    });
    thread::sleep(t.ms(200));
    let status = Command::new("sh").arg("-c").arg(cmd).status();
    if !status.as_ref().is_ok_and(|s| s.success()) {
        let why = format!("--drain-cmd {cmd:?} did not succeed: {status:?}");
        return vec![
            fail(d1, why.clone()),
            fail(d2, why.clone()),
            fail(d3, why.clone()),
            fail(d4, why),
        ];
    }
    let began = Instant::now();
    let mut out = Vec::new();
    // DRAIN-001: the request in flight completes, announcing the close.
    let mut busy_after = None;
    out.push(match busy {
        None => fail(d1, "cannot connect".into()),
        Some(mut c) => {
            thread::sleep(t.ms(100));
            c.write(b"world");
            let r = c.response(false, t.ms(5000));
            let (v, why) = match &r {
                Ok(r) if r.closes() => (Verdict::Pass, format!("{} with Connection: close", r.status)),
                Ok(r) => (
                    Verdict::violation(d1.level),
                    format!("{} without Connection: close during a drain", r.status),
                ),
                Err(e) => (
                    Verdict::violation(d1.level),
                    format!("request in flight lost: {e:?}"),
                ),
            };
            if r.is_ok() {
                busy_after = Some(c.after(t.ms(2000)));
            }
            d1.outcome(v, why, c.sent.clone(), c.received.clone(), start)
        }
    });
    // DRAIN-002: the connection of the request in flight then closes.
    out.push(match busy_after {
        Some(AfterState::Closed | AfterState::Reset) => d2.outcome(
            Verdict::Pass,
            "closed after its last response".into(),
            Vec::new(),
            Vec::new(),
            start,
        ),
        Some(s) => d2.outcome(
            Verdict::violation(d2.level),
            format!("after its last response: {s:?}"),
            Vec::new(),
            Vec::new(),
            start,
        ),
        None => d2.outcome(
            Verdict::Skip,
            "no response to the request in flight".into(),
            Vec::new(),
            Vec::new(),
            start,
        ),
    });
    // DRAIN-003: the idle connection is closed promptly (no request was waiting on it).
    out.push(match idle {
        None => fail(d3, "no idle keep-alive connection to watch".into()),
        Some(mut c) => {
            let left = t.ms(3000).saturating_sub(began.elapsed());
            match c.wait_end(left) {
                Some((_, AfterState::Reset)) => d3.outcome(
                    Verdict::Warn,
                    "idle connection reset, not closed".into(),
                    c.sent.clone(),
                    c.received.clone(),
                    start,
                ),
                Some(_) => d3.outcome(
                    Verdict::Pass,
                    format!(
                        "idle connection closed {:.2} s after the drain began",
                        began.elapsed().as_secs_f64()
                    ),
                    c.sent.clone(),
                    c.received.clone(),
                    start,
                ),
                None => d3.outcome(
                    Verdict::violation(d3.level),
                    "idle connection still open 3 s into the drain".into(),
                    c.sent.clone(),
                    c.received.clone(),
                    start,
                ),
            }
        }
    });
    // DRAIN-004: no new request is started once draining.
    thread::sleep(t.ms(300));
    out.push(match t.connect() {
        Err(e) => d4.outcome(
            Verdict::Pass,
            format!("new connection refused: {e}"),
            Vec::new(),
            Vec::new(),
            start,
        ),
        Ok(mut c) => {
            c.write(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
            match c.response(false, t.ms(2000)) {
                Ok(r) if r.closes() => d4.outcome(
                    Verdict::Warn,
                    format!(
                        "a new connection was served ({}, with Connection: close)",
                        r.status
                    ),
                    c.sent.clone(),
                    c.received.clone(),
                    start,
                ),
                Ok(r) => d4.outcome(
                    Verdict::violation(d4.level),
                    format!("a new connection was served ({}) and kept", r.status),
                    c.sent.clone(),
                    c.received.clone(),
                    start,
                ),
                Err(_) => d4.outcome(
                    Verdict::Pass,
                    "a new connection got no response".into(),
                    c.sent.clone(),
                    c.received.clone(),
                    start,
                ),
            }
        }
    });
    out
}

/// The placeholder run of a drain check in the ordinary table: skipped without `--drain-cmd`.
pub fn needs_cmd(_: &Ctx, _: crate::model::Level) -> Result<crate::state::Res, String> {
    Ok(crate::state::Res {
        verdict: Verdict::Skip,
        detail: "no --drain-cmd: the server offers no way to start a drain".into(),
        sent: Vec::new(),
        received: Vec::new(),
    })
}
