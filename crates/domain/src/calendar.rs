//! Working days in each UK nation. Bank holidays come from rules (which
//! cover any year) corrected by a list of changes (one-off holidays such as
//! a coronation, and regular holidays moved for a year), which ships in
//! `data/bank-holiday-changes.csv` and can be extended at run time.

use jiff::civil::{Date, Weekday};

/// The three calendars of bank holidays in the UK.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Nation {
    EnglandAndWales,
    Scotland,
    NorthernIreland,
}

impl Nation {
    pub const ALL: &'static [Nation] = &[
        Nation::EnglandAndWales,
        Nation::Scotland,
        Nation::NorthernIreland,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Nation::EnglandAndWales => "england_and_wales",
            Nation::Scotland => "scotland",
            Nation::NorthernIreland => "northern_ireland",
        }
    }

    pub fn parse(code: &str) -> Option<Nation> {
        Nation::ALL.iter().copied().find(|n| n.code() == code)
    }
}

/// A change to the rules' holidays for one date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HolidayChange {
    pub nation: Nation,
    pub date: Date,
    /// True adds a holiday (a one-off, or a holiday moved here); false removes
    /// one the rules would give (a holiday moved away).
    pub holiday: bool,
    pub name: String,
}

/// Easter Sunday in the Gregorian calendar (the anonymous algorithm).
pub fn easter_sunday(year: i16) -> Date {
    let y = i32::from(year);
    let a = y % 19;
    let b = y / 100;
    let c = y % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    Date::new(year, month as i8, day as i8).expect("Easter is a valid date")
}

fn date(year: i16, month: i8, day: i8) -> Date {
    Date::new(year, month, day).expect("a valid calendar date")
}

fn is_weekend(d: Date) -> bool {
    matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
}

fn first_monday(year: i16, month: i8) -> Date {
    let mut d = date(year, month, 1);
    while d.weekday() != Weekday::Monday {
        d = d.tomorrow().expect("date in range");
    }
    d
}

fn last_monday(year: i16, month: i8) -> Date {
    let mut d = date(year, month, 1).last_of_month();
    while d.weekday() != Weekday::Monday {
        d = d.yesterday().expect("date in range");
    }
    d
}

/// Fixed-date holidays falling at a weekend move to the next weekday not
/// already a holiday (so Christmas on a Saturday is kept on Monday 27th and
/// Boxing Day on Tuesday 28th).
fn add_with_substitutes(holidays: &mut Vec<(Date, &'static str)>, fixed: &[(Date, &'static str)]) {
    let mut taken: Vec<Date> = fixed
        .iter()
        .map(|f| f.0)
        .filter(|d| !is_weekend(*d))
        .collect();
    for (day, name) in fixed {
        if !is_weekend(*day) {
            holidays.push((*day, name));
            continue;
        }
        let mut substitute = *day;
        while is_weekend(substitute) || taken.contains(&substitute) {
            substitute = substitute.tomorrow().expect("date in range");
        }
        taken.push(substitute);
        holidays.push((substitute, name));
    }
}

/// The bank holidays the regular rules give for a nation and year.
pub fn regular_holidays(nation: Nation, year: i16) -> Vec<(Date, &'static str)> {
    let easter = easter_sunday(year);
    let good_friday = easter
        .checked_sub(jiff::Span::new().days(2))
        .expect("date in range");
    let easter_monday = easter.tomorrow().expect("date in range");
    let mut holidays = Vec::new();
    add_with_substitutes(&mut holidays, &[(date(year, 1, 1), "New Year's Day")]);
    if nation == Nation::Scotland {
        // 2 January follows New Year's Day's substitute, if any.
        let new_year = holidays[0].0;
        let mut second = date(year, 1, 2).max(new_year.tomorrow().expect("date in range"));
        while is_weekend(second) {
            second = second.tomorrow().expect("date in range");
        }
        holidays.push((second, "2nd January"));
    }
    if nation == Nation::NorthernIreland {
        add_with_substitutes(&mut holidays, &[(date(year, 3, 17), "St Patrick's Day")]);
    }
    holidays.push((good_friday, "Good Friday"));
    if nation != Nation::Scotland {
        holidays.push((easter_monday, "Easter Monday"));
    }
    holidays.push((first_monday(year, 5), "Early May bank holiday"));
    holidays.push((last_monday(year, 5), "Spring bank holiday"));
    if nation == Nation::NorthernIreland {
        add_with_substitutes(
            &mut holidays,
            &[(date(year, 7, 12), "Battle of the Boyne (Orangemen's Day)")],
        );
    }
    let summer = if nation == Nation::Scotland {
        first_monday(year, 8)
    } else {
        last_monday(year, 8)
    };
    holidays.push((summer, "Summer bank holiday"));
    if nation == Nation::Scotland {
        add_with_substitutes(&mut holidays, &[(date(year, 11, 30), "St Andrew's Day")]);
    }
    add_with_substitutes(
        &mut holidays,
        &[
            (date(year, 12, 25), "Christmas Day"),
            (date(year, 12, 26), "Boxing Day"),
        ],
    );
    holidays.sort();
    holidays
}

