//! Report periods: a range of local dates in the site's time zone, and how arrival times fall
//! into its days, weeks (Monday first) and months.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use serde::{Deserialize, Serialize};

/// The longest range a report covers, in days (three years of daily points is already plenty).
pub const MAX_DAYS: i32 = 3 * 366;
/// The range used when a report names none, in days ending today.
pub const DEFAULT_DAYS: i32 = 30;

/// The grain of a time series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Grain {
    /// Calendar days.
    #[default]
    Day,
    /// ISO weeks, starting on Monday.
    Week,
    /// Calendar months.
    Month,
}

/// An inclusive range of local dates in one time zone.
#[derive(Debug, Clone)]
pub struct Period {
    /// The site's time zone.
    pub zone: TimeZone,
    /// First day.
    pub from: Date,
    /// Last day (inclusive).
    pub to: Date,
}

impl Period {
    /// The period `from..=to` (ISO dates) in `zone`, defaulting to the 30 days ending today.
    /// Errors name the parameter and what is accepted.
    pub fn parse(
        zone: &str,
        from: Option<&str>,
        to: Option<&str>,
        now: Timestamp,
    ) -> Result<Self, String> {
        let zone = TimeZone::get(zone).map_err(|e| format!("the site's time zone: {e}"))?;
        let date = |name: &str, value: &str| {
            value
                .parse::<Date>()
                .map_err(|_| format!("{name} must be a date such as 2026-11-25, got {value:?}"))
        };
        let to = match to {
            Some(value) => date("to", value)?,
            None => now.to_zoned_datetime(zone.clone()).date(),
        };
        let from = match from {
            Some(value) => date("from", value)?,
            None => to
                .checked_sub((DEFAULT_DAYS - 1).days())
                .map_err(|e| e.to_string())?,
        };
        if from > to {
            return Err(format!("from ({from}) is after to ({to})"));
        }
        let days = from.until(to).map_err(|e| e.to_string())?.get_days();
        if days >= MAX_DAYS {
            return Err(format!("a report covers at most {MAX_DAYS} days"));
        }
        Ok(Period { zone, from, to })
    }

    /// The period as Unix milliseconds: `[start of from, start of the day after to)`.
    pub fn bounds_ms(&self) -> Result<(i64, i64), String> {
        let start = self.start_of(self.from)?;
        let after = self.to.tomorrow().map_err(|e| e.to_string())?;
        Ok((start, self.start_of(after)?))
    }

    fn start_of(&self, date: Date) -> Result<i64, String> {
        date.to_zoned_datetime(self.zone.clone())
            .map(|z| z.timestamp().as_millisecond())
            .map_err(|e| e.to_string())
    }

    /// The local date an arrival time falls on.
    pub fn local_date(&self, ms: i64) -> Option<Date> {
        Timestamp::from_millisecond(ms)
            .ok()
            .map(|t| t.to_zoned_datetime(self.zone.clone()).date())
    }

    /// The first day of the `grain` bucket that `date` is in.
    pub fn bucket(date: Date, grain: Grain) -> Date {
        match grain {
            Grain::Day => date,
            Grain::Week => {
                let back = i64::from(date.weekday().to_monday_zero_offset());
                date.checked_sub(back.days()).unwrap_or(date)
            }
            Grain::Month => date.first_of_month(),
        }
    }

    /// Every bucket start from the one containing `from` to the one containing `to`, so a series
    /// shows empty periods as gaps rather than skipping them.
    pub fn buckets(&self, grain: Grain) -> Vec<Date> {
        let mut out = Vec::new();
        let mut current = Self::bucket(self.from, grain);
        while current <= self.to {
            out.push(current);
            let next = match grain {
                Grain::Day => current.checked_add(1.day()),
                Grain::Week => current.checked_add(1.week()),
                Grain::Month => current.checked_add(1.month()),
            };
            match next {
                Ok(next) => current = next,
                Err(_) => break,
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        "2026-11-25T10:00:00Z".parse().expect("a timestamp")
    }

    #[test]
    fn the_default_period_is_the_thirty_days_ending_today_in_the_site_zone() {
        let p = Period::parse("Pacific/Auckland", None, None, now()).expect("valid");
        // 10:00 UTC is already 23:00 on the 25th in Auckland (UTC+13 in summer).
        assert_eq!(p.to.to_string(), "2026-11-25");
        assert_eq!(p.from.to_string(), "2026-10-27");
        let p = Period::parse("America/Sao_Paulo", None, None, now()).expect("valid");
        assert_eq!(p.to.to_string(), "2026-11-25");
    }

    #[test]
    fn bounds_are_local_midnights() {
        let p = Period::parse(
            "Europe/Warsaw",
            Some("2026-11-01"),
            Some("2026-11-01"),
            now(),
        )
        .expect("valid");
        let (start, end) = p.bounds_ms().expect("bounds");
        // Warsaw is UTC+1 in November: the day runs from 23:00 UTC the evening before.
        let start_utc: Timestamp = "2026-10-31T23:00:00Z".parse().expect("a timestamp");
        assert_eq!(start, start_utc.as_millisecond());
        assert_eq!(end - start, 24 * 3_600_000);
        // The day clocks go back is 25 hours long.
        let p = Period::parse(
            "Europe/Warsaw",
            Some("2026-10-25"),
            Some("2026-10-25"),
            now(),
        )
        .expect("valid");
        let (start, end) = p.bounds_ms().expect("bounds");
        assert_eq!(end - start, 25 * 3_600_000);
    }

    #[test]
    fn bad_ranges_name_what_is_wrong() {
        let err = Period::parse("UTC", Some("25/11/2026"), None, now()).expect_err("bad date");
        assert!(err.contains("from must be a date"), "{err}");
        let err = Period::parse("UTC", Some("2026-11-20"), Some("2026-11-01"), now())
            .expect_err("reversed");
        assert!(err.contains("after"), "{err}");
        let err = Period::parse("UTC", Some("2020-01-01"), Some("2026-11-01"), now())
            .expect_err("too long");
        assert!(err.contains("at most"), "{err}");
    }

    #[test]
    fn weeks_start_on_monday_and_months_on_the_first() {
        let thursday: Date = "2026-11-26".parse().expect("a date");
        assert_eq!(
            Period::bucket(thursday, Grain::Week).to_string(),
            "2026-11-23"
        );
        assert_eq!(
            Period::bucket(thursday, Grain::Month).to_string(),
            "2026-11-01"
        );
        let p = Period::parse("UTC", Some("2026-10-30"), Some("2026-12-02"), now()).expect("valid");
        let months: Vec<String> = p
            .buckets(Grain::Month)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(months, ["2026-10-01", "2026-11-01", "2026-12-01"]);
        assert_eq!(p.buckets(Grain::Day).len(), 34);
        assert_eq!(
            p.buckets(Grain::Week)
                .first()
                .map(ToString::to_string)
                .as_deref(),
            Some("2026-10-26")
        );
    }
}
