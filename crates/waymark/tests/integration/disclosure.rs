//! Returns as a commissioner sees them, attacked with a calculator: for
//! random small sets of referrals, the figures of each reporting period
//! must leave every cell not shown as 0 more than one possible value; and a
//! commissioner is never shown two periods, or two sets of services, of
//! which one holds the other.

use app::referrals::{PersonChoice, ReferralInput};
use app::{App, Settings, command_line_actor};
use domain::disclosure::{ReportingPeriods, Shown};
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

/// What each cell of `table` could hold, given the table as shown.
fn possible(table: &Shown1) -> Vec<Vec<i64>> {
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
        if fits(table.total, v.iter().sum()) {
            for (i, x) in v.iter().enumerate() {
                if !seen[i].contains(x) {
                    seen[i].push(*x);
                }
            }
        }
    }
    seen
}

fn attack(table: &Shown1, truth: &[i64], what: &str) {
    let seen = possible(table);
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
async fn a_commissioners_figures_survive_an_adversary_one_period_at_a_time() {
    for db in databases().await {
        // Monthly reporting periods: the shortest, and so the hardest.
        let app = demo_app(
            &db,
            Settings {
                report_periods: ReportingPeriods::of_months(1).expect("months"),
                ..Settings::default()
            },
        )
        .await;
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
            let d = |m: i8, day: i8| Date::new(year, m, day).expect("date");
            let what = format!("{} {year}", db.engine);
            for (month, truth) in counts.iter().enumerate() {
                let first = d(month as i8 + 1, 1);
                let table = shown(&app, &reader, &service.id, first, first.last_of_month()).await;
                attack(&table, truth, &what);
            }
            // Never a period holding them, nor one overlapping them.
            for (from, to) in [(d(1, 1), d(3, 31)), (d(2, 1), d(4, 30))] {
                assert!(
                    matches!(
                        app.moj_return(&reader, from, to, std::slice::from_ref(&service.id))
                            .await,
                        Err(app::AppError::Invalid(_))
                    ),
                    "{what}: {from} to {to} is refused"
                );
            }
        }
    }
}

#[tokio::test]
async fn commissioners_see_one_ended_period_of_one_service_and_staffing_protected() {
    for db in databases().await {
        let app = demo_app(&db, Settings::default()).await;
        let (service, reader) = victim_care_and_its_commissioner(&app).await;
        let engine = db.engine;
        let one = std::slice::from_ref(&service.id);
        let quarters = ReportingPeriods::QUARTERS;
        let today = app.today();
        let (last_from, last_to) = quarters.before(app.reporting_day());
        let (now_from, now_to) = quarters.containing(today);
        let refused = |r: app::Result<app::reports::MojReturn>| -> Vec<String> {
            match r {
                Err(app::AppError::Invalid(e)) => e.0.into_iter().map(|e| e.field).collect(),
                other => panic!("{engine}: expected a refusal, got {:?}", other.map(|_| ())),
            }
        };
        let day = |d: Date, days: i64| d.saturating_add(jiff::Span::new().days(days));
        for (from, to, why) in [
            (day(last_from, 4), last_to, "part of a quarter"),
            (last_from, day(last_to, -10), "part of a quarter"),
            (last_from, day(last_from, 30), "a month"),
            (
                day(last_from, -92).first_of_month(),
                last_to,
                "two quarters",
            ),
            (now_from, now_to, "a quarter not yet ended"),
            (now_from, today, "this quarter so far"),
        ] {
            assert_eq!(
                refused(app.moj_return(&reader, from, to, one).await),
                vec!["from"],
                "{engine}: {why}, {from} to {to}"
            );
        }
        assert!(
            app.moj_return(&reader, last_from, last_to, one)
                .await
                .is_ok(),
            "{engine}: the last quarter, of one service"
        );
        // Several services together would hold each one's figures.
        let theirs = app.reportable_services(&reader).await.expect("services");
        assert!(
            theirs.len() > 1,
            "{engine}: the commissioner pays for several"
        );
        assert_eq!(
            refused(app.moj_return(&reader, last_from, last_to, &[]).await),
            vec!["services"],
            "{engine}: all their services together"
        );
        let two: Vec<String> = theirs.iter().take(2).map(|s| s.id.clone()).collect();
        assert_eq!(
            refused(app.moj_return(&reader, last_from, last_to, &two).await),
            vec!["services"],
            "{engine}: two services together"
        );
        // A manager of the service may ask for any days and services.
        let manager = Actor {
            grants: vec![Grant {
                role: Role::ServiceManager,
                scope: GrantScope::Service(service.id.clone()),
            }],
            ..reader.clone()
        };
        assert!(
            app.moj_return(&manager, today, today, &[]).await.is_ok(),
            "{engine}"
        );
        // An administrator may choose longer periods for commissioners.
        let yearly = App::new(
            app.db.clone(),
            Settings {
                report_periods: ReportingPeriods::of_months(12).expect("a year"),
                ..Settings::default()
            },
        );
        assert!(
            yearly
                .moj_return(&reader, last_from, last_to, one)
                .await
                .is_err(),
            "{engine}: a quarter when periods are years"
        );
        let (year_from, year_to) = domain::reports::financial_year(day(today, -366));
        assert!(
            yearly
                .moj_return(&reader, year_from, year_to, one)
                .await
                .is_ok(),
            "{engine}: last financial year"
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
            "{engine}: a service's {} teams are not shown to a commissioner as such",
            mine.figures.teams
        );
    }
}

