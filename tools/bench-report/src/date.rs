//! Calendar dates from the system clock, without a date crate.
//!
//! The pages need one thing: today's date (or a file's) as `YYYY-MM-DD` in
//! UTC. [`civil_from_days`] is Howard Hinnant's algorithm, which turns a day
//! count since 1970-01-01 into a Gregorian date with integer arithmetic only.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

/// A day in the Gregorian calendar, printed as `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    /// The year, e.g. 2025.
    pub year: i64,
    /// The month, 1 to 12.
    pub month: u32,
    /// The day of the month, 1 to 31.
    pub day: u32,
}

/// The date `days` days after 1970-01-01 (before it, if negative).
pub fn civil_from_days(days: i64) -> Date {
    // Shift the epoch to 0000-03-01: leap days then fall at the end of a year.
    let z = days.saturating_add(719_468);
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097); // 0..=146_096
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365; // 0..=399
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100); // 0..=365
    let shifted_month = (5 * day_of_year + 2) / 153; // 0..=11, March is 0
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1; // 1..=31
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    Date {
        year,
        // Both are in small ranges (see above), so the casts cannot wrap.
        month: month as u32,
        day: day as u32,
    }
}

/// Whether `year` has a 29 February.
fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// How many days `month` of `year` has.
fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl Date {
    /// The UTC date of a moment, such as a file's modification time.
    pub fn from_system_time(time: SystemTime) -> Date {
        let seconds = match time.duration_since(UNIX_EPOCH) {
            Ok(after) => i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
            Err(before) => -i64::try_from(before.duration().as_secs()).unwrap_or(i64::MAX),
        };
        civil_from_days(seconds.div_euclid(86_400))
    }

    /// Today, in UTC.
    pub fn today() -> Date {
        Date::from_system_time(SystemTime::now())
    }

    /// Reads `YYYY-MM-DD`, as `--date` takes it. `None` for anything else,
    /// including days that do not exist, such as 2023-02-29.
    pub fn parse(text: &str) -> Option<Date> {
        let mut parts = text.split('-');
        let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
        let digits =
            |part: &str, len: usize| part.len() == len && part.bytes().all(|b| b.is_ascii_digit());
        if parts.next().is_some() || !digits(year, 4) || !digits(month, 2) || !digits(day, 2) {
            return None;
        }
        let date = Date {
            year: year.parse().ok()?,
            month: month.parse().ok()?,
            day: day.parse().ok()?,
        };
        let valid = (1..=12).contains(&date.month)
            && (1..=days_in_month(date.year, date.month)).contains(&date.day);
        valid.then_some(date)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn date(year: i64, month: u32, day: u32) -> Date {
        Date { year, month, day }
    }

    /// Known days land on their dates, leap days and the epoch's eve included.
    #[test]
    fn known_days_give_their_dates() {
        assert_eq!(civil_from_days(0), date(1970, 1, 1));
        assert_eq!(civil_from_days(-1), date(1969, 12, 31));
        assert_eq!(civil_from_days(11_016), date(2000, 2, 29));
        assert_eq!(civil_from_days(19_723), date(2024, 1, 1));
        assert_eq!(civil_from_days(19_782), date(2024, 2, 29));
        assert_eq!(civil_from_days(19_783), date(2024, 3, 1));
    }

    /// Walking day by day from 1900 to 2100, each day follows the previous
    /// one: the next day of the month, or the first of the next month.
    #[test]
    fn consecutive_days_follow_the_calendar() {
        let mut previous = civil_from_days(-25_567);
        assert_eq!(previous, date(1900, 1, 1));
        for days in -25_566..47_482 {
            let next = civil_from_days(days);
            let expected = if previous.day < days_in_month(previous.year, previous.month) {
                date(previous.year, previous.month, previous.day + 1)
            } else if previous.month < 12 {
                date(previous.year, previous.month + 1, 1)
            } else {
                date(previous.year + 1, 1, 1)
            };
            assert_eq!(next, expected, "day {days}");
            previous = next;
        }
        assert_eq!(previous, date(2099, 12, 31));
    }

    /// A moment's UTC date ignores the time of day.
    #[test]
    fn system_times_map_to_utc_dates() {
        let late = UNIX_EPOCH + Duration::from_secs(19_723 * 86_400 + 86_399);
        assert_eq!(Date::from_system_time(late), date(2024, 1, 1));
        let before = UNIX_EPOCH - Duration::from_secs(1);
        assert_eq!(Date::from_system_time(before), date(1969, 12, 31));
    }

    /// `--date` takes real dates in one shape only.
    #[test]
    fn parse_takes_real_dates_only() {
        assert_eq!(Date::parse("2024-02-29"), Some(date(2024, 2, 29)));
        assert_eq!(Date::parse("2023-02-29"), None);
        assert_eq!(Date::parse("2024-13-01"), None);
        assert_eq!(Date::parse("2024-1-01"), None);
        assert_eq!(Date::parse("2024-01-01-01"), None);
        assert_eq!(Date::parse("today"), None);
        assert_eq!(date(2024, 3, 5).to_string(), "2024-03-05");
    }
}
