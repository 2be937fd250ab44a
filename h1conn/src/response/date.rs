//! The IMF-fixdate formatter for the `Date` field (RFC 9110 §5.6.7).

/// The `Date` value of the system clock now, as [`Connection::set_date`](crate::Connection::set_date)
/// takes it (feature `std`). The value changes once a second, so it is formatted once a second per
/// thread and cached.
#[cfg(feature = "std")]
pub fn http_date_now() -> [u8; 29] {
    use std::time::{SystemTime, UNIX_EPOCH};
    std::thread_local! {
        static CACHE: core::cell::Cell<(u64, [u8; 29])> =
            const { core::cell::Cell::new((u64::MAX, [0; 29])) };
    }
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    CACHE.with(|c| {
        let (at, date) = c.get();
        if at == secs {
            return date;
        }
        let date = http_date(secs);
        c.set((secs, date));
        date
    })
}

/// Formats a Unix time (seconds since 1970-01-01T00:00:00Z) as an IMF-fixdate for the `Date`
/// field (RFC 9110 §5.6.7), e.g. `Sun, 06 Nov 1994 08:49:37 GMT`.
pub fn http_date(unix_secs: u64) -> [u8; 29] {
    let days = unix_secs / 86_400;
    let secs = unix_secs % 86_400;
    let (h, m, s) = (secs / 3600, (secs / 60) % 60, secs % 60);
    // 1970-01-01 was a Thursday.
    let weekday = ((days + 4) % 7) as usize;
    let (year, month, day) = civil_from_days(days as i64);
    const WD: [&[u8; 3]; 7] = [b"Sun", b"Mon", b"Tue", b"Wed", b"Thu", b"Fri", b"Sat"];
    const MO: [&[u8; 3]; 12] = [
        b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec",
    ];
    let mut out = *b"Thu, 01 Jan 1970 00:00:00 GMT";
    out[..3].copy_from_slice(WD[weekday]);
    two(&mut out[5..7], day as u64);
    out[8..11].copy_from_slice(MO[(month - 1) as usize]);
    let y = (year.clamp(0, 9999)) as u64;
    out[12] = b'0' + (y / 1000) as u8;
    out[13] = b'0' + (y / 100 % 10) as u8;
    out[14] = b'0' + (y / 10 % 10) as u8;
    out[15] = b'0' + (y % 10) as u8;
    two(&mut out[17..19], h);
    two(&mut out[20..22], m);
    two(&mut out[23..25], s);
    out
}

fn two(dst: &mut [u8], v: u64) {
    dst[0] = b'0' + (v / 10) as u8;
    dst[1] = b'0' + (v % 10) as u8;
}

/// Days since 1970-01-01 to (year, month 1..=12, day 1..=31), proleptic Gregorian calendar.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc9110_5_6_7_imf_fixdate_examples() {
        assert_eq!(&http_date(784_111_777), b"Sun, 06 Nov 1994 08:49:37 GMT");
        assert_eq!(&http_date(0), b"Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(&http_date(951_782_400), b"Tue, 29 Feb 2000 00:00:00 GMT");
        assert_eq!(&http_date(1_798_761_599), b"Thu, 31 Dec 2026 23:59:59 GMT");
    }
}
