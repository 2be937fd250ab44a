//! # h1probe
//!
//! A conformance probe for any HTTP/1.x server over raw TCP: request-line, field, Host,
//! Content-Length, Transfer-Encoding, chunked, trailer, limit, obs-fold and bare CR/LF checks,
//! the documented request-smuggling classes, persistence, pipelining, 100-continue, lingering
//! close, half-close, and timing checks against a real clock (idle keep-alive timeout against the
//! advertised `Keep-Alive: timeout`, `max=`, header and body read timeouts, slowloris).
//!
//! The checks are data: [`cases::CASES`] (one request each, judged by an [`model::Expect`]) and
//! [`state::DYNS`] (timing and state checks, each a function). A differential mode ([`diff`])
//! compares the server with h1conn's own rules on generated requests. docs/probe.md is
//! generated from the tables ([`docs::check_table`]).
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod cases;
pub mod cli;
pub mod diff;
pub mod docs;
pub mod drain;
pub mod judge;
pub mod model;
pub mod report;
pub mod run;
pub mod state;
pub mod wire;
