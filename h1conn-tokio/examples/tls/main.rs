//! HTTPS with tokio-rustls: an axum `Router` served over TLS by h1conn-tokio, with graceful
//! shutdown on Ctrl-C (connections close with TLS close_notify).
//!
//! ```text
//! cargo run -p h1conn-tokio --example tls -- [ADDR] [CERT.pem KEY.pem]
//! curl --cacert h1conn-tokio/examples/tls/localhost.crt https://localhost:8443/
//! ```
//!
//! Without certificate arguments it serves `examples/tls/localhost.crt` (a self-signed
//! certificate for `localhost` and 127.0.0.1, for trying this out only).

mod listener;

use axum::routing::get;
use axum::Router;
use listener::{server_config, TlsListener};

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let addr = args.first().map_or("127.0.0.1:8443", String::as_str);
    let (cert, key) = match (args.get(1), args.get(2)) {
        (Some(c), Some(k)) => (std::fs::read(c)?, std::fs::read(k)?),
        _ => (
            include_bytes!("localhost.crt").to_vec(),
            include_bytes!("localhost.key").to_vec(),
        ),
    };
    let app = Router::new().route("/", get(|| async { "hello over TLS\n" }));
    let tcp = tokio::net::TcpListener::bind(addr).await?;
    println!("listening on https://{}", tcp.local_addr()?);
    h1conn_tokio::Builder::new()
        .serve(TlsListener::new(tcp, server_config(&cert, &key)?), app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}
