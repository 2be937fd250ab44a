//! Raw bytes fed in arbitrary pieces with clock ticks between them. The stream invariants are
//! checked by `h1conn_testkit::check::stream::request_stream`; here every request h1conn surfaced
//! is also checked against the reference model.
#![no_main]

use libfuzzer_sys::fuzz_target;

use h1conn_testkit::check::stream::request_stream;
use h1conn_testkit::model;

/// True when an empty line ends a head in `stream` (after any leading empty lines).
fn has_complete_head(stream: &[u8]) -> bool {
    let mut s = stream;
    while let Some(rest) = s.strip_prefix(b"\r\n") {
        s = rest;
    }
    s.windows(4).any(|w| w == b"\r\n\r\n")
}

fuzz_target!(|data: &[u8]| {
    let report = request_stream(data);
    // The first request: the model and h1conn agree on accept / reject and the status.
    if let Some(stream) = data.get(1..) {
        let show = || stream.escape_ascii().to_string();
        match (model::head_verdict(stream), report.requests.first(), report.error) {
            (model::Verdict::Accept(_), Some(_), _) => {}
            (model::Verdict::Accept(m), None, e) => {
                panic!("model accepts {m:?}, h1conn: error {e:?}: {}", show())
            }
            (model::Verdict::Reject(v), None, Some(s)) => {
                assert!(
                    v.iter().any(|x| x.status == s),
                    "status {s}, model {v:?}: {}",
                    show()
                )
            }
            // A rule broken inside a head that never completed: h1conn may wait for the end of the
            // head (and then see the end of input) instead of rejecting at once.
            (model::Verdict::Reject(_), None, None) if !has_complete_head(stream) => {}
            (model::Verdict::Reject(v), r, e) => {
                panic!(
                    "model rejects {v:?}, h1conn surfaced {r:?} / error {e:?}: {}",
                    show()
                )
            }
            (model::Verdict::Incomplete, None, None) => {}
            (model::Verdict::Incomplete, r, e) => {
                panic!(
                    "model waits for more, h1conn surfaced {r:?} / error {e:?}: {}",
                    show()
                )
            }
        }
    }
    for r in &report.requests {
        let model::Verdict::Accept(m) = model::head_verdict(&r.head) else {
            panic!(
                "h1conn accepted a head the model rejects: {:?}\n{:?}",
                r.head.escape_ascii().to_string(),
                model::head_verdict(&r.head)
            );
        };
        let framing = match m.body {
            model::Body::None => h1conn::BodyFraming::None,
            model::Body::Length(n) => h1conn::BodyFraming::Length(n),
            model::Body::Chunked => h1conn::BodyFraming::Chunked,
        };
        assert_eq!(
            r.body,
            framing,
            "framing of {:?}",
            r.head.escape_ascii().to_string()
        );
        assert_eq!(m.head_len, r.head.len());
    }
});
