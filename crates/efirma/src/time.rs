//! Time as a parameter: a plain UNIX timestamp in seconds, UTC.
//!
//! The browser has no usable `SystemTime::now()` (it traps), and SAT's test credentials
//! expired in 2021, so every validity check and signing time takes a [`Timestamp`] from the
//! caller.

use der::DateTime;
use std::time::Duration;

/// Seconds since 1970-01-01T00:00:00Z.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub i64);

impl Timestamp {
    /// From UNIX seconds.
    pub fn from_unix(secs: i64) -> Self {
        Timestamp(secs)
    }

    /// UNIX seconds.
    pub fn unix(self) -> i64 {
        self.0
    }

    /// The current time from the operating system clock (native only: in the browser take
    /// the time from `js_sys::Date` and use [`Timestamp::from_unix`]).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn now() -> Self {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        Timestamp(secs)
    }

    pub(crate) fn from_der(dt: DateTime) -> Self {
        Timestamp(dt.unix_duration().as_secs() as i64)
    }

    /// As a DER `DateTime` (for `signingTime`). Fails before 1970 or after 9999.
    pub(crate) fn to_der(self) -> Option<DateTime> {
        let secs = u64::try_from(self.0).ok()?;
        DateTime::from_unix_duration(Duration::from_secs(secs)).ok()
    }

    /// RFC 3339 in UTC, e.g. `2017-05-18T03:54:56Z`.
    pub fn to_rfc3339(self) -> String {
        match self.to_der() {
            Some(dt) => format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
                dt.year(),
                dt.month(),
                dt.day(),
                dt.hour(),
                dt.minutes(),
                dt.seconds()
            ),
            None => format!("@{}", self.0),
        }
    }

    /// Parses RFC 3339 (`YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)`).
    pub fn parse_rfc3339(s: &str) -> Option<Self> {
        let b = s.as_bytes();
        if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !(b[10] == b'T' || b[10] == b't') {
            return None;
        }
        let num = |r: core::ops::Range<usize>| -> Option<u32> { s.get(r)?.parse().ok() };
        let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
        let (h, mi, se) = (num(11..13)?, num(14..16)?, num(17..19)?);
        let mut rest = &s[19..];
        if let Some(frac) = rest.strip_prefix('.') {
            let n = frac.bytes().take_while(u8::is_ascii_digit).count();
            rest = &frac[n..];
        }
        let offset: i64 = match rest {
            "Z" | "z" => 0,
            _ if rest.len() == 6 => {
                let sign = match rest.as_bytes()[0] {
                    b'+' => 1,
                    b'-' => -1,
                    _ => return None,
                };
                let oh: i64 = rest.get(1..3)?.parse().ok()?;
                let om: i64 = rest.get(4..6)?.parse().ok()?;
                sign * (oh * 3600 + om * 60)
            }
            _ => return None,
        };
        let dt = DateTime::new(
            u16::try_from(y).ok()?,
            mo as u8,
            d as u8,
            h as u8,
            mi as u8,
            se as u8,
        )
        .ok()?;
        Some(Timestamp(dt.unix_duration().as_secs() as i64 - offset))
    }
}

impl core::fmt::Display for Timestamp {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> core::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_rfc3339())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_round_trip() {
        let t = Timestamp::parse_rfc3339("2019-06-01T12:00:00Z").unwrap();
        assert_eq!(t.to_rfc3339(), "2019-06-01T12:00:00Z");
        let t2 = Timestamp::parse_rfc3339("2019-06-01T06:00:00.123-06:00").unwrap();
        assert_eq!(t, t2);
        assert!(Timestamp::parse_rfc3339("2019-13-01T12:00:00Z").is_none());
        assert!(Timestamp::parse_rfc3339("garbage").is_none());
    }
}
