//! The command line, run as the built binary.

use app::referrals::PersonChoice;
use std::process::Command;

use app::Settings;

use crate::support::{databases, demo_app};

fn waymark(url: &str, args: &[&str]) -> (bool, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_waymark"))
        .args(args)
        .env("WAYMARK_DATABASE_URL", url)
        .env("WAYMARK_LOG", "error")
        .output()
        .expect("run waymark");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

#[tokio::test]
async fn users_tokens_and_audit_verify_from_the_command_line() {
    for db in databases().await {
        let app = demo_app(&db, Settings::default()).await;
        let (ok, text) = waymark(
            &db.url,
            &[
                "user",
                "add",
                "--username",
                "new.worker@victimcare.example",
                "--name",
                "Nia Worker",
                "--organisation",
                "Eastmoor Victim Care",
                "--service",
                "Eastmoor Victim Care: cope and recover",
                "--role",
                "caseworker",
            ],
        );
        assert!(ok, "{}: {text}", db.engine);
        assert!(text.contains("First password: "), "{text}");
        let (ok, text) = waymark(&db.url, &["user", "list"]);
        assert!(
            ok && text.contains("new.worker@victimcare.example"),
            "{}: {text}",
            db.engine
        );
        let (ok, text) = waymark(
            &db.url,
            &[
                "user",
                "add",
                "--username",
                "bad",
                "--name",
                "",
                "--organisation",
                "Eastmoor Victim Care",
                "--role",
                "caseworker",
            ],
        );
        assert!(!ok, "{}: {text}", db.engine);
        assert!(
            text.contains("username:") && text.contains("display_name:"),
            "errors name the fields: {text}"
        );
        let (ok, text) = waymark(
            &db.url,
            &["user", "disable", "new.worker@victimcare.example"],
        );
        assert!(ok, "{text}");
        let (ok, text) = waymark(
            &db.url,
            &["user", "reset-password", "new.worker@victimcare.example"],
        );
        assert!(ok && text.contains("New password: "), "{text}");

        let (ok, text) = waymark(
            &db.url,
            &[
                "token",
                "create",
                "--name",
                "Police feed",
                "--organisation",
                "Eastmoor Constabulary",
                "--scope",
                "directory:read",
            ],
        );
        assert!(ok, "{}: {text}", db.engine);
        let secret = text
            .lines()
            .find(|l| l.starts_with("wm_"))
            .expect("secret printed");
        assert!(
            app.authenticate_token(secret)
                .await
                .expect("auth")
                .is_some()
        );
        let (ok, text) = waymark(&db.url, &["token", "list"]);
        assert!(
            ok && text.contains("Police feed") && !text.contains(secret),
            "{text}"
        );
        let id = text
            .lines()
            .find(|l| l.contains("Police feed"))
            .and_then(|l| l.split('\t').next())
            .expect("id")
            .to_string();
        let (ok, _) = waymark(&db.url, &["token", "revoke", &id]);
        assert!(ok);
        assert!(
            app.authenticate_token(secret)
                .await
                .expect("auth")
                .is_none(),
            "{}: revoked",
            db.engine
        );

        let (ok, text) = waymark(&db.url, &["audit", "verify"]);
        assert!(ok && text.contains("intact"), "{}: {text}", db.engine);
        sqlx::query("UPDATE audit_events SET actor_label = 'someone else' WHERE seq = 4")
            .execute(app.db.pool())
            .await
            .expect("tamper");
        let (ok, text) = waymark(&db.url, &["audit", "verify"]);
        assert!(!ok, "{}: a broken chain fails", db.engine);
        assert!(
            text.contains("event 4"),
            "{}: names the event: {text}",
            db.engine
        );
    }
}

#[tokio::test]
async fn bank_holiday_changes_load_from_a_file_all_or_nothing() {
    for db in databases().await {
        let app = demo_app(&db, Settings::default()).await;
        let dir = tempfile::tempdir().expect("dir");
        let bad = dir.path().join("bad.csv");
        std::fs::write(
            &bad,
            "england_and_wales,2031-06-02,add,A one-off day\nwales,2031-06-03,add,Nope\n",
        )
        .expect("write");
        let (ok, text) = waymark(
            &db.url,
            &["calendar", "import", bad.to_str().expect("path")],
        );
        assert!(!ok, "{}: {text}", db.engine);
        assert!(
            text.contains("line 2, column 1"),
            "{}: names the line: {text}",
            db.engine
        );
        let day: jiff::civil::Date = "2031-06-02".parse().expect("date");
        let calendar = app
            .calendar(domain::calendar::Nation::EnglandAndWales)
            .await
            .expect("calendar");
        assert!(
            calendar.is_working_day(day),
            "{}: nothing loaded from a bad file",
            db.engine
        );

        let good = dir.path().join("good.csv");
        std::fs::write(
            &good,
            "# announced\nengland_and_wales,2031-06-02,add,A one-off day\n",
        )
        .expect("write");
        let (ok, text) = waymark(
            &db.url,
            &["calendar", "import", good.to_str().expect("path")],
        );
        assert!(ok && text.contains("Loaded 1"), "{}: {text}", db.engine);
        let calendar = app
            .calendar(domain::calendar::Nation::EnglandAndWales)
            .await
            .expect("calendar");
        assert!(
            !calendar.is_working_day(day),
            "{}: the new holiday counts",
            db.engine
        );
    }
}

#[tokio::test]
async fn the_moj_return_is_written_from_the_command_line() {
    let db = &databases().await[0];
    let app = demo_app(db, Settings::default()).await;
    let cli = app::command_line_actor();
    let services = app.services(&cli).await.expect("services");
    let service = services
        .iter()
        .find(|s| s.name.starts_with("Eastmoor Victim Care"))
        .expect("service");
    let input = app::referrals::ReferralInput {
        service_id: service.id.clone(),
        source: "police".into(),
        crime_type: "theft".into(),
        consent: "given".into(),
        person: app::people::PersonInput {
            given_name: "Cli".into(),
            family_name: "Counted".into(),
            ..Default::default()
        },
        ..Default::default()
    };
    app.take_referral(&cli, &input, &PersonChoice::sender())
        .await
        .expect("referral");
    let today = app.today().to_string();
    let dir = tempfile::tempdir().expect("dir");
    // Protected, as for a commissioner: only one ended reporting period,
    // and one service.
    let (ok, text) = waymark(
        &db.url,
        &[
            "report",
            "moj",
            "--from",
            &today,
            "--to",
            &today,
            "--service",
            &service.name,
            "--output",
            "x",
        ],
    );
    assert!(!ok && text.contains("--from"), "{text}");
    let (from, to) = domain::disclosure::ReportingPeriods::of_months(3)
        .expect("quarters")
        .before(app.reporting_day());
    let (from, to) = (from.to_string(), to.to_string());
    let (ok, text) = waymark(
        &db.url,
        &[
            "report", "moj", "--from", &from, "--to", &to, "--output", "x",
        ],
    );
    assert!(!ok && text.contains("--service"), "{text}");
    for format in ["csv", "xlsx", "html"] {
        let out = dir.path().join(format!("return.{format}"));
        let (ok, text) = waymark(
            &db.url,
            &[
                "report",
                "moj",
                "--from",
                &from,
                "--to",
                &to,
                "--service",
                &service.name,
                "--format",
                format,
                "--output",
                out.to_str().expect("path"),
            ],
        );
        assert!(ok, "{format}: {text}");
        let bytes = std::fs::read(&out).expect("written");
        match format {
            "csv" => assert!(
                String::from_utf8_lossy(&bytes).contains("Summary,Referrals received,Number,0"),
                "the ended quarter, protected by default"
            ),
            "xlsx" => assert_eq!(&bytes[..2], b"PK"),
            _ => assert!(
                String::from_utf8_lossy(&bytes)
                    .contains("<caption>Victims' Code compliance</caption>")
            ),
        }
    }
    let out = dir.path().join("open.csv");
    let (ok, _) = waymark(
        &db.url,
        &[
            "report",
            "moj",
            "--from",
            &today,
            "--to",
            &today,
            "--format",
            "csv",
            "--output",
            out.to_str().expect("path"),
            "--unsuppressed",
        ],
    );
    assert!(ok);
    assert!(
        std::fs::read_to_string(&out)
            .expect("csv")
            .contains("Summary,Referrals received,Number,1")
    );
    let (ok, text) = waymark(
        &db.url,
        &[
            "report",
            "moj",
            "--from",
            "2026-13-01",
            "--to",
            &today,
            "--output",
            "x",
        ],
    );
    assert!(!ok && text.contains("--from"), "{text}");
    let (ok, text) = waymark(
        &db.url,
        &[
            "report", "moj", "--from", &today, "--to", &today, "--format", "pdf", "--output", "x",
        ],
    );
    assert!(!ok && text.contains("--format"), "{text}");
}

#[tokio::test]
async fn victims_code_clock_lengths_are_configurable() {
    for db in databases().await {
        let app = demo_app(&db, Settings::default()).await;
        let (ok, text) = waymark(
            &db.url,
            &["clocks", "set", "first_contact", "--working-days", "1"],
        );
        assert!(
            ok && text.contains("first_contact\tFirst contact by the service: 1 working days"),
            "{}: {text}",
            db.engine
        );
        let (ok, text) = waymark(
            &db.url,
            &["clocks", "set", "first_call", "--working-days", "99"],
        );
        assert!(
            !ok && text.contains("is not a clock") && text.contains("from 0 to 60"),
            "{}: {text}",
            db.engine
        );
        // A referral received on Friday 20 November 2026 is now due first contact on Monday 23rd.
        let cli = app::command_line_actor();
        let services = app.services(&cli).await.expect("services");
        let input = app::referrals::ReferralInput {
            service_id: services[0].id.clone(),
            source: "police".into(),
            crime_type: "theft".into(),
            consent: "given".into(),
            received_at: "2026-11-20T10:00:00Z".into(),
            person: app::people::PersonInput {
                given_name: "Clock".into(),
                family_name: "Tested".into(),
                ..Default::default()
            },
            ..Default::default()
        };
        let referral = app
            .take_referral(&cli, &input, &PersonChoice::sender())
            .await
            .expect("referral")
            .referral;
        assert_eq!(referral.contact_due_on, "2026-11-23", "{}", db.engine);
        assert_eq!(
            referral.information_due_on, "2026-11-27",
            "{}: unchanged clocks keep their length",
            db.engine
        );
    }
}

#[tokio::test]
async fn crime_types_and_their_consent_rules_are_configurable() {
    for db in databases().await {
        let app = demo_app(&db, Settings::default()).await;
        let (ok, text) = waymark(
            &db.url,
            &[
                "crime-types",
                "set",
                "coercive_control",
                "--label",
                "Coercive control",
                "--consent",
                "opt-in",
            ],
        );
        assert!(
            ok && text.contains("coercive_control\tCoercive control\topt-in"),
            "{}: {text}",
            db.engine
        );
        let (ok, text) = waymark(
            &db.url,
            &[
                "crime-types",
                "set",
                "Bad Code",
                "--label",
                "",
                "--consent",
                "maybe",
            ],
        );
        assert!(
            !ok && text.contains("code:") && text.contains("label:") && text.contains("consent:"),
            "{}: {text}",
            db.engine
        );
        // The new type's rule applies at once: without consent it is refused.
        let cli = app::command_line_actor();
        let services = app.services(&cli).await.expect("services");
        let mut input = app::referrals::ReferralInput {
            service_id: services[0].id.clone(),
            source: "police".into(),
            crime_type: "coercive_control".into(),
            consent: "not_asked".into(),
            person: app::people::PersonInput {
                given_name: "Type".into(),
                family_name: "Tested".into(),
                ..Default::default()
            },
            ..Default::default()
        };
        assert!(
            app.take_referral(&cli, &input, &PersonChoice::sender())
                .await
                .is_err(),
            "{}: opt-in needs consent",
            db.engine
        );
        input.consent = "given".into();
        app.take_referral(&cli, &input, &PersonChoice::sender())
            .await
            .expect("with consent");
        let (ok, text) = waymark(&db.url, &["crime-types", "retire", "coercive_control"]);
        assert!(
            ok && !text.contains("coercive_control"),
            "{}: {text}",
            db.engine
        );
        assert!(
            app.take_referral(&cli, &input, &PersonChoice::sender())
                .await
                .is_err(),
            "{}: a retired type is not offered",
            db.engine
        );
    }
}

#[tokio::test]
async fn serve_refuses_an_unmigrated_database() {
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}", dir.path().join("empty.sqlite").display());
    let (ok, text) = waymark(&url, &["serve", "--listen", "127.0.0.1:0"]);
    assert!(!ok);
    assert!(text.contains("waymark migrate"), "{text}");
    let (ok, text) = waymark(&url, &["migrate"]);
    assert!(ok, "{text}");
    let (ok, text) = waymark(&url, &["--help"]);
    assert!(
        ok && text.contains("WAYMARK_DATABASE_URL")
            && text.contains("WAYMARK_DATA_DIR")
            && text.contains("WAYMARK_LISTEN"),
        "{text}"
    );
}

