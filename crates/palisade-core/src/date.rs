//! Calendar dates for suppression expiry (`until:YYYY-MM-DD`), without a date crate: only
//! parsing, comparison and today's date in UTC are needed.

use std::time::{SystemTime, UNIX_EPOCH};

/// A proleptic Gregorian date, ordered chronologically.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// Parses `YYYY-MM-DD`, rejecting impossible dates such as 2026-02-30.
    pub fn parse(s: &str) -> Option<Date> {
        let mut parts = s.split('-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        let date = Date {
            year: y.parse().ok()?,
            month: m.parse().ok()?,
            day: d.parse().ok()?,
        };
        let valid = (1..=12).contains(&date.month)
            && date.day >= 1
            && date.day <= days_in_month(date.year, date.month);
        valid.then_some(date)
    }

    /// Today in UTC. `PALISADE_TODAY=YYYY-MM-DD` overrides it, so that tests and reproducible
    /// CI runs do not depend on the calendar.
    pub fn today() -> Date {
        if let Some(date) = std::env::var("PALISADE_TODAY")
            .ok()
            .and_then(|s| Date::parse(&s))
        {
            return date;
        }
        let secs = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Date::from_days_since_epoch((secs / 86_400) as i64)
    }

    /// Days since 1970-01-01 (negative before it), the inverse of
    /// [`Date::from_days_since_epoch`]; the difference of two is their distance in days.
    pub fn days_since_epoch(self) -> i64 {
        let year = i64::from(self.year) - i64::from(self.month <= 2);
        let era = year.div_euclid(400);
        let yoe = year.rem_euclid(400);
        let month = i64::from(self.month);
        let doy = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5
            + i64::from(self.day)
            - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// Converts days since 1970-01-01 to a date (Howard Hinnant's civil-from-days).
    pub fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A moment as RFC 3339 in UTC, to the second: `2026-11-27T14:03:09Z`.
pub fn rfc3339_utc(seconds_since_epoch: i64) -> String {
    let date = Date::from_days_since_epoch(seconds_since_epoch.div_euclid(86_400));
    let s = seconds_since_epoch.rem_euclid(86_400);
    format!("{date}T{:02}:{:02}:{:02}Z", s / 3600, s / 60 % 60, s % 60)
}

/// When a scan ran, as RFC 3339 in UTC. With a fixed date (`--today` or `PALISADE_TODAY`)
/// it is that date's midnight, so that a reproducible run writes the same report every
/// time; else the clock, to the second.
pub fn scan_timestamp(fixed: Option<Date>) -> String {
    let fixed = fixed.or_else(|| {
        std::env::var("PALISADE_TODAY")
            .ok()
            .and_then(|s| Date::parse(&s))
    });
    match fixed {
        Some(date) => format!("{date}T00:00:00Z"),
        None => rfc3339_utc(
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64),
        ),
    }
}

/// Seconds since 1970-01-01T00:00:00Z of an RFC 3339 date-time (`T` or space between
/// date and time, fractions of a second ignored, `Z` or a `±HH:MM` offset); `None` for
/// anything else.
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    let date = Date::parse(s.get(..10)?)?;
    let rest = s.get(10..)?;
    let rest = rest.strip_prefix(['T', 't', ' '])?;
    let number = |t: &str| -> Option<i64> {
        (t.len() == 2 && t.bytes().all(|b| b.is_ascii_digit()))
            .then(|| t.parse().ok())
            .flatten()
    };
    let (h, m, sec) = (
        number(rest.get(..2)?)?,
        number(rest.get(3..5)?)?,
        number(rest.get(6..8)?)?,
    );
    if rest.get(2..3)? != ":" || rest.get(5..6)? != ":" || h > 23 || m > 59 || sec > 60 {
        return None;
    }
    let mut zone = &rest[8..];
    if let Some(fraction) = zone.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        zone = &fraction[digits..];
    }
    let offset = match zone {
        "Z" | "z" => 0,
        _ => {
            let sign = match zone.get(..1)? {
                "+" => 1,
                "-" => -1,
                _ => return None,
            };
            if zone.len() != 6 || zone.get(3..4)? != ":" {
                return None;
            }
            let (oh, om) = (number(zone.get(1..3)?)?, number(zone.get(4..6)?)?);
            sign * (oh * 3600 + om * 60)
        }
    };
    Some(date.days_since_epoch() * 86_400 + h * 3600 + m * 60 + sec - offset)
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects() {
        assert_eq!(
            Date::parse("2026-11-27"),
            Some(Date {
                year: 2026,
                month: 11,
                day: 27
            })
        );
        assert_eq!(Date::parse("2024-02-29").map(|d| d.day), Some(29));
        assert_eq!(Date::parse("2026-02-29"), None);
        assert_eq!(Date::parse("2026-13-01"), None);
        assert_eq!(Date::parse("26-1-1"), None);
        assert_eq!(Date::parse("2026-11-27x"), None);
    }

    #[test]
    fn civil_from_days() {
        assert_eq!(Date::from_days_since_epoch(0).to_string(), "1970-01-01");
        assert_eq!(
            Date::from_days_since_epoch(19_782).to_string(),
            "2024-02-29"
        );
        assert_eq!(
            Date::from_days_since_epoch(20_784).to_string(),
            "2026-11-27"
        );
        for days in [-800_000, -1, 0, 59, 19_782, 20_784, 2_000_000] {
            assert_eq!(Date::from_days_since_epoch(days).days_since_epoch(), days);
        }
    }

    #[test]
    fn timestamps_round_trip_and_offsets_are_applied() {
        assert_eq!(rfc3339_utc(0), "1970-01-01T00:00:00Z");
        let t = 20_784 * 86_400 + 14 * 3600 + 3 * 60 + 9;
        assert_eq!(rfc3339_utc(t), "2026-11-27T14:03:09Z");
        assert_eq!(parse_rfc3339("2026-11-27T14:03:09Z"), Some(t));
        assert_eq!(parse_rfc3339("2026-11-27T14:03:09.250Z"), Some(t));
        assert_eq!(parse_rfc3339("2026-11-27T16:03:09+02:00"), Some(t));
        assert_eq!(parse_rfc3339("2026-11-27 13:03:09-01:00"), Some(t));
        for bad in [
            "2026-11-27",
            "2026-11-27T14:03Z",
            "2026-11-27T24:00:00Z",
            "2026-11-27T14:03:09",
            "2026-11-27T14:03:09+0200",
            "2026-02-30T00:00:00Z",
            "2026-11-27T14:03:09.Z",
            "é026-11-27T14:03:09Z",
        ] {
            assert_eq!(parse_rfc3339(bad), None, "{bad}");
        }
        assert_eq!(
            scan_timestamp(Date::parse("2026-11-27")),
            "2026-11-27T00:00:00Z"
        );
    }
}
