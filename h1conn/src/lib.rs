//! # h1conn
//!
//! HTTP/1.0 and HTTP/1.1 server connections as a pure, sans-I/O state machine. A [`Connection`]
//! consumes received bytes and clock ticks and produces request events, response bytes,
//! keep-alive / close decisions and deadlines. It never touches a socket and never reads a clock:
//! time is always an argument, a [`Duration`](core::time::Duration) since an origin the caller
//! chooses.
//!
//! RFC 9112 and RFC 9110 are the rules; [`docs::conformance`] maps each one to the code and the test
//! that shows it. [`docs::design`] shows the states (a diagram generated from the transition
//! tables) and where each decision lives, [`docs::configuration`] every setting, and
//! [`docs::adapters`] how to drive a connection from any I/O layer.
//!
//! ## The driving contract
//!
//! 1. Create one [`Connection`] per accepted transport with [`Connection::new`]`(config, now)`.
//! 2. **Input.** When bytes arrive, call [`Connection::handle_input`]`(bytes, now)`; it returns how
//!    many it took (fewer when its buffer is full: drain events and output, then offer the rest).
//!    When the peer ends its input, call [`Connection::handle_eof`]`(now)` (never an empty slice).
//! 3. **Events.** After every input, drain [`Connection::poll_event`] until `None`. Each
//!    [`Event::Request`] is followed by its [`Event::Data`] pieces and then exactly one of
//!    [`Event::End`], [`Event::Error`] (the body broke a rule) or [`Event::Discarded`] (the response
//!    ended first); an [`Event::Upgrade`] may follow `End`. A request with `expects_continue` gets
//!    its body only after [`Connection::accept_body`].
//! 4. **Respond** in request order: [`Connection::send_response`], then [`Connection::send_body`] as
//!    often as needed, then [`Connection::finish`] or [`Connection::finish_with_trailers`] (or all
//!    at once, [`Connection::send_full`]). Interim 1xx may come first. The connection adds
//!    Content-Length / Transfer-Encoding / Connection / Keep-Alive, and `Date` when given one with
//!    [`Connection::set_date`]. [`Response::close`] closes the connection after that response;
//!    [`Connection::abort_response`] cuts a response short (flush what was given, then close).
//!    What the application gives is sent or refused with a [`UsageError`], never dropped.
//! 5. **Output.** Write [`Connection::transmit`] to the transport and acknowledge what was written
//!    with [`Connection::handle_written`]`(n, now)`; if writing fails, call
//!    [`Connection::handle_write_failed`], if reading fails, [`Connection::handle_read_failed`].
//! 6. **Time and reading.** Sleep until [`Connection::poll_timeout`] (a deadline on the same time
//!    line as `now`), or until input arrives, reading only while [`Connection::wants_read`] is true
//!    (it is false while output piles up: the server's own back-pressure, which never runs the read
//!    timers); on waking call [`Connection::handle_timeout`]`(now)`. A call with nothing expired
//!    does nothing. Re-read `poll_timeout` and `wants_read` after every call.
//! 7. **Fate.** After output is drained, [`Connection::poll_close`] says whether to close and how:
//!    [`CloseHow::Graceful`] (close), [`CloseHow::Linger`] (shut down writing, keep feeding input
//!    until [`Connection::is_done`]), [`CloseHow::Abort`] (close now, never reuse). An
//!    [`Event::Upgrade`] hands the transport to another protocol after `transmit` is flushed.
//! 8. [`Connection::shutdown`] asks for a graceful close: no new request starts.
//!
//! ## A socket loop (shape only)
//!
//! ```no_run
//! use std::io::{ErrorKind, Read, Write};
//! use std::time::{Duration, Instant};
//! use h1conn::{Config, Connection, Event, Response};
//!
//! let listener = std::net::TcpListener::bind("127.0.0.1:8080").unwrap();
//! let (mut sock, _) = listener.accept().unwrap();
//! let origin = Instant::now();
//! let mut conn = Connection::new(Config::default(), origin.elapsed());
//! let mut pending = Vec::new(); // input the connection has not taken yet
//! let mut buf = [0u8; 16 * 1024];
//! loop {
//!     let now = origin.elapsed();
//!     let took = conn.handle_input(&pending, now);
//!     pending.drain(..took);
//!     while let Some(ev) = conn.poll_event() {
//!         match ev {
//!             Event::Request(req) if req.expects_continue => conn.accept_body(now).unwrap(),
//!             Event::End(_) => {
//!                 let r = Response::new(200).headers(&[("Content-Type", b"text/plain")]);
//!                 conn.send_full(&r, b"hello", now).unwrap();
//!             }
//!             _ => {}
//!         }
//!     }
//!     while !conn.transmit().is_empty() {
//!         match sock.write(conn.transmit()) {
//!             Ok(n) => conn.handle_written(n, origin.elapsed()).unwrap(),
//!             Err(_) => conn.handle_write_failed(),
//!         }
//!     }
//!     if conn.is_done() || conn.poll_close().is_some() {
//!         break; // a real server lingers on CloseHow::Linger
//!     }
//!     let wait = conn.poll_timeout().map(|d| {
//!         d.saturating_sub(origin.elapsed()).max(Duration::from_millis(1))
//!     });
//!     if !pending.is_empty() || !conn.wants_read() {
//!         // The connection asks for no input now: wait for its next deadline, read nothing.
//!         std::thread::sleep(wait.unwrap_or(Duration::from_millis(10)));
//!         conn.handle_timeout(origin.elapsed());
//!         continue;
//!     }
//!     sock.set_read_timeout(wait).unwrap();
//!     match sock.read(&mut buf) {
//!         Ok(0) => conn.handle_eof(origin.elapsed()),
//!         Ok(n) => pending.extend_from_slice(&buf[..n]),
//!         Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
//!             conn.handle_timeout(origin.elapsed())
//!         }
//!         Err(_) => conn.handle_read_failed(),
//!     }
//! }
//! ```
//!
//! ## An exchange in memory
//!
//! ```
//! use core::time::Duration;
//! use h1conn::{Config, Connection, Event, Response};
//!
//! let t0 = Duration::ZERO;
//! let mut conn = Connection::new(Config::default(), t0);
//! conn.handle_input(b"GET /hello HTTP/1.1\r\nHost: example.com\r\n\r\n", t0);
//!
//! let Some(Event::Request(req)) = conn.poll_event() else { panic!() };
//! assert_eq!(req.head.target(), b"/hello");
//! assert!(matches!(conn.poll_event(), Some(Event::End(None))));
//!
//! let resp = Response::new(200).headers(&[("Content-Type", b"text/plain")]);
//! conn.send_full(&resp, b"hi", t0).unwrap();
//! assert_eq!(
//!     conn.transmit(),
//!     b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nhi"
//! );
//! let n = conn.transmit().len();
//! conn.handle_written(n, t0).unwrap();
//!
//! // Idle now: after 1 s the connection gives its buffers back (an idle keep-alive connection
//! // holds no heap), after 5 s the keep-alive timeout closes it.
//! assert_eq!(conn.poll_timeout(), Some(Duration::from_secs(1)));
//! conn.handle_timeout(Duration::from_secs(1));
//! assert_eq!(conn.heap_bytes(), 0);
//! assert_eq!(conn.poll_timeout(), Some(Duration::from_secs(5)));
//! conn.handle_timeout(Duration::from_secs(5));
//! assert!(conn.is_done());
//! ```
#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![deny(unnameable_types)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod blocking;
mod config;
mod conn;
mod error;
#[cfg(feature = "http")]
mod http_interop;
mod request;
mod response;

