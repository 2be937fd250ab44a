//! The application of the `blocking` (std::net) example: command-line flags, the mapping onto
//! [`h1conn::Config`], the routes, the demo page, the statistics and the per-connection [`App`]
//! that turns [`Event`](h1conn::Event)s into responses, driving a [`Connection`](h1conn::Connection) directly. The example file only
//! moves bytes between a socket and a [`Connection`](h1conn::Connection); everything here is free of I/O on sockets.
//! The tokio `serve` binary (h1conn-tokio) serves the same routes as a tower service, and shares
//! the flags, the page and the file rules with this crate.
//!
//! Routes (every response carries `Date` and `Server`):
//!
//! | request                             | response                                                     |
//! |-------------------------------------|--------------------------------------------------------------|
//! | `GET` / `HEAD /`                    | the demo page, or `DIR/index.html` with `--root DIR`, or text |
//! | `POST /`                            | 200, short text; the body is read and discarded              |
//! | `POST` / `PUT /echo`                | 200 with the request body; Content-Length when it had one    |
//! | `GET /stream?chunks=N&size=M`       | N pieces of M bytes, length unknown (chunked / close)        |
//! | `GET /status/CODE`                  | that status (200..=599); 204 and 304 without a body          |
//! | `GET /stats`                        | JSON statistics, see [`Stats::json`]                         |
//! | `GET` other paths                   | a demo resource, or a file under `--root DIR`, or 404        |

mod app;
// The demo page, file serving and flags are the `serve` binary's (h1conn-tokio), shared here.
#[path = "../../h1conn-tokio/src/bin/serve/files.rs"]
mod files;
#[path = "../../h1conn-tokio/src/bin/serve/opts.rs"]
mod opts;
#[path = "../../h1conn-tokio/src/bin/serve/page.rs"]
mod page;
mod shared;

pub use app::App;
pub use files::{content_type, percent_decode, resolve};
pub use opts::{announce, Opts};

pub use shared::{date_now, Shared, Stats};

/// Output buffered in the connection above which streamed bodies pause and the connection stops
/// asking for input (`Config::output_high_water`), so a client that sends without reading cannot
/// make the server buffer without bound.
pub const HIGH_WATER: usize = 64 * 1024;

/// Most pieces `/stream` sends.
pub const MAX_STREAM_CHUNKS: u64 = 1000;
/// Largest piece `/stream` sends.
pub const MAX_STREAM_SIZE: u64 = 64 * 1024;

/// How many connections `/stats` lists one by one (the most recent ones).
pub const MAX_TRACKED: usize = 10_000;

/// The `Server` field value of every response.
pub(crate) const SERVER: &[u8] = b"h1conn-example";
