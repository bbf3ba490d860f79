//! Returns as a commissioner sees them, attacked with a calculator: for
//! random small sets of referrals, the figures of one period and of another
//! inside it or overlapping it must leave every cell not shown as 0 more
//! than one possible value.

use app::referrals::{PersonChoice, ReferralInput};
use app::{App, Settings, command_line_actor};
use domain::disclosure::Shown;
use domain::journey::ReferralSource;
use domain::policy::{Actor, Grant, GrantScope, Role};
use jiff::civil::Date;

use crate::support::{databases, demo_app, victim_care_and_its_commissioner};

/// A small, repeatable stream of numbers (xorshift), so a failure can be
/// run again.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, below: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % below
    }
}

fn parse(text: &str) -> Shown {
    match text {
        "0" => Shown::Zero,
        "<5" => Shown::UnderFive,
        "[c]" => Shown::Withheld,
        n => Shown::Rounded(n.parse().unwrap_or_else(|_| panic!("a figure: {n:?}"))),
    }
}

/// The referrals-by-source table and its total as shown, in source order.
struct Shown1 {
    cells: Vec<Shown>,
    total: Shown,
}

async fn shown(app: &App, who: &Actor, service: &str, from: Date, to: Date) -> Shown1 {
    let r = app
        .moj_return(who, from, to, &[service.to_string()])
        .await
        .expect("return");
    assert!(r.suppressed, "a commissioner's return is protected");
    let cells = ReferralSource::ALL
        .iter()
        .map(|s| parse(&r.figure("by-source", s.label(), 0).expect("row")))
        .collect();
    let total = parse(&r.figure("summary", "Referrals received", 0).expect("total"));
    Shown1 { cells, total }
}

fn range(shown: Shown) -> std::ops::RangeInclusive<i64> {
    let (low, high) = shown.range();
    low..=high.min(100)
}

fn fits(total: Shown, sum: i64) -> bool {
    let (low, high) = total.range();
    low <= sum && sum <= high
}

/// Whether some table for the other period agrees with `v`: any does for
/// overlapping periods; one inside must count no more in any cell.
fn other_agrees(other: &Shown1, v: &[i64], other_inside: Option<bool>) -> bool {
    // Each cell's range, narrowed by the order between the periods; sums
    // of whole-number ranges take every value between their ends.
    let mut low = 0;
    let mut high = 0;
    for (cell, x) in other.cells.iter().zip(v) {
        let (mut l, mut h) = (*range(*cell).start(), *range(*cell).end());
        match other_inside {
            Some(true) => h = h.min(*x),
            Some(false) => l = l.max(*x),
            None => {}
        }
        if l > h {
            return false;
        }
        low += l;
        high += h;
    }
    let (t_low, t_high) = other.total.range();
    low.max(t_low) <= high.min(t_high)
}

/// What each cell of `table` could hold, given it and the other period's.
fn possible(table: &Shown1, other: &Shown1, other_inside: Option<bool>) -> Vec<Vec<i64>> {
    let mut vectors: Vec<Vec<i64>> = vec![Vec::new()];
    for cell in &table.cells {
        vectors = vectors
            .into_iter()
            .flat_map(|v| {
                range(*cell).map(move |x| {
                    let mut v = v.clone();
                    v.push(x);
                    v
                })
            })
            .collect();
    }
    let mut seen = vec![Vec::new(); table.cells.len()];
    for v in vectors {
        if fits(table.total, v.iter().sum()) && other_agrees(other, &v, other_inside) {
            for (i, x) in v.iter().enumerate() {
                if !seen[i].contains(x) {
                    seen[i].push(*x);
                }
            }
        }
    }
    seen
}

fn attack(table: &Shown1, truth: &[i64], other: &Shown1, other_inside: Option<bool>, what: &str) {
    let seen = possible(table, other, other_inside);
    for (i, cell) in table.cells.iter().enumerate() {
        assert!(seen[i].contains(&truth[i]), "{what}: the truth is possible");
        if *cell != Shown::Zero {
            assert!(
                seen[i].len() > 1,
                "{what}: cell {i} shown {} worked out as {:?} (truth {truth:?})",
                cell.text(),
                seen[i]
            );
        }
    }
}

