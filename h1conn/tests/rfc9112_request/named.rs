//! Cases that check more than a verdict: limits at their edge, values, profiles.

use super::*;

// ---- RFC 9112 §3 Request line --------------------------------------------------------------------

#[test]
fn rfc9112_3_target_at_limit_is_accepted() {
    let input = padded(b"GET /", b'a', 200 - 14, b" HTTP/1.1\r\nHost: a\r\n\r\n");
    assert_eq!(input.iter().position(|&b| b == b'\r'), Some(200));
    accepts(&input, &strict());
}

// ---- RFC 9112 §3.2 Host and target forms -------------------------------------------------------

#[test]
fn rfc9112_3_2_2_absolute_form_authority_comes_from_target() {
    use core::time::Duration;
    let mut c = h1conn::Connection::new(strict(), Duration::ZERO);
    c.handle_input(
        b"GET http://example.com:81/x?y HTTP/1.1\r\nHost: other\r\n\r\n",
        Duration::ZERO,
    );
    let Some(h1conn::Event::Request(r)) = c.poll_event() else {
        panic!()
    };
    assert_eq!(r.head.target_form(), h1conn::TargetForm::Absolute);
    assert_eq!(r.head.authority(), Some(&b"example.com:81"[..]));
    assert_eq!(r.head.host(), Some(&b"other"[..]));
    accepts(
        b"GET http://example.com/x HTTP/1.1\r\nHost: other\r\n\r\n",
        &strict(),
    );
}
#[test]
fn rfc9112_3_2_path_and_query_of_origin_and_absolute_forms() {
    use core::time::Duration;
    type Case<'a> = (&'a [u8], &'a [u8], Option<&'a [u8]>);
    let cases: [Case; 5] = [
        (
            b"GET /a/b?x=1&y=2 HTTP/1.1\r\nHost: h\r\n\r\n",
            b"/a/b",
            Some(b"x=1&y=2"),
        ),
        (b"GET /a HTTP/1.1\r\nHost: h\r\n\r\n", b"/a", None),
        (b"GET /a?q?r/s HTTP/1.1\r\nHost: h\r\n\r\n", b"/a", Some(b"q?r/s")),
        (
            b"GET http://h:1/p/q?z HTTP/1.1\r\nHost: h\r\n\r\n",
            b"/p/q",
            Some(b"z"),
        ),
        (b"GET http://h?z HTTP/1.1\r\nHost: h\r\n\r\n", b"/", Some(b"z")),
    ];
    for (input, path, query) in cases {
        let mut c = h1conn::Connection::new(strict(), Duration::ZERO);
        c.handle_input(input, Duration::ZERO);
        let Some(h1conn::Event::Request(r)) = c.poll_event() else {
            panic!()
        };
        assert_eq!((r.head.path(), r.head.query()), (path, query));
    }
}

// ---- RFC 9112 §5, RFC 9110 §5 Field lines --------------------------------------------------------

#[test]
fn rfc9112_5_1_ows_around_value_is_stripped_and_nothing_else() {
    let outs = accepts(
        b"GET / HTTP/1.1\r\nHost: a\r\nX: \t v w \t\r\nY: \xa0v\xa0\r\nZ: \x0bq\r\n\r\n",
        &lenient(),
    );
    assert_eq!(first(&outs).header("x"), Some(&b"v w"[..]));
    assert_eq!(first(&outs).header("y"), Some(&b"\xa0v\xa0"[..]));
    let outs = accepts(b"GET / HTTP/1.1\r\nHost: a\r\nY: \xa0v\x85\r\n\r\n", &strict());
    assert_eq!(first(&outs).header("y"), Some(&b"\xa0v\x85"[..]));
}
#[test]
fn rfc9112_5_2_obs_fold_replaced_by_sp_in_lenient_profile() {
    let outs = accepts(
        b"GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n\tb\r\nY: c\r\n\r\n",
        &lenient(),
    );
    let x = first(&outs).header("x").unwrap();
    assert_eq!(
        x.split(|&b| b == b' ').filter(|s| !s.is_empty()).count(),
        2,
        "{:?}",
        x
    );
    assert!(x.starts_with(b"a") && x.ends_with(b"b") && x.iter().all(|&b| b != b'\r' && b != b'\n'));
    assert_eq!(first(&outs).header("y"), Some(&b"c"[..]));
}
#[test]
fn rfc9110_5_4_too_many_fields_is_431() {
    let mut cfg = strict();
    cfg.limits.max_fields = 3;
    accepts(b"GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\n\r\n", &cfg);
    rejects(
        b"GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n",
        &cfg,
        K::TooManyFields,
    );
}
#[test]
fn rfc9110_5_4_field_line_too_large_is_431() {
    let input = padded(b"GET / HTTP/1.1\r\nHost: a\r\nX: ", b'v', 198, b"\r\n\r\n");
    rejects(&input, &strict(), K::FieldTooLarge);
    let input = padded(b"GET / HTTP/1.1\r\nHost: a\r\nX: ", b'v', 197, b"\r\n\r\n");
    accepts(&input, &strict());
}
#[test]
fn rfc9110_5_4_header_section_too_large_is_431() {
    let mut cfg = strict();
    cfg.limits.max_head = 120;
    let mut input = b"GET / HTTP/1.1\r\nHost: a\r\n".to_vec();
    for i in 0..10 {
        input.extend_from_slice(format!("X-{i}: 0123456789\r\n").as_bytes());
    }
    input.extend_from_slice(b"\r\n");
    rejects(&input, &cfg, K::HeadTooLarge);
}

