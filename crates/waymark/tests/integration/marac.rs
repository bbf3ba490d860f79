//! Referrals to a MARAC from a case: criteria computed, the referral filled
//! from the assessment and the case, consent, meetings, and repeats.

use app::marac::{AgencyInput, MaracInput, MaracReferralInput};
use app::{App, AppError, Settings, command_line_actor};

use crate::support::{a_referral, dash_with_yes, databases, demo_app, team_leader_of};

fn refused(result: app::Result<impl std::fmt::Debug>) -> Vec<(String, String)> {
    match result {
        Err(AppError::Invalid(errors)) => {
            errors.0.into_iter().map(|e| (e.field, e.message)).collect()
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}

async fn marac(app: &App) -> (app::marac::Marac, String) {
    let cli = command_line_actor();
    let area = app.areas(&cli).await.expect("areas")[0].id.clone();
    let input = MaracInput {
        name: "Eastmoor MARAC".into(),
        area_id: area,
        agencies: vec![
            AgencyInput::new("Eastmoor Police", "police", "Eastmoor Constabulary"),
            AgencyInput::new("Eastmoor Children's Services", "childrens_social_care", ""),
        ],
        agenda_order: String::new(),
        minutes_due_days: 5,
    };
    let marac = app.create_marac(&cli, &input).await.expect("marac");
    let soon = app
        .today()
        .saturating_add(jiff::Span::new().days(7))
        .to_string();
    let meeting = app
        .schedule_marac_meeting(&cli, &marac.id, &soon)
        .await
        .expect("meeting");
    (marac, meeting.id)
}

async fn referrals(app: &App) -> i64 {
    sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM marac_referrals")
        .fetch_one(app.db.pool())
        .await
        .expect("count")
}

#[tokio::test]
async fn a_high_risk_case_is_referred_with_its_criteria_and_nothing_retyped() {
    for db in databases().await {
        let engine = db.engine;
        let app = demo_app(&db, Settings::default()).await;
        let (marac, meeting) = marac(&app).await;
        let (_, case) = a_referral(&app).accepted().await;
        let worker = team_leader_of(&case.service_id);
        let input = MaracReferralInput {
            marac: marac.id.clone(),
            meeting: meeting.clone(),
            consent: "given".into(),
            ..Default::default()
        };

        // Nothing yet meets a criterion.
        let fields = refused(app.refer_to_marac(&worker, &case.id, &input).await);
        assert!(
            fields.iter().any(|(f, _)| f == "criteria"),
            "{engine}: {fields:?}"
        );
        assert_eq!(referrals(&app).await, 0, "{engine}");

        app.link_person(&worker, &case.id, "Kit", "Child", "", "child")
            .await
            .expect("child");
        app.assess_risk(&worker, &case.id, &dash_with_yes(15))
            .await
            .expect("high");
        let draft = app.marac_draft(&worker, &case.id).await.expect("draft");
        assert_eq!(
            draft.options[0].criteria,
            vec![domain::marac::Criterion::VisibleHighRisk],
            "{engine}"
        );
        assert!(
            draft.summary().contains("15 yes, High"),
            "{}",
            draft.summary()
        );

        let referral = app
            .refer_to_marac(&worker, &case.id, &input)
            .await
            .expect("referred");
        assert_eq!(referral.criteria, "visible_high_risk", "{engine}");
        assert_eq!((referral.score, referral.children), (Some(15), 1));
        assert_eq!(referral.level.as_deref(), Some("high"));
        let events: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_events WHERE action = 'marac.referral_made'",
        )
        .fetch_one(app.db.pool())
        .await
        .expect("events");
        assert_eq!(events, 1, "{engine}");

        // Once is enough while it waits for its meeting.
        let fields = refused(app.refer_to_marac(&worker, &case.id, &input).await);
        assert!(
            fields.iter().any(|(_, m)| m.contains("already referred")),
            "{engine}: {fields:?}"
        );
        assert_eq!(referrals(&app).await, 1, "{engine}");
    }
}

#[tokio::test]
async fn without_consent_only_at_high_risk_with_a_reason_and_never_to_a_past_meeting() {
    for db in databases().await {
        let engine = db.engine;
        let app = demo_app(&db, Settings::default()).await;
        let (marac, meeting) = marac(&app).await;
        let (_, case) = a_referral(&app).accepted().await;
        let worker = team_leader_of(&case.service_id);
        // Potential escalation, at medium risk.
        app.assess_risk(&worker, &case.id, &dash_with_yes(11))
            .await
            .expect("medium");
        for days in [200, 90, 10] {
            let on = app
                .today()
                .saturating_sub(jiff::Span::new().days(days))
                .to_string();
            let incident = app::risk::IncidentInput {
                occurred_on: on,
                source: "other_agency".into(),
                ..Default::default()
            };
            app.record_incident(&worker, &case.id, &incident)
                .await
                .expect("incident");
        }
        let mut input = MaracReferralInput {
            marac: marac.id.clone(),
            meeting: meeting.clone(),
            consent: "not_given".into(),
            without_consent_reason: "Children at risk".into(),
        };
        let fields = refused(app.refer_to_marac(&worker, &case.id, &input).await);
        assert_eq!(
            fields[0].0, "consent",
            "{engine}: only at high risk: {fields:?}"
        );

        app.assess_risk(&worker, &case.id, &dash_with_yes(14))
            .await
            .expect("high");
        input.without_consent_reason = String::new();
        let fields = refused(app.refer_to_marac(&worker, &case.id, &input).await);
        assert_eq!(
            fields[0].0, "without_consent_reason",
            "{engine}: {fields:?}"
        );
        assert_eq!(referrals(&app).await, 0, "{engine}");

        // The meeting passes before the referral is made.
        app.clock.advance(8 * 24 * 3600);
        input.without_consent_reason = "Children at risk".into();
        let fields = refused(app.refer_to_marac(&worker, &case.id, &input).await);
        assert_eq!(fields[0].0, "meeting", "{engine}: {fields:?}");
        assert!(fields[0].1.contains("already happened"));
        let past = app
            .today()
            .saturating_sub(jiff::Span::new().days(1))
            .to_string();
        let fields = refused(
            app.schedule_marac_meeting(&command_line_actor(), &marac.id, &past)
                .await,
        );
        assert_eq!(fields[0].0, "meets_on", "{engine}");

        let next = app
            .today()
            .saturating_add(jiff::Span::new().days(14))
            .to_string();
        input.meeting = app
            .schedule_marac_meeting(&command_line_actor(), &marac.id, &next)
            .await
            .expect("next meeting")
            .id;
        let referral = app
            .refer_to_marac(&worker, &case.id, &input)
            .await
            .expect("referred");
        assert_eq!(referral.consent, "not_given");
        assert_eq!(
            referral.criteria, "visible_high_risk,potential_escalation",
            "{engine}"
        );
    }
}

#[tokio::test]
async fn a_further_incident_within_twelve_months_of_the_last_referral_is_a_repeat() {
    for db in databases().await {
        let engine = db.engine;
        let app = demo_app(&db, Settings::default()).await;
        let (marac, meeting) = marac(&app).await;
        let (_, case) = a_referral(&app).accepted().await;
        let worker = team_leader_of(&case.service_id);
        app.assess_risk(&worker, &case.id, &dash_with_yes(14))
            .await
            .expect("high");
        let input = MaracReferralInput {
            marac: marac.id.clone(),
            meeting,
            consent: "given".into(),
            ..Default::default()
        };
        app.refer_to_marac(&worker, &case.id, &input)
            .await
            .expect("referred");
        // Months later, risk looks lower, but a further incident comes.
        app.clock.advance(100 * 24 * 3600);
        let mut lower = dash_with_yes(4);
        lower.review_on = "2027-06-01".into();
        app.assess_risk(&worker, &case.id, &lower)
            .await
            .expect("standard");
        let incident = app::risk::IncidentInput {
            occurred_on: app.today().to_string(),
            source: "victims_account".into(),
            ..Default::default()
        };
        app.record_incident(&worker, &case.id, &incident)
            .await
            .expect("incident");
        let draft = app.marac_draft(&worker, &case.id).await.expect("draft");
        assert_eq!(
            draft.options[0].criteria,
            vec![domain::marac::Criterion::Repeat],
            "{engine}: a repeat whatever the score"
        );
    }
}

/// A victim heard at a district's MARAC is flagged when referred again to
/// any service covering that district, for 12 months: the district's own
/// services and the force-wide ones, not a neighbouring district's.
#[tokio::test]
async fn a_victim_referred_to_a_marac_is_flagged_at_intake_across_its_area() {
    for db in databases().await {
        let engine = db.engine;
        let app = demo_app(&db, Settings::default()).await;
        let cli = command_line_actor();
        let city = app
            .areas(&cli)
            .await
            .expect("areas")
            .into_iter()
            .find(|a| a.name == "Eastmoor City")
            .expect("city")
            .id;
        let marac = app
            .create_marac(
                &cli,
                &MaracInput {
                    name: "City MARAC".into(),
                    area_id: city,
                    minutes_due_days: 5,
                    ..Default::default()
                },
            )
            .await
            .expect("marac");
        let soon = app
            .today()
            .saturating_add(jiff::Span::new().days(7))
            .to_string();
        let meeting = app
            .schedule_marac_meeting(&cli, &marac.id, &soon)
            .await
            .expect("meeting");
        let (_, case) = a_referral(&app)
            .to("City IDVA")
            .about("Fern", "Flagged")
            .born("1990-05-04")
            .accepted()
            .await;
        let worker = team_leader_of(&case.service_id);
        app.assess_risk(&worker, &case.id, &dash_with_yes(15))
            .await
            .expect("high");
        app.refer_to_marac(
            &worker,
            &case.id,
            &MaracReferralInput {
                marac: marac.id.clone(),
                meeting: meeting.id.clone(),
                consent: "given".into(),
                ..Default::default()
            },
        )
        .await
        .expect("referred");

        let flags = |service: &'static str| {
            let app = app.clone();
            async move {
                let referral = a_referral(&app)
                    .to(service)
                    .about("Fern", "Flagged")
                    .born("1990-05-04")
                    .typed_in()
                    .await;
                let leader = team_leader_of(&referral.service_id);
                app.referral(&leader, &referral.id)
                    .await
                    .expect("referral")
                    .into_inner()
                    .marac_flags
                    .iter()
                    .map(|f| f.marac_name.clone())
                    .collect::<Vec<_>>()
            }
        };
        assert_eq!(
            flags("Eastmoor Victim Care").await,
            vec!["City MARAC"],
            "{engine}: force-wide"
        );
        assert_eq!(
            flags("Ashby Vale").await,
            Vec::<String>::new(),
            "{engine}: another district"
        );
        // A different date of birth is someone else.
        let other = a_referral(&app)
            .to("Eastmoor Victim Care")
            .about("Fern", "Flagged")
            .born("1991-05-04")
            .typed_in()
            .await;
        let leader = team_leader_of(&other.service_id);
        let detail = app
            .referral(&leader, &other.id)
            .await
            .expect("referral")
            .into_inner();
        assert!(detail.marac_flags.is_empty(), "{engine}");
        // After the 12 months, no flag.
        app.clock.advance(366 * 86_400);
        assert_eq!(
            flags("Eastmoor Victim Care").await,
            Vec::<String>::new(),
            "{engine}: expired"
        );
    }
}

