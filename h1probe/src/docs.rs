//! The check table as Markdown, for docs/probe.md.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::cases::CASES;
use crate::model::family;
use crate::run::deliveries;
use crate::state::DYNS;

/// The first line of the generated part of docs/probe.md.
pub const BEGIN: &str =
    "<!-- BEGIN GENERATED CHECK TABLE: h1probe/tests/docs.rs checks it, H1CONN_BLESS=1 rewrites it -->";
/// The last line of the generated part.
pub const END: &str = "<!-- END GENERATED CHECK TABLE -->";

/// Markdown cells cannot hold `|` or newlines.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// Check counts by family: (family, request checks, timing/state checks, results in a full run).
pub fn counts() -> Vec<(String, usize, usize, usize)> {
    let mut m: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    for c in CASES {
        let e = m.entry(family(c.id).to_string()).or_default();
        e.0 += 1;
        e.2 += deliveries(c, false).len();
    }
    for d in DYNS {
        let e = m.entry(family(d.id).to_string()).or_default();
        e.1 += 1;
        e.2 += 1;
    }
    m.into_iter().map(|(f, (a, b, c))| (f, a, b, c)).collect()
}

/// The generated section, markers included.
pub fn check_table() -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{BEGIN}");
    let total_cases = CASES.len();
    let total_dyn = DYNS.len();
    let full: usize = counts().iter().map(|c| c.3).sum();
    let _ = writeln!(
        s,
        "\n{} checks: {total_cases} request checks and {total_dyn} timing and state checks. A full run reports {full} results \
         (malformed requests are also sent split and one byte at a time, as `ID/split` and `ID/bytes`); `--quick` reports {}.\n",
        total_cases + total_dyn,
        total_cases + total_dyn
    );
    let _ = writeln!(
        s,
        "| family | request checks | timing/state checks | results in a full run |"
    );
    let _ = writeln!(s, "|---|---:|---:|---:|");
    for (f, a, b, c) in counts() {
        let _ = writeln!(s, "| {f} | {a} | {b} | {c} |");
    }
    let _ = writeln!(s, "\n### Request checks\n");
    let _ = writeln!(s, "| ID | section | level | severity | request | expected |");
    let _ = writeln!(s, "|---|---|---|---|---|---|");
    for c in CASES {
        let v = if deliveries(c, false).len() > 1 {
            " (+ split, bytes)"
        } else {
            ""
        };
        let _ = writeln!(
            s,
            "| {}{v} | {} | {} | {} | {} | {} |",
            c.id,
            c.section,
            c.level,
            c.severity,
            cell(c.title),
            cell(&c.expect.describe())
        );
    }
    let _ = writeln!(s, "\n### Timing and state checks\n");
    let _ = writeln!(s, "| ID | section | level | severity | check |");
    let _ = writeln!(s, "|---|---|---|---|---|");
    for d in DYNS {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} |",
            d.id,
            d.section,
            d.level,
            d.severity,
            cell(d.title)
        );
    }
    let _ = writeln!(s, "\n{END}");
    s
}
