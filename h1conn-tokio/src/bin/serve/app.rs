//! The application as a tower service: routes, the demo page, files, `/stats`.
//!
//! | request                             | response                                                     |
//! |-------------------------------------|--------------------------------------------------------------|
//! | `GET` / `HEAD /`                    | the demo page, or `DIR/index.html` with `--root DIR`, or text |
//! | `POST /`                            | 200, short text; the body is read and discarded              |
//! | `POST` / `PUT /echo`                | 200 with the request body, streamed back as it arrives; Content-Length when it had one |
//! | `GET /stream?chunks=N&size=M`       | N pieces of M bytes, length unknown (chunked / close)        |
//! | `GET /stream?...&trailers=1`        | the same, then the trailer field `x-pieces: N` (announced in `Trailer`); chunked only |
//! | `GET /status/CODE`                  | that status (200..=599); 204 and 304 without a body          |
//! | `GET /stats`                        | JSON statistics, see [`Stats::json`]                         |
//! | `OPTIONS *`                         | 200 with `Allow`, the methods the server serves              |
//! | `GET` other paths                   | a demo resource, or a file under `--root DIR`, or 404        |
//!
//! A method a route does not serve (CONNECT and OPTIONS included) gets 405 with `Allow`
//! (RFC 9110 §15.5.6). Every response carries `Date` (written by the server) and `Server`.

use std::convert::Infallible;
use std::fs::File;
use std::future::Future;
use std::io::Read;
use std::path::Path;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::Bytes;
use h1conn_tokio::{BoxError, Incoming};
use http::{header, HeaderValue, Method, Request, Response, StatusCode};
use http_body::{Body, Frame, SizeHint};

use crate::files::{content_type, resolve};
use crate::page::{DEMO_HTML, DEMO_RESOURCES};
use crate::stats::{ConnectionStats, Stats};
use crate::Opts;

/// The `Server` field value of every response.
const SERVER: &str = "h1conn-example";
/// Most pieces `/stream` sends.
const MAX_STREAM_CHUNKS: u64 = 1000;
/// Largest piece `/stream` sends.
const MAX_STREAM_SIZE: u64 = 64 * 1024;
/// Largest piece read from a file at once.
const FILE_PIECE: u64 = 64 * 1024;
/// What `OPTIONS *` lists, and a CONNECT's 405.
const SERVER_METHODS: &str = "GET, HEAD, POST, PUT, OPTIONS";

/// What every connection shares.
#[derive(Debug)]
pub struct Shared {
    /// The flags.
    pub opts: Opts,
    /// The statistics behind `/stats`.
    pub stats: Stats,
}

/// The service of one connection (made for each accepted connection, which it counts).
#[derive(Debug, Clone)]
pub struct App {
    shared: Arc<Shared>,
    counter: ConnectionStats,
}

impl App {
    /// The service for a newly accepted connection.
    pub fn new(shared: Arc<Shared>) -> App {
        let counter = shared.stats.connection();
        App { shared, counter }
    }
}

impl tower_service::Service<Request<Incoming>> for App {
    type Response = Response<AppBody>;
    type Error = Infallible;
    type Future = AppFuture;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: Request<Incoming>) -> AppFuture {
        self.shared.stats.request(&self.counter);
        route(&self.shared, req)
    }
}

/// The response to a request: at once for most routes; `POST /` and `/echo` read the body first.
pub enum AppFuture {
    /// Answered.
    Ready(Option<Response<AppBody>>),
    /// Reading the request body.
    Reading(Pin<Box<dyn Future<Output = Response<AppBody>> + Send>>),
}

impl Future for AppFuture {
    type Output = Result<Response<AppBody>, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.get_mut() {
            AppFuture::Ready(r) => Poll::Ready(Ok(r.take().expect("polled after completion"))),
            AppFuture::Reading(f) => f.as_mut().poll(cx).map(Ok),
        }
    }
}

