//! Round trip: a generated request (method, target, version, fields, a body framed by length or by
//! chunks with extensions, trailers) is serialized, parsed by the connection, and comes out as it
//! was generated (RFC 9112 §3 request line, §5 field lines, §6.3 framing, §7.1 chunked coding,
//! §7.1.2 trailers kept apart).

use h1conn::gen::ValidBody;
use h1conn::{BodyFraming, Config, Version};
use h1conn_testkit::driver::{Driver, Out};
use h1conn_testkit::strategies::valid_request;
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn rfc9112_3_5_6_3_7_1_round_trip(req in valid_request()) {
        let (outs, wire) = Driver::new(Config::default()).run(&[&req.to_bytes()], &[]);
        let (body, trailers) = match &req.body {
            ValidBody::None => (BodyFraming::None, vec![]),
            ValidBody::Length(b) => (BodyFraming::Length(b.len() as u64), vec![]),
            ValidBody::Chunked { trailers, .. } => (BodyFraming::Chunked, trailers.clone()),
        };
        let data = req.body_data();
        let expects = req.expect_continue && (!data.is_empty() || body == BodyFraming::Chunked);
        let mut expected = vec![Out::Req {
            method: req.method.clone(),
            target: req.target.clone(),
            version: if req.minor == 0 { Version::Http10 } else { Version::Http11 },
            minor: req.minor,
            fields: req.header_fields(),
            body,
            expects_continue: expects,
        }];
        if !data.is_empty() {
            expected.push(Out::Data(data));
        }
        expected.push(Out::End(trailers));
        prop_assert_eq!(outs, expected);
        let status = if expects { "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 " } else { "HTTP/1.1 200 " };
        prop_assert!(wire.starts_with(status.as_bytes()), "{:?}", wire.escape_ascii().to_string());
    }
}
