//! Real HTTP clients against the `serve` binary (h1conn-tokio): curl, ApacheBench, Python's
//! `http.client`, wrk and headless Chromium, plus a slow client and an idle keep-alive client
//! written here. The same scenarios run against the `blocking` example from
//! `demo/tests/real_clients.rs`, which includes these files.
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
const EXAMPLES: [&str; 1] = ["serve"];

/// The servers that shut down gracefully on SIGTERM.
const SIGTERM_GRACEFUL: [&str; 1] = ["serve"];

/// The built server binary (cargo builds a package's binaries for its integration tests).
pub(crate) fn example_bin(name: &str) -> PathBuf {
    assert_eq!(name, "serve", "no server binary named {name}");
    PathBuf::from(env!("CARGO_BIN_EXE_serve"))
}

const SEC: Duration = Duration::from_secs(1);

mod ab;
mod chromium;
mod curl;
mod duplex;
mod files;
mod python;
mod routes;
mod server;
mod timeouts;
mod tools;
mod wrk;

use curl::*;
use server::*;
use tools::*;
