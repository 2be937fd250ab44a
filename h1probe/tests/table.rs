//! The check table against h1conn's own rules: every request check, with its canary, driven
//! through an `h1conn::Connection` in the strict default configuration, must come out as the table
//! expects. This keeps the table's bytes honest (lengths, chunk sizes) and shows where the probe
//! and the core crate read the RFC differently.

use core::time::Duration;

use h1conn::{Config, Connection, Event, Method, Response};
use h1probe::cases::CASES;
use h1probe::judge::CANARY;
use h1probe::model::Expect;

/// What h1conn did with a byte string: the requests it started (by target) and the error
/// statuses, in order.
#[derive(Debug, PartialEq, Eq)]
enum Step {
    Req(Vec<u8>),
    Err(u16),
}

fn drive(bytes: &[u8]) -> Vec<Step> {
    let t = Duration::ZERO;
    let mut c = Connection::new(Config::default(), t);
    let mut steps = Vec::new();
    let mut off = 0;
    let mut head = false;
    for _ in 0..10_000 {
        let took = c.handle_input(&bytes[off..], t);
        off += took;
        let mut any = false;
        while let Some(ev) = c.poll_event() {
            any = true;
            match ev {
                Event::Request(r) => {
                    head = r.head.method() == Method::Head;
                    steps.push(Step::Req(r.head.target().to_vec()));
                    if r.expects_continue {
                        c.accept_body(t).unwrap();
                    }
                }
                Event::End(_) => {
                    let body: &[u8] = if head { b"" } else { b"ok" };
                    c.send_full(&Response::new(200), body, t).unwrap();
                }
                Event::Error(e) => steps.push(Step::Err(e.status())),
                _ => {}
            }
        }
        let n = c.transmit().len();
        if n > 0 {
            c.handle_written(n, t).unwrap();
            any = true;
        }
        if took == 0 && !any {
            break;
        }
    }
    steps
}

#[test]
fn every_request_check_matches_h1conn_strict() {
    let canary = b"/?h1probe=canary".to_vec();
    let mut wrong = Vec::new();
    for case in CASES {
        let mut bytes = case.req.bytes();
        bytes.extend_from_slice(CANARY);
        let steps = drive(&bytes);
        let first_err = steps.iter().find_map(|s| match s {
            Step::Err(st) => Some(*st),
            _ => None,
        });
        let reqs = steps.iter().filter(|s| matches!(s, Step::Req(_))).count();
        let canary_seen = steps.contains(&Step::Req(canary.clone()));
        let ok = match case.expect {
            Expect::Accept | Expect::PreferAccept | Expect::NotStatus(_) => {
                first_err.is_none() && (canary_seen || reqs == 1)
            }
            Expect::Reject(codes) | Expect::PreferReject(codes) | Expect::RejectElseClose(codes) => {
                first_err.is_some_and(|s| codes.contains(&s)) && !canary_seen
            }
            Expect::Refuse(codes) => first_err.is_some_and(|s| codes.contains(&s)) || reqs >= 1,
            Expect::LimitOrWait(_) => first_err.is_none() && !canary_seen,
        };
        if std::env::var_os("H1PROBE_SHOW").is_some() {
            eprintln!("{} {:?}", case.id, steps);
        }
        if !ok {
            wrong.push(format!("{}: {:?} -> {:?}", case.id, case.expect, steps));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} checks disagree with h1conn:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn ids_are_unique_and_sections_cited() {
    let mut ids: Vec<&str> = CASES.iter().map(|c| c.id).collect();
    ids.extend(h1probe::state::DYNS.iter().map(|d| d.id));
    let n = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), n, "duplicate IDs");
    assert!(n >= 250, "{n} checks");
    assert!(h1probe::state::DYNS.len() >= 30);
    for c in CASES {
        assert!(
            c.section.starts_with("RFC 911") && c.section.contains('§'),
            "{}",
            c.id
        );
    }
    for d in h1probe::state::DYNS {
        assert!(
            d.section.starts_with("RFC 911") && d.section.contains('§'),
            "{}",
            d.id
        );
    }
}
