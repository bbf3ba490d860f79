//! Risk assessment on a case: templates as data, scoring with the
//! service's bands, judgement that raises and never lowers, and templates
//! imported whole or not at all.

use app::AppError;
use app::risk::RiskInput;
use app::{App, Settings, command_line_actor};

use crate::support::{
    a_referral, case_detail, close_nothing_asked, dash_with_yes, databases, demo_app,
    team_leader_of,
};

async fn count(app: &App, action: &str) -> i64 {
    sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM audit_events WHERE action = $1")
        .bind(action.to_string())
        .fetch_one(app.db.pool())
        .await
        .expect("count")
}

async fn assessments(app: &App) -> i64 {
    sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM risk_assessments")
        .fetch_one(app.db.pool())
        .await
        .expect("count")
}

fn invalid_fields(error: AppError) -> Vec<(String, String)> {
    match error {
        AppError::Invalid(errors) => errors.0.into_iter().map(|e| (e.field, e.message)).collect(),
        other => panic!("expected refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn an_assessment_scores_by_the_services_bands_and_becomes_the_cases_risk() {
    for db in databases().await {
        let engine = db.engine;
        let app = demo_app(&db, Settings::default()).await;
        let (_, case) = a_referral(&app).accepted().await;
        let worker = team_leader_of(&case.service_id);
        let before = assessments(&app).await;

        let high = app
            .assess_risk(&worker, &case.id, &dash_with_yes(14))
            .await
            .expect("assessed");
        assert_eq!(high.yes_count, 14, "{engine}");
        assert_eq!(high.level.as_deref(), Some("high"), "{engine}");
        assert_eq!(high.bands, "standard 0, medium 10, high 14");
        let held = case_detail(&app, &worker, &case.id).await;
        assert_eq!(held.case.risk_level.as_deref(), Some("high"), "{engine}");
        assert_eq!(held.case.risk_review_on.as_deref(), Some("2027-01-15"));
        assert_eq!(held.risk.len(), 1);
        assert_eq!(count(&app, "risk.assessed").await, 1, "{engine}");

        // The service bands without a medium band: 13 is standard.
        app.set_risk_bands(
            &command_line_actor(),
            &case.service_id,
            "dash",
            "standard 0, high 14",
        )
        .await
        .expect("bands");
        let mut later = dash_with_yes(13);
        later.review_on = "2027-02-01".into();
        let standard = app
            .assess_risk(&worker, &case.id, &later)
            .await
            .expect("assessed");
        assert_eq!(standard.level.as_deref(), Some("standard"), "{engine}");
        assert_eq!(standard.bands, "standard 0, high 14");
        let held = case_detail(&app, &worker, &case.id).await;
        assert_eq!(
            held.case.risk_level.as_deref(),
            Some("standard"),
            "the latest counts"
        );
        assert_eq!(held.risk.len(), 2, "{engine}: the history is kept");
        assert_eq!(held.risk[1].level.as_deref(), Some("high"));
        assert_eq!(assessments(&app).await, before + 2);
        assert_eq!(count(&app, "risk.bands_set").await, 1, "{engine}");
    }
}

#[tokio::test]
async fn judgement_raises_with_reasons_and_a_lowering_is_refused_writing_nothing() {
    for db in databases().await {
        let engine = db.engine;
        let app = demo_app(&db, Settings::default()).await;
        let (_, case) = a_referral(&app).accepted().await;
        let worker = team_leader_of(&case.service_id);

        let mut raised = dash_with_yes(4);
        raised.judgement_level = "high".into();
        raised.judgement_reasons = "Threats to kill since separation".into();
        let assessed = app
            .assess_risk(&worker, &case.id, &raised)
            .await
            .expect("raised");
        assert_eq!(assessed.actuarial_level.as_deref(), Some("standard"));
        assert_eq!(assessed.level.as_deref(), Some("high"), "{engine}");

        let mut lowered = dash_with_yes(15);
        lowered.judgement_level = "medium".into();
        lowered.judgement_reasons = "Seemed calmer".into();
        let events = count(&app, "risk.assessed").await;
        let held = assessments(&app).await;
        let fields = invalid_fields(
            app.assess_risk(&worker, &case.id, &lowered)
                .await
                .expect_err("refused"),
        );
        assert!(
            fields
                .iter()
                .any(|(f, m)| f == "judgement_level" && m.contains("never lower")),
            "{engine}: {fields:?}"
        );
        assert_eq!(assessments(&app).await, held, "{engine}: nothing written");
        assert_eq!(
            count(&app, "risk.assessed").await,
            events,
            "{engine}: nothing audited"
        );

        let mut no_reasons = dash_with_yes(2);
        no_reasons.judgement_level = "high".into();
        let fields = invalid_fields(
            app.assess_risk(&worker, &case.id, &no_reasons)
                .await
                .expect_err("refused"),
        );
        assert!(
            fields.iter().any(|(f, _)| f == "judgement_reasons"),
            "{engine}: {fields:?}"
        );
    }
}

#[tokio::test]
async fn unanswered_questions_are_incomplete_and_bad_answers_are_named() {
    for db in databases().await {
        let engine = db.engine;
        let app = demo_app(&db, Settings::default()).await;
        let (_, case) = a_referral(&app).accepted().await;
        let worker = team_leader_of(&case.service_id);

        let mut partial = dash_with_yes(3);
        partial.answers.truncate(20);
        let incomplete = app
            .assess_risk(&worker, &case.id, &partial)
            .await
            .expect("recorded");
        assert_eq!(incomplete.unanswered, 4);
        assert_eq!(
            incomplete.level, None,
            "{engine}: incomplete, never a low score"
        );
        let held = case_detail(&app, &worker, &case.id).await;
        assert_eq!(held.case.risk_level, None);
        assert!(held.case.risk_review_on.is_some());

        let mut bad = dash_with_yes(1);
        bad.answers[2].1 = "maybe".into();
        bad.answers.push(("colour".into(), "yes".into()));
        bad.review_on = "2020-01-01".into();
        bad.prompted_by = String::new();
        let fields = invalid_fields(
            app.assess_risk(&worker, &case.id, &bad)
                .await
                .expect_err("refused"),
        );
        let named: Vec<&str> = fields.iter().map(|(f, _)| f.as_str()).collect();
        for field in ["answer-fears", "answers", "review_on", "prompted_by"] {
            assert!(named.contains(&field), "{engine}: {field} in {fields:?}");
        }
        assert!(
            fields.iter().any(|(_, m)| m.starts_with("Question 3:")),
            "{engine}: {fields:?}"
        );
    }
}

#[tokio::test]
async fn a_closed_case_or_another_service_cannot_be_assessed() {
    for db in databases().await {
        let engine = db.engine;
        let app = demo_app(&db, Settings::default()).await;
        let (_, case) = a_referral(&app).accepted().await;
        let elsewhere = crate::support::service_id(&app, "City IDVA").await;
        let stranger = team_leader_of(&elsewhere);
        let refused = app
            .assess_risk(&stranger, &case.id, &dash_with_yes(14))
            .await;
        assert!(
            matches!(refused, Err(AppError::NotFound)),
            "{engine}: {refused:?}"
        );

        let leader = team_leader_of(&case.service_id);
        close_nothing_asked(&app, &leader, &case).await;
        let refused = app.assess_risk(&leader, &case.id, &dash_with_yes(14)).await;
        assert!(refused.is_err(), "{engine}: a closed case is read-only");
        assert_eq!(assessments(&app).await, 0, "{engine}");
    }
}

#[tokio::test]
async fn a_template_file_is_imported_whole_or_refused_by_line() {
    for db in databases().await {
        let engine = db.engine;
        let app = demo_app(&db, Settings::default()).await;
        let cli = command_line_actor();
        let bad = "template: dash\nversion: 2\nname: Licensed\nscoring: count-yes\nband: standard 0\nband: high 14\nquestion: a | First?\nquestion: a | Again?\n";
        let fields = invalid_fields(
            app.import_risk_template(&cli, bad)
                .await
                .expect_err("refused"),
        );
        let messages: Vec<&str> = fields.iter().map(|(_, m)| m.as_str()).collect();
        assert!(
            messages
                .iter()
                .any(|m| m.starts_with("Line 8: the id a is used already on line 7")),
            "{engine}: {messages:?}"
        );
        assert!(
            messages.iter().any(|m| m.starts_with("Line 6:")),
            "{engine}: the band cannot be reached: {messages:?}"
        );

        let same_version = app::risk::SHIPPED[0];
        let fields = invalid_fields(
            app.import_risk_template(&cli, same_version)
                .await
                .expect_err("refused"),
        );
        assert!(
            fields[0].1.contains("already has dash version 1"),
            "{engine}: {fields:?}"
        );
        assert_eq!(count(&app, "risk.template_imported").await, 0, "{engine}");

        let licensed = "template: dash\nversion: 2\nname: Licensed checklist\nscoring: count-yes\nband: standard 0\nband: high 2\njudgement: no\nquestion: one | The first licensed question?\nquestion: two | The second?\nquestion: three | The third?\n";
        let template = app
            .import_risk_template(&cli, licensed)
            .await
            .expect("imported");
        assert_eq!(template.version, 2);
        assert_eq!(count(&app, "risk.template_imported").await, 1, "{engine}");
        let dash = app
            .risk_templates()
            .await
            .expect("templates")
            .into_iter()
            .find(|t| t.template.key == "dash")
            .expect("dash");
        assert_eq!(
            dash.template.version, 2,
            "{engine}: the latest version is used"
        );

        let (_, case) = a_referral(&app).accepted().await;
        let worker = team_leader_of(&case.service_id);
        let input = RiskInput {
            template: "dash".into(),
            prompted_by: "First assessment".into(),
            review_on: "2027-01-01".into(),
            answers: vec![
                ("one".into(), "yes".into()),
                ("two".into(), "yes".into()),
                ("three".into(), "dont_know".into()),
            ],
            ..Default::default()
        };
        let judged = RiskInput {
            judgement_level: "high".into(),
            judgement_reasons: "Worried".into(),
            ..input.clone()
        };
        let fields = invalid_fields(
            app.assess_risk(&worker, &case.id, &judged)
                .await
                .expect_err("no judgement section"),
        );
        assert_eq!(fields[0].0, "judgement_level", "{engine}: {fields:?}");
        let assessed = app
            .assess_risk(&worker, &case.id, &input)
            .await
            .expect("assessed");
        assert_eq!(
            (assessed.template_version, assessed.level.as_deref()),
            (2, Some("high")),
            "{engine}"
        );
        let seen = app
            .risk_assessment(&worker, &case.id, &assessed.id)
            .await
            .expect("view")
            .into_inner();
        assert_eq!(
            seen.answers[2],
            (3, "The third?".to_string(), "Don't know".to_string())
        );
        assert_eq!(count(&app, "risk.assessment_viewed").await, 1, "{engine}");
    }
}

#[tokio::test]
async fn case_lists_show_and_sort_by_risk_and_review() {
    for db in databases().await {
        let engine = db.engine;
        let app = demo_app(&db, Settings::default()).await;
        let (_, high) = a_referral(&app).about("Hana", "Highrisk").accepted().await;
        let (_, medium) = a_referral(&app).about("Mina", "Midrisk").accepted().await;
        let (_, none) = a_referral(&app)
            .about("Nell", "Noassessment")
            .accepted()
            .await;
        let worker = team_leader_of(&high.service_id);
        let mut later = dash_with_yes(15);
        later.review_on = "2027-03-01".into();
        app.assess_risk(&worker, &high.id, &later)
            .await
            .expect("high");
        app.assess_risk(&worker, &medium.id, &dash_with_yes(11))
            .await
            .expect("medium");
        let first_two = |sort, descending| {
            let app = &app;
            let worker = &worker;
            async move {
                let request = app::paging::ListRequest {
                    sort,
                    descending,
                    start: Default::default(),
                };
                let filter = app::cases::CaseFilter {
                    status: Some("open".into()),
                    ..Default::default()
                };
                let page = app.cases(worker, &filter, &request).await.expect("page");
                let risks: Vec<Option<String>> = page
                    .rows
                    .iter()
                    .map(|r| r.case.risk_level.clone())
                    .collect();
                assert!(
                    risks[2..].iter().all(Option::is_none),
                    "the rest are not assessed: {risks:?}"
                );
                page.rows
                    .iter()
                    .take(2)
                    .map(|r| r.case.id.clone())
                    .collect::<Vec<_>>()
            }
        };
        assert_eq!(
            first_two(app::cases::CaseSort::Risk, true).await,
            vec![high.id.clone(), medium.id.clone()],
            "{engine}: highest risk first"
        );
        assert_eq!(
            first_two(app::cases::CaseSort::Review, false).await,
            vec![medium.id.clone(), high.id.clone()],
            "{engine}: the soonest review first, none last"
        );
        let listed = app
            .cases(
                &worker,
                &app::cases::CaseFilter::default(),
                &app::paging::ListRequest {
                    sort: app::cases::CaseSort::Risk,
                    descending: false,
                    start: Default::default(),
                },
            )
            .await
            .expect("page");
        assert_eq!(
            listed.rows.last().map(|r| r.case.id.clone()),
            Some(high.id.clone()),
            "{engine}: ascending puts the highest last"
        );
        assert!(listed.rows.iter().any(|r| r.case.id == none.id));
    }
}

#[tokio::test]
async fn incidents_count_towards_escalation_and_prompt_a_new_assessment() {
    for db in databases().await {
        let engine = db.engine;
        let app = demo_app(&db, Settings::default()).await;
        let (_, case) = a_referral(&app).accepted().await;
        let worker = team_leader_of(&case.service_id);
        app.link_person(&worker, &case.id, "Perry", "Accused", "", "perpetrator")
            .await
            .expect("linked");
        app.link_person(&worker, &case.id, "Kit", "Child", "", "child")
            .await
            .expect("linked");
        let detail = case_detail(&app, &worker, &case.id).await;
        let link = |relationship: &str| {
            detail
                .linked
                .iter()
                .find(|l| l.relationship == relationship)
                .expect("link")
                .id
                .clone()
        };
        let today = app.today();
        let day = |days_ago: i64| {
            today
                .checked_sub(jiff::Span::new().days(days_ago))
                .expect("day")
                .to_string()
        };
        let incident = |on: String, perpetrator: String| app::risk::IncidentInput {
            occurred_on: on,
            source: "police_callout".into(),
            perpetrator,
            summary: "Call-out to the home".into(),
        };
        let events = count(&app, "incident.recorded").await;

        app.assess_risk(&worker, &case.id, &dash_with_yes(3))
            .await
            .expect("assessed");
        // Refused, each field named, nothing written.
        let bad = app::risk::IncidentInput {
            occurred_on: day(-2),
            source: "rumour".into(),
            perpetrator: link("child"),
            summary: String::new(),
        };
        let fields = invalid_fields(
            app.record_incident(&worker, &case.id, &bad)
                .await
                .expect_err("refused"),
        );
        let named: Vec<&str> = fields.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            named,
            vec!["occurred_on", "source", "perpetrator"],
            "{engine}"
        );
        assert_eq!(count(&app, "incident.recorded").await, events, "{engine}");

        for on in [day(400), day(200), day(10)] {
            app.record_incident(&worker, &case.id, &incident(on, link("perpetrator")))
                .await
                .expect("recorded");
        }
        let detail = case_detail(&app, &worker, &case.id).await;
        assert_eq!(detail.incidents.len(), 3, "{engine}");
        assert_eq!(
            detail.incidents[0].perpetrator_name.as_deref(),
            Some("Perry Accused")
        );
        assert_eq!(
            detail.escalation.within_year, 2,
            "{engine}: 400 days ago is outside"
        );
        assert!(!detail.escalation.potential);
        assert!(detail.reassess, "{engine}: incidents since the assessment");

        app.record_incident(&worker, &case.id, &incident(day(365), String::new()))
            .await
            .expect("recorded");
        let detail = case_detail(&app, &worker, &case.id).await;
        assert_eq!(
            detail.escalation.within_year, 3,
            "{engine}: a year ago to the day counts"
        );
        assert!(detail.escalation.potential, "{engine}");
        assert_eq!(
            count(&app, "incident.recorded").await,
            events + 4,
            "{engine}"
        );

        // The service counts potential escalation from 4.
        app.set_escalation_incidents(&command_line_actor(), &case.service_id, 4)
            .await
            .expect("set");
        let detail = case_detail(&app, &worker, &case.id).await;
        assert!(!detail.escalation.potential, "{engine}: 3 of 4");

        app.assess_risk(&worker, &case.id, &dash_with_yes(5))
            .await
            .expect("again");
        let detail = case_detail(&app, &worker, &case.id).await;
        assert!(
            !detail.reassess,
            "{engine}: assessed since the last incident"
        );
    }
}

#[tokio::test]
async fn a_safety_plan_is_versioned_and_reviewed_with_each_new_assessment() {
    for db in databases().await {
        let engine = db.engine;
        let app = demo_app(&db, Settings::default()).await;
        let (_, case) = a_referral(&app).accepted().await;
        let worker = team_leader_of(&case.service_id);
        let events = count(&app, "safety_plan.saved").await;

        let empty = app::risk::SafetyPlanInput {
            review_on: "2020-01-01".into(),
            ..Default::default()
        };
        let fields = invalid_fields(
            app.save_safety_plan(&worker, &case.id, &empty)
                .await
                .expect_err("refused"),
        );
        let named: Vec<&str> = fields.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(named, vec!["risks", "review_on"], "{engine}");
        assert_eq!(count(&app, "safety_plan.saved").await, events, "{engine}");

        app.assess_risk(&worker, &case.id, &dash_with_yes(14))
            .await
            .expect("assessed");
        let mut plan = app::risk::SafetyPlanInput {
            risks: "He knows where she works".into(),
            emergency_plan: "Call 999 and go to the neighbour at number 4".into(),
            code_word: "Bluebell".into(),
            review_on: "2027-01-10".into(),
            ..Default::default()
        };
        assert_eq!(
            app.save_safety_plan(&worker, &case.id, &plan)
                .await
                .expect("saved"),
            1
        );
        let detail = case_detail(&app, &worker, &case.id).await;
        assert!(!detail.plan_review_due, "{engine}");
        assert_eq!(
            detail.safety_plans[0].assessment_id.as_deref(),
            Some(detail.risk[0].id.as_str())
        );

        app.assess_risk(&worker, &case.id, &dash_with_yes(16))
            .await
            .expect("again");
        let detail = case_detail(&app, &worker, &case.id).await;
        assert!(detail.plan_review_due, "{engine}: assessed again since");

        plan.safety_measures = "Locks changed; a panic alarm fitted".into();
        assert_eq!(
            app.save_safety_plan(&worker, &case.id, &plan)
                .await
                .expect("saved"),
            2
        );
        let detail = case_detail(&app, &worker, &case.id).await;
        assert!(!detail.plan_review_due, "{engine}");
        assert_eq!(detail.safety_plans.len(), 2);
        assert_eq!(
            detail.safety_plans[1].safety_measures, "",
            "{engine}: version 1 kept as it was"
        );
        assert_eq!(
            count(&app, "safety_plan.saved").await,
            events + 2,
            "{engine}"
        );
        let words: Vec<String> = sqlx::query_scalar(
            "SELECT COALESCE(after_json, '') FROM audit_events WHERE action = 'safety_plan.saved'",
        )
        .fetch_all(app.db.pool())
        .await
        .expect("events");
        assert!(
            words
                .iter()
                .all(|w| !w.contains("Bluebell") && !w.contains("neighbour")),
            "{engine}: the plan's words stay out of the log"
        );
    }
}

#[tokio::test]
async fn the_demonstration_has_assessments_at_every_level_incidents_and_plans() {
    for db in databases().await {
        let engine = db.engine;
        let app = demo_app(&db, Settings::default()).await;
        app::demo::generate(&app, 600, 7, &|_| {})
            .await
            .expect("generated");
        let recorded = app::demo::risk_records(&app).await.expect("risk records");
        assert_eq!(recorded, 9, "{engine}");
        let levels: Vec<(Option<String>, i64)> = sqlx::query_as(
            "SELECT level, CAST(COUNT(*) AS BIGINT) FROM risk_assessments GROUP BY level ORDER BY level",
        )
        .fetch_all(app.db.pool())
        .await
        .expect("levels");
        for level in [None, Some("standard"), Some("medium"), Some("high")] {
            assert!(
                levels.iter().any(|(l, n)| l.as_deref() == level && *n > 0),
                "{engine}: {level:?} in {levels:?}"
            );
        }
        let judged: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM risk_assessments WHERE judgement_level = 'high' AND actuarial_level = 'standard'",
        )
        .fetch_one(app.db.pool())
        .await
        .expect("judged");
        assert_eq!(judged, 1, "{engine}: one raised by judgement");
        let plans: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM safety_plans")
            .fetch_one(app.db.pool())
            .await
            .expect("plans");
        assert_eq!(plans, 3, "{engine}");
        let referred: Vec<String> =
            sqlx::query_scalar("SELECT status FROM marac_referrals ORDER BY status")
                .fetch_all(app.db.pool())
                .await
                .expect("referrals");
        assert_eq!(
            referred,
            vec!["heard", "pending"],
            "{engine}: one case heard at the last meeting, one waiting for the next"
        );
        let actions: Vec<String> =
            sqlx::query_scalar("SELECT status FROM marac_actions ORDER BY status")
                .fetch_all(app.db.pool())
                .await
                .expect("actions");
        assert_eq!(actions, vec!["done", "not_done", "open"], "{engine}");
        let members: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM role_grants WHERE marac_id IS NOT NULL",
        )
        .fetch_one(app.db.pool())
        .await
        .expect("members");
        assert_eq!(
            members, 4,
            "{engine}: police and children's members, coordinator, chair"
        );
    }
}

