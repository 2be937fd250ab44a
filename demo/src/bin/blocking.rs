//! An HTTP/1.x server on `std::net`, one thread per connection, driving one
//! [`h1conn::Connection`] per accepted socket with blocking reads and writes.
//!
//! ```text
//! cargo run --release --example blocking -- [--listen ADDR] [--root DIR] [--keep-alive on|off]
//!     [--max-requests N] [--keep-alive-timeout SECS] [--header-timeout SECS] [--threads N]
//! ```
//!
//! `--threads N` caps the connection threads running at once (default 256); further connections
//! wait in the listen backlog. This file is only the I/O loop; the application is in
//! `demo/src/lib.rs`. docs/adapters.md explains the
//! loop step by step.

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use h1conn::{CloseHow, Connection};
use h1conn_demo::{App, Opts, Shared};

const DEFAULT_THREADS: usize = 256;

fn main() -> io::Result<()> {
    let opts = Opts::from_env();
    let listener = TcpListener::bind(opts.listen)?;
    h1conn_demo::announce(listener.local_addr()?);
    let max = if opts.threads == 0 {
        DEFAULT_THREADS
    } else {
        opts.threads
    };
    let shared = Shared::new(opts);
    let slots = Arc::new(Slots::default());
    loop {
        slots.acquire(max);
        let slot = SlotGuard(Arc::clone(&slots));
        match listener.accept() {
            Ok((sock, _)) => {
                let shared = Arc::clone(&shared);
                std::thread::spawn(move || {
                    let _slot = slot;
                    serve(sock, shared);
                });
            }
            Err(e) => {
                eprintln!("accept: {e}");
                std::thread::sleep(Duration::from_millis(100));
            }
        }
    }
}

/// Counts connection threads, to cap them at `--threads`.
#[derive(Default)]
struct Slots {
    used: Mutex<usize>,
    freed: Condvar,
}

impl Slots {
    fn acquire(&self, max: usize) {
        let mut used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        while *used >= max {
            used = self.freed.wait(used).unwrap_or_else(|e| e.into_inner());
        }
        *used += 1;
    }
}

/// Frees a slot when its thread ends (or when accepting failed).
struct SlotGuard(Arc<Slots>);

impl Drop for SlotGuard {
    fn drop(&mut self) {
        let mut used = self.0.used.lock().unwrap_or_else(|e| e.into_inner());
        *used -= 1;
        self.0.freed.notify_one();
    }
}

/// Time until the connection's next deadline (at least 1 ms: a zero timeout means "none" to std).
fn wait(conn: &Connection, shared: &Shared) -> Option<Duration> {
    conn.poll_timeout()
        .map(|d| d.saturating_sub(shared.now()).max(Duration::from_millis(1)))
}

fn is_timeout(e: &io::Error) -> bool {
    matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut)
}

/// Drives one connection until h1conn says to close it.
fn serve(mut sock: TcpStream, shared: Arc<Shared>) {
    let _ = sock.set_nodelay(true);
    let mut app = App::new(Arc::clone(&shared));
    let mut conn = app.connection();
    let mut buf = vec![0u8; 16 * 1024];
    // buf[start..end]: bytes read from the socket that the connection has not taken yet.
    let (mut start, mut end) = (0, 0);
    let mut input_open = true;
    let mut write_shut = false;
    loop {
        // Input: offer what is pending; `feed` drains events after every offer.
        if start < end {
            start += app.feed(&mut conn, &buf[start..end]);
        }
        app.drive(&mut conn);

        // Output: write it all, bounded by the connection's send deadline. Each acknowledgement
        // lets the application top up a streamed body. Nothing is read meanwhile: say so, so that
        // the read timers do not blame the peer for it.
        if !conn.transmit().is_empty() {
            conn.pause_input(shared.now());
        }
        while !conn.transmit().is_empty() {
            let _ = sock.set_write_timeout(wait(&conn, &shared));
            match sock.write(conn.transmit()) {
                Ok(n) if n > 0 => {
                    let _ = conn.handle_written(n, shared.now());
                    app.drive(&mut conn);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) if is_timeout(&e) => conn.handle_timeout(shared.now()),
                _ => conn.handle_write_failed(),
            }
        }

        conn.resume_input(shared.now());

        // Fate, once output is drained.
        if let Some(close) = conn.poll_close() {
            match close.how {
                CloseHow::Abort => return,
                CloseHow::Graceful => {
                    let _ = sock.shutdown(Shutdown::Write);
                    return;
                }
                CloseHow::Linger if conn.is_done() => return,
                CloseHow::Linger => {
                    // Keep reading (the connection discards it) until is_done.
                    if !write_shut {
                        let _ = sock.shutdown(Shutdown::Write);
                        write_shut = true;
                    }
                    start = end;
                }
            }
        }

        // Wait for input, or for the next deadline.
        let timeout = wait(&conn, &shared);
        if input_open && start == end && conn.wants_read() {
            let _ = sock.set_read_timeout(timeout);
            match sock.read(&mut buf) {
                Ok(0) => {
                    input_open = false;
                    conn.handle_eof(shared.now());
                }
                Ok(n) => (start, end) = (0, n),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) if is_timeout(&e) => {
                    conn.set_date(h1conn_demo::date_now());
                    conn.handle_timeout(shared.now());
                }
                // A reset: nothing more can be sent either.
                Err(_) => conn.handle_read_failed(),
            }
        } else if let Some(t) = timeout {
            std::thread::sleep(t);
            conn.set_date(h1conn_demo::date_now());
            conn.handle_timeout(shared.now());
        } else {
            // No input possible and no deadline: nothing can ever happen on this connection.
            return;
        }
    }
}
