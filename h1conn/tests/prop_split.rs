//! Split invariance: how the input is cut into reads, and how the clock moves between them (below
//! every timeout), never changes what the connection does (RFC 9112 §2: a message is a sequence of
//! octets; its parse cannot depend on segment boundaries).

use core::time::Duration;

use h1conn::Config;
use h1conn_testkit::driver::{feed_then_eof, run_all_splits, Driver};
use h1conn_testkit::strategies::{cut, hostile_head, valid_request};
use proptest::prelude::*;
use proptest::sample::Index;

/// The transcript and wire of `pieces` with `ticks` between them, every request answered with an
/// empty 200.
fn run(pieces: &[&[u8]], ticks: &[Duration]) -> (Vec<h1conn_testkit::driver::Out>, String) {
    let (outs, wire) = Driver::new(Config::default()).run(pieces, ticks);
    (outs, wire.escape_ascii().to_string())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// A pipelined stream of valid requests, cut at arbitrary points with ticks of up to 400 ms
    /// between the pieces (at most 3.6 s in all: below the 5 s idle timeout and every other timer),
    /// gives the same transcript and the same output bytes as the stream fed whole.
    #[test]
    fn rfc9112_2_split_invariance(
        reqs in proptest::collection::vec(valid_request(), 1..4),
        cuts in proptest::collection::vec(any::<Index>(), 0..8),
        ticks in proptest::collection::vec(0u64..400, 0..9),
    ) {
        let stream: Vec<u8> = reqs.iter().flat_map(|r| r.to_bytes()).collect();
        let ticks: Vec<Duration> = ticks.into_iter().map(Duration::from_millis).collect();
        prop_assert_eq!(run(&[&stream], &[]), run(&cut(&stream, &cuts), &ticks));
    }

    /// The same one byte at a time, for a single request.
    #[test]
    fn rfc9112_2_byte_at_a_time(req in valid_request()) {
        let stream = req.to_bytes();
        prop_assert_eq!(run(&[&stream], &[]), run(&stream.chunks(1).collect::<Vec<_>>(), &[]));
    }

    /// Hostile heads, possibly with a bad byte in the method and cut short before the peer ends
    /// its input: the events and the bytes sent do not depend on how the input was split.
    #[test]
    fn rfc9112_2_split_invariance_hostile_then_eof(
        head in hostile_head(),
        bad in proptest::option::of((any::<Index>(), prop_oneof![Just(0u8), Just(b'"'), Just(0x7f), Just(b'\t'), Just(b'\r')])),
        keep in any::<Index>(),
        cuts in proptest::collection::vec(any::<Index>(), 0..6),
    ) {
        let mut input = head;
        if let Some((at, b)) = bad {
            let method_len = input.iter().position(|&c| c == b' ').unwrap();
            input.insert(at.index(method_len + 1), b);
        }
        input.truncate(keep.index(input.len() + 1));
        let pieces = cut(&input, &cuts);
        let whole = feed_then_eof(&[&input]);
        prop_assert_eq!(&whole, &feed_then_eof(&pieces), "split {:?}", pieces);
        let bytes: Vec<&[u8]> = input.chunks(1).collect();
        prop_assert_eq!(&whole, &feed_then_eof(&bytes), "byte by byte");
    }
}

/// Small limits, so that generated lines cross them.
fn small_limits() -> Config {
    let mut c = Config::default();
    c.limits.max_method = 6;
    c.limits.max_request_line = 40;
    c.limits.max_field_line = 24;
    c.limits.max_head = 90;
    c.limits.max_fields = 4;
    c
}

/// A request line and field lines of the given lengths (padding in the target and the values),
/// then the empty line: lengths around the limits of [`small_limits`].
fn sized_head(method: usize, line: usize, fields: &[usize]) -> Vec<u8> {
    let mut h = "M".repeat(method).into_bytes();
    h.extend_from_slice(b" /");
    let fixed = h.len() + " HTTP/1.1".len();
    h.extend(core::iter::repeat_n(b'a', line.saturating_sub(fixed)));
    h.extend_from_slice(b" HTTP/1.1\r\nHost: h\r\n");
    for (i, &len) in fields.iter().enumerate() {
        let name = format!("F{i}: ");
        h.extend_from_slice(name.as_bytes());
        h.extend(core::iter::repeat_n(b'v', len.saturating_sub(name.len()).max(1)));
        h.extend_from_slice(b"\r\n");
    }
    h.extend_from_slice(b"\r\n");
    h
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// RFC 9112 §2, with the size limits of RFC 9112 §3 and RFC 9110 §5.4 (414; 431 for a
    /// field line, the field count or the whole head; 501 for a method longer than any known):
    /// a head whose method, request line, field lines and size fall just under, at and just
    /// over the limits gets the same verdict and the same bytes whether it arrives whole, one
    /// byte at a time, in two pieces or in arbitrary ones. When one piece crosses two limits,
    /// the verdict is the limit crossed first. A piece of a partial line is taken without its
    /// checks only while the line cannot reach a limit.
    #[test]
    fn rfc9112_2_limits_do_not_depend_on_the_split(
        method in 3usize..9,
        line in 30usize..46,
        fields in proptest::collection::vec(18usize..30, 0..5),
        cuts in proptest::collection::vec(any::<Index>(), 0..8),
    ) {
        let head = sized_head(method, line, &fields);
        let cfg = small_limits();
        // Whole, byte by byte and in two pieces at every boundary: one piece may cross two limits.
        let whole = run_all_splits(&head, &cfg);
        let pieces = cut(&head, &cuts);
        prop_assert_eq!(whole, Driver::new(cfg).run(&pieces, &[]), "in pieces {:?}", pieces);
    }
}
