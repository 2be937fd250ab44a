//! Raw bytes fed in arbitrary pieces with clock ticks between them. The stream invariants are
//! checked by `h1conn::gen::request_stream`; here every request h1conn surfaced is also checked
//! against the reference model.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/model/mod.rs"]
mod model;

fuzz_target!(|data: &[u8]| {
    let report = h1conn::gen::request_stream(data);
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
