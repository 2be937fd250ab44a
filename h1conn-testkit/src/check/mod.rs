//! Checkers that panic when an invariant breaks: the bodies of the fuzz targets that need no
//! reference model, also run by the regression tests.
//!
//! - [`stream`]: raw bytes in seeded pieces with clock ticks, every request answered;
//! - [`ops`]: arbitrary operation sequences on one connection, responses read back from the wire.

pub mod ops;
pub mod stream;

use crate::driver::{Out, Transcript};

/// The event order every transcript keeps: body events only inside a request (and none after its
/// `End`), at most one peer error and nothing parsed after it.
pub fn event_order(t: &Transcript) {
    let mut in_body = false;
    let mut errored = false;
    for o in &t.outs {
        match o {
            Out::Err(_) => {
                assert!(!errored, "a second peer error");
                errored = true;
            }
            Out::Upgrade(_) => {}
            o => assert!(!errored, "input parsed after a peer error: {o:?}"),
        }
        match o {
            Out::Req { .. } => in_body = true,
            Out::Data(_) => assert!(in_body, "data outside a request body"),
            Out::End(_) => {
                assert!(in_body, "End outside a request body");
                in_body = false;
            }
            _ => {}
        }
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
