//! Failing cases found by the property tests and fuzz targets, each a minimal reproduction named
//! after the rule it breaks. A case marked `#[ignore = "bug: ..."]` documents a bug not yet fixed:
//! fix the code, then remove the `ignore`.

use core::time::Duration;
use h1conn::{Config, Connection, Event, PeerErrorKind};
use h1conn_testkit::driver::{feed_then_eof, Answer, Driver, Out};
use h1conn_testkit::wire::statuses;

/// Feeds `input` whole, answering every request with an empty 404; returns the transcript and the
/// bytes transmitted.
fn run(input: &[u8]) -> (Vec<Out>, Vec<u8>) {
    Driver::new(Config::default())
        .answer(Answer::status(404))
        .run(&[input], &[])
}

/// The status code of the first response on the wire.
fn status(wire: &[u8]) -> Option<u16> {
    statuses(wire).first().copied()
}

/// RFC 9112 §3.2: "A server MUST respond with a 400 (Bad Request) status code to any HTTP/1.1
/// request message that lacks a Host header field and to any request message that contains more
/// than one Host header field line or a Host header field with an invalid field value."
/// `[zz]` is an IP-literal that is neither an IPv6address nor an IPvFuture (RFC 3986 §3.2.2).
/// Found by the `header_rules` fuzz target.
#[test]
fn rfc9112_3_2_invalid_ip_literal_host_is_400() {
    for host in BAD_IP_LITERALS {
        let (outs, wire) = run(format!("GET / HTTP/1.1\r\nHost: {host}\r\n\r\n").as_bytes());
        assert_eq!(status(&wire), Some(400), "Host {host}: {outs:?}");
    }
}

/// Host values that look like IP-literals and are not (RFC 3986 §3.2.2).
const BAD_IP_LITERALS: [&str; 5] = ["[zz]", "[::1::2]", "[1:2:3:4:5:6:7:8:9]", "[v1]", "[12345::]"];

/// RFC 9110 §9.3.2: "The HEAD method is identical to GET except that the server MUST NOT send
/// content in the response"; RFC 9112 §6.3 rule 1: any response to a HEAD request ends at the
/// empty line after its header section. The 417 the connection writes itself to a HEAD request
/// carries a text body. Found while writing the `connection_ops` invariants.
#[test]
fn rfc9110_9_3_2_no_content_in_417_to_head() {
    answered_without_content(b"HEAD / HTTP/1.1\r\nHost: x\r\nExpect: fail\r\n\r\n", 417);
}

/// The same for a 400 answering a HEAD request whose request line was well formed (so the method
/// is known) but whose head breaks a rule (RFC 9112 §3.2: no Host).
#[test]
fn rfc9110_9_3_2_no_content_in_400_to_head() {
    answered_without_content(b"HEAD / HTTP/1.1\r\n\r\n", 400);
}

/// `input` is answered with `status` and nothing after the response head.
fn answered_without_content(input: &[u8], status_code: u16) {
    let (_, wire) = run(input);
    assert_eq!(status(&wire), Some(status_code));
    let end = wire.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    assert_eq!(&wire[end..], b"", "body bytes after a response to HEAD");
}

/// Split invariance (the driving contract; RFC 9112 §2: a message is a sequence of octets, its
/// reading cannot depend on how they were segmented). A request line whose method holds a
/// non-token byte is answered 400 at once when the line arrives in pieces (the partial-line check
/// sees it), but when the whole line arrives in one read the check is skipped and the error waits
/// for the end of the head; if the peer then ends its input, the connection closes silently instead
/// of answering 400. The same holds for a method longer than any known (501 when split, silence
/// when whole). Found by the `request_stream` fuzz target.
#[test]
fn rfc9112_2_split_invariance_bad_method_byte() {
    for input in [
        &b"GE\x00T / HTTP/1.1\r\nHost: x\r\n"[..],
        b"XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX / HTTP/1.1\r\nHost: x\r\n",
    ] {
        split_invariant_with_eof(input);
    }
}

