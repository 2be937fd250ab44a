//! Model agreement: for generated heads, hostile spellings included, the connection's accept /
//! reject decision (and status), body framing, `100-continue` and persistence match the reference
//! model in h1conn-testkit/src/model (written from RFC 9112 and RFC 9110, strict profile).

use core::time::Duration;

use h1conn::{BodyFraming, Config, Connection, Event, KeepAliveHeader, Response, Version};
use h1conn_testkit::driver::{Answer, Driver, Out};
use h1conn_testkit::model;
use h1conn_testkit::strategies::hostile_head;
use h1conn_testkit::wire::{read_responses, WireFraming};
use proptest::prelude::*;

/// Runs `head` (plus a body fitting the model's framing) and compares with the model.
fn check_head(head: &[u8]) -> Result<(), TestCaseError> {
    let expected = model::head_verdict(head);
    let mut input = head.to_vec();
    let mut body_sent = true;
    if let model::Verdict::Accept(a) = &expected {
        match a.body {
            model::Body::Length(n) if n <= 1024 => input.extend(std::iter::repeat_n(b'x', n as usize)),
            model::Body::Length(_) => body_sent = false,
            model::Body::Chunked => input.extend_from_slice(b"0\r\n\r\n"),
            model::Body::None => {}
        }
    }
    let (outs, wire) = Driver::new(Config::default()).run(&[&input], &[]);
    let show = head.escape_ascii().to_string();
    match (&expected, outs.first()) {
        (model::Verdict::Reject(v), Some(Out::Err(kind))) => {
            let statuses = expected.statuses();
            prop_assert!(
                statuses.contains(&kind.status()),
                "{kind:?} for {show}; model: {v:?}"
            );
            prop_assert_eq!(outs.len(), 1);
        }
        (
            model::Verdict::Accept(m),
            Some(Out::Req {
                method,
                target,
                version,
                minor,
                fields,
                body,
                expects_continue,
            }),
        ) => {
            prop_assert_eq!(&m.method, method.as_bytes(), "{}", show);
            prop_assert_eq!(&m.target, target, "{}", show);
            prop_assert_eq!(m.minor, *minor, "{}", show);
            prop_assert_eq!(m.http11, *version == Version::Http11, "{}", show);
            let got: Vec<(Vec<u8>, Vec<u8>)> = fields
                .iter()
                .map(|(n, v)| (n.as_bytes().to_vec(), v.clone()))
                .collect();
            prop_assert_eq!(&m.fields, &got, "{}", show);
            let framing = match m.body {
                model::Body::None => BodyFraming::None,
                model::Body::Length(n) => BodyFraming::Length(n),
                model::Body::Chunked => BodyFraming::Chunked,
            };
            prop_assert_eq!(framing, *body, "{}", show);
            prop_assert_eq!(m.expect_continue, *expects_continue, "{}", show);
            if body_sent {
                let resp = read_responses(&wire, &mut |_, _| false);
                let last = resp.last().expect("a response");
                prop_assert_eq!(last.closes(), !m.persist, "persistence of {}", show);
                if !m.http11 && m.persist {
                    prop_assert_eq!(last.header("connection"), Some(&b"keep-alive"[..]));
                }
            }
        }
        (e, g) => prop_assert!(false, "model {e:?}, h1conn {g:?} for {show}"),
    }
    Ok(())
}

/// A Connection option in a random case, with optional whitespace around it.
fn option_token() -> impl Strategy<Value = String> {
    (
        prop_oneof![
            Just("close"),
            Just("keep-alive"),
            Just("upgrade"),
            Just("te"),
            Just("foo"),
            Just("")
        ],
        proptest::collection::vec(any::<bool>(), 10),
        prop_oneof![Just(""), Just(" "), Just("\t")],
    )
        .prop_map(|(t, upper, ws)| {
            let t: String = t
                .chars()
                .zip(upper.iter().cycle())
                .map(|(c, &u)| if u { c.to_ascii_uppercase() } else { c })
                .collect();
            format!("{ws}{t}{ws}")
        })
}

/// A request-target in `method SP target SP HTTP/1.1` with a Host: the connection accepts it (with
/// that target) or answers one of the statuses the model gives, as the model says. Only the verdict
/// is compared: an accepted CONNECT opens a tunnel, whose response `check_head` cannot read.
fn check_target(method: &str, target: &[u8]) -> Result<(), TestCaseError> {
    let head = [method.as_bytes(), b" ", target, b" HTTP/1.1\r\nHost: h\r\n\r\n"].concat();
    let expected = model::head_verdict(&head);
    let (outs, _) = Driver::new(Config::default()).run(&[&head], &[]);
    let show = head.escape_ascii().to_string();
    match (&expected, outs.first()) {
        (model::Verdict::Reject(_), Some(Out::Err(kind))) => {
            prop_assert!(
                expected.statuses().contains(&kind.status()),
                "{kind:?} for {show}; model: {expected:?}"
            );
        }
        (model::Verdict::Accept(m), Some(Out::Req { target: got, .. })) => {
            prop_assert_eq!(&m.target, got, "{}", show);
        }
        (e, g) => prop_assert!(false, "model {e:?}, h1conn {g:?} for {show}"),
    }
    Ok(())
}

