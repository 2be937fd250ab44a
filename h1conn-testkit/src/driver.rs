//! The transcript driver: one [`Driver`] owns a [`Connection`] and a virtual clock, feeds it input
//! (whole, in given pieces with clock ticks between them, or split at every boundary), answers each
//! request through a [`Policy`], acknowledges output (or stalls it), and records what happened
//! through a [`Record`]: by default a readable [`Transcript`].
//!
//! ```
//! use h1conn::{BodyFraming, Config};
//! use h1conn_testkit::driver::{Driver, Out};
//!
//! let mut d = Driver::new(Config::default()); // answers each request with an empty 200
//! d.feed(b"POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nhi");
//! assert_eq!(d.rec.outs[0].framing(), BodyFraming::Length(2));
//! assert_eq!(d.rec.outs[1], Out::Data(b"hi".to_vec()));
//! assert_eq!(d.take_log(), ["request POST /a", "data hi", "end"]);
//! assert!(d.take_wire().starts_with("HTTP/1.1 200 OK\r\n"));
//! ```
//!
//! The benchmarks instantiate the same driver with a policy and a recorder of their own, which
//! record nothing.

use core::fmt;
use core::time::Duration;
use std::sync::Arc;

use h1conn::{
    BodyFraming, Close, Config, Connection, Event, PeerErrorKind, Request, Response, ResponseFraming,
    UsageError, Version,
};

/// One millisecond of the virtual clock.
pub const MS: Duration = Duration::from_millis(1);
/// One second of the virtual clock.
pub const SEC: Duration = Duration::from_secs(1);

// ---- what the driver is generic over ---------------------------------------------------------------

/// How the application answers. Called after the event was recorded.
pub trait Policy {
    /// A request head was surfaced.
    fn request(&mut self, conn: &mut Connection, req: Request, now: Duration);
    /// The body of the last request surfaced ended.
    fn end(&mut self, conn: &mut Connection, now: Duration);
}

/// What the driver keeps of a run.
pub trait Record {
    /// Every event, before the policy sees it.
    fn event(&mut self, ev: &Event);
    /// Output bytes as they are acknowledged.
    fn wire(&mut self, out: &[u8]);
}

// ---- the driver ------------------------------------------------------------------------------------

/// A connection, a virtual clock, an answering policy and a recorder.
pub struct Driver<P = Answer, R = Transcript> {
    /// The connection (tests call its methods directly, then [`Driver::pump`]).
    pub conn: Connection,
    /// The virtual clock.
    pub now: Duration,
    /// How requests are answered.
    pub policy: P,
    /// What is recorded.
    pub rec: R,
    /// Leave output unacknowledged (a peer that does not read); [`Driver::ack`] writes some.
    pub stall_output: bool,
}

impl Driver {
    /// A recording driver at time zero that answers each request with an empty 200.
    pub fn new(cfg: impl Into<Arc<Config>>) -> Self {
        Driver::at(cfg, Duration::ZERO)
    }

    /// The same with the clock starting at `now`.
    pub fn at(cfg: impl Into<Arc<Config>>, now: Duration) -> Self {
        Driver::with(cfg, now, Answer::default(), Transcript::default())
    }

    /// A simulated client: the test answers every request itself, the clock starts at 1000 s.
    pub fn client(cfg: impl Into<Arc<Config>>) -> Self {
        Driver::at(cfg, 1000 * SEC).answer(Answer::manual())
    }

    /// Answers by `answer` instead.
    pub fn answer(mut self, answer: Answer) -> Self {
        self.policy = answer;
        self
    }
}

impl<P: Policy, R: Record> Driver<P, R> {
    /// A driver with any policy and recorder.
    pub fn with(cfg: impl Into<Arc<Config>>, now: Duration, policy: P, rec: R) -> Self {
        Driver {
            conn: Connection::new(cfg, now),
            now,
            policy,
            rec,
            stall_output: false,
        }
    }