#[tokio::test]
async fn a_backup_taken_while_people_write_restores_checked_and_never_overwrites_by_accident() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    for db in databases().await {
        let engine = db.engine;
        let app = demo_app(&db, Settings::default()).await;
        let stop = Arc::new(AtomicBool::new(false));
        let writer = {
            let (app, stop) = (app.clone(), stop.clone());
            tokio::spawn(async move {
                let mut written = 0;
                while !stop.load(Ordering::Relaxed) || written < 5 {
                    crate::support::a_referral(&app)
                        .about("Bea", &format!("Backup{written:04}"))
                        .taken()
                        .await;
                    written += 1;
                }
                written
            })
        };
        let folder = tempfile::tempdir().expect("folder");
        let file = folder.path().join("waymark.backup");
        let file_text = file.display().to_string();
        let url = db.url.clone();
        let (ok, text) = {
            let file_text = file_text.clone();
            tokio::task::spawn_blocking(move || waymark(&url, &["backup", &file_text]))
                .await
                .expect("backup")
        };
        stop.store(true, Ordering::Relaxed);
        let written = writer.await.expect("writer");
        assert!(ok, "{engine}: {text}");
        assert!(text.contains("audit log is intact"), "{engine}: {text}");
        assert!(written >= 5, "{engine}: writes went on");
        assert!(file.exists(), "{engine}");
        let (ok, text) = waymark(&db.url, &["backup", &file_text]);
        assert!(!ok && text.contains("already exists"), "{engine}: {text}");

        // Restored into a new database: checked, whole, and its chain verifies.
        let target = match engine {
            "sqlite" => format!(
                "sqlite://{}",
                folder.path().join("restored.sqlite").display()
            ),
            _ => {
                let admin = std::env::var("TEST_DATABASE_URL").expect("admin url");
                let name = format!("waymark_restored_{}", uuid::Uuid::now_v7().simple());
                let server = store::Db::connect(&admin).await.expect("server");
                server.create_database(&name).await.expect("create");
                server.close().await;
                let base = admin.rsplit_once('/').expect("a database in the url").0;
                format!("{base}/{name}")
            }
        };
        let (ok, text) = waymark(&target, &["restore", &file_text]);
        assert!(ok, "{engine}: {text}");
        let (ok, text) = waymark(&target, &["audit", "verify"]);
        assert!(ok && text.contains("intact"), "{engine}: {text}");
        let restored = store::Db::connect(&target).await.expect("restored");
        let held: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM referrals r JOIN people p ON p.id = r.person_id
             WHERE p.family_name LIKE 'Backup%'",
        )
        .fetch_one(restored.pool())
        .await
        .expect("count");
        restored.close().await;
        assert!(held <= written as i64, "{engine}: {held} of {written}");
        // A database that holds data is not overwritten unless asked.
        let (ok, text) = waymark(&target, &["restore", &file_text]);
        assert!(!ok && text.contains("--replace"), "{engine}: {text}");
        let (ok, text) = waymark(&target, &["restore", "--replace", &file_text]);
        assert!(ok, "{engine}: {text}");
    }
}