fn split_invariant_with_eof(input: &[u8]) {
    let whole = feed_then_eof(&[input]);
    let bytewise = feed_then_eof(&input.chunks(1).collect::<Vec<_>>());
    assert_eq!(whole, bytewise, "{:?}", input.escape_ascii().to_string());
}

/// RFC 9112 §3 (and the 32-byte `Limits::max_method`): a 32-byte token followed by CRLF is a
/// malformed request line (no SP, no target), 400. When the CR arrives before its LF, the
/// partial-line check counts the CR into the method and answers 501 "method longer than any
/// known"; fed whole, the same bytes get 400. Found by the `request_stream` fuzz target.
#[test]
fn rfc9112_3_method_length_excludes_trailing_cr() {
    let input: &[u8] = b"XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX\r\n\r\n";
    let (_, whole) = run(input);
    assert_eq!(status(&whole), Some(400));
    split_invariant_with_eof(input);
}

/// RFC 9112 §3 with `max_request_line` smaller than the line: `POST` then a CR whose LF has not
/// come yet is a request line over the limit (414), not a method over `max_method` = 4 (501). The
/// length check of a partial line counted the CR, the first half of the line's end, into the
/// method. Found by the `request_stream` fuzz target under small limits.
#[test]
fn rfc9112_3_partial_line_over_the_limit_excludes_trailing_cr() {
    let mut cfg = Config::default();
    cfg.limits.max_request_line = 0;
    cfg.limits.max_method = 4;
    for input in [&b"POST\r"[..], b"POST", b"POST\r\n"] {
        let mut c = Connection::new(cfg.clone(), Duration::ZERO);
        c.handle_input(input, Duration::ZERO);
        let kind = std::iter::from_fn(|| c.poll_event()).find_map(|e| match e {
            Event::Error(e) => Some(e.kind()),
            _ => None,
        });
        assert_eq!(
            kind,
            Some(PeerErrorKind::UriTooLong),
            "{:?}",
            input.escape_ascii().to_string()
        );
    }
}

/// RFC 9112 §6.1, RFC 9110 §5.6.4 and §5.6.6: a transfer-parameter's value is a token or a
/// quoted-string, whose DQUOTEs inside must be escaped. `x;n="a" =n="b"` is no transfer-coding
/// (400), not an unknown one (501): the quoted-string check took any bytes between the first and
/// the last DQUOTE; and a `;` inside a quoted-string split the parameters there (400 for a valid
/// unknown coding, 501). Both found by the `header_rules` fuzz target.
#[test]
fn rfc9110_5_6_4_quoted_string_in_transfer_parameter_is_checked() {
    for (value, want) in [
        (&b"x;n=\"a\" =n=\"b\", chunked"[..], 400),
        (b"x;n=\"a\"b\", chunked", 400),
        (b"x;n=\"a\\\"b\", chunked", 501),
        (b"x;n=\"a b\", chunked", 501),
        // A `;` inside a quoted-string belongs to it (also found by `header_rules`).
        (b"x;n=\"a;b\", chunked", 501),
        (b"x;n=\"a\" ;m=\"\t;\" , chunked", 501),
        (b"x;n=\"a\";;m=b, chunked", 400),
        (b"x;n=\"a;b, chunked", 400),
    ] {
        let mut input = b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: ".to_vec();
        input.extend_from_slice(value);
        input.extend_from_slice(b"\r\n\r\n");
        let (_, wire) = run(&input);
        assert_eq!(
            status(&wire),
            Some(want),
            "{:?}",
            value.escape_ascii().to_string()
        );
    }
}

/// `connection_ops` fuzz finding: output voided by the send-stall abort was taken for a truncated
/// response head that no abort explains. The checker must count both kinds of cut-off output: an
/// abort (`CloseHow::Abort`) and a response the application cut short (reason `Aborted`).
#[test]
fn fuzz_connection_ops_send_stall_abort_is_an_abort() {
    replay_connection_ops("connection_ops-send-stall-abort.bin");
}