/// A referral waiting for its meeting is withdrawn from its case with a
/// reason: it leaves the agenda, and the case may be referred again.
#[tokio::test]
async fn a_pending_referral_is_withdrawn_with_a_reason_and_leaves_the_agenda() {
    for db in databases().await {
        let engine = db.engine;
        let app = demo_app(&db, Settings::default()).await;
        let (marac, meeting) = marac(&app).await;
        let (_, case) = a_referral(&app).accepted().await;
        let worker = team_leader_of(&case.service_id);
        app.assess_risk(&worker, &case.id, &dash_with_yes(15))
            .await
            .expect("high");
        let input = MaracReferralInput {
            marac: marac.id.clone(),
            meeting: meeting.clone(),
            consent: "given".into(),
            ..Default::default()
        };
        let referral = app
            .refer_to_marac(&worker, &case.id, &input)
            .await
            .expect("referred");
        let elsewhere = team_leader_of(&crate::support::service_id(&app, "City IDVA").await);
        assert!(
            matches!(
                app.withdraw_marac_referral(&elsewhere, &case.id, &referral.id, "Error")
                    .await,
                Err(AppError::NotFound)
            ),
            "{engine}"
        );
        let fields = refused(
            app.withdraw_marac_referral(&worker, &case.id, &referral.id, " ")
                .await,
        );
        assert_eq!(fields[0].0, "withdrawn_reason", "{engine}");
        app.withdraw_marac_referral(&worker, &case.id, &referral.id, "Referred in error")
            .await
            .expect("withdrawn");
        let stored = store::marac::referral(&mut app.db.conn().await.expect("conn"), &referral.id)
            .await
            .expect("read")
            .expect("kept");
        assert_eq!(
            (stored.status.as_str(), stored.withdrawn_reason.as_str()),
            ("withdrawn", "Referred in error"),
            "{engine}"
        );
        let agenda =
            store::marac::agenda_entries(&mut app.db.conn().await.expect("conn"), &meeting)
                .await
                .expect("agenda");
        assert!(agenda.is_empty(), "{engine}: off the agenda");
        let fields = refused(
            app.withdraw_marac_referral(&worker, &case.id, &referral.id, "Again")
                .await,
        );
        assert!(fields[0].1.contains("Only a referral waiting"), "{engine}");
        let events: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_events WHERE action = 'marac.referral_withdrawn'",
        )
        .fetch_one(app.db.pool())
        .await
        .expect("events");
        assert_eq!(events, 1, "{engine}");
        // Referred again, and not a repeat of the withdrawn one.
        let again = app
            .refer_to_marac(&worker, &case.id, &input)
            .await
            .expect("referred again");
        assert_eq!(again.is_repeat, 0, "{engine}");
    }
}

