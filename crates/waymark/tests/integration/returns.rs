//! The MoJ return, checked against a small dataset counted by hand.

use app::referrals::PersonChoice;
use app::referrals::ReferralInput;
use app::{App, Settings, command_line_actor};
use domain::policy::{Actor, Grant, GrantScope, Role};

use crate::support::{allocate_to_anyone, databases, demo_app, serve, signed_in};

fn actor(role: Role, scope: GrantScope) -> Actor {
    Actor {
        submission: None,
        id: "tester".into(),
        label: "tester".into(),
        organisation_id: String::new(),
        grants: vec![Grant { role, scope }],
    }
}

/// Moves the app's clock to an instant, returning the seconds moved.
fn travel(app: &App, to: &str) -> i64 {
    let target: jiff::Timestamp = to.parse().expect("instant");
    let secs = target.as_second() - app.clock.now().as_second();
    app.clock.advance(secs);
    secs
}

/// A referral sent, its victim contacted, and accepted for support by
/// `worker`: the referral and its case.
async fn supported(
    app: &app::App,
    worker: &domain::policy::Actor,
    input: &ReferralInput,
) -> (store::referrals::Referral, store::cases::Case) {
    let referral = app
        .take_referral(&app::command_line_actor(), input, &PersonChoice::sender())
        .await
        .expect("taken")
        .referral;
    app.record_contact_attempt(worker, &referral.id, "call", "contacted", "")
        .await
        .expect("contact");
    app.triage(worker, &referral.id, "accepted", "")
        .await
        .expect("accept");
    let case = app
        .case_of_referral(worker, &referral.id)
        .await
        .expect("case")
        .expect("opened");
    (referral, case)
}

fn referral(
    service: &str,
    source: &str,
    crime: &str,
    given: &str,
    born: &str,
    gender: &str,
    ethnicity: &str,
) -> ReferralInput {
    ReferralInput {
        service_id: service.into(),
        source: source.into(),
        crime_type: crime.into(),
        consent: "given".into(),
        person: app::people::PersonInput {
            given_name: given.into(),
            family_name: "Counted".into(),
            date_of_birth: born.into(),
            gender: gender.into(),
            ethnicity: ethnicity.into(),
            ..Default::default()
        },
        ..Default::default()
    }
}

