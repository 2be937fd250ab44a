//! The documents name tests; this keeps them from drifting: every test a document names exists.

use std::fs;

fn workspace_root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn test_names() -> Vec<String> {
    let mut names = Vec::new();
    for dir in [
        "h1conn/src",
        "h1conn/tests",
        "h1conn-testkit/src",
        "demo/src",
        "demo/tests",
        "h1conn-tokio/src",
        "h1conn-tokio/tests",
    ] {
        let mut stack = vec![workspace_root().join(dir)];
        while let Some(p) = stack.pop() {
            for e in fs::read_dir(&p).unwrap() {
                let e = e.unwrap().path();
                if e.is_dir() {
                    stack.push(e);
                } else if e.extension().is_some_and(|x| x == "rs") {
                    let text = fs::read_to_string(&e).unwrap();
                    for line in text.lines() {
                        let l = line.trim_start();
                        // `fn name(`, and the rows `name: input ...;` of the table macros.
                        let rest = l
                            .strip_prefix("fn ")
                            .or_else(|| l.split_once(": ").map(|(n, _)| n));
                        if let Some(rest) = rest {
                            let name: String = rest
                                .chars()
                                .take_while(|c| c.is_alphanumeric() || *c == '_')
                                .collect();
                            names.push(name);
                        }
                    }
                }
            }
        }
    }
    names
}

/// Checks every test name in the document at `path` (from the workspace root) exists: a cell in
/// backticks that starts like a test name; `...suffix` matches by suffix, `prefix*` by prefix.
fn names_only_existing_tests(path: &str, min: usize) {
    let names = test_names();
    let doc = fs::read_to_string(workspace_root().join(path)).unwrap();
    let mut missing = Vec::new();
    let mut checked = 0;
    for cell in doc.split('`').skip(1).step_by(2) {
        const PREFIXES: [&str; 21] = [
            "rfc",
            "httparse_gap",
            "timer_",
            "errata_",
            "go_",
            "apache_",
            "pipeline_",
            "...",
            "nginx_",
            "usage_errors_",
            "own_back_pressure_",
            "pause_input_",
            "wants_read_",
            "heap_bytes_",
            "idle_keep_alive_",
            "a_finished_",
            "a_pipelining_",
            "steady_keep_alive_",
            "error_response_",
            "keep_alive_timeout_",
            "quick_parse_",
        ];
        let looks_like_test = PREFIXES.iter().any(|p| cell.starts_with(p));
        if !looks_like_test || cell.contains(' ') || cell.ends_with(".rs") {
            continue;
        }
        let last = cell.rsplit("::").next().unwrap();
        checked += 1;
        let found = if let Some(suffix) = last.strip_prefix("...") {
            names.iter().any(|n| n.ends_with(suffix))
        } else if let Some(prefix) = last.strip_suffix('*') {
            names.iter().any(|n| n.starts_with(prefix))
        } else {
            names.iter().any(|n| n == last)
        };
        if !found {
            missing.push(cell.to_string());
        }
    }
    assert!(checked >= min, "only {checked} test names found in {path}");
    assert!(
        missing.is_empty(),
        "{path} names tests that do not exist: {missing:?}"
    );
}

#[test]
fn conformance_md_names_only_existing_tests() {
    names_only_existing_tests("h1conn/docs/conformance.md", 100);
}

#[test]
fn security_md_names_only_existing_tests() {
    names_only_existing_tests("docs/SECURITY.md", 60);
}