fn route(shared: &Shared, req: Request<Incoming>) -> AppFuture {
    let reading = |f: Pin<Box<dyn Future<Output = Response<AppBody>> + Send>>| AppFuture::Reading(f);
    AppFuture::Ready(Some(match route_now(shared, req) {
        Ok(r) => r,
        Err(Later::Discard(body)) => return reading(Box::pin(discard(body))),
        Err(Later::Echo(req)) => return reading(Box::pin(echo(*req))),
    }))
}

/// A route that reads the request body before it answers.
enum Later {
    Discard(Incoming),
    Echo(Box<Request<Incoming>>),
}

fn route_now(shared: &Shared, req: Request<Incoming>) -> Result<Response<AppBody>, Later> {
    let method = req.method().clone();
    let path = if req.uri() == "*" { "*" } else { req.uri().path() };
    let get = method == Method::GET || method == Method::HEAD;
    let allow = allowed(shared, path);
    Ok(match path {
        "*" if method == Method::OPTIONS => {
            let mut r = Response::new(AppBody::Full(Some(Bytes::new())));
            r.headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static(SERVER_METHODS));
            with_server(r)
        }
        // CONNECT names this server itself (authority-form, RFC 9110 §9.3.6): no tunnels here.
        _ if method == Method::CONNECT => not_allowed(SERVER_METHODS),
        _ if !allow.is_some_and(|a| lists(a, method.as_str())) => match allow {
            Some(a) => not_allowed(a),
            None => text(StatusCode::NOT_FOUND, "not found\n"),
        },
        "/" if method == Method::POST => return Err(Later::Discard(req.into_body())),
        "/" => match &shared.opts.root {
            None => fixed(StatusCode::OK, "text/html; charset=utf-8", DEMO_HTML),
            Some(root) => match resolve(root, b"/") {
                Ok(file) => send_file(&file),
                Err(_) => text(StatusCode::OK, "h1conn example server\n"),
            },
        },
        "/echo" => return Err(Later::Echo(Box::new(req))),
        "/stream" => stream(req.uri().query().unwrap_or_default()),
        "/stats" => full(StatusCode::OK, "application/json", shared.stats.json().as_bytes()),
        p if p.starts_with("/status/") => status(&p[8..]),
        p => match &shared.opts.root {
            None => match DEMO_RESOURCES.iter().find(|r| r.0 == p) {
                Some((_, ct, body)) if get => fixed(StatusCode::OK, ct, body),
                _ => text(StatusCode::NOT_FOUND, "not found\n"),
            },
            Some(root) => match resolve(root, p.as_bytes()) {
                Ok(file) => send_file(&file),
                Err(code) => text(status_code(code), "not found\n"),
            },
        },
    })
}

/// Whether the `Allow` value `allow` lists `method`.
fn lists(allow: &str, method: &str) -> bool {
    allow.split(',').any(|m| m.trim_ascii() == method)
}

/// The methods `path` serves, or `None` when there is no such resource.
fn allowed(shared: &Shared, path: &str) -> Option<&'static str> {
    match path {
        "*" => Some("OPTIONS"),
        "/" => Some("GET, HEAD, POST"),
        "/echo" => Some("POST, PUT"),
        "/stream" | "/stats" => Some("GET, HEAD"),
        p if p.starts_with("/status/") => Some("GET, HEAD"),
        p => match &shared.opts.root {
            None => DEMO_RESOURCES.iter().any(|r| r.0 == p).then_some("GET, HEAD"),
            // Files: resolved when served (a missing one is a 404 then).
            Some(_) => Some("GET, HEAD"),
        },
    }
}

