//! Headless Chromium loads the demo page over few connections.

use super::*;

/// Loads the demo page in headless Chromium; returns the DOM after the load event.
pub(crate) fn chromium_dom(chromium: &Path, srv: &Server) -> String {
    let profile = TempDir::new("chromium");
    let r = run(
        Command::new(chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
            ])
            .arg(format!("--user-data-dir={}", profile.0.display()))
            .arg("--dump-dom")
            .arg(srv.url("/")),
        60 * SEC,
    );
    assert!(r.ok, "{}: chromium failed:\n{}", srv.name, r.stderr);
    r.stdout
}

#[test]
fn chromium_loads_the_demo_page_over_few_connections() {
    let chromium = tool("chromium", "chromium");
    for name in EXAMPLES {
        for keep_alive in ["on", "off"] {
            let srv = Server::start(name, &["--keep-alive", keep_alive]);
            let dom = chromium_dom(&chromium, &srv);
            // The second script runs on `load` and counts what arrived.
            assert!(
                dom.contains(r#"data-loaded="css=4 js=3 img=3""#),
                "{name} keep-alive {keep_alive}: not every resource loaded:\n{dom}"
            );
            let stats = srv.stats();
            let used: Vec<u32> = stats.before_stats().iter().copied().filter(|&n| n > 0).collect();
            // The page and its ten sub-resources (`DEMO_RESOURCES`); the icon is a data: URL.
            assert_eq!(used.iter().sum::<u32>(), 11, "{name} {keep_alive}: {stats:?}");
            if keep_alive == "on" {
                assert!(used.len() <= 6, "{name}: more than 6 connections: {stats:?}");
            } else {
                assert!(
                    used.iter().all(|&n| n == 1),
                    "{name}: reuse with keep-alive off: {stats:?}"
                );
            }
            srv.stop_quiet();
        }
    }
}