/// Reads changes from CSV lines `nation,date,add|remove,name`; `#` starts a
/// comment. Errors name the line and say what is wrong.
pub fn parse_changes(text: &str) -> Result<Vec<HolidayChange>, Vec<String>> {
    let mut changes = Vec::new();
    let mut errors = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let number = i + 1;
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with("nation,") {
            continue;
        }
        let fields: Vec<&str> = line.splitn(4, ',').map(str::trim).collect();
        if fields.len() < 4 {
            errors.push(format!(
                "line {number}: expected nation,date,add|remove,name"
            ));
            continue;
        }
        let Some(nation) = Nation::parse(fields[0]) else {
            errors.push(format!(
                "line {number}, column 1: '{}' is not a nation: use england_and_wales, scotland or northern_ireland",
                fields[0]
            ));
            continue;
        };
        let Ok(date) = fields[1].parse::<Date>() else {
            errors.push(format!(
                "line {number}, column 2: '{}' is not a date: use YYYY-MM-DD",
                fields[1]
            ));
            continue;
        };
        let holiday = match fields[2] {
            "add" => true,
            "remove" => false,
            other => {
                errors.push(format!(
                    "line {number}, column 3: '{other}' must be add or remove"
                ));
                continue;
            }
        };
        if fields[3].is_empty() {
            errors.push(format!("line {number}, column 4: give the holiday's name"));
            continue;
        }
        changes.push(HolidayChange {
            nation,
            date,
            holiday,
            name: fields[3].to_string(),
        });
    }
    if errors.is_empty() {
        Ok(changes)
    } else {
        Err(errors)
    }
}

/// The changes that ship with Waymark.
pub fn shipped_changes() -> Vec<HolidayChange> {
    parse_changes(include_str!("../data/bank-holiday-changes.csv"))
        .expect("the shipped holiday changes are valid")
}

/// Years whose holidays a calendar works out in advance; dates outside
/// them fall back to computing the rules on the spot.
const PRECOMPUTED: std::ops::RangeInclusive<i16> = 2000..=2060;

/// A nation's working-day calendar: weekends and bank holidays excluded.
#[derive(Debug, Clone)]
pub struct Calendar {
    nation: Nation,
    changes: Vec<HolidayChange>,
    /// Holidays (after changes) for the precomputed years, for fast lookups.
    holidays: std::collections::HashMap<Date, String>,
}

impl Calendar {
    /// The rules plus the given changes (later changes win for the same date).
    pub fn new(nation: Nation, changes: &[HolidayChange]) -> Self {
        let changes: Vec<HolidayChange> = changes
            .iter()
            .filter(|c| c.nation == nation)
            .cloned()
            .collect();
        let mut holidays = std::collections::HashMap::new();
        for year in PRECOMPUTED {
            for (day, name) in regular_holidays(nation, year) {
                holidays.insert(day, name.to_string());
            }
        }
        for change in &changes {
            if change.holiday {
                holidays.insert(change.date, change.name.clone());
            } else {
                holidays.remove(&change.date);
            }
        }
        Calendar {
            nation,
            changes,
            holidays,
        }
    }

    /// The rules plus the changes that ship with Waymark.
    pub fn shipped(nation: Nation) -> Self {
        Calendar::new(nation, &shipped_changes())
    }

    pub fn nation(&self) -> Nation {
        self.nation
    }

    pub fn holiday_name(&self, day: Date) -> Option<String> {
        if PRECOMPUTED.contains(&day.year()) {
            return self.holidays.get(&day).cloned();
        }
        if let Some(change) = self.changes.iter().rev().find(|c| c.date == day) {
            return change.holiday.then(|| change.name.clone());
        }
        regular_holidays(self.nation, day.year())
            .into_iter()
            .find(|(d, _)| *d == day)
            .map(|(_, name)| name.to_string())
    }

    pub fn is_working_day(&self, day: Date) -> bool {
        if is_weekend(day) {
            return false;
        }
        if PRECOMPUTED.contains(&day.year()) {
            return !self.holidays.contains_key(&day);
        }
        self.holiday_name(day).is_none()
    }

