//! Response invariants over generated sequences of pipelined requests and application answers,
//! read back from the wire with httparse. Each property is named after the rule it checks.

use h1conn::gen::{ValidBody, ValidRequest};
use h1conn::{Config, KeepAliveHeader, Version};
use h1conn_testkit::driver::{Answer, Driver, Out};
use h1conn_testkit::model;
use h1conn_testkit::strategies::{cut, valid_request};
use h1conn_testkit::wire::{read_responses, WireFraming, WireResponse};
use proptest::prelude::*;

/// One generated connection: configuration, requests, and how each is answered.
#[derive(Debug, Clone)]
struct Scenario {
    max_requests: u32,
    header_always: bool,
    requests: Vec<ValidRequest>,
    /// (status, known length) per request.
    answers: Vec<(u16, Option<u8>)>,
}

fn scenario() -> impl Strategy<Value = Scenario> {
    (
        0u32..6,
        any::<bool>(),
        proptest::collection::vec(valid_request(), 1..6),
        proptest::collection::vec(
            (
                prop_oneof![
                    Just(200u16),
                    Just(201),
                    Just(204),
                    Just(304),
                    Just(404),
                    Just(500)
                ],
                proptest::option::of(0u8..20),
            ),
            6,
        ),
    )
        .prop_map(|(max_requests, header_always, requests, answers)| Scenario {
            max_requests,
            header_always,
            requests,
            answers,
        })
}

/// What one run produced.
struct Run {
    cfg: Config,
    sent: Vec<ValidRequest>,
    outs: Vec<Out>,
    responses: Vec<WireResponse>,
}

impl Run {
    /// The requests the connection surfaced, in order.
    fn surfaced(&self) -> Vec<&Out> {
        self.outs
            .iter()
            .filter(|o| matches!(o, Out::Req { .. }))
            .collect()
    }
    /// The request a response answers.
    fn request_of(&self, r: &WireResponse) -> Option<&ValidRequest> {
        self.sent.get(r.req()?)
    }
}

/// The responses on `wire` to the requests `sent` (tagged by the driver).
fn read_back(wire: &[u8], sent: &[ValidRequest]) -> Vec<WireResponse> {
    read_responses(wire, &mut |_, r| {
        r.req().is_some_and(|k| sent[k].method == "HEAD")
    })
}

