//! Test machinery for h1conn, shared by its tests, fuzz targets and benchmarks (not published):
//!
//! - [`driver`]: the transcript driver: owns a connection and a virtual clock, feeds input whole,
//!   in pieces or at every split, answers through a policy, records a transcript;
//! - [`wire`]: reads responses back from the wire and checks their framing;
//! - [`check`]: the panicking checkers behind the fuzz targets `request_stream` and
//!   `connection_ops`;
//! - [`strategies`]: proptest strategies for valid and hostile requests;
//! - [`model`]: a reference model of the request and response rules, written from RFC 9112 and
//!   RFC 9110 alone (it does not import h1conn).
#![forbid(unsafe_code)]

pub mod check;
pub mod driver;
pub mod model;
pub mod strategies;
pub mod wire;
