//! curl: connection reuse, HTTP/1.0 keep-alive.

use super::*;

#[test]
fn curl_reuses_one_connection_and_gets_keep_alive_on_http10() {
    let curl = tool("curl", "curl");
    for name in EXAMPLES {
        let srv = Server::start(name, &[]);
        let urls = ["/", "/css/base.css", "/stream?chunks=3&size=10", "/status/204"];
        let r = run(
            Command::new(&curl)
                .args(["-sv", "--max-time", "20"])
                .args(urls.iter().map(|u| srv.url(u))),
            30 * SEC,
        );
        assert!(r.ok, "{name}: curl failed:\n{}", r.stderr);
        let reused = r.stderr.matches("Re-using existing connection").count()
            + r.stderr.matches("Reusing existing connection").count();
        assert_eq!(reused, urls.len() - 1, "{name}: curl -v:\n{}", r.stderr);
        assert_eq!(
            r.stderr.matches("< Date: ").count(),
            urls.len(),
            "{name}:\n{}",
            r.stderr
        );
        assert!(
            r.stdout.contains("<title>h1conn demo</title>"),
            "{name}: {}",
            r.stdout
        );
        let stats = srv.stats();
        assert_eq!(
            stats.before_stats(),
            &[4],
            "{name}: one connection for four URLs: {stats:?}"
        );

        // HTTP/1.0 with `Connection: keep-alive`: the answer announces the policy, and the
        // connection is kept (`max` counts down).
        let r = run(
            Command::new(&curl)
                .args([
                    "-sv",
                    "--max-time",
                    "20",
                    "--http1.0",
                    "-H",
                    "Connection: keep-alive",
                ])
                .args([srv.url("/status/200"), srv.url("/status/200")])
                .args(["-o", "/dev/null", "-o", "/dev/null"]),
            30 * SEC,
        );
        assert!(r.ok, "{name}: curl --http1.0 failed:\n{}", r.stderr);
        for line in [
            "< Connection: keep-alive",
            "< Keep-Alive: timeout=5, max=99",
            "< Keep-Alive: timeout=5, max=98",
        ] {
            assert!(r.stderr.contains(line), "{name}: no {line:?} in\n{}", r.stderr);
        }
        let stats = srv.stats();
        assert_eq!(stats.before_stats(), &[4, 1, 2], "{name}: {stats:?}");
        srv.stop_quiet();
    }
}

/// Runs `f` against each example server started with `args`, then stops the server.
pub(crate) fn for_each_server(args: &[&str], mut f: impl FnMut(&str, &Server)) {
    for name in EXAMPLES {
        let srv = Server::start(name, args);
        f(name, &srv);
        srv.stop_quiet();
    }
}
