//! A simulated client on a virtual clock: the test owns `now`, the connection never sleeps.

use core::time::Duration;
use h1conn::{Close, Config, Connection, Event, Response, UsageError};

pub const MS: Duration = Duration::from_millis(1);
pub const SEC: Duration = Duration::from_secs(1);

pub struct Sim {
    pub conn: Connection,
    pub now: Duration,
    /// Every byte the connection transmitted, acknowledged at once.
    pub wire: Vec<u8>,
    /// A readable transcript of events.
    pub log: Vec<String>,
    pub requests: Vec<h1conn::Request>,
    pub upgraded: Option<Vec<u8>>,
    /// Stop acknowledging output (a peer that does not read).
    pub stall_output: bool,
}

impl Sim {
    pub fn new(cfg: Config) -> Self {
        let now = Duration::from_secs(1000);
        Sim {
            conn: Connection::new(cfg, now),
            now,
            wire: Vec::new(),
            log: Vec::new(),
            requests: Vec::new(),
            upgraded: None,
            stall_output: false,
        }
    }

    /// Feeds bytes (all of them, draining events when the buffer is full), then drains.
    pub fn send(&mut self, bytes: &[u8]) {
        let mut off = 0;
        let mut spins = 0;
        while off < bytes.len() {
            let n = self.conn.handle_input(&bytes[off..], self.now);
            off += n;
            if n == 0 {
                spins += 1;
                assert!(spins < 10_000, "connection stopped taking input");
                if self.conn.is_done() || self.conn.is_upgraded() {
                    break;
                }
            }
            self.pump();
        }
        self.pump();
    }

    pub fn eof(&mut self) {
        self.conn.handle_eof(self.now);
        self.pump();
    }

    /// Drains events into the log and acknowledges output.
    pub fn pump(&mut self) {
        while let Some(ev) = self.conn.poll_event() {
            let line = match &ev {
                Event::Request(r) => {
                    let s = format!(
                        "request {} {}{}",
                        r.head.method_str(),
                        String::from_utf8_lossy(r.head.target()),
                        if r.expects_continue { " expect-100" } else { "" }
                    );
                    self.requests.push(r.clone());
                    s
                }
                Event::Data(d) => format!("data {}", String::from_utf8_lossy(d)),
                Event::End(None) => "end".to_string(),
                Event::End(Some(t)) => format!("end trailers={}", t.fields().len()),
                Event::Upgrade(b) => {
                    self.upgraded = Some(b.to_vec());
                    format!("upgrade {}", String::from_utf8_lossy(b))
                }
                Event::Error(e) => format!("error {}", e.status()),
            };
            self.log.push(line);
        }
        self.flush();
    }

    pub fn flush(&mut self) {
        if self.stall_output {
            return;
        }
        let n = self.conn.transmit().len();
        if n > 0 {
            self.wire.extend_from_slice(self.conn.transmit());
            self.conn.handle_written(n, self.now).unwrap();
        }
    }

    /// Advances the clock to `t`, firing each deadline on the way in order.
    pub fn advance_to(&mut self, t: Duration) {
        let mut guard = 0;
        while let Some(d) = self.conn.poll_timeout() {
            if d > t {
                break;
            }
            guard += 1;
            assert!(guard < 1000, "timers do not settle");
            self.now = self.now.max(d);
            self.conn.handle_timeout(self.now);
            self.pump();
            if let Some(next) = self.conn.poll_timeout() {
                assert!(next > self.now, "deadline {next:?} not after now {:?}", self.now);
            }
        }
        self.now = self.now.max(t);
        self.pump();
    }

    pub fn advance(&mut self, d: Duration) {
        let t = self.now + d;
        self.advance_to(t);
    }

    pub fn respond(&mut self, status: u16, body: &[u8]) {
        self.conn
            .send_full(
                &Response::new(status).headers(&[("Content-Type", b"text/plain")]),
                body,
                self.now,
            )
            .unwrap();
        self.pump();
    }

    pub fn respond_with(&mut self, resp: Response<'_>, body: &[u8]) -> Result<(), UsageError> {
        let r = self.conn.send_full(&resp, body, self.now);
        self.pump();
        r
    }

    /// Takes the transmitted bytes as text.
    pub fn take_wire(&mut self) -> String {
        let s = String::from_utf8_lossy(&self.wire).into_owned();
        self.wire.clear();
        s
    }

    pub fn take_log(&mut self) -> Vec<String> {
        std::mem::take(&mut self.log)
    }

    pub fn close(&self) -> Option<Close> {
        self.conn.poll_close()
    }
}

/// `GET path HTTP/1.1` with Host.
pub fn get(path: &str) -> Vec<u8> {
    format!("GET {path} HTTP/1.1\r\nHost: example.com\r\n\r\n").into_bytes()
}

pub fn req(s: &str) -> Vec<u8> {
    s.replace('\n', "\r\n").into_bytes()
}