/// A system administrator corrects a MARAC and its agencies and adds one;
/// a refused correction changes nothing and names the field; a MARAC's own
/// members may not.
#[tokio::test]
async fn a_marac_and_its_agencies_are_corrected_with_the_log_keeping_what_was_before() {
    use app::marac::MaracCorrection;
    for db in databases().await {
        let engine = db.engine;
        let app = demo_app(&db, Settings::default()).await;
        let cli = command_line_actor();
        let (marac, _) = marac(&app).await;
        let setup = app.marac_to_correct(&cli, &marac.id).await.expect("setup");
        let held: Vec<(String, AgencyInput)> = setup
            .agencies
            .iter()
            .map(|a| {
                (
                    a.id.clone(),
                    AgencyInput::new(&a.name, &a.kind, a.organisation_id.as_deref().unwrap_or("")),
                )
            })
            .collect();
        let correction = |agencies: Vec<(String, AgencyInput)>, new: AgencyInput| MaracCorrection {
            name: "Eastmoor City MARAC".into(),
            agenda_order: "children, repeats".into(),
            minutes_due_days: 7,
            agencies,
            new_agency: new,
        };
        let audited = || async {
            sqlx::query_scalar::<_, i64>(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_events WHERE action = 'marac.corrected'",
            )
            .fetch_one(app.db.pool())
            .await
            .expect("count")
        };

        let mut wrong = held.clone();
        wrong[0].1.kind = "coastguard".into();
        let fields = refused(
            app.correct_marac(&cli, &marac.id, &correction(wrong, AgencyInput::default()))
                .await,
        );
        assert_eq!(fields[0].0, "agencies", "{engine}");
        let twice = refused(
            app.correct_marac(
                &cli,
                &marac.id,
                &correction(
                    held.clone(),
                    AgencyInput::new(&held[0].1.name, "police", ""),
                ),
            )
            .await,
        );
        assert_eq!(twice[0].0, "agencies", "{engine}: {twice:?}");
        let mut blank = held.clone();
        blank[1].1.name = " ".into();
        let fields = refused(
            app.correct_marac(&cli, &marac.id, &correction(blank, AgencyInput::default()))
                .await,
        );
        assert_eq!(fields[0].0, "agencies", "{engine}");
        crate::support::a_marac_hearing(&app, "West MARAC").await;
        let taken = MaracCorrection {
            name: "west marac".into(),
            ..correction(held.clone(), AgencyInput::default())
        };
        assert_eq!(
            refused(app.correct_marac(&cli, &marac.id, &taken).await)[0].0,
            "name",
            "{engine}"
        );
        assert!(
            matches!(
                app.correct_marac(
                    &cli,
                    &marac.id,
                    &correction(
                        vec![("nope".into(), held[0].1.clone())],
                        AgencyInput::default()
                    )
                )
                .await,
                Err(AppError::NotFound)
            ),
            "{engine}: an agency of another MARAC, or none"
        );
        let member = crate::support::marac_role(
            &app,
            "pc@police.example",
            "Eastmoor Constabulary",
            "marac_coordinator",
            &marac.id,
        )
        .await;
        assert!(
            matches!(
                app.correct_marac(
                    &member,
                    &marac.id,
                    &correction(held.clone(), AgencyInput::default())
                )
                .await,
                Err(AppError::Forbidden)
            ),
            "{engine}: its coordinator does not set it up"
        );
        assert_eq!(audited().await, 0, "{engine}");
        assert_eq!(
            app.marac_to_correct(&cli, &marac.id)
                .await
                .expect("setup")
                .marac
                .name,
            "Eastmoor MARAC"
        );

        let mut renamed = held.clone();
        renamed[1].1.name = "Eastmoor Children's Social Care".into();
        renamed[1].1.organisation = "Eastmoor City Council".into();
        let corrected = app
            .correct_marac(
                &cli,
                &marac.id,
                &correction(renamed, AgencyInput::new("Probation", "probation", "")),
            )
            .await
            .expect("corrected");
        assert_eq!(corrected.agenda_order, "children, repeats", "{engine}");
        let after = app.marac_to_correct(&cli, &marac.id).await.expect("setup");
        assert_eq!(after.marac.name, "Eastmoor City MARAC", "{engine}");
        assert_eq!(after.marac.minutes_due_days, 7, "{engine}");
        assert_eq!(after.agencies.len(), 3, "{engine}");
        let children = after
            .agencies
            .iter()
            .find(|a| a.id == held[1].0)
            .expect("kept its id");
        assert_eq!(children.name, "Eastmoor Children's Social Care", "{engine}");
        assert!(children.organisation_id.is_some(), "{engine}");
        assert_eq!(audited().await, 1, "{engine}");
    }
}

