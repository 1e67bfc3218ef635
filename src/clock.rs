//! Timestamps as lam prints and reads them, in UTC, through jiff.

use std::time::{SystemTime, UNIX_EPOCH};

use jiff::Timestamp;
use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;

/// (year, month, day) of a Unix timestamp in UTC.
pub fn civil_date(epoch_secs: u64) -> (i64, u32, u32) {
    let ts = Timestamp::from_second(epoch_secs.min(i64::MAX as u64) as i64)
        .unwrap_or(Timestamp::UNIX_EPOCH);
    let date = TimeZone::UTC.to_datetime(ts).date();
    (
        i64::from(date.year()),
        date.month() as u32,
        date.day() as u32,
    )
}

/// Seconds this machine is ahead of a response's `Date` (negative:
/// behind), read at `at`. `Date` has whole seconds only.
pub fn offset(date: &str, at: SystemTime) -> Option<f64> {
    let server = jiff::fmt::rfc2822::parse(date).ok()?.timestamp();
    let local = Timestamp::try_from(at).ok()?;
    Some((local.as_millisecond() - server.as_millisecond()) as f64 / 1000.0)
}

pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

fn format(ms: i64, pattern: &str) -> String {
    let ts = Timestamp::from_millisecond(ms).unwrap_or(Timestamp::UNIX_EPOCH);
    TimeZone::UTC.to_datetime(ts).strftime(pattern).to_string()
}

/// "2026-11-26T13:50:00.123Z"
pub fn iso(ms: i64) -> String {
    format(ms, "%Y-%m-%dT%H:%M:%S%.3fZ")
}

/// "13:50:00.123"
pub fn time_of_day(ms: i64) -> String {
    format(ms, "%H:%M:%S%.3f")
}

/// "26/Nov/2026:13:50:00 +0000", API Gateway's requestTime format.
pub fn request_time(ms: i64) -> String {
    format(ms, "%d/%b/%Y:%H:%M:%S +0000")
}

/// A point in time as users write it: a duration ago (`30s`, `10m`, `2h`,
/// `1d`, `1w`), or an ISO-8601 date or timestamp in UTC
/// (`2026-11-26`, `2026-11-26T13:50`, `2026-11-26T13:50:00Z`).
pub fn parse_when(text: &str, now_ms: i64) -> Result<i64, String> {
    let t = text.trim();
    if let Some(unit) = t.chars().last().filter(|c| c.is_ascii_alphabetic())
        && let Ok(n) = t[..t.len() - 1].parse::<i64>()
    {
        let unit_ms = match unit {
            's' => 1_000,
            'm' => 60_000,
            'h' => 3_600_000,
            'd' => 86_400_000,
            'w' => 604_800_000,
            _ => return Err(format!("unknown unit '{unit}' in \"{text}\"")),
        };
        return n
            .checked_mul(unit_ms)
            .and_then(|ago| now_ms.checked_sub(ago))
            .ok_or_else(|| format!("\"{text}\" is too far back"));
    }
    parse_iso(t).ok_or_else(|| {
        format!("\"{text}\" is neither a duration (10m, 2h, 1d) nor an ISO-8601 time")
    })
}

/// An ISO-8601 date or date and time, in UTC (a trailing `Z` allowed).
fn parse_iso(t: &str) -> Option<i64> {
    let t = t.strip_suffix('Z').unwrap_or(t);
    let datetime = if t.contains(['T', 't', ' ']) {
        t.parse::<DateTime>().ok()?
    } else {
        t.parse::<Date>()
            .ok()?
            .to_datetime(jiff::civil::Time::midnight())
    };
    let ts = TimeZone::UTC.to_timestamp(datetime).ok()?;
    Some(ts.as_millisecond())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates() {
        assert_eq!(civil_date(0), (1970, 1, 1));
        assert_eq!(civil_date(951_782_400), (2000, 2, 29));
        assert_eq!(civil_date(1_795_651_200), (2026, 11, 26));
    }

    #[test]
    fn iso_and_time_of_day() {
        assert_eq!(iso(1_795_651_200_123), "2026-11-26T00:00:00.123Z");
        assert_eq!(time_of_day(1_795_651_200_123 + 3_723_000), "01:02:03.123");
        assert_eq!(
            request_time(1_795_651_200_123 + 3_723_000),
            "26/Nov/2026:01:02:03 +0000"
        );
    }

    #[test]
    fn when_parses_durations_and_timestamps() {
        let now = 1_795_651_200_000;
        assert_eq!(parse_when("10m", now), Ok(now - 600_000));
        assert_eq!(parse_when("2h", now), Ok(now - 7_200_000));
        assert_eq!(parse_when("1d", now), Ok(now - 86_400_000));
        assert_eq!(parse_when("2026-11-26", now), Ok(now));
        assert_eq!(parse_when("2026-11-26T01:02:03Z", now), Ok(now + 3_723_000));
        assert_eq!(
            parse_when("2026-11-26T01:02:03.5Z", now),
            Ok(now + 3_723_500)
        );
        assert_eq!(parse_when("2026-11-26T01:02", now), Ok(now + 3_720_000));
        assert!(parse_when("10x", now).unwrap_err().contains("unknown unit"));
        assert!(parse_when("yesterday", now).is_err());
        assert!(
            parse_when("99999999999999w", now)
                .unwrap_err()
                .contains("too far back")
        );
        assert!(parse_when("2026-13-01", now).is_err());
        assert!(parse_when("2026-02-30", now).is_err());
        assert_eq!(parse_when("2026-11-26 01:02", now), Ok(now + 3_720_000));
    }
}
