//! Connections accepted and requests received, for `/stats`.

use std::collections::VecDeque;
use std::sync::Mutex;

/// How many connections `/stats` lists one by one (the most recent ones).
const MAX_TRACKED: usize = 10_000;

/// Connections accepted and requests received.
#[derive(Debug, Default)]
pub struct Stats {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    connections: u64,
    requests: u64,
    /// Requests per connection, in accept order, for the most recent `MAX_TRACKED` connections;
    /// `first` is the number of the first one listed.
    per_connection: VecDeque<u32>,
    first: u64,
}

impl Stats {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
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

    /// Counts a request received on connection `id`.
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
    /// accepted, `R` requests that reached the application (the `/stats` request included), and
    /// `per_connection` gives the requests of each connection in accept order (0 for a connection
    /// that sent none; only the most recent 10000 connections are listed).
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
