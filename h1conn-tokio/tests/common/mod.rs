//! Helpers shared by the socket tests: a server on a free loopback port, and a small HTTP/1.1
//! client that reads one response at a time. Every wait is bounded.
#![allow(dead_code)]

use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use h1conn_tokio::{BoxError, Builder, Incoming};
use http::{Request, Response};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub const WAIT: Duration = Duration::from_secs(10);

/// A server running in the test's runtime.
pub struct Running {
    pub addr: SocketAddr,
    pub stop: Option<oneshot::Sender<()>>,
    pub done: JoinHandle<io::Result<()>>,
}

impl Running {
    /// Triggers graceful shutdown.
    pub fn shutdown(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
    }
}

pub async fn start<S, B>(builder: Builder, service: S) -> Running
where
    S: tower_service::Service<Request<Incoming>, Response = Response<B>> + Clone + Send + 'static,
    S::Future: Send + 'static,
    S::Error: Into<BoxError>,
    B: http_body::Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<BoxError>,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let done = tokio::spawn(
        builder
            .serve(listener, service)
            .with_graceful_shutdown(async move {
                let _ = stopped.await;
            }),
    );
    Running {
        addr,
        stop: Some(stop),
        done,
    }
}

/// One response as read from the wire.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub head: String,
    pub body: Vec<u8>,
    pub trailers: String,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<String> {
        self.head.lines().skip(1).find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// A client connection that reads responses one by one.
pub struct Client {
    pub s: TcpStream,
    buf: Vec<u8>,
}

impl Client {
    pub async fn connect(addr: SocketAddr) -> Client {
        let s = tokio::time::timeout(WAIT, TcpStream::connect(addr))
            .await
            .expect("connect in time")
            .expect("connect");
        Client { s, buf: Vec::new() }
    }

    pub async fn send(&mut self, req: &[u8]) {
        self.s.write_all(req).await.expect("write request");
    }

    async fn fill(&mut self) -> bool {
        let mut tmp = [0u8; 8192];
        let n = tokio::time::timeout(WAIT, self.s.read(&mut tmp))
            .await
            .expect("server answers in time")
            .unwrap_or(0);
        self.buf.extend_from_slice(&tmp[..n]);
        n > 0
    }

    async fn line(&mut self) -> Option<String> {
        loop {
            if let Some(i) = self.buf.windows(2).position(|w| w == b"\r\n") {
                let l = String::from_utf8_lossy(&self.buf[..i]).into_owned();
                self.buf.drain(..i + 2);
                return Some(l);
            }
            if !self.fill().await {
                return None;
            }
        }
    }

    async fn exact(&mut self, n: usize) -> Vec<u8> {
        while self.buf.len() < n {
            assert!(self.fill().await, "connection closed inside a body");
        }
        self.buf.drain(..n).collect()
    }

    /// Reads one response (to a request that was not HEAD); None when the connection closed.
    pub async fn response(&mut self) -> Option<Resp> {
        self.response_to(false).await
    }

    pub async fn response_to(&mut self, head_request: bool) -> Option<Resp> {
        let mut head = self.line().await?;
        let status: u16 = head.get(9..12)?.parse().ok()?;
        loop {
            let l = self.line().await.expect("complete head");
            if l.is_empty() {
                break;
            }
            head.push_str("\r\n");
            head.push_str(&l);
        }
        let mut r = Resp {
            status,
            head,
            body: Vec::new(),
            trailers: String::new(),
        };
        if head_request || status == 204 || status == 304 || status < 200 {
            return Some(r);
        }
        if r.header("transfer-encoding").is_some() {
            loop {
                let size = self.line().await.expect("chunk size");
                let size = usize::from_str_radix(size.split(';').next().unwrap().trim(), 16).unwrap();
                if size == 0 {
                    loop {
                        let t = self.line().await.expect("trailer");
                        if t.is_empty() {
                            break;
                        }
                        r.trailers.push_str(&t);
                        r.trailers.push('\n');
                    }
                    break;
                }
                let mut d = self.exact(size).await;
                r.body.append(&mut d);
                self.exact(2).await;
            }
        } else if let Some(n) = r.header("content-length") {
            r.body = self.exact(n.parse().unwrap()).await;
        } else {
            while self.fill().await {}
            r.body = std::mem::take(&mut self.buf);
        }
        Some(r)
    }

    /// True when the server closed the connection (EOF or reset) within the wait.
    pub async fn closed_within(&mut self, d: Duration) -> bool {
        let mut tmp = [0u8; 1024];
        loop {
            match tokio::time::timeout(d, self.s.read(&mut tmp)).await {
                Err(_) => return false,
                Ok(Ok(0)) | Ok(Err(_)) => return true,
                Ok(Ok(_)) => {}
            }
        }
    }
}

/// Sends one request on a new connection and reads one response.
pub async fn once(addr: SocketAddr, req: &[u8]) -> Resp {
    let mut c = Client::connect(addr).await;
    c.send(req).await;
    c.response().await.expect("a response")
}
