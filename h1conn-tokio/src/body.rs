//! The request body handed to the service: [`Incoming`], fed by the connection task through a
//! small shared queue. The connection moves body bytes out of its `h1conn::Connection` only while
//! the queue holds less than [`QUEUE_HIGH_WATER`] bytes, so a body the application does not poll
//! stops the connection from reading the socket: the application's pace sets the read pace.

use std::collections::VecDeque;
use std::fmt;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};

use bytes::Bytes;
use http::HeaderMap;
use http_body::{Frame, SizeHint};

/// Body bytes queued for the application before the connection stops taking more from its
/// `Connection` (and so, once that buffer is full too, from the socket).
pub(crate) const QUEUE_HIGH_WATER: usize = 64 * 1024;

/// A request body, streamed from the connection as the application polls it.
///
/// Body bytes are read from the transport only as this body is polled (plus a bounded amount
/// buffered ahead), so a slow consumer slows the client down instead of filling memory. A request
/// with `Expect: 100-continue` gets its `100 Continue` when the body is first polled before the
/// response head is sent (poll it once before answering to stream it back, as an echo does); a
/// service that answers without polling the body never asks the client for it, and the connection
/// closes after that response (RFC 9110 §10.1.1).
///
/// Trailer fields of a chunked body come as a final trailers frame (RFC 9112 §7.1.2).
pub struct Incoming {
    chan: Option<Arc<Channel>>,
    hint: SizeHint,
}

/// Why a request body could not be read to its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum BodyError {
    /// The client broke a framing rule or a limit (the connection answered it itself, 4xx).
    Peer(h1conn::PeerError),
    /// The response ended before the body was read; the rest is discarded by the connection.
    Discarded,
    /// The connection closed (the peer went away, a timer fired, shutdown aborted it) before the
    /// body was complete.
    Closed,
}

impl fmt::Display for BodyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BodyError::Peer(e) => write!(f, "request body: {e}"),
            BodyError::Discarded => f.write_str("request body discarded: the response ended first"),
            BodyError::Closed => f.write_str("connection closed before the request body ended"),
        }
    }
}

impl std::error::Error for BodyError {}

/// How the body ended, from the connection's side.
#[derive(Debug)]
enum End {
    Done(Option<HeaderMap>),
    Failed(BodyError),
}

#[derive(Debug, Default)]
struct State {
    queue: VecDeque<Bytes>,
    queued: usize,
    end: Option<End>,
    /// The application polled the body at least once.
    wanted: bool,
    /// The application dropped the body.
    dropped: bool,
    reader: Option<Waker>,
    conn: Option<Waker>,
}

#[derive(Debug, Default)]
struct Channel {
    state: Mutex<State>,
}

impl Channel {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Incoming {
    /// A body with no bytes.
    pub fn empty() -> Incoming {
        Incoming {
            chan: None,
            hint: SizeHint::with_exact(0),
        }
    }

    /// A body fed by the returned sender.
    pub(crate) fn channel(length: Option<u64>) -> (Incoming, BodySender) {
        let chan = Arc::new(Channel::default());
        let mut hint = SizeHint::new();
        if let Some(n) = length {
            hint.set_exact(n);
        }
        (
            Incoming {
                chan: Some(Arc::clone(&chan)),
                hint,
            },
            BodySender { chan: Some(chan) },
        )
    }
}

impl fmt::Debug for Incoming {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Incoming").field("size_hint", &self.hint).finish()
    }
}

impl http_body::Body for Incoming {
    type Data = Bytes;
    type Error = BodyError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BodyError>>> {
        let Some(chan) = self.chan.as_ref() else {
            return Poll::Ready(None);
        };
        let mut s = chan.lock();
        if !s.wanted {
            s.wanted = true;
            if let Some(w) = s.conn.take() {
                w.wake();
            }
        }
        if let Some(b) = s.queue.pop_front() {
            let was_full = s.queued >= QUEUE_HIGH_WATER;
            s.queued -= b.len();
            if was_full && s.queued < QUEUE_HIGH_WATER {
                if let Some(w) = s.conn.take() {
                    w.wake();
                }
            }
            drop(s);
            let left = self.hint.upper().map(|u| u.saturating_sub(b.len() as u64));
            if let Some(left) = left {
                self.hint.set_exact(left);
            }
            return Poll::Ready(Some(Ok(Frame::data(b))));
        }
        match s.end.take() {
            Some(End::Done(Some(trailers))) => {
                s.end = Some(End::Done(None));
                Poll::Ready(Some(Ok(Frame::trailers(trailers))))
            }
            Some(End::Done(None)) => {
                s.end = Some(End::Done(None));
                drop(s);
                self.chan = None;
                Poll::Ready(None)
            }
            Some(End::Failed(e)) => {
                s.end = Some(End::Failed(e));
                Poll::Ready(Some(Err(e)))
            }
            None => {
                s.reader = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.chan.is_none()
    }

    fn size_hint(&self) -> SizeHint {
        self.hint
    }
}

impl Drop for Incoming {
    fn drop(&mut self) {
        if let Some(chan) = self.chan.take() {
            let mut s = chan.lock();
            s.dropped = true;
            s.queue.clear();
            s.queued = 0;
            if let Some(w) = s.conn.take() {
                w.wake();
            }
        }
    }
}

/// The connection's end of an [`Incoming`] body. Dropping it before the body ended tells the
/// application the connection closed.
#[derive(Debug)]
pub(crate) struct BodySender {
    chan: Option<Arc<Channel>>,
}

/// What the connection may do with the body now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Demand {
    /// The application polled the body at least once (send `100 Continue` now; never for a body
    /// dropped without a poll).
    pub(crate) wanted: bool,
    /// More bytes may be queued.
    pub(crate) room: bool,
}

impl BodySender {
    /// Whether the application wants the body and has room for more; registers the connection
    /// task's waker when not.
    pub(crate) fn demand(&self, cx: &mut Context<'_>) -> Demand {
        let Some(chan) = self.chan.as_ref() else {
            return Demand {
                wanted: false,
                room: true,
            };
        };
        let mut s = chan.lock();
        let d = Demand {
            wanted: s.wanted,
            room: s.dropped || s.queued < QUEUE_HIGH_WATER,
        };
        if !(d.wanted || s.dropped) || !d.room {
            match &s.conn {
                Some(w) if w.will_wake(cx.waker()) => {}
                _ => s.conn = Some(cx.waker().clone()),
            }
        }
        d
    }