/// A referral waiting for its meeting is moved to another coming meeting,
/// or its consent put right, with the log keeping what it said before;
/// without consent stays allowed only at high risk, and a referral heard or
/// withdrawn is no longer corrected.
#[tokio::test]
async fn a_waiting_referral_is_moved_to_another_meeting_or_its_consent_corrected() {
    for db in databases().await {
        let engine = db.engine;
        let app = demo_app(&db, Settings::default()).await;
        let (marac, first, referral) = crate::support::a_marac_hearing(&app, "East MARAC").await;
        let cli = command_line_actor();
        let later = app
            .today()
            .saturating_add(jiff::Span::new().days(35))
            .to_string();
        let second = app
            .schedule_marac_meeting(&cli, &marac.id, &later)
            .await
            .expect("second meeting");
        let worker = team_leader_of(&referral.service_id);
        let input = |meeting: &str, consent: &str, reason: &str| MaracReferralInput {
            marac: String::new(),
            meeting: meeting.into(),
            consent: consent.into(),
            without_consent_reason: reason.into(),
        };
        let audited = || async {
            sqlx::query_scalar::<_, i64>(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_events WHERE action = 'marac.referral_corrected'",
            )
            .fetch_one(app.db.pool())
            .await
            .expect("count")
        };
        let fields = refused(
            app.correct_marac_referral(
                &worker,
                &referral.case_id,
                &referral.id,
                &input(&second.id, "not_given", ""),
            )
            .await,
        );
        assert_eq!(fields[0].0, "without_consent_reason", "{engine}");
        let (_, other_meeting, _) = crate::support::a_marac_hearing(&app, "West MARAC").await;
        let fields = refused(
            app.correct_marac_referral(
                &worker,
                &referral.case_id,
                &referral.id,
                &input(&other_meeting, "given", ""),
            )
            .await,
        );
        assert_eq!(fields[0].0, "meeting", "{engine}: another MARAC's meeting");
        assert_eq!(audited().await, 0, "{engine}");

        let moved = app
            .correct_marac_referral(
                &worker,
                &referral.case_id,
                &referral.id,
                &input(&second.id, "not_given", "He monitors her phone"),
            )
            .await
            .expect("moved");
        assert_eq!(moved.meeting_id, second.id, "{engine}");
        let stored = app
            .marac_referral_to_correct(&worker, &referral.case_id, &referral.id)
            .await
            .expect("read")
            .into_inner()
            .referral;
        assert_eq!(stored.meets_on, later, "{engine}");
        assert_eq!(stored.consent, "not_given", "{engine}");
        assert_eq!(audited().await, 1, "{engine}");
        assert_ne!(first, second.id);

        app.withdraw_marac_referral(&worker, &referral.case_id, &referral.id, "Moved away")
            .await
            .expect("withdrawn");
        let fields = refused(
            app.correct_marac_referral(
                &worker,
                &referral.case_id,
                &referral.id,
                &input(&second.id, "given", ""),
            )
            .await,
        );
        assert_eq!(fields[0].0, "meeting", "{engine}: withdrawn");
    }
}