#[tokio::test]
async fn a_restore_refuses_a_database_a_running_server_holds() {
    let db = databases().await.remove(0);
    let app = demo_app(&db, Settings::default()).await;
    let folder = tempfile::tempdir().expect("folder");
    let file = folder.path().join("held.backup");
    let file_text = file.display().to_string();
    let (ok, text) = waymark(&db.url, &["backup", &file_text]);
    assert!(ok, "{text}");
    app.db.close().await;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let listen = format!("127.0.0.1:{port}");
    let mut server = Command::new(env!("CARGO_BIN_EXE_waymark"))
        .args(["serve", "--dev-http", "--listen", &listen])
        .env("WAYMARK_DATABASE_URL", &db.url)
        .env("WAYMARK_LOG", "error")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("serve");
    // The server holds its lock before it listens.
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(&listen).await.is_ok() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let refused = waymark(&db.url, &["restore", "--replace", &file_text]);
    let _ = server.kill();
    let _ = server.wait();
    assert!(
        !refused.0 && refused.1.contains("in use by a server"),
        "{}",
        refused.1
    );
    // Stopped, the same restore goes ahead.
    let (ok, text) = waymark(&db.url, &["restore", "--replace", &file_text]);
    assert!(ok, "{text}");
}

/// An import with more problems than are printed writes every one of them,
/// in line order, to the file `--errors` names.
#[tokio::test]
async fn every_import_problem_is_written_to_the_errors_file() {
    let db = &databases().await[0];
    let app = demo_app(db, Settings::default()).await;
    app.db.close().await;
    let dir = tempfile::tempdir().expect("dir");
    let columns = app::import::COLUMNS;
    let mut file = columns.join(",") + "\r\n";
    for i in 0..250 {
        let row: Vec<String> = columns
            .iter()
            .map(|c| match *c {
                "service" => "Eastmoor Victim Care: cope and recover".to_string(),
                "police_reference" => format!("ERR-{i}"),
                "crime_type" => "nonsense".to_string(),
                "consent" => "given".to_string(),
                "given_name" | "family_name" => "Row".to_string(),
                _ => String::new(),
            })
            .collect();
        file.push_str(&(row.join(",") + "\r\n"));
    }
    let feed = dir.path().join("feed.csv");
    std::fs::write(&feed, file).expect("write");
    let written = dir.path().join("problems.csv");
    let (ok, text) = waymark(
        &db.url,
        &[
            "import",
            "referrals",
            feed.to_str().expect("path"),
            "--sender",
            "Eastmoor Constabulary",
            "--dry-run",
            "--errors",
            written.to_str().expect("path"),
        ],
    );
    assert!(!ok, "{text}");
    assert!(text.contains("… and 50 more problems"), "{text}");
    assert!(text.contains("250 problems written to"), "{text}");
    let problems = std::fs::read_to_string(&written).expect("errors file");
    let lines: Vec<&str> = problems.lines().collect();
    assert_eq!(lines.len(), 251);
    assert_eq!(lines[0], "line,column,message");
    assert!(lines[1].starts_with("2,crime_type,"), "{}", lines[1]);
    assert!(lines[250].starts_with("251,crime_type,"), "{}", lines[250]);
}

