//! What all connections share: options, the clock origin, statistics, the cached `Date`.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use h1conn::Config;

use crate::{Opts, MAX_TRACKED};

/// What every connection of one server shares.
#[derive(Debug)]
pub struct Shared {
    /// The flags.
    pub opts: Opts,
    /// The configuration every connection uses.
    pub config: Arc<Config>,
    /// The statistics behind `/stats`.
    pub stats: Stats,
    /// The origin of the time line given to h1conn: `now` is `origin.elapsed()`.
    pub origin: Instant,
}

impl Shared {
    /// Shared state for a server started with `opts`.
    pub fn new(opts: Opts) -> Arc<Shared> {
        Arc::new(Shared {
            config: Arc::new(opts.config()),
            opts,
            stats: Stats::default(),
            origin: Instant::now(),
        })
    }

    /// The time for h1conn: a `Duration` since `origin`.
    pub fn now(&self) -> Duration {
        self.origin.elapsed()
    }
}

/// Connections accepted and requests received, for `/stats`.
#[derive(Debug, Default)]
pub struct Stats {
    inner: Mutex<StatsInner>,
}

#[derive(Debug, Default)]
struct StatsInner {
    connections: u64,
    requests: u64,
    /// Requests per connection, in accept order, for the most recent `MAX_TRACKED` connections;
    /// `first` is the number of the first one listed.
    per_connection: VecDeque<u32>,
    first: u64,
}

impl Stats {
    fn lock(&self) -> std::sync::MutexGuard<'_, StatsInner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Counts an accepted connection; returns its number (0-based, in accept order).
    pub fn connection(&self) -> u64 {
        let mut s = self.lock();
        let id = s.connections;
        s.connections += 1;
        s.per_connection.push_back(0);
        if s.per_connection.len() > MAX_TRACKED {
            s.per_connection.pop_front();
            s.first += 1;
        }
        id
    }

    /// Counts a request head received on connection `id`.
    pub fn request(&self, id: u64) {
        let mut s = self.lock();
        s.requests += 1;
        if let Some(i) = id.checked_sub(s.first) {
            if let Some(n) = s.per_connection.get_mut(i as usize) {
                *n += 1;
            }
        }
    }

    /// The `/stats` body:
    /// `{"connections":C,"requests":R,"per_connection":[n0,n1,...]}` where `C` counts connections
    /// accepted, `R` request heads received (the `/stats` request included), and `per_connection`
    /// gives the requests of each connection in accept order (0 for a connection that sent none;
    /// only the most recent 10000 connections are listed).
    pub fn json(&self) -> String {
        let s = self.lock();
        let mut out = format!(
            "{{\"connections\":{},\"requests\":{},\"per_connection\":[",
            s.connections, s.requests
        );
        for (i, n) in s.per_connection.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&n.to_string());
        }
        out.push_str("]}\n");
        out
    }
}

/// The current `Date` value (IMF-fixdate of the system clock, formatted once a second).
pub fn date_now() -> [u8; 29] {
    h1conn::http_date_now()
}
