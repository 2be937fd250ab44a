//! Small limits and timers for the fuzz targets: a few leading input bytes choose which limits are
//! made small and how small, so every limit is reached within the fuzzer's short inputs, and the
//! reference model is given the same limits.

use core::time::Duration;

use h1conn::Config;

use crate::model::HeadLimits;

/// Which head limits and timers `flags` makes small, with the values `a` and `b` pick. `flags`
/// 0 keeps `Config::default()`.
///
/// | bit | setting | value |
/// |---|---|---|
/// | 0 | `max_request_line` | `a` |
/// | 1 | `max_method` | `b % 16` |
/// | 2 | `max_fields` | `b % 8` |
/// | 3 | `max_field_line` | `a` |
/// | 4 | `max_head` | `2a + b % 8` |
/// | 5 | `max_body` | `b` |
/// | 6 | header, body and idle timers | `a × 100 µs`, `b × 100 µs`, `(a + b) × 100 µs` |
/// | 7 | header and body minimum rates | `b` B/s, `a` B/s |
pub fn small_head_limits(flags: u8, a: u8, b: u8) -> (Config, HeadLimits) {
    let mut cfg = Config::default();
    let (a, b) = (usize::from(a), usize::from(b));
    let l = &mut cfg.limits;
    if flags & 1 != 0 {
        l.max_request_line = a;
    }
    if flags & 2 != 0 {
        l.max_method = b % 16;
    }
    if flags & 4 != 0 {
        l.max_fields = b % 8;
    }
    if flags & 8 != 0 {
        l.max_field_line = a;
    }
    if flags & 16 != 0 {
        l.max_head = 2 * a + b % 8;
    }
    if flags & 32 != 0 {
        l.max_body = Some(b as u64);
    }
    let t = &mut cfg.timeouts;
    let micros = |n: usize| Duration::from_micros(n as u64 * 100);
    if flags & 64 != 0 {
        t.header = micros(a);
        t.header_max = micros(2 * a);
        t.body = micros(b);
        cfg.keep_alive.timeout = micros(a + b);
    }
    if flags & 128 != 0 {
        t.header_min_rate = b as u32;
        t.body_min_rate = a as u32;
    }
    let model = HeadLimits {
        request_line: cfg.limits.max_request_line,
        method: cfg.limits.max_method,
        fields: cfg.limits.max_fields,
        field_line: cfg.limits.max_field_line,
        head: cfg.limits.max_head,
        body: cfg.limits.max_body,
    };
    (cfg, model)
}

/// True when `flags` makes the timers small: a 408 may then come before the head is complete.
pub fn small_timers(flags: u8) -> bool {
    flags & 64 != 0
}
