//! Counting rules for returns: age bands, periods, and small-number
//! suppression. The full rules for each figure are written down in
//! `docs/moj-return.md`.

use jiff::civil::Date;

use crate::victims_code::age_on;

/// The MoJ age bands, from the date of birth on the day the referral was received.
pub fn age_band(date_of_birth: Option<Date>, on: Date) -> &'static str {
    let Some(born) = date_of_birth else {
        return "Not known";
    };
    match age_on(born, on) {
        i32::MIN..=-1 => "Not known",
        0..=17 => "Under 18",
        18..=24 => "18 to 24",
        25..=34 => "25 to 34",
        35..=44 => "35 to 44",
        45..=54 => "45 to 54",
        55..=64 => "55 to 64",
        _ => "65 and over",
    }
}

/// The age band for an age in whole years (none: not known).
pub fn band_of_age(age: Option<i64>) -> &'static str {
    match age {
        None => "Not known",
        Some(i64::MIN..=-1) => "Not known",
        Some(0..=17) => "Under 18",
        Some(18..=24) => "18 to 24",
        Some(25..=34) => "25 to 34",
        Some(35..=44) => "35 to 44",
        Some(45..=54) => "45 to 54",
        Some(55..=64) => "55 to 64",
        Some(_) => "65 and over",
    }
}

/// Every age band in order, for tables that show empty bands too.
pub const AGE_BANDS: &[&str] = &[
    "Under 18",
    "18 to 24",
    "25 to 34",
    "35 to 44",
    "45 to 54",
    "55 to 64",
    "65 and over",
    "Not known",
];

/// A count as shown: counts from 1 to 4 become "<5" where suppression
/// applies (anything a commissioner sees), so no one can be identified.
pub fn shown(count: i64, suppress: bool) -> String {
    if suppress && (1..=4).contains(&count) {
        "<5".to_string()
    } else {
        count.to_string()
    }
}

/// A share as a whole percentage, or a dash when there is nothing to divide.
pub fn percent(part: i64, whole: i64) -> String {
    match whole_percent(part, whole) {
        Some(p) => format!("{p}%"),
        None => "–".to_string(),
    }
}

/// A share as a whole number of percent, halves up; none of nothing.
pub fn whole_percent(part: i64, whole: i64) -> Option<i64> {
    (whole > 0).then(|| (part * 100 + whole / 2) / whole)
}

/// A CSV cell a spreadsheet will show as text, never run: a cell that
/// begins with `=`, `+`, `-`, `@`, a tab or a carriage return is taken as a
/// formula by spreadsheets, so it gains a leading apostrophe (OWASP's
/// advice). Quoted when it holds a comma, a quote or a line end.
pub fn csv_cell(text: &str) -> String {
    let neutral = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if neutral.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", neutral.replace('"', "\"\""))
    } else {
        neutral
    }
}

/// The financial year (April to March) containing a date.
pub fn financial_year(on: Date) -> (Date, Date) {
    let start_year = if on.month() >= 4 {
        on.year()
    } else {
        on.year() - 1
    };
    (
        Date::new(start_year, 4, 1).expect("1 April"),
        Date::new(start_year + 1, 3, 31).expect("31 March"),
    )
}

/// The quarter before the one containing a date: the last complete one,
/// which is what a return is usually run for.
pub fn previous_quarter(on: Date) -> (Date, Date) {
    let (start, _) = quarter(on);
    quarter(start.yesterday().unwrap_or(start))
}

/// The quarter of the financial year containing a date (April–June, …).
pub fn quarter(on: Date) -> (Date, Date) {
    let first_month = match on.month() {
        4..=6 => 4,
        7..=9 => 7,
        10..=12 => 10,
        _ => 1,
    };
    let start = Date::new(on.year(), first_month, 1).expect("quarter start");
    let end = Date::new(on.year(), first_month + 2, 1)
        .expect("quarter end month")
        .last_of_month();
    (start, end)
}

