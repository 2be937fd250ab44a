//! The servers under test: started per test, killed on drop; their `/stats`; their graceful
//! shutdown on SIGTERM.

use super::*;

/// A running example server, killed on drop.
pub(crate) struct Server {
    pub(crate) name: &'static str,
    pub(crate) child: Child,
    pub(crate) addr: SocketAddr,
    pub(crate) stderr: Option<JoinHandle<String>>,
}

impl Server {
    pub(crate) fn start(name: &'static str, args: &[&str]) -> Server {
        let mut child = Command::new(example_bin(name))
            .args(["--listen", "127.0.0.1:0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start example {name}: {e}"));
        let stdout = child.stdout.take().expect("piped stdout");
        let stderr = child.stderr.take().expect("piped stderr");
        let mut server = Server {
            name,
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            stderr: Some(collect(stderr)),
        };
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            let mut line = String::new();
            let _ = r.read_line(&mut line);
            let _ = tx.send(line);
            // Keep draining so the server can never block on a full pipe.
            let _ = std::io::copy(&mut r, &mut std::io::sink());
        });
        let line = rx
            .recv_timeout(10 * SEC)
            .unwrap_or_else(|_| panic!("{name}: no `listening on` line within 10 s"));
        let addr = line
            .trim()
            .strip_prefix("listening on ")
            .and_then(|a| a.parse().ok())
            .unwrap_or_else(|| panic!("{name}: first stdout line is {line:?}, not `listening on ADDR`"));
        server.addr = addr;
        server
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// `GET /stats` on a connection of its own (which the statistics then include as their last
    /// connection, with one request).
    pub(crate) fn stats(&self) -> Stats {
        let resp = exchange(
            self.addr,
            b"GET /stats HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
        );
        assert!(
            resp.status == 200,
            "{}: /stats answered {}",
            self.name,
            resp.status
        );
        Stats::parse(&String::from_utf8_lossy(&resp.body))
    }

    /// Stops the server and checks it reported nothing on stderr (no usage errors, no accept
    /// errors).
    pub(crate) fn stop_quiet(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let err = self
            .stderr
            .take()
            .map(|h| h.join().unwrap_or_default())
            .unwrap_or_default();
        assert!(err.trim().is_empty(), "{} wrote to stderr:\n{err}", self.name);
    }

    /// Sends SIGTERM to the server process.
    pub(crate) fn terminate(&self) {
        let pid = self.child.id().to_string();
        let status = Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("run kill");
        assert!(status.success(), "{}: kill -TERM {pid} failed", self.name);
    }

    /// Waits up to `limit` for the server process to exit; `None` when it is still running.
    pub(crate) fn wait_exit(&mut self, limit: Duration) -> Option<std::process::ExitStatus> {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return Some(status);
            }
            if start.elapsed() > limit {
                return None;
            }
            thread::sleep(Duration::from_millis(20));
        }
    }
}

/// Scenario: SIGTERM shuts the server down as Ctrl-C does. A keep-alive connection that made one
/// request and sits idle is closed at once (its keep-alive timeout, 60 s, is far off) and the
/// process exits with status 0 and nothing on stderr.
#[test]
fn sigterm_closes_an_idle_keep_alive_connection_and_exits_with_success() {
    for name in SIGTERM_GRACEFUL {
        let mut srv = Server::start(name, &["--keep-alive-timeout", "60"]);
        let mut s = TcpStream::connect(srv.addr).expect("connect");
        s.set_read_timeout(Some(5 * SEC)).unwrap();
        let head = get_204(&mut s, name);
        assert!(
            !head.contains("\r\nConnection: close\r\n"),
            "{name}: the connection should stay open: {head:?}"
        );

        let sent = Instant::now();
        srv.terminate();
        let read = s.read(&mut [0u8; 1024]);
        let took = sent.elapsed();
        assert!(
            matches!(read, Ok(0)),
            "{name}: the idle connection was not closed cleanly after SIGTERM: {read:?} after {took:?}"
        );
        assert!(
            took < 2 * SEC,
            "{name}: the idle connection closed {took:?} after SIGTERM"
        );

        let status = srv
            .wait_exit(5 * SEC)
            .unwrap_or_else(|| panic!("{name}: still running 5 s after SIGTERM"));
        assert!(status.success(), "{name}: exited with {status} after SIGTERM");
        let err = srv
            .stderr
            .take()
            .map(|h| h.join().unwrap_or_default())
            .unwrap_or_default();
        assert!(err.trim().is_empty(), "{name} wrote to stderr:\n{err}");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn collect(mut r: impl Read + Send + 'static) -> JoinHandle<String> {
    thread::spawn(move || {
        let mut v = Vec::new();
        let _ = r.read_to_end(&mut v);
        String::from_utf8_lossy(&v).into_owned()
    })
}

/// The `/stats` document: `{"connections":C,"requests":R,"per_connection":[...]}`.
#[derive(Debug)]
pub(crate) struct Stats {
    pub(crate) connections: u64,
    pub(crate) requests: u64,
    pub(crate) per_connection: Vec<u32>,
}

impl Stats {
    pub(crate) fn parse(json: &str) -> Stats {
        let num = |key: &str| -> u64 {
            let at = json
                .find(&format!("\"{key}\":"))
                .unwrap_or_else(|| panic!("no {key} in {json}"));
            json[at + key.len() + 3..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
                .parse()
                .unwrap_or_else(|_| panic!("bad {key} in {json}"))
        };
        let list = json
            .split_once("\"per_connection\":[")
            .and_then(|(_, rest)| rest.split_once(']'))
            .map(|(l, _)| l)
            .unwrap_or_else(|| panic!("no per_connection in {json}"));
        let per_connection = list
            .split(',')
            .filter(|s| !s.trim().is_empty())
            .map(|s| s.trim().parse().expect("per_connection entry"))
            .collect();
        Stats {
            connections: num("connections"),
            requests: num("requests"),
            per_connection,
        }
    }

    /// The connections before the `/stats` request's own one (which is the last, with 1 request).
    pub(crate) fn before_stats(&self) -> &[u32] {
        let (last, rest) = self
            .per_connection
            .split_last()
            .expect("at least the /stats connection");
        assert_eq!(
            *last, 1,
            "the /stats connection should be last with one request: {self:?}"
        );
        assert_eq!(self.connections as usize, self.per_connection.len(), "{self:?}");
        assert_eq!(
            self.requests,
            self.per_connection.iter().map(|&n| u64::from(n)).sum::<u64>(),
            "{self:?}"
        );
        rest
    }
}
