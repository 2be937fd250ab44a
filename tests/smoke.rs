use core::time::Duration;
use h1conn::*;

fn drain(conn: &mut Connection) -> Vec<u8> {
    let out = conn.transmit().to_vec();
    conn.handle_written(out.len(), Duration::ZERO).unwrap();
    out
}

#[test]
fn smoke_pipelined_and_http10() {
    let t = Duration::ZERO;
    let mut c = Connection::new(Config::default(), t);
    c.handle_input(b"GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.0\r\nConnection: keep-alive\r\n\r\nPOST /c HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc", t);
    let mut seen = vec![];
    for _ in 0..3 {
        loop {
            match c.poll_event() {
                Some(Event::Request(r)) => seen.push(String::from_utf8_lossy(r.head.target()).into_owned()),
                Some(Event::Data(d)) => seen.push(format!("data {:?}", d)),
                Some(Event::End(_)) => break,
                Some(e) => panic!("{e:?}"),
                None => panic!("stalled"),
            }
        }
        c.send_full(&Response::new(200), b"ok", t).unwrap();
        let out = drain(&mut c);
        seen.push(String::from_utf8_lossy(&out).into_owned());
    }
    for s in &seen {
        println!("{s}");
    }
    assert!(c.poll_close().is_none());
}
