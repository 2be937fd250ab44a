//! Connections accepted and requests received, for `/stats`.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// How many connections `/stats` lists one by one (the most recent ones).
const MAX_TRACKED: usize = 10_000;

/// Connections accepted and requests received. A request costs two atomic additions; the lock is
/// taken when a connection is accepted and when `/stats` is read.
#[derive(Debug, Default)]
pub struct Stats {
    requests: AtomicU64,
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    connections: u64,
    /// The request counter of each of the most recent `MAX_TRACKED` connections, in accept order.
    per_connection: VecDeque<Arc<AtomicU32>>,
}

/// One connection's request counter.
#[derive(Debug, Clone)]
pub struct ConnectionStats(Arc<AtomicU32>);

impl Stats {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Counts an accepted connection; returns its request counter.
    pub fn connection(&self) -> ConnectionStats {
        let counter = Arc::new(AtomicU32::new(0));
        let mut s = self.lock();
        s.connections += 1;
        s.per_connection.push_back(Arc::clone(&counter));
        if s.per_connection.len() > MAX_TRACKED {
            s.per_connection.pop_front();
        }
        ConnectionStats(counter)
    }

    /// Counts a request received on connection `c`.
    pub fn request(&self, c: &ConnectionStats) {
        self.requests.fetch_add(1, Ordering::Relaxed);
        c.0.fetch_add(1, Ordering::Relaxed);
    }

    /// The `/stats` body:
    /// `{"connections":C,"requests":R,"per_connection":[n0,n1,...]}` where `C` counts connections
    /// accepted, `R` requests that reached the application (the `/stats` request included), and
    /// `per_connection` gives the requests of each connection in accept order (0 for a connection
    /// that sent none; only the most recent 10000 connections are listed).
    pub fn json(&self) -> String {
        let s = self.lock();
        let mut out = format!(
            "{{\"connections\":{},\"requests\":{},\"per_connection\":[",
            s.connections,
            self.requests.load(Ordering::Relaxed)
        );
        for (i, n) in s.per_connection.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&n.load(Ordering::Relaxed).to_string());
        }
        out.push_str("]}\n");
        out
    }
}
