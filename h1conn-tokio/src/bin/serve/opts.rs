//! Command-line flags and their mapping onto `h1conn::Config`.

use std::io::{self, Write};
use std::net::{SocketAddr, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::time::Duration;

use h1conn::Config;

const USAGE: &str = "\
usage: serve|blocking [options]

  --listen ADDR               address to listen on (default 127.0.0.1:8080; port 0 picks one)
  --root DIR                  serve files from DIR instead of the demo page
  --keep-alive on|off         persistent connections (default on)
  --max-requests N            requests per connection, 0 = unlimited (default 100)
  --keep-alive-timeout SECS   idle time before a persistent connection closes (default 5)
  --header-timeout SECS       time allowed to receive a request head (default 20)
  --body-timeout SECS         longest silence while a request body is read (default 20)
  --send-timeout SECS         longest time output may go untaken (default 60)
  --send-min-rate BYTES       after --send-timeout, output must be taken at this rate per second
                              (default 240; 0 = off)
  --threads N                 serve: tokio worker threads; blocking: most connection threads at
                              once (default: serve, one per core; blocking, 256)

The first line on stdout is `listening on ADDR`. serve shuts down gracefully on Ctrl-C or
SIGTERM (unix): idle connections close at once, requests in flight get 10 s; blocking stops at
once.";

/// The command-line flags.
#[derive(Debug, Clone)]
pub struct Opts {
    /// `--listen ADDR`.
    pub listen: SocketAddr,
    /// `--root DIR`, canonicalized.
    pub root: Option<PathBuf>,
    /// `--keep-alive on|off`.
    pub keep_alive: bool,
    /// `--max-requests N`.
    pub max_requests: u32,
    /// `--keep-alive-timeout SECS`.
    pub keep_alive_timeout: Duration,
    /// `--header-timeout SECS`.
    pub header_timeout: Duration,
    /// `--body-timeout SECS`.
    pub body_timeout: Duration,
    /// `--send-timeout SECS`.
    pub send_timeout: Duration,
    /// `--send-min-rate BYTES`.
    pub send_min_rate: u32,
    /// `--threads N`; 0 = the example's default.
    pub threads: usize,
}

impl Opts {
    /// Parses the process arguments; prints the usage and exits on `--help` or an error.
    pub fn from_env() -> Opts {
        match Opts::parse(std::env::args().skip(1)) {
            Ok(o) => o,
            Err(msg) if msg.is_empty() => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            Err(msg) => {
                eprintln!("error: {msg}\n\n{USAGE}");
                std::process::exit(2);
            }
        }
    }

    /// Parses arguments; `Err("")` means `--help`.
    pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Opts, String> {
        let defaults = Config::default();
        let mut o = Opts {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            root: None,
            keep_alive: defaults.keep_alive.enabled,
            max_requests: defaults.keep_alive.max_requests,
            keep_alive_timeout: defaults.keep_alive.timeout,
            header_timeout: defaults.timeouts.header,
            body_timeout: defaults.timeouts.body,
            send_timeout: defaults.timeouts.send,
            send_min_rate: defaults.timeouts.send_min_rate,
            threads: 0,
        };
        let mut args = args.into_iter();
        while let Some(flag) = args.next() {
            if flag == "--help" || flag == "-h" {
                return Err(String::new());
            }
            let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
            match flag.as_str() {
                "--listen" => {
                    let v = value()?;
                    o.listen = v
                        .to_socket_addrs()
                        .ok()
                        .and_then(|mut a| a.next())
                        .ok_or_else(|| format!("--listen: cannot resolve {v:?}"))?;
                }
                "--root" => {
                    let v = value()?;
                    let dir = Path::new(&v)
                        .canonicalize()
                        .map_err(|e| format!("--root {v}: {e}"))?;
                    if !dir.is_dir() {
                        return Err(format!("--root {v}: not a directory"));
                    }
                    o.root = Some(dir);
                }
                "--keep-alive" => {
                    o.keep_alive = match value()?.as_str() {
                        "on" => true,
                        "off" => false,
                        v => return Err(format!("--keep-alive takes on or off, not {v:?}")),
                    }
                }
                "--max-requests" => o.max_requests = number(&flag, &value()?)?,
                "--keep-alive-timeout" => o.keep_alive_timeout = seconds(&flag, &value()?)?,
                "--header-timeout" => o.header_timeout = seconds(&flag, &value()?)?,
                "--body-timeout" => o.body_timeout = seconds(&flag, &value()?)?,
                "--send-timeout" => o.send_timeout = seconds(&flag, &value()?)?,
                "--send-min-rate" => o.send_min_rate = number(&flag, &value()?)?,
                "--threads" => o.threads = number(&flag, &value()?)?,
                _ => return Err(format!("unknown flag {flag:?}")),
            }
        }
        Ok(o)
    }

    /// The connection configuration: h1conn's defaults with the flags applied.
    ///
    /// `--header-timeout` sets both `timeouts.header` and `timeouts.header_max`, so a head must be
    /// complete within that time however fast its bytes come.
    pub fn config(&self) -> Config {
        let mut c = Config::default();
        c.keep_alive.enabled = self.keep_alive;
        c.keep_alive.max_requests = self.max_requests;
        c.keep_alive.timeout = self.keep_alive_timeout;
        c.timeouts.header = self.header_timeout;
        c.timeouts.header_max = self.header_timeout;
        c.timeouts.body = self.body_timeout;
        c.timeouts.send = self.send_timeout;
        c.timeouts.send_min_rate = self.send_min_rate;
        c.output_high_water = crate::HIGH_WATER;
        c
    }
}

fn number<T: std::str::FromStr>(flag: &str, v: &str) -> Result<T, String> {
    v.parse()
        .map_err(|_| format!("{flag} takes a whole number, not {v:?}"))
}

fn seconds(flag: &str, v: &str) -> Result<Duration, String> {
    v.parse::<f64>()
        .ok()
        .and_then(|s| Duration::try_from_secs_f64(s).ok())
        .filter(|d| !d.is_zero())
        .ok_or_else(|| format!("{flag} takes a positive number of seconds, not {v:?}"))
}

/// Prints the `listening on ADDR` line and flushes it at once (scripts wait for it).
pub fn announce(addr: SocketAddr) {
    let mut out = io::stdout().lock();
    // A closed stdout must not stop the server.
    let _ = writeln!(out, "listening on {addr}");
    let _ = out.flush();
}
