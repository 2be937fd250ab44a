//! The per-connection application: turns events into responses.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use h1conn::{BodyFraming, Connection, Event, Method, Request, Response, ResponseFraming};

use crate::files::{content_type, resolve};
use crate::page::{DEMO_HTML, DEMO_RESOURCES};
use crate::shared::{date_now, Shared};
use crate::{HIGH_WATER, MAX_STREAM_CHUNKS, MAX_STREAM_SIZE, SERVER};

/// A body produced as output drains.
#[derive(Debug)]
enum Producer {
    /// `/stream`: `left` more pieces of `size` bytes.
    Pattern { left: u64, size: usize, index: u64 },
    /// A file: `left` more bytes.
    File { file: File, left: u64 },
}

/// What the current request still needs from the application.
#[derive(Debug)]
enum Job {
    /// Nothing: the response is complete (or the machine answers by itself).
    Idle,
    /// `POST /`: the body is read and discarded; the response follows its end.
    Discard { received: u64 },
    /// `/echo`: the response is under way and body pieces are sent back as they arrive.
    Echo { framing: ResponseFraming },
    /// A response body written as output drains.
    Produce(Producer),
}

/// The application for one connection. Call [`App::drive`] after every input to the connection
/// (bytes, EOF, timeout, acknowledged output): it drains the events, answers requests and tops up
/// streamed bodies while the connection holds less than [`HIGH_WATER`] bytes of output.
#[derive(Debug)]
pub struct App {
    shared: Arc<Shared>,
    id: u64,
    job: Job,
    /// The current request is HEAD: whole responses announce their length and send no body
    /// (RFC 9110 §9.3.2), since the connection refuses body bytes for a response that has none.
    head: bool,
    scratch: Vec<u8>,
}

impl App {
    /// The application for a newly accepted connection (counted in the statistics).
    pub fn new(shared: Arc<Shared>) -> App {
        let id = shared.stats.connection();
        App {
            shared,
            id,
            job: Job::Idle,
            head: false,
            scratch: Vec::new(),
        }
    }

    /// A new connection with the shared configuration, opened now.
    pub fn connection(&self) -> Connection {
        Connection::new(Arc::clone(&self.shared.config), self.shared.now())
    }

    /// Drains events, answers them and tops up a streamed body. Also refreshes the `Date` the
    /// connection writes on its own error responses.
    pub fn drive(&mut self, conn: &mut Connection) {
        let date = date_now();
        conn.set_date(date);
        // Each round either answers events or finishes a produced response (which lets the next
        // pipelined request surface); both are bounded by the requests buffered.
        loop {
            while let Some(ev) = conn.poll_event() {
                self.on_event(conn, ev, &date);
            }
            if !self.produce(conn) {
                break;
            }
        }
    }

    fn now(&self) -> Duration {
        self.shared.now()
    }

    fn on_event(&mut self, conn: &mut Connection, ev: Event, date: &[u8; 29]) {
        match ev {
            Event::Request(req) => {
                self.shared.stats.request(self.id);
                self.job = Job::Idle;
                self.on_request(conn, &req, date);
            }
            Event::Data(bytes) => match &mut self.job {
                Job::Discard { received } => *received += bytes.len() as u64,
                Job::Echo { .. } => {
                    let r = conn.send_body(&bytes, self.now());
                    check(conn, r);
                }
                _ => {}
            },
            Event::End(_) => match self.job {
                Job::Discard { received } => {
                    self.job = Job::Idle;
                    let body = format!("received {received} bytes\n");
                    self.send_text(conn, 200, body.as_bytes(), date);
                }
                Job::Echo { .. } => {
                    self.job = Job::Idle;
                    let r = conn.finish(self.now());
                    check(conn, r);
                }
                _ => {}
            },
            Event::Error(_) => {
                // Without a response under way the connection has queued its own error response.
                // An echo under way cannot be completed: end it so the client sees it cut short.
                if let Job::Echo { framing } = self.job {
                    match framing {
                        // A short Content-Length body: finish() turns it into an abort.
                        ResponseFraming::Length(_) => {
                            let r = conn.finish(self.now());
                            check(conn, r);
                        }
                        // A chunked body must not get its last chunk: abort.
                        _ => {
                            let r = conn.abort_response(self.now());
                            check(conn, r);
                        }
                    }
                }
                if !matches!(self.job, Job::Produce(_)) {
                    self.job = Job::Idle;
                }
            }
            // The response ended before the body: nothing more comes for this request.
            Event::Discarded => self.job = Job::Idle,
            // This application never switches protocols (no 101, no 2xx to CONNECT).
            Event::Upgrade(_) => self.job = Job::Idle,
        }
    }

