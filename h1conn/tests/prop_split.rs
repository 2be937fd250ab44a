//! Split invariance: how the input is cut into reads, and how the clock moves between them (below
//! every timeout), never changes what the connection does (RFC 9112 §2: a message is a sequence of
//! octets; its parse cannot depend on segment boundaries).

use core::time::Duration;

use h1conn::Config;
use h1conn_testkit::driver::{feed_then_eof, Driver};
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