#[tokio::test]
async fn a_commissioners_figures_are_kept_as_first_shown_once_the_period_has_closed() {
    for db in databases().await {
        // Quarters, read from 14 days after they end.
        let app = demo_app(&db, Settings::default()).await;
        let engine = db.engine;
        let (service, reader) = victim_care_and_its_commissioner(&app).await;
        let one = std::slice::from_ref(&service.id);
        let manager = Actor {
            grants: vec![Grant {
                role: Role::ServiceManager,
                scope: GrantScope::Service(service.id.clone()),
            }],
            ..reader.clone()
        };
        let travel = |to: &str| {
            let instant: jiff::Timestamp = to.parse().expect("instant");
            app.clock
                .advance(instant.as_second() - app.clock.now().as_second());
        };
        // Police referrals (the builder's source) to the service.
        let refer = |n: usize, tag: &'static str| {
            let (app, service) = (&app, &service);
            async move {
                for i in 0..n {
                    crate::support::a_referral(app)
                        .to(&service.name)
                        .about(&format!("Kept{tag}{i}"), "Figures")
                        .taken()
                        .await;
                }
            }
        };
        let police = |r: &app::reports::MojReturn| {
            r.figure("by-source", ReferralSource::Police.label(), 0)
                .expect("police row")
        };
        // July to September 2019, long before the demonstration's referrals.
        let (from, to) = (
            Date::new(2019, 7, 1).expect("day"),
            Date::new(2019, 9, 30).expect("day"),
        );
        let started = app.clock.now();
        travel("2019-08-10T10:00:00Z");
        refer(9, "a").await;

        // Five days after it ended, the service is still recording it.
        travel("2019-10-05T10:00:00Z");
        match app.moj_return(&reader, from, to, one).await {
            Err(app::AppError::Invalid(e)) => {
                assert_eq!(e.0[0].field, "from", "{engine}");
                assert!(
                    e.0[0].message.contains("from 14 days after it ends"),
                    "{engine}: {}",
                    e.0[0].message
                );
            }
            other => panic!("{engine}: still closing, got {:?}", other.map(|_| ())),
        }

        // Fifteen days after, it may be read, and is kept as first shown.
        travel("2019-10-15T10:00:00Z");
        let first = app.moj_return(&reader, from, to, one).await.expect("first");
        assert_eq!(police(&first), "10", "{engine}: 9 rounded");
        let kept_at = first.frozen_at.clone().expect("kept");

        // Four referrals of the period recorded late: 13 in all.
        travel("2019-08-11T10:00:00Z");
        refer(4, "b").await;
        travel("2019-10-20T10:00:00Z");
        let again = app.moj_return(&reader, from, to, one).await.expect("again");
        assert_eq!(
            police(&again),
            "10",
            "{engine}: the difference would give the late records away"
        );
        assert_eq!(again.frozen_at.as_deref(), Some(kept_at.as_str()));
        assert_eq!(again.tables, first.tables, "{engine}: every figure as kept");

        // The service's own figures are exact, and not kept.
        let exact = app
            .moj_return(&manager, from, to, one)
            .await
            .expect("exact");
        assert_eq!(police(&exact), "13", "{engine}");
        assert_eq!(exact.frozen_at, None);

        // Another quarter is kept when it is first shown.
        let (spring_from, spring_to) = (
            Date::new(2019, 4, 1).expect("day"),
            Date::new(2019, 6, 30).expect("day"),
        );
        let spring = app
            .moj_return(&reader, spring_from, spring_to, one)
            .await
            .expect("spring");
        assert_eq!(police(&spring), "0", "{engine}");
        assert_ne!(spring.frozen_at.as_deref(), Some(kept_at.as_str()));
        // Each keeping is audited once: two periods, however often read.
        let kept: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_events
             WHERE action = 'reports.figures_kept' AND record_id = $1",
        )
        .bind(&service.id)
        .fetch_one(app.db.pool())
        .await
        .expect("count");
        assert_eq!(kept, 2, "{engine}");
        app.clock
            .advance(started.as_second() - app.clock.now().as_second());
    }
}

