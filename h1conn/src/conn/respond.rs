//! The application's calls: accepting a body, response heads, body bytes, the end of a response,
//! shutdown. Each checks the writer's state, asks the pure decisions (framing, persistence) and
//! hands the bytes to [`super::writer`].

use core::time::Duration;

use super::persistence::{close_reasons, connection_fields, ConnectionFields, ResponseSide};
use super::state::{Read, ReadEvent, Write, WriteEvent};
use super::{writer, BodyRead, Connection};
use crate::error::UsageError;
use crate::request::fields::list_members;
use crate::request::head::{Method, Version};
use crate::response::framing::{response_framing, ResponseFraming};
use crate::response::{self, Response};
use crate::CloseHow;
use crate::CloseReason;

impl Connection {
    /// The application will read the request body: sends `100 Continue` when the client waits
    /// for it (HTTP/1.1 only). Without an expectation this does nothing.
    pub fn accept_body(&mut self, now: Duration) -> Result<(), UsageError> {
        self.tick(now);
        let now = self.clock.now;
        let waiting = self.read == Read::Continue && self.write == Write::Respond;
        let cur = self.cur_mut().ok_or(UsageError::NoRequestPending)?;
        if waiting {
            cur.body_start = now;
            cur.body_progress = now;
            self.read = self.read.on(ReadEvent::Accepted);
            writer::continue_100(self.out());
        }
        self.settle();
        Ok(())
    }

    /// Starts the response to the current request. Returns the framing chosen: with
    /// [`ResponseFraming::NoBody`] no body bytes may follow. Every final response ends with
    /// [`finish`](Connection::finish). Interim 1xx responses may precede it (100 is the same as
    /// [`accept_body`](Connection::accept_body)); they are dropped for HTTP/1.0 clients, which
    /// never receive 1xx. A 101 (to a request that offered the protocol in its Upgrade field) or a
    /// 2xx to CONNECT hands the connection over.
    pub fn send_response(
        &mut self,
        resp: &Response<'_>,
        now: Duration,
    ) -> Result<ResponseFraming, UsageError> {
        self.tick(now);
        let r = self.start_response(resp, false, now);
        self.settle();
        r
    }

    /// [`send_response`](Self::send_response) for a head whose fields are known to be valid.
    #[cfg(feature = "http")]
    pub(crate) fn send_checked(
        &mut self,
        resp: &Response<'_>,
        info: response::FieldsInfo,
        now: Duration,
    ) -> Result<ResponseFraming, UsageError> {
        self.tick(now);
        let r = self.start_checked(resp, info, false, now);
        self.settle();
        r
    }

    /// [`send_response`](Self::send_response) after the clock moved and before `settle`; with
    /// `with_body`, a response that can carry no body is refused before anything is written.
    fn start_response(
        &mut self,
        resp: &Response<'_>,
        with_body: bool,
        now: Duration,
    ) -> Result<ResponseFraming, UsageError> {
        if matches!(self.write, Write::Closed | Write::Upgraded | Write::Lingering) {
            return Err(UsageError::Closed);
        }
        let info = response::validate(resp)?;
        self.start_checked(resp, info, with_body, now)
    }

