//! Times and dates as people in England and Wales read them: instants in
//! Europe/London ("28 Nov 2026, 07:26", summer time included), dates in
//! words ("28 November 2026"). Their spaces are non-breaking, so a date
//! never wraps in the middle on a narrow screen.

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

const NBSP: &str = "\u{a0}";

fn london() -> TimeZone {
    TimeZone::get("Europe/London").unwrap_or(TimeZone::UTC)
}

/// An instant as stored (RFC 3339, UTC) in London's time; as given if it
/// cannot be read.
pub fn when(instant: &str) -> String {
    match instant.parse::<Timestamp>() {
        Ok(t) => t
            .to_zoned(london())
            .strftime("%-d %b %Y, %H:%M")
            .to_string(),
        Err(_) => instant.to_string(),
    }
}

/// The day an instant fell on in London, in words.
pub fn day(instant: &str) -> String {
    match instant.parse::<Timestamp>() {
        Ok(t) => t
            .to_zoned(london())
            .strftime("%-d %B %Y")
            .to_string()
            .replace(' ', NBSP),
        Err(_) => instant.get(..10).unwrap_or(instant).to_string(),
    }
}

/// A date as stored (`YYYY-MM-DD`) in words; as given if it cannot be read.
/// One box of a date entered as day, month and year (`0` day, `1` month,
/// `2` year), from the field's value (`2026-03-07`, or what was typed, such
/// as `2026-3-`). Leading zeros are left off, as people type them.
pub fn date_box(value: &str, which: usize) -> String {
    let parts: Vec<&str> = value.splitn(3, '-').collect();
    let [year, month, day] = parts[..] else {
        return if which == 2 {
            value.to_string()
        } else {
            String::new()
        };
    };
    let text = [day, month, year][which.min(2)].trim();
    match text.parse::<u16>() {
        Ok(n) if which < 2 => n.to_string(),
        _ => text.to_string(),
    }
}

pub fn date(day: &str) -> String {
    match day.parse::<Date>() {
        Ok(d) => d.strftime("%-d %B %Y").to_string().replace(' ', NBSP),
        Err(_) => day.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads a shown value with ordinary spaces.
    fn plain(shown: String) -> String {
        shown.replace(NBSP, " ")
    }

    #[test]
    fn instants_show_in_london_time_summer_and_winter() {
        assert_eq!(
            plain(when("2026-11-28T07:26:00.000000Z")),
            "28 Nov 2026, 07:26"
        );
        assert_eq!(
            plain(when("2026-07-01T07:26:00Z")),
            "1 Jul 2026, 08:26",
            "BST"
        );
        assert_eq!(plain(when("2026-03-29T00:59:59Z")), "29 Mar 2026, 00:59");
        assert_eq!(
            when("2026-03-29T01:00:00Z"),
            "29 Mar 2026, 02:00",
            "the clocks go forward"
        );
        assert_eq!(plain(when("not a time")), "not a time");
    }

    #[test]
    fn dates_show_in_words() {
        assert_eq!(plain(date("2026-11-28")), "28 November 2026");
        assert_eq!(plain(date("2026-03-01")), "1 March 2026");
        assert_eq!(plain(date("soon")), "soon");
        assert_eq!(
            plain(day("2026-06-30T23:30:00Z")),
            "1 July 2026",
            "after midnight in summer time"
        );
        assert_eq!(plain(day("2026-11-28T23:30:00Z")), "28 November 2026");
    }
}
