//! hyper 1.x hello world with the same flags as h1conn's `serve` example: `--listen ADDR` (port 0
//! allowed; prints `listening on ADDR` first), `--threads N` (tokio worker threads). `GET /` answers
//! 200 with a short text body.

use std::convert::Infallible;
use std::io::Write;

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

async fn hello(req: Request<Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
    let (status, body): (StatusCode, &'static [u8]) = match (req.method().as_str(), req.uri().path()) {
        ("GET", "/") => (StatusCode::OK, b"hello\n"),
        _ => (StatusCode::NOT_FOUND, b"not found\n"),
    };
    let mut resp = Response::new(Full::new(Bytes::from_static(body)));
    *resp.status_mut() = status;
    resp.headers_mut()
        .insert("content-type", "text/plain".parse().expect("static value"));
    Ok(resp)
}

fn main() {
    let mut listen = String::from("127.0.0.1:8080");
    let mut threads = 1usize;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--listen" => listen = args.next().expect("--listen ADDR"),
            "--threads" => threads = args.next().and_then(|n| n.parse().ok()).expect("--threads N"),
            other => panic!("unknown argument {other}"),
        }
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async move {
        let listener = TcpListener::bind(&listen).await.expect("bind");
        println!("listening on {}", listener.local_addr().expect("address"));
        std::io::stdout().flush().expect("stdout");
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            let _ = stream.set_nodelay(true);
            tokio::spawn(async move {
                let _ = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service_fn(hello))
                    .await;
            });
        }
    });
}
