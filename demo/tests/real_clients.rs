//! The real-client scenarios of `h1conn-tokio/tests/real_clients/` (curl, ApacheBench, Python's
//! `http.client`, wrk, headless Chromium, a slow client, an idle keep-alive client) against the
//! thread-per-connection `blocking` example. The scenario files are that suite's, included here.
//!
//! Cargo builds the binary before this test; each test starts
//! it with `--listen 127.0.0.1:0` and reads the address from the first stdout line. A missing
//! external tool fails its test with a message naming the Debian package (the CI script installs
//! them: curl, apache2-utils, wrk, chromium, python3). Everything stays on loopback, every wait is
//! bounded, and every child process is killed when its guard drops.
#![cfg(unix)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// The servers every scenario runs against.
const EXAMPLES: [&str; 1] = ["blocking"];

/// The servers that shut down gracefully on SIGTERM: none here, the `blocking` example installs no
/// signal handler (SIGTERM ends it at once), so the SIGTERM scenario of `server.rs` runs only
/// against `serve`.
const SIGTERM_GRACEFUL: [&str; 0] = [];

/// The built server binary (cargo builds a package's binaries for its integration tests).
pub(crate) fn example_bin(name: &str) -> PathBuf {
    assert_eq!(name, "blocking", "no server binary named {name}");
    PathBuf::from(env!("CARGO_BIN_EXE_blocking"))
}

const SEC: Duration = Duration::from_secs(1);

#[path = "../../h1conn-tokio/tests/real_clients/ab.rs"]
mod ab;
#[path = "../../h1conn-tokio/tests/real_clients/chromium.rs"]
mod chromium;
#[path = "../../h1conn-tokio/tests/real_clients/curl.rs"]
mod curl;
#[path = "../../h1conn-tokio/tests/real_clients/duplex.rs"]
mod duplex;
#[path = "../../h1conn-tokio/tests/real_clients/files.rs"]
mod files;
#[path = "../../h1conn-tokio/tests/real_clients/python.rs"]
mod python;
#[path = "../../h1conn-tokio/tests/real_clients/server.rs"]
mod server;
#[path = "../../h1conn-tokio/tests/real_clients/timeouts.rs"]
mod timeouts;
#[path = "../../h1conn-tokio/tests/real_clients/tools.rs"]
mod tools;
#[path = "../../h1conn-tokio/tests/real_clients/wrk.rs"]
mod wrk;

use curl::*;
use server::*;
use tools::*;
