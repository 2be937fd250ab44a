//! TLS with tokio-rustls through the example's listener: requests over TLS, and close_notify on
//! every graceful close (RFC 8446 §6.1), after `Connection: close` and on server shutdown.

#[path = "../examples/tls/listener.rs"]
#[allow(dead_code)]
mod listener;

use std::future::IntoFuture;
use std::sync::Arc;
use std::time::Duration;

use axum::routing::get;
use axum::Router;
use h1conn_tokio::Builder;
use listener::{server_config, TlsListener};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const CERT: &[u8] = include_bytes!("../examples/tls/localhost.crt");
const KEY: &[u8] = include_bytes!("../examples/tls/localhost.key");
const WAIT: Duration = Duration::from_secs(10);

async fn client(addr: std::net::SocketAddr) -> tokio_rustls::client::TlsStream<TcpStream> {
    let mut roots = rustls::RootCertStore::empty();
    roots.add(CertificateDer::from_pem_slice(CERT).unwrap()).unwrap();
    let config = rustls::ClientConfig::builder()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let tcp = TcpStream::connect(addr).await.unwrap();
    let name = ServerName::try_from("localhost").unwrap();
    tokio::time::timeout(WAIT, connector.connect(name, tcp))
        .await
        .unwrap()
        .unwrap()
}

#[tokio::test]
async fn tls_requests_and_close_notify_on_every_graceful_close() {
    let app = Router::new().route("/", get(|| async { "hello over TLS\n" }));
    let tcp = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = tcp.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(
        Builder::new()
            .serve(TlsListener::new(tcp, server_config(CERT, KEY).unwrap()), app)
            .with_graceful_shutdown(async move {
                let _ = stopped.await;
            }),
    );

    // `Connection: close`: the response, then close_notify (a read to the end without
    // close_notify is an UnexpectedEof error in rustls).
    let mut c = client(addr).await;
    c.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut out = Vec::new();
    tokio::time::timeout(WAIT, c.read_to_end(&mut out))
        .await
        .unwrap()
        .expect("the server ends with close_notify");
    let out = String::from_utf8_lossy(&out);
    assert!(out.starts_with("HTTP/1.1 200 OK\r\n"), "{out}");
    assert!(out.ends_with("hello over TLS\n"), "{out}");

    // An idle keep-alive connection gets close_notify when the server shuts down.
    let mut idle = client(addr).await;
    idle.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await
        .unwrap();
    let mut buf = vec![0u8; 4096];
    let mut got = Vec::new();
    while !got.ends_with(b"hello over TLS\n") {
        let n = tokio::time::timeout(WAIT, idle.read(&mut buf))
            .await
            .unwrap()
            .unwrap();
        assert!(n > 0);
        got.extend_from_slice(&buf[..n]);
    }
    let _ = stop.send(());
    let mut rest = Vec::new();
    tokio::time::timeout(WAIT, idle.read_to_end(&mut rest))
        .await
        .unwrap()
        .expect("shutdown closes with close_notify");
    assert!(rest.is_empty());
    tokio::time::timeout(WAIT, server)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
}

/// Scenario: a client opens TCP and never starts its TLS handshake. The idle timer closes the
/// connection; with no TLS session to close, the listener shuts the TCP write side down at once
/// and the connection's slot is free (a shutdown that waited on the handshake would hold it until
/// the send timeout, here 30 s).
#[tokio::test]
async fn a_client_that_never_starts_its_handshake_is_let_go() {
    let app = Router::new().route("/", get(|| async { "hello over TLS\n" }));
    let tcp = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = tcp.local_addr().unwrap();
    let mut config = h1conn::Config::default();
    config.keep_alive.timeout = Duration::from_millis(500);
    config.timeouts.header = Duration::from_millis(500);
    config.timeouts.send = Duration::from_secs(30);
    let server = tokio::spawn(
        Builder::new()
            .with_config(config)
            .serve(TlsListener::new(tcp, server_config(CERT, KEY).unwrap()), app)
            .into_future(),
    );
    let mut silent = TcpStream::connect(addr).await.unwrap();
    let start = std::time::Instant::now();
    let mut buf = [0u8; 64];
    // The server closes the socket: a read returns 0 (or a reset).
    match tokio::time::timeout(WAIT, silent.read(&mut buf)).await {
        Ok(Ok(0) | Err(_)) => {}
        Ok(Ok(n)) => panic!("{n} bytes before any handshake"),
        Err(_) => panic!("still open after {WAIT:?}"),
    }
    let took = start.elapsed();
    assert!(
        took >= Duration::from_millis(450) && took < Duration::from_secs(5),
        "closed after {took:?}"
    );
    server.abort();
}
