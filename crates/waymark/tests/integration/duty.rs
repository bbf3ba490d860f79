//! The duty rota: set up to a cover pattern and shared by two providers'
//! services; each manager fills gaps with their own workers, never two
//! shifts at once for one worker; who is on duty now, for staff and for a
//! partner's token, never with a person's name for the partner.

use app::duty::{Rota, RotaInput, ShiftInput};
use app::{App, AppError, Settings, command_line_actor};
use serde_json::Value;

use crate::support::{actor_of, databases, demo_app, serve, token};

/// Whole days, every day of the year: a shift running whenever a test runs.
const ALL_DAY: &str = "weekday 00:00-00:00; weekend 00:00-00:00; bank_holiday 00:00-00:00";

async fn shared_rota(app: &App, name: &str, pattern: &str) -> Rota {
    app.create_duty_rota(
        &command_line_actor(),
        &RotaInput {
            name: name.into(),
            role: "Duty IDVA".into(),
            contact: "Duty line 01632 960 100".into(),
            pattern: pattern.into(),
            services: vec!["City IDVA service".into(), "County IDVA service".into()],
            ..RotaInput::default()
        },
    )
    .await
    .expect("rota")
}

fn fields(result: app::Result<impl std::fmt::Debug>) -> Vec<String> {
    match result {
        Err(AppError::Invalid(errors)) => errors.0.into_iter().map(|e| e.field).collect(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

async fn audited(app: &App, action: &str) -> i64 {
    sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM audit_events WHERE action = $1")
        .bind(action.to_string())
        .fetch_one(app.db.pool())
        .await
        .expect("count")
}

/// A caseworker of the county IDVA service (the other provider).
async fn county_worker(app: &App) -> store::users::User {
    let cli = command_line_actor();
    let service = app
        .services(&cli)
        .await
        .expect("services")
        .into_iter()
        .find(|s| s.name == "County IDVA service")
        .expect("county");
    app.create_staff(
        &cli,
        &app::staff::NewStaff {
            username: "pip@countyadvocacy.example".into(),
            display_name: "Pip Garner".into(),
            organisation_id: service.organisation_id.clone(),
            service_id: Some(service.id.clone()),
            team_id: None,
            role: "caseworker".into(),
            password: crate::support::PASSWORD.into(),
        },
    )
    .await
    .expect("county worker")
}

fn shift(day: &str, slot: &str, worker: &str) -> ShiftInput {
    ShiftInput {
        day: day.into(),
        slot: slot.into(),
        worker: worker.into(),
    }
}

#[tokio::test]
async fn a_rota_is_set_up_to_a_pattern_and_refused_by_field() {
    for db in databases().await {
        let engine = db.engine;
        let app = demo_app(&db, Settings::default()).await;
        let cli = command_line_actor();
        let bad = RotaInput {
            name: " ".into(),
            role: "Duty IDVA".into(),
            contact: "Duty line".into(),
            pattern: "weekdays 9-5".into(),
            services: vec!["No such service".into()],
            ..RotaInput::default()
        };
        let refused = fields(app.create_duty_rota(&cli, &bad).await);
        assert!(
            refused.contains(&"name".to_string()),
            "{engine}: {refused:?}"
        );
        assert!(refused.contains(&"pattern".to_string()), "{engine}");
        let unknown = RotaInput {
            name: "Duty".into(),
            pattern: ALL_DAY.into(),
            ..bad
        };
        assert_eq!(
            fields(app.create_duty_rota(&cli, &unknown).await),
            vec!["services".to_string()],
            "{engine}"
        );
        let manager = actor_of(&app, "manager@cityadvocacy.example").await;
        assert!(
            matches!(
                app.create_duty_rota(&manager, &unknown).await,
                Err(AppError::Forbidden)
            ),
            "{engine}: system administrators set rotas up"
        );
        let rota = shared_rota(&app, "County duty", "weekday 09:00-20:00").await;
        assert_eq!(rota.pattern, "weekday 09:00-20:00", "{engine}");
        assert_eq!(audited(&app, "duty.rota_created").await, 1, "{engine}");
        let again = RotaInput {
            name: "county DUTY".into(),
            pattern: ALL_DAY.into(),
            services: vec!["City IDVA service".into()],
            ..unknown
        };
        assert_eq!(
            fields(app.create_duty_rota(&cli, &again).await),
            vec!["name".to_string()],
            "{engine}"
        );
    }
}

#[tokio::test]
async fn each_manager_fills_gaps_with_their_own_workers_and_never_two_shifts_at_once() {
    for db in databases().await {
        let engine = db.engine;
        let app = demo_app(&db, Settings::default()).await;
        let rota = shared_rota(&app, "County duty", ALL_DAY).await;
        let night = shared_rota(
            &app,
            "Night duty",
            "weekday 20:00-08:00; weekend 20:00-08:00; bank_holiday 20:00-08:00",
        )
        .await;
        let manager = actor_of(&app, "manager@cityadvocacy.example").await;
        let idva = actor_of(&app, "idva@cityadvocacy.example").await;
        let county = county_worker(&app).await;
        let outsider = actor_of(&app, "manager@victimcare.example").await;
        let tomorrow = app
            .today()
            .saturating_add(jiff::Span::new().days(1))
            .to_string();

        let before = app
            .duty_rota(&manager, &rota.id, app.today())
            .await
            .expect("rota");
        assert_eq!(before.gaps.len(), 28, "{engine}: every day a gap");
        assert!(before.can_plan, "{engine}");

        // Refusals, each naming its field; nothing written.
        assert_eq!(
            fields(
                app.assign_duty_shift(&manager, &rota.id, &shift(&tomorrow, "1", &idva.id))
                    .await
            ),
            vec!["slot".to_string()],
            "{engine}: the pattern has one shift a day"
        );
        let yesterday = app
            .today()
            .saturating_sub(jiff::Span::new().days(1))
            .to_string();
        assert_eq!(
            fields(
                app.assign_duty_shift(&manager, &rota.id, &shift(&yesterday, "0", &idva.id))
                    .await
            ),
            vec!["day".to_string()],
            "{engine}: a shift that has ended"
        );
        assert_eq!(
            fields(
                app.assign_duty_shift(&manager, &rota.id, &shift(&tomorrow, "0", &county.id))
                    .await
            ),
            vec!["worker".to_string()],
            "{engine}: another provider's worker"
        );
        assert!(
            matches!(
                app.assign_duty_shift(&idva, &rota.id, &shift(&tomorrow, "0", &idva.id))
                    .await,
                Err(AppError::Forbidden)
            ),
            "{engine}: a caseworker sees the rota but does not plan it"
        );
        assert!(
            matches!(
                app.assign_duty_shift(&outsider, &rota.id, &shift(&tomorrow, "0", &idva.id))
                    .await,
                Err(AppError::NotFound)
            ),
            "{engine}: a service not sharing the rota"
        );
        assert_eq!(audited(&app, "duty.shift_assigned").await, 0, "{engine}");

        let filled = app
            .assign_duty_shift(&manager, &rota.id, &shift(&tomorrow, "0", &idva.id))
            .await
            .expect("filled");
        assert_eq!(filled.worker_name, "Indra Advocate", "{engine}");
        assert_eq!(
            fields(
                app.assign_duty_shift(&manager, &rota.id, &shift(&tomorrow, "0", &idva.id))
                    .await
            ),
            vec!["slot".to_string()],
            "{engine}: already held"
        );
        // The night shift from 20:00 overlaps the whole-day shift.
        assert_eq!(
            fields(
                app.assign_duty_shift(&manager, &night.id, &shift(&tomorrow, "0", &idva.id))
                    .await
            ),
            vec!["worker".to_string()],
            "{engine}: two shifts at once"
        );
        let after = app
            .duty_rota(&manager, &rota.id, app.today())
            .await
            .expect("rota");
        assert_eq!(after.gaps.len(), 27, "{engine}");
        assert_eq!(audited(&app, "duty.shift_assigned").await, 1, "{engine}");
        let mine = app.my_shifts(&idva).await.expect("mine");
        assert_eq!(mine.len(), 1, "{engine}");
        assert_eq!(mine[0].1, "Duty IDVA", "{engine}");

        // Taken off by their own manager only; the shift is a gap again.
        assert!(
            matches!(
                app.clear_duty_shift(&idva, &rota.id, &filled.id).await,
                Err(AppError::Forbidden)
            ),
            "{engine}"
        );
        app.clear_duty_shift(&manager, &rota.id, &filled.id)
            .await
            .expect("cleared");
        assert_eq!(
            app.duty_rota(&manager, &rota.id, app.today())
                .await
                .expect("rota")
                .gaps
                .len(),
            28,
            "{engine}"
        );
        assert_eq!(audited(&app, "duty.shift_cleared").await, 1, "{engine}");
        assert!(app.my_shifts(&idva).await.expect("mine").is_empty());
    }
}

#[tokio::test]
async fn who_is_on_duty_now_gives_partners_the_role_and_line_never_a_name() {
    for db in databases().await {
        let engine = db.engine;
        let server = serve(demo_app(&db, Settings::default()).await, engine).await;
        let app = &server.app;
        let rota = shared_rota(app, "County duty", ALL_DAY).await;
        let manager = actor_of(app, "manager@cityadvocacy.example").await;
        let idva = actor_of(app, "idva@cityadvocacy.example").await;
        let now = app.on_duty_now(&idva).await.expect("now");
        assert!(!now[0].covered, "{engine}: nobody yet");
        app.assign_duty_shift(
            &manager,
            &rota.id,
            &shift(&app.today().to_string(), "0", &idva.id),
        )
        .await
        .expect("today");
        let now = app.on_duty_now(&idva).await.expect("now");
        assert!(now[0].covered, "{engine}");
        assert_eq!(now[0].worker.as_deref(), Some("Indra Advocate"), "{engine}");
        let outsider = actor_of(app, "caseworker@victimcare.example").await;
        let seen = app.on_duty_now(&outsider).await.expect("now");
        assert!(seen[0].covered && seen[0].worker.is_none(), "{engine}");

        let partner = token(&server, "Eastmoor Constabulary", &["directory:read"]).await;
        let answer = server
            .api()
            .get(server.url("/api/v1/duty/now"))
            .bearer_auth(&partner)
            .send()
            .await
            .expect("send");
        assert_eq!(answer.status().as_u16(), 200, "{engine}");
        let body: Value = answer.json().await.expect("json");
        assert_eq!(body[0]["role"], "Duty IDVA", "{engine}");
        assert_eq!(body[0]["contact"], "Duty line 01632 960 100", "{engine}");
        assert_eq!(body[0]["covered"], true, "{engine}");
        assert!(body[0].get("worker").is_none(), "{engine}: {body}");
        assert!(!body.to_string().contains("Indra"), "{engine}");
        let referrer = token(&server, "Eastmoor Constabulary", &["referrals:write"]).await;
        let refused = server
            .api()
            .get(server.url("/api/v1/duty/now"))
            .bearer_auth(&referrer)
            .send()
            .await
            .expect("send");
        assert_eq!(refused.status().as_u16(), 403, "{engine}");
    }
}

/// A worker asks that a colleague take their shift; only a manager of the
/// service decides, and an approved swap gives the colleague the shift
/// unless they are busy then.
#[tokio::test]
async fn a_worker_asks_to_swap_and_a_manager_approves_or_refuses() {
    for db in databases().await {
        let engine = db.engine;
        let app = demo_app(&db, Settings::default()).await;
        let rota = shared_rota(&app, "County duty", ALL_DAY).await;
        let manager = actor_of(&app, "manager@cityadvocacy.example").await;
        let idva = actor_of(&app, "idva@cityadvocacy.example").await;
        let colleague = city_worker(&app, "ade@cityadvocacy.example").await;
        let county = county_worker(&app).await;
        let day = |n: i64| {
            app.today()
                .saturating_add(jiff::Span::new().days(n))
                .to_string()
        };
        let first = app
            .assign_duty_shift(&manager, &rota.id, &shift(&day(2), "0", &idva.id))
            .await
            .expect("first");
        let second = app
            .assign_duty_shift(&manager, &rota.id, &shift(&day(3), "0", &idva.id))
            .await
            .expect("second");
        let swap_to = |cover: &str| app::duty::SwapInput {
            cover_by: cover.into(),
            reason: "Court all day".into(),
        };

        assert!(
            matches!(
                app.ask_duty_swap(&manager, &first.id, &swap_to(&colleague.id))
                    .await,
                Err(AppError::NotFound)
            ),
            "{engine}: only the worker on it"
        );
        assert_eq!(
            fields(
                app.ask_duty_swap(&idva, &first.id, &swap_to(&county.id))
                    .await
            ),
            vec!["cover_by".to_string()],
            "{engine}: a colleague of the same service"
        );
        let asked = app
            .ask_duty_swap(&idva, &first.id, &swap_to(&colleague.id))
            .await
            .expect("asked");
        assert_eq!(asked.status, "pending", "{engine}");
        assert_eq!(
            fields(
                app.ask_duty_swap(&idva, &first.id, &swap_to(&colleague.id))
                    .await
            ),
            vec!["cover_by".to_string()],
            "{engine}: one waiting swap a shift"
        );
        assert!(
            matches!(
                app.decide_duty_swap(&idva, &rota.id, &asked.id, "approve")
                    .await,
                Err(AppError::Forbidden)
            ),
            "{engine}: the worker does not approve their own swap"
        );
        app.decide_duty_swap(&manager, &rota.id, &asked.id, "approve")
            .await
            .expect("approved");
        let mine = app.my_shifts(&idva).await.expect("mine");
        assert_eq!(
            mine.len(),
            1,
            "{engine}: the first shift is the colleague's"
        );
        assert_eq!(
            fields(
                app.decide_duty_swap(&manager, &rota.id, &asked.id, "refuse")
                    .await
            ),
            vec!["decision".to_string()],
            "{engine}: decided once"
        );

        // The colleague works the night of the second shift's day, so
        // approving that swap is refused; refusing it is not.
        let night = shared_rota(
            &app,
            "Night duty",
            "weekday 20:00-08:00; weekend 20:00-08:00; bank_holiday 20:00-08:00",
        )
        .await;
        app.assign_duty_shift(&manager, &night.id, &shift(&day(3), "0", &colleague.id))
            .await
            .expect("the colleague's night");
        let asked = app
            .ask_duty_swap(&idva, &second.id, &swap_to(&colleague.id))
            .await
            .expect("asked");
        assert_eq!(
            fields(
                app.decide_duty_swap(&manager, &rota.id, &asked.id, "approve")
                    .await
            ),
            vec!["decision".to_string()],
            "{engine}: the colleague is busy then"
        );
        let refused = app
            .decide_duty_swap(&manager, &rota.id, &asked.id, "refuse")
            .await;
        assert!(refused.is_ok(), "{engine}");
        assert_eq!(
            app.my_shifts(&idva).await.expect("mine").len(),
            1,
            "{engine}"
        );
        assert_eq!(audited(&app, "duty.swap_asked").await, 2, "{engine}");
        assert_eq!(audited(&app, "duty.swap_decided").await, 2, "{engine}");
    }
}

async fn city_worker(app: &App, username: &str) -> store::users::User {
    let cli = command_line_actor();
    let service = app
        .services(&cli)
        .await
        .expect("services")
        .into_iter()
        .find(|s| s.name == "City IDVA service")
        .expect("city");
    app.create_staff(
        &cli,
        &app::staff::NewStaff {
            username: username.into(),
            display_name: "Ade Wren".into(),
            organisation_id: service.organisation_id.clone(),
            service_id: Some(service.id.clone()),
            team_id: None,
            role: "caseworker".into(),
            password: crate::support::PASSWORD.into(),
        },
    )
    .await
    .expect("city worker")
}

fn request(given: &str, family: &str, born: &str) -> app::duty::RequestInput {
    app::duty::RequestInput {
        source: "police".into(),
        urgency: "urgent".into(),
        given_name: given.into(),
        family_name: family.into(),
        date_of_birth: born.into(),
        asked: "Officer at the scene asks for advice on a safety plan".into(),
        ..Default::default()
    }
}

/// A duty request is taken with its target from the rota's rule, its
/// person linked or new after the duplicate check, actioned once and never
/// before it came, and counted in the response times.
#[tokio::test]
async fn a_duty_request_is_taken_checked_for_duplicates_actioned_and_counted() {
    use app::duty::{ActionedInput, Recorded};
    for db in databases().await {
        let engine = db.engine;
        let app = demo_app(&db, Settings::default()).await;
        let rota = shared_rota(&app, "County duty", ALL_DAY).await;
        let idva = actor_of(&app, "idva@cityadvocacy.example").await;
        let outsider = actor_of(&app, "caseworker@victimcare.example").await;

        let blank = app::duty::RequestInput::default();
        let refused = fields(app.record_duty_request(&idva, &rota.id, &blank).await);
        for field in ["source", "urgency", "asked", "given_name", "family_name"] {
            assert!(
                refused.contains(&field.to_string()),
                "{engine}: {field} in {refused:?}"
            );
        }
        let future = app::duty::RequestInput {
            received_time: "23:59".into(),
            received_on: app
                .today()
                .saturating_add(jiff::Span::new().days(1))
                .to_string(),
            ..request("Nia", "Jones", "1990-04-02")
        };
        assert_eq!(
            fields(app.record_duty_request(&idva, &rota.id, &future).await),
            vec!["received_time".to_string()],
            "{engine}"
        );
        assert!(
            matches!(
                app.record_duty_request(&outsider, &rota.id, &request("Nia", "Jones", ""))
                    .await,
                Err(AppError::NotFound)
            ),
            "{engine}: a service not sharing the rota"
        );

        let Recorded::Request(first) = app
            .record_duty_request(&idva, &rota.id, &request("Nia", "Jones", "1990-04-02"))
            .await
            .expect("taken")
        else {
            panic!("{engine}: a new person with no one alike is recorded");
        };
        let received: jiff::Timestamp = first.received_at.parse().expect("instant");
        let target: jiff::Timestamp = first.target_at.parse().expect("instant");
        assert_eq!(
            target.as_second() - received.as_second(),
            2 * 3600,
            "{engine}: in cover, two hours"
        );
        // The same name and date of birth: the worker is asked who it is.
        let again = app
            .record_duty_request(&idva, &rota.id, &request("Nia", "Jones", "1990-04-02"))
            .await
            .expect("checked");
        let Recorded::MayKnow(people) = again else {
            panic!("{engine}: the duplicate check asks first");
        };
        assert_eq!(people[0].id, first.person_id, "{engine}");
        let linked = app::duty::RequestInput {
            existing_person_id: first.person_id.clone(),
            ..request("Nia", "Jones", "1990-04-02")
        };
        let Recorded::Request(second) = app
            .record_duty_request(&idva, &rota.id, &linked)
            .await
            .expect("linked")
        else {
            panic!("{engine}: linked");
        };
        assert_eq!(second.person_id, first.person_id, "{engine}");
        let confirmed = app::duty::RequestInput {
            confirm_new_person: true,
            ..request("Nia", "Jones", "1990-04-02")
        };
        let Recorded::Request(third) = app
            .record_duty_request(&idva, &rota.id, &confirmed)
            .await
            .expect("new")
        else {
            panic!("{engine}: confirmed new");
        };
        assert_ne!(third.person_id, first.person_id, "{engine}");

        // Actioned: never before it came, nor in the future; once.
        let at = |t: jiff::Timestamp| {
            t.to_zoned(jiff::tz::TimeZone::get("Europe/London").expect("zone"))
        };
        let came = at(received);
        let before = came.saturating_sub(jiff::Span::new().minutes(5));
        let earlier = ActionedInput {
            actioned_on: before.date().to_string(),
            actioned_time: format!("{:02}:{:02}", before.hour(), before.minute()),
            outcome: "advice".into(),
            ..ActionedInput::default()
        };
        let refused = fields(
            app.action_duty_request(&idva, &rota.id, &first.id, &earlier)
                .await,
        );
        assert_eq!(refused, vec!["actioned_time".to_string()], "{engine}");
        county_worker(&app).await;
        let county = actor_of(&app, "pip@countyadvocacy.example").await;
        assert!(
            matches!(
                app.action_duty_request(&county, &rota.id, &first.id, &earlier)
                    .await,
                Err(AppError::Forbidden)
            ),
            "{engine}: the other provider's worker does not action the city's request"
        );
        app.clock.advance(30 * 60);
        let later = at(app.clock.now());
        let actioned = ActionedInput {
            actioned_on: later.date().to_string(),
            actioned_time: format!("{:02}:{:02}", later.hour(), later.minute()),
            outcome: "advice".into(),
            note: "Advice given".into(),
            ..ActionedInput::default()
        };
        app.action_duty_request(&idva, &rota.id, &first.id, &actioned)
            .await
            .expect("actioned");
        assert_eq!(
            fields(
                app.action_duty_request(&idva, &rota.id, &first.id, &actioned)
                    .await
            ),
            vec!["outcome".to_string()],
            "{engine}: once"
        );
        let day = app.today();
        let figures = app
            .duty_response_figures(
                &idva,
                &rota.id,
                day.saturating_sub(jiff::Span::new().days(1)),
                day,
            )
            .await
            .expect("figures");
        assert_eq!(figures.all.requests, 3, "{engine}");
        assert_eq!(figures.all.met, 1, "{engine}");
        assert_eq!(figures.all.waiting, 2, "{engine}");
        assert_eq!(figures.by_source[0].label, "Police", "{engine}");
        assert_eq!(figures.by_source[0].requests, 3, "{engine}");
        let seen = app
            .duty_requests(
                &idva,
                &rota.id,
                (day.saturating_sub(jiff::Span::new().days(1)), day),
                &app::paging::ListRequest::default(),
            )
            .await
            .expect("requests")
            .into_inner()
            .rows;
        assert_eq!(seen.len(), 3, "{engine}");
        assert_eq!(audited(&app, "duty.requests_viewed").await, 1, "{engine}");
        assert_eq!(audited(&app, "duty.request_taken").await, 3, "{engine}");
        assert_eq!(audited(&app, "duty.request_actioned").await, 1, "{engine}");
    }
}

/// A case opened from a duty request is held by the duty worker from the
/// moment it opens, flagged to the rota's managers once the handover time
/// passes, and handed to a worker of the service with a note in its
/// history: once, and never to someone outside the service.
#[tokio::test]
async fn a_case_opened_on_duty_is_held_until_it_is_handed_over_with_a_note() {
    use app::duty::{ActionedInput, HandoverInput, Recorded};
    for db in databases().await {
        let engine = db.engine;
        let app = demo_app(&db, Settings::default()).await;
        let rota = shared_rota(&app, "County duty", ALL_DAY).await;
        let idva = actor_of(&app, "idva@cityadvocacy.example").await;
        let manager = actor_of(&app, "manager@cityadvocacy.example").await;
        let colleague = city_worker(&app, "kit.brook@cityadvocacy.example").await;
        let colleague_actor = actor_of(&app, "kit.brook@cityadvocacy.example").await;
        let outsider = county_worker(&app).await;
        let county = actor_of(&app, "pip@countyadvocacy.example").await;

        let Recorded::Request(first) = app
            .record_duty_request(&idva, &rota.id, &request("Tara", "Quinn", "1988-09-14"))
            .await
            .expect("taken")
        else {
            panic!("{engine}: a new person");
        };
        let now = jiff::Zoned::now()
            .with_time_zone(jiff::tz::TimeZone::get("Europe/London").expect("zone"));
        let opened = ActionedInput {
            actioned_on: now.date().to_string(),
            actioned_time: format!("{:02}:{:02}", now.hour(), now.minute()),
            outcome: "case_opened".into(),
            ..ActionedInput::default()
        };
        // A case needs the referral's crime type and consent, named.
        let refused = fields(
            app.action_duty_request(&idva, &rota.id, &first.id, &opened)
                .await,
        );
        assert!(
            refused.contains(&"crime_type".to_string()),
            "{engine}: {refused:?}"
        );
        assert!(
            refused.contains(&"consent".to_string()),
            "{engine}: {refused:?}"
        );
        let opened = ActionedInput {
            crime_type: "domestic_abuse".into(),
            consent: "given".into(),
            ..opened
        };
        app.action_duty_request(&idva, &rota.id, &first.id, &opened)
            .await
            .expect("case opened");
        let requests = app
            .duty_requests(
                &idva,
                &rota.id,
                (app.today(), app.today()),
                &app::paging::ListRequest::default(),
            )
            .await
            .expect("requests")
            .into_inner()
            .rows;
        let referral_id = requests[0].referral_id.clone().expect("{engine}: linked");
        let referral = app.referral(&idva, &referral_id).await.expect("referral");
        assert_eq!(
            referral.into_inner().item.referral.status,
            "accepted",
            "{engine}"
        );
        let case = app
            .case_of_referral(&idva, &referral_id)
            .await
            .expect("read")
            .expect("{engine}: a case opened");
        assert_eq!(
            case.caseworker_id.as_deref(),
            Some(idva.id.as_str()),
            "{engine}: held by the duty worker from the moment it opens"
        );

        // Due at 20:00 London time, the next to come; flagged once passed.
        let waiting = app
            .duty_cases_waiting(&manager, &rota.id)
            .await
            .expect("waiting");
        assert_eq!(waiting.len(), 1, "{engine}");
        assert!(!waiting[0].overdue, "{engine}");
        let due: jiff::Timestamp = waiting[0].duty.hand_over_by.parse().expect("instant");
        let local = due.to_zoned(jiff::tz::TimeZone::get("Europe/London").expect("zone"));
        assert_eq!((local.hour(), local.minute()), (20, 0), "{engine}");
        assert!(due > app.clock.now(), "{engine}");
        assert!(
            due.as_second() - app.clock.now().as_second() <= 24 * 3600,
            "{engine}: within the day"
        );
        app.clock.advance(25 * 3600);
        let waiting = app
            .duty_cases_waiting(&manager, &rota.id)
            .await
            .expect("waiting");
        assert!(
            waiting[0].overdue,
            "{engine}: flagged past the handover time"
        );
        // On the home pages of its holder and the service's manager; not
        // of a colleague who neither holds it nor manages.
        for (who, flagged) in [(&idva, 1), (&manager, 1), (&colleague_actor, 0)] {
            let past = app.duty_cases_past_handover(who).await.expect("past");
            assert_eq!(
                past.iter().map(|p| p.cases).sum::<usize>(),
                flagged,
                "{engine}: {}",
                who.label
            );
        }

        // Refused: someone outside the service, no note, a colleague who
        // neither holds it nor manages, and the other provider.
        let outside = HandoverInput {
            to: outsider.id.clone(),
            note: "Risk high; safety plan agreed".into(),
        };
        assert_eq!(
            fields(app.hand_over_duty_case(&manager, &case.id, &outside).await),
            vec!["to".to_string()],
            "{engine}"
        );
        let silent = HandoverInput {
            to: colleague.id.clone(),
            note: "  ".into(),
        };
        assert_eq!(
            fields(app.hand_over_duty_case(&manager, &case.id, &silent).await),
            vec!["note".to_string()],
            "{engine}"
        );
        let handover = HandoverInput {
            to: colleague.id.clone(),
            note: "Risk high; safety plan agreed; call after 6pm".into(),
        };
        assert!(
            matches!(
                app.hand_over_duty_case(&colleague_actor, &case.id, &handover)
                    .await,
                Err(AppError::Forbidden)
            ),
            "{engine}: a colleague who does not hold it"
        );
        assert!(
            matches!(
                app.hand_over_duty_case(&county, &case.id, &handover).await,
                Err(AppError::NotFound)
            ),
            "{engine}: the other provider"
        );
        assert_eq!(
            app.case_of_referral(&idva, &referral_id)
                .await
                .expect("read")
                .expect("case")
                .caseworker_id
                .as_deref(),
            Some(idva.id.as_str()),
            "{engine}: nothing changed by a refusal"
        );

        app.hand_over_duty_case(&idva, &case.id, &handover)
            .await
            .expect("handed over by the duty worker");
        let detail = app
            .case(&manager, &case.id)
            .await
            .expect("case")
            .into_inner();
        assert_eq!(
            detail.case.caseworker_id.as_deref(),
            Some(colleague.id.as_str()),
            "{engine}"
        );
        let last = detail.history.iter().find(|h| h.status == "handed_over");
        assert_eq!(
            last.and_then(|h| h.note.clone()).as_deref(),
            Some("To Ade Wren: Risk high; safety plan agreed; call after 6pm"),
            "{engine}: the note is in the case's history"
        );
        assert!(
            detail.history.iter().any(|h| h.status == "opened_on_duty"),
            "{engine}"
        );
        assert!(
            app.duty_cases_waiting(&manager, &rota.id)
                .await
                .expect("waiting")
                .is_empty(),
            "{engine}"
        );
        assert_eq!(
            fields(app.hand_over_duty_case(&manager, &case.id, &handover).await),
            vec!["to".to_string()],
            "{engine}: once"
        );
        assert_eq!(audited(&app, "duty.case_handed_over").await, 1, "{engine}");
        let logged: String = sqlx::query_scalar(
            "SELECT COALESCE(after_json, '') FROM audit_events WHERE action = 'duty.case_handed_over'",
        )
        .fetch_one(app.db.pool())
        .await
        .expect("event");
        assert!(
            !logged.contains("safety plan"),
            "{engine}: no note in the log"
        );

        // A referral taken: written, awaiting contact, with no case.
        let Recorded::Request(second) = app
            .record_duty_request(&idva, &rota.id, &request("Rhea", "Moss", "1979-01-30"))
            .await
            .expect("taken")
        else {
            panic!("{engine}: a new person");
        };
        let now = app
            .clock
            .now()
            .to_zoned(jiff::tz::TimeZone::get("Europe/London").expect("zone"));
        let taken = ActionedInput {
            actioned_on: now.date().to_string(),
            actioned_time: format!("{:02}:{:02}", now.hour(), now.minute()),
            outcome: "referral_taken".into(),
            crime_type: "domestic_abuse".into(),
            consent: "given".into(),
            ..ActionedInput::default()
        };
        app.action_duty_request(&idva, &rota.id, &second.id, &taken)
            .await
            .expect("referral taken");
        let taken = app
            .duty_requests(
                &idva,
                &rota.id,
                (app.today(), app.today()),
                &app::paging::ListRequest::default(),
            )
            .await
            .expect("requests")
            .into_inner()
            .rows
            .into_iter()
            .find(|r| r.id == second.id)
            .and_then(|r| r.referral_id)
            .expect("{engine}: linked");
        assert!(
            app.case_of_referral(&idva, &taken)
                .await
                .expect("read")
                .is_none(),
            "{engine}: no case"
        );
    }
}

/// A token that sends to one service, for an organisation.
async fn sender_token(app: &App, organisation_id: &str, service_id: &str) -> String {
    app.create_token(
        &command_line_actor(),
        app::tokens::NewTokenInput {
            name: "control room",
            organisation_id,
            service_id: Some(service_id),
            scopes: &["referrals:write".to_string()],
        },
    )
    .await
    .expect("token")
    .secret
}

/// A police control room sends requests over the API with a token pointing
/// at a service sharing the rota: once per reference, refused by field,
/// its victim linked to someone the service surely knows, and not found by
/// a token pointing elsewhere.
#[tokio::test]
async fn a_partner_sends_duty_requests_over_the_api_once_per_reference() {
    use serde_json::json;
    for db in databases().await {
        let engine = db.engine;
        let server = serve(demo_app(&db, Settings::default()).await, engine).await;
        let app = &server.app;
        let rota = shared_rota(app, "County duty", ALL_DAY).await;
        let cli = command_line_actor();
        let services = app.services(&cli).await.expect("services");
        let service = |name: &str| {
            services
                .iter()
                .find(|s| s.name == name)
                .expect(name)
                .id
                .clone()
        };
        let police_org = app
            .organisations(&cli)
            .await
            .expect("organisations")
            .into_iter()
            .find(|o| o.name == "Eastmoor Constabulary")
            .expect("police");
        let control_room = sender_token(app, &police_org.id, &service("City IDVA service")).await;
        let elsewhere = sender_token(
            app,
            &police_org.id,
            &service("Eastmoor Victim Care: cope and recover"),
        )
        .await;
        let url = server.url(&format!("/api/v1/duty/rotas/{}/requests", rota.id));
        let send = |token: String, body: Value| {
            let url = url.clone();
            let client = server.api();
            async move {
                let answer = client
                    .post(url)
                    .bearer_auth(token)
                    .json(&body)
                    .send()
                    .await
                    .expect("send");
                let status = answer.status().as_u16();
                (status, answer.json::<Value>().await.unwrap_or(Value::Null))
            }
        };
        let body = json!({
            "sender_reference": "CAD-2026-0042",
            "source": "police",
            "urgency": "urgent",
            "given_name": "Bea",
            "family_name": "Corran",
            "date_of_birth": "1991-05-17",
            "asked": "Officers at the address ask for the duty IDVA tonight",
        });
        let (status, first) = send(control_room.clone(), body.clone()).await;
        assert_eq!(status, 201, "{engine}: {first}");
        assert_eq!(first["created"], true, "{engine}");
        assert_eq!(
            first["service_id"],
            service("City IDVA service"),
            "{engine}"
        );
        assert!(first["target_at"].as_str().is_some(), "{engine}");
        assert!(
            !first.to_string().contains("Corran"),
            "{engine}: no details back"
        );

        let (status, again) = send(control_room.clone(), body.clone()).await;
        assert_eq!((status, &again["id"]), (200, &first["id"]), "{engine}");
        assert_eq!(again["created"], false, "{engine}");
        let mut changed = body.clone();
        changed["asked"] = json!("Something else");
        let (status, refused) = send(control_room.clone(), changed).await;
        assert_eq!(status, 409, "{engine}: {refused}");
        assert!(refused.to_string().contains("asked"), "{engine}: {refused}");

        let (status, blank) = send(control_room.clone(), json!({})).await;
        assert_eq!(status, 422, "{engine}");
        for field in [
            "sender_reference",
            "source",
            "urgency",
            "given_name",
            "family_name",
            "asked",
        ] {
            assert!(
                blank.to_string().contains(field),
                "{engine}: {field} in {blank}"
            );
        }
        let (status, _) = send(elsewhere, body.clone()).await;
        assert_eq!(
            status, 404,
            "{engine}: a token pointing at a service off the rota"
        );

        // The same victim again, under a new reference: surely known, linked.
        let mut second = body.clone();
        second["sender_reference"] = json!("CAD-2026-0043");
        let (status, _) = send(control_room.clone(), second).await;
        assert_eq!(status, 201, "{engine}");
        let idva = actor_of(app, "idva@cityadvocacy.example").await;
        let held = app
            .duty_requests(
                &idva,
                &rota.id,
                (app.today(), app.today()),
                &app::paging::ListRequest::default(),
            )
            .await
            .expect("requests")
            .into_inner()
            .rows;
        assert_eq!(
            held.len(),
            2,
            "{engine}: nothing from the resends or refusals"
        );
        assert_eq!(held[0].person_id, held[1].person_id, "{engine}");
        assert_eq!(held[0].taken_by_name, "Eastmoor Constabulary", "{engine}");
        assert_eq!(audited(app, "duty.request_taken").await, 2, "{engine}");
    }
}

/// A system administrator corrects a rota's details; a new pattern is
/// refused while a coming shift would not fit it; the correction is audited
/// with what it changed.
#[tokio::test]
async fn a_rota_is_corrected_but_never_leaves_a_worker_on_a_shift_that_is_gone() {
    for db in databases().await {
        let engine = db.engine;
        let app = demo_app(&db, Settings::default()).await;
        let cli = command_line_actor();
        let day_cover = "weekday 09:00-20:00; weekend 09:00-20:00; bank_holiday 09:00-20:00";
        let rota = shared_rota(&app, "County duty", day_cover).await;
        let manager = actor_of(&app, "manager@cityadvocacy.example").await;
        let idva = actor_of(&app, "idva@cityadvocacy.example").await;
        let later = app.today().saturating_add(jiff::Span::new().days(3));
        app.assign_duty_shift(
            &manager,
            &rota.id,
            &shift(&later.to_string(), "0", &idva.id),
        )
        .await
        .expect("shift");
        let correction = |pattern: &str| RotaInput {
            name: "County duty".into(),
            role: "Duty IDVA".into(),
            contact: "Duty line 01632 960 100".into(),
            pattern: pattern.into(),
            handover_at: "19:00".into(),
            ..RotaInput::default()
        };
        assert!(
            matches!(
                app.correct_duty_rota(&manager, &rota.id, &correction(day_cover))
                    .await,
                Err(AppError::Forbidden)
            ),
            "{engine}: a service manager plans, an administrator sets up"
        );
        assert_eq!(
            fields(
                app.correct_duty_rota(&cli, &rota.id, &correction("weekday 9-5"))
                    .await
            ),
            vec!["pattern".to_string()],
            "{engine}"
        );
        let nights = "weekday 20:00-09:00; weekend 20:00-09:00; bank_holiday 20:00-09:00";
        assert_eq!(
            fields(
                app.correct_duty_rota(&cli, &rota.id, &correction(nights))
                    .await
            ),
            vec!["pattern".to_string()],
            "{engine}: the coming day shift would be left"
        );
        let other = shared_rota(&app, "Other duty", day_cover).await;
        let taken = RotaInput {
            name: "other duty".into(),
            ..correction(day_cover)
        };
        assert_eq!(
            fields(app.correct_duty_rota(&cli, &rota.id, &taken).await),
            vec!["name".to_string()],
            "{engine}: {} is taken",
            other.name
        );
        // The same pattern, a new handover time: saved, and audited.
        let saved = app
            .correct_duty_rota(&cli, &rota.id, &correction(day_cover))
            .await
            .expect("corrected");
        assert_eq!(saved.handover_at, "19:00", "{engine}");
        let shift_id = app
            .duty_rota(&manager, &rota.id, later)
            .await
            .expect("rota")
            .days
            .iter()
            .flat_map(|d| d.slots.iter())
            .find_map(|s| s.shift.as_ref().map(|s| s.id.clone()))
            .expect("the shift stays");
        app.clear_duty_shift(&manager, &rota.id, &shift_id)
            .await
            .expect("taken off");
        app.correct_duty_rota(&cli, &rota.id, &correction(nights))
            .await
            .expect("nights, now no one is left on a day shift");
        assert_eq!(audited(&app, "duty.rota_corrected").await, 2, "{engine}");
    }
}