#[tokio::test]
async fn moj_figures_match_a_dataset_counted_by_hand() {
    for db in databases().await {
        // Monthly reporting periods, so that the commissioner may read
        // October's.
        let app = demo_app(
            &db,
            Settings {
                report_periods: domain::disclosure::ReportingPeriods::of_months(1).expect("months"),
                ..Settings::default()
            },
        )
        .await;
        let cli = command_line_actor();
        let services = app.services(&cli).await.expect("services");
        let a = services
            .iter()
            .find(|s| s.name.starts_with("Eastmoor Victim Care"))
            .expect("a")
            .id
            .clone();
        let b = services
            .iter()
            .find(|s| s.name == "City IDVA service")
            .expect("b")
            .id
            .clone();
        let worker = actor(Role::TeamLeader, GrantScope::Service(a.clone()));
        let other_worker = actor(Role::TeamLeader, GrantScope::Service(b.clone()));

        // September: outside the period, but accepted then, so the case
        // continues through October.
        let moved = travel(&app, "2026-09-20T10:00:00Z");
        supported(
            &app,
            &worker,
            &referral(&a, "police", "theft", "Sept", "1980-01-01", "male", ""),
        )
        .await;
        app.clock.advance(-moved);

        // 15 October 2026 (a Thursday).
        let moved = travel(&app, "2026-10-15T10:00:00Z");
        let mut r1 = referral(
            &a,
            "police",
            "burglary",
            "Pat",
            "1990-01-01",
            "female",
            "white_british",
        );
        r1.crime_reported_on = "2026-10-14".into();
        let r1 = app
            .take_referral(&cli, &r1, &PersonChoice::sender())
            .await
            .expect("r1")
            .referral;
        let mut r2 = referral(
            &a,
            "police",
            "domestic_abuse",
            "Kim",
            "2010-06-01",
            "female",
            "asian_indian",
        );
        r2.crime_reported_on = "2026-10-10".into();
        let r2 = app
            .take_referral(&cli, &r2, &PersonChoice::sender())
            .await
            .expect("r2")
            .referral;
        app.take_referral(
            &cli,
            &referral(&a, "self", "theft", "Lee", "", "male", ""),
            &PersonChoice::sender(),
        )
        .await
        .expect("r3");
        let r4 = referral(&a, "partner", "theft", "", "", "", "");
        let r4 = app
            .take_referral(&cli, &r4, &PersonChoice::existing(&r1.person_id))
            .await
            .expect("r4")
            .referral;
        let r5 = app
            .take_referral(
                &cli,
                &referral(&b, "police", "theft", "Elsewhere", "1970-01-01", "male", ""),
                &PersonChoice::sender(),
            )
            .await
            .expect("r5")
            .referral;

        for r in [&r1, &r2, &r4] {
            app.record_contact_attempt(&worker, &r.id, "call", "contacted", "")
                .await
                .expect("contact");
            app.triage(&worker, &r.id, "accepted", "")
                .await
                .expect("accept");
        }
        app.record_contact_attempt(&other_worker, &r5.id, "call", "contacted", "")
            .await
            .expect("contact");
        app.triage(&other_worker, &r5.id, "accepted", "")
            .await
            .expect("accept");
        let case1 = app
            .case_of_referral(&worker, &r1.id)
            .await
            .expect("case")
            .expect("case 1");
        let closure = app::cases::Closure {
            reason: "support_completed".into(),
            satisfaction: "satisfied".into(),
            outcomes: vec![
                ("health_wellbeing".into(), "improved".into()),
                ("feel_safer".into(), "sustained".into()),
                ("informed_empowered".into(), "not_improved".into()),
                ("cope_everyday".into(), "not_asked".into()),
                ("criminal_justice".into(), "declined".into()),
            ],
            open_tasks: String::new(),
        };
        allocate_to_anyone(&app, &worker, &case1).await;
        app.close_case(&worker, &case1.id, &closure)
            .await
            .expect("close");
        // Kim's needs are assessed: tailored support, not only information.
        let case2 = app
            .case_of_referral(&worker, &r2.id)
            .await
            .expect("case")
            .expect("case 2");
        app.assess_needs(
            &worker,
            &case2.id,
            &[("safety".into(), "high".into(), String::new())],
            &[],
        )
        .await
        .expect("needs");
        app.clock.advance(-moved);

        let from = "2026-10-01".parse().expect("date");
        let to = "2026-10-31".parse().expect("date");
        let manager = actor(Role::ServiceManager, GrantScope::Service(a.clone()));
        let r = app
            .moj_return(&manager, from, to, &[])
            .await
            .expect("return");
        let fig = |table: &str, row: &str, col: usize| {
            r.figure(table, row, col)
                .unwrap_or_else(|| panic!("{table}/{row}"))
        };
        let engine = db.engine;
        assert!(!r.suppressed);
        assert_eq!(fig("summary", "Referrals received", 0), "4", "{engine}");
        assert_eq!(fig("by-source", "Police", 0), "2", "{engine}");
        assert_eq!(fig("by-source", "Self-referral", 0), "1");
        assert_eq!(fig("by-source", "Partner agency", 0), "1");
        assert_eq!(fig("by-source", "Victims' hub", 0), "0");
        assert_eq!(fig("by-crime-type", "Theft", 0), "2");
        assert_eq!(fig("by-crime-type", "Domestic abuse", 0), "1");
        assert_eq!(
            fig("summary", "Victims contacted", 0),
            "2",
            "{engine}: Pat (twice) and Kim"
        );
        assert_eq!(
            fig("summary", "Victims supported: new", 0),
            "2",
            "{engine}: Pat once, though two cases"
        );
        assert_eq!(
            fig(
                "summary",
                "New victims with enhanced rights (Victims' Code)",
                0
            ),
            "1",
            "{engine}: Kim is under 18"
        );
        assert_eq!(
            fig("summary", "Victims referred", 0),
            "3",
            "{engine}: Pat (twice), Kim and Lee"
        );
        assert_eq!(
            fig("summary", "Victims supported: continuing", 0),
            "1",
            "{engine}: Sept's case, opened in September, still open"
        );
        assert_eq!(
            fig("summary", "New victims given tailored support", 0),
            "1",
            "{engine}: Kim, whose needs were assessed"
        );
        assert_eq!(
            fig(
                "summary",
                "New victims given information and signposting only",
                0
            ),
            "1",
            "{engine}: Pat"
        );
        // Pat's closure, read as the national outcomes.
        let national = |row: &str, col: usize| fig("national-outcomes", row, col);
        assert_eq!(
            (
                national("Felt more informed", 0),
                national("Felt more informed", 1)
            ),
            ("1".to_string(), "0".to_string()),
            "{engine}: asked, not improved"
        );
        assert_eq!(
            national("Received the support they needed, when they wanted it", 1),
            "1",
            "{engine}: satisfied"
        );
        assert_eq!(
            national("Increased engagement with the criminal justice system", 0),
            "0",
            "{engine}: declined to answer"
        );
        assert_eq!(
            national(
                "Coped and built resilience to move forward with daily life",
                0
            ),
            "0",
            "{engine}: not asked"
        );
        // Pat (twice) and Kim were contacted, and supported, the day their
        // referrals came.
        assert_eq!(
            fig("waiting", "Referral received to first contact", 0),
            "3",
            "{engine}"
        );
        assert_eq!(fig("waiting", "Referral received to first contact", 1), "0");
        assert_eq!(
            fig("waiting", "Referral received to support starting", 0),
            "3"
        );
        assert_eq!(
            fig("waiting", "Referral received to support starting", 2),
            "0"
        );
        assert_eq!(fig("age", "Under 18", 0), "1");
        assert_eq!(fig("age", "35 to 44", 0), "1");
        assert_eq!(fig("gender", "Female", 0), "2");
        assert_eq!(fig("ethnicity", "Asian or Asian British: Indian", 0), "1");
        assert_eq!(
            fig("outcomes", "Improved health and wellbeing", 0),
            "1",
            "{engine}"
        );
        assert_eq!(fig("outcomes", "Improved health and wellbeing", 3), "1");
        assert_eq!(fig("outcomes", "Improved health and wellbeing", 1), "1");
        assert_eq!(
            fig("outcomes", "Feeling safer", 2),
            "1",
            "{engine}: Pat sustained"
        );
        assert_eq!(fig("outcomes", "Better informed and empowered", 0), "1");
        assert_eq!(fig("outcomes", "Better informed and empowered", 3), "0");
        assert_eq!(
            fig("outcomes", "Better able to cope with everyday life", 0),
            "0",
            "not asked is not counted"
        );
        assert_eq!(
            fig("outcomes", "Experience of the criminal justice system", 0),
            "0",
            "declined is not counted"
        );
        // Not asked, and why: counted apart from those asked.
        assert_eq!(
            fig("outcomes", "Experience of the criminal justice system", 5),
            "1",
            "{engine}: declined to answer"
        );
        assert_eq!(
            fig("outcomes", "Better able to cope with everyday life", 8),
            "1",
            "{engine}: not asked, for another reason"
        );
        assert_eq!(
            fig("outcomes", "Better able to cope with everyday life", 6),
            "0"
        );
        // Reported 14th, received 15th, due 16th: met. Reported Saturday 10th: due Tuesday 13th, missed.
        assert_eq!(
            fig("compliance", "Referral passed to the service", 0),
            "2",
            "{engine}"
        );
        assert_eq!(fig("compliance", "Referral passed to the service", 1), "1");
        assert_eq!(
            fig("compliance", "Referral passed to the service", 2),
            "50%"
        );
        assert_eq!(fig("compliance", "Information given to the victim", 0), "4");
        assert_eq!(fig("compliance", "Information given to the victim", 1), "3");
        assert_eq!(fig("compliance", "First contact by the service", 2), "75%");
        let csv = r.to_csv();
        assert!(csv.contains("Summary,Referrals received,Number,4"), "{csv}");

        // November: Dee is reached and declines support. She was contacted,
        // in time, and is not supported.
        let moved = travel(&app, "2026-11-03T10:00:00Z");
        let r7 = app
            .take_referral(
                &cli,
                &referral(&a, "police", "theft", "Dee", "1985-05-05", "female", ""),
                &PersonChoice::sender(),
            )
            .await
            .expect("r7")
            .referral;
        app.record_contact_attempt(&worker, &r7.id, "call", "declined", "")
            .await
            .expect("declined");
        // Rhi is rated at the start and at exit: the outcome is the change.
        let (r8, case8) = supported(
            &app,
            &worker,
            &referral(&a, "police", "theft", "Rhi", "1992-02-02", "female", ""),
        )
        .await;
        let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
            list.iter()
                .map(|(m, r)| (m.to_string(), r.to_string()))
                .collect()
        };
        app.assess_needs(
            &worker,
            &case8.id,
            &[],
            &pairs(&[
                ("health_wellbeing", "2"),
                ("feel_safer", "4"),
                ("informed_empowered", "3"),
                ("cope_everyday", "5"),
            ]),
        )
        .await
        .expect("start ratings alone are an assessment");
        allocate_to_anyone(&app, &worker, &case8).await;
        // A rating at exit where none was given at the start is refused.
        let unrated = app
            .close_case(
                &worker,
                &case8.id,
                &app::cases::Closure {
                    reason: "support_completed".into(),
                    satisfaction: "satisfied".into(),
                    outcomes: pairs(&[
                        ("health_wellbeing", "4"),
                        ("feel_safer", "4"),
                        ("informed_empowered", "3"),
                        ("cope_everyday", "4"),
                        ("criminal_justice", "3"),
                    ]),
                    open_tasks: String::new(),
                },
            )
            .await;
        assert!(
            matches!(&unrated, Err(app::AppError::Invalid(e)) if e.get("outcome-criminal_justice").is_some()),
            "{engine}: {unrated:?}"
        );
        app.close_case(
            &worker,
            &case8.id,
            &app::cases::Closure {
                reason: "support_completed".into(),
                satisfaction: "satisfied".into(),
                outcomes: pairs(&[
                    ("health_wellbeing", "4"),
                    ("feel_safer", "4"),
                    ("informed_empowered", "3"),
                    ("cope_everyday", "4"),
                    ("criminal_justice", "declined"),
                ]),
                open_tasks: String::new(),
            },
        )
        .await
        .expect("closed with ratings");
        // The feed sends Rhi again, her name shortened: not surely her, so
        // a second person until a caseworker merges them.
        let r9 = app
            .take_referral(
                &cli,
                &referral(&a, "police", "theft", "Rhy", "1992-02-02", "female", ""),
                &PersonChoice::sender(),
            )
            .await
            .expect("r9")
            .referral;
        assert_ne!(r9.person_id, r8.person_id, "{engine}");
        app.clock.advance(-moved);
        let november = app
            .moj_return(
                &manager,
                "2026-11-01".parse().expect("date"),
                "2026-11-30".parse().expect("date"),
                &[],
            )
            .await
            .expect("return");
        let nov = |table: &str, row: &str, col: usize| {
            november
                .figure(table, row, col)
                .unwrap_or_else(|| panic!("{table}/{row}"))
        };
        assert_eq!(
            nov("summary", "Victims referred", 0),
            "3",
            "{engine}: Dee, Rhi, and Rhi again as Rhy"
        );
        assert_eq!(
            nov("summary", "Victims contacted", 0),
            "2",
            "{engine}: Dee reached, though she declined, and Rhi"
        );
        assert_eq!(nov("summary", "Victims supported: new", 0), "1", "Rhi");
        // Rhi's ratings, start then exit: 2 → 4 improved; 4 → 4 sustained;
        // 3 → 3 not improved (the same, below a positive level); 5 → 4 not
        // improved; criminal justice declined.
        let outcome =
            |row: &str| -> Vec<String> { (0..6).map(|col| nov("outcomes", row, col)).collect() };
        assert_eq!(
            outcome("Improved health and wellbeing"),
            ["1", "1", "0", "1", "100%", "0"],
            "{engine}: improved"
        );
        assert_eq!(
            outcome("Feeling safer"),
            ["1", "0", "1", "1", "100%", "0"],
            "{engine}: sustained"
        );
        assert_eq!(
            outcome("Better informed and empowered"),
            ["1", "0", "0", "0", "0%", "0"],
            "{engine}: the same, below a positive level"
        );
        assert_eq!(
            outcome("Better able to cope with everyday life"),
            ["1", "0", "0", "0", "0%", "0"],
            "{engine}: fell"
        );
        assert_eq!(
            outcome("Experience of the criminal justice system"),
            ["0", "0", "0", "0", "–", "1"],
            "{engine}: declined, counted apart"
        );
        assert_eq!(
            nov("compliance", "First contact by the service", 1),
            "2",
            "{engine}: first contact made in time, with Dee and with Rhi"
        );
        // Merged, Rhi is one person in every return produced after.
        let pair: String = sqlx::query_scalar(
            "SELECT id FROM possible_duplicates WHERE person_id = $1 AND status = 'open'",
        )
        .bind(r9.person_id.clone())
        .fetch_one(app.db.pool())
        .await
        .expect("Rhy waits on the review list");
        app.merge_possible_duplicate(&worker, &pair, "earlier")
            .await
            .expect("merged");
        let merged = app
            .moj_return(
                &manager,
                "2026-11-01".parse().expect("date"),
                "2026-11-30".parse().expect("date"),
                &[],
            )
            .await
            .expect("return");
        assert_eq!(
            merged.figure("summary", "Victims referred", 0).as_deref(),
            Some("2"),
            "{engine}: Dee and Rhi"
        );
        assert_eq!(
            merged.figure("summary", "Referrals received", 0).as_deref(),
            Some("3"),
            "{engine}: every referral kept"
        );
        let xlsx = r.to_xlsx().expect("xlsx");
        assert_eq!(&xlsx[..2], b"PK", "an XLSX is a zip file");
        // Inside: sheet names that fit, headings that stay in view, and
        // shares written as numbers (75% is 0.75), not as text.
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).expect("zip");
        let mut read = |name: &str| {
            use std::io::Read;
            let mut text = String::new();
            zip.by_name(name)
                .expect(name)
                .read_to_string(&mut text)
                .expect("read");
            text
        };
        let book = read("xl/workbook.xml");
        let names: Vec<&str> = book
            .split("<sheet name=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next())
            .collect();
        assert!(names.len() > 2, "{engine}: {book}");
        assert!(names.iter().all(|n| n.chars().count() <= 31));
        let mut unique = names.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), names.len(), "{engine}: {names:?}");
        let mut frozen = 0;
        let mut shares_as_numbers = 0;
        for sheet in 2..=names.len() {
            let xml = read(&format!("xl/worksheets/sheet{sheet}.xml"));
            frozen += usize::from(xml.contains("state=\"frozen\""));
            shares_as_numbers += xml.matches("<v>0.75</v>").count();
        }
        assert_eq!(
            frozen,
            names.len() - 1,
            "{engine}: every table's headings stay"
        );
        assert!(shares_as_numbers >= 1, "{engine}: 75% is the number 0.75");

        // A commissioner sees small numbers suppressed; the page and downloads agree.
        let server = serve(app.clone(), engine).await;
        let mut commissioner = signed_in(&server, "commissioner@opcc-eastmoor.example").await;
        let page = commissioner
            .get(&format!(
                "/reports/moj?from=2026-10-01&to=2026-10-31&service={a}"
            ))
            .await;
        assert_eq!(page.status, 200, "{engine}");
        assert!(
            page.body.contains("\">&#60;5</td>")
                && page.body.contains("Counts are rounded to the nearest 5"),
            "{engine}: {}",
            page.body
        );
        assert!(
            !page.body.contains("Pat") && !page.body.contains("Kim"),
            "{engine}: no names"
        );
        let csv = commissioner
            .get(&format!(
                "/reports/moj?from=2026-10-01&to=2026-10-31&service={a}&format=csv"
            ))
            .await;
        assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
        assert!(
            csv.body.contains("Summary,Referrals received,Number,<5"),
            "{}",
            csv.body
        );
        let bad = commissioner
            .get("/reports/moj?from=2026-10-31&to=2026-10-01")
            .await;
        assert_eq!(bad.status, 422, "{engine}");
        assert!(
            bad.body
                .contains("end of the period must be on or after its start")
        );
        // The periods to choose from are those that have ended, latest first.
        let form = commissioner.get("/reports/moj").await;
        let (from, to) = server
            .app
            .settings
            .report_periods
            .before(server.app.reporting_day());
        let first_offered = form
            .body
            .split("<select id=\"period\"")
            .nth(1)
            .and_then(|select| select.split("<option value=\"").nth(1))
            .map(|option| option.starts_with(&format!("{from}/{to}\"")));
        assert_eq!(first_offered, Some(true), "{engine}: {}", form.body);
        let help = commissioner.get("/help/moj-return").await;
        assert!(
            help.body.contains("id=\"compliance\""),
            "{engine}: each figure's definition has an anchor"
        );
        // A caseworker cannot run returns.
        let mut caseworker = signed_in(&server, "caseworker@victimcare.example").await;
        assert_eq!(caseworker.get("/reports/moj").await.status, 403, "{engine}");
        // Another service's manager cannot ask for this service.
        let other_manager = actor(Role::ServiceManager, GrantScope::Service(b.clone()));
        assert!(
            app.moj_return(&other_manager, from, to, std::slice::from_ref(&a))
                .await
                .is_err(),
            "{engine}"
        );
    }
}

