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

#[test]
fn conformance_md_names_only_existing_tests() {
    let names = test_names();
    let doc = fs::read_to_string(workspace_root().join("h1conn/docs/conformance.md")).unwrap();
    let mut missing = Vec::new();
    let mut checked = 0;
    for cell in doc.split('`').skip(1).step_by(2) {
        let looks_like_test = cell.starts_with("rfc")
            || cell.starts_with("httparse_gap")
            || cell.starts_with("timer_")
            || cell.starts_with("errata_")
            || cell.starts_with("go_")
            || cell.starts_with("apache_")
            || cell.starts_with("pipeline_")
            || cell.starts_with("...");
        if !looks_like_test || cell.contains(" ") || cell.ends_with(".rs") {
            continue;
        }
        let last = cell.rsplit("::").next().unwrap();
        checked += 1;
        let found = match last.strip_prefix("...") {
            Some(suffix) => names.iter().any(|n| n.ends_with(suffix)),
            None => names.iter().any(|n| n == last),
        };
        if !found {
            missing.push(cell.to_string());
        }
    }
    assert!(checked > 100, "only {checked} test names found in the document");
    assert!(
        missing.is_empty(),
        "docs/conformance.md names tests that do not exist: {missing:?}"
    );
}
