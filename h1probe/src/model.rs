//! The vocabulary of the check table: requirement levels, severities, expectations, verdicts.

use std::fmt;

/// The requirement level of the rule a check enforces (RFC 2119 keywords).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// MUST / MUST NOT: a violation is a Fail.
    Must,
    /// SHOULD / SHOULD NOT (or RECOMMENDED), or the grammar with no stated level: a violation
    /// is a Warn, or a Fail when its severity is critical.
    Should,
    /// MAY, or a choice the RFC leaves open: the less strict outcome is a Warn.
    May,
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Level::Must => "MUST",
            Level::Should => "SHOULD",
            Level::May => "MAY",
        })
    }
}

/// How much harm a violation can do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Request smuggling or response desynchronization behind an intermediary.
    Critical,
    /// Resource exhaustion, cache or routing confusion, lost responses.
    High,
    /// Interoperability faults a client notices.
    Medium,
    /// Style and robustness.
    Low,
}

impl Severity {
    /// The weight of a check of this severity in the weighted score.
    pub fn weight(self) -> u32 {
        match self {
            Severity::Critical => 8,
            Severity::High => 4,
            Severity::Medium => 2,
            Severity::Low => 1,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Critical => "critical",
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
        })
    }
}

/// What a conforming server does with a request check's bytes (followed by a harmless "canary"
/// GET in the same write, which shows whether the server read the request's end where it should).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// Processed (any status but a refusal), and the canary answered or the connection closed
    /// cleanly after the response.
    Accept,
    /// Refused with one of these statuses (another 4xx/5xx: Warn), then the connection closed.
    Reject(&'static [u16]),
    /// Refused with one of these statuses; the connection may stay open.
    Refuse(&'static [u16]),
    /// The RFC allows both: a refusal (as `Reject`) passes, a clean acceptance is a Warn.
    PreferReject(&'static [u16]),
    /// The RFC allows both: a clean acceptance passes, a refusal is a Warn.
    PreferAccept,
    /// Refused (as `Reject`), or accepted and then closed (Warn); never accepted with the
    /// connection kept (ambiguous framing, RFC 9112 §6.1).
    RejectElseClose(&'static [u16]),
    /// One of these statuses, or the server waits for the body (no limit configured: Skip).
    LimitOrWait(&'static [u16]),
    /// Any response but this status.
    NotStatus(u16),
}

impl Expect {
    /// A short human description, for the docs table.
    pub fn describe(&self) -> String {
        let codes = |c: &[u16]| c.iter().map(|c| c.to_string()).collect::<Vec<_>>().join("/");
        match self {
            Expect::Accept => "accepted, next request answered".into(),
            Expect::Reject(c) => format!("{} and close", codes(c)),
            Expect::Refuse(c) => format!("refused ({})", codes(c)),
            Expect::PreferReject(c) => format!("{} and close (accepting: Warn)", codes(c)),
            Expect::PreferAccept => "accepted (refusing: Warn)".into(),
            Expect::RejectElseClose(c) => format!("{} and close, or accepted then closed (Warn)", codes(c)),
            Expect::LimitOrWait(c) => format!("{}, or waits for the body (Skip)", codes(c)),
            Expect::NotStatus(s) => format!("any status but {s}"),
        }
    }

    /// True for expectations where the request is malformed (a refusal is at least allowed).
    pub fn malformed(&self) -> bool {
        !matches!(self, Expect::Accept | Expect::PreferAccept | Expect::NotStatus(_))
    }
}

/// The bytes of a request check.
#[derive(Debug, Clone, Copy)]
pub enum Req {
    /// Literal bytes.
    Raw(&'static [u8]),
    /// Built at run time (large requests).
    Gen(fn() -> Vec<u8>),
}

impl Req {
    /// The bytes.
    pub fn bytes(&self) -> Vec<u8> {
        match self {
            Req::Raw(b) => b.to_vec(),
            Req::Gen(f) => f(),
        }
    }
}

/// A check that sends one request and judges the answer: one row of the check table.
#[derive(Debug, Clone, Copy)]
pub struct Case {
    /// Stable ID, e.g. `CL-004`.
    pub id: &'static str,
    /// The section enforced, e.g. `RFC 9112 §6.3`.
    pub section: &'static str,
    /// Requirement level.
    pub level: Level,
    /// Severity.
    pub severity: Severity,
    /// What is checked, in a few words.
    pub title: &'static str,
    /// The request.
    pub req: Req,
    /// The outcome a conforming server gives.
    pub expect: Expect,
}

/// A verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    /// The server did what the rule asks.
    Pass,
    /// The server broke a MUST.
    Fail,
    /// The server broke a SHOULD, or took the laxer of two allowed outcomes.
    Warn,
    /// Not applicable (capability absent, nothing to measure).
    Skip,
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Verdict::Pass => "PASS",
            Verdict::Fail => "FAIL",
            Verdict::Warn => "WARN",
            Verdict::Skip => "SKIP",
        })
    }
}

impl Verdict {
    /// The verdict for a broken rule of `level`.
    pub fn violation(level: Level) -> Verdict {
        Verdict::violation_of(level, Severity::Low)
    }

    /// The verdict for a broken rule of `level` and `severity`: a Fail for a MUST, and for any
    /// rule whose breach opens request smuggling or desync (critical); a Warn otherwise.
    pub fn violation_of(level: Level, severity: Severity) -> Verdict {
        if level == Level::Must || severity == Severity::Critical {
            Verdict::Fail
        } else {
            Verdict::Warn
        }
    }
}

/// The result of one check (one delivery of a request check, or one timing/state check).
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The check's ID with the delivery suffix.
    pub id: String,
    /// Family (the ID's prefix).
    pub family: String,
    /// The section.
    pub section: &'static str,
    /// Level.
    pub level: Level,
    /// Severity.
    pub severity: Severity,
    /// Title.
    pub title: &'static str,
    /// Verdict.
    pub verdict: Verdict,
    /// Why.
    pub detail: String,
    /// Bytes sent.
    pub sent: Vec<u8>,
    /// Bytes received.
    pub received: Vec<u8>,
    /// Wall time of the check.
    pub millis: u128,
    /// A timing or state check.
    pub timing: bool,
}

/// The family of an ID: the part before the dash.
pub fn family(id: &str) -> &str {
    id.split('-').next().unwrap_or(id)
}