// ---- RFC 9112 §6 Body framing --------------------------------------------------------------------

#[test]
fn rfc9112_6_3_content_length_body_then_next_request() {
    let outs = accepts(
        b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhelloGET /next HTTP/1.1\r\nHost: a\r\n\r\n",
        &strict(),
    );
    assert_eq!(first(&outs).framing(), BodyFraming::Length(5));
    assert_eq!(outs[1], Out::Data(b"hello".to_vec()));
    assert_eq!(outs[2], Out::End(vec![]));
    assert_eq!(outs[3].req_line(), Some(("GET", "/next")));
}
#[test]
fn rfc9110_8_6_identical_content_lengths_collapse_in_lenient_profile() {
    for input in [
        &b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\n\r\nhello"[..],
        b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello",
    ] {
        let outs = accepts(input, &lenient());
        assert_eq!(first(&outs).framing(), BodyFraming::Length(5));
    }
}
#[test]
fn rfc9110_15_5_14_content_length_over_body_limit_is_413() {
    let mut cfg = strict();
    cfg.limits.max_body = Some(4);
    rejects(
        b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello",
        &cfg,
        K::BodyTooLarge,
    );
    accepts(
        b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nhell",
        &cfg,
    );
}
#[test]
fn rfc9112_6_1_content_length_with_transfer_encoding_lenient_frames_by_te_and_closes() {
    let input = b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n";
    let (outs, wire) = run_all_splits(input, &lenient());
    assert_eq!(first(&outs).framing(), BodyFraming::Chunked);
    assert_eq!(outs[1], Out::Data(b"abc".to_vec()));
    assert_eq!(outs.len(), 3, "nothing parsed after the close decision: {outs:?}");
    assert!(String::from_utf8_lossy(&wire).contains("Connection: close\r\n"));
}
#[test]
fn rfc9112_6_1_transfer_encoding_in_http10_lenient_is_faulty_framing_then_close() {
    let input =
        b"POST / HTTP/1.0\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n\r\n";
    let (outs, wire) = run_all_splits(input, &lenient());
    assert_eq!(first(&outs).framing(), BodyFraming::Chunked);
    assert!(String::from_utf8_lossy(&wire).contains("Connection: close\r\n"));
}
#[test]
fn rfc9112_6_1_te_coding_names_case_insensitive_and_empty_members_ignored() {
    for te in [
        "Chunked",
        "CHUNKED",
        " chunked ",
        ",chunked",
        "chunked,",
        ", chunked ,",
    ] {
        let input = format!("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:{te}\r\n\r\n0\r\n\r\n");
        let outs = accepts(input.as_bytes(), &strict());
        assert_eq!(first(&outs).framing(), BodyFraming::Chunked, "{te:?}");
    }
}

// ---- RFC 9112 §7.1 Chunked ---------------------------------------------------------------------

fn chunked(body: &[u8]) -> Vec<u8> {
    let mut v = CHUNKED.to_vec();
    v.extend_from_slice(body);
    v
}

