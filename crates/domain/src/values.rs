//! Values made by parsing: once a use case holds an `Email`, a `Phone` or a
//! `Postcode`, it is one. Each parse says, in words a person can act on, what
//! is wrong; the field it came from is the caller's to name.

use std::fmt;

use jiff::civil::Date;

use crate::journey;

/// Why a value could not be read: a sentence for the person who typed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable(pub &'static str);

impl fmt::Display for Unreadable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

macro_rules! text_value {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $name(String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

text_value!(
    /// An email address: one `@` with something either side, a dot in the
    /// domain, and no spaces. The one rule for people's and staff's emails.
    Email
);

impl Email {
    pub fn parse(value: &str) -> Result<Email, Unreadable> {
        let value = value.trim();
        let shape_ok = match value.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !domain.contains('@')
            }
            None => false,
        };
        if !shape_ok || value.chars().any(char::is_whitespace) || value.len() > 254 {
            return Err(Unreadable(
                "Enter an email address in the right format, like name@example.org",
            ));
        }
        Ok(Email(value.to_string()))
    }
}

text_value!(
    /// A phone number as typed (with an extension or a note if need be), with
    /// at least 6 digits, which are the key people are matched by (a UK `+44`
    /// read as `0`).
    Phone
);

impl Phone {
    pub fn parse(value: &str) -> Result<Phone, Unreadable> {
        let value = value.trim();
        if journey::phone_key(value).is_none() {
            return Err(Unreadable(
                "Enter a phone number with at least 6 digits, like 01632 960 001",
            ));
        }
        Ok(Phone(value.to_string()))
    }

    /// The digits people are matched by.
    pub fn key(&self) -> String {
        journey::phone_key(&self.0).unwrap_or_default()
    }
}

text_value!(
    /// A UK postcode, in capitals with one space: `NG18 1AB`.
    Postcode
);

impl Postcode {
    pub fn parse(value: &str) -> Result<Postcode, Unreadable> {
        journey::normalise_postcode(value)
            .map(Postcode)
            .ok_or(Unreadable("Enter a real postcode, like NG18 1AB"))
    }
}

text_value!(
    /// A police crime reference: letters, digits and `/ -`, 3 to 40 of them.
    CrimeReference
);

impl CrimeReference {
    pub fn parse(value: &str) -> Result<CrimeReference, Unreadable> {
        let value = value.trim();
        let ok = (3..=40).contains(&value.chars().count())
            && value.chars().any(|c| c.is_ascii_alphanumeric())
            && value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "/- ".contains(c));
        if !ok {
            return Err(Unreadable(
                "Enter the crime reference as the police gave it: letters, numbers, / and -",
            ));
        }
        Ok(CrimeReference(value.to_string()))
    }
}

/// A day as people write it: "1 April 2026".
pub fn long_date(day: Date) -> String {
    day.strftime("%-d %B %Y").to_string()
}

/// A day someone entered: a real date between 1900 and 2100, written as
/// `2026-03-27` (what the day, month and year boxes make, and what the API
/// and files send) or `27/3/2026`. What makes sense for the field (not in
/// the future, not long ago) is the caller's to check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Day(Date);

impl Day {
    /// The earliest and latest years anyone enters for anything here.
    pub const YEARS: std::ops::RangeInclusive<i16> = 1900..=2100;

    pub fn parse(value: &str) -> Result<Day, Unreadable> {
        let value = value.trim();
        let parts: Vec<&str> = if value.contains('/') {
            let mut p: Vec<&str> = value.split('/').collect();
            p.reverse();
            p
        } else {
            value.split('-').collect()
        };
        let [year, month, day] = parts[..] else {
            return Err(Unreadable("Enter a real date, with a day, month and year"));
        };
        let number = |text: &str| text.trim().parse::<i16>().ok();
        let (Some(year), Some(month), Some(day)) = (number(year), number(month), number(day))
        else {
            return Err(Unreadable(
                "Enter the day, month and year as numbers, for example 27 3 2026",
            ));
        };
        if !Day::YEARS.contains(&year) {
            return Err(Unreadable("Enter a year between 1900 and 2100, in full"));
        }
        let month = i8::try_from(month).map_err(|_| Unreadable("Enter a month from 1 to 12"))?;
        let day = i8::try_from(day).map_err(|_| Unreadable("Enter a real day of the month"))?;
        Date::new(year, month, day)
            .map(Day)
            .map_err(|_| Unreadable("Enter a real date: that day does not exist"))
    }