#[tokio::test]
async fn victims_continuing_are_withheld_where_the_quarter_before_would_pin_them() {
    for db in databases().await {
        let app = demo_app(&db, Settings::default()).await;
        let engine = db.engine;
        let (victim_care, reader) = victim_care_and_its_commissioner(&app).await;
        let other = app
            .reportable_services(&reader)
            .await
            .expect("services")
            .into_iter()
            .find(|s| s.id != victim_care.id)
            .expect("a second service");
        let started = app.clock.now();
        let travel = |to: &str| {
            let instant: jiff::Timestamp = to.parse().expect("instant");
            app.clock
                .advance(instant.as_second() - app.clock.now().as_second());
        };
        let day = |y: i16, m: i8, d: i8| Date::new(y, m, d).expect("day");
        let continuing = |r: &app::reports::MojReturn| {
            r.figure("summary", "Victims supported: continuing", 0)
                .expect("continuing")
        };
        // For each service: four people supported from February 2018 and
        // four from May, none closed. April to June shows four new ("<5")
        // and four continuing ("<5"); July to September eight continuing
        // ("10"), which would leave both earlier figures exactly 4.
        for service in [&victim_care, &other] {
            for (on, tag) in [
                ("2018-02-10T10:00:00Z", "Feb"),
                ("2018-05-10T10:00:00Z", "May"),
            ] {
                travel(on);
                for i in 0..4 {
                    crate::support::a_referral(&app)
                        .to(&service.name)
                        .about(&format!("Cont{tag}{i}"), "Across")
                        .accepted()
                        .await;
                }
            }
        }
        travel("2018-10-20T10:00:00Z");
        let read = |service: &str, from: Date, to: Date| {
            let (app, reader, service) = (&app, &reader, service.to_string());
            async move {
                app.moj_return(reader, from, to, &[service])
                    .await
                    .expect("return")
            }
        };
        let (spring, summer) = (
            (day(2018, 4, 1), day(2018, 6, 30)),
            (day(2018, 7, 1), day(2018, 9, 30)),
        );

        // Read in order: the later quarter's continuing is withheld.
        let first = read(&victim_care.id, spring.0, spring.1).await;
        assert_eq!(
            first
                .figure("summary", "Victims supported: new", 0)
                .as_deref(),
            Some("<5"),
            "{engine}"
        );
        assert_eq!(continuing(&first), "<5", "{engine}");
        let second = read(&victim_care.id, summer.0, summer.1).await;
        assert_eq!(continuing(&second), "[c]", "{engine}: 8 beside <5 and <5");

        // Read the other way round: the earlier quarter's is withheld.
        let later = read(&other.id, summer.0, summer.1).await;
        assert_eq!(continuing(&later), "10", "{engine}");
        let earlier = read(&other.id, spring.0, spring.1).await;
        assert_eq!(continuing(&earlier), "[c]", "{engine}: <5 beside 10 kept");
        assert_eq!(
            earlier
                .figure("summary", "Victims supported: new", 0)
                .as_deref(),
            Some("<5"),
            "{engine}"
        );
        // Kept as withheld: read again, the same.
        let again = read(&other.id, spring.0, spring.1).await;
        assert_eq!(continuing(&again), "[c]", "{engine}");
        app.clock
            .advance(started.as_second() - app.clock.now().as_second());
    }
}