/// The return counts, for cases closed in the period, the level of their
/// first assessment and of their last; a case never assessed is not counted.
#[tokio::test]
async fn the_return_shows_risk_at_intake_against_risk_at_exit() {
    for db in databases().await {
        let engine = db.engine;
        let app = demo_app(&db, Settings::default()).await;
        let (_, case) = a_referral(&app).accepted().await;
        let (_, unassessed) = a_referral(&app).about("Una", "Assessed").accepted().await;
        let leader = team_leader_of(&case.service_id);
        app.assess_risk(&leader, &case.id, &dash_with_yes(15))
            .await
            .expect("high");
        app.assess_risk(&leader, &case.id, &dash_with_yes(11))
            .await
            .expect("medium");
        close_nothing_asked(&app, &leader, &case).await;
        close_nothing_asked(&app, &leader, &unassessed).await;
        let today = app.today();
        let report = app
            .moj_return_for_system(today, today, std::slice::from_ref(&case.service_id), false)
            .await
            .expect("return");
        let figure = |table: &str, row: &str, column: usize| report.figure(table, row, column);
        assert_eq!(figure("risk", "High", 0).as_deref(), Some("1"), "{engine}");
        assert_eq!(figure("risk", "High", 1).as_deref(), Some("0"), "{engine}");
        assert_eq!(
            figure("risk", "Medium", 1).as_deref(),
            Some("1"),
            "{engine}"
        );
        assert_eq!(
            figure("risk", "Incomplete", 0).as_deref(),
            Some("0"),
            "{engine}"
        );
        assert_eq!(
            figure("risk-change", "Lower at exit", 0).as_deref(),
            Some("1"),
            "{engine}"
        );
        assert_eq!(
            figure("risk-change", "The same", 0).as_deref(),
            Some("0"),
            "{engine}"
        );
        // The first 15 answers yes include a hurt (physical) and being
        // watched (stalking), but not the sexual or money questions.
        let abuse = |row: &str, column: usize| figure("abuse", row, column);
        assert_eq!(abuse("Physical", 0).as_deref(), Some("1"), "{engine}");
        assert_eq!(abuse("Physical", 1).as_deref(), Some("1"), "{engine}");
        assert_eq!(
            abuse("Stalking and harassment", 0).as_deref(),
            Some("1"),
            "{engine}"
        );
        assert_eq!(abuse("Sexual", 0).as_deref(), Some("0"), "{engine}");
        assert_eq!(abuse("Financial", 1).as_deref(), Some("0"), "{engine}");
    }
}