/// A piece of a request-target: the starts of each form, authority parts, path and query octets.
fn target_piece() -> impl Strategy<Value = Vec<u8>> {
    const PIECES: &[&str] = &[
        "http://",
        "https://",
        "HTTP://",
        "ftp://",
        "urn:",
        "http:",
        "//",
        "*",
        "/",
        "?",
        "#",
        "@",
        ":",
        ":80",
        ":65535",
        ":65536",
        ":99999",
        ":0",
        "u@",
        "u:p@",
        "[::1]",
        "[v1.x]",
        "[zz]",
        "[4712::abcd::]",
        "h",
        "127.0.0.1",
        "%",
        "%4",
        "%41",
        "%zz",
        "%%",
        "a",
        "-._~",
        "!$&'()*+,;=",
    ];
    prop_oneof![
        4 => proptest::sample::select(PIECES).prop_map(|p| p.as_bytes().to_vec()),
        1 => proptest::collection::vec(prop_oneof![0x21u8..=0x7e, 0x80u8..=0xff], 1..3),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Hostile heads: duplicate and list Content-Length, odd Transfer-Encoding spellings and
    /// whitespace, Connection lists in any case, HTTP/1.0, 1.1 and 1.2, missing or repeated Host,
    /// Expect.
    #[test]
    fn rfc9112_3_2_6_1_6_3_9_3_hostile_heads_match_model(head in hostile_head()) {
        check_head(&head)?;
    }

    /// RFC 9112 §9.3: the persistence decision over Connection token lists spread over several
    /// lines, in any case, for HTTP/1.0 and HTTP/1.1.
    #[test]
    fn rfc9112_9_3_connection_lists_match_model(
        minor in 0u8..=1,
        lines in proptest::collection::vec(proptest::collection::vec(option_token(), 1..4), 0..3),
    ) {
        let mut head = format!("GET / HTTP/1.{minor}\r\nHost: h\r\n");
        for l in &lines {
            head.push_str(&format!("Connection: {}\r\n", l.join(",")));
        }
        head.push_str("\r\n");
        check_head(head.as_bytes())?;
    }

    /// RFC 9112 §3.2 with RFC 3986 §3.2.2: Host values with IP-literals built from IPv6 pieces
    /// (h16 groups of 1 to 5 digits, `:` and `::`, IPv4 tails, IPvFuture), valid and not, are
    /// accepted or answered 400 as the model says.
    #[test]
    fn rfc9112_3_2_ip_literal_hosts_match_model(
        parts in proptest::collection::vec(
            prop_oneof![
                3 => "[0-9a-fA-F]{1,4}",
                1 => "[0-9a-f]{5}",
                3 => Just(":".to_string()),
                1 => Just("::".to_string()),
                1 => "(25[0-6]|1?[0-9]{1,2}|0[0-9])\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}",
                1 => "[vV][0-9a-fA-F]{0,2}\\.[a-z:]{0,3}",
                1 => "[g%]",
            ],
            0..12,
        ),
        port in proptest::option::of("[0-9]{0,5}"),
    ) {
        let mut host = format!("[{}]", parts.concat());
        if let Some(p) = port {
            host.push(':');
            host.push_str(&p);
        }
        check_head(format!("GET / HTTP/1.1\r\nHost: {host}\r\n\r\n").as_bytes())?;
    }

    /// RFC 9112 §3.2, RFC 3986, RFC 9110 §4.2, §9.3.6: request-targets built from pieces of every
    /// form (schemes, userinfo, hosts and IP literals, ports, path and query octets, percent
    /// escapes whole and broken, fragments, obs-text), under GET, OPTIONS and CONNECT, are accepted
    /// or answered 400 as the model says.
    #[test]
    fn rfc9112_3_2_request_targets_match_model(
        method in prop_oneof![Just("GET"), Just("OPTIONS"), Just("CONNECT")],
        pieces in proptest::collection::vec(target_piece(), 1..8),
    ) {
        check_target(method, &pieces.concat())?;
    }

    /// RFC 9112 §6.3, RFC 9110 §6.4.1, §8.6: the framing the connection chooses for a response
    /// agrees with the model, for any method, version, status and known or unknown length.
    #[test]
    fn rfc9112_6_3_response_framing_matches_model(
        method in prop_oneof![Just("GET"), Just("HEAD"), Just("POST"), Just("CONNECT")],
        http11 in any::<bool>(),
        status in prop_oneof![100u16..=103, Just(200u16), Just(204u16), Just(206u16), Just(304u16), 300u16..600],
        length in proptest::option::of(0u64..100),
    ) {
        prop_assume!(status != 101); // 101 only answers an Upgrade offer.
        let target = if method == "CONNECT" { "h:1" } else { "/" };
        let minor = u8::from(http11);
        let req = format!("{method} {target} HTTP/1.{minor}\r\nHost: h:1\r\n\r\n");
        let mut conn = Connection::new(Config::default(), Duration::ZERO);
        conn.handle_input(req.as_bytes(), Duration::ZERO);
        prop_assert!(matches!(conn.poll_event(), Some(Event::Request(_))));
        let mut resp = Response::new(status);
        resp.length = length;
        let got = conn.send_response(&resp, Duration::ZERO).unwrap();
        let want = model::response_framing(method.as_bytes(), http11, status, length);
        let got = match got {
            h1conn::ResponseFraming::NoBody { content_length } => model::RespBody::NoBody { content_length },
            h1conn::ResponseFraming::Length(n) => model::RespBody::Length(n),
            h1conn::ResponseFraming::Chunked => model::RespBody::Chunked,
            h1conn::ResponseFraming::CloseDelimited => model::RespBody::UntilClose,
        };
        prop_assert_eq!(got, want);
    }
}

/// The response-framing model also agrees with what goes on the wire, including the persistence
/// decision that a close-delimited body forces (RFC 9112 §6.3 rule 8, §9.3).
#[test]
fn rfc9112_6_3_wire_framing_matches_model() {
    let mut cfg = Config::default();
    cfg.keep_alive.header = KeepAliveHeader::Never;
    for (method, minor) in [("GET", 0), ("GET", 1), ("HEAD", 0), ("HEAD", 1)] {
        for status in [200u16, 204, 304, 404] {
            for length in [None, Some(3u64)] {
                let req = format!("{method} / HTTP/1.{minor}\r\nHost: h\r\nConnection: keep-alive\r\n\r\n");
                let answer = Answer::with(move |_| (status, length.map(|n| vec![b'z'; n as usize])));
                let (_, wire) = Driver::new(cfg.clone())
                    .answer(answer)
                    .run(&[req.as_bytes()], &[]);
                let resp = read_responses(&wire, &mut |_, _| method == "HEAD");
                let want = model::response_framing(method.as_bytes(), minor == 1, status, length);
                let r = &resp[0];
                let framing = match want {
                    model::RespBody::NoBody { content_length } => {
                        assert_eq!(
                            r.header("content-length").map(|v| v.to_vec()),
                            content_length.map(|n| n.to_string().into_bytes()),
                            "{method} 1.{minor} {status} {length:?}"
                        );
                        WireFraming::NoBody
                    }
                    model::RespBody::Length(_) => WireFraming::Length,
                    model::RespBody::Chunked => WireFraming::Chunked,
                    model::RespBody::UntilClose => WireFraming::UntilClose,
                };
                assert_eq!(r.framing, framing, "{method} 1.{minor} {status} {length:?}");
                let policy = model::Policy {
                    enabled: true,
                    max_requests: 100,
                };
                assert_eq!(
                    !r.closes(),
                    model::persists_after(1, true, policy, want),
                    "{method} 1.{minor} {status} {length:?}"
                );
            }
        }
    }
}

/// RFC 9112 §3.2, RFC 3986 §2: every octet, in the path, the query, an absolute-form's authority,
/// a userinfo and a CONNECT target, and every pair after a `%`, is accepted or answered 400 as the
/// model says.
#[test]
fn rfc9112_3_2_every_target_octet_matches_model() {
    let places: [(&str, &str, &str); 8] = [
        ("GET", "/a", "b"),
        ("GET", "/?", "="),
        ("GET", "", "/"),
        ("GET", "http://h", "/"),
        ("GET", "http://", ".h:1/"),
        ("GET", "ftp://u", "@h/"),
        ("CONNECT", "h", ":1"),
        ("OPTIONS", "*", ""),
    ];
    let one = |method: &str, target: &[u8]| check_target(method, target).unwrap_or_else(|e| panic!("{e}"));
    for b in 0..=255u8 {
        for (method, before, after) in places {
            one(method, &[before.as_bytes(), &[b], after.as_bytes()].concat());
        }
    }
    let hex_and_not = b"09afAFgG%/z\x80";
    for &h in hex_and_not {
        for &l in hex_and_not {
            one("GET", &[b'/', b'%', h, l]);
            one("GET", &[b'/', b'?', b'%', h, l, b'x']);
        }
    }
}