    fn on_request(&mut self, conn: &mut Connection, req: &Request, date: &[u8; 29]) {
        let head = &req.head;
        let method = head.method();
        self.head = method == Method::Head;
        let path = head.path();
        let get = matches!(method, Method::Get | Method::Head);
        match path {
            b"/" if method == Method::Post => {
                if req.expects_continue {
                    let r = conn.accept_body(self.now());
                    check(conn, r);
                }
                self.job = Job::Discard { received: 0 };
            }
            b"/" if get => match &self.shared.opts.root {
                None => self.send(conn, 200, "text/html; charset=utf-8", DEMO_HTML.as_bytes(), date),
                Some(root) => match resolve(root, b"/") {
                    Ok(file) => self.send_file(conn, &file, date),
                    Err(_) => self.send_text(conn, 200, b"h1conn example server\n", date),
                },
            },
            b"/echo" if matches!(method, Method::Post | Method::Put) => self.echo(conn, req, date),
            b"/stream" if get => self.stream(conn, head.query().unwrap_or_default(), date),
            b"/stats" if get => {
                let body = self.shared.stats.json();
                self.send(conn, 200, "application/json", body.as_bytes(), date);
            }
            p if p.starts_with(b"/status/") && get => self.status(conn, &p[8..], date),
            b"/" | b"/echo" | b"/stream" | b"/stats" => self.not_allowed(conn, path, date),
            p if p.starts_with(b"/status/") => self.not_allowed(conn, path, date),
            p => match &self.shared.opts.root {
                None => match DEMO_RESOURCES.iter().find(|r| r.0.as_bytes() == p) {
                    Some(_) if !get => self.not_allowed(conn, path, date),
                    Some((_, ct, body)) => self.send(conn, 200, ct, body.as_bytes(), date),
                    None => self.send_text(conn, 404, b"not found\n", date),
                },
                Some(root) => match resolve(root, p) {
                    Ok(_) if !get => self.not_allowed(conn, path, date),
                    Ok(file) => self.send_file(conn, &file, date),
                    Err(code) => self.send_text(conn, code, b"not found\n", date),
                },
            },
        }
    }

    /// `/echo`: the response starts at once; the body follows piece by piece.
    fn echo(&mut self, conn: &mut Connection, req: &Request, date: &[u8; 29]) {
        let now = self.now();
        if req.expects_continue {
            let r = conn.accept_body(now);
            check(conn, r);
        }
        let ct = req
            .head
            .headers()
            .get("content-type")
            .unwrap_or(b"application/octet-stream");
        let headers = [("Date", &date[..]), ("Server", SERVER), ("Content-Type", ct)];
        let length = match req.framing {
            BodyFraming::None => Some(0),
            BodyFraming::Length(n) => Some(n),
            BodyFraming::Chunked => None,
        };
        let resp = Response {
            length,
            ..Response::new(200).headers(&headers)
        };
        match conn.send_response(&resp, now) {
            Ok(_) if length == Some(0) => {
                let r = conn.finish(now);
                check(conn, r);
            }
            Ok(framing) => self.job = Job::Echo { framing },
            Err(e) => check(conn, Err::<(), _>(e)),
        }
    }

    /// `/stream?chunks=N&size=M`.
    fn stream(&mut self, conn: &mut Connection, query: &[u8], date: &[u8; 29]) {
        let (mut chunks, mut size) = (10u64, 1024u64);
        for pair in query.split(|&b| b == b'&') {
            let mut kv = pair.splitn(2, |&b| b == b'=');
            let (k, v) = (kv.next().unwrap_or_default(), kv.next().unwrap_or_default());
            let v = std::str::from_utf8(v).ok().and_then(|v| v.parse::<u64>().ok());
            match (k, v) {
                (b"chunks", Some(v)) => chunks = v.min(MAX_STREAM_CHUNKS),
                (b"size", Some(v)) => size = v.min(MAX_STREAM_SIZE),
                (b"chunks" | b"size", None) => {
                    return self.send_text(conn, 400, b"chunks and size take numbers\n", date);
                }
                _ => {}
            }
        }
        let headers = [
            ("Date", &date[..]),
            ("Server", SERVER),
            ("Content-Type", b"text/plain; charset=utf-8"),
        ];
        self.start_produced(
            conn,
            &Response::new(200).headers(&headers),
            Producer::Pattern {
                left: chunks,
                size: size as usize,
                index: 0,
            },
        );
    }

    /// `/status/CODE`.
    fn status(&mut self, conn: &mut Connection, code: &[u8], date: &[u8; 29]) {
        let code = std::str::from_utf8(code)
            .ok()
            .and_then(|c| c.parse::<u16>().ok())
            .filter(|c| (200..=599).contains(c));
        match code {
            None => self.send_text(conn, 400, b"status codes 200 to 599 only\n", date),
            Some(c @ (204 | 304)) => {
                let headers = [("Date", &date[..]), ("Server", SERVER)];
                let now = self.now();
                let r = conn
                    .send_response(&Response::new(c).headers(&headers), now)
                    .and_then(|_| conn.finish(now));
                check(conn, r);
            }
            Some(c) => {
                let reason = h1conn::reason_phrase(c);
                let body = format!("{c} {reason}\n");
                self.send_text(conn, c, body.as_bytes(), date);
            }
        }
    }