    pub fn date(self) -> Date {
        self.0
    }
}

/// A date of birth: a real date, not in the future, and not more than 120
/// years before `today`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct DateOfBirth(Date);

impl DateOfBirth {
    pub fn parse(value: &str, today: Date) -> Result<DateOfBirth, Unreadable> {
        let date = Day::parse(value)
            .map_err(|_| {
                Unreadable("Enter the date of birth as a real date, for example 27 3 1980")
            })?
            .date();
        if date > today {
            return Err(Unreadable("The date of birth cannot be in the future"));
        }
        if today.year() - date.year() > 120 {
            return Err(Unreadable(
                "Check the year of birth: it is more than 120 years ago",
            ));
        }
        Ok(DateOfBirth(date))
    }

    pub fn date(self) -> Date {
        self.0
    }
}

/// Divides `whole` units in proportion to `weights` (none negative, at
/// least one above zero), so the parts add up to exactly `whole`: each part
/// gets its exact share rounded down, and the units left over go one each
/// to the parts with the largest remainders, the earlier part first on a
/// tie (largest remainder, or Hamilton's method).
pub fn largest_remainder(whole: i64, weights: &[i64]) -> Vec<i64> {
    let sum: i128 = weights.iter().map(|w| i128::from(*w)).sum();
    if sum <= 0 {
        return vec![0; weights.len()];
    }
    let exact: Vec<(i128, i128)> = weights
        .iter()
        .map(|w| {
            let scaled = i128::from(whole) * i128::from(*w);
            (scaled / sum, scaled % sum)
        })
        .collect();
    let given: i128 = exact.iter().map(|(q, _)| q).sum();
    let mut parts: Vec<i64> = exact
        .iter()
        .map(|(q, _)| i64::try_from(*q).unwrap_or(i64::MAX))
        .collect();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|a, b| exact[*b].1.cmp(&exact[*a].1).then(a.cmp(b)));
    for i in order
        .into_iter()
        .take(usize::try_from(i128::from(whole) - given).unwrap_or(0))
    {
        parts[i] += 1;
    }
    parts
}

/// An amount of money in whole pence, never a float. Shown as pounds and
/// pence (`£1,234.50`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Pence(pub i64);

impl Pence {
    /// Reads pounds as typed: `1234`, `1,234.5`, `£1234.50`. At most two
    /// decimal places; no negative amounts.
    pub fn parse(value: &str) -> Result<Pence, Unreadable> {
        let unreadable = Unreadable("Enter an amount in pounds, like 6000 or 6,000.50");
        let text: String = value
            .trim()
            .trim_start_matches('£')
            .chars()
            .filter(|c| *c != ',')
            .collect();
        let (pounds, pence) = match text.split_once('.') {
            Some((p, d)) if (1..=2).contains(&d.len()) => (p, d),
            Some(_) => return Err(unreadable),
            None => (text.as_str(), "0"),
        };
        if pounds.is_empty() || !pounds.chars().all(|c| c.is_ascii_digit()) {
            return Err(unreadable);
        }
        if !pence.chars().all(|c| c.is_ascii_digit()) {
            return Err(unreadable);
        }
        let pounds: i64 = pounds.parse().map_err(|_| unreadable.clone())?;
        let pence: i64 = if pence.len() == 1 {
            pence.parse::<i64>().map_err(|_| unreadable.clone())? * 10
        } else {
            pence.parse().map_err(|_| unreadable.clone())?
        };
        pounds
            .checked_mul(100)
            .and_then(|p| p.checked_add(pence))
            .map(Pence)
            .ok_or(unreadable)
    }
}

/// A whole number with its thousands marked: 10000 as "10,000".
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    grouped
}

