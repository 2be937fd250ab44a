//! The connection's two state machines as data, in the manner of h11's `_state.py`: the reader (where
//! the connection stands in the peer's request stream) and the writer (our responses, then the
//! connection's fate). Each is an enum, its events are an enum, and every allowed move is one row of
//! a table. The connection changes state only through [`Read::on`] and [`Write::on`], and the
//! diagram in docs/design.md is generated from the same rows ([`diagram`]); a test fails when the
//! two differ.
//!
//! Data that goes with a state (the body decoder, the response framing, how to close, when lingering
//! began) lives beside it in the connection; the tables hold only the states.

/// The reader: the peer's request stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Read {
    /// Heads are parsed as they arrive, ahead of the response under way (up to the pipeline limit).
    Heads,
    /// The last parsed request has a body or may switch protocols: nothing further is parsed until
    /// it is the current request and that question is settled.
    Blocked,
    /// The current request's body waits for `100 Continue` (the application's `accept_body`).
    Continue,
    /// The current request's body flows to the application.
    Body,
    /// The response ended before the request body: the rest is read and dropped, within the
    /// discard budget.
    Discard,
    /// No further request is read (the last one was read, the peer broke a rule, or the connection
    /// is closing): input is taken and dropped.
    Stopped,
    /// The connection was handed to another protocol.
    Upgraded,
}

/// What moves the reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ReadEvent {
    /// A request was parsed that has a body or may switch protocols.
    HeadWithBody,
    /// A request was parsed that is the last one (or the head broke a rule).
    LastHead,
    /// The request waiting in `Blocked` became current and its body flows.
    BodyStarts,
    /// The request waiting in `Blocked` became current and its body waits for `100 Continue`.
    ContinueAwaited,
    /// The application accepted the body.
    Accepted,
    /// The body ended; further requests may follow.
    BodyEnded,
    /// The body ended, but the request may switch protocols: parse nothing until it is answered.
    BodyEndedHold,
    /// The exchange that held the reader in `Blocked` ended without a protocol switch.
    ExchangeEnded,
    /// The response ended before the body did: the rest of the body is discarded.
    ResponseEnded,
    /// Nothing more is read.
    Stop,
    /// The connection is handed over (101, or 2xx to CONNECT).
    Upgrade,
}

/// The writer: our side of the exchange, then the connection's fate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Write {
    /// No request is waiting for a response.
    Idle,
    /// A request is current; its final response head was not given yet (1xx may come first).
    Respond,
    /// The response head was written; body bytes follow.
    Body,
    /// The response is complete; the exchange ends once its request body is read or dropped.
    Finished,
    /// The connection closes once its output is drained.
    Closing,
    /// Output drained: input is read and dropped until the peer closes or the linger time ends.
    Lingering,
    /// Done: close the transport.
    Closed,
    /// The connection was handed to another protocol.
    Upgraded,
}

/// What moves the writer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WriteEvent {
    /// A request became current.
    Surfaced,
    /// The final response head was written.
    HeadSent,
    /// The response body is complete.
    BodyDone,
    /// The exchange ended (its request was read or dropped).
    ExchangeEnded,
    /// The connection will close once output is drained; any exchange is dropped.
    Close,
    /// Output drained and the close is graceful (or the peer is gone).
    Drained,
    /// Output drained and unread input may follow: linger.
    DrainedLinger,
    /// The peer closed, or the linger time ended.
    LingerEnded,
    /// Close at once: pending output is void.
    Abort,
    /// The connection is handed over.
    Upgrade,
}

use Read as R;
use ReadEvent as RE;
use Write as W;
use WriteEvent as WE;

/// Every move of the reader: (from any of these states, on this event, to this state).
pub(crate) const READ_TABLE: &[(&[Read], ReadEvent, Read)] = &[
    (&[R::Heads], RE::HeadWithBody, R::Blocked),
    (&[R::Heads], RE::LastHead, R::Stopped),
    (&[R::Blocked], RE::BodyStarts, R::Body),
    (&[R::Blocked], RE::ContinueAwaited, R::Continue),
    (&[R::Blocked], RE::ExchangeEnded, R::Heads),
    (&[R::Continue], RE::Accepted, R::Body),
    (&[R::Body, R::Discard], RE::BodyEnded, R::Heads),
    (&[R::Body, R::Discard], RE::BodyEndedHold, R::Blocked),
    (&[R::Body], RE::ResponseEnded, R::Discard),
    (
        &[R::Heads, R::Blocked, R::Continue, R::Body, R::Discard],
        RE::Stop,
        R::Stopped,
    ),
    (
        &[R::Heads, R::Blocked, R::Continue, R::Body, R::Stopped],
        RE::Upgrade,
        R::Upgraded,
    ),
];

