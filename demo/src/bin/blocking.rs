//! An HTTP/1.x server on `std::net`, one thread per connection, driving one
//! [`h1conn::Connection`] per accepted socket with blocking reads and writes through
//! [`h1conn::Blocking`].
//!
//! ```text
//! cargo run --release -p h1conn-demo --bin blocking -- [--listen ADDR] [--root DIR]
//!     [--keep-alive on|off] [--max-requests N] [--keep-alive-timeout SECS]
//!     [--header-timeout SECS] [--threads N]
//! ```
//!
//! `--threads N` caps the connection threads running at once (default 256); further connections
//! wait in the listen backlog. This file is only the I/O loop; the application is in
//! `demo/src/lib.rs`. h1conn/docs/adapters.md explains the loop step by step.

use std::io;
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use h1conn::{Blocking, Step};
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

/// Drives one connection until h1conn says to close it: the application drains events and
/// answers (topping up a streamed body as output drains), then one blocking I/O step
/// ([`Blocking::complete_io`]: write, close, read, or wait for the next deadline).
fn serve(sock: TcpStream, shared: Arc<Shared>) {
    let _ = sock.set_nodelay(true);
    let mut app = App::new(Arc::clone(&shared));
    let mut conn = app.connection();
    let mut io = Blocking::with_origin(sock, shared.origin);
    loop {
        app.drive(&mut conn);
        if io.complete_io(&mut conn) == Step::Done {
            return;
        }
    }
}
