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

/// RFC 9110 §9.3.2: HEAD gets the fields a GET would, Content-Length included, and no content,
/// on a connection that stays in use.
#[test]
fn rfc9110_9_3_2_head_gets_the_get_fields_without_content() {
    let curl = tool("curl", "curl");
    for name in EXAMPLES {
        let srv = Server::start(name, &[]);
        let get = run(
            Command::new(&curl)
                .args(["-s", "-D", "-", "-o", "/dev/null", "--max-time", "20"])
                .arg(srv.url("/")),
            30 * SEC,
        );
        assert!(get.ok, "{name}: curl failed:\n{}", get.stderr);
        let length = |head: &str| {
            head.lines()
                .find_map(|l| {
                    let (k, v) = l.split_once(':')?;
                    k.eq_ignore_ascii_case("content-length")
                        .then(|| v.trim().to_string())
                })
                .unwrap_or_default()
        };
        let r = run(
            Command::new(&curl)
                .args(["-svI", "--max-time", "20"])
                .args([srv.url("/"), srv.url("/status/404")]),
            30 * SEC,
        );
        assert!(r.ok, "{name}: curl -I failed:\n{}", r.stderr);
        let heads: Vec<&str> = r.stdout.split("\r\n\r\n").filter(|h| !h.is_empty()).collect();
        assert_eq!(heads.len(), 2, "{name}: {}", r.stdout);
        assert!(heads[0].starts_with("HTTP/1.1 200 OK"), "{name}: {}", heads[0]);
        assert!(!length(&get.stdout).is_empty(), "{name}: {}", get.stdout);
        assert_eq!(length(heads[0]), length(&get.stdout), "{name}: {}", heads[0]);
        assert!(heads[1].starts_with("HTTP/1.1 404"), "{name}: {}", heads[1]);
        let reused = r.stderr.matches("Re-using existing connection").count()
            + r.stderr.matches("Reusing existing connection").count();
        assert_eq!(reused, 1, "{name}: curl -v:\n{}", r.stderr);
    }
}