    /// [`start_response`](Self::start_response) for a head whose fields are known to be valid
    /// (`info` says what validation would have found).
    pub(crate) fn start_checked(
        &mut self,
        resp: &Response<'_>,
        info: response::FieldsInfo,
        with_body: bool,
        now: Duration,
    ) -> Result<ResponseFraming, UsageError> {
        if matches!(self.write, Write::Closed | Write::Upgraded | Write::Lingering) {
            return Err(UsageError::Closed);
        }
        let cur = self.cur_ref().ok_or(UsageError::NoRequestPending)?;
        if self.write != Write::Respond {
            return Err(UsageError::ResponseAlreadyStarted);
        }
        let (method, version, side) = (cur.method, cur.version, cur.side);
        let status = resp.status;
        let framing = response_framing(method, version, status, resp.length);
        if with_body && matches!(framing, ResponseFraming::NoBody { .. }) {
            return Err(UsageError::BodyNotAllowed);
        }
        if status == 101 {
            return self.send_switch(resp);
        }
        if status == 100 {
            self.accept_body(now)?;
            return Ok(ResponseFraming::NoBody { content_length: None });
        }
        if (100..200).contains(&status) {
            if version == Version::Http11 {
                writer::interim(self.out(), resp);
            }
            return Ok(ResponseFraming::NoBody { content_length: None });
        }
        let tunnel = method == Method::Connect && (200..300).contains(&status);
        self.served += 1;
        let policy = &self.cfg.keep_alive;
        let side = super::persistence::RequestSide {
            nth: self.served,
            ..side
        };
        let resp_side = ResponseSide {
            close_delimited: framing.is_close_delimited(),
            unanswered_continue: self.read == Read::Continue,
            close: resp.close,
        };
        self.latch.close_all(close_reasons(policy, side, Some(resp_side)));
        let fields = if tunnel {
            ConnectionFields::Nothing
        } else {
            connection_fields(self.latch.is_open(), version, policy, self.served)
        };
        let date = self.date;
        writer::head(self.out(), resp, info, framing, fields, date.as_ref());
        if let Some(cur) = self.cur_mut() {
            cur.framing = framing;
            cur.remaining = match framing {
                ResponseFraming::Length(n) => n,
                _ => 0,
            };
        }
        self.write = self.write.on(WriteEvent::HeadSent);
        if tunnel {
            self.hand_off();
        }
        Ok(framing)
    }

    /// Sends response body bytes. Chunked responses get one chunk per call (empty calls write
    /// nothing). The bytes are copied into the output buffer; check
    /// [`transmit`](Connection::transmit)'s length to apply back-pressure.
    pub fn send_body(&mut self, data: &[u8], now: Duration) -> Result<(), UsageError> {
        self.tick(now);
        let r = self.put_body(data);
        self.settle();
        r
    }

    /// [`send_body`](Self::send_body) between the clock and `settle`.
    fn put_body(&mut self, data: &[u8]) -> Result<(), UsageError> {
        let write = self.write;
        let cur = self.cur_mut().ok_or(UsageError::NoRequestPending)?;
        if write != Write::Body {
            return Err(not_sending(write));
        }
        if data.is_empty() {
            return Ok(());
        }
        match cur.framing {
            ResponseFraming::NoBody { .. } => return Err(UsageError::BodyNotAllowed),
            ResponseFraming::Length(_) => {
                if data.len() as u64 > cur.remaining {
                    return Err(UsageError::BodyTooLong);
                }
                cur.remaining -= data.len() as u64;
                self.out().extend_from_slice(data);
            }
            ResponseFraming::Chunked => writer::chunk(self.out(), data),
            ResponseFraming::CloseDelimited => self.out().extend_from_slice(data),
        }
        Ok(())
    }

    /// Ends the response. A Content-Length body that is short is cut off as by
    /// [`abort_response`](Connection::abort_response): the client sees the connection close before
    /// the announced length (RFC 9112 §8) and the connection is never reused; the call still
    /// succeeds.
    pub fn finish(&mut self, now: Duration) -> Result<(), UsageError> {
        self.finish_with_trailers(&[], now)
    }

    /// Ends a chunked response with trailer fields (RFC 9112 §7.1.2), checked as head fields are;
    /// with no fields it is [`finish`](Connection::finish). A response that is not chunked cannot
    /// carry trailers ([`UsageError::TrailersNotAllowed`]).
    pub fn finish_with_trailers(
        &mut self,
        trailers: &[(&str, &[u8])],
        now: Duration,
    ) -> Result<(), UsageError> {
        self.tick(now);
        let r = self.end_body(trailers);
        self.settle();
        r
    }