/// Every move of the writer: (from any of these states, on this event, to this state).
pub(crate) const WRITE_TABLE: &[(&[Write], WriteEvent, Write)] = &[
    (&[W::Idle], WE::Surfaced, W::Respond),
    (&[W::Respond], WE::HeadSent, W::Body),
    (&[W::Body], WE::BodyDone, W::Finished),
    (&[W::Respond, W::Finished], WE::ExchangeEnded, W::Idle),
    (
        &[W::Idle, W::Respond, W::Body, W::Finished],
        WE::Close,
        W::Closing,
    ),
    (&[W::Closing], WE::Drained, W::Closed),
    (&[W::Closing], WE::DrainedLinger, W::Lingering),
    (&[W::Lingering], WE::LingerEnded, W::Closed),
    (
        &[
            W::Idle,
            W::Respond,
            W::Body,
            W::Finished,
            W::Closing,
            W::Lingering,
        ],
        WE::Abort,
        W::Closed,
    ),
    (&[W::Respond, W::Body], WE::Upgrade, W::Upgraded),
];

fn lookup<S: Copy + PartialEq, E: Copy + PartialEq>(table: &[(&[S], E, S)], from: S, e: E) -> Option<S> {
    table
        .iter()
        .find(|(f, ev, _)| *ev == e && f.contains(&from))
        .map(|&(_, _, to)| to)
}

/// Every move of a table, one (from, event, to) at a time.
#[cfg(test)]
fn moves<'a, S: Copy, E: Copy>(table: &'a [(&'a [S], E, S)]) -> impl Iterator<Item = (S, E, S)> + 'a {
    table
        .iter()
        .flat_map(|&(from, e, to)| from.iter().map(move |&f| (f, e, to)))
}

impl Read {
    /// The state after `e`. A move the table does not list leaves the state as it is (and is a bug,
    /// caught in debug builds); it never panics in release builds.
    pub(crate) fn on(self, e: ReadEvent) -> Read {
        let to = lookup(READ_TABLE, self, e);
        debug_assert!(to.is_some(), "reader: no move from {self:?} on {e:?}");
        to.unwrap_or(self)
    }
}

impl Write {
    /// The state after `e`; as [`Read::on`].
    pub(crate) fn on(self, e: WriteEvent) -> Write {
        let to = lookup(WRITE_TABLE, self, e);
        debug_assert!(to.is_some(), "writer: no move from {self:?} on {e:?}");
        to.unwrap_or(self)
    }

    /// True while a request is current (between `Surfaced` and the end of its exchange).
    pub(crate) fn in_exchange(self) -> bool {
        matches!(self, W::Respond | W::Body | W::Finished)
    }
}

/// Both tables as Mermaid `stateDiagram-v2` blocks, the form docs/design.md shows.
#[cfg(test)]
pub(crate) fn diagram() -> alloc::string::String {
    use core::fmt::Write as _;
    let mut out = alloc::string::String::new();
    let _ = writeln!(
        out,
        "```mermaid\nstateDiagram-v2\n    direction LR\n    %% reader\n    [*] --> Heads"
    );
    for (from, e, to) in moves(READ_TABLE) {
        let _ = writeln!(out, "    {from:?} --> {to:?}: {e:?}");
    }
    let _ = writeln!(
        out,
        "```\n\n```mermaid\nstateDiagram-v2\n    direction LR\n    %% writer\n    [*] --> Idle"
    );
    for (from, e, to) in moves(WRITE_TABLE) {
        let (from, to) = (WriterName(from), WriterName(to));
        let _ = writeln!(out, "    {from} --> {to}: {e:?}");
    }
    let _ = writeln!(out, "    Closed --> [*]\n```");
    out
}

/// Writer state names in the diagram, apart from the reader's states of the same name.
#[cfg(test)]
struct WriterName(Write);

#[cfg(test)]
impl core::fmt::Display for WriterName {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self.0 {
            W::Body => f.write_str("SendBody"),
            W::Upgraded => f.write_str("HandedOver"),
            other => write!(f, "{other:?}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// docs/design.md shows the diagram generated from the tables, byte for byte. Run with
    /// `H1CONN_BLESS=1` to write the generated diagram into the page.
    #[cfg(feature = "std")]
    #[test]
    fn design_md_diagram_is_generated_from_the_tables() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/design.md");
        let doc = std::fs::read_to_string(path).unwrap();
        let want = diagram();
        if doc.contains(&want) {
            return;
        }
        let start = doc.find("```mermaid").expect("design.md has a mermaid block");
        let end_mark = "    Closed --> [*]\n```\n";
        let end = doc
            .find(end_mark)
            .expect("design.md's diagram ends with the writer's block")
            + end_mark.len();
        if std::env::var_os("H1CONN_BLESS").is_some() {
            std::fs::write(path, [&doc[..start], &want, &doc[end..]].concat()).unwrap();
            return;
        }
        panic!(
            "docs/design.md does not show the generated state diagram (H1CONN_BLESS=1 rewrites it):\n{want}"
        );
    }

    /// Each (state, event) pair has at most one move, so the machines are deterministic.
    #[test]
    fn tables_are_deterministic() {
        let read: alloc::vec::Vec<_> = moves(READ_TABLE).map(|(f, e, _)| (f, e)).collect();
        let write: alloc::vec::Vec<_> = moves(WRITE_TABLE).map(|(f, e, _)| (f, e)).collect();
        for (i, m) in read.iter().enumerate() {
            assert!(!read[i + 1..].contains(m), "{m:?}");
        }
        for (i, m) in write.iter().enumerate() {
            assert!(!write[i + 1..].contains(m), "{m:?}");
        }
    }
}
