//! Importing a police referral feed: every bad row named by line and
//! column, good rows imported whole, and re-imports creating nothing.

use app::import::{COLUMNS, ImportReport};
use app::{App, Settings};
use domain::policy::{Actor, Grant, GrantScope, Role};

use crate::support::{databases, demo_app};

const EXAMPLE: &str = include_str!("../../../../examples/police-referrals.csv");

pub(crate) async fn police(app: &App) -> Actor {
    let orgs = app
        .organisations(&app::command_line_actor())
        .await
        .expect("orgs");
    let police = orgs
        .iter()
        .find(|o| o.name == "Eastmoor Constabulary")
        .expect("police");
    Actor {
        submission: None,
        id: "feed".into(),
        label: "police feed".into(),
        organisation_id: police.id.clone(),
        grants: vec![Grant {
            role: Role::Referrer,
            scope: GrantScope::Everywhere,
        }],
    }
}

async fn counts(app: &App) -> (i64, i64) {
    let pool = app.db.pool();
    let referrals: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM referrals")
        .fetch_one(pool)
        .await
        .expect("count");
    let people: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM people")
        .fetch_one(pool)
        .await
        .expect("count");
    (referrals, people)
}

fn row(values: &[(&str, &str)]) -> String {
    COLUMNS
        .iter()
        .map(|c| {
            values
                .iter()
                .find(|(k, _)| k == c)
                .map(|(_, v)| v.to_string())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(",")
}

fn good(reference: &str) -> Vec<(&'static str, String)> {
    vec![
        ("service", "Eastmoor Victim Care: cope and recover".into()),
        ("police_reference", reference.into()),
        ("crime_type", "theft".into()),
        ("consent", "given".into()),
        ("given_name", "Row".into()),
        ("family_name", "Example".into()),
    ]
}

fn render(values: &[(&'static str, String)]) -> String {
    let pairs: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
    row(&pairs)
}

fn with(
    mut values: Vec<(&'static str, String)>,
    key: &'static str,
    value: &str,
) -> Vec<(&'static str, String)> {
    values.retain(|(k, _)| *k != key);
    values.push((key, value.to_string()));
    values
}

fn has(report: &ImportReport, line: u64, column: Option<&str>, words: &str) -> bool {
    report
        .errors
        .iter()
        .any(|e| e.line == line && e.column.as_deref() == column && e.message.contains(words))
}

#[tokio::test]
async fn the_example_feed_imports_once() {
    for db in databases().await {
        let app = demo_app(&db, Settings::default()).await;
        let sender = police(&app).await;
        let dry = app
            .import_referrals(&sender, EXAMPLE.as_bytes(), true)
            .await
            .expect("dry run");
        assert_eq!(
            (dry.rows, dry.valid, dry.imported),
            (20, 20, 0),
            "{}: {:?}",
            db.engine,
            dry.errors
        );
        assert_eq!(
            counts(&app).await.0,
            0,
            "{}: a dry run writes nothing",
            db.engine
        );
        let first = app
            .import_referrals(&sender, EXAMPLE.as_bytes(), false)
            .await
            .expect("import");
        assert_eq!(
            (first.imported, first.already_received),
            (20, 0),
            "{}: {:?}",
            db.engine,
            first.errors
        );
        let again = app
            .import_referrals(&sender, EXAMPLE.as_bytes(), false)
            .await
            .expect("again");
        assert_eq!(
            (again.imported, again.already_received),
            (0, 20),
            "{}",
            db.engine
        );
        assert_eq!(counts(&app).await, (20, 20), "{}", db.engine);
        // A row sent again under its reference with something changed is
        // refused on its line, naming the column; the rest are as received.
        let changed = EXAMPLE.replacen(",EM/20001/26,theft,", ",EM/20001/26,burglary,", 1);
        assert_ne!(changed, EXAMPLE);
        let resent = app
            .import_referrals(&sender, changed.as_bytes(), false)
            .await
            .expect("resent");
        assert_eq!(
            (resent.imported, resent.already_received),
            (0, 19),
            "{}",
            db.engine
        );
        assert!(
            has(
                &resent,
                3,
                Some("crime_type"),
                "Differs from the referral already received"
            ),
            "{}: {:?}",
            db.engine,
            resent.errors
        );
        assert_eq!(counts(&app).await, (20, 20), "{}", db.engine);
        assert!(app.verify_audit().await.expect("verify").is_ok());
    }
}

#[tokio::test]
async fn bad_files_and_rows_are_reported_and_good_rows_kept() {
    for db in databases().await {
        let app = demo_app(&db, Settings::default()).await;
        let sender = police(&app).await;
        let header = COLUMNS.join(",");

        // A missing column, named.
        let short_header = COLUMNS
            .iter()
            .filter(|c| **c != "consent")
            .copied()
            .collect::<Vec<_>>()
            .join(",");
        let report = app
            .import_referrals(&sender, format!("{short_header}\n").as_bytes(), false)
            .await
            .expect("report");
        assert!(
            has(&report, 1, Some("consent"), "missing"),
            "{}: {:?}",
            db.engine,
            report.errors
        );

        // Not UTF-8 on line 3.
        let mut latin1 = format!("{header}\n{}\n", render(&good("ENC-1"))).into_bytes();
        latin1.extend_from_slice(render(&with(good("ENC-2"), "given_name", "Ren")).as_bytes());
        latin1.extend_from_slice(b"\xe9e\n");
        let report = app
            .import_referrals(&sender, &latin1, false)
            .await
            .expect("report");
        assert!(
            has(&report, 3, None, "not UTF-8"),
            "{}: {:?}",
            db.engine,
            report.errors
        );
        assert_eq!(
            counts(&app).await.0,
            0,
            "{}: nothing imported from a file that cannot be read",
            db.engine
        );

        // Row by row: good rows imported, each bad one named by line and column.
        let lines = [
            render(&good("ROW-2")),
            render(&with(good("ROW-3"), "crime_type", "jaywalking")),
            render(&with(good("ROW-4"), "incident_date", "2099-01-01")),
            render(&with(
                with(good("ROW-5"), "crime_type", "domestic_abuse"),
                "consent",
                "not_asked",
            )),
            render(&good("ROW-2")),
            render(&with(good("ROW-7"), "interpreter_needed", "perhaps")),
            render(&with(good("ROW-8"), "date_of_birth", "31/02/1990")),
            render(&good("ROW-9")),
            // An opening quote never closed runs to the end of the file.
            format!("{},\"stray", render(&good("ROW-10"))),
        ];
        let file = format!("{header}\n{}\n", lines.join("\n"));
        let report = app
            .import_referrals(&sender, file.as_bytes(), false)
            .await
            .expect("report");
        let engine = db.engine;
        assert!(
            has(&report, 3, Some("crime_type"), "crime type"),
            "{engine}: {:?}",
            report.errors
        );
        assert!(has(&report, 4, Some("incident_date"), "future"), "{engine}");
        assert!(has(&report, 5, Some("consent"), "consent"), "{engine}");
        assert!(
            has(&report, 6, Some("police_reference"), "line 2"),
            "{engine}: {:?}",
            report.errors
        );
        assert!(
            has(&report, 7, Some("interpreter_needed"), "yes or no"),
            "{engine}"
        );
        assert!(
            has(&report, 8, Some("date_of_birth"), "real date"),
            "{engine}"
        );
        assert!(
            has(
                &report,
                10,
                None,
                "a quote opened on this line is never closed"
            ),
            "{engine}: {:?}",
            report.errors
        );
        assert_eq!(
            report.imported, 2,
            "{engine}: rows 2 and 9 imported: {:?}",
            report.errors
        );
        assert_eq!(counts(&app).await, (2, 2), "{engine}: no half-written rows");

        // Ten thousand bad rows: every one reported.
        let mut big = format!("{header}\n");
        for i in 0..10_000 {
            big.push_str(&render(&with(
                good(&format!("BAD-{i}")),
                "crime_type",
                "nonsense",
            )));
            big.push('\n');
        }
        let report = app
            .import_referrals(&sender, big.as_bytes(), false)
            .await
            .expect("report");
        assert_eq!(report.rows, 10_000);
        assert_eq!(report.errors.len(), 10_000, "{engine}");
        assert_eq!(report.errors.last().map(|e| e.line), Some(10_001));
        assert_eq!(counts(&app).await.0, 2, "{engine}");
    }
}

#[tokio::test]
async fn rows_that_name_only_an_area_are_routed_to_the_service_covering_it() {
    for db in databases().await {
        let app = demo_app(&db, Settings::default()).await;
        let sender = police(&app).await;
        let header = format!("{},area", COLUMNS.join(","));
        let routed = |reference: &str, area: &str, crime_type: &str, consent: &str| {
            let values = with(
                with(
                    with(good(reference), "service", ""),
                    "crime_type",
                    crime_type,
                ),
                "consent",
                consent,
            );
            format!("{},{area}", render(&values))
        };
        let file = [
            header,
            // Domestic abuse in Ashby Vale: its own specialist service.
            routed("AREA-1", "Ashby Vale", "domestic_abuse", "given"),
            // Domestic abuse in the city, which has none: generic support.
            routed("AREA-2", "Eastmoor City", "domestic_abuse", "given"),
            // Theft anywhere in the force area: generic support.
            routed("AREA-3", "Millbrook", "theft", "given"),
            // An area nobody covers, and one that does not exist.
            routed("AREA-4", "Atlantis", "theft", "given"),
            // Neither a service nor an area.
            routed("AREA-5", "", "theft", "given"),
        ]
        .join("\n");
        let report = app
            .import_referrals(&sender, file.as_bytes(), false)
            .await
            .expect("import");
        assert_eq!(report.imported, 3, "{}: {:?}", db.engine, report.errors);
        assert!(
            has(&report, 5, Some("area"), "Choose an area from the list"),
            "{}: {:?}",
            db.engine,
            report.errors
        );
        assert!(
            has(&report, 6, Some("service"), "Choose the service"),
            "{}: {:?}",
            db.engine,
            report.errors
        );
        let routed_to: Vec<(String, String)> = sqlx::query_as(
            "SELECT r.sender_reference, s.name FROM referrals r JOIN services s ON s.id = r.service_id
             ORDER BY r.sender_reference",
        )
        .fetch_all(app.db.pool())
        .await
        .expect("routed");
        assert_eq!(
            routed_to,
            vec![
                ("AREA-1".into(), "Ashby Vale domestic abuse support".into()),
                (
                    "AREA-2".into(),
                    "Eastmoor Victim Care: cope and recover".into()
                ),
                (
                    "AREA-3".into(),
                    "Eastmoor Victim Care: cope and recover".into()
                ),
            ],
            "{}",
            db.engine
        );
    }
}

/// Lines are counted the same whether they end `\n` or `\r\n`, and a quote
/// left open is reported where it opened, as an open quote, not as a wrong
/// number of fields on some later line.
#[tokio::test]
async fn lines_are_named_rightly_with_either_line_end_and_an_open_quote_is_named() {
    for db in databases().await {
        let app = demo_app(&db, Settings::default()).await;
        let sender = police(&app).await;
        let header = COLUMNS.join(",");
        for end in ["\n", "\r\n"] {
            let rows = [
                render(&good(&format!("LE{}-2", end.len()))),
                // An address over two lines, quoted: one row on lines 3–4.
                render(&with(
                    good(&format!("LE{}-3", end.len())),
                    "address",
                    &format!("\"1 Long Lane{end}Eastmoor\""),
                )),
                render(&with(
                    good(&format!("LE{}-5", end.len())),
                    "crime_type",
                    "jaywalking",
                )),
            ];
            let file = format!("{header}{end}{}{end}", rows.join(end));
            let report = app
                .import_referrals(&sender, file.as_bytes(), true)
                .await
                .expect("report");
            assert_eq!(report.errors.len(), 1, "{}: {:?}", db.engine, report.errors);
            assert!(
                has(&report, 5, Some("crime_type"), ""),
                "{} {end:?}: {:?}",
                db.engine,
                report.errors
            );
        }
        let rows = [
            render(&good("Q-2")),
            render(&with(good("Q-3"), "address", "\"3 Open Quote Row")),
            render(&good("Q-4")),
            render(&good("Q-5")),
        ];
        let file = format!("{header}\r\n{}\r\n", rows.join("\r\n"));
        let report = app
            .import_referrals(&sender, file.as_bytes(), true)
            .await
            .expect("report");
        assert!(
            has(
                &report,
                3,
                None,
                "a quote opened on this line is never closed, so everything after it, to line 5,"
            ),
            "{}: {:?}",
            db.engine,
            report.errors
        );
        assert_eq!(report.valid, 1, "{}: {:?}", db.engine, report.errors);
    }
}

/// Two rows of one feed about the same new victim (the same name and date
/// of birth) make one person, with both referrals.
#[tokio::test]
async fn one_new_victim_twice_in_a_feed_becomes_one_person() {
    for db in databases().await {
        let app = demo_app(&db, Settings::default()).await;
        let sender = police(&app).await;
        let same = |reference: &str| {
            render(&with(
                with(good(reference), "family_name", "Twicefed"),
                "date_of_birth",
                "04/05/1966",
            ))
        };
        let file = [COLUMNS.join(","), same("TWICE-A"), same("TWICE-B")].join("\n");
        let report = app
            .import_referrals(&sender, file.as_bytes(), false)
            .await
            .expect("import");
        assert_eq!(report.imported, 2, "{}: {:?}", db.engine, report.errors);
        let people: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(DISTINCT person_id) AS BIGINT) FROM referrals WHERE sender_reference LIKE 'TWICE-%'",
        )
        .fetch_one(app.db.pool())
        .await
        .expect("count");
        assert_eq!(people, 1, "{}", db.engine);
    }
}
