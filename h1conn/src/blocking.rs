//! Driving a connection over blocking I/O: [`Connection::wants_write`], and (feature `std`)
//! [`Blocking`], one exchange step at a time over any blocking transport, in the spirit of
//! rustls' `complete_io`, so that a thread-per-connection server is a few lines.

use crate::Connection;

impl Connection {
    /// True when [`transmit`](Connection::transmit) holds bytes to write.
    pub fn wants_write(&self) -> bool {
        !self.transmit().is_empty()
    }
}

#[cfg(feature = "std")]
pub use driver::{Blocking, Plain, Step, Transport};

#[cfg(feature = "std")]
mod driver {
    use core::time::Duration;
    use std::io::{self, ErrorKind, Read, Write};
    use std::time::Instant;
    use std::vec::Vec;

    use crate::{CloseHow, Connection};

    /// Bytes read from the transport in one call (a buffer on the stack).
    const READ_CHUNK: usize = 16 * 1024;

    /// A blocking transport whose reads and writes can be bounded in time and whose write side can
    /// be shut down: `TcpStream` and `UnixStream` are.
    ///
    /// The bounds are what let the connection's timers fire while a read waits. Any other
    /// `Read + Write` (a TLS stream over a socket, say) takes part as [`Plain`]; or, to keep every
    /// bound exact, through a newtype of its own that forwards `Read` and `Write` to the stream,
    /// the two timeouts to the socket under it, and `shutdown_write` to the layer's own close
    /// (close_notify, a flush) followed by the socket's.
    pub trait Transport: Read + Write {
        /// Bounds the next reads (`None`: no bound), as `TcpStream::set_read_timeout`.
        fn set_read_timeout(&mut self, t: Option<Duration>) -> io::Result<()>;
        /// Bounds the next writes (`None`: no bound), as `TcpStream::set_write_timeout`.
        fn set_write_timeout(&mut self, t: Option<Duration>) -> io::Result<()>;
        /// Shuts down the write side (a FIN), as `TcpStream::shutdown(Shutdown::Write)`.
        fn shutdown_write(&mut self) -> io::Result<()>;
    }

    impl Transport for std::net::TcpStream {
        fn set_read_timeout(&mut self, t: Option<Duration>) -> io::Result<()> {
            std::net::TcpStream::set_read_timeout(self, t)
        }
        fn set_write_timeout(&mut self, t: Option<Duration>) -> io::Result<()> {
            std::net::TcpStream::set_write_timeout(self, t)
        }
        fn shutdown_write(&mut self) -> io::Result<()> {
            self.shutdown(std::net::Shutdown::Write)
        }
    }

    #[cfg(unix)]
    impl Transport for std::os::unix::net::UnixStream {
        fn set_read_timeout(&mut self, t: Option<Duration>) -> io::Result<()> {
            std::os::unix::net::UnixStream::set_read_timeout(self, t)
        }
        fn set_write_timeout(&mut self, t: Option<Duration>) -> io::Result<()> {
            std::os::unix::net::UnixStream::set_write_timeout(self, t)
        }
        fn shutdown_write(&mut self) -> io::Result<()> {
            self.shutdown(std::net::Shutdown::Write)
        }
    }

    /// Any `Read + Write` as a [`Transport`] that cannot be bounded or half-closed: the driver's
    /// bounds are not set, and a graceful close only flushes (the stream closes when it is
    /// dropped).
    ///
    /// The connection's timers run whenever a read or a write returns. A stream whose reads and
    /// writes never time out waits for the peer however long it takes: an idle connection is
    /// never closed by its keep-alive timeout, nor a stalled one by its send timeout. Give the
    /// socket under the stream read and write timeouts of its own before wrapping it, and the
    /// timers fire at most that late: a read or write that runs out of time (`WouldBlock` or
    /// `TimedOut`) is a step in which they run.
    #[derive(Debug)]
    pub struct Plain<T>(pub T);

