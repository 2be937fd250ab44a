//! The `Date` value (RFC 9110 §6.6.1), formatted once a second per thread.

use std::cell::Cell;
use std::time::{SystemTime, UNIX_EPOCH};

/// The current `Date` value of the system clock, as h1conn's `set_date` takes it.
pub(crate) fn now() -> [u8; 29] {
    thread_local! {
        static CACHE: Cell<(u64, [u8; 29])> = const { Cell::new((u64::MAX, [0; 29])) };
    }
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    CACHE.with(|c| {
        let (at, date) = c.get();
        if at == secs {
            return date;
        }
        let date = h1conn::http_date(secs);
        c.set((secs, date));
        date
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn rfc9110_5_6_7_imf_fixdate_shape() {
        let d = super::now();
        let s = std::str::from_utf8(&d).unwrap();
        assert!(s.ends_with(" GMT"), "{s}");
        assert_eq!(&s[3..5], ", ");
        assert_eq!(super::now().len(), 29);
    }
}
