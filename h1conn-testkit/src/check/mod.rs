//! Checkers that panic when an invariant breaks: the bodies of the fuzz targets, also run by the
//! regression tests and by the replay of the stored fuzz corpus.
//!
//! - [`stream`]: raw bytes in seeded pieces with clock ticks, every request answered;
//! - [`ops`]: arbitrary operation sequences on one connection, responses read back from the wire;
//! - [`verdicts`]: the targets that compare h1conn with the reference model;
//! - `http_fields` (feature `http`): the `http` conversion with a connection's field cache
//!   against without;
//! - [`limits`]: the small limits and timers those targets choose from their input.

#[cfg(feature = "http")]
pub mod http_fields;
pub mod limits;
pub mod ops;
pub mod stream;
pub mod verdicts;

use crate::driver::{check_grammar, Out, Transcript};

/// The event order every transcript keeps ([`check_grammar`]): each request followed by its data and
/// exactly one of end, error or discarded; at most one peer error and nothing after it.
pub fn event_order(t: &Transcript) {
    if let Err(e) = check_grammar(&t.outs) {
        panic!("{e}: {:?}", t.outs);
    }
    let reqs = t.outs.iter().filter(|o| matches!(o, Out::Req { .. })).count();
    assert_eq!(reqs, t.requests.len());
}

/// RFC 9110 §5.6.2: `tchar`.
pub fn is_token(b: &[u8]) -> bool {
    !b.is_empty()
        && b.iter()
            .all(|&c| c.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&c))
}