fn run(s: &Scenario) -> Run {
    let mut cfg = Config::default();
    cfg.keep_alive.max_requests = s.max_requests;
    cfg.keep_alive.header = if s.header_always {
        KeepAliveHeader::Always
    } else {
        KeepAliveHeader::Http10Only
    };
    let stream: Vec<u8> = s.requests.iter().flat_map(|r| r.to_bytes()).collect();
    let answers = s.answers.clone();
    let answer = Answer::with(move |i| {
        let (status, len) = answers[i % answers.len()];
        (status, len.map(|n| vec![b'z'; usize::from(n)]))
    });
    let (outs, wire) = Driver::new(cfg.clone()).answer(answer).run(&[&stream], &[]);
    let sent = s.requests.clone();
    let responses = read_back(&wire, &sent);
    Run {
        cfg,
        sent,
        outs,
        responses,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// RFC 9112 §6.2: never both Content-Length and Transfer-Encoding.
    #[test]
    fn rfc9112_6_2_never_content_length_and_transfer_encoding(s in scenario()) {
        for r in run(&s).responses {
            prop_assert!(r.count("content-length") + r.count("transfer-encoding") <= 1);
        }
    }

    /// RFC 9112 §6.1: never Transfer-Encoding to a request below HTTP/1.1, and no 1xx either.
    #[test]
    fn rfc9112_6_1_never_chunked_to_http10(s in scenario()) {
        let run = run(&s);
        for r in &run.responses {
            if run.request_of(r).is_some_and(|q| q.minor == 0) {
                prop_assert!(r.header("transfer-encoding").is_none());
                prop_assert!(r.status >= 200);
            }
        }
    }

    /// RFC 9112 §6.3 rule 1, RFC 9110 §6.4.1: no body bytes after HEAD, 1xx, 204, 304 (the wire
    /// reader treats them as bodiless, so stray bytes would break the next head), and the framing
    /// chosen is the model's.
    #[test]
    fn rfc9112_6_3_framing_matches_model_and_no_body_after_head_204_304(s in scenario()) {
        let run = run(&s);
        for r in &run.responses {
            let Some(k) = r.req() else { continue };
            let q = &run.sent[k];
            if r.status < 200 {
                continue;
            }
            let (status, len) = s.answers[k % s.answers.len()];
            prop_assert_eq!(status, r.status);
            let want = model::response_framing(q.method.as_bytes(), q.minor == 1, status, len.map(u64::from));
            let framing = match want {
                model::RespBody::NoBody { .. } => WireFraming::NoBody,
                model::RespBody::Length(_) => WireFraming::Length,
                model::RespBody::Chunked => WireFraming::Chunked,
                model::RespBody::UntilClose => WireFraming::UntilClose,
            };
            prop_assert_eq!(r.framing, framing, "request {:?}", q);
            if framing == WireFraming::NoBody {
                prop_assert!(r.body.is_empty());
                if status == 204 {
                    prop_assert!(r.header("content-length").is_none());
                }
            }
        }
    }

    /// RFC 9112 §6.3 rule 8, §9.3: a close-delimited body comes with `Connection: close` and ends
    /// the connection.
    #[test]
    fn rfc9112_6_3_close_delimited_implies_close(s in scenario()) {
        let run = run(&s);
        let n = run.responses.len();
        for (i, r) in run.responses.iter().enumerate() {
            if r.framing == WireFraming::UntilClose {
                prop_assert!(r.closes());
                prop_assert_eq!(i + 1, n);
            }
        }
    }

    /// RFC 9112 §9.6: after a response that says `close` (the client's or the server's decision),
    /// nothing is sent and no later request is surfaced.
    #[test]
    fn rfc9112_9_6_nothing_parsed_after_close(s in scenario()) {
        let run = run(&s);
        let surfaced = run.surfaced().len();
        let n = run.responses.len();
        for (i, r) in run.responses.iter().enumerate() {
            if r.closes() {
                prop_assert_eq!(i + 1, n, "a response follows a close");
                prop_assert_eq!(r.req().map(|k| k + 1), Some(surfaced), "a request surfaced after a close");
            }
            if run.request_of(r).is_some_and(|q| !q.wants_persistence()) {
                prop_assert!(r.closes(), "the client asked to close");
            }
        }
    }

    /// RFC 9112 §9.3 with the keep-alive policy: the connection persists exactly when the model
    /// says so, and serves at most `max_requests` requests.
    #[test]
    fn rfc9112_9_3_persistence_matches_model_and_max_requests(s in scenario()) {
        let run = run(&s);
        let max = run.cfg.keep_alive.max_requests;
        prop_assert!(max == 0 || run.surfaced().len() <= max as usize);
        let policy = model::Policy { enabled: true, max_requests: max };
        for (i, r) in run.responses.iter().filter(|r| r.status >= 200).enumerate() {
            let q = &run.sent[r.req().expect("only application responses")];
            let (status, len) = s.answers[i % s.answers.len()];
            let framing = model::response_framing(q.method.as_bytes(), q.minor == 1, status, len.map(u64::from));
            let persist = model::persists_after(i as u32 + 1, q.wants_persistence(), policy, framing);
            prop_assert_eq!(!r.closes(), persist, "response {} to {:?}", i, q);
            if persist && q.minor == 0 {
                prop_assert_eq!(r.header("connection"), Some(&b"keep-alive"[..]));
            }
        }
    }

    /// RFC 2068 §19.7.1.1: `Keep-Alive: max=N` counts down by one per response.
    #[test]
    fn rfc2068_19_7_1_1_keep_alive_max_counts_down(s in scenario()) {
        let run = run(&s);
        let max = run.cfg.keep_alive.max_requests;
        for (i, r) in run.responses.iter().filter(|r| r.status >= 200).enumerate() {
            let Some(ka) = r.header("keep-alive") else { continue };
            prop_assert!(!r.closes());
            let ka = std::str::from_utf8(ka).unwrap();
            let m = ka.split(',').find_map(|p| p.trim().strip_prefix("max="));
            prop_assert_eq!(m.is_some(), max != 0, "{}", ka);
            if let Some(m) = m {
                prop_assert_eq!(m.parse::<u32>().unwrap(), max - (i as u32 + 1), "{}", ka);
            }
        }
    }

    /// RFC 9112 §9.3.2: responses leave in request order, one per request surfaced.
    #[test]
    fn rfc9112_9_3_2_responses_in_request_order(s in scenario()) {
        let run = run(&s);
        let tags: Vec<usize> = run.responses.iter().filter(|r| r.status >= 200).map(|r| r.req().unwrap()).collect();
        let want: Vec<usize> = (0..run.surfaced().len()).collect();
        prop_assert_eq!(tags, want);
        for (q, o) in run.sent.iter().zip(run.surfaced()) {
            let Out::Req { target, version, .. } = o else { unreachable!() };
            prop_assert_eq!(target, &q.target);
            prop_assert_eq!(*version == Version::Http10, q.minor == 0);
        }
    }

    /// RFC 9112 §9.3: a response sent before the request body was read leaves the body to the
    /// connection, which discards it (within its budget) or closes; a request is never parsed from
    /// body bytes, and a connection that stays open goes on to the next request. Input arrives in
    /// arbitrary pieces.
    #[test]
    fn rfc9112_9_3_early_response_discards_unread_body(
        reqs in proptest::collection::vec(valid_request(), 1..5),
        cuts in proptest::collection::vec(any::<proptest::sample::Index>(), 0..6),
    ) {
        let stream: Vec<u8> = reqs.iter().flat_map(|r| r.to_bytes()).collect();
        let answer = Answer::with(|_| (200u16, Some(b"early".to_vec()))).early();
        let (outs, wire) = Driver::new(Config::default()).answer(answer).run(&cut(&stream, &cuts), &[]);
        let responses = read_back(&wire, &reqs);
        let surfaced: Vec<&Out> = outs.iter().filter(|o| matches!(o, Out::Req { .. })).collect();
        prop_assert!(outs.iter().all(|o| !matches!(o, Out::Err(_))), "peer error on valid input: {:?}", outs);
        for (q, o) in reqs.iter().zip(&surfaced) {
            let Out::Req { target, .. } = o else { unreachable!() };
            prop_assert_eq!(target, &q.target);
        }
        prop_assert_eq!(responses.len(), surfaced.len());
        for (k, r) in responses.iter().enumerate() {
            if !r.closes() && k + 1 < reqs.len() {
                prop_assert!(surfaced.len() > k + 1, "connection kept after response {} but request {} never surfaced", k, k + 1);
            }
            let q = &reqs[k];
            // The client waits for 100 Continue and may or may not send the body: close.
            let waits = q.expect_continue && (!q.body_data().is_empty() || matches!(q.body, ValidBody::Chunked { .. }));
            if !q.wants_persistence() || waits {
                prop_assert!(r.closes());
            }
        }
    }
}