impl fmt::Display for Pence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}£{}.{:02}", thousands(abs / 100), abs % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_marked() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(10_000), "10,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn emails() {
        for good in ["name@example.org", " a.b+c@sub.example.co.uk "] {
            assert!(Email::parse(good).is_ok(), "{good}");
        }
        assert_eq!(
            Email::parse("name").map_err(|e| e.to_string()),
            Err("Enter an email address in the right format, like name@example.org".into()),
            "the message reads as it is shown"
        );
        for bad in [
            "",
            "name",
            "@example.org",
            "name@",
            "name@example",
            "name@.org",
            "name@org.",
            "na me@example.org",
            "a@b@example.org",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn phones_and_their_keys() {
        let phone = Phone::parse("+44 (0)7700 900-123").expect("phone");
        assert_eq!(phone.as_str(), "+44 (0)7700 900-123");
        assert_eq!(phone.key(), "007700900123");
        assert_eq!(
            Phone::parse("01632 960 001").map(|p| p.key()),
            Ok("01632960001".into())
        );
        for bad in ["12345", "call me", "ext 12"] {
            assert!(Phone::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn postcodes_and_crime_references() {
        assert_eq!(
            Postcode::parse(" ng18 1ab").map(Postcode::into_string),
            Ok("NG18 1AB".into())
        );
        assert!(Postcode::parse("NG18").is_err());
        assert!(CrimeReference::parse("EM/2026/00123").is_ok());
        assert!(CrimeReference::parse("12-345678-26").is_ok());
        assert!(CrimeReference::parse("ab").is_err(), "too short");
        assert!(
            CrimeReference::parse("EM#2026").is_err(),
            "a character police references lack"
        );
        assert!(
            CrimeReference::parse("---").is_err(),
            "no letters or digits"
        );
        assert!(CrimeReference::parse(&"A".repeat(41)).is_err(), "too long");
    }

    #[test]
    fn an_email_is_at_most_254_characters() {
        let longest = format!("{}@example.org", "a".repeat(254 - 12));
        assert_eq!(longest.len(), 254);
        assert!(Email::parse(&longest).is_ok());
        assert!(Email::parse(&format!("a{longest}")).is_err());
    }

    #[test]
    fn days_are_read_from_boxes_files_and_slashes_and_absurd_ones_refused() {
        let day = |text: &str| Day::parse(text).map(|d| d.date().to_string());
        assert_eq!(day("2026-03-27"), Ok("2026-03-27".into()));
        assert_eq!(day("2026-3-7"), Ok("2026-03-07".into()), "boxes unpadded");
        assert_eq!(day("27/3/2026"), Ok("2026-03-27".into()));
        assert_eq!(day(" 7/03/2026 "), Ok("2026-03-07".into()));
        for absurd in [
            "0001-01-01",
            "9999-12-31",
            "2026-02-30",
            "2026-13-01",
            "26-3-27",
            "2026-03-",
            "--",
            "yesterday",
            "2026-03-27-1",
        ] {
            assert!(day(absurd).is_err(), "{absurd} is refused");
        }
        assert!(day("1900-01-01").is_ok() && day("2100-12-31").is_ok());
    }

    #[test]
    fn dates_of_birth() {
        let today: Date = "2026-11-28".parse().expect("date");
        assert_eq!(
            DateOfBirth::parse("1980-03-27", today).map(DateOfBirth::date),
            Ok("1980-03-27".parse().expect("date"))
        );
        assert!(
            DateOfBirth::parse("2026-11-28", today).is_ok(),
            "born today"
        );
        assert!(
            DateOfBirth::parse("2026-11-29", today).is_err(),
            "the future"
        );
        assert!(DateOfBirth::parse("1906-01-01", today).is_ok(), "120 years");
        assert!(
            DateOfBirth::parse("1905-12-31", today).is_err(),
            "over 120 years"
        );
        assert!(
            DateOfBirth::parse("27/03/1980", today).is_ok(),
            "as people write it"
        );
        assert!(DateOfBirth::parse("27th March", today).is_err());
    }

    #[test]
    fn money_in_pence() {
        for (typed, pence) in [
            ("6000", 600_000),
            ("6,000.50", 600_050),
            ("£47,013", 4_701_300),
            ("0.5", 50),
            ("0.05", 5),
            ("55000", 5_500_000),
        ] {
            assert_eq!(Pence::parse(typed), Ok(Pence(pence)), "{typed}");
        }
        for bad in [
            "",
            "£",
            "-5",
            "1.234",
            "12.",
            "1.2.3",
            "ten",
            "1e6",
            "99999999999999999999",
        ] {
            assert!(Pence::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(Pence(4_701_300).to_string(), "£47,013.00");
        assert_eq!(Pence(600_050).to_string(), "£6,000.50");
        assert_eq!(Pence(5).to_string(), "£0.05");
        assert_eq!(Pence(0).to_string(), "£0.00");
        assert_eq!(Pence(-12_345).to_string(), "-£123.45");
        assert_eq!(Pence(19_700_000).to_string(), "£197,000.00");
    }
}
