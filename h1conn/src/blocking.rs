//! Driving a connection over a blocking transport, one thread per connection (feature `std`).
//!
//! [`BlockingIo`] owns the transport, a read buffer and the clock, and does one round of I/O per
//! [`complete_io`](BlockingIo::complete_io) call, in the spirit of rustls' `complete_io`: it hands
//! over input the connection did not take yet, else writes all pending output (the read timers
//! stand still meanwhile: the server's own writes are never the peer's fault), else closes as the
//! connection decided, else waits for input or the next deadline, whichever comes first. The
//! application drains events between rounds, so a thread-per-connection server is a few lines:
//!
//! ```no_run
//! use std::net::TcpListener;
//! use std::time::Instant;
//! use h1conn::blocking::BlockingIo;
//! use h1conn::{Config, Connection, Event, Response};
//!
//! let listener = TcpListener::bind("127.0.0.1:8080")?;
//! let origin = Instant::now();
//! for sock in listener.incoming() {
//!     let sock = sock?;
//!     std::thread::spawn(move || {
//!         let mut io = BlockingIo::new(sock, move || origin.elapsed());
//!         let mut conn = Connection::new(Config::default(), io.now());
//!         loop {
//!             while let Some(ev) = conn.poll_event() {
//!                 if let Event::End(_) = ev {
//!                     let _ = conn.send_full(&Response::new(200), b"hello\n", io.now());
//!                 }
//!             }
//!             if io.complete_io(&mut conn).is_finished() {
//!                 break;
//!             }
//!         }
//!     });
//! }
//! # Ok::<(), std::io::Error>(())
//! ```
//!
//! A response body streamed in pieces is paced by the peer: each round writes everything pending
//! before the application is asked for more (check [`Connection::transmit`]'s length, or call
//! `complete_io` after each piece).

use core::time::Duration;
use std::io::{self, ErrorKind, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::time::{SystemTime, UNIX_EPOCH};
use std::vec::Vec;

use crate::{http_date, CloseHow, Connection};

/// A blocking byte stream whose reads and writes can be bounded in time, and whose output can be
/// ended while input stays open (a TCP half-close).
pub trait Transport: Read + Write {
    /// Bounds each following read (`None`: no bound).
    fn set_read_timeout(&mut self, timeout: Option<Duration>) -> io::Result<()>;
    /// Bounds each following write (`None`: no bound).
    fn set_write_timeout(&mut self, timeout: Option<Duration>) -> io::Result<()>;
    /// Ends the output (TCP FIN); reads still work.
    fn shutdown_write(&mut self) -> io::Result<()>;
}

impl Transport for TcpStream {
    fn set_read_timeout(&mut self, timeout: Option<Duration>) -> io::Result<()> {
        TcpStream::set_read_timeout(self, timeout)
    }
    fn set_write_timeout(&mut self, timeout: Option<Duration>) -> io::Result<()> {
        TcpStream::set_write_timeout(self, timeout)
    }
    fn shutdown_write(&mut self) -> io::Result<()> {
        self.shutdown(Shutdown::Write)
    }
}

#[cfg(unix)]
impl Transport for std::os::unix::net::UnixStream {
    fn set_read_timeout(&mut self, timeout: Option<Duration>) -> io::Result<()> {
        std::os::unix::net::UnixStream::set_read_timeout(self, timeout)
    }
    fn set_write_timeout(&mut self, timeout: Option<Duration>) -> io::Result<()> {
        std::os::unix::net::UnixStream::set_write_timeout(self, timeout)
    }
    fn shutdown_write(&mut self) -> io::Result<()> {
        self.shutdown(Shutdown::Write)
    }
}

/// What a round of [`BlockingIo::complete_io`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Round {
    /// Input was handed over, output written, or a timer fired: drain events and call again.
    Progress,
    /// The connection is finished and the transport closed as it decided (or failed): drop both.
    Finished,
}

impl Round {
    /// True once nothing more will happen on this connection.
    pub fn is_finished(self) -> bool {
        self == Round::Finished
    }
}

/// Bytes read per call, and the size of the read buffer.
const READ_CHUNK: usize = 8 * 1024;

/// One connection's transport, read buffer and clock, driven a round at a time (see the
/// [module documentation](self)).
#[derive(Debug)]
pub struct BlockingIo<T, C> {
    io: T,
    clock: C,
    buf: Vec<u8>,
    /// `buf[start..end]`: read but not yet taken by the connection.
    start: usize,
    end: usize,
    input_open: bool,
    write_shut: bool,
    /// The `Date` last given to the connection, and the second it stands for.
    date_second: u64,
    last_error: Option<io::Error>,
}

impl<T: Transport, C: FnMut() -> Duration> BlockingIo<T, C> {
    /// Drives `io`; `clock` gives the time on the connection's time line (for example
    /// `move || origin.elapsed()` with one `Instant` origin for every connection).
    pub fn new(io: T, clock: C) -> Self {
        BlockingIo {
            io,
            clock,
            buf: Vec::new(),
            start: 0,
            end: 0,
            input_open: true,
            write_shut: false,
            date_second: u64::MAX,
            last_error: None,
        }
    }

