//! Request-side conformance tables: one named case per rule of shared/RULES.md, sections "Message
//! parsing" through "Body framing", named by RFC section. Every case runs whole, byte by byte and
//! split at every boundary, and must give the same transcript and the same bytes on the wire.

use h1conn::{BodyFraming, Config, PeerErrorKind as K, Profile, Version};
use h1conn_testkit::driver::{run_all_splits, Out};
use h1conn_testkit::wire::statuses;

pub(crate) fn strict() -> Config {
    let mut c = Config::default();
    // Small limits keep the every-split runs fast; the limit cases set their own.
    c.limits.max_request_line = 200;
    c.limits.max_field_line = 200;
    c
}

pub(crate) fn lenient() -> Config {
    let mut c = strict();
    c.profile = Profile::lenient();
    c
}

/// Accepted: the first request's method, target, version, framing; returns the transcript.
pub(crate) fn accepts(input: &[u8], cfg: &Config) -> Vec<Out> {
    let (outs, wire) = run_all_splits(input, cfg);
    assert!(
        !outs.iter().any(|o| matches!(o, Out::Err(_))),
        "expected acceptance of {:?}, got {outs:?}",
        input.escape_ascii().to_string()
    );
    assert!(
        statuses(&wire).iter().all(|&s| s == 200),
        "{:?}",
        String::from_utf8_lossy(&wire)
    );
    outs
}

/// Rejected with `kind`; the connection wrote exactly one response, with the kind's status, and
/// `Connection: close`.
pub(crate) fn rejects(input: &[u8], cfg: &Config, kind: K) {
    let (outs, wire) = run_all_splits(input, cfg);
    let errs: Vec<_> = outs.iter().filter(|o| matches!(o, Out::Err(_))).collect();
    assert_eq!(
        errs,
        vec![&Out::Err(kind)],
        "for {:?}: {outs:?}",
        input.escape_ascii().to_string()
    );
    let st = statuses(&wire);
    assert_eq!(
        st.last(),
        Some(&kind.status()),
        "wire {:?}",
        String::from_utf8_lossy(&wire)
    );
    let text = String::from_utf8_lossy(&wire);
    assert!(
        text.ends_with(&format!("{}\n", kind.reason())),
        "self-delimited body: {text:?}"
    );
    assert!(text.contains("Connection: close\r\n"), "{text:?}");
}

/// `prefix`, `n` times `fill`, `suffix`.
pub(crate) fn padded(prefix: &[u8], fill: u8, n: usize, suffix: &[u8]) -> Vec<u8> {
    [prefix, &vec![fill; n], suffix].concat()
}

pub(crate) fn first(outs: &[Out]) -> &Out {
    &outs[0]
}

/// The table tests: `name: input => verdict in setup;` is the test `name`, which feeds the setup's
/// prefix and `input` to a connection with the setup's configuration, and expects `verdict`:
/// `accepted` ([`accepts`]) or the `PeerErrorKind` of the rejection ([`rejects`]).
macro_rules! cases {
    ($($name:ident: $input:expr => $verdict:ident in $setup:ident;)*) => {$(
        #[test]
        fn $name() {
            let (cfg, prefix) = setup::$setup();
            let input = [prefix, &$input[..]].concat();
            match verdict!($verdict) {
                None => drop(accepts(&input, &cfg)),
                Some(kind) => rejects(&input, &cfg, kind),
            }
        }
    )*};
}

macro_rules! verdict {
    (accepted) => {
        None
    };
    ($kind:ident) => {
        Some(K::$kind)
    };
}

/// The head of a chunked POST.
pub(crate) const CHUNKED: &[u8] = b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";

/// The setups of the table rows: a configuration, and the bytes before each row's input.
mod setup {
    use super::{Config, CHUNKED};

    pub fn strict() -> (Config, &'static [u8]) {
        (super::strict(), b"")
    }
    pub fn lenient() -> (Config, &'static [u8]) {
        (super::lenient(), b"")
    }
    /// After the head of a chunked POST.
    pub fn chunked() -> (Config, &'static [u8]) {
        (super::strict(), CHUNKED)
    }
    pub fn chunked_lenient() -> (Config, &'static [u8]) {
        (super::lenient(), CHUNKED)
    }
}

macro_rules! shows {
    ($($name:ident: $input:expr, $setup:ident => $check:expr;)*) => {$(
        #[test]
        fn $name() {
            let (cfg, prefix) = setup::$setup();
            let outs = accepts(&[prefix, &$input[..]].concat(), &cfg);
            assert!(holds(&outs, $check), "{outs:?}");
        }
    )*};
}

pub(crate) fn holds(outs: &[Out], check: impl Fn(&[Out]) -> bool) -> bool {
    check(outs)
}

mod named;
mod tables;