    /// Whether the application polled the body at least once (a body dropped unpolled is not
    /// wanted: no `100 Continue` for it).
    pub(crate) fn wanted(&self) -> bool {
        self.chan.as_ref().is_some_and(|c| c.lock().wanted)
    }

    /// Queues body bytes (dropped when the application dropped the body).
    pub(crate) fn send(&self, b: Bytes) {
        if let Some(chan) = self.chan.as_ref() {
            let mut s = chan.lock();
            if s.dropped {
                return;
            }
            s.queued += b.len();
            s.queue.push_back(b);
            if let Some(w) = s.reader.take() {
                drop(s);
                w.wake();
            }
        }
    }

    /// The body is complete, with trailer fields if any.
    pub(crate) fn finish(mut self, trailers: Option<HeaderMap>) {
        self.end(End::Done(trailers));
    }

    /// The body failed.
    pub(crate) fn fail(mut self, e: BodyError) {
        self.end(End::Failed(e));
    }

    fn end(&mut self, end: End) {
        if let Some(chan) = self.chan.take() {
            let mut s = chan.lock();
            s.end = Some(end);
            if let Some(w) = s.reader.take() {
                drop(s);
                w.wake();
            }
        }
    }
}

impl Drop for BodySender {
    fn drop(&mut self) {
        self.end(End::Failed(BodyError::Closed));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body::Body;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::task::Wake;

    struct Count(AtomicUsize);
    impl Wake for Count {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    fn poll(b: &mut Incoming, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, BodyError>>> {
        Pin::new(b).poll_frame(cx)
    }

    #[test]
    fn back_pressure_queue_full_until_the_application_polls() {
        let app = Arc::new(Count(AtomicUsize::new(0)));
        let conn = Arc::new(Count(AtomicUsize::new(0)));
        let app_w = Waker::from(Arc::clone(&app));
        let conn_w = Waker::from(Arc::clone(&conn));
        let (mut body, tx) = Incoming::channel(Some(2 * QUEUE_HIGH_WATER as u64));
        let mut ccx = Context::from_waker(&conn_w);
        assert!(!tx.demand(&mut ccx).wanted);
        tx.send(Bytes::from(vec![0; QUEUE_HIGH_WATER]));
        let d = tx.demand(&mut ccx);
        assert!(!d.room, "a full queue takes no more");
        let mut acx = Context::from_waker(&app_w);
        let Poll::Ready(Some(Ok(f))) = poll(&mut body, &mut acx) else {
            panic!()
        };
        assert_eq!(f.into_data().unwrap().len(), QUEUE_HIGH_WATER);
        assert!(conn.0.load(Ordering::SeqCst) >= 1, "polling wakes the connection");
        assert!(tx.demand(&mut ccx).room);
        assert_eq!(body.size_hint().exact(), Some(QUEUE_HIGH_WATER as u64));
        assert!(poll(&mut body, &mut acx).is_pending());
        tx.send(Bytes::from_static(b"x"));
        assert_eq!(app.0.load(Ordering::SeqCst), 1);
        let mut t = HeaderMap::new();
        t.insert("x-sum", "1".parse().unwrap());
        tx.finish(Some(t));
        assert!(matches!(poll(&mut body, &mut acx), Poll::Ready(Some(Ok(f))) if f.is_data()));
        assert!(matches!(poll(&mut body, &mut acx), Poll::Ready(Some(Ok(f))) if f.is_trailers()));
        assert!(matches!(poll(&mut body, &mut acx), Poll::Ready(None)));
        assert!(body.is_end_stream());
    }

    #[test]
    fn a_dropped_sender_is_a_closed_connection() {
        let w = Waker::noop();
        let mut cx = Context::from_waker(w);
        let (mut body, tx) = Incoming::channel(None);
        drop(tx);
        assert!(matches!(
            poll(&mut body, &mut cx),
            Poll::Ready(Some(Err(BodyError::Closed)))
        ));
    }

    #[test]
    fn a_dropped_body_takes_everything() {
        let w = Waker::noop();
        let mut cx = Context::from_waker(w);
        let (body, tx) = Incoming::channel(None);
        drop(body);
        tx.send(Bytes::from(vec![0; 2 * QUEUE_HIGH_WATER]));
        let d = tx.demand(&mut cx);
        assert!(d.room, "a dropped body never stops the connection");
        assert!(!d.wanted, "a body dropped unpolled does not ask for 100 Continue");
    }
}