    /// Feeds `bytes`, draining events and output after every call, until all are taken or the
    /// connection stops taking them (done, upgraded, or full while nothing drains). Returns how
    /// many it took.
    #[inline(always)]
    pub fn feed(&mut self, bytes: &[u8]) -> usize {
        let mut off = 0;
        let mut idle = 0;
        while off < bytes.len() && idle < 3 {
            let took = self.conn.handle_input(&bytes[off..], self.now);
            off += took;
            idle = if took == 0 { idle + 1 } else { 0 };
            self.pump();
            // An adapter reads the next deadline once per turn of its loop.
            core::hint::black_box(self.conn.poll_timeout());
        }
        if bytes.is_empty() {
            self.pump();
        }
        off
    }

    /// Feeds the pieces in order, advancing the clock by `ticks[i]` before piece `i` (firing every
    /// deadline on the way). Stops at the first piece not taken whole; returns whether all were.
    pub fn feed_pieces(&mut self, pieces: &[&[u8]], ticks: &[Duration]) -> bool {
        for (i, p) in pieces.iter().enumerate() {
            self.advance(ticks.get(i).copied().unwrap_or_default());
            if self.feed(p) < p.len() {
                return false;
            }
        }
        true
    }

    /// The peer ends its input.
    pub fn eof(&mut self) {
        self.conn.handle_eof(self.now);
        self.pump();
    }

    /// Drains events (recording each, then handing it to the policy), then output.
    #[inline(always)]
    pub fn pump(&mut self) {
        while let Some(ev) = self.conn.poll_event() {
            self.rec.event(&ev);
            match ev {
                Event::Request(r) => self.policy.request(&mut self.conn, r, self.now),
                Event::End(_) => self.policy.end(&mut self.conn, self.now),
                _ => {}
            }
        }
        self.flush();
    }

    /// Writes and acknowledges all pending output, unless output is stalled.
    #[inline]
    pub fn flush(&mut self) {
        if !self.stall_output {
            self.ack(self.conn.transmit().len());
        }
    }

    /// Writes and acknowledges the first `n` bytes of pending output.
    #[inline]
    pub fn ack(&mut self, n: usize) {
        if n > 0 {
            self.rec.wire(&self.conn.transmit()[..n]);
            self.conn
                .handle_written(n, self.now)
                .expect("ack within transmit");
        }
    }

    /// Advances the clock by `d`, firing each deadline on the way at its time.
    pub fn advance(&mut self, d: Duration) {
        self.advance_to(self.now + d);
    }

    /// Advances the clock to `t`, firing each deadline on the way at its time.
    pub fn advance_to(&mut self, t: Duration) {
        let mut guard = 0;
        while let Some(d) = self.conn.poll_timeout().filter(|&d| d <= t) {
            guard += 1;
            assert!(guard < 1000, "timers do not settle");
            self.now = self.now.max(d);
            self.fire();
        }
        self.now = self.now.max(t);
        self.pump();
    }

    /// Moves the clock by `d` at once and calls `handle_timeout` once (a late wake-up).
    pub fn jump(&mut self, d: Duration) {
        self.now += d;
        self.fire();
    }

    /// `handle_timeout(now)`: afterwards no deadline may lie at or before `now`.
    fn fire(&mut self) {
        self.conn.handle_timeout(self.now);
        if let Some(next) = self.conn.poll_timeout() {
            assert!(next > self.now, "deadline {next:?} not after now {:?}", self.now);
        }
        self.pump();
    }

    /// Answers with `status`, `Content-Type: text/plain` and `body`.
    pub fn respond(&mut self, status: u16, body: &[u8]) {
        let resp = Response::new(status).headers(&[("Content-Type", b"text/plain")]);
        self.respond_with(resp, body).expect("respond");
    }

    /// Answers with `resp` and `body`.
    pub fn respond_with(&mut self, resp: Response<'_>, body: &[u8]) -> Result<(), UsageError> {
        let r = self.conn.send_full(&resp, body, self.now);
        self.pump();
        r
    }