#[cfg(feature = "std")]
pub use blocking::{Blocking, Plain, Step, Transport};
pub use config::{Config, KeepAlive, KeepAliveHeader, Limits, Profile, Timeouts};
pub use conn::deadlines::Timer;
pub use conn::persistence::{CloseReason, CloseReasons, Persistence};
pub use conn::{Close, CloseHow, Connection, Event, Request};
pub use error::{PeerError, PeerErrorKind, UsageError};
#[cfg(feature = "http")]
pub use http_interop::{FieldCache, HttpResponseHead};
pub use request::fields::{ConnectionOptions, Expect};
pub use request::framing::BodyFraming;
pub use request::head::{Field, Fields, Method, RequestHead, TargetForm, Trailers, Version};
pub use response::date::http_date;
#[cfg(feature = "std")]
pub use response::date::http_date_now;
pub use response::framing::ResponseFraming;
pub use response::{reason_phrase, Response};

#[cfg(feature = "arbitrary")]
pub mod gen;

/// The guides, as chapters of this documentation (the same files as the crate's `docs/` folder).
pub mod docs {
    /// Where each rule lives, the reader and writer states, the latch, the timers.
    #[doc = include_str!("../docs/design.md")]
    pub mod design {}
    /// Every configuration field, its default, and the Apache, nginx and Go setting it mirrors.
    #[doc = include_str!("../docs/configuration.md")]
    pub mod configuration {}
    /// Driving a `Connection` from an I/O layer: what to call when.
    #[doc = include_str!("../docs/adapters.md")]
    pub mod adapters {}
    /// Every rule of RFC 9112 / RFC 9110 the crate enforces, and the test that shows it.
    #[doc = include_str!("../docs/conformance.md")]
    pub mod conformance {}
}