#[tokio::test]
async fn generated_demonstration_data_has_realistic_proportions() {
    for db in databases().await {
        let app = demo_app(&db, Settings::default()).await;
        let done = app::demo::generate(&app, 1200, 7, &|_| {})
            .await
            .expect("generate");
        assert_eq!(done.referrals, 1200);
        let pool = app.db.pool();
        let count = |sql: &'static str| async move {
            sqlx::query_scalar::<_, i64>(sql)
                .fetch_one(pool)
                .await
                .expect(sql)
        };
        let police =
            count("SELECT CAST(COUNT(*) AS BIGINT) FROM referrals WHERE source = 'police'").await;
        // Crime types that carry enhanced rights give them to every victim;
        // of the rest, children and about one in eight others have them.
        let carrying_without = count(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM referrals r JOIN crime_types c ON c.code = r.crime_type \
             WHERE c.enhanced_reason IS NOT NULL AND r.enhanced = 0",
        )
        .await;
        let others = count(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM referrals r JOIN crime_types c ON c.code = r.crime_type \
             WHERE c.enhanced_reason IS NULL",
        )
        .await;
        let others_enhanced = count(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM referrals r JOIN crime_types c ON c.code = r.crime_type \
             WHERE c.enhanced_reason IS NULL AND r.enhanced = 1",
        )
        .await;
        let references =
            count("SELECT CAST(COUNT(DISTINCT reference) AS BIGINT) FROM referrals").await;
        assert!(
            (840..=1080).contains(&police),
            "{}: most from the police ({police})",
            db.engine
        );
        assert_eq!(carrying_without, 0, "{}", db.engine);
        assert!(
            others > 100 && (others / 10..=others * 3 / 10).contains(&others_enhanced),
            "{}: 10–30% of the rest enhanced ({others_enhanced} of {others})",
            db.engine
        );
        assert_eq!(references, 1200, "{}: every reference unique", db.engine);
        // Every service has caseworkers, and cases go to them, never to
        // their leaders or managers: nobody holds more than a fair share.
        let staffless = count(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM services s
             WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.service_id = s.id)",
        )
        .await;
        assert_eq!(staffless, 0, "{}: every service has staff", db.engine);
        let to_leaders = count(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM cases c JOIN users u ON u.id = c.caseworker_id
             WHERE u.username IN ('teamleader@victimcare.example', 'manager@victimcare.example')",
        )
        .await;
        assert_eq!(
            to_leaders, 0,
            "{}: leaders hold no generated cases",
            db.engine
        );
        let open = count("SELECT CAST(COUNT(*) AS BIGINT) FROM cases WHERE status = 'open'").await;
        let most = count(
            "SELECT CAST(COALESCE(MAX(n), 0) AS BIGINT) FROM
             (SELECT COUNT(*) AS n FROM cases WHERE status = 'open' AND caseworker_id IS NOT NULL
              GROUP BY caseworker_id) held",
        )
        .await;
        assert!(
            most * 4 <= open,
            "{}: the busiest caseworker holds {most} of {open} open cases",
            db.engine
        );
        assert!(
            done.cases > 500 && done.closed > 200,
            "{}: {done:?}",
            db.engine
        );
        assert!(app.verify_audit().await.expect("verify").is_ok());
        // The year's return over generated data: outcomes mostly improved or sustained.
        let to = app.today();
        let from = to
            .checked_sub(jiff::Span::new().days(365))
            .expect("a year ago");
        let r = app
            .moj_return_for_system(from, to, &[], false)
            .await
            .expect("return");
        let asked: i64 = r
            .figure("outcomes", "Feeling safer", 0)
            .expect("asked")
            .parse()
            .expect("n");
        let positive: i64 = r
            .figure("outcomes", "Feeling safer", 3)
            .expect("positive")
            .parse()
            .expect("n");
        assert!(
            positive * 100 >= asked * 70,
            "{}: {positive} of {asked}",
            db.engine
        );
        // A new referral after generation gets the next reference, not a used one.
        let cli = command_line_actor();
        let services = app.services(&cli).await.expect("services");
        let input = ReferralInput {
            service_id: services[0].id.clone(),
            source: "police".into(),
            crime_type: "theft".into(),
            consent: "given".into(),
            person: app::people::PersonInput {
                given_name: "After".into(),
                family_name: "Generation".into(),
                ..Default::default()
            },
            ..Default::default()
        };
        app.take_referral(&cli, &input, &PersonChoice::sender())
            .await
            .expect("a new referral after generation");
    }
}