    impl<T: Read> Read for Plain<T> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            self.0.read(buf)
        }
    }

    impl<T: Write> Write for Plain<T> {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.write(buf)
        }
        fn flush(&mut self) -> io::Result<()> {
            self.0.flush()
        }
    }

    impl<T: Read + Write> Transport for Plain<T> {
        fn set_read_timeout(&mut self, _: Option<Duration>) -> io::Result<()> {
            Ok(())
        }
        fn set_write_timeout(&mut self, _: Option<Duration>) -> io::Result<()> {
            Ok(())
        }
        fn shutdown_write(&mut self) -> io::Result<()> {
            self.0.flush()
        }
    }

    /// What one [`Blocking::complete_io`] step did.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Step {
        /// Wrote this many bytes of output (0 when interrupted or when writing failed).
        Wrote(usize),
        /// Took this many bytes of input into the connection: drain its events.
        Read(usize),
        /// The peer ended its input.
        Eof,
        /// A deadline passed (or a bounded read or write ran into it): the timers ran.
        Timeout,
        /// The transport is done: close it (drop it). Nothing more will happen on it.
        Done,
    }

    /// One connection's blocking I/O: the clock (`now` is the time since this driver's origin),
    /// input read but not yet taken, and the transport's state. Each
    /// [`complete_io`](Self::complete_io) does one step of h1conn's driving contract; the
    /// application drains events and answers between steps.
    ///
    /// A step writes before it reads (output is bounded by the send deadline, with the read timers
    /// paused meanwhile, since nobody reads while a thread blocks in a write), acts on
    /// `poll_close`, then reads once (bounded by the next deadline) or sleeps until that deadline.
    /// It sets `Date` from the system clock, once a second.
    ///
    /// It fits applications that answer within their turn (between two steps). A step that waits
    /// for input or a deadline does not wake for anything else.
    ///
    /// A thread-per-connection server:
    ///
    /// ```no_run
    /// use h1conn::{Blocking, Config, Connection, Event, Response, Step};
    ///
    /// let listener = std::net::TcpListener::bind("127.0.0.1:8080").unwrap();
    /// for sock in listener.incoming() {
    ///     std::thread::spawn(move || {
    ///         let mut io = Blocking::new(sock.unwrap());
    ///         let mut conn = Connection::new(Config::default(), io.now());
    ///         loop {
    ///             // The application: drain events, answer.
    ///             while let Some(ev) = conn.poll_event() {
    ///                 if let Event::End(_) = ev {
    ///                     let r = Response::new(200).headers(&[("Content-Type", b"text/plain")]);
    ///                     conn.send_full(&r, b"hello\n", io.now()).unwrap();
    ///                 }
    ///             }
    ///             // The I/O: write, close, read or wait for the next deadline.
    ///             if io.complete_io(&mut conn) == Step::Done {
    ///                 break;
    ///             }
    ///         }
    ///     });
    /// }
    /// ```
    #[derive(Debug)]
    pub struct Blocking<T> {
        io: T,
        origin: Instant,
        pending: Vec<u8>,
        input_open: bool,
        write_shut: bool,
    }

    impl<T: Transport> Blocking<T> {
        /// A driver over `io` whose clock starts now.
        pub fn new(io: T) -> Self {
            Self::with_origin(io, Instant::now())
        }

        /// A driver over `io` on the time line of `origin` (share one among connections whose
        /// times the application compares).
        pub fn with_origin(io: T, origin: Instant) -> Self {
            Blocking {
                io,
                origin,
                pending: Vec::new(),
                input_open: true,
                write_shut: false,
            }
        }

        /// The time to give the connection: the time since the origin.
        pub fn now(&self) -> Duration {
            self.origin.elapsed()
        }

        /// The transport.
        pub fn get_ref(&self) -> &T {
            &self.io
        }

        /// The transport, mutably.
        pub fn get_mut(&mut self) -> &mut T {
            &mut self.io
        }

        /// The transport, and input read but not taken by the connection.
        pub fn into_inner(self) -> (T, Vec<u8>) {
            (self.io, self.pending)
        }

        /// Time left until the connection's next deadline, at least 1 ms (a zero timeout means
        /// "none" to std).
        fn wait(&self, conn: &Connection) -> Option<Duration> {
            conn.poll_timeout()
                .map(|d| d.saturating_sub(self.now()).max(Duration::from_millis(1)))
        }

        fn refresh_date(&mut self, conn: &mut Connection) {
            conn.set_date(crate::http_date_now());
        }

        fn timeout(&mut self, conn: &mut Connection) -> Step {
            self.refresh_date(conn);
            conn.handle_timeout(self.now());
            Step::Timeout
        }

        fn shut(&mut self) {
            if !self.write_shut {
                self.write_shut = true;
                let _ = self.io.shutdown_write();
            }
        }

        /// One step: write output if there is any; else act on `poll_close`; else offer input
        /// not yet taken, read once, or sleep until the next deadline. Call it after the
        /// application has drained events, until it returns [`Step::Done`].
        pub fn complete_io(&mut self, conn: &mut Connection) -> Step {
            self.refresh_date(conn);
            if conn.wants_write() {
                return self.write(conn);
            }
            conn.resume_input(self.now());
            if let Some(close) = conn.poll_close() {
                match close.how {
                    CloseHow::Abort => return Step::Done,
                    CloseHow::Graceful => {
                        self.shut();
                        return Step::Done;
                    }
                    CloseHow::Linger => {
                        // Keep reading (the connection drops it) until it is done: the peer's
                        // EOF or the linger timer.
                        self.shut();
                        if conn.is_done() {
                            return Step::Done;
                        }
                        self.pending = Vec::new();
                    }
                }
            }
            if !self.pending.is_empty() {
                let took = conn.handle_input(&self.pending, self.now());
                self.pending.drain(..took);
                if self.pending.is_empty() {
                    self.pending = Vec::new();
                }
                if took > 0 {
                    return Step::Read(took);
                }
            }
            let wait = self.wait(conn);
            if self.input_open && self.pending.is_empty() && conn.wants_read() {
                return self.read(conn, wait);
            }
            match wait {
                Some(t) => {
                    std::thread::sleep(t);
                    self.timeout(conn)
                }
                // No input possible and no deadline: nothing can ever happen here.
                None => Step::Done,
            }
        }

        fn write(&mut self, conn: &mut Connection) -> Step {
            // Nothing is read while the thread blocks here: the peer is not to blame for it.
            conn.pause_input(self.now());
            let _ = self.io.set_write_timeout(self.wait(conn));
            match self.io.write(conn.transmit()) {
                Ok(n) if n > 0 => {
                    let _ = conn.handle_written(n, self.now());
                    Step::Wrote(n)
                }
                Err(e) if e.kind() == ErrorKind::Interrupted => Step::Wrote(0),
                Err(e) if is_timeout(&e) => self.timeout(conn),
                _ => {
                    conn.handle_write_failed();
                    Step::Wrote(0)
                }
            }
        }

        fn read(&mut self, conn: &mut Connection, wait: Option<Duration>) -> Step {
            let _ = self.io.set_read_timeout(wait);
            let mut buf = [0u8; READ_CHUNK];
            match self.io.read(&mut buf) {
                Ok(0) => {
                    self.input_open = false;
                    conn.handle_eof(self.now());
                    Step::Eof
                }
                Ok(n) => {
                    let took = conn.handle_input(&buf[..n], self.now());
                    self.pending.extend_from_slice(&buf[took..n]);
                    Step::Read(took)
                }
                Err(e) if e.kind() == ErrorKind::Interrupted => Step::Read(0),
                Err(e) if is_timeout(&e) => self.timeout(conn),
                // A reset: nothing more can be sent either.
                Err(_) => {
                    self.input_open = false;
                    conn.handle_read_failed();
                    Step::Read(0)
                }
            }
        }
    }

    /// A bounded read or write that ran out of time (`WouldBlock` on Unix, `TimedOut` on
    /// Windows).
    fn is_timeout(e: &io::Error) -> bool {
        matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut)
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use crate::{Config, Event, Response};
        use std::io::Cursor;

        /// An in-memory transport: reads from `input`, writes to `output`.
        struct Mem {
            input: Cursor<Vec<u8>>,
            output: Vec<u8>,
            shut: bool,
        }
        impl Read for Mem {
            fn read(&mut self, b: &mut [u8]) -> io::Result<usize> {
                self.input.read(b)
            }
        }
        impl Write for Mem {
            fn write(&mut self, b: &[u8]) -> io::Result<usize> {
                // A small window, so output takes several steps.
                let n = b.len().min(7);
                self.output.extend_from_slice(&b[..n]);
                Ok(n)
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        impl Transport for Mem {
            fn set_read_timeout(&mut self, _: Option<Duration>) -> io::Result<()> {
                Ok(())
            }
            fn set_write_timeout(&mut self, _: Option<Duration>) -> io::Result<()> {
                Ok(())
            }
            fn shutdown_write(&mut self) -> io::Result<()> {
                self.shut = true;
                Ok(())
            }
        }

        #[test]
        fn rfc9112_9_3_pipelined_requests_then_eof_close_gracefully() {
            let input = b"GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n".to_vec();
            let mem = Mem {
                input: Cursor::new(input),
                output: Vec::new(),
                shut: false,
            };
            let mut io = Blocking::new(mem);
            let mut conn = Connection::new(Config::default(), io.now());
            let mut steps = Vec::new();
            for _ in 0..100 {
                while let Some(ev) = conn.poll_event() {
                    if let Event::End(_) = ev {
                        let r = Response::new(200).headers(&[("X", b"1")]);
                        conn.send_full(&r, b"hi", io.now()).unwrap();
                    }
                }
                let s = io.complete_io(&mut conn);
                steps.push(s);
                if s == Step::Done {
                    break;
                }
            }
            assert_eq!(steps.last(), Some(&Step::Done), "{steps:?}");
            assert!(steps.contains(&Step::Eof));
            let (mem, rest) = io.into_inner();
            assert!(rest.is_empty());
            assert!(mem.shut, "a graceful close shuts down writing");
            let out = std::string::String::from_utf8(mem.output).unwrap();
            assert_eq!(out.matches("HTTP/1.1 200 OK\r\n").count(), 2, "{out}");
            assert!(out.contains("Date: "), "the driver sets Date: {out}");
        }

        #[test]
        fn wants_write_follows_transmit() {
            let mut conn = Connection::new(Config::default(), Duration::ZERO);
            assert!(!conn.wants_write());
            conn.handle_input(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", Duration::ZERO);
            while conn.poll_event().is_some() {}
            conn.send_full(&Response::new(204), b"", Duration::ZERO).unwrap();
            assert!(conn.wants_write());
            let n = conn.transmit().len();
            conn.handle_written(n, Duration::ZERO).unwrap();
            assert!(!conn.wants_write());
        }
    }
}