fn status_code(code: u16) -> StatusCode {
    StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

fn with_server(mut r: Response<AppBody>) -> Response<AppBody> {
    const VALUE: HeaderValue = HeaderValue::from_static(SERVER);
    r.headers_mut().insert(header::SERVER, VALUE);
    r
}

fn full(status: StatusCode, ct: &str, body: &[u8]) -> Response<AppBody> {
    let mut r = Response::new(AppBody::Full(Some(Bytes::copy_from_slice(body))));
    *r.status_mut() = status;
    if let Ok(v) = HeaderValue::from_str(ct) {
        r.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    with_server(r)
}

/// A response with a body the program holds (no copy).
fn fixed(status: StatusCode, ct: &'static str, body: &'static str) -> Response<AppBody> {
    let mut r = Response::new(AppBody::Full(Some(Bytes::from_static(body.as_bytes()))));
    *r.status_mut() = status;
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
    with_server(r)
}

fn text(status: StatusCode, body: &str) -> Response<AppBody> {
    full(status, "text/plain; charset=utf-8", body.as_bytes())
}

/// 405 with the methods the resource serves (RFC 9110 §15.5.6).
fn not_allowed(allow: &'static str) -> Response<AppBody> {
    let mut r = text(StatusCode::METHOD_NOT_ALLOWED, "method not allowed\n");
    r.headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static(allow));
    r
}

/// `POST /`: reads the body to its end, answers with its size.
async fn discard(mut body: Incoming) -> Response<AppBody> {
    let mut received = 0u64;
    while let Some(frame) = std::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await {
        match frame {
            Ok(f) => received += f.data_ref().map_or(0, |d| d.len() as u64),
            // The connection has answered a broken body itself.
            Err(_) => return text(StatusCode::BAD_REQUEST, "bad body\n"),
        }
    }
    text(StatusCode::OK, &format!("received {received} bytes\n"))
}

/// `/echo`: the response starts once the first piece arrived (so a client waiting for
/// `100 Continue` gets it before the response), then streams the rest back as it arrives.
async fn echo(req: Request<Incoming>) -> Response<AppBody> {
    let ct = req
        .headers()
        .get(header::CONTENT_TYPE)
        .cloned()
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    let length = req.headers().get(header::CONTENT_LENGTH).cloned();
    let mut body = req.into_body();
    // Poll once before answering: polling is what asks for the body, so a client waiting for
    // `100 Continue` gets it before the response head.
    let first = std::future::poll_fn(|cx| {
        Poll::Ready(match Pin::new(&mut body).poll_frame(cx) {
            Poll::Ready(Some(Ok(f))) => f.into_data().ok(),
            _ => None,
        })
    })
    .await;
    let mut r = Response::new(AppBody::Echo { first, rest: body });
    r.headers_mut().insert(header::CONTENT_TYPE, ct);
    if let Some(n) = length {
        r.headers_mut().insert(header::CONTENT_LENGTH, n);
    }
    with_server(r)
}

/// `/stream?chunks=N&size=M`.
fn stream(query: &str) -> Response<AppBody> {
    let (mut chunks, mut size, mut trailer) = (10u64, 1024u64, false);
    for pair in query.split('&') {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let v = v.parse::<u64>().ok();
        match (k, v) {
            ("chunks", Some(v)) => chunks = v.min(MAX_STREAM_CHUNKS),
            ("size", Some(v)) => size = v.min(MAX_STREAM_SIZE),
            ("trailers", Some(v @ (0 | 1))) => trailer = v == 1,
            ("chunks" | "size", None) | ("trailers", _) => {
                return text(
                    StatusCode::BAD_REQUEST,
                    "chunks and size take numbers, trailers 0 or 1\n",
                );
            }
            _ => {}
        }
    }
    let mut r = Response::new(AppBody::Pattern {
        left: chunks,
        size: size as usize,
        index: 0,
        trailer,
    });
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    if trailer {
        // RFC 9110 §6.6.2: the fields to come after the content are announced.
        r.headers_mut()
            .insert(header::TRAILER, HeaderValue::from_static("x-pieces"));
    }
    with_server(r)
}

/// `/status/CODE`.
fn status(code: &str) -> Response<AppBody> {
    let code = code
        .parse::<u16>()
        .ok()
        .filter(|c| (200..=599).contains(c))
        .and_then(|c| StatusCode::from_u16(c).ok());
    match code {
        None => text(StatusCode::BAD_REQUEST, "status codes 200 to 599 only\n"),
        Some(c @ (StatusCode::NO_CONTENT | StatusCode::NOT_MODIFIED)) => {
            let mut r = with_server(Response::new(AppBody::Empty));
            *r.status_mut() = c;
            r
        }
        Some(c) => {
            let reason = h1conn::reason_phrase(c.as_u16());
            text(c, &format!("{} {reason}\n", c.as_u16()))
        }
    }
}

fn send_file(path: &Path) -> Response<AppBody> {
    let opened = File::open(path).and_then(|f| Ok((f.metadata()?.len(), f)));
    let Ok((len, file)) = opened else {
        return text(StatusCode::NOT_FOUND, "not found\n");
    };
    let mut r = Response::new(AppBody::File { file, left: len });
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type(path)));
    with_server(r)
}

