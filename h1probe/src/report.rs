//! Verdict counts, the score, and the three output formats: a readable table, JSON, JUnit XML.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::model::{Outcome, Verdict};
use crate::state::Caps;
use crate::wire::escape;

/// Counts of each verdict.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Passes.
    pub pass: usize,
    /// Failures.
    pub fail: usize,
    /// Warnings.
    pub warn: usize,
    /// Skips.
    pub skip: usize,
}

impl Counts {
    /// Counts the outcomes.
    pub fn of<'a>(outcomes: impl IntoIterator<Item = &'a Outcome>) -> Counts {
        let mut c = Counts::default();
        for o in outcomes {
            match o.verdict {
                Verdict::Pass => c.pass += 1,
                Verdict::Fail => c.fail += 1,
                Verdict::Warn => c.warn += 1,
                Verdict::Skip => c.skip += 1,
            }
        }
        c
    }

    /// Every check counted.
    pub fn total(&self) -> usize {
        self.pass + self.fail + self.warn + self.skip
    }
}

/// The score in percent: a Pass counts 1, a Warn 1/2, a Fail 0, each weighted by its check's
/// severity; skipped checks are left out.
pub fn score(outcomes: &[Outcome]) -> f64 {
    let (mut got, mut max) = (0.0, 0.0);
    for o in outcomes {
        let w = f64::from(o.severity.weight());
        match o.verdict {
            Verdict::Pass => got += w,
            Verdict::Warn => got += w / 2.0,
            Verdict::Fail => {}
            Verdict::Skip => continue,
        }
        max += w;
    }
    if max == 0.0 {
        100.0
    } else {
        100.0 * got / max
    }
}

/// Facts about the run that every format prints.
#[derive(Debug, Clone)]
pub struct RunInfo {
    /// `HOST:PORT`.
    pub target: String,
    /// `--quick`.
    pub quick: bool,
    /// Wall time in milliseconds.
    pub millis: u128,
    /// Capabilities detected.
    pub caps: Caps,
}

fn cut(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// The readable table: capabilities, every check, a summary by family, the score.
pub fn table(info: &RunInfo, outcomes: &[Outcome], verbose: bool) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "h1probe {} ({})",
        info.target,
        if info.quick { "quick" } else { "full" }
    );
    let _ = writeln!(s, "\ncapabilities (reported apart, not scored):");
    for (name, present, note) in info.caps.rows() {
        let _ = writeln!(s, "  [{}] {name:<30} {note}", if present { "x" } else { " " });
    }
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "{:<4}  {:<16} {:<6} {:<8} {:<17} {:<46} detail",
        "", "id", "level", "severity", "section", "check"
    );
    for o in outcomes {
        if !verbose && o.verdict == Verdict::Pass {
            continue;
        }
        let _ = writeln!(
            s,
            "{:<4}  {:<16} {:<6} {:<8} {:<17} {:<46} {}",
            o.verdict.to_string(),
            o.id,
            o.level.to_string(),
            o.severity.to_string(),
            o.section,
            cut(o.title, 46),
            cut(&o.detail, 100)
        );
    }
    if !verbose {
        let _ = writeln!(s, "(passing checks hidden; --verbose lists them)");
    }
    let mut by_family: BTreeMap<&str, Vec<&Outcome>> = BTreeMap::new();
    for o in outcomes {
        by_family.entry(o.family.as_str()).or_default().push(o);
    }
    let _ = writeln!(
        s,
        "\n{:<6} {:>5} {:>5} {:>5} {:>5} {:>5}",
        "family", "pass", "fail", "warn", "skip", "all"
    );
    for (f, os) in &by_family {
        let c = Counts::of(os.iter().copied());
        let _ = writeln!(
            s,
            "{f:<6} {:>5} {:>5} {:>5} {:>5} {:>5}",
            c.pass,
            c.fail,
            c.warn,
            c.skip,
            c.total()
        );
    }
    let c = Counts::of(outcomes);
    let timing = outcomes.iter().filter(|o| o.timing).count();
    let _ = writeln!(
        s,
        "\n{} checks ({timing} timing/state): {} pass, {} fail, {} warn, {} skip; score {:.1}% in {:.1} s",
        c.total(),
        c.pass,
        c.fail,
        c.warn,
        c.skip,
        score(outcomes),
        info.millis as f64 / 1000.0
    );
    s
}

/// A JSON string literal.
pub fn json_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Raw bytes as a JSON string: bytes kept as Latin-1 code points (U+0000..U+00FF, one per byte),
/// so any byte string round-trips.
pub fn json_bytes(b: &[u8]) -> String {
    let s: String = b.iter().map(|&b| b as char).collect();
    json_str(&s)
}