/// A person supported three times over two months: counted once, by their
/// first case in the period for support and by their last closure in it for
/// outcomes, however the periods fall.
#[tokio::test]
async fn a_person_with_several_cases_is_counted_once_by_their_first_and_last() {
    for db in databases().await {
        let engine = db.engine;
        let app = demo_app(&db, Settings::default()).await;
        let cli = command_line_actor();
        let services = app.services(&cli).await.expect("services");
        let a = services
            .iter()
            .find(|s| s.name.starts_with("Eastmoor Victim Care"))
            .expect("a")
            .id
            .clone();
        let worker = actor(Role::TeamLeader, GrantScope::Service(a.clone()));
        let manager = actor(Role::ServiceManager, GrantScope::Service(a.clone()));
        let mut person = String::new();
        // Opened 1 Oct (closed 10 Oct, not improved), 20 Oct (closed 25 Oct,
        // improved; enhanced), 5 Nov (open).
        for (opened, closed, answer, reasons) in [
            (
                "2026-10-01T10:00:00Z",
                Some("2026-10-10T10:00:00Z"),
                "not_improved",
                vec![],
            ),
            (
                "2026-10-20T10:00:00Z",
                Some("2026-10-25T10:00:00Z"),
                "improved",
                vec!["intimidated".to_string()],
            ),
            ("2026-11-05T10:00:00Z", None, "", vec![]),
        ] {
            let moved = travel(&app, opened);
            let mut input = referral(&a, "police", "theft", "Robin", "1985-03-03", "female", "");
            input.enhanced_reasons = reasons;
            let r = app
                .take_referral(&cli, &input, &PersonChoice::existing(&person))
                .await
                .expect("referral")
                .referral;
            person = r.person_id.clone();
            app.record_contact_attempt(&worker, &r.id, "call", "contacted", "")
                .await
                .expect("contact");
            app.triage(&worker, &r.id, "accepted", "")
                .await
                .expect("accept");
            let case = app
                .case_of_referral(&worker, &r.id)
                .await
                .expect("case")
                .expect("case");
            app.clock.advance(-moved);
            if let Some(closed) = closed {
                let moved = travel(&app, closed);
                let closure = app::cases::Closure {
                    reason: "support_completed".into(),
                    satisfaction: "satisfied".into(),
                    outcomes: vec![
                        ("feel_safer".into(), answer.into()),
                        ("health_wellbeing".into(), "not_asked".into()),
                        ("informed_empowered".into(), "not_asked".into()),
                        ("cope_everyday".into(), "not_asked".into()),
                        ("criminal_justice".into(), "not_asked".into()),
                    ],
                    open_tasks: String::new(),
                };
                allocate_to_anyone(&app, &worker, &case).await;
                app.close_case(&worker, &case.id, &closure)
                    .await
                    .expect("close");
                app.clock.advance(-moved);
            }
        }
        let figures = |from: &str, to: &str| {
            let app = app.clone();
            let manager = manager.clone();
            let (from, to) = (from.parse().expect("date"), to.parse().expect("date"));
            async move {
                let r = app
                    .moj_return(&manager, from, to, &[])
                    .await
                    .expect("return");
                [
                    ("summary", "Victims supported: new", 0),
                    (
                        "summary",
                        "New victims with enhanced rights (Victims' Code)",
                        0,
                    ),
                    ("outcomes", "Feeling safer", 0),
                    ("outcomes", "Feeling safer", 3),
                    ("summary", "Victims supported: continuing", 0),
                ]
                .map(|(t, row, col)| r.figure(t, row, col).expect("figure"))
            }
        };
        // October: supported once, basic (by the first case); outcomes once,
        // improved (by the last closure).
        assert_eq!(
            figures("2026-10-01", "2026-10-31").await,
            ["1", "0", "1", "1", "0"],
            "{engine}"
        );
        // From 15 October: the 20 Oct case is the first in the period.
        assert_eq!(
            figures("2026-10-15", "2026-11-30").await,
            ["1", "1", "1", "1", "0"],
            "{engine}"
        );
        // The first ten days: the first closure's answer, not improved.
        assert_eq!(
            figures("2026-10-01", "2026-10-10").await,
            ["1", "0", "1", "0", "0"],
            "{engine}"
        );
        // November alone: supported once (the 5 Nov case), nothing closed.
        assert_eq!(
            figures("2026-11-01", "2026-11-30").await,
            ["1", "0", "0", "0", "0"],
            "{engine}"
        );
        // From 22 October: the 20 Oct case, closed in the period, continues.
        assert_eq!(
            figures("2026-10-22", "2026-10-31").await,
            ["0", "0", "1", "1", "1"],
            "{engine}"
        );
        // From 5 October the 1 Oct case runs into the period, but the
        // 20 Oct case makes them new, so they are not also continuing.
        assert_eq!(
            figures("2026-10-05", "2026-10-31").await,
            ["1", "1", "1", "1", "0"],
            "{engine}"
        );
        // From 10 November: the open 5 Nov case continues; nothing new.
        assert_eq!(
            figures("2026-11-10", "2026-11-30").await,
            ["0", "0", "0", "0", "1"],
            "{engine}"
        );
    }
}