#[tokio::test]
async fn risk_templates_import_from_a_file_all_or_nothing_and_bands_are_set() {
    for db in databases().await {
        let engine = db.engine;
        let _app = demo_app(&db, Settings::default()).await;
        let dir = tempfile::tempdir().expect("dir");
        let bad = dir.path().join("bad.txt");
        std::fs::write(
            &bad,
            "template: stalking\nversion: 2\nname: Licensed screen\nscoring: count-yes\nband: medium 1\nquestion: a | First?\nquestion: a | Again?\n",
        )
        .expect("write");
        let (ok, text) = waymark(
            &db.url,
            &["templates", "import", bad.to_str().expect("path")],
        );
        assert!(!ok, "{engine}: {text}");
        assert!(
            text.contains("Line 7: the id a is used already on line 6"),
            "{engine}: {text}"
        );
        assert!(
            text.contains("the first band starts from 0"),
            "{engine}: {text}"
        );
        let (_, listed) = waymark(&db.url, &["templates", "list"]);
        assert!(
            listed.contains("stalking version 1"),
            "{engine}: nothing imported: {listed}"
        );

        let good = dir.path().join("good.txt");
        std::fs::write(
            &good,
            "template: stalking\nversion: 2\nname: Licensed screen\nscoring: count-yes\nband: standard 0\nband: high 2\nquestion: a | First?\nquestion: b | Second?\n",
        )
        .expect("write");
        let (ok, text) = waymark(
            &db.url,
            &["templates", "import", good.to_str().expect("path")],
        );
        assert!(ok, "{engine}: {text}");
        let (_, listed) = waymark(&db.url, &["templates", "list"]);
        assert!(
            listed.contains("stalking version 2: Licensed screen"),
            "{engine}: {listed}"
        );

        let (ok, text) = waymark(
            &db.url,
            &[
                "templates",
                "bands",
                "--service",
                "Eastmoor Victim Care: cope and recover",
                "--template",
                "dash",
                "standard 0, high 12",
            ],
        );
        assert!(ok, "{engine}: {text}");
        assert!(text.contains("standard 0, high 12"), "{engine}: {text}");
        let (ok, text) = waymark(
            &db.url,
            &[
                "templates",
                "bands",
                "--service",
                "Eastmoor Victim Care: cope and recover",
                "--template",
                "dash",
                "high 12",
            ],
        );
        assert!(
            !ok && text.contains("first band starts from 0"),
            "{engine}: {text}"
        );
    }
}