    /// The time now, from the clock.
    pub fn now(&mut self) -> Duration {
        (self.clock)()
    }

    /// The transport.
    pub fn transport(&mut self) -> &mut T {
        &mut self.io
    }

    /// The transport error that ended the connection, if one did.
    pub fn last_error(&self) -> Option<&io::Error> {
        self.last_error.as_ref()
    }

    /// Read bytes the connection has not taken, and the transport, for a protocol that takes
    /// over after [`Event::Upgrade`](crate::Event::Upgrade) (whose own bytes come first).
    pub fn into_parts(self) -> (Vec<u8>, T) {
        (self.buf[self.start..self.end].to_vec(), self.io)
    }

    /// One round of I/O (see the [module documentation](self)). Drain
    /// [`poll_event`](Connection::poll_event) before each call.
    pub fn complete_io(&mut self, conn: &mut Connection) -> Round {
        self.refresh_date(conn);
        if conn.is_upgraded() {
            return Round::Finished;
        }
        // 1. Input read earlier and not yet taken.
        if self.start < self.end && conn.input_capacity() > 0 {
            let now = self.now();
            let took = conn.handle_input(&self.buf[self.start..self.end], now);
            self.start += took;
            if took > 0 {
                return Round::Progress;
            }
        }
        // 2. Output, all of it, bounded by the send deadline; nothing is read meanwhile.
        if conn.wants_write() {
            self.write_all(conn);
            return Round::Progress;
        }
        // 3. The close the connection decided, once output is drained.
        if let Some(close) = conn.poll_close() {
            match close.how {
                CloseHow::Abort => return Round::Finished,
                CloseHow::Graceful => {
                    let _ = self.io.shutdown_write();
                    return Round::Finished;
                }
                CloseHow::Linger if conn.is_done() => return Round::Finished,
                CloseHow::Linger => {
                    if !self.write_shut {
                        let _ = self.io.shutdown_write();
                        self.write_shut = true;
                    }
                    // Read on (the connection discards it) until it is done.
                    self.start = self.end;
                }
            }
        }
        // 4. Input, or the next deadline.
        let wait = self.until_deadline(conn);
        if self.input_open && self.start == self.end && conn.wants_read() {
            self.read(conn, wait);
            Round::Progress
        } else if let Some(t) = wait {
            std::thread::sleep(t);
            let now = self.now();
            conn.handle_timeout(now);
            Round::Progress
        } else {
            // No input can come and no timer is armed: nothing can happen any more.
            Round::Finished
        }
    }

    /// Time until the connection's next deadline (at least 1 ms: std takes a zero timeout as
    /// "none").
    fn until_deadline(&mut self, conn: &Connection) -> Option<Duration> {
        let now = self.now();
        conn.poll_timeout()
            .map(|d| d.saturating_sub(now).max(Duration::from_millis(1)))
    }

    fn write_all(&mut self, conn: &mut Connection) {
        let now = self.now();
        conn.pause_input(now);
        while conn.wants_write() {
            let wait = self.until_deadline(conn);
            let _ = self.io.set_write_timeout(wait);
            match self.io.write(conn.transmit()) {
                Ok(n) if n > 0 => {
                    let now = self.now();
                    // `n` never exceeds what transmit() gave.
                    let _ = conn.handle_written(n, now);
                }
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) if is_timeout(&e) => {
                    let now = self.now();
                    conn.handle_timeout(now);
                }
                Ok(_) => {
                    self.last_error = Some(ErrorKind::WriteZero.into());
                    conn.handle_write_failed();
                }
                Err(e) => {
                    self.last_error = Some(e);
                    conn.handle_write_failed();
                }
            }
        }
        let now = self.now();
        conn.resume_input(now);
    }

    fn read(&mut self, conn: &mut Connection, wait: Option<Duration>) {
        if self.buf.is_empty() {
            self.buf = std::vec![0; READ_CHUNK];
        }
        let _ = self.io.set_read_timeout(wait);
        match self.io.read(&mut self.buf) {
            Ok(0) => {
                self.input_open = false;
                let now = self.now();
                conn.handle_eof(now);
            }
            Ok(n) => {
                let now = self.now();
                let took = conn.handle_input(&self.buf[..n], now);
                (self.start, self.end) = (took, n);
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) if is_timeout(&e) => {
                let now = self.now();
                conn.handle_timeout(now);
            }
            Err(e) => {
                // A reset: nothing more can be sent either.
                self.last_error = Some(e);
                conn.handle_read_failed();
            }
        }
    }

    /// Gives the connection a new `Date` when the second changed.
    fn refresh_date(&mut self, conn: &mut Connection) {
        let secs = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        if secs != self.date_second {
            self.date_second = secs;
            conn.set_date(http_date(secs));
        }
    }
}

fn is_timeout(e: &io::Error) -> bool {
    matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut)
}
