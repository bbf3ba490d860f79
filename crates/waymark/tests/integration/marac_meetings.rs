//! A MARAC's meetings at work: members see only their own MARAC's agendas
//! and only after acknowledging confidentiality; research is shared or
//! kept to its agency; actions have an owner and come back until done;
//! minutes are due a number of working days after the meeting.

use app::marac::{ActionInput, ActionUpdateInput, MaracCaseRead, ResearchInput};
use app::{AppError, Settings};

use crate::support::{a_marac_hearing, databases, demo_app, marac_role};

fn fields_of<T: std::fmt::Debug>(result: app::Result<T>) -> Vec<String> {
    match result {
        Err(AppError::Invalid(errors)) => errors.0.into_iter().map(|e| e.field).collect(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

async fn count(app: &app::App, table: &'static str) -> i64 {
    let sql = match table {
        "marac_research" => "SELECT CAST(COUNT(*) AS BIGINT) FROM marac_research",
        "marac_actions" => "SELECT CAST(COUNT(*) AS BIGINT) FROM marac_actions",
        _ => "SELECT CAST(COUNT(*) AS BIGINT) FROM marac_acknowledgements",
    };
    sqlx::query_scalar(sql)
        .fetch_one(app.db.pool())
        .await
        .expect("count")
}

async fn audited(app: &app::App, action: &str) -> i64 {
    sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM audit_events WHERE action = $1")
        .bind(action.to_string())
        .fetch_one(app.db.pool())
        .await
        .expect("count")
}

fn research(item: &str, shareable: &str) -> ResearchInput {
    ResearchInput {
        item: item.into(),
        shareable: shareable.into(),
        reason: "Bears on the children's safety".into(),
    }
}

#[tokio::test]
async fn a_member_sees_only_their_own_marac_and_only_after_acknowledging() {
    for db in databases().await {
        let engine = db.engine;
        let app = demo_app(&db, Settings::default()).await;
        let (east, east_meeting, east_case) = a_marac_hearing(&app, "East MARAC").await;
        let (west, west_meeting, west_case) = a_marac_hearing(&app, "West MARAC").await;
        let police = marac_role(
            &app,
            "pc@police.example",
            "Eastmoor Constabulary",
            "marac_member",
            &east.id,
        )
        .await;

        // Another MARAC's meeting, case and research are not found at all.
        for result in [
            app.marac_meeting(&police, &west_meeting).await.map(|_| ()),
            app.marac_case(&police, &west_case.id).await.map(|_| ()),
            app.acknowledge_confidentiality(&police, &west_meeting)
                .await,
            app.add_marac_research(&police, &west_case.id, &research("x", "yes"))
                .await
                .map(|_| ()),
        ] {
            assert!(
                matches!(result, Err(AppError::NotFound)),
                "{engine}: {result:?}"
            );
        }
        // Nor is any case file.
        assert!(
            app.case(&police, &east_case.case_id).await.is_err(),
            "{engine}"
        );
        let listed = app.my_maracs(&police).await.expect("maracs");
        assert_eq!(
            listed
                .iter()
                .map(|s| s.marac.name.as_str())
                .collect::<Vec<_>>(),
            vec!["East MARAC"],
            "{engine}"
        );
        let _ = west;

        // Before acknowledging: the meeting shows no cases, a case is not
        // shown, and nothing may be added.
        let view = app
            .marac_meeting(&police, &east_meeting)
            .await
            .expect("meeting")
            .into_inner();
        assert!(
            !view.acknowledged && view.agenda.is_empty() && view.cases == 1,
            "{engine}"
        );
        assert!(
            matches!(
                app.marac_case(&police, &east_case.id).await.expect("read"),
                MaracCaseRead::AcknowledgeFirst { .. }
            ),
            "{engine}"
        );
        assert_eq!(
            fields_of(
                app.add_marac_research(&police, &east_case.id, &research("Two call-outs", "yes"))
                    .await
            ),
            vec!["confidentiality"],
            "{engine}"
        );
        assert_eq!(count(&app, "marac_research").await, 0, "{engine}");

        app.acknowledge_confidentiality(&police, &east_meeting)
            .await
            .expect("ack");
        app.acknowledge_confidentiality(&police, &east_meeting)
            .await
            .expect("again, no change");
        assert_eq!(count(&app, "marac_acknowledgements").await, 1, "{engine}");
        assert_eq!(
            audited(&app, "marac.confidentiality_acknowledged").await,
            1,
            "{engine}"
        );
        let viewed = audited(&app, "marac.meeting_viewed").await;
        let view = app
            .marac_meeting(&police, &east_meeting)
            .await
            .expect("meeting")
            .into_inner();
        assert_eq!(
            audited(&app, "marac.meeting_viewed").await,
            viewed + 1,
            "{engine}"
        );
        assert_eq!(view.agenda.len(), 1, "{engine}");
        assert_eq!(view.agenda[0].given_name, "Mara", "{engine}");
        assert_eq!(
            view.agency.as_ref().map(|a| a.name.as_str()),
            Some("Police"),
            "{engine}"
        );
        assert_eq!(view.acknowledgements.len(), 1, "{engine}");
        let before = audited(&app, "marac.case_viewed").await;
        let MaracCaseRead::Seen(seen) = app.marac_case(&police, &east_case.id).await.expect("case")
        else {
            panic!("{engine}: acknowledged, but not shown");
        };
        assert_eq!(seen.into_inner().subject.given_name, "Mara", "{engine}");
        assert_eq!(
            audited(&app, "marac.case_viewed").await,
            before + 1,
            "{engine}"
        );
    }
}

#[tokio::test]
async fn research_is_shared_or_kept_to_its_agency_and_actions_have_owners() {
    for db in databases().await {
        let engine = db.engine;
        let app = demo_app(&db, Settings::default()).await;
        let (marac, meeting, case) = a_marac_hearing(&app, "East MARAC").await;
        let police = marac_role(
            &app,
            "pc@police.example",
            "Eastmoor Constabulary",
            "marac_member",
            &marac.id,
        )
        .await;
        let social = marac_role(
            &app,
            "sw@council.example",
            "Eastmoor City Council",
            "marac_member",
            &marac.id,
        )
        .await;
        let coordinator = marac_role(
            &app,
            "co@advocacy.example",
            "City Advocacy Partnership",
            "marac_coordinator",
            &marac.id,
        )
        .await;
        for actor in [&police, &social, &coordinator] {
            app.acknowledge_confidentiality(actor, &meeting)
                .await
                .expect("ack");
        }

        // An organisation that is not a member agency adds no research.
        assert_eq!(
            fields_of(
                app.add_marac_research(&coordinator, &case.id, &research("x", "yes"))
                    .await
            ),
            vec!["agency"],
            "{engine}"
        );
        // Shareable must be said, with a reason.
        let unsaid = ResearchInput {
            item: "Known to us".into(),
            ..Default::default()
        };
        let mut fields = fields_of(app.add_marac_research(&police, &case.id, &unsaid).await);
        fields.sort();
        assert_eq!(fields, vec!["reason", "shareable"], "{engine}");
        assert_eq!(count(&app, "marac_research").await, 0, "{engine}");

        app.add_marac_research(
            &police,
            &case.id,
            &research("Three call-outs this year", "yes"),
        )
        .await
        .expect("shared");
        app.add_marac_research(&police, &case.id, &research("An open investigation", "no"))
            .await
            .expect("kept");
        let seen = |actor| {
            let app = &app;
            let id = case.id.clone();
            async move {
                match app.marac_case(actor, &id).await.expect("case") {
                    MaracCaseRead::Seen(s) => s
                        .into_inner()
                        .research
                        .iter()
                        .map(|r| r.item.clone())
                        .collect::<Vec<_>>(),
                    MaracCaseRead::AcknowledgeFirst { .. } => panic!("acknowledged"),
                }
            }
        };
        assert_eq!(seen(&police).await.len(), 2, "{engine}");
        // Only the agency that added an item corrects it; the log keeps
        // what it said.
        let first =
            store::marac::research_of(&mut app.db.conn().await.expect("conn"), &case.id, None)
                .await
                .expect("research")[0]
                .id
                .clone();
        let corrected = research("Four call-outs this year", "yes");
        assert!(
            matches!(
                app.correct_marac_research(&social, &first, &corrected)
                    .await,
                Err(AppError::Forbidden)
            ),
            "{engine}"
        );
        app.correct_marac_research(&police, &first, &corrected)
            .await
            .expect("corrected");
        assert_eq!(
            audited(&app, "marac.research_corrected").await,
            1,
            "{engine}"
        );
        assert_eq!(
            seen(&social).await,
            vec!["Four call-outs this year"],
            "{engine}"
        );
        assert_eq!(
            seen(&coordinator).await,
            vec!["Four call-outs this year"],
            "{engine}"
        );

        // Only the coordinator or chair records actions, and each has an owner.
        let agencies = store::marac::agencies(&mut app.db.conn().await.expect("conn"), &marac.id)
            .await
            .expect("agencies");
        let police_agency = agencies
            .iter()
            .find(|a| a.name == "Police")
            .expect("police")
            .id
            .clone();
        let due = app.today().saturating_add(jiff::Span::new().days(14));
        let due = format!("{}/{}/{}", due.day(), due.month(), due.year());
        let input = ActionInput {
            agency: police_agency.clone(),
            description: "Flag the address for urgent response".into(),
            due_on: due.clone(),
        };
        assert!(
            matches!(
                app.add_marac_action(&police, &case.id, &input).await,
                Err(AppError::Forbidden)
            ),
            "{engine}"
        );
        let ownerless = ActionInput {
            agency: String::new(),
            ..input.clone()
        };
        assert_eq!(
            fields_of(
                app.add_marac_action(&coordinator, &case.id, &ownerless)
                    .await
            ),
            vec!["agency"],
            "{engine}"
        );
        let early = ActionInput {
            due_on: app.today().strftime("%d/%m/%Y").to_string(),
            ..input.clone()
        };
        assert_eq!(
            fields_of(app.add_marac_action(&coordinator, &case.id, &early).await),
            vec!["due_on"],
            "{engine}"
        );
        assert_eq!(count(&app, "marac_actions").await, 0, "{engine}");
        let action = app
            .add_marac_action(&coordinator, &case.id, &input)
            .await
            .expect("action");

        // The owning agency updates it; another agency may not.
        let done = ActionUpdateInput {
            status: "done".into(),
            ..Default::default()
        };
        assert!(
            matches!(
                app.update_marac_action(&social, &action.id, &done).await,
                Err(AppError::Forbidden)
            ),
            "{engine}"
        );
        let not_done = ActionUpdateInput {
            status: "not_done".into(),
            ..Default::default()
        };
        assert_eq!(
            fields_of(
                app.update_marac_action(&police, &action.id, &not_done)
                    .await
            ),
            vec!["not_done_class"],
            "{engine}"
        );

        // Open, it comes back on the next meeting's agenda; done, it does not.
        app.clock.advance(8 * 86_400);
        let cli = app::command_line_actor();
        let next_on = app
            .today()
            .saturating_add(jiff::Span::new().days(20))
            .to_string();
        let next = app
            .schedule_marac_meeting(&cli, &marac.id, &next_on)
            .await
            .expect("next")
            .id;
        app.acknowledge_confidentiality(&police, &next)
            .await
            .expect("ack next");
        let carried = |app: &app::App| {
            let next = next.clone();
            let police = police.clone();
            let app = app.clone();
            async move {
                app.marac_meeting(&police, &next)
                    .await
                    .expect("next")
                    .into_inner()
                    .carried_actions
                    .len()
            }
        };
        assert_eq!(carried(&app).await, 1, "{engine}");
        let updated = app
            .update_marac_action(&police, &action.id, &done)
            .await
            .expect("done");
        assert_eq!(updated.status, "done", "{engine}");
        assert_eq!(carried(&app).await, 0, "{engine}");
        assert_eq!(audited(&app, "marac.action_updated").await, 1, "{engine}");

        // Minutes and outcomes once the meeting has met, and due in working days.
        let view = app
            .marac_meeting(&coordinator, &meeting)
            .await
            .expect("meeting")
            .into_inner();
        assert!(
            view.meeting.minutes_due_on > meeting_day(&app, &meeting).await,
            "{engine}"
        );
        assert!(
            matches!(
                app.record_marac_minutes(&police, &meeting, "Heard one case")
                    .await,
                Err(AppError::Forbidden)
            ),
            "{engine}"
        );
        app.record_marac_minutes(&coordinator, &meeting, "Heard one case")
            .await
            .expect("minutes");
        app.record_marac_outcome(&coordinator, &case.id, "Actions agreed; review in a month")
            .await
            .expect("outcome");
        let view = app
            .marac_meeting(&coordinator, &meeting)
            .await
            .expect("meeting")
            .into_inner();
        assert!(
            view.meeting.meeting.minutes_recorded_at.is_some() && !view.meeting.minutes_overdue,
            "{engine}"
        );
        assert_eq!(view.agenda[0].status, "heard", "{engine}");
        assert_eq!(
            fields_of(
                app.record_marac_minutes(&coordinator, &next, "Too soon")
                    .await
            ),
            vec!["minutes"],
            "{engine}"
        );
    }
}

async fn meeting_day(app: &app::App, meeting: &str) -> jiff::civil::Date {
    store::marac::meeting(&mut app.db.conn().await.expect("conn"), meeting)
        .await
        .expect("meeting")
        .expect("found")
        .meets_on
        .parse()
        .expect("day")
}

#[tokio::test]
async fn the_coordinator_orders_the_agenda_and_a_member_may_not() {
    for db in databases().await {
        let engine = db.engine;
        let app = demo_app(&db, Settings::default()).await;
        let (marac, meeting, first) = a_marac_hearing(&app, "East MARAC").await;
        // A second case on the same meeting, referred later.
        let (_, case) = crate::support::a_referral(&app)
            .about("Nia", "Second")
            .accepted()
            .await;
        let worker = crate::support::team_leader_of(&case.service_id);
        app.assess_risk(&worker, &case.id, &crate::support::dash_with_yes(16))
            .await
            .expect("high");
        let second = app
            .refer_to_marac(
                &worker,
                &case.id,
                &app::marac::MaracReferralInput {
                    marac: marac.id.clone(),
                    meeting: meeting.clone(),
                    consent: "given".into(),
                    ..Default::default()
                },
            )
            .await
            .expect("referred");
        let police = marac_role(
            &app,
            "pc@police.example",
            "Eastmoor Constabulary",
            "marac_member",
            &marac.id,
        )
        .await;
        let chair = marac_role(
            &app,
            "chair@police.example",
            "Eastmoor Constabulary",
            "marac_chair",
            &marac.id,
        )
        .await;
        for actor in [&police, &chair] {
            app.acknowledge_confidentiality(actor, &meeting)
                .await
                .expect("ack");
        }
        let order = |app: &app::App| {
            let (app, chair, meeting) = (app.clone(), chair.clone(), meeting.clone());
            async move {
                app.marac_meeting(&chair, &meeting)
                    .await
                    .expect("meeting")
                    .into_inner()
                    .agenda
                    .iter()
                    .map(|e| e.id.clone())
                    .collect::<Vec<_>>()
            }
        };
        assert_eq!(
            order(&app).await,
            vec![first.id.clone(), second.id.clone()],
            "{engine}"
        );
        assert!(
            matches!(
                app.move_on_agenda(&police, &second.id, true).await,
                Err(AppError::Forbidden)
            ),
            "{engine}"
        );
        app.move_on_agenda(&chair, &second.id, true)
            .await
            .expect("moved");
        assert_eq!(
            order(&app).await,
            vec![second.id.clone(), first.id.clone()],
            "{engine}"
        );
        assert_eq!(audited(&app, "marac.agenda_ordered").await, 1, "{engine}");
    }
}

/// A police force's own system, with a `marac:member` token: it reads the
/// agenda once it has acknowledged, adds research and completes its
/// action; a token of an organisation that is not a member reaches nothing.
#[tokio::test]
async fn a_member_agencys_system_works_the_agenda_over_the_api() {
    use serde_json::{Value, json};
    for db in databases().await {
        let engine = db.engine;
        let server =
            crate::support::serve(demo_app(&db, Settings::default()).await, db.engine).await;
        let app = &server.app;
        let (marac, meeting, case) = a_marac_hearing(app, "East MARAC").await;
        let coordinator = marac_role(
            app,
            "co@advocacy.example",
            "City Advocacy Partnership",
            "marac_coordinator",
            &marac.id,
        )
        .await;
        app.acknowledge_confidentiality(&coordinator, &meeting)
            .await
            .expect("ack");
        let agencies = store::marac::agencies(&mut app.db.conn().await.expect("conn"), &marac.id)
            .await
            .expect("agencies");
        let police_agency = agencies
            .iter()
            .find(|a| a.name == "Police")
            .expect("police")
            .id
            .clone();
        let due = app.today().saturating_add(jiff::Span::new().days(14));
        let action = app
            .add_marac_action(
                &coordinator,
                &case.id,
                &ActionInput {
                    agency: police_agency,
                    description: "Flag the address".into(),
                    due_on: format!("{}/{}/{}", due.day(), due.month(), due.year()),
                },
            )
            .await
            .expect("action");

        let police =
            crate::support::token(&server, "Eastmoor Constabulary", &["marac:member"]).await;
        let outsider =
            crate::support::token(&server, "Eastmoor Victim Care", &["marac:member"]).await;
        let api = server.api();
        let agenda_url = server.url(&format!("/api/v1/marac-meetings/{meeting}/agenda"));
        let get = |token: &str| api.get(&agenda_url).bearer_auth(token.to_string()).send();

        assert_eq!(
            get(&outsider).await.expect("send").status().as_u16(),
            404,
            "{engine}"
        );
        let body: Value = get(&police)
            .await
            .expect("send")
            .json()
            .await
            .expect("json");
        assert_eq!(body["acknowledged"], json!(false), "{engine}");
        assert_eq!(body["cases"], json!([]), "{engine}");

        let status = api
            .post(server.url(&format!("/api/v1/marac-meetings/{meeting}/acknowledgement")))
            .bearer_auth(&police)
            .send()
            .await
            .expect("send")
            .status();
        assert_eq!(status.as_u16(), 204, "{engine}");
        let body: Value = get(&police)
            .await
            .expect("send")
            .json()
            .await
            .expect("json");
        assert_eq!(body["cases"][0]["id"], json!(case.id), "{engine}");
        assert_eq!(body["cases"][0]["given_name"], json!("Mara"), "{engine}");
        assert!(body["cases"][0].get("address").is_none(), "{engine}");

        let research_url = server.url(&format!("/api/v1/marac-cases/{}/research", case.id));
        let refused = api
            .post(&research_url)
            .bearer_auth(&police)
            .json(&json!({ "item": "Two call-outs" }))
            .send()
            .await
            .expect("send");
        assert_eq!(refused.status().as_u16(), 422, "{engine}");
        let added = api
            .post(&research_url)
            .bearer_auth(&police)
            .json(&json!({ "item": "Two call-outs", "shareable": "yes", "reason": "Safety" }))
            .send()
            .await
            .expect("send");
        assert_eq!(added.status().as_u16(), 201, "{engine}");
        let added: Value = added.json().await.expect("json");
        assert_eq!(added["agency"], json!("Police"), "{engine}");

        let done = api
            .patch(server.url(&format!("/api/v1/marac-actions/{}", action.id)))
            .bearer_auth(&police)
            .json(&json!({ "status": "done", "note": "Flag added" }))
            .send()
            .await
            .expect("send");
        assert_eq!(done.status().as_u16(), 200, "{engine}");
        let done: Value = done.json().await.expect("json");
        assert_eq!(done["status"], json!("done"), "{engine}");
        let other = api
            .patch(server.url(&format!("/api/v1/marac-actions/{}", action.id)))
            .bearer_auth(&outsider)
            .json(&json!({ "status": "open" }))
            .send()
            .await
            .expect("send");
        assert_eq!(other.status().as_u16(), 404, "{engine}");
    }
}

/// The quarterly data counts the cases heard at the period's meetings, for
/// the coordinator and chair only, and downloads as CSV.
#[tokio::test]
async fn the_quarterly_data_counts_the_cases_heard() {
    for db in databases().await {
        let engine = db.engine;
        let app = demo_app(&db, Settings::default()).await;
        let (marac, meeting, case) = a_marac_hearing(&app, "East MARAC").await;
        let member = marac_role(
            &app,
            "pc@police.example",
            "Eastmoor Constabulary",
            "marac_member",
            &marac.id,
        )
        .await;
        let chair = marac_role(
            &app,
            "chair@police.example",
            "Eastmoor Constabulary",
            "marac_chair",
            &marac.id,
        )
        .await;
        app.acknowledge_confidentiality(&chair, &meeting)
            .await
            .expect("ack");
        let (from, to) = (
            app.today(),
            app.today().saturating_add(jiff::Span::new().days(30)),
        );
        assert!(
            matches!(
                app.marac_figures(&member, &marac.id, from, to).await,
                Err(AppError::Forbidden)
            ),
            "{engine}"
        );
        let figures = app
            .marac_figures(&chair, &marac.id, from, to)
            .await
            .expect("figures");
        assert_eq!(
            figures.figure("marac-heard", "Cases heard", 0).as_deref(),
            Some("0"),
            "{engine}"
        );
        assert_eq!(
            figures
                .figure("marac-agencies", "All referrals", 0)
                .as_deref(),
            Some("1"),
            "{engine}"
        );

        app.clock.advance(8 * 86_400);
        app.record_marac_outcome(&chair, &case.id, "Heard")
            .await
            .expect("outcome");
        let figures = app
            .marac_figures(&chair, &marac.id, from, to)
            .await
            .expect("figures");
        assert_eq!(
            figures.figure("marac-heard", "Cases heard", 0).as_deref(),
            Some("1"),
            "{engine}"
        );
        assert_eq!(
            figures.figure("marac-heard", "Repeats", 0).as_deref(),
            Some("0"),
            "{engine}"
        );
        assert_eq!(
            figures.figure("marac-heard", "Repeats", 1).as_deref(),
            Some("0%"),
            "{engine}"
        );
        // A meeting outside the period counts nothing.
        let later = app
            .marac_figures(
                &chair,
                &marac.id,
                to.saturating_add(jiff::Span::new().days(1)),
                to.saturating_add(jiff::Span::new().days(90)),
            )
            .await
            .expect("figures");
        assert_eq!(
            later.figure("marac-heard", "Cases heard", 0).as_deref(),
            Some("0"),
            "{engine}"
        );
        let csv = figures.to_csv();
        assert!(
            csv.contains("Cases heard,Cases heard,Number,1"),
            "{engine}: {csv}"
        );
        assert!(
            !csv.contains("Mara"),
            "{engine}: no one's name in the figures"
        );
    }
}

/// A commissioner of a service in the MARAC's area sees its figures as the
/// return protects them, for whole months only; a MARAC elsewhere is not
/// theirs to see.
#[tokio::test]
async fn a_commissioner_sees_the_figures_of_their_areas_marac_protected() {
    for db in databases().await {
        let engine = db.engine;
        let app = demo_app(&db, Settings::default()).await;
        let (marac, meeting, case) = a_marac_hearing(&app, "East MARAC").await;
        let elsewhere = crate::support::an_area_elsewhere(&app).await;
        let (west, _, _) = crate::support::a_marac_hearing_in(&app, "West MARAC", &elsewhere).await;
        let (_, commissioner) = crate::support::victim_care_and_its_commissioner(&app).await;
        let seen: Vec<String> = app
            .maracs_with_protected_figures(&commissioner)
            .await
            .expect("maracs")
            .into_iter()
            .map(|m| m.name)
            .collect();
        assert!(
            seen.contains(&"East MARAC".to_string()),
            "{engine}: {seen:?}"
        );
        assert!(!seen.contains(&"West MARAC".to_string()), "{engine}");

        let chair = marac_role(
            &app,
            "chair@police.example",
            "Eastmoor Constabulary",
            "marac_chair",
            &marac.id,
        )
        .await;
        app.acknowledge_confidentiality(&chair, &meeting)
            .await
            .expect("ack");
        app.clock.advance(8 * 86_400);
        app.record_marac_outcome(&chair, &case.id, "Heard")
            .await
            .expect("outcome");
        // The commissioner reads the reporting period of the meeting once
        // it has ended and its closing days have passed.
        let meets_on: jiff::civil::Date = app.today();
        let (from, to) = app.settings.report_periods.containing(meets_on);
        let until_ended = i64::from((to.tomorrow().expect("a day") - meets_on).get_days());
        app.clock
            .advance((until_ended + app.settings.report_closing_days) * 86_400);
        let figures = app
            .marac_figures(&commissioner, &marac.id, from, to)
            .await
            .expect("figures");
        assert!(figures.suppressed, "{engine}");
        let kept_at = figures.frozen_at.clone();
        assert!(kept_at.is_some(), "{engine}: kept as first shown");
        let again = app
            .marac_figures(&commissioner, &marac.id, from, to)
            .await
            .expect("figures");
        assert_eq!(again.frozen_at, kept_at, "{engine}: read as kept");
        assert_eq!(
            figures.figure("marac-heard", "Cases heard", 0).as_deref(),
            Some("<5"),
            "{engine}: one case heard is a small number"
        );
        let unprotected = app
            .marac_figures(&chair, &marac.id, from, to)
            .await
            .expect("figures");
        assert_eq!(
            unprotected
                .figure("marac-heard", "Cases heard", 0)
                .as_deref(),
            Some("1"),
            "{engine}"
        );
        assert_eq!(
            unprotected.frozen_at, None,
            "{engine}: the chair's are live"
        );
        let part_of_a_month = app
            .marac_figures(
                &commissioner,
                &marac.id,
                from,
                to.saturating_sub(jiff::Span::new().days(1)),
            )
            .await;
        assert_eq!(
            fields_of(part_of_a_month),
            vec!["from".to_string()],
            "{engine}"
        );
        assert!(
            matches!(
                app.marac_figures(&commissioner, &west.id, from, to).await,
                Err(AppError::NotFound)
            ),
            "{engine}"
        );
    }
}

/// The coordinator or chair schedules their MARAC's meetings; a member may
/// not, nor may another MARAC's coordinator.
#[tokio::test]
async fn the_coordinator_schedules_meetings_of_their_own_marac() {
    for db in databases().await {
        let engine = db.engine;
        let app = demo_app(&db, Settings::default()).await;
        let (east, _, _) = a_marac_hearing(&app, "East MARAC").await;
        let (west, _, _) = a_marac_hearing(&app, "West MARAC").await;
        let member = marac_role(
            &app,
            "pc@police.example",
            "Eastmoor Constabulary",
            "marac_member",
            &east.id,
        )
        .await;
        let coordinator = marac_role(
            &app,
            "co@advocacy.example",
            "City Advocacy Partnership",
            "marac_coordinator",
            &east.id,
        )
        .await;
        let later = app
            .today()
            .saturating_add(jiff::Span::new().days(40))
            .to_string();
        assert!(
            matches!(
                app.schedule_marac_meeting(&member, &east.id, &later).await,
                Err(AppError::Forbidden)
            ),
            "{engine}"
        );
        assert!(
            matches!(
                app.schedule_marac_meeting(&coordinator, &west.id, &later)
                    .await,
                Err(AppError::NotFound)
            ),
            "{engine}"
        );
        let past = app
            .today()
            .saturating_sub(jiff::Span::new().days(1))
            .to_string();
        assert_eq!(
            fields_of(
                app.schedule_marac_meeting(&coordinator, &east.id, &past)
                    .await
            ),
            vec!["meets_on"],
            "{engine}"
        );
        let meeting = app
            .schedule_marac_meeting(&coordinator, &east.id, &later)
            .await
            .expect("scheduled");
        assert_eq!(meeting.meets_on, later, "{engine}");
    }
}
