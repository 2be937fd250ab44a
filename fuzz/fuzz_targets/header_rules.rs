//! Request heads built from pieces biased to hostile spellings, checked against the reference
//! model: accept/reject (and the status), parsed fields, body framing, `100-continue`, head length
//! and persistence.
#![no_main]

use h1conn::gen::{verdict, HostileRequest, Verdict};
use h1conn::{BodyFraming, Config, Version};
use libfuzzer_sys::fuzz_target;

use h1conn_testkit::driver::{Answer, Driver, Out};
use h1conn_testkit::model;

/// Whether the connection stays open after answering the request in `bytes` with an empty 404 (not
/// a 2xx, so CONNECT and Upgrade requests get no tunnel); `None` when its body did not end.
fn persists(bytes: &[u8]) -> Option<bool> {
    let mut d = Driver::new(Config::default()).answer(Answer::status(404));
    d.feed(bytes);
    let ended = d.rec.outs.iter().any(|o| matches!(o, Out::End(_)));
    ended.then(|| d.conn.persistence().is_open())
}

fuzz_target!(|req: HostileRequest| {
    let head = req.head_bytes();
    let expected = model::head_verdict(&head);
    let mut bytes = head.clone();
    let mut body_sent = true;
    match &expected {
        model::Verdict::Accept(a) => match a.body {
            model::Body::Length(n) if n <= 4096 => bytes.extend(std::iter::repeat_n(b'x', n as usize)),
            model::Body::Length(_) => body_sent = false,
            model::Body::Chunked => bytes.extend_from_slice(b"0\r\n\r\n"),
            model::Body::None => {}
        },
        _ => bytes.extend_from_slice(&req.body),
    }
    let got = verdict(&bytes);
    let show = || head.escape_ascii().to_string();
    match (&expected, &got) {
        (model::Verdict::Reject(v), Verdict::Rejected { status, kind }) => {
            assert!(
                v.iter().any(|x| x.status == *status),
                "status {status} ({kind:?}) where the model says {v:?}: {}",
                show()
            );
        }
        (model::Verdict::Accept(m), Verdict::Accepted(a)) => {
            assert_eq!(m.method, a.method.as_bytes(), "{}", show());
            assert_eq!(m.target, a.target, "{}", show());
            assert_eq!(m.minor, a.minor, "{}", show());
            assert_eq!(m.http11, a.version == Version::Http11, "{}", show());
            let fields: Vec<(Vec<u8>, Vec<u8>)> = a
                .headers
                .iter()
                .map(|(n, v)| (n.as_bytes().to_vec(), v.clone()))
                .collect();
            assert_eq!(m.fields, fields, "{}", show());
            let framing = match m.body {
                model::Body::None => BodyFraming::None,
                model::Body::Length(n) => BodyFraming::Length(n),
                model::Body::Chunked => BodyFraming::Chunked,
            };
            assert_eq!(framing, a.body, "{}", show());
            assert_eq!(m.expect_continue, a.expects_continue, "{}", show());
            assert_eq!(m.head_len, a.head_len, "{}", show());
            if body_sent {
                assert_eq!(persists(&bytes), Some(m.persist), "persistence of {}", show());
            }
        }
        (e, g) => panic!("model {e:?}\nh1conn {g:?}\nhead {}", show()),
    }
});