    /// Sends the rest of the response body in `parts`, then finishes the response.
    pub fn finish_body(&mut self, parts: &[&[u8]]) {
        for p in parts {
            self.conn.send_body(p, self.now).expect("send_body");
        }
        self.conn.finish(self.now).expect("finish");
        self.pump();
    }

    /// The close decision, if any.
    pub fn close(&self) -> Option<Close> {
        self.conn.poll_close()
    }
}

// ---- answering -------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum When {
    Never,
    End,
    Head,
}

/// The answers of an [`Answer`] policy: request index → (status, body). `Some(body)` is sent with
/// its length; `None` streams `abc` with no length announced.
pub type Replies = Box<dyn FnMut(usize) -> (u16, Option<Vec<u8>>)>;

/// The recording driver's policy: answer nothing ([`Answer::manual`]), or answer each request once
/// its body ended (accepting a body that waits for `100 Continue`), or as soon as its head arrived
/// ([`Answer::early`]: the body is left to the connection). Every answer carries `X-Req: INDEX`.
pub struct Answer {
    when: When,
    replies: Replies,
    answered: usize,
}

impl Default for Answer {
    /// An empty 200.
    fn default() -> Self {
        Answer::status(200)
    }
}

impl Answer {
    /// No answers: the test answers itself, and accepts bodies itself.
    pub fn manual() -> Self {
        Answer {
            when: When::Never,
            ..Answer::default()
        }
    }

    /// Each request gets `status` and an empty body.
    pub fn status(status: u16) -> Self {
        Answer::with(move |_| (status, Some(Vec::new())))
    }

    /// Request `i` gets `replies(i)`.
    pub fn with(replies: impl FnMut(usize) -> (u16, Option<Vec<u8>>) + 'static) -> Self {
        Answer {
            when: When::End,
            replies: Box::new(replies),
            answered: 0,
        }
    }

    /// Answers as soon as the head arrives, never accepting a body that waits for `100 Continue`.
    pub fn early(self) -> Self {
        Answer {
            when: When::Head,
            ..self
        }
    }

    fn reply(&mut self, conn: &mut Connection, now: Duration) {
        let (status, body) = (self.replies)(self.answered);
        let tag = self.answered.to_string();
        self.answered += 1;
        let headers = [("X-Req", tag.as_bytes())];
        let resp = Response::new(status).headers(&headers);
        match body {
            // A response without a body (HEAD, 204, 304, ...) announces the length and sends none.
            Some(b) => match conn.send_full(&resp, &b, now) {
                Err(UsageError::BodyNotAllowed) => conn
                    .send_full(&resp.length(b.len() as u64), b"", now)
                    .expect("answer"),
                r => r.expect("answer"),
            },
            None => {
                if !matches!(
                    conn.send_response(&resp, now).expect("answer"),
                    ResponseFraming::NoBody { .. }
                ) {
                    conn.send_body(b"abc", now).expect("answer body");
                }
                conn.finish(now).expect("finish");
            }
        }
    }
}

impl Policy for Answer {
    fn request(&mut self, conn: &mut Connection, req: Request, now: Duration) {
        match self.when {
            When::Head => self.reply(conn, now),
            When::End if req.expects_continue => conn.accept_body(now).expect("accept_body"),
            _ => {}
        }
    }

    fn end(&mut self, conn: &mut Connection, now: Duration) {
        if self.when == When::End {
            self.reply(conn, now);
        }
    }
}

// ---- recording -------------------------------------------------------------------------------------

/// Header or trailer fields: names as sent, values trimmed.
pub type Fields = Vec<(String, Vec<u8>)>;