/// An incident recorded wrongly is corrected on its open case: the count
/// for potential escalation follows, the log keeps what it said before,
/// and bad input or another service's worker changes nothing.
#[tokio::test]
async fn an_incident_is_corrected_and_escalation_follows() {
    for db in databases().await {
        let engine = db.engine;
        let app = demo_app(&db, Settings::default()).await;
        let (_, case) = a_referral(&app).accepted().await;
        let worker = team_leader_of(&case.service_id);
        let today = app.today();
        let on = |days_ago: i64| {
            today
                .checked_sub(jiff::Span::new().days(days_ago))
                .expect("day")
                .to_string()
        };
        let input = |occurred_on: String| app::risk::IncidentInput {
            occurred_on,
            source: "police_callout".into(),
            ..Default::default()
        };
        let mut recorded = Vec::new();
        for days in [10, 40, 70] {
            recorded.push(
                app.record_incident(&worker, &case.id, &input(on(days)))
                    .await
                    .expect("incident"),
            );
        }
        assert!(
            case_detail(&app, &worker, &case.id)
                .await
                .escalation
                .potential,
            "{engine}"
        );

        let elsewhere = team_leader_of(&crate::support::service_id(&app, "City IDVA").await);
        let refused = app
            .correct_incident(&elsewhere, &case.id, &recorded[2].id, &input(on(400)))
            .await;
        assert!(
            matches!(refused, Err(AppError::NotFound)),
            "{engine}: {refused:?}"
        );
        let bad = app
            .correct_incident(
                &worker,
                &case.id,
                &recorded[2].id,
                &app::risk::IncidentInput::default(),
            )
            .await
            .expect_err("refused");
        let mut fields: Vec<String> = invalid_fields(bad).into_iter().map(|(f, _)| f).collect();
        fields.sort();
        assert_eq!(fields, vec!["occurred_on", "source"], "{engine}");

        // It happened over a year ago: no longer potential escalation.
        app.correct_incident(&worker, &case.id, &recorded[2].id, &input(on(400)))
            .await
            .expect("corrected");
        let detail = case_detail(&app, &worker, &case.id).await;
        assert_eq!(detail.escalation.within_year, 2, "{engine}");
        assert!(!detail.escalation.potential, "{engine}");
        let before: String = sqlx::query_scalar(
            "SELECT before_json FROM audit_events WHERE action = 'incident.corrected'",
        )
        .fetch_one(app.db.pool())
        .await
        .expect("event");
        assert!(before.contains(&on(70)), "{engine}: {before}");
    }
}

