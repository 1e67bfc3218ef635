//! Calendar arithmetic for timestamps, without a date-time dependency.

use std::time::{SystemTime, UNIX_EPOCH};

/// (year, month, day) of a Unix timestamp in UTC.
pub fn civil_date(epoch_secs: u64) -> (i64, u32, u32) {
    // Howard Hinnant's days-to-civil algorithm.
    let z = (epoch_secs / 86_400) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Days since 1970-01-01 of a civil date (the inverse of `civil_date`).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// "2026-11-26T13:50:00.123Z"
pub fn iso(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (y, m, d) = civil_date(secs.max(0) as u64);
    let day = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        day / 3600,
        day % 3600 / 60,
        day % 60,
        ms.rem_euclid(1000)
    )
}

/// "13:50:00.123"
pub fn time_of_day(ms: i64) -> String {
    iso(ms)[11..23].to_string()
}

/// "26/Nov/2026:13:50:00 +0000", API Gateway's requestTime format.
pub fn request_time(ms: i64) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let secs = ms.div_euclid(1000);
    let (y, m, d) = civil_date(secs.max(0) as u64);
    let day = secs.rem_euclid(86_400);
    format!(
        "{d:02}/{}/{y}:{:02}:{:02}:{:02} +0000",
        MONTHS[(m as usize).saturating_sub(1) % 12],
        day / 3600,
        day % 3600 / 60,
        day % 60
    )
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

fn parse_iso(t: &str) -> Option<i64> {
    let t = t.strip_suffix('Z').unwrap_or(t);
    let (date, time) = t.split_once(['T', ' ']).unwrap_or((t, ""));
    let mut parts = date.split('-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: u32 = parts.next()?.parse().ok()?;
    let day: u32 = parts.next()?.parse().ok()?;
    if parts.next().is_some() || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let (mut h, mut mi, mut s, mut ms) = (0i64, 0i64, 0i64, 0i64);
    if !time.is_empty() {
        let (hms, frac) = time.split_once('.').unwrap_or((time, ""));
        let mut fields = hms.split(':');
        h = fields.next()?.parse().ok()?;
        mi = fields.next().map(str::parse).transpose().ok()?.unwrap_or(0);
        s = fields.next().map(str::parse).transpose().ok()?.unwrap_or(0);
        if !frac.is_empty() {
            let digits: String = frac.chars().take(3).collect();
            ms = format!("{digits:0<3}").parse().ok()?;
        }
        if h > 23 || mi > 59 || s > 60 {
            return None;
        }
    }
    let days = days_from_civil(year, month, day);
    Some(((days * 86_400 + h * 3600 + mi * 60 + s) * 1000) + ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates() {
        assert_eq!(civil_date(0), (1970, 1, 1));
        assert_eq!(civil_date(951_782_400), (2000, 2, 29));
        assert_eq!(civil_date(1_795_651_200), (2026, 11, 26));
        assert_eq!(days_from_civil(2026, 11, 26) * 86_400, 1_795_651_200);
        assert_eq!(days_from_civil(2000, 2, 29) * 86_400, 951_782_400);
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
    }
}