/// One entry of a transcript.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Out {
    /// A request head.
    Req {
        /// Method as sent.
        method: String,
        /// Target as sent.
        target: Vec<u8>,
        /// Version.
        version: Version,
        /// Minor digit as sent.
        minor: u8,
        /// Header fields.
        fields: Fields,
        /// Body framing.
        body: BodyFraming,
        /// Waits for 100 Continue.
        expects_continue: bool,
    },
    /// Body bytes (consecutive pieces merged).
    Data(Vec<u8>),
    /// End of the body, with its trailer fields.
    End(Fields),
    /// A peer error.
    Err(PeerErrorKind),
    /// The rest of the request body was not delivered (the response ended first).
    Discarded,
    /// The connection switched protocols or opened a tunnel; the bytes it handed over.
    Upgrade(Vec<u8>),
}

impl Out {
    /// Method and target of a request.
    pub fn req_line(&self) -> Option<(&str, &str)> {
        match self {
            Out::Req { method, target, .. } => Some((method, std::str::from_utf8(target).ok()?)),
            _ => None,
        }
    }

    /// The first value of field `name` of a request.
    pub fn header(&self, name: &str) -> Option<&[u8]> {
        match self {
            Out::Req { fields, .. } => fields
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_slice()),
            _ => None,
        }
    }

    /// The framing of a request.
    pub fn framing(&self) -> BodyFraming {
        match self {
            Out::Req { body, .. } => *body,
            o => panic!("not a request: {o:?}"),
        }
    }
}

/// `request GET /a [expect-100]`, `data ...`, `end [trailers=N]`, `error STATUS`, `upgrade ...`.
impl fmt::Display for Out {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        match self {
            Out::Req {
                method,
                target,
                expects_continue,
                ..
            } => {
                let expect = if *expects_continue { " expect-100" } else { "" };
                write!(f, "request {method} {}{expect}", text(target))
            }
            Out::Data(d) => write!(f, "data {}", text(d)),
            Out::End(t) if t.is_empty() => write!(f, "end"),
            Out::End(t) => write!(f, "end trailers={}", t.len()),
            Out::Err(k) => write!(f, "error {}", k.status()),
            Out::Discarded => write!(f, "discarded"),
            Out::Upgrade(b) => write!(f, "upgrade {}", text(b)),
        }
    }
}

fn fields(f: h1conn::Fields<'_>) -> Fields {
    f.iter().map(|f| (f.name.to_string(), f.value.to_vec())).collect()
}

/// The default recorder: the events as [`Out`] entries, the requests as surfaced, the wire bytes.
#[derive(Debug, Clone, Default)]
pub struct Transcript {
    /// The events.
    pub outs: Vec<Out>,
    /// Every request surfaced, in order.
    pub requests: Vec<Request>,
    /// Every byte acknowledged.
    pub wire: Vec<u8>,
    /// The bytes handed over by an upgrade.
    pub upgraded: Option<Vec<u8>>,
}

impl Record for Transcript {
    fn event(&mut self, ev: &Event) {
        let out = match ev {
            Event::Request(r) => {
                self.requests.push(r.clone());
                let h = &r.head;
                Out::Req {
                    method: h.method_str().to_string(),
                    target: h.target().to_vec(),
                    version: h.version(),
                    minor: h.minor_version(),
                    fields: fields(h.headers()),
                    body: r.framing,
                    expects_continue: r.expects_continue,
                }
            }
            Event::Data(d) => {
                assert!(!d.is_empty(), "empty Data event");
                if let Some(Out::Data(v)) = self.outs.last_mut() {
                    v.extend_from_slice(d);
                    return;
                }
                Out::Data(d.to_vec())
            }
            Event::End(t) => Out::End(t.as_ref().map(|t| fields(t.fields())).unwrap_or_default()),
            Event::Error(e) => Out::Err(e.kind()),
            Event::Discarded => Out::Discarded,
            Event::Upgrade(b) => {
                self.upgraded = Some(b.to_vec());
                Out::Upgrade(b.to_vec())
            }
        };
        self.outs.push(out);
    }

