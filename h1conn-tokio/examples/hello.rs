//! The same hello world as benches/hyper-hello, on h1conn-tokio: the baseline service for comparing
//! the server itself with hyper (scripts/load.sh and scripts/server-cost.sh with
//! `SERVE_BIN=target/release/h1conn-hello`: this file built by benches/h1conn-hello, without the
//! dev-dependencies an example is built with). Flags as hyper-hello's: `--listen ADDR` (port 0
//! allowed; prints `listening on ADDR` first), `--threads N`, `--max-requests 0`, `--body-bytes N`
//! (default 6, `hello` and a newline). Every GET is answered 200 with that text, `server` and
//! `content-type` fields; anything else gets 404.

use std::convert::Infallible;
use std::io::Write;
use std::task::{Context, Poll};

use bytes::Bytes;
use h1conn::Config;
use h1conn_tokio::{Builder, Incoming};
use http::{HeaderValue, Method, Request, Response, StatusCode};
use http_body_util::Full;

/// The hello service: one shared body, two static fields.
#[derive(Clone)]
struct Hello(Bytes);

impl tower_service::Service<Request<Incoming>> for Hello {
    type Response = Response<Full<Bytes>>;
    type Error = Infallible;
    type Future = std::future::Ready<Result<Self::Response, Infallible>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: Request<Incoming>) -> Self::Future {
        let (status, body) = match *req.method() {
            Method::GET => (StatusCode::OK, self.0.clone()),
            _ => (StatusCode::NOT_FOUND, Bytes::from_static(b"not found\n")),
        };
        let mut resp = Response::new(Full::new(body));
        *resp.status_mut() = status;
        let headers = resp.headers_mut();
        headers.insert("server", HeaderValue::from_static("h1conn-hello"));
        headers.insert("content-type", HeaderValue::from_static("text/plain"));
        std::future::ready(Ok(resp))
    }
}

fn main() -> std::io::Result<()> {
    let mut listen = String::from("127.0.0.1:8080");
    let mut threads = 1usize;
    let mut body_bytes = 6usize;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--listen" => listen = args.next().expect("--listen ADDR"),
            "--threads" => threads = args.next().and_then(|n| n.parse().ok()).expect("--threads N"),
            "--max-requests" => assert_eq!(args.next().as_deref(), Some("0"), "--max-requests 0 only"),
            "--body-bytes" => body_bytes = args.next().and_then(|n| n.parse().ok()).expect("--body-bytes N"),
            other => panic!("unknown argument {other}"),
        }
    }
    let mut text = b"hello\n".repeat(body_bytes / 6 + 1);
    text.truncate(body_bytes);
    let body = Bytes::from(text);
    // Unlimited requests per connection, as hyper.
    let mut config = Config::default();
    config.keep_alive.max_requests = 0;
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads)
        .enable_all()
        .build()?
        .block_on(async move {
            let listener = tokio::net::TcpListener::bind(&listen).await?;
            println!("listening on {}", listener.local_addr()?);
            std::io::stdout().flush()?;
            Builder::new()
                .with_config(config)
                .serve(listener, Hello(body))
                .await
        })
}