#[test]
fn rfc9112_7_1_chunked_body_and_next_request() {
    let input = chunked(b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\nGET /n HTTP/1.1\r\nHost: a\r\n\r\n");
    let outs = accepts(&input, &strict());
    assert_eq!(outs[1], Out::Data(b"hello world".to_vec()));
    assert_eq!(outs[2], Out::End(vec![]));
    assert_eq!(outs[3].req_line(), Some(("GET", "/n")));
}
#[test]
fn rfc9112_7_1_1_extensions_capped_in_total_bytes_413() {
    // Eight lines with 7 bytes of extensions each, then a last chunk with 3: 59 bytes in the body.
    let mut body = Vec::new();
    for _ in 0..8 {
        body.extend_from_slice(b"1;abcdef\r\nx\r\n");
    }
    body.extend_from_slice(b"0 ;z\r\n\r\n");
    let mut cfg = strict();
    cfg.limits.max_chunk_extensions = 59;
    accepts(&chunked(&body), &cfg);
    cfg.limits.max_chunk_extensions = 58;
    rejects(&chunked(&body), &cfg, K::ChunkExtensionsTooLarge);
    // Counted across lines, not per line: 32 is more than any one line has.
    cfg.limits.max_chunk_extensions = 32;
    rejects(&chunked(&body), &cfg, K::ChunkExtensionsTooLarge);
}
#[test]
fn rfc9112_7_1_chunk_size_line_over_limit_413() {
    let mut cfg = strict();
    cfg.limits.max_chunk_line = 16;
    // 16 bytes: accepted, with extensions or with leading zeros alone.
    accepts(&chunked(b"5;abcdefghijklmn\r\nhello\r\n0\r\n\r\n"), &cfg);
    accepts(&chunked(b"0000000000000005\r\nhello\r\n0\r\n\r\n"), &cfg);
    // 17: refused as soon as the 17th byte arrives, before the line ends.
    rejects(
        &chunked(b"5;abcdefghijklmno\r\nhello\r\n0\r\n\r\n"),
        &cfg,
        K::ChunkLineTooLong,
    );
    rejects(
        &chunked(b"00000000000000005\r\nhello\r\n0\r\n\r\n"),
        &cfg,
        K::ChunkLineTooLong,
    );
    rejects(&chunked(b"5;abcdefghijklmnopqrst"), &cfg, K::ChunkLineTooLong);
    // The last chunk's line too.
    rejects(&chunked(b"0;abcdefghijklmnopqrst"), &cfg, K::ChunkLineTooLong);
    // Each line on its own: many lines of 16 bytes pass.
    let mut body = b"1;abcdefghijklmn\r\nx\r\n".repeat(20);
    body.extend_from_slice(b"0\r\n\r\n");
    accepts(&chunked(&body), &cfg);
}
#[test]
fn rfc9112_7_1_many_tiny_chunks_accepted() {
    // Neither cap counts chunks or digits: 300 one-byte chunks pass caps of 8 bytes.
    let mut cfg = strict();
    cfg.limits.max_chunk_line = 8;
    cfg.limits.max_chunk_extensions = 8;
    let mut body = b"1\r\nx\r\n".repeat(300);
    body.extend_from_slice(b"0\r\n\r\n");
    let outs = accepts(&chunked(&body), &cfg);
    assert_eq!(outs[1], Out::Data(vec![b'x'; 300]));
    assert_eq!(outs[2], Out::End(vec![]));
}
#[test]
fn rfc9112_7_1_2_trailers_are_kept_apart() {
    let input = chunked(b"1\r\nx\r\n0\r\nX-Trailer: 1\r\nContent-Length: 99\r\n\r\n");
    let outs = accepts(&input, &strict());
    assert_eq!(
        outs[2],
        Out::End(vec![
            ("X-Trailer".into(), b"1".to_vec()),
            ("Content-Length".into(), b"99".to_vec())
        ])
    );
    assert_eq!(first(&outs).header("x-trailer"), None);
    assert_eq!(first(&outs).framing(), BodyFraming::Chunked);
}
#[test]
fn rfc9112_7_1_2_trailer_section_too_large_431() {
    let mut cfg = strict();
    cfg.limits.max_trailers = 20;
    rejects(
        &chunked(b"0\r\nX-Long-Trailer: 0123456789\r\n\r\n"),
        &cfg,
        K::TrailersTooLarge,
    );
}
#[test]
fn rfc9110_15_5_14_chunked_body_over_limit_413() {
    let mut cfg = strict();
    cfg.limits.max_body = Some(8);
    rejects(
        &chunked(b"5\r\nhello\r\n5\r\nworld\r\n0\r\n\r\n"),
        &cfg,
        K::BodyTooLarge,
    );
    accepts(&chunked(b"4\r\nhell\r\n4\r\nowor\r\n0\r\n\r\n"), &cfg);
}

// ---- httparse 1.10 gaps that h1conn closes (shared/RULES.md, last paragraph) --------------------
