//! wrk: a short load run without errors.

use super::*;

#[test]
fn wrk_two_seconds_without_errors() {
    let wrk = tool("wrk", "wrk");
    for_each_server(&[], |name, srv| {
        let r = run(
            Command::new(&wrk)
                .args(["-t1", "-c10", "-d2s", "--timeout", "5s"])
                .arg(srv.url("/")),
            30 * SEC,
        );
        assert!(r.ok, "{name}: wrk failed:\n{}\n{}", r.stdout, r.stderr);
        assert!(!r.stdout.contains("Socket errors"), "{name}:\n{}", r.stdout);
        assert!(!r.stdout.contains("Non-2xx"), "{name}:\n{}", r.stdout);
        let done = r
            .stdout
            .lines()
            .find_map(|l| l.trim().split_once(" requests in ").map(|(n, _)| n.to_string()))
            .and_then(|n| n.parse::<u64>().ok())
            .unwrap_or(0);
        assert!(done > 100, "{name}: wrk completed {done} requests:\n{}", r.stdout);
        let stats = srv.stats();
        assert!(stats.requests > done, "{name}: {stats:?} vs {done}");
    });
}
