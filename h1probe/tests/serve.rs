//! h1probe against h1conn's own example server: `--quick` reports no Fail, except the known faults
//! listed in h1probe/expected/serve.txt (each with its reason; they may fail, nothing else may),
//! and runs in under 30 s.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

/// The only place that knows where h1conn's `serve` binary is. `H1PROBE_SERVE` names one;
/// otherwise the newest `serve` in the workspace's target directory (release or debug), which
/// `cargo test --workspace` builds (from `h1conn-tokio`, or `h1conn-demo` before it moved).
/// Build it by hand with `cargo build --release -p h1conn-tokio --bin serve` (or
/// `-p h1conn-demo`).
pub fn serve_binary() -> PathBuf {
    if let Some(p) = std::env::var_os("H1PROBE_SERVE") {
        return PathBuf::from(p);
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root");
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let target = if target.is_absolute() {
        target
    } else {
        root.join(target)
    };
    let newest = ["release", "debug"]
        .iter()
        .map(|profile| {
            target
                .join(profile)
                .join(format!("serve{}", std::env::consts::EXE_SUFFIX))
        })
        .filter_map(|p| Some((p.metadata().ok()?.modified().ok()?, p)))
        .max();
    match newest {
        Some((_, p)) => p,
        None => panic!(
            "no serve binary under {}: build it with `cargo build --release -p h1conn-tokio --bin serve` \
             (or -p h1conn-demo), or name one with H1PROBE_SERVE",
            target.display()
        ),
    }
}

/// A running `serve`, killed on drop.
struct Serve {
    child: Child,
    addr: String,
}

impl Serve {
    fn start(args: &[&str]) -> Serve {
        let bin = serve_binary();
        let mut child = Command::new(&bin)
            .args(["--listen", "127.0.0.1:0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", bin.display()));
        let out = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            let mut r = BufReader::new(out);
            let mut line = String::new();
            let _ = r.read_line(&mut line);
            let _ = tx.send(line);
            let _ = std::io::copy(&mut r, &mut std::io::sink());
        });
        let line = rx
            .recv_timeout(Duration::from_secs(10))
            .expect("serve prints `listening on ADDR`");
        let addr = line
            .trim()
            .strip_prefix("listening on ")
            .expect("`listening on ADDR`")
            .to_string();
        Serve { child, addr }
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn quick_run_against_serve_has_no_unexpected_fail() {
    let serve = Serve::start(&[
        "--keep-alive-timeout",
        "2",
        "--header-timeout",
        "2",
        "--body-timeout",
        "2",
    ]);
    let expected = concat!(env!("CARGO_MANIFEST_DIR"), "/expected/serve.txt");
    let start = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_h1probe"))
        .args([&serve.addr, "--quick", "--format", "json", "--timeout-scale", "2"])
        .output()
        .unwrap();
    let took = start.elapsed();
    let json = String::from_utf8_lossy(&out.stdout);
    assert!(json.contains("\"quick\": true"), "{json}");
    let fails: Vec<&str> = json
        .lines()
        .filter(|l| l.contains("\"verdict\": \"FAIL\""))
        .filter_map(|l| l.split('"').nth(3))
        .collect();
    let known = std::fs::read_to_string(expected).unwrap();
    let known: Vec<&str> = known
        .lines()
        .map(|l| l.split('#').next().unwrap_or_default().trim())
        .filter(|l| !l.is_empty())
        .collect();
    let unexpected: Vec<&&str> = fails.iter().filter(|id| !known.contains(id)).collect();
    assert!(
        unexpected.is_empty(),
        "h1probe --quick against serve fails {unexpected:?} (all fails: {fails:?})"
    );
    assert!(took < Duration::from_secs(30), "--quick took {took:?}");
}

fn probe(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_h1probe"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn output_formats_and_expected_failures_end_to_end() {
    let serve = Serve::start(&["--keep-alive-timeout", "2", "--header-timeout", "2"]);
    let only = "CL-00,PIPE-001";
    let (code, junit) = probe(&[&serve.addr, "--quick", "--only", only, "--format", "junit"]);
    assert_eq!(code, 0, "{junit}");
    assert!(junit.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"h1probe "));
    assert!(
        junit.contains("<testsuite name=\"CL\" tests=\"9\" failures=\"0\" skipped=\"0\""),
        "{junit}"
    );
    assert!(
        junit.contains("<testcase classname=\"h1probe.PIPE\" name=\"PIPE-001 "),
        "{junit}"
    );
    assert_eq!(
        junit.matches("<testcase ").count(),
        junit.matches("</testcase>").count()
    );

    let (_, json) = probe(&[&serve.addr, "--quick", "--only", "CL-002", "--format", "json"]);
    assert!(json.contains("\"id\": \"CL-002\""), "{json}");
    assert!(json.contains("\"verdict\": \"PASS\""), "{json}");
    assert!(
        json.contains("\"request\": \"POST / HTTP/1.1\\r\\nHost: localhost\\r\\nContent-Length: +5\\r\\n"),
        "{json}"
    );
    assert!(
        json.contains("\"response\": \"HTTP/1.1 400 Bad Request\\r\\n"),
        "{json}"
    );

    // --expect-fail: a listed check that passes is a mismatch; an empty list matches a clean run.
    let dir = std::env::temp_dir().join(format!("h1probe-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let listed = dir.join("listed.txt");
    std::fs::write(&listed, "CL-002 # passes against serve\n").unwrap();
    let empty = dir.join("empty.txt");
    std::fs::write(&empty, "# nothing\n").unwrap();
    let (code, _) = probe(&[
        &serve.addr,
        "--quick",
        "--only",
        "CL-002",
        "--expect-fail",
        listed.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    let (code, _) = probe(&[
        &serve.addr,
        "--quick",
        "--only",
        "CL-002",
        "--expect-fail",
        empty.to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    let _ = std::fs::remove_dir_all(&dir);
}
