//! hyper 1.x hello world with the same flags as h1conn's `serve` example: `--listen ADDR` (port 0
//! allowed; prints `listening on ADDR` first), `--threads N` (tokio worker threads). Every GET is
//! answered 200 with a text body of `--body-bytes N` bytes (default 6, `hello` and a newline), so
//! scripts/load.sh can match the length of what `serve` sends; anything else gets 404.
//!
//! The runtime is the one `#[tokio::main]` builds (as in hyper's examples, and as h1conn-tokio's
//! hello builds it): every driver on. The service sets the same two static fields as hello's, with
//! `HeaderValue::from_static`. By default hyper runs without a timer, as in its own examples: no
//! request has a deadline. `--header-read-timeout SECS` turns hyper's only server timer on (on the
//! tokio timer), for a comparison where both servers keep deadlines.

use std::convert::Infallible;
use std::io::Write;

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::header::HeaderValue;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;

async fn hello(req: Request<Incoming>, body: Bytes) -> Result<Response<Full<Bytes>>, Infallible> {
    let (status, body) = match req.method().as_str() {
        "GET" => (StatusCode::OK, body),
        _ => (StatusCode::NOT_FOUND, Bytes::from_static(b"not found\n")),
    };
    let mut resp = Response::new(Full::new(body));
    *resp.status_mut() = status;
    let headers = resp.headers_mut();
    // As examples/hello on h1conn-tokio: the same two static fields, built without a parse.
    headers.insert("server", HeaderValue::from_static("hyper-hello"));
    headers.insert("content-type", HeaderValue::from_static("text/plain"));
    Ok(resp)
}

fn main() {
    let mut listen = String::from("127.0.0.1:8080");
    let mut threads = 1usize;
    let mut body_bytes = 6usize;
    let mut header_read_timeout = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--listen" => listen = args.next().expect("--listen ADDR"),
            "--threads" => threads = args.next().and_then(|n| n.parse().ok()).expect("--threads N"),
            // Accepted so the A/A check of scripts/load.sh can stand hyper in for serve: hyper
            // has no per-connection request limit, so only 0 (unlimited) is meaningful.
            "--max-requests" => assert_eq!(args.next().as_deref(), Some("0"), "--max-requests 0 only"),
            "--body-bytes" => body_bytes = args.next().and_then(|n| n.parse().ok()).expect("--body-bytes N"),
            "--header-read-timeout" => {
                let secs = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .expect("--header-read-timeout SECS");
                header_read_timeout = Some(std::time::Duration::from_secs(secs));
            }
            other => panic!("unknown argument {other}"),
        }
    }
    // The runtime of hyper's examples (`#[tokio::main]`) and of h1conn-tokio's hello: every
    // driver on.
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads)
        .enable_all()
        .build()
        .expect("runtime");
    let mut text = b"hello\n".repeat(body_bytes / 6 + 1);
    text.truncate(body_bytes);
    let body = Bytes::from(text);
    rt.block_on(async move {
        let listener = TcpListener::bind(&listen).await.expect("bind");
        println!("listening on {}", listener.local_addr().expect("address"));
        std::io::stdout().flush().expect("stdout");
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            let _ = stream.set_nodelay(true);
            let body = body.clone();
            tokio::spawn(async move {
                let service = service_fn(move |req| hello(req, body.clone()));
                let mut builder = http1::Builder::new();
                if let Some(t) = header_read_timeout {
                    builder.timer(TokioTimer::new()).header_read_timeout(t);
                }
                let _ = builder.serve_connection(TokioIo::new(stream), service).await;
            });
        }
    });
}