/// The JSON report: run facts, capabilities, counts, score, and every check with its raw request
/// and response bytes (each byte one code point U+0000..U+00FF, so any bytes round-trip).
pub fn json(info: &RunInfo, outcomes: &[Outcome]) -> String {
    let c = Counts::of(outcomes);
    let mut s = String::from("{\n");
    let _ = writeln!(s, "  \"target\": {},", json_str(&info.target));
    let _ = writeln!(s, "  \"quick\": {},", info.quick);
    let _ = writeln!(s, "  \"duration_ms\": {},", info.millis);
    let _ = writeln!(s, "  \"score\": {:.2},", score(outcomes));
    let _ = writeln!(
        s,
        "  \"counts\": {{\"pass\": {}, \"fail\": {}, \"warn\": {}, \"skip\": {}, \"total\": {}}},",
        c.pass,
        c.fail,
        c.warn,
        c.skip,
        c.total()
    );
    s.push_str("  \"capabilities\": {");
    let rows = info.caps.rows();
    for (i, (name, present, note)) in rows.iter().enumerate() {
        let _ = write!(
            s,
            "{}\n    {}: {{\"present\": {present}, \"note\": {}}}",
            if i == 0 { "" } else { "," },
            json_str(name),
            json_str(note)
        );
    }
    s.push_str("\n  },\n  \"checks\": [");
    for (i, o) in outcomes.iter().enumerate() {
        let _ = write!(
            s,
            "{}\n    {{\"id\": {}, \"family\": {}, \"section\": {}, \"level\": {}, \"severity\": {}, \"title\": {}, \"verdict\": {}, \"detail\": {}, \"timing\": {}, \"ms\": {}, \"request\": {}, \"response\": {}}}",
            if i == 0 { "" } else { "," },
            json_str(&o.id),
            json_str(&o.family),
            json_str(o.section),
            json_str(&o.level.to_string()),
            json_str(&o.severity.to_string()),
            json_str(o.title),
            json_str(&o.verdict.to_string()),
            json_str(&o.detail),
            o.timing,
            o.millis,
            json_bytes(&o.sent),
            json_bytes(&o.received)
        );
    }
    s.push_str("\n  ]\n}\n");
    s
}

/// Text safe inside XML attributes and elements; bytes XML 1.0 cannot carry become `\xNN`.
pub fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(ch),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// JUnit XML: one testsuite per family; Fail is a `<failure>`, Skip a `<skipped>`, Warn passes
/// with its reason in `<system-out>`.
pub fn junit(info: &RunInfo, outcomes: &[Outcome]) -> String {
    let c = Counts::of(outcomes);
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        s,
        "<testsuites name=\"h1probe {}\" tests=\"{}\" failures=\"{}\" skipped=\"{}\" time=\"{:.3}\">",
        xml(&info.target),
        c.total(),
        c.fail,
        c.skip,
        info.millis as f64 / 1000.0
    );
    let mut by_family: BTreeMap<&str, Vec<&Outcome>> = BTreeMap::new();
    for o in outcomes {
        by_family.entry(o.family.as_str()).or_default().push(o);
    }
    for (f, os) in by_family {
        let fc = Counts::of(os.iter().copied());
        let secs: f64 = os.iter().map(|o| o.millis as f64 / 1000.0).sum();
        let _ = writeln!(
            s,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" skipped=\"{}\" time=\"{secs:.3}\">",
            xml(f),
            fc.total(),
            fc.fail,
            fc.skip
        );
        for o in os {
            let _ = write!(
                s,
                "    <testcase classname=\"h1probe.{}\" name=\"{} {}\" time=\"{:.3}\">",
                xml(f),
                xml(&o.id),
                xml(o.title),
                o.millis as f64 / 1000.0
            );
            let msg = format!("{} {} {}: {}", o.section, o.level, o.severity, o.detail);
            match o.verdict {
                Verdict::Fail => {
                    let _ = write!(
                        s,
                        "<failure message=\"{}\">request: {}\nresponse: {}</failure>",
                        xml(&msg),
                        xml(&escape(&o.sent[..o.sent.len().min(2048)])),
                        xml(&escape(&o.received[..o.received.len().min(2048)]))
                    );
                }
                Verdict::Skip => {
                    let _ = write!(s, "<skipped message=\"{}\"/>", xml(&o.detail));
                }
                Verdict::Warn => {
                    let _ = write!(s, "<system-out>WARN {}</system-out>", xml(&msg));
                }
                Verdict::Pass => {}
            }
            s.push_str("</testcase>\n");
        }
        s.push_str("  </testsuite>\n");
    }
    s.push_str("</testsuites>\n");
    s
}

