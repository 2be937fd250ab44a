//! Pipelining (RFC 9112 §9.3.2) and unread bodies (RFC 9112 §9.3).

use super::*;

const PAGE: [&str; 10] = [
    "/", "/a.css", "/b.css", "/c.css", "/d.css", "/app.js", "/lib.js", "/1.png", "/2.png", "/3.png",
];

fn page_transcript() -> Vec<String> {
    PAGE.iter()
        .flat_map(|p| [format!("request GET {p}"), "end".to_string()])
        .collect()
}

#[test]
fn rfc9112_9_3_2_page_with_nine_resources_pipelined_on_one_connection() {
    let mut s = Driver::client(cfg());
    let all: Vec<u8> = PAGE.iter().flat_map(|p| get(p)).collect();
    s.feed(&all);
    for p in PAGE {
        s.respond(200, p.as_bytes());
    }
    assert_eq!(s.take_log(), page_transcript());
    let w = s.take_wire();
    let bodies: Vec<&str> = w
        .split("HTTP/1.1 200 OK\r\n")
        .skip(1)
        .map(|r| r.rsplit("\r\n\r\n").next().unwrap())
        .collect();
    assert_eq!(bodies, PAGE.to_vec(), "responses leave in request order");
    assert!(s.close().is_none());
    assert_eq!(s.conn.requests_served(), 10);
}

#[test]
fn rfc9112_9_3_page_with_nine_resources_sequential_on_one_connection() {
    let mut s = Driver::client(cfg());
    for p in PAGE {
        s.feed(&get(p));
        s.advance(50 * MS);
        s.respond(200, p.as_bytes());
        s.advance(100 * MS);
    }
    assert_eq!(s.take_log(), page_transcript());
    assert!(s.close().is_none());
}

#[test]
fn rfc9112_9_3_2_pipelined_bodies_and_bodiless_requests_interleave() {
    let mut s = Driver::client(cfg());
    let input = req(
        "POST /1 HTTP/1.1\nHost: a\nContent-Length: 3\n\nabcGET /2 HTTP/1.1\nHost: a\n\nPOST /3 HTTP/1.1\nHost: a\nTransfer-Encoding: chunked\n\n",
    );
    let mut input = input;
    input.extend_from_slice(b"2\r\nxy\r\n0\r\nT: v\r\n\r\nGET /4 HTTP/1.1\r\nHost: a\r\n\r\n");
    s.feed(&input);
    for _ in 0..4 {
        s.respond(200, b"");
    }
    assert_eq!(
        s.take_log(),
        vec![
            "request POST /1",
            "data abc",
            "end",
            "request GET /2",
            "end",
            "request POST /3",
            "data xy",
            "end trailers=1",
            "request GET /4",
            "end"
        ]
    );
}

#[test]
fn pipeline_is_bounded_by_count_and_bytes() {
    let mut c = cfg();
    c.max_pipelined = 2;
    c.max_buffered = 256;
    let mut s = Driver::client(c);
    let all: Vec<u8> = (0..40).flat_map(|i| get(&format!("/{i}"))).collect();
    let took = s.conn.handle_input(&all, s.now);
    assert_eq!(took, 256, "input taken only up to max_buffered");
    s.pump();
    assert_eq!(s.take_log(), vec!["request GET /0", "end"]);
    // Heads parsed ahead count against max_buffered with the unparsed bytes, and while they hold
    // the input buffer it is not moved to a second allocation: only its spare room is offered.
    let queued = 2 * get("/1").len();
    let room = s.conn.input_capacity();
    assert!(room <= 256 - s.conn.buffered_input() - queued, "{room}");
    assert_eq!(s.conn.handle_input(&all[took..], s.now), room);
    // Serving drains the queue and makes room.
    s.respond(200, b"");
    assert_eq!(s.take_log(), vec!["request GET /1", "end"]);
    let mut served = 2;
    while s.conn.input_capacity() == 0 {
        s.respond(200, b"");
        served += 1;
        assert!(
            served < 40,
            "room comes back once the buffered requests are served"
        );
    }
}

// ---- Unread bodies (RFC 9112 §9.3) ---------------------------------------------------------------

#[test]
fn rfc9112_9_3_unread_small_body_is_discarded_and_connection_kept() {
    let mut s = sent(&req("POST /up HTTP/1.1\nHost: a\nContent-Length: 10\n\n01234"));
    assert_eq!(s.take_log(), vec!["request POST /up", "data 01234"]);
    s.respond(413, b"no");
    s.feed(&req("56789GET /next HTTP/1.1\nHost: a\n\n"));
    assert_eq!(s.take_log(), vec!["discarded", "request GET /next", "end"]);
    assert!(s.close().is_none());
}

/// Only a body still unread when the response *ends* counts against the discard budget: the head
/// was written while the body could still be read (full duplex), so it does not say `close`.
#[test]
fn go_discard_budget_unread_body_over_budget_closes() {
    let c = cfg_with(|c| c.discard_budget = 100);
    let mut s = sent_with(c, &req("POST /up HTTP/1.1\nHost: a\nContent-Length: 1000\n\n"));
    s.respond(413, b"");
    assert!(!s.take_wire().contains("Connection: close"));
    assert_closed(&s, CloseReason::UnreadBody, CloseHow::Linger);
    assert_eq!(s.take_log(), vec!["request POST /up", "discarded"]);
}

#[test]
fn go_discard_budget_unread_chunked_body_over_budget_closes_after_response() {
    let c = cfg_with(|c| c.discard_budget = 10);
    let mut s = sent_with(
        c,
        &req("POST /up HTTP/1.1\nHost: a\nTransfer-Encoding: chunked\n\n"),
    );
    s.respond(200, b"");
    assert!(s.close().is_none());
    s.feed(b"8\r\n01234567\r\n8\r\n01234567\r\n");
    assert_eq!(s.close().unwrap().how, CloseHow::Linger);
    assert!(reasons(&s).contains(&CloseReason::UnreadBody));
}
