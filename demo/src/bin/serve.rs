//! An HTTP/1.x server on tokio, driving one [`h1conn::Connection`] per accepted socket.
//!
//! ```text
//! cargo run --release --example serve -- [--listen ADDR] [--root DIR] [--keep-alive on|off]
//!     [--max-requests N] [--keep-alive-timeout SECS] [--header-timeout SECS] [--threads N]
//! ```
//!
//! This file is only the I/O loop; the routes, the demo page and the flags are in
//! `demo/src/lib.rs`, shared with the thread-per-connection `blocking` example.
//! docs/adapters.md explains the loop step by step.

use std::io;
use std::sync::Arc;
use std::time::Duration;

use h1conn::CloseHow;
use h1conn_demo::{App, Opts, Shared};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::time::Instant;

fn main() -> io::Result<()> {
    let opts = Opts::from_env();
    let mut rt = tokio::runtime::Builder::new_multi_thread();
    if opts.threads > 0 {
        rt.worker_threads(opts.threads);
    }
    rt.enable_all().build()?.block_on(run(opts))
}

async fn run(opts: Opts) -> io::Result<()> {
    let listener = TcpListener::bind(opts.listen).await?;
    h1conn_demo::announce(listener.local_addr()?);
    let shared = Shared::new(opts);
    loop {
        match listener.accept().await {
            Ok((sock, _)) => {
                let _ = sock.set_nodelay(true);
                tokio::spawn(serve(sock, Arc::clone(&shared)));
            }
            Err(e) => {
                // Out of descriptors or the like: back off instead of spinning.
                eprintln!("accept: {e}");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
}

/// Drives one connection until h1conn says to close it.
async fn serve(mut sock: TcpStream, shared: Arc<Shared>) {
    let mut app = App::new(Arc::clone(&shared));
    let mut conn = app.connection();
    // buf[start..]: bytes read from the socket that the connection has not taken yet. Reads go
    // into the spare capacity (`try_read_buf`), so the buffer is never zero-filled.
    let mut buf: Vec<u8> = Vec::with_capacity(16 * 1024);
    let mut start = 0;
    let mut input_open = true;
    let mut write_shut = false;
    loop {
        // Input: offer what is pending (the connection may take only part of it while its buffer
        // is full). `feed` drains events after every offer.
        if start < buf.len() {
            start += app.feed(&mut conn, &buf[start..]);
        }
        if start == buf.len() {
            buf.clear();
            start = 0;
        }
        // Events and application output (answers, streamed bodies topped up as output drains).
        app.drive(&mut conn);

        // Fate, once output is drained.
        if let Some(close) = conn.poll_close() {
            match close.how {
                CloseHow::Abort => return,
                CloseHow::Graceful => {
                    let _ = sock.shutdown().await;
                    return;
                }
                CloseHow::Linger if conn.is_done() => return,
                CloseHow::Linger => {
                    // Keep reading (and feeding, the connection discards it) until is_done:
                    // the peer's EOF or the linger timer.
                    if !write_shut {
                        let _ = sock.shutdown().await;
                        write_shut = true;
                    }
                    buf.clear();
                    start = 0;
                }
            }
        }

        let want_write = !conn.transmit().is_empty();
        // Read only while the connection asks for input (it stops while output piles up) and
        // nothing read is still pending.
        let want_read = input_open && buf.is_empty() && conn.wants_read();
        let deadline = conn.poll_timeout().map(|d| Instant::from_std(shared.origin + d));
        let far = Instant::now() + Duration::from_secs(86_400);

        tokio::select! {
            r = sock.writable(), if want_write => {
                match r.and_then(|()| sock.try_write(conn.transmit())) {
                    Ok(n) => {
                        // n <= transmit().len(), so this cannot fail.
                        let _ = conn.handle_written(n, shared.now());
                    }
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                    Err(_) => conn.handle_write_failed(),
                }
            }
            r = sock.readable(), if want_read => {
                match r.and_then(|()| sock.try_read_buf(&mut buf)) {
                    Ok(0) => {
                        input_open = false;
                        conn.handle_eof(shared.now());
                    }
                    Ok(_) => {}
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                    // A reset: nothing more can be sent either.
                    Err(_) => conn.handle_read_failed(),
                }
            }
            () = tokio::time::sleep_until(deadline.unwrap_or(far)), if deadline.is_some() => {
                // Error responses the connection writes itself (408) carry this Date.
                conn.set_date(h1conn_demo::date_now());
                conn.handle_timeout(shared.now());
            }
            // No input, no output and no deadline: nothing can ever happen on this connection.
            else => return,
        }
    }
}