    fn not_allowed(&mut self, conn: &mut Connection, path: &[u8], date: &[u8; 29]) {
        let allow: &[u8] = match path {
            b"/" => b"GET, HEAD, POST",
            b"/echo" => b"POST, PUT",
            _ => b"GET, HEAD",
        };
        let headers = [
            ("Date", &date[..]),
            ("Server", SERVER),
            ("Content-Type", b"text/plain; charset=utf-8"),
            ("Allow", allow),
        ];
        self.send_whole(
            conn,
            &Response::new(405).headers(&headers),
            b"method not allowed\n",
        );
    }

    fn send_file(&mut self, conn: &mut Connection, path: &Path, date: &[u8; 29]) {
        let opened = File::open(path).and_then(|f| Ok((f.metadata()?.len(), f)));
        let Ok((len, file)) = opened else {
            return self.send_text(conn, 404, b"not found\n", date);
        };
        let headers = [
            ("Date", &date[..]),
            ("Server", SERVER),
            ("Content-Type", content_type(path).as_bytes()),
        ];
        self.start_produced(
            conn,
            &Response::new(200).headers(&headers).length(len),
            Producer::File { file, left: len },
        );
    }

    /// Starts a response whose body is produced as output drains (nothing more for HEAD).
    fn start_produced(&mut self, conn: &mut Connection, resp: &Response<'_>, producer: Producer) {
        let now = self.now();
        match conn.send_response(resp, now) {
            Ok(ResponseFraming::NoBody { .. }) => {
                let r = conn.finish(now);
                check(conn, r);
            }
            Ok(_) => {
                self.job = Job::Produce(producer);
                self.produce(conn);
            }
            Err(e) => check(conn, Err::<(), _>(e)),
        }
    }

    /// Writes more of a produced body while output is below [`HIGH_WATER`]. True when the response
    /// was finished (the next pipelined request may now surface).
    fn produce(&mut self, conn: &mut Connection) -> bool {
        let now = self.now();
        let Job::Produce(p) = &mut self.job else {
            return false;
        };
        while conn.transmit().len() < HIGH_WATER {
            if conn.poll_close().is_some() {
                // Aborted: nothing more will be sent.
                self.job = Job::Idle;
                return false;
            }
            let piece: io::Result<Option<&[u8]>> = match p {
                Producer::Pattern { left: 0, .. } | Producer::File { left: 0, .. } => Ok(None),
                Producer::Pattern { left, size, index } => {
                    self.scratch.clear();
                    self.scratch.resize(*size, b'a' + (*index % 26) as u8);
                    if let Some(last) = self.scratch.last_mut() {
                        *last = b'\n';
                    }
                    *left -= 1;
                    *index += 1;
                    Ok(Some(&self.scratch[..]))
                }
                Producer::File { file, left } => {
                    let want = (*left).min(64 * 1024) as usize;
                    self.scratch.resize(want, 0);
                    match file.read(&mut self.scratch[..want]) {
                        Ok(0) => Err(io::ErrorKind::UnexpectedEof.into()),
                        Ok(n) => {
                            *left -= n as u64;
                            Ok(Some(&self.scratch[..n]))
                        }
                        Err(e) => Err(e),
                    }
                }
            };
            match piece {
                Ok(Some(bytes)) => {
                    if let Err(e) = conn.send_body(bytes, now) {
                        self.job = Job::Idle;
                        check(conn, Err::<(), _>(e));
                        return false;
                    }
                }
                Ok(None) => {
                    self.job = Job::Idle;
                    let r = conn.finish(now);
                    check(conn, r);
                    return true;
                }
                Err(e) => {
                    // The file changed under us: the body cannot be completed.
                    eprintln!("read error: {e}");
                    self.job = Job::Idle;
                    conn.handle_write_failed();
                    return false;
                }
            }
        }
        false
    }

    fn send_text(&mut self, conn: &mut Connection, status: u16, body: &[u8], date: &[u8; 29]) {
        self.send(conn, status, "text/plain; charset=utf-8", body, date);
    }

    fn send(&mut self, conn: &mut Connection, status: u16, ct: &str, body: &[u8], date: &[u8; 29]) {
        let headers = [
            ("Date", &date[..]),
            ("Server", SERVER),
            ("Content-Type", ct.as_bytes()),
        ];
        self.send_whole(conn, &Response::new(status).headers(&headers), body);
    }

    /// A whole response; to HEAD, its length and no body.
    fn send_whole(&mut self, conn: &mut Connection, resp: &Response<'_>, body: &[u8]) {
        let r = if self.head {
            conn.send_full(&resp.length(body.len() as u64), b"", self.now())
        } else {
            conn.send_full(resp, body, self.now())
        };
        check(conn, r);
    }
}

/// A usage error is a bug in this application: report it and drop the connection.
fn check<T>(conn: &mut Connection, r: Result<T, h1conn::UsageError>) {
    if let Err(e) = r {
        eprintln!("h1conn usage error: {e}");
        conn.handle_write_failed();
    }
}