/// Tailored support is any of a needs assessment, a support plan or support
/// contacts, kept on the case as each is recorded; a case with none of them
/// is information and signposting only.
#[tokio::test]
async fn tailored_support_is_needs_a_plan_or_contacts() {
    for db in databases().await {
        let engine = db.engine;
        let app = demo_app(&db, Settings::default()).await;
        let service = crate::support::service_id(&app, "Eastmoor Victim Care").await;
        let worker = actor(Role::TeamLeader, GrantScope::Service(service.clone()));
        let mut cases = Vec::new();
        for given in ["Needs", "Plan", "Contact", "Nothing"] {
            let input = referral(&service, "police", "theft", given, "", "", "");
            cases.push(supported(&app, &worker, &input).await.1);
        }
        app.assess_needs(
            &worker,
            &cases[0].id,
            &[("safety".into(), "high".into(), String::new())],
            &[],
        )
        .await
        .expect("needs");
        app.add_plan_item(&worker, &cases[1].id, "Feel safe at home", "safety", "", "")
            .await
            .expect("plan");
        let contact = app::cases::ContactInput {
            kind: "support".into(),
            channel: "call".into(),
            duration_minutes: "20".into(),
            ..Default::default()
        };
        app.record_case_contact(&worker, &cases[2].id, &contact)
            .await
            .expect("contact");
        let manager = actor(Role::ServiceManager, GrantScope::Service(service.clone()));
        let today = app.today();
        let r = app
            .moj_return(&manager, today, today, &[])
            .await
            .expect("return");
        let figure = |row: &str| r.figure("summary", row, 0).unwrap_or_default();
        assert_eq!(
            figure("New victims given tailored support"),
            "3",
            "{engine}"
        );
        assert_eq!(
            figure("New victims given information and signposting only"),
            "1",
            "{engine}"
        );
    }
}