#[cfg(test)]
mod tests {
    #[test]
    fn csv_cells_that_a_spreadsheet_would_run_are_made_text() {
        for (given, written) in [
            ("Eastmoor Victim Care", "Eastmoor Victim Care"),
            (
                "=HYPERLINK(\"http://x\")",
                "\"'=HYPERLINK(\"\"http://x\"\")\"",
            ),
            ("+44 1234", "'+44 1234"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tcmd", "'\tcmd"),
            ("\r=1", "\"'\r=1\""),
            ("a, b", "\"a, b\""),
            ("12%", "12%"),
            ("<5", "<5"),
            ("", ""),
        ] {
            assert_eq!(super::csv_cell(given), written, "{given:?}");
        }
    }

    use super::*;

    fn d(text: &str) -> Date {
        text.parse().expect("date")
    }

    #[test]
    fn the_previous_quarter_is_the_last_complete_one() {
        let d = |t: &str| t.parse::<Date>().expect("date");
        assert_eq!(
            previous_quarter(d("2026-11-28")),
            (d("2026-07-01"), d("2026-09-30"))
        );
        assert_eq!(
            previous_quarter(d("2026-05-10")),
            (d("2026-01-01"), d("2026-03-31"))
        );
        assert_eq!(
            previous_quarter(d("2026-01-01")),
            (d("2025-10-01"), d("2025-12-31"))
        );
        assert_eq!(
            previous_quarter(d("2026-04-01")),
            (d("2026-01-01"), d("2026-03-31"))
        );
    }

    #[test]
    fn age_bands_at_referral() {
        let on = d("2026-11-22");
        let table = [
            (Some("2008-11-23"), "Under 18"),
            (Some("2008-11-22"), "18 to 24"),
            (Some("2001-11-23"), "18 to 24"),
            (Some("2001-11-22"), "25 to 34"),
            (Some("1961-11-22"), "65 and over"),
            (Some("1961-11-23"), "55 to 64"),
            (Some("2030-01-01"), "Not known"),
            (None, "Not known"),
        ];
        for (born, band) in table {
            assert_eq!(age_band(born.map(d), on), band, "{born:?}");
        }
    }

    #[test]
    fn suppression_and_percentages() {
        let table = [(0, "0"), (1, "<5"), (4, "<5"), (5, "5"), (120, "120")];
        for (count, expected) in table {
            assert_eq!(shown(count, true), expected);
            assert_eq!(shown(count, false), count.to_string());
        }
        assert_eq!(percent(2, 3), "67%");
        assert_eq!(percent(0, 0), "–");
    }

    #[test]
    fn periods() {
        assert_eq!(
            financial_year(d("2026-11-22")),
            (d("2026-04-01"), d("2027-03-31"))
        );
        assert_eq!(
            financial_year(d("2027-02-01")),
            (d("2026-04-01"), d("2027-03-31"))
        );
        assert_eq!(quarter(d("2026-11-22")), (d("2026-10-01"), d("2026-12-31")));
        assert_eq!(quarter(d("2027-02-28")), (d("2027-01-01"), d("2027-03-31")));
        assert_eq!(quarter(d("2026-05-01")), (d("2026-04-01"), d("2026-06-30")));
    }

    #[test]
    fn every_age_band_at_its_edges() {
        let on = d("2026-11-22");
        for (born, band) in [
            ("1991-11-22", "35 to 44"),
            ("1982-11-22", "35 to 44"),
            ("1981-11-22", "45 to 54"),
            ("1972-11-22", "45 to 54"),
            ("1971-11-22", "55 to 64"),
            ("1962-11-22", "55 to 64"),
            ("1961-11-22", "65 and over"),
        ] {
            assert_eq!(age_band(Some(d(born)), on), band, "{born}");
        }
    }

    #[test]
    fn bands_of_whole_years_and_quarters() {
        for (age, band) in [
            (None, "Not known"),
            (Some(-1), "Not known"),
            (Some(0), "Under 18"),
            (Some(17), "Under 18"),
            (Some(18), "18 to 24"),
            (Some(34), "25 to 34"),
            (Some(35), "35 to 44"),
            (Some(54), "45 to 54"),
            (Some(55), "55 to 64"),
            (Some(65), "65 and over"),
        ] {
            assert_eq!(band_of_age(age), band, "{age:?}");
        }
        for (day, start, end) in [
            ("2026-04-01", "2026-04-01", "2026-06-30"),
            ("2026-08-15", "2026-07-01", "2026-09-30"),
            ("2026-12-31", "2026-10-01", "2026-12-31"),
            ("2027-02-28", "2027-01-01", "2027-03-31"),
        ] {
            assert_eq!(quarter(d(day)), (d(start), d(end)), "{day}");
        }
    }
}
