//! Real HTTP clients against the two example servers, `serve` (tokio) and `blocking` (std::net):
//! curl, ApacheBench, Python's `http.client`, wrk and headless Chromium, plus a slow client and an
//! idle keep-alive client written here.
//!
//! Cargo builds both binaries before this test; each test starts
//! them with `--listen 127.0.0.1:0` and reads the address from the first stdout line. A missing
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

/// Both examples; every scenario runs against each.
const EXAMPLES: [&str; 2] = ["serve", "blocking"];

const SEC: Duration = Duration::from_secs(1);

mod ab;
mod chromium;
mod curl;
mod duplex;
mod files;
mod python;
mod server;
mod timeouts;
mod tools;
mod wrk;

use curl::*;
use server::*;
use tools::*;