#[tokio::test]
async fn a_commissioners_figures_survive_an_adversary_with_two_periods() {
    for db in databases().await {
        let app = demo_app(&db, Settings::default()).await;
        let cli = command_line_actor();
        let (service, reader) = victim_care_and_its_commissioner(&app).await;
        let mut dice = Dice(0x5eed_2026 ^ db.engine.len() as u64);
        // One year each, long before the demonstration's referrals: counts
        // per source in January to April, mostly small. The first year is
        // one that showing every total would give away: 4 and 4 in
        // February, whose total (8) shows as 10.
        for year in 2015..2022 {
            let mut counts = vec![vec![0i64; ReferralSource::ALL.len()]; 4];
            for (month, row) in counts.iter_mut().enumerate() {
                for (k, source) in ReferralSource::ALL.iter().enumerate() {
                    let n = if year == 2015 {
                        if month == 1 && k < 2 { 4 } else { 0 }
                    } else {
                        let n = match dice.roll(10) {
                            0..=3 => 0,
                            4..=8 => 1 + dice.roll(4),
                            _ => 3 + dice.roll(9),
                        };
                        n as i64
                    };
                    row[k] = n;
                    let day = Date::new(year, month as i8 + 1, 10).expect("day");
                    let instant: jiff::Timestamp =
                        format!("{day}T10:00:00Z").parse().expect("when");
                    let moved = instant.as_second() - app.clock.now().as_second();
                    app.clock.advance(moved);
                    for i in 0..n {
                        let input = ReferralInput {
                            service_id: service.id.clone(),
                            source: source.code().into(),
                            crime_type: "theft".into(),
                            consent: "given".into(),
                            person: app::people::PersonInput {
                                given_name: format!("Dis{year}m{month}k{k}i{i}"),
                                family_name: "Closure".into(),
                                ..Default::default()
                            },
                            ..Default::default()
                        };
                        app.take_referral(&cli, &input, &PersonChoice::sender())
                            .await
                            .expect("referral");
                    }
                    app.clock.advance(-moved);
                }
            }
            let sum = |months: std::ops::Range<usize>| -> Vec<i64> {
                (0..ReferralSource::ALL.len())
                    .map(|k| months.clone().map(|m| counts[m][k]).sum())
                    .collect()
            };
            let d = |m: i8, day: i8| Date::new(year, m, day).expect("date");
            let quarter = shown(&app, &reader, &service.id, d(1, 1), d(3, 31)).await;
            let february = shown(
                &app,
                &reader,
                &service.id,
                d(2, 1),
                d(2, 28).last_of_month(),
            )
            .await;
            let later = shown(&app, &reader, &service.id, d(2, 1), d(4, 30)).await;
            let what = format!("{} {year}", db.engine);
            // February lies inside the quarter; February to April overlaps it.
            attack(&quarter, &sum(0..3), &february, Some(true), &what);
            attack(&february, &sum(1..2), &quarter, Some(false), &what);
            attack(&quarter, &sum(0..3), &later, None, &what);
            attack(&later, &sum(1..4), &quarter, None, &what);
        }
    }
}

#[tokio::test]
async fn commissioners_ask_for_whole_months_and_see_staffing_protected() {
    for db in databases().await {
        let app = demo_app(&db, Settings::default()).await;
        let (service, reader) = victim_care_and_its_commissioner(&app).await;
        let day = |text: &str| text.parse::<Date>().expect("date");
        for (from, to) in [
            ("2026-10-05", "2026-10-31"),
            ("2026-10-01", "2026-10-20"),
            ("2026-10-12", "2026-10-12"),
        ] {
            let refused = app.moj_return(&reader, day(from), day(to), &[]).await;
            assert!(
                matches!(refused, Err(app::AppError::Invalid(_))),
                "{}: {from} to {to} is not whole months",
                db.engine
            );
        }
        assert!(
            app.moj_return(&reader, day("2026-09-01"), day("2026-10-31"), &[])
                .await
                .is_ok(),
            "{}: two whole months",
            db.engine
        );
        // A manager of the service may ask for any days.
        let manager = Actor {
            grants: vec![Grant {
                role: Role::ServiceManager,
                scope: GrantScope::Service(service.id.clone()),
            }],
            ..reader.clone()
        };
        assert!(
            app.moj_return(&manager, day("2026-10-12"), day("2026-10-12"), &[])
                .await
                .is_ok(),
            "{}",
            db.engine
        );
        // An administrator may ask for longer periods for commissioners.
        let stricter = App::new(
            app.db.clone(),
            Settings {
                report_minimum_months: 3,
                ..Settings::default()
            },
        );
        assert!(
            stricter
                .moj_return(&reader, day("2026-09-01"), day("2026-10-31"), &[])
                .await
                .is_err(),
            "{}: two months when three are the least",
            db.engine
        );

        // Staffing: exact for the service's manager, protected for the
        // commissioner.
        let exact = app.service_figures(&manager).await.expect("figures");
        let seen = app.service_figures(&reader).await.expect("figures");
        let mine = exact
            .iter()
            .find(|f| f.figures.service_id == service.id)
            .expect("own service");
        let theirs = seen
            .iter()
            .find(|f| f.figures.service_id == service.id)
            .expect("commissioned service");
        assert_eq!(mine.teams, mine.figures.teams.to_string());
        assert_eq!(
            theirs.teams,
            domain::disclosure::protect(mine.figures.teams).text(),
            "{}",
            db.engine
        );
        assert_eq!(
            theirs.active_staff,
            domain::disclosure::protect(mine.figures.active_staff).text(),
            "{}",
            db.engine
        );
        assert!(
            (1..=4).contains(&mine.figures.teams) && theirs.teams == "<5",
            "{}: a service's {} teams are not shown to a commissioner as such",
            db.engine,
            mine.figures.teams
        );
    }
}