/// RFC 9110 §9.3.6, found by the fuzzer: a CONNECT request with `Content-Length: 12` answered 200
/// became a tunnel with its body half read, so the request never got its last event. A CONNECT
/// request has no content: a head that frames some is now refused with 400.
#[test]
fn rfc9110_9_3_6_connect_with_content_is_refused() {
    replay_connection_ops("connection_ops-connect-with-content.bin");
    let (outs, _) = h1conn_testkit::driver::run_all_splits(
        b"CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\nContent-Length: 12\r\n\r\n",
        &h1conn::Config::default(),
    );
    assert_eq!(
        outs,
        vec![h1conn_testkit::driver::Out::Err(
            h1conn::PeerErrorKind::ContentInConnect
        )]
    );
}

fn replay_connection_ops(file: &str) {
    use arbitrary::{Arbitrary, Unstructured};
    use h1conn_testkit::check::ops::{connection_ops, OpsInput};
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(file);
    let data = std::fs::read(path).unwrap();
    connection_ops(&OpsInput::arbitrary_take_rest(Unstructured::new(&data)).unwrap());
}

/// RFC 9110 §5.4 and RFC 9112 §2: a field line that is both longer than `max_field_line` (24)
/// and takes the head past `max_head` (90) crosses the head's limit first: at its 18th byte (the
/// head's 92nd), before its 25th.
/// Fed one byte at a time it got 431 "header section too large"; fed whole, 431 "header field
/// too large": the check at the line's end looked at the line first. Both now name the limit
/// the bytes crossed first. Found by `prop_split.rs`: `rfc9112_2_limits_do_not_depend_on_the_split`.
#[test]
fn rfc9110_5_4_the_limit_crossed_first_names_the_error_however_split() {
    let mut cfg = Config::default();
    cfg.limits.max_field_line = 24;
    cfg.limits.max_head = 90;
    let head = b"MMM /aaaaaaaaaaaaaaaaaaaaaaa HTTP/1.1\r\nHost: h\r\nF0: vvvvvvvvvvvvvvvvvvvv\r\n\
F1: vvvvvvvvvvvvvvvvvvvvvvv\r\n\r\n";
    let run = |pieces: &[&[u8]]| Driver::new(cfg.clone()).run(pieces, &[]);
    let (outs, wire) = run(&[head]);
    assert!(
        matches!(outs[..], [Out::Err(PeerErrorKind::HeadTooLarge)]),
        "{outs:?}"
    );
    assert_eq!(status(&wire), Some(431));
    assert_eq!(run(&head.chunks(1).collect::<Vec<_>>()), (outs, wire));
}

/// RFC 9112 §2.2: a byte of a head that breaks a rule, sent alone, is taken once: the
/// connection holds the same input as when the head so far came in one piece, whether the byte
/// is a method byte, a line end or a byte past a line's limit.
#[test]
fn rfc9112_2_a_byte_that_breaks_a_rule_is_taken_once() {
    let cfg = Config {
        limits: h1conn::Limits {
            max_field_line: 16,
            ..h1conn::Limits::default()
        },
        ..Config::default()
    };
    let heads: [&[u8]; 4] = [
        b"G@",
        b"GET / HTTP/1.1\n",
        b"GET / HTTP/1.1\r\nHost: a\r\n b\r\n",
        // The field line's 17th byte, one past `max_field_line`.
        b"GET / HTTP/1.1\r\nHost: aaaaaaaaaaa",
    ];
    for head in heads {
        let now = Duration::ZERO;
        let mut whole = Connection::new(cfg.clone(), now);
        let took = whole.handle_input(head, now);
        let mut bytewise = Connection::new(cfg.clone(), now);
        let mut took_bytewise = 0;
        for byte in head.chunks(1) {
            took_bytewise += bytewise.handle_input(byte, now);
            while bytewise.poll_event().is_some() {}
            let _ = bytewise.poll_timeout();
        }
        let show = head.escape_ascii();
        assert_eq!(took, took_bytewise, "{show}: bytes taken");
        assert_eq!(
            whole.buffered_input(),
            bytewise.buffered_input(),
            "{show}: bytes held"
        );
        assert_eq!(whole.peer_error(), bytewise.peer_error(), "{show}: the verdict");
        assert!(whole.peer_error().is_some(), "{show}: a broken head");
    }
}
