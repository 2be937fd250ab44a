//! Round trip: a generated request (method, target, version, fields, a body framed by length or by
//! chunks with extensions, trailers) is serialized, parsed by the connection, and comes out as it
//! was generated (RFC 9112 §3 request line, §5 field lines, §6.3 framing, §7.1 chunked coding,
//! §7.1.2 trailers kept apart).

use h1conn::{BodyFraming, Config, Version};
use h1conn_testkit::strategies::{drive, ok_empty, valid_request, GenBody, Out};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn rfc9112_3_5_6_3_7_1_round_trip(req in valid_request()) {
        let (outs, wire) = drive(&Config::default(), &[&req.to_bytes()], &[], &mut ok_empty);
        let body = match &req.body {
            GenBody::None => BodyFraming::None,
            GenBody::Length(b) => BodyFraming::Length(b.len() as u64),
            GenBody::Chunked { .. } => BodyFraming::Chunked,
        };
        let has_body = !req.data().is_empty() || matches!(req.body, GenBody::Chunked { .. });
        let expects = req.fields.iter().any(|(n, _)| n == "Expect") && has_body;
        let mut expected = vec![Out::Req {
            method: req.method.clone(),
            target: req.target.clone().into_bytes(),
            version: if req.minor == 0 { Version::Http10 } else { Version::Http11 },
            minor: req.minor,
            fields: req.fields.clone(),
            body,
            expects_continue: expects,
        }];
        if !req.data().is_empty() {
            expected.push(Out::Data(req.data()));
        }
        expected.push(Out::End(req.trailers()));
        prop_assert_eq!(outs, expected);
        let status = if expects { "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 " } else { "HTTP/1.1 200 " };
        prop_assert!(wire.starts_with(status.as_bytes()), "{:?}", wire.escape_ascii().to_string());
    }
}
