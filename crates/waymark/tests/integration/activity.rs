//! Recorded activity: time recorded by the worker who spent it, never a
//! day to come nor over 24 hours a day; corrected with the log keeping
//! what it said; reported by area and funder with shares adding up to
//! exactly 100%, and by worker except to commissioners.

use app::activity::ActivityInput;
use app::{App, AppError, Settings, command_line_actor};

use crate::support::{actor_of, databases, demo_app, victim_care_and_its_commissioner};

fn fields(result: app::Result<impl std::fmt::Debug>) -> Vec<String> {
    match result {
        Err(AppError::Invalid(errors)) => errors.0.into_iter().map(|e| e.field).collect(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

async fn areas(app: &App) -> (String, String) {
    let all = app.areas(&command_line_actor()).await.expect("areas");
    let id = |name: &str| all.iter().find(|a| a.name == name).expect(name).id.clone();
    (id("Eastmoor City"), id("Ashby Vale"))
}

#[tokio::test]
async fn time_is_recorded_within_a_day_corrected_and_split_into_shares_of_exactly_100() {
    for db in databases().await {
        let engine = db.engine;
        let app = demo_app(&db, Settings::default()).await;
        let (city, county) = areas(&app).await;
        let worker = actor_of(&app, "caseworker@victimcare.example").await;
        let leader = actor_of(&app, "teamleader@victimcare.example").await;
        let services = app
            .my_activity(&worker, "2000-01-01", "2100-01-01")
            .await
            .expect("form");
        let service = services.services[0].id.clone();
        let today = app.today().to_string();
        let entry = |area: &str, hours: &str, minutes: &str| ActivityInput {
            day: today.clone(),
            kind: "contact".into(),
            hours: hours.into(),
            minutes: minutes.into(),
            service: service.clone(),
            area: area.into(),
            ..Default::default()
        };

        let tomorrow = app
            .today()
            .saturating_add(jiff::Span::new().days(1))
            .to_string();
        let refused = fields(
            app.record_activity(
                &worker,
                &ActivityInput {
                    day: tomorrow,
                    kind: "sleeping".into(),
                    hours: "0".into(),
                    area: String::new(),
                    case: "REF-NONE".into(),
                    ..entry(&city, "0", "0")
                },
            )
            .await,
        );
        for field in ["day", "kind", "hours", "area", "case"] {
            assert!(
                refused.contains(&field.to_string()),
                "{engine}: {field} in {refused:?}"
            );
        }
        let commissioner = victim_care_and_its_commissioner(&app).await.1;
        assert!(
            matches!(
                app.record_activity(&commissioner, &entry(&city, "1", "0"))
                    .await,
                Err(AppError::Invalid(_)) | Err(AppError::Forbidden)
            ),
            "{engine}: only those who do casework in the service"
        );

        let first = app
            .record_activity(&worker, &entry(&city, "6", "0"))
            .await
            .expect("six hours");
        app.record_activity(&worker, &entry(&county, "4", "0"))
            .await
            .expect("four hours");
        let over = fields(app.record_activity(&worker, &entry(&city, "14", "1")).await);
        assert_eq!(
            over,
            vec!["hours".to_string()],
            "{engine}: over 24 hours in the day"
        );

        // Only the worker corrects their own entry; the log keeps the before.
        assert!(
            matches!(
                app.correct_activity(&leader, &first.id, &entry(&city, "5", "0"))
                    .await,
                Err(AppError::NotFound)
            ),
            "{engine}"
        );
        let corrected = app
            .correct_activity(&worker, &first.id, &entry(&city, "6", "0"))
            .await
            .expect("corrected");
        assert_eq!(corrected.minutes, 360, "{engine}");
        // Correcting counts the day without the entry itself: 20h is allowed.
        app.correct_activity(&worker, &first.id, &entry(&city, "20", "0"))
            .await
            .expect("twenty hours with the other four");
        app.correct_activity(&worker, &first.id, &entry(&city, "6", "0"))
            .await
            .expect("back to six");

        let day = app.today();
        let report = app
            .activity_report(&leader, day, day)
            .await
            .expect("report");
        assert_eq!(report.total_minutes, 600, "{engine}");
        let share = |label: &str| {
            report
                .by_area
                .iter()
                .find(|r| r.label == label)
                .map(|r| r.share)
        };
        assert_eq!(share("Eastmoor City"), Some(6000), "{engine}");
        assert_eq!(share("Ashby Vale"), Some(4000), "{engine}");
        assert_eq!(report.by_area.iter().map(|r| r.share).sum::<i64>(), 10_000);
        assert!(report.by_worker.is_some(), "{engine}");
        // Seed 004's £55,000 split 60/40 by activity, to the penny; each
        // table's parts add up to the amount.
        let parts = report.apportion(domain::values::Pence(5_500_000));
        let areas = &parts[0];
        let area_part = |label: &str| {
            report
                .by_area
                .iter()
                .position(|r| r.label == label)
                .and_then(|i| areas[i])
        };
        assert_eq!(
            area_part("Eastmoor City"),
            Some(domain::values::Pence(3_300_000)),
            "{engine}"
        );
        assert_eq!(
            area_part("Ashby Vale"),
            Some(domain::values::Pence(2_200_000)),
            "{engine}"
        );
        for table in &parts {
            assert_eq!(
                table.iter().flatten().map(|p| p.0).sum::<i64>(),
                5_500_000,
                "{engine}"
            );
        }
        let theirs = app
            .activity_report(&commissioner, day, day)
            .await
            .expect("report");
        assert!(
            theirs.by_worker.is_none(),
            "{engine}: no worker for a commissioner"
        );
        assert_eq!(theirs.total_minutes, 600, "{engine}");
        let csv = report.to_csv();
        assert!(
            csv.contains("By area (district),Eastmoor City,360,60.00%"),
            "{engine}: {csv}"
        );
        assert!(
            csv.contains("By worker,Casey Worker,600,100.00%"),
            "{engine}: {csv}"
        );
        assert!(!theirs.to_csv().contains("By worker"), "{engine}");
        // The workbook: a zip holding a sheet per table, and no worker's
        // sheet for the commissioner.
        let workbook = report.to_xlsx().expect("xlsx");
        assert!(workbook.starts_with(b"PK"), "{engine}");
        let theirs_book = theirs.to_xlsx().expect("xlsx");
        assert!(
            theirs_book.len() < workbook.len(),
            "{engine}: one sheet fewer"
        );
        assert!(
            matches!(
                app.activity_report(&worker, day, day).await,
                Err(AppError::Forbidden)
            ),
            "{engine}: a caseworker records, managers report"
        );
        let audited: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_events WHERE action IN ('activity.recorded', 'activity.corrected')",
        )
        .fetch_one(app.db.pool())
        .await
        .expect("count");
        assert_eq!(audited, 5, "{engine}");
    }
}
