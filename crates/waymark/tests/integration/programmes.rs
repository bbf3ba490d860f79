//! Programmes: set up with their period and baseline, call-outs recorded
//! and corrected by the delivering service's workers with every refusal
//! named, repeat call-outs, and the evaluation against a baseline of
//! aggregate figures, protected for the service's commissioner.

use app::programmes::{CallOutInput, Programme, ProgrammeInput};
use app::{App, AppError, Settings, command_line_actor};
use jiff::ToSpan;

use crate::support::{actor_of, databases, demo_app};

fn fields(result: app::Result<impl std::fmt::Debug>) -> Vec<String> {
    match result {
        Err(AppError::Invalid(errors)) => errors.0.into_iter().map(|e| e.field).collect(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// The pilot started 60 days ago and runs for a year; its baseline is the
/// year before.
fn car(app: &App) -> ProgrammeInput {
    let starts = app.today().saturating_sub(60.days());
    ProgrammeInput {
        name: "Partnership car".into(),
        service: "City IDVA service".into(),
        starts_on: starts.to_string(),
        ends_on: starts.saturating_add(1.year()).to_string(),
        baseline_from: starts.saturating_sub(1.year()).to_string(),
        baseline_to: starts.saturating_sub(1.day()).to_string(),
        funding: "£47,013".into(),
        funding_source: "Community Safety Grant".into(),
        partners: vec!["County Council: lead commissioner".into()],
    }
}

/// A call-out on the day so many days into the pilot, at 21:30.
fn call_out(app: &App, day: i64, given: &str, family: &str) -> CallOutInput {
    CallOutInput {
        day: app
            .today()
            .saturating_sub(60.days())
            .saturating_add(day.days())
            .to_string(),
        time: "21:30".into(),
        incident_reference: format!("EM-{day}"),
        area: "Eastmoor City".into(),
        given_name: given.into(),
        family_name: family.into(),
        date_of_birth: "1990-02-03".into(),
        joint_attendance: true,
        ..CallOutInput::default()
    }
}

async fn set_up(app: &App) -> Programme {
    app.create_programme(&command_line_actor(), &car(app))
        .await
        .expect("programme")
}

#[tokio::test]
async fn a_programme_is_set_up_by_an_administrator_and_refused_by_field() {
    for db in databases().await {
        let engine = db.engine;
        let app = demo_app(&db, Settings::default()).await;
        let cli = command_line_actor();
        let bad = ProgrammeInput {
            name: " ".into(),
            service: "City IDVA service".into(),
            starts_on: "2026-05-01".into(),
            ends_on: "2026-04-01".into(),
            baseline_from: "2026-01-01".into(),
            baseline_to: "2026-06-01".into(),
            funding: "lots".into(),
            partners: vec!["County Council".into()],
            ..ProgrammeInput::default()
        };
        let refused = fields(app.create_programme(&cli, &bad).await);
        for field in ["name", "ends_on", "baseline_to", "funding", "partners"] {
            assert!(
                refused.contains(&field.to_string()),
                "{engine}: {field} in {refused:?}"
            );
        }
        let manager = actor_of(&app, "manager@cityadvocacy.example").await;
        assert!(
            matches!(
                app.create_programme(&manager, &car(&app)).await,
                Err(AppError::Forbidden)
            ),
            "{engine}: a service manager does not set programmes up"
        );
        let programme = set_up(&app).await;
        assert_eq!(programme.funding_pence, 4_701_300, "{engine}");
        assert_eq!(
            fields(app.create_programme(&cli, &car(&app)).await),
            vec!["name".to_string()],
            "{engine}: the name is taken"
        );

        // Corrected by an administrator: never leaving a call-out outside
        // the period; the audit keeps before and after.
        let idva = actor_of(&app, "idva@cityadvocacy.example").await;
        app.record_call_out(&idva, &programme.id, &call_out(&app, 20, "Dee", "Vane"))
            .await
            .expect("call-out");
        let later_start = ProgrammeInput {
            starts_on: app.today().saturating_sub(30.days()).to_string(),
            ..car(&app)
        };
        assert_eq!(
            fields(
                app.correct_programme(&cli, &programme.id, &later_start)
                    .await
            ),
            vec!["starts_on".to_string()],
            "{engine}: the call-out on day 20 would be outside"
        );
        assert!(
            matches!(
                app.correct_programme(&manager, &programme.id, &car(&app))
                    .await,
                Err(AppError::Forbidden)
            ),
            "{engine}"
        );
        let renamed = ProgrammeInput {
            name: "Partnership car (pilot)".into(),
            funding: "50,000".into(),
            partners: vec!["Eastmoor Constabulary: police officer on the car".into()],
            ..car(&app)
        };
        let saved = app
            .correct_programme(&cli, &programme.id, &renamed)
            .await
            .expect("corrected");
        assert_eq!(saved.funding_pence, 5_000_000, "{engine}");
        let (_, partners) = app
            .programme_to_correct(&cli, &programme.id)
            .await
            .expect("read");
        assert_eq!(partners.len(), 1, "{engine}: the partners replaced");
        let logged: String = sqlx::query_scalar(
            "SELECT COALESCE(before_json, '') FROM audit_events WHERE action = 'programme.corrected'",
        )
        .fetch_one(app.db.pool())
        .await
        .expect("event");
        assert!(logged.contains("County Council"), "{engine}: {logged}");
    }
}

#[tokio::test]
async fn call_outs_are_refused_by_field_corrected_and_counted_with_repeats() {
    for db in databases().await {
        let engine = db.engine;
        let app = demo_app(&db, Settings::default()).await;
        let programme = set_up(&app).await;
        let idva = actor_of(&app, "idva@cityadvocacy.example").await;
        let outsider = actor_of(&app, "caseworker@victimcare.example").await;

        // Each refusal names its field, and nothing is written.
        let before_start = call_out(&app, -1, "Ann", "Marsh");
        assert_eq!(
            fields(
                app.record_call_out(&idva, &programme.id, &before_start)
                    .await
            ),
            vec!["day".to_string()],
            "{engine}: outside the programme's period"
        );
        let tomorrow = CallOutInput {
            day: app.today().saturating_add(1.day()).to_string(),
            ..call_out(&app, 0, "Ann", "Marsh")
        };
        assert_eq!(
            fields(app.record_call_out(&idva, &programme.id, &tomorrow).await),
            vec!["time".to_string()],
            "{engine}: in the future"
        );
        let muddled = CallOutInput {
            incident_reference: String::new(),
            area: "Atlantis".into(),
            dash_done: true,
            protection_granted: true,
            justice_outcome: "acquitted".into(),
            ..call_out(&app, 1, "Ann", "Marsh")
        };
        let refused = fields(app.record_call_out(&idva, &programme.id, &muddled).await);
        for field in [
            "incident_reference",
            "area",
            "dash_level",
            "protection_granted",
            "justice_outcome",
        ] {
            assert!(
                refused.contains(&field.to_string()),
                "{engine}: {field} in {refused:?}"
            );
        }
        let level_alone = CallOutInput {
            dash_level: "high".into(),
            ..call_out(&app, 1, "Ann", "Marsh")
        };
        assert_eq!(
            fields(
                app.record_call_out(&idva, &programme.id, &level_alone)
                    .await
            ),
            vec!["dash_level".to_string()],
            "{engine}"
        );
        assert!(
            matches!(
                app.record_call_out(&outsider, &programme.id, &call_out(&app, 1, "Ann", "Marsh"))
                    .await,
                Err(AppError::NotFound)
            ),
            "{engine}: another service's worker"
        );

        // Ann twice (the second a repeat), Bea once.
        let first = app
            .record_call_out(
                &idva,
                &programme.id,
                &CallOutInput {
                    dash_done: true,
                    dash_level: "high".into(),
                    engaged: true,
                    arrest: true,
                    ..call_out(&app, 1, "Ann", "Marsh")
                },
            )
            .await
            .expect("first");
        let again = app
            .record_call_out(&idva, &programme.id, &call_out(&app, 10, "Ann", "Marsh"))
            .await
            .expect("again");
        assert_eq!(
            again.person_id, first.person_id,
            "{engine}: surely the same victim"
        );
        app.record_call_out(&idva, &programme.id, &call_out(&app, 5, "Bea", "Quill"))
            .await
            .expect("bea");

        // The outcome added later: convicted.
        let later = CallOutInput {
            dash_done: true,
            dash_level: "high".into(),
            engaged: true,
            arrest: true,
            justice_outcome: "convicted".into(),
            ..call_out(&app, 1, "Someone", "Else")
        };
        app.correct_call_out(&idva, &programme.id, &first.id, &later)
            .await
            .expect("corrected");
        let (_, corrected) = app
            .call_out_to_correct(&idva, &programme.id, &first.id)
            .await
            .expect("read")
            .into_inner();
        assert_eq!(corrected.justice_outcome, "convicted", "{engine}");
        assert_eq!(
            (corrected.given_name.as_str(), corrected.person_id.as_str()),
            ("Ann", first.person_id.as_str()),
            "{engine}: the victim stays"
        );
        assert_eq!(
            fields(
                app.correct_call_out(&idva, &programme.id, &first.id, &before_start)
                    .await
            ),
            vec!["day".to_string()],
            "{engine}: a correction is checked the same"
        );

        let e = app
            .programme_evaluation(&idva, &programme.id)
            .await
            .expect("evaluation");
        let figure = |table: &str, row: &str, column: usize| {
            e.report.figure(table, row, column).unwrap_or_default()
        };
        assert_eq!(figure("programme-counts", "Call-outs", 0), "3", "{engine}");
        assert_eq!(
            figure(
                "programme-counts",
                "Repeat call-outs (the same victim within 12 months)",
                0
            ),
            "1",
            "{engine}"
        );
        assert_eq!(figure("programme-counts", "Convicted", 0), "1", "{engine}");
        assert_eq!(
            figure("programme-counts", "Call-outs", 1),
            "–",
            "{engine}: no baseline yet"
        );
        assert_eq!(
            figure("programme-rates", "Arrest made", 0),
            "33%",
            "{engine}"
        );

        let listed = app
            .programme(&idva, &programme.id, &app::paging::ListRequest::default())
            .await
            .expect("programme")
            .into_inner();
        assert_eq!(listed.call_outs.total, 3, "{engine}");
        assert!(
            matches!(
                app.programme(
                    &outsider,
                    &programme.id,
                    &app::paging::ListRequest::default()
                )
                .await,
                Err(AppError::NotFound)
            ),
            "{engine}"
        );
        let listings: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_events WHERE action = 'programme.call_outs_viewed'",
        )
        .fetch_one(app.db.pool())
        .await
        .expect("count");
        assert_eq!(
            listings, 1,
            "{engine}: the call-outs' page is audited, a refusal not"
        );
        let viewed: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_events WHERE action = 'programme.call_out_viewed'",
        )
        .fetch_one(app.db.pool())
        .await
        .expect("count");
        assert_eq!(viewed, 1, "{engine}: opening a call-out is audited");
        let logged: String = sqlx::query_scalar(
            "SELECT COALESCE(after_json, '') FROM audit_events WHERE action = 'programme.call_out_corrected'",
        )
        .fetch_one(app.db.pool())
        .await
        .expect("event");
        assert!(
            logged.contains("convicted") && !logged.contains("Ann"),
            "{engine}: {logged}"
        );
    }
}

#[tokio::test]
async fn the_evaluation_compares_the_baseline_and_is_protected_for_the_commissioner() {
    for db in databases().await {
        let engine = db.engine;
        // Monthly reporting periods: the commissioner sees last month's.
        let app = demo_app(
            &db,
            Settings {
                report_periods: domain::disclosure::ReportingPeriods::of_months(1).expect("months"),
                ..Settings::default()
            },
        )
        .await;
        let programme = set_up(&app).await;
        let idva = actor_of(&app, "idva@cityadvocacy.example").await;
        let manager = actor_of(&app, "manager@cityadvocacy.example").await;

        // A bad file is refused whole, every problem with its line.
        let refused = app
            .import_baseline(
                &manager,
                &programme.id,
                "measure,count\r\ncall_outs,20\r\nengagd,4\r\narrest,30\r\n",
            )
            .await;
        let Err(AppError::Invalid(errors)) = refused else {
            panic!("{engine}: refused");
        };
        let said = errors.get("baseline").unwrap_or_default().to_string();
        assert!(
            said.contains("Line 3") && said.contains("Line 4"),
            "{engine}: {said}"
        );
        assert!(
            matches!(
                app.import_baseline(&idva, &programme.id, "measure,count\ncall_outs,20\n")
                    .await,
                Err(AppError::NotFound)
            ),
            "{engine}: a caseworker does not import it"
        );
        app.import_baseline(
            &manager,
            &programme.id,
            "measure,count\ncall_outs,20\nengaged,4\narrest,3\n",
        )
        .await
        .expect("baseline");

        // Seven call-outs last month (or from the pilot's first day), all
        // engaged, two with an arrest.
        let last_month = app.settings.report_periods.before(app.reporting_day()).0;
        let starts = app.today().saturating_sub(60.days());
        let first = i64::from((last_month.max(starts) - starts).get_days());
        for n in first..first + 7 {
            app.record_call_out(
                &idva,
                &programme.id,
                &CallOutInput {
                    engaged: true,
                    arrest: n < first + 2,
                    ..call_out(&app, n, "Cara", &format!("Rowe{n}"))
                },
            )
            .await
            .expect("call-out");
        }
        let show = |e: &app::programmes::Evaluation, table: &str, row: &str, column: usize| {
            e.report.figure(table, row, column).unwrap_or_default()
        };
        // And one today: in the staff's count, not yet in the commissioner's,
        // who sees reporting periods that have ended.
        app.record_call_out(
            &idva,
            &programme.id,
            &CallOutInput {
                time: "00:00".into(),
                engaged: true,
                ..call_out(&app, 60, "Cara", "Today")
            },
        )
        .await
        .expect("today's call-out");
        let staff = app
            .programme_evaluation(&idva, &programme.id)
            .await
            .expect("staff");
        assert_eq!(
            show(&staff, "programme-counts", "Call-outs", 0),
            "8",
            "{engine}"
        );
        assert_eq!(
            show(&staff, "programme-rates", "Victim engaged with support", 0),
            "100%",
            "{engine}"
        );
        assert_eq!(
            show(&staff, "programme-rates", "Victim engaged with support", 1),
            "20%",
            "{engine}"
        );
        assert_eq!(
            show(&staff, "programme-rates", "Victim engaged with support", 2),
            "up 80",
            "{engine}"
        );
        assert_eq!(
            show(&staff, "programme-counts", "Arrest made", 0),
            "2",
            "{engine}"
        );
        assert_eq!(
            show(&staff, "programme-counts", "Safety plan made", 1),
            "–",
            "{engine}: not given"
        );

        let services = app.services(&command_line_actor()).await.expect("services");
        let city = services
            .iter()
            .find(|s| s.name == "City IDVA service")
            .expect("city");
        let reader =
            crate::support::commissioner(city.commissioner_id.as_deref().expect("commissioned"));
        let protected = app
            .programme_evaluation(&reader, &programme.id)
            .await
            .expect("commissioner");
        assert!(protected.report.suppressed, "{engine}");
        assert_eq!(
            show(&protected, "programme-counts", "Call-outs", 0),
            "5",
            "{engine}: 7 rounded"
        );
        assert_eq!(
            show(&protected, "programme-counts", "Arrest made", 0),
            "<5",
            "{engine}"
        );
        assert_eq!(
            show(&protected, "programme-counts", "Arrest made", 1),
            "<5",
            "{engine}"
        );
        // A share beside a hidden count is not shown, nor its change.
        assert_eq!(
            show(&protected, "programme-rates", "Arrest made", 0),
            "–",
            "{engine}"
        );
        assert_eq!(
            show(&protected, "programme-rates", "Arrest made", 2),
            "–",
            "{engine}"
        );
        assert!(
            protected
                .rates
                .iter()
                .all(|r| r.label != "Arrest made" || r.pilot.is_none()),
            "{engine}: no bar for a share not shown"
        );
        // Kept as first shown: three more call-outs in the period, recorded
        // late, change the staff's count but not the commissioner's.
        assert!(protected.report.frozen_at.is_some(), "{engine}");
        for n in first + 7..first + 10 {
            app.record_call_out(
                &idva,
                &programme.id,
                &call_out(&app, n, "Cara", &format!("Late{n}")),
            )
            .await
            .expect("late call-out");
        }
        let again = app
            .programme_evaluation(&reader, &programme.id)
            .await
            .expect("again");
        assert_eq!(
            show(&again, "programme-counts", "Call-outs", 0),
            "5",
            "{engine}: as kept, not 10"
        );
        assert_eq!(again.report.frozen_at, protected.report.frozen_at);
        let csv = protected.report.to_csv();
        assert!(csv.contains("<5") && !csv.contains("Rowe"), "{engine}");
        assert!(
            !protected.report.to_xlsx().expect("xlsx").is_empty(),
            "{engine}"
        );
        let elsewhere = crate::support::commissioner("someone-else");
        assert!(
            matches!(
                app.programme_evaluation(&elsewhere, &programme.id).await,
                Err(AppError::NotFound)
            ),
            "{engine}: a commissioner of other services"
        );
        assert!(
            app.programmes(&elsewhere).await.expect("list").is_empty(),
            "{engine}"
        );
    }
}