#[tokio::test]
async fn a_marac_is_set_up_and_its_meetings_scheduled_from_the_command_line() {
    for db in databases().await {
        let engine = db.engine;
        let app = demo_app(&db, Settings::default()).await;
        let (ok, text) = waymark(
            &db.url,
            &[
                "marac",
                "create",
                "--name",
                "Millbrook MARAC",
                "--area",
                "Millbrook",
                "--agency",
                "Millbrook Police=police",
                "--agency",
                "Millbrook Schools=education",
            ],
        );
        assert!(ok, "{engine}: {text}");
        let next = app.today().saturating_add(jiff::Span::new().days(10));
        let on = format!("{}/{}/{}", next.day(), next.month(), next.year());
        let (ok, text) = waymark(&db.url, &["marac", "meeting", "Millbrook MARAC", &on]);
        assert!(ok, "{engine}: {text}");
        let (ok, text) = waymark(
            &db.url,
            &["marac", "meeting", "Millbrook MARAC", "1/1/2020"],
        );
        assert!(!ok && text.contains("in the past"), "{engine}: {text}");
        let (ok, text) = waymark(
            &db.url,
            &[
                "marac",
                "create",
                "--name",
                "Bad",
                "--area",
                "Millbrook",
                "--agency",
                "Somebody=gossip",
            ],
        );
        assert!(
            !ok && text.contains("not a kind of agency"),
            "{engine}: {text}"
        );
        let (_, listed) = waymark(&db.url, &["marac", "list"]);
        assert!(
            listed.contains("Millbrook MARAC (Millbrook)"),
            "{engine}: {listed}"
        );
        assert!(
            listed.contains(&format!("meets {next}")),
            "{engine}: {listed}"
        );
        assert!(!listed.contains("Bad"), "{engine}: nothing half-made");
    }
}