/// Compares the failing IDs with an expected list (one ID per line, `#` comments). Returns the
/// mismatches as text, empty when the run matches. A listed ID also allows its `/split` and
/// `/bytes` deliveries to fail; IDs listed but not run (e.g. with `--only`) are not held against
/// the run.
pub fn expect_fail(list: &str, outcomes: &[Outcome]) -> Vec<String> {
    let expected: Vec<&str> = list
        .lines()
        .map(|l| l.split('#').next().unwrap_or_default().trim())
        .filter(|l| !l.is_empty())
        .collect();
    let mut problems = Vec::new();
    for id in &expected {
        match outcomes.iter().find(|o| o.id == *id) {
            Some(o) if o.verdict != Verdict::Fail => problems.push(format!(
                "{id}: expected to fail, got {} ({})",
                o.verdict, o.detail
            )),
            _ => {}
        }
    }
    for o in outcomes {
        // A listed ID covers its `/split` and `/bytes` deliveries too.
        let base = o.id.split('/').next().unwrap_or_default();
        if o.verdict == Verdict::Fail && !expected.contains(&o.id.as_str()) && !expected.contains(&base) {
            problems.push(format!("{}: failed unexpectedly: {}", o.id, o.detail));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Level, Severity};

    fn o(id: &str, v: Verdict) -> Outcome {
        Outcome {
            id: id.into(),
            family: crate::model::family(id).into(),
            section: "RFC 9112 §6.3",
            level: Level::Must,
            severity: Severity::Critical,
            title: "a <title> & \"quotes\"",
            verdict: v,
            detail: "why\u{1}".into(),
            sent: b"GET /\x00\xff\r\n".to_vec(),
            received: b"HTTP/1.1 400 \"x\"\r\n".to_vec(),
            millis: 3,
            timing: false,
        }
    }

    fn info() -> RunInfo {
        RunInfo {
            target: "127.0.0.1:1".into(),
            quick: true,
            millis: 1500,
            caps: Caps::default(),
        }
    }

    #[test]
    fn json_escapes_every_byte() {
        assert_eq!(json_str("a\"\\\n\u{1}"), "\"a\\\"\\\\\\n\\u0001\"");
        assert_eq!(json_bytes(b"\x00\xff"), "\"\\u0000\u{ff}\"");
        let j = json(&info(), &[o("CL-001", Verdict::Fail)]);
        assert!(j.contains("\"request\": \"GET /\\u0000\u{ff}\\r\\n\""), "{j}");
        assert!(j.contains("\"verdict\": \"FAIL\""));
        assert!(j.contains("\"counts\": {\"pass\": 0, \"fail\": 1, \"warn\": 0, \"skip\": 0, \"total\": 1}"));
    }

    #[test]
    fn junit_marks_failures_and_skips() {
        let x = junit(
            &info(),
            &[
                o("CL-001", Verdict::Fail),
                o("CL-002", Verdict::Skip),
                o("TE-001", Verdict::Warn),
            ],
        );
        assert!(
            x.contains("<testsuite name=\"CL\" tests=\"2\" failures=\"1\" skipped=\"1\""),
            "{x}"
        );
        assert!(x.contains("a &lt;title&gt; &amp; &quot;quotes&quot;"));
        assert!(x.contains("<failure message="));
        assert!(x.contains("<skipped message=\"why\\x01\"/>"));
        assert!(x.contains("<system-out>WARN"));
        assert!(!x.contains('\u{1}'));
    }

    #[test]
    fn table_and_score() {
        let os = [
            o("CL-001", Verdict::Pass),
            o("CL-002", Verdict::Warn),
            o("CL-003", Verdict::Fail),
            o("CL-004", Verdict::Skip),
        ];
        assert_eq!(score(&os), 50.0);
        let t = table(&info(), &os, false);
        assert!(
            t.contains("4 checks (0 timing/state): 1 pass, 1 fail, 1 warn, 1 skip; score 50.0%"),
            "{t}"
        );
        assert!(!t.contains("CL-001 "));
    }

    #[test]
    fn expected_failures_must_match() {
        let os = [o("CL-001", Verdict::Fail), o("CL-002", Verdict::Pass)];
        assert!(expect_fail("CL-001 # known\n", &os).is_empty());
        assert_eq!(expect_fail("CL-001\nCL-002\n", &os).len(), 1);
        assert_eq!(expect_fail("", &os).len(), 1);
        assert!(expect_fail("CL-001\nXX-999\n", &os).is_empty());
        let split = [o("CL-001", Verdict::Fail), o("CL-001/split", Verdict::Fail)];
        assert!(expect_fail("CL-001\n", &split).is_empty());
        assert_eq!(expect_fail("CL-002\n", &split).len(), 2);
    }
}