    fn wire(&mut self, out: &[u8]) {
        self.wire.extend_from_slice(out);
    }
}

impl<P: Policy> Driver<P, Transcript> {
    /// Feeds the pieces (see [`Driver::feed_pieces`]) and returns the transcript and the wire.
    /// Every transcript is checked against the grammar of events ([`check_grammar`]).
    pub fn run(mut self, pieces: &[&[u8]], ticks: &[Duration]) -> (Vec<Out>, Vec<u8>) {
        self.feed_pieces(pieces, ticks);
        if let Err(e) = check_grammar(&self.rec.outs) {
            panic!("{e}: {:?}", self.rec.outs);
        }
        (self.rec.outs, self.rec.wire)
    }

    /// The events since the last call, as text (see [`Out`]'s `Display`).
    pub fn take_log(&mut self) -> Vec<String> {
        self.rec.outs.drain(..).map(|o| o.to_string()).collect()
    }

    /// The bytes written since the last call, as text.
    pub fn take_wire(&mut self) -> String {
        let s = String::from_utf8_lossy(&self.rec.wire).into_owned();
        self.rec.wire.clear();
        s
    }
}

// ---- whole runs ------------------------------------------------------------------------------------

/// Runs `input` whole, byte by byte, and split in two at every boundary, answering each request
/// with an empty 200; asserts every run gives the same transcript and wire bytes, and returns them.
pub fn run_all_splits(input: &[u8], cfg: &Config) -> (Vec<Out>, Vec<u8>) {
    let run = |pieces: &[&[u8]]| Driver::new(cfg.clone()).run(pieces, &[]);
    let whole = run(&[input]);
    let show = input.escape_ascii();
    assert_eq!(
        whole,
        run(&input.chunks(1).collect::<Vec<_>>()),
        "byte by byte differs for {show}"
    );
    for i in 1..input.len() {
        let (a, b) = input.split_at(i);
        assert_eq!(whole, run(&[a, b]), "split at {i} differs for {show}");
    }
    whole
}

/// Feeds the pieces to a default connection without answering, then the end of input; returns the
/// transcript and the bytes sent.
pub fn feed_then_eof(pieces: &[&[u8]]) -> (Vec<Out>, Vec<u8>) {
    let mut d = Driver::new(Config::default()).answer(Answer::manual());
    d.feed_pieces(pieces, &[]);
    d.eof();
    (d.rec.outs, d.rec.wire)
}

/// `GET path HTTP/1.1` with Host.
pub fn get(path: &str) -> Vec<u8> {
    format!("GET {path} HTTP/1.1\r\nHost: example.com\r\n\r\n").into_bytes()
}

/// `s` with every LF made CRLF.
pub fn req(s: &str) -> Vec<u8> {
    s.replace('\n', "\r\n").into_bytes()
}

/// The grammar of events the connection promises (`h1conn::Event`): every request is followed by its
/// data and then exactly one of end, error or discarded; an upgrade only follows an end; an error
/// without a request is the last event. `Err` with the offending position when the events break it.
pub fn check_grammar(outs: &[Out]) -> Result<(), String> {
    #[derive(PartialEq)]
    enum At {
        Between,
        InBody,
        Ended,
        Over,
    }
    let mut at = At::Between;
    for (i, o) in outs.iter().enumerate() {
        at = match (at, o) {
            (At::Over, _) => return Err(format!("event {i} ({o}) after the connection's last event")),
            (At::Between | At::Ended, Out::Req { .. }) => At::InBody,
            (At::InBody, Out::Data(_)) => At::InBody,
            (At::InBody, Out::End(_) | Out::Discarded) => At::Ended,
            (At::InBody | At::Between | At::Ended, Out::Err(_)) => At::Over,
            (At::Ended, Out::Upgrade(_)) => At::Over,
            (_, o) => return Err(format!("event {i} ({o}) out of order")),
        };
    }
    Ok(())
}