#[tokio::test]
async fn characteristics_counted_follow_corrections_to_the_person_and_the_referral() {
    for db in databases().await {
        let engine = db.engine;
        let app = demo_app(&db, Settings::default()).await;
        travel(&app, "2026-11-20T12:00:00Z");
        let service = crate::support::service_id(&app, "Eastmoor Victim Care").await;
        let worker = actor(Role::TeamLeader, GrantScope::Service(service.clone()));
        let manager = actor(Role::ServiceManager, GrantScope::Service(service.clone()));
        let input = referral(
            &service,
            "police",
            "theft",
            "Ashley",
            "2008-06-01",
            "female",
            "",
        );
        let (taken, _case) = supported(&app, &worker, &input).await;
        let period = |from: &str| {
            (
                from.parse::<jiff::civil::Date>().expect("date"),
                "2026-11-20".parse::<jiff::civil::Date>().expect("date"),
            )
        };
        let figures = |from: &'static str| {
            let app = &app;
            let manager = &manager;
            async move {
                let (from, to) = period(from);
                let r = app
                    .moj_return(manager, from, to, &[])
                    .await
                    .expect("return");
                let fig = |table: &str, row: &str| r.figure(table, row, 0).expect("figure");
                (
                    fig("age", "18 to 24"),
                    fig("age", "Under 18"),
                    fig("gender", "Female"),
                    fig("gender", "Male"),
                )
            }
        };
        assert_eq!(
            figures("2026-11-01").await,
            ("1".into(), "0".into(), "1".into(), "0".into()),
            "{engine}: 18 when referred, as recorded"
        );

        let mut corrected = input.person.clone();
        corrected.gender = "male".into();
        app.correct_person(&worker, &taken.person_id, &corrected)
            .await
            .expect("corrected");
        assert_eq!(
            figures("2026-11-01").await,
            ("1".into(), "0".into(), "0".into(), "1".into()),
            "{engine}: the corrected gender is counted"
        );

        let correction = app::referrals::ReferralCorrection {
            received_at: Some("2026-05-01".into()),
            ..Default::default()
        };
        app.correct_referral(&worker, &taken.id, &correction)
            .await
            .expect("received date corrected");
        assert_eq!(
            figures("2026-11-01").await,
            ("0".into(), "1".into(), "0".into(), "1".into()),
            "{engine}: 17 on the corrected day the referral was received"
        );
    }
}