/// An assessment recorded in error is withdrawn with a reason: it stays in
/// the history, marked, the case's risk falls back to the latest standing
/// assessment, and the return no longer counts it. Without a reason, twice,
/// or by another service's worker, nothing changes.
#[tokio::test]
async fn an_assessment_recorded_in_error_is_withdrawn_and_counts_no_more() {
    for db in databases().await {
        let engine = db.engine;
        let app = demo_app(&db, Settings::default()).await;
        let (_, case) = a_referral(&app).accepted().await;
        let leader = team_leader_of(&case.service_id);
        app.assess_risk(&leader, &case.id, &dash_with_yes(15))
            .await
            .expect("high");
        let wrong = app
            .assess_risk(&leader, &case.id, &dash_with_yes(11))
            .await
            .expect("medium");
        let held = case_detail(&app, &leader, &case.id).await;
        assert_eq!(held.case.risk_level.as_deref(), Some("medium"), "{engine}");

        let refused = app
            .withdraw_risk_assessment(&leader, &case.id, &wrong.id, "  ")
            .await
            .expect_err("a reason is needed");
        assert_eq!(invalid_fields(refused)[0].0, "withdrawn_reason", "{engine}");
        let elsewhere = crate::support::service_id(&app, "City IDVA").await;
        let stranger = team_leader_of(&elsewhere);
        assert!(
            matches!(
                app.withdraw_risk_assessment(&stranger, &case.id, &wrong.id, "Wrong case")
                    .await,
                Err(AppError::NotFound)
            ),
            "{engine}"
        );
        let held = case_detail(&app, &leader, &case.id).await;
        assert_eq!(held.case.risk_level.as_deref(), Some("medium"), "{engine}");
        assert_eq!(
            count(&app, "risk.assessment_withdrawn").await,
            0,
            "{engine}"
        );

        app.withdraw_risk_assessment(
            &leader,
            &case.id,
            &wrong.id,
            "Answers were another victim's",
        )
        .await
        .expect("withdrawn");
        let held = case_detail(&app, &leader, &case.id).await;
        assert_eq!(held.case.risk_level.as_deref(), Some("high"), "{engine}");
        assert_eq!(held.risk.len(), 1, "{engine}");
        assert_eq!(held.withdrawn_risk.len(), 1, "{engine}");
        assert_eq!(
            held.withdrawn_risk[0].withdrawn_reason, "Answers were another victim's",
            "{engine}"
        );
        assert_eq!(
            count(&app, "risk.assessment_withdrawn").await,
            1,
            "{engine}"
        );
        assert_eq!(assessments(&app).await, 2, "{engine}: kept, not deleted");
        let again = app
            .withdraw_risk_assessment(&leader, &case.id, &wrong.id, "Again")
            .await
            .expect_err("once only");
        assert_eq!(invalid_fields(again)[0].0, "withdrawn_reason", "{engine}");

        close_nothing_asked(&app, &leader, &case).await;
        let today = app.today();
        let report = app
            .moj_return_for_system(today, today, std::slice::from_ref(&case.service_id), false)
            .await
            .expect("return");
        assert_eq!(
            report.figure("risk", "High", 1).as_deref(),
            Some("1"),
            "{engine}: the exit is the last standing assessment"
        );
        assert_eq!(
            report.figure("risk-change", "The same", 0).as_deref(),
            Some("1"),
            "{engine}"
        );
    }
}
