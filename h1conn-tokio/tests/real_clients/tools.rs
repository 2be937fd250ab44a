//! Raw HTTP over std::net, and running external tools with bounded waits.

use super::*;

pub(crate) struct RawResponse {
    pub(crate) status: u16,
    pub(crate) head: String,
    pub(crate) body: Vec<u8>,
}

/// Sends `request` on a new connection and reads the response until the server closes (the
/// request must ask for `Connection: close` or be HTTP/1.0). Bounded by a 10 s read timeout.
pub(crate) fn exchange(addr: SocketAddr, request: &[u8]) -> RawResponse {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(10 * SEC)).unwrap();
    s.write_all(request).expect("write request");
    let mut all = Vec::new();
    s.read_to_end(&mut all).expect("read response to the end");
    let split = all
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no end of head in {:?}", String::from_utf8_lossy(&all)));
    let head = String::from_utf8_lossy(&all[..split]).into_owned();
    let status = head
        .get(9..12)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("bad status line in {head:?}"));
    RawResponse {
        status,
        head,
        body: all[split + 4..].to_vec(),
    }
}

/// Sends `GET /status/204` on the keep-alive connection `s` and reads its answer (a head, no
/// body), which it returns: the connection stays open.
pub(crate) fn get_204(s: &mut TcpStream, name: &str) -> String {
    s.write_all(b"GET /status/204 HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 1024];
    while !got.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = s.read(&mut buf).expect("response");
        assert!(n > 0, "{name}: closed before the response");
        got.extend_from_slice(&buf[..n]);
    }
    let head = String::from_utf8_lossy(&got).into_owned();
    assert!(head.starts_with("HTTP/1.1 204 "), "{name}: {head:?}");
    head
}

// ---- external tools -----------------------------------------------------------------------------

/// The path of a required tool; fails (never skips) when it is missing.
pub(crate) fn tool(name: &str, package: &str) -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!(
                "required tool `{name}` not found in PATH: install the Debian package `{package}` \
                 (apt-get install -y {package}); these tests fail rather than skip without it"
            )
        })
}

/// A finished tool run.
pub(crate) struct Run {
    pub(crate) ok: bool,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

/// Kills a child's whole process group on drop (browsers start helpers).
pub(crate) struct ChildGuard(pub(crate) Child);

impl Drop for ChildGuard {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", self.0.id())])
                .stderr(Stdio::null())
                .status();
            let _ = self.0.kill();
        }
        let _ = self.0.wait();
    }
}

/// Runs a command with a time limit, capturing its output; panics when the limit passes.
pub(crate) fn run(cmd: &mut Command, limit: Duration) -> Run {
    use std::os::unix::process::CommandExt;
    let what = format!("{cmd:?}");
    let mut child = ChildGuard(
        cmd.stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {what}: {e}")),
    );
    let out = collect(child.0.stdout.take().expect("piped"));
    let err = collect(child.0.stderr.take().expect("piped"));
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.0.try_wait().expect("try_wait") {
            break s;
        }
        if start.elapsed() > limit {
            drop(child);
            panic!(
                "{what} did not finish within {limit:?}\nstdout:\n{}\nstderr:\n{}",
                out.join().unwrap_or_default(),
                err.join().unwrap_or_default()
            );
        }
        thread::sleep(Duration::from_millis(20));
    };
    Run {
        ok: status.success(),
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
    }
}

/// The number after `label` in a tool's report (`Failed requests:        0`).
pub(crate) fn number_after(text: &str, label: &str) -> Option<u64> {
    let at = text.find(label)? + label.len();
    text[at..]
        .trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .ok()
}

/// A fresh directory under the system temp dir, removed on drop.
pub(crate) struct TempDir(pub(crate) PathBuf);

impl TempDir {
    pub(crate) fn new(tag: &str) -> TempDir {
        static N: AtomicUsize = AtomicUsize::new(0);
        let p = std::env::temp_dir().join(format!(
            "h1conn-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).expect("create temp dir");
        TempDir(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
