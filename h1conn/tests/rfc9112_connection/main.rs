//! The connection on a virtual clock: persistence (RFC 9112 §9), response framing (§6), pipelining
//! (§9.3.2), Expect (RFC 9110 §10.1.1), Upgrade (RFC 9110 §7.8) and every named timer.

use core::time::Duration;
use h1conn::{
    CloseHow, CloseReason, Config, Connection, KeepAliveHeader, Response, ResponseFraming, Timer, UsageError,
};
use h1conn_testkit::driver::{get, req, Driver, MS, SEC};

pub(crate) fn cfg() -> Config {
    Config::default()
}

/// The default configuration changed by `f`.
pub(crate) fn cfg_with(f: impl FnOnce(&mut Config)) -> Config {
    let mut c = cfg();
    f(&mut c);
    c
}

/// A simulated client (default configuration) that has sent `input`.
pub(crate) fn sent(input: &[u8]) -> Driver {
    sent_with(cfg(), input)
}

/// A simulated client with `c` that has sent `input`.
pub(crate) fn sent_with(c: Config, input: &[u8]) -> Driver {
    let mut s = Driver::client(c);
    s.feed(input);
    s
}

/// The response just written says `Connection: close`, for `reason` alone, and the connection
/// closes `how`.
pub(crate) fn assert_closing(s: &mut Driver, reason: CloseReason, how: CloseHow) {
    let wire = s.take_wire();
    assert!(wire.contains("Connection: close\r\n"), "{wire}");
    assert_closed(s, reason, how);
}

/// The connection closes `how`, for `reason` alone.
pub(crate) fn assert_closed(s: &Driver, reason: CloseReason, how: CloseHow) {
    assert_eq!(reasons(s), vec![reason]);
    assert_eq!(s.close().unwrap().how, how);
}

/// The bytes written for `resp` with an empty body.
pub(crate) fn answer(s: &mut Driver, resp: Response<'_>) -> String {
    s.respond_with(resp, b"").unwrap();
    s.take_wire()
}

pub(crate) fn reasons(s: &Driver) -> Vec<CloseReason> {
    s.conn.persistence().reasons().iter().collect()
}

mod end_of_input;
mod expect_upgrade;
mod persistence;
mod pipelining;
mod responses;
mod timers;
