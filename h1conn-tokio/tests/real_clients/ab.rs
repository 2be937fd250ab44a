//! ApacheBench, with and without keep-alive.

use super::*;

/// Runs `ab -n 2000 -c 10` (with `-k` when `keep_alive`) against `srv`; asserts every request
/// completed with a 2xx, and as many kept alive as asked.
pub(crate) fn ab_2000(ab: &Path, name: &str, srv: &Server, keep_alive: bool) {
    let mut args = vec!["-q", "-n", "2000", "-c", "10", "-s", "20"];
    if keep_alive {
        args.insert(1, "-k");
    }
    let r = run(Command::new(ab).args(&args).arg(srv.url("/")), 60 * SEC);
    assert!(r.ok, "{name}: ab {args:?} failed:\n{}\n{}", r.stdout, r.stderr);
    let mut expected = vec![("Complete requests:", 2000), ("Failed requests:", 0)];
    if keep_alive {
        expected.push(("Keep-Alive requests:", 2000));
    }
    for (label, n) in expected {
        assert_eq!(
            number_after(&r.stdout, label),
            Some(n),
            "{name}: {label}\n{}",
            r.stdout
        );
    }
    assert!(!r.stdout.contains("Non-2xx"), "{name}:\n{}", r.stdout);
}

#[test]
fn ab_2000_requests_with_and_without_keep_alive() {
    let ab = tool("ab", "apache2-utils");
    for name in EXAMPLES {
        // Unlimited requests per connection, so every one of the 2000 responses is persistent
        // (with the default limit of 100, each connection's last response says close).
        let srv = Server::start(name, &["--max-requests", "0"]);
        ab_2000(&ab, name, &srv, true);
        let stats = srv.stats();
        let per = stats.before_stats();
        assert_eq!(
            per.iter().map(|&n| n as usize).sum::<usize>(),
            2000,
            "{name}: {stats:?}"
        );
        let used = per.iter().filter(|&&n| n > 0).count();
        assert!(used <= 10, "{name}: ab -k -c 10 needs 10 connections: {stats:?}");

        ab_2000(&ab, name, &srv, false);
        // After the -k connections and the first /stats connection: 2000 connections of one
        // request each (ab may also open one it never uses).
        let before = per.len() + 1;
        let stats = srv.stats();
        let without_k: Vec<u32> = stats.before_stats()[before..]
            .iter()
            .copied()
            .filter(|&n| n > 0)
            .collect();
        assert_eq!(without_k.len(), 2000, "{name}: {stats:?}");
        assert!(
            without_k.iter().all(|&n| n == 1),
            "{name}: one request per connection without -k: {stats:?}"
        );
        srv.stop_quiet();
    }
}