/// The response bodies of this application.
#[derive(Debug)]
pub enum AppBody {
    /// No body and no length (204, 304).
    Empty,
    /// A body known in advance.
    Full(Option<Bytes>),
    /// `/echo`: the request body, streamed back.
    Echo {
        /// The piece read before the response started.
        first: Option<Bytes>,
        /// The rest of the request body.
        rest: Incoming,
    },
    /// `/stream`: `left` more pieces of `size` bytes, then the trailer when asked for.
    Pattern {
        /// Pieces still to send.
        left: u64,
        /// Bytes per piece.
        size: usize,
        /// Pieces sent.
        index: u64,
        /// The `x-pieces` trailer field is still to send.
        trailer: bool,
    },
    /// A file: `left` more bytes. Files are small local ones: read in place, not on a thread.
    File {
        /// The open file.
        file: File,
        /// Bytes still to send.
        left: u64,
    },
}

impl Body for AppBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let this = self.get_mut();
        match this {
            AppBody::Empty => Poll::Ready(None),
            AppBody::Full(b) => Poll::Ready(b.take().map(|b| Ok(Frame::data(b)))),
            AppBody::Echo { first, rest } => {
                if let Some(b) = first.take() {
                    return Poll::Ready(Some(Ok(Frame::data(b))));
                }
                loop {
                    return match std::task::ready!(Pin::new(&mut *rest).poll_frame(cx)) {
                        None => Poll::Ready(None),
                        Some(Err(e)) => Poll::Ready(Some(Err(e.into()))),
                        // Request trailers are not echoed.
                        Some(Ok(f)) => match f.into_data() {
                            Ok(d) => Poll::Ready(Some(Ok(Frame::data(d)))),
                            Err(_) => continue,
                        },
                    };
                }
            }
            AppBody::Pattern {
                left: 0,
                index,
                trailer,
                ..
            } => Poll::Ready(std::mem::take(trailer).then(|| {
                let mut fields = http::HeaderMap::new();
                fields.insert("x-pieces", HeaderValue::from(*index));
                Ok(Frame::trailers(fields))
            })),
            AppBody::Pattern {
                left, size, index, ..
            } => {
                let mut piece = vec![b'a' + (*index % 26) as u8; *size];
                if let Some(last) = piece.last_mut() {
                    *last = b'\n';
                }
                *left -= 1;
                *index += 1;
                Poll::Ready(Some(Ok(Frame::data(Bytes::from(piece)))))
            }
            AppBody::File { left: 0, .. } => Poll::Ready(None),
            AppBody::File { file, left } => {
                let mut piece = vec![0; (*left).min(FILE_PIECE) as usize];
                match file.read(&mut piece) {
                    // The file changed under us: the body cannot be completed.
                    Ok(0) => Poll::Ready(Some(Err("file shrank while it was sent".into()))),
                    Ok(n) => {
                        piece.truncate(n);
                        *left -= n as u64;
                        Poll::Ready(Some(Ok(Frame::data(Bytes::from(piece)))))
                    }
                    Err(e) => Poll::Ready(Some(Err(e.into()))),
                }
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        match self {
            AppBody::Empty => true,
            AppBody::Full(b) => b.as_ref().is_none_or(Bytes::is_empty),
            AppBody::Echo { first, rest } => first.is_none() && rest.is_end_stream(),
            AppBody::Pattern { left, trailer, .. } => *left == 0 && !trailer,
            AppBody::File { left, .. } => *left == 0,
        }
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            AppBody::Full(b) => SizeHint::with_exact(b.as_ref().map_or(0, |b| b.len() as u64)),
            AppBody::File { left, .. } => SizeHint::with_exact(*left),
            _ => SizeHint::new(),
        }
    }
}