    /// [`finish_with_trailers`](Self::finish_with_trailers) between the clock and `settle`.
    fn end_body(&mut self, trailers: &[(&str, &[u8])]) -> Result<(), UsageError> {
        let write = self.write;
        let cur = self.cur_ref().ok_or(UsageError::NoRequestPending)?;
        if write != Write::Body {
            return Err(not_sending(write));
        }
        let (framing, remaining) = (cur.framing, cur.remaining);
        if !trailers.is_empty() {
            if framing != ResponseFraming::Chunked {
                return Err(UsageError::TrailersNotAllowed);
            }
            response::validate_fields(trailers)?;
        }
        self.write = self.write.on(WriteEvent::BodyDone);
        match framing {
            ResponseFraming::Length(_) if remaining > 0 => {
                self.cut_response();
                return Ok(());
            }
            ResponseFraming::Chunked => writer::last_chunk(self.out(), trailers),
            _ => {}
        }
        self.end_response();
        Ok(())
    }

    /// Cuts the response under way short: what was already given is still transmitted, the body is
    /// left incomplete (no last chunk; fewer bytes than the Content-Length) so the client sees the
    /// failure, and the connection closes after the output is flushed (reason
    /// [`CloseReason::Aborted`]). For when the application fails mid-body, or the request body
    /// turned out bad after the response started.
    pub fn abort_response(&mut self, now: Duration) -> Result<(), UsageError> {
        self.tick(now);
        let write = self.write;
        self.cur_ref().ok_or(UsageError::NoRequestPending)?;
        if write != Write::Body {
            return Err(not_sending(write));
        }
        self.write = self.write.on(WriteEvent::BodyDone);
        self.cut_response();
        self.settle();
        Ok(())
    }

    /// Convenience: a whole response with a body known in advance. The length is the body's, or
    /// the response's own `length` when it sets one: a HEAD or 304 response may announce the length
    /// a GET or 200 would have with an empty body. A body for a response that has none (HEAD, 1xx,
    /// 101, 204, 304, 2xx to CONNECT) is [`UsageError::BodyNotAllowed`]; a body whose size differs
    /// from the announced length is [`UsageError::LengthMismatch`]. Nothing is sent on an error.
    pub fn send_full(&mut self, resp: &Response<'_>, body: &[u8], now: Duration) -> Result<(), UsageError> {
        self.full(resp, None, body, now)
    }

    /// [`send_full`](Self::send_full); with `info`, the fields are known to be valid and are not
    /// checked again.
    pub(crate) fn full(
        &mut self,
        resp: &Response<'_>,
        info: Option<response::FieldsInfo>,
        body: &[u8],
        now: Duration,
    ) -> Result<(), UsageError> {
        let given = body.len() as u64;
        let length = match resp.length {
            Some(n) if !body.is_empty() && n != given => return Err(UsageError::LengthMismatch),
            Some(n) => n,
            None => given,
        };
        let r = Response {
            length: Some(length),
            ..*resp
        };
        self.tick(now);
        let started = match info {
            Some(info) => self.start_checked(&r, info, !body.is_empty(), now),
            None => self.start_response(&r, !body.is_empty(), now),
        };
        let done = started.and_then(|framing| {
            if (100..200).contains(&resp.status) || self.write == Write::Upgraded {
                return Ok(());
            }
            match framing {
                // The head announced exactly this body: it is the whole response.
                ResponseFraming::Length(n) if n == given && self.write == Write::Body => {
                    self.out().extend_from_slice(body);
                    if let Some(cur) = self.cur_mut() {
                        cur.remaining = 0;
                    }
                    self.write = self.write.on(WriteEvent::BodyDone);
                    self.end_response();
                    return Ok(());
                }
                ResponseFraming::NoBody { .. } => {}
                _ => self.put_body(body)?,
            }
            self.end_body(&[])
        });
        self.settle();
        done
    }