    /// The date `n` working days after `start` (the start itself is day 0,
    /// whether or not it is a working day). `n = 0` gives the first working
    /// day on or after `start`.
    pub fn add_working_days(&self, start: Date, n: u32) -> Date {
        let mut day = start;
        if n == 0 {
            while !self.is_working_day(day) {
                day = day.tomorrow().expect("date in range");
            }
            return day;
        }
        let mut counted = 0;
        while counted < n {
            day = day.tomorrow().expect("date in range");
            if self.is_working_day(day) {
                counted += 1;
            }
        }
        day
    }

    /// Working days after `from` up to and including `to` (0 when `to` is not later).
    pub fn working_days_between(&self, from: Date, to: Date) -> u32 {
        let mut count = 0;
        let mut day = from;
        while day < to {
            day = day.tomorrow().expect("date in range");
            if self.is_working_day(day) {
                count += 1;
            }
        }
        count
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Date {
        text.parse().expect("date")
    }

    #[test]
    fn easter_dates() {
        for (year, easter) in [
            (2019, "2019-04-21"),
            (2024, "2024-03-31"),
            (2025, "2025-04-20"),
            (2026, "2026-04-05"),
            (2027, "2027-03-28"),
            (2038, "2038-04-25"),
            // Other centuries, where the Gregorian corrections differ, and
            // the earliest and latest Easters.
            (1818, "1818-03-22"),
            (1900, "1900-04-15"),
            (1943, "1943-04-25"),
            (1954, "1954-04-18"),
            (2000, "2000-04-23"),
            (2008, "2008-03-23"),
            (2011, "2011-04-24"),
            (2100, "2100-03-28"),
            (2285, "2285-03-22"),
            // Years where the month turns on the last term.
            (1934, "1934-04-01"),
            (2010, "2010-04-04"),
        ] {
            assert_eq!(easter_sunday(year), d(easter), "{year}");
        }
    }

    #[test]
    fn england_and_wales_2026_and_2027() {
        let days = |nation, year| {
            regular_holidays(nation, year)
                .into_iter()
                .map(|h| h.0.to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            days(Nation::EnglandAndWales, 2026),
            [
                "2026-01-01",
                "2026-04-03",
                "2026-04-06",
                "2026-05-04",
                "2026-05-25",
                "2026-08-31",
                "2026-12-25",
                "2026-12-28"
            ]
        );
        // Christmas on a Saturday: Monday 27th and Tuesday 28th.
        assert_eq!(
            days(Nation::EnglandAndWales, 2027),
            [
                "2027-01-01",
                "2027-03-26",
                "2027-03-29",
                "2027-05-03",
                "2027-05-31",
                "2027-08-30",
                "2027-12-27",
                "2027-12-28"
            ]
        );
    }

    #[test]
    fn substitute_days_around_christmas_and_new_year() {
        let ew = Calendar::new(Nation::EnglandAndWales, &[]);
        // 2022: Christmas on a Sunday; Boxing Day Monday; substitute Tuesday 27th.
        assert!(!ew.is_working_day(d("2022-12-26")));
        assert!(!ew.is_working_day(d("2022-12-27")));
        assert!(ew.is_working_day(d("2022-12-28")));
        // 2028: New Year's Day on a Saturday, substitute Monday 3 January.
        assert!(!ew.is_working_day(d("2028-01-03")));
        let scotland = Calendar::new(Nation::Scotland, &[]);
        // Scotland 2028: 1 Jan Saturday, 2 Jan Sunday: Monday 3rd and Tuesday 4th.
        assert!(!scotland.is_working_day(d("2028-01-03")));
        assert!(!scotland.is_working_day(d("2028-01-04")));
        assert!(scotland.is_working_day(d("2028-01-05")));
    }

    #[test]
    fn nations_differ() {
        let ew = Calendar::new(Nation::EnglandAndWales, &[]);
        let scotland = Calendar::new(Nation::Scotland, &[]);
        let ni = Calendar::new(Nation::NorthernIreland, &[]);
        // Easter Monday is not a holiday in Scotland.
        assert!(!ew.is_working_day(d("2026-04-06")));
        assert!(scotland.is_working_day(d("2026-04-06")));
        // Summer: first Monday of August in Scotland, last elsewhere.
        assert!(!scotland.is_working_day(d("2026-08-03")));
        assert!(ew.is_working_day(d("2026-08-03")));
        assert!(!ew.is_working_day(d("2026-08-31")));
        // St Andrew's Day 2026 is a Monday; St Patrick's and the Boyne in Northern Ireland.
        assert!(!scotland.is_working_day(d("2026-11-30")));
        assert!(!ni.is_working_day(d("2026-03-17")));
        assert!(ew.is_working_day(d("2026-03-17")));
        // 12 July 2026 is a Sunday: substitute Monday 13th.
        assert!(!ni.is_working_day(d("2026-07-13")));
    }

    #[test]
    fn shipped_one_off_and_moved_holidays() {
        let ew = Calendar::shipped(Nation::EnglandAndWales);
        // 2022: Spring bank holiday moved to Thursday 2 June, Platinum Jubilee Friday 3 June,
        // the State Funeral on Monday 19 September.
        assert!(ew.is_working_day(d("2022-05-30")));
        assert!(!ew.is_working_day(d("2022-06-02")));
        assert!(!ew.is_working_day(d("2022-06-03")));
        assert!(!ew.is_working_day(d("2022-09-19")));
        // 2023: the Coronation, Monday 8 May.
        assert!(!ew.is_working_day(d("2023-05-08")));
        // 2020: Early May moved to Friday 8 May for VE Day.
        assert!(ew.is_working_day(d("2020-05-04")));
        assert!(!ew.is_working_day(d("2020-05-08")));
        assert_eq!(
            ew.holiday_name(d("2023-05-08")).as_deref(),
            Some("Coronation of King Charles III")
        );
    }

    #[test]
    fn counting_working_days() {
        let ew = Calendar::shipped(Nation::EnglandAndWales);
        // (start, working days, expected)
        let table = [
            ("2026-11-20", 2, "2026-11-24"), // Friday + 2 → Tuesday
            ("2026-11-21", 2, "2026-11-24"), // Saturday + 2 → Tuesday
            ("2026-11-23", 1, "2026-11-24"), // Monday + 1 → Tuesday
            ("2026-11-22", 0, "2026-11-23"), // Sunday + 0 → Monday
            ("2026-12-24", 1, "2026-12-29"), // Christmas Eve (Thursday) + 1 → Tuesday 29th
            ("2026-12-23", 5, "2027-01-04"), // over Christmas and New Year
            ("2026-04-02", 1, "2026-04-07"), // Maundy Thursday + 1 → Tuesday after Easter
            ("2022-06-01", 1, "2022-06-06"), // over the 2022 Jubilee weekend
        ];
        for (start, n, expected) in table {
            assert_eq!(
                ew.add_working_days(d(start), n),
                d(expected),
                "{start} + {n}"
            );
        }
        assert_eq!(ew.working_days_between(d("2026-12-24"), d("2026-12-29")), 1);
        assert_eq!(ew.working_days_between(d("2026-11-24"), d("2026-11-20")), 0);
    }

    #[test]
    fn change_files_report_bad_lines() {
        let text = "nation,date,change,name\nengland_and_wales,2030-06-03,add,A one-off day\nwales,2030-01-01,add,x\nscotland,2030-13-01,add,x\nscotland,2030-01-05,move,x\nscotland,2030-01-05,add,\nscotland\n";
        let errors = parse_changes(text).expect_err("bad lines");
        assert_eq!(errors.len(), 5);
        assert!(errors[0].starts_with("line 3, column 1"), "{errors:?}");
        assert!(errors[1].starts_with("line 4, column 2"));
        assert!(errors[2].starts_with("line 5, column 3"));
        assert!(errors[3].starts_with("line 6, column 4"));
        assert!(errors[4].starts_with("line 7:"));
        let ok = parse_changes("england_and_wales,2030-06-03,add,A one-off day").expect("valid");
        let calendar = Calendar::new(Nation::EnglandAndWales, &ok);
        assert!(!calendar.is_working_day(d("2030-06-03")));
    }

    #[test]
    fn holidays_beyond_the_precomputed_years_follow_the_rules_and_the_changes() {
        let changes = [
            HolidayChange {
                nation: Nation::EnglandAndWales,
                date: d("2070-06-02"),
                holiday: true,
                name: "A one-off".into(),
            },
            HolidayChange {
                nation: Nation::EnglandAndWales,
                date: d("2070-12-25"),
                holiday: false,
                name: "Christmas Day".into(),
            },
        ];
        let calendar = Calendar::new(Nation::EnglandAndWales, &changes);
        assert_eq!(
            calendar.holiday_name(d("2070-06-02")).as_deref(),
            Some("A one-off")
        );
        assert_eq!(calendar.holiday_name(d("2070-12-25")), None, "removed");
        assert_eq!(calendar.holiday_name(d("2070-06-03")), None);
        assert_eq!(
            calendar.holiday_name(d("2070-01-01")).as_deref(),
            Some("New Year's Day")
        );
        assert_eq!(calendar.holiday_name(d("2070-01-02")), None);
        assert!(!calendar.is_working_day(d("2070-06-02")));
        assert!(calendar.is_working_day(d("2070-06-03")));
    }
}
