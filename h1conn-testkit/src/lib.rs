//! Test machinery for h1conn, shared by its tests, fuzz targets and benchmarks (not published):
//!
//! - [`model`]: a reference model of the request and response rules, written from RFC 9112 and
//!   RFC 9110 alone (it does not import h1conn);
//! - [`strategies`]: proptest strategies for valid and hostile requests;
//! - [`transcript`]: the transcript driver: feeds bytes to a connection, answers, records events;
//! - [`sim`]: a simulated client on a virtual clock.
#![forbid(unsafe_code)]

pub mod model;
pub mod sim;
pub mod strategies;
pub mod transcript;