    /// Graceful shutdown: no new request is started; a response under way finishes with
    /// `Connection: close` when its head is not yet sent; an idle connection closes at once.
    pub fn shutdown(&mut self, now: Duration) {
        self.tick(now);
        self.stop_new_requests(CloseReason::Shutdown);
        self.maybe_close();
        self.settle();
    }

    /// Sets the `Date` value (RFC 9110 §6.6.1) written on every final response, the application's
    /// and the connection's own error responses alike, unless a response carries its own `Date`
    /// field; format it with [`http_date`](crate::http_date). The value is used as it is: refresh it
    /// before each turn of the adapter's loop (once a second is enough).
    pub fn set_date(&mut self, date: [u8; 29]) {
        self.date = Some(writer::date_line(&date));
    }

    /// More of the current Content-Length body is unread than the discard budget allows.
    fn unread_over_budget(&self) -> bool {
        self.cur_ref()
            .is_some_and(|c| matches!(c.body, BodyRead::Length(rem) if rem > self.cfg.discard_budget))
    }

    /// The response is complete. A request body still arriving is discarded (within the discard
    /// budget; the application gets [`Event::Discarded`](crate::Event::Discarded)), or, when it
    /// cannot be, the connection closes after the response.
    fn end_response(&mut self) {
        match self.read {
            Read::Continue => {}
            Read::Body if self.latch.is_open() && !self.unread_over_budget() => {
                self.read = self.read.on(ReadEvent::ResponseEnded);
                self.push_event(super::Event::Discarded);
                return;
            }
            Read::Body => {
                if self.unread_over_budget() {
                    self.latch.close(CloseReason::UnreadBody);
                }
            }
            _ => return self.end_exchange(),
        }
        // The body will not be read: do not wait for it.
        self.drop_exchange();
        self.stop_reading();
        self.close(CloseHow::Linger);
    }

    /// Ends the exchange without completing its body framing: flush, then close.
    fn cut_response(&mut self) {
        self.latch.close(CloseReason::Aborted);
        self.drop_exchange();
        let how = self.how_to_close();
        self.stop_reading();
        self.close(how);
    }

    /// 101 Switching Protocols: only to a protocol the client offered, after the whole request.
    fn send_switch(&mut self, resp: &Response<'_>) -> Result<ResponseFraming, UsageError> {
        let cur = self.cur_ref().ok_or(UsageError::NoRequestPending)?;
        let offer = cur
            .upgrade_offer
            .as_ref()
            .ok_or(UsageError::UpgradeNotRequested)?;
        if matches!(self.read, Read::Continue | Read::Body | Read::Discard) {
            return Err(UsageError::UpgradeNotRequested);
        }
        let chosen = resp
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("upgrade"))
            .map(|(_, v)| *v)
            .ok_or(UsageError::UpgradeNotRequested)?;
        let offered = |p: &[u8]| list_members(offer).any(|o| o.eq_ignore_ascii_case(p));
        let mut chosen_members = list_members(chosen).filter(|p| !p.is_empty()).peekable();
        if chosen_members.peek().is_none() || !chosen_members.all(offered) {
            return Err(UsageError::UpgradeNotRequested);
        }
        writer::switch(self.out(), resp);
        self.served += 1;
        self.hand_off();
        Ok(ResponseFraming::NoBody { content_length: None })
    }

    /// The connection belongs to another protocol from here on.
    fn hand_off(&mut self) {
        self.latch.close(CloseReason::Upgraded);
        let rest = self.rbuf.split().freeze();
        self.push_event(super::Event::Upgrade(rest));
        self.clear_queue();
        self.read = self.read.on(ReadEvent::Upgrade);
        self.write = self.write.on(WriteEvent::Upgrade);
    }
}

fn not_sending(w: Write) -> UsageError {
    if w == Write::Respond {
        UsageError::ResponseNotStarted
    } else {
        UsageError::Closed
    }
}
