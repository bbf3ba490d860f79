//! The permission matrix: every route, as every role, on a record of the
//! user's own service and of another service, with the expected answer.

use app::Settings;
use app::command_line_actor;

use crate::support::{Browser, Server, databases, demo_app, serve, signed_in};

/// The roles, each signed in as a user of Eastmoor Victim Care (own) where
/// the role belongs to a service.
const ROLES: &[(&str, &str)] = &[
    ("caseworker", "caseworker@victimcare.example"),
    ("team_leader", "teamleader@victimcare.example"),
    ("service_manager", "manager@victimcare.example"),
    ("commissioner", "commissioner@opcc-eastmoor.example"),
    ("auditor", "auditor@waymark.example"),
    ("administrator", "orgadmin@victimcare.example"),
];

/// Ids of a record of each kind in the own service and in another.
pub(crate) struct Records {
    pub(crate) own_service: String,
    pub(crate) other_service: String,
    pub(crate) own_team: String,
    pub(crate) other_team: String,
    pub(crate) own_user: String,
    pub(crate) other_user: String,
    pub(crate) own_referral: String,
    pub(crate) other_referral: String,
    pub(crate) own_person: String,
    pub(crate) other_person: String,
    pub(crate) own_case: String,
    pub(crate) other_case: String,
    /// A pair on each service's "possibly the same person" list.
    pub(crate) own_pair: String,
    pub(crate) other_pair: String,
}

pub(crate) async fn records(server: &Server) -> Records {
    let app = &server.app;
    let cli = command_line_actor();
    let services = app.services(&cli).await.expect("services");
    let id = |name: &str| {
        services
            .iter()
            .find(|s| s.name == name)
            .expect(name)
            .id
            .clone()
    };
    let own_service = id("Eastmoor Victim Care: cope and recover");
    let other_service = id("City IDVA service");
    let teams = app.teams(&cli, None).await.expect("teams");
    let team = |name: &str| {
        teams
            .iter()
            .find(|t| t.name == name)
            .expect(name)
            .id
            .clone()
    };
    let own = crate::support::a_referral(app)
        .to("Eastmoor Victim Care: cope and recover")
        .about("Owen", "Matrix")
        .taken()
        .await;
    let other = crate::support::a_referral(app)
        .to("City IDVA service")
        .about("Otto", "Matrix")
        .taken()
        .await;
    // Accepted by each service's own team leader, opening a case in each.
    let mut cases = Vec::new();
    for (referral, service) in [(&own, &own_service), (&other, &other_service)] {
        let leader = crate::support::team_leader_of(service);
        app.triage(&leader, &referral.id, "accepted", "")
            .await
            .expect("accept");
        let case = app
            .case_of_referral(&leader, &referral.id)
            .await
            .expect("case")
            .expect("opened");
        cases.push(case.id);
    }
    let (own_case, other_case) = (cases[0].clone(), cases[1].clone());
    // The same name again, with no date of birth to be sure by: a second
    // person in each service, and a pair on its review list.
    let mut pairs = Vec::new();
    for (service, given, person) in [
        (
            "Eastmoor Victim Care: cope and recover",
            "Owen",
            &own.person_id,
        ),
        ("City IDVA service", "Otto", &other.person_id),
    ] {
        crate::support::a_referral(app)
            .to(service)
            .about(given, "Matrix")
            .taken()
            .await;
        let pair: String = sqlx::query_scalar(
            "SELECT id FROM possible_duplicates WHERE other_person_id = $1 OR person_id = $1",
        )
        .bind(person.clone())
        .fetch_one(app.db.pool())
        .await
        .expect("a pair");
        pairs.push(pair);
    }
    let (own_pair, other_pair) = (pairs[0].clone(), pairs[1].clone());
    let (own_referral, own_person) = (own.id, own.person_id);
    let (other_referral, other_person) = (other.id, other.person_id);
    Records {
        own_case,
        other_case,
        own_pair,
        other_pair,
        own_person,
        other_person,
        own_referral,
        other_referral,
        own_service,
        other_service,
        own_team: team("North team"),
        other_team: team("Duty team"),
        own_user: app
            .staff_by_username("caseworker@victimcare.example")
            .await
            .expect("own")
            .id,
        other_user: app
            .staff_by_username("idva@cityadvocacy.example")
            .await
            .expect("other")
            .id,
    }
}

/// Records for the changes that have nothing to refuse by validation.
struct RefusalRecords {
    own_task: String,
    other_task: String,
    own_grant: String,
    other_grant: String,
    own_token: String,
    other_token: String,
}

async fn refusal_records(server: &Server, r: &Records) -> RefusalRecords {
    let app = &server.app;
    let cli = command_line_actor();
    let mut tasks = Vec::new();
    for case in [&r.own_case, &r.other_case] {
        let worker = domain::policy::Actor {
            submission: None,
            id: r.own_user.clone(),
            label: "matrix".into(),
            organisation_id: String::new(),
            grants: vec![domain::policy::Grant {
                role: domain::policy::Role::ServiceManager,
                scope: domain::policy::GrantScope::Everywhere,
            }],
        };
        app.add_task(&worker, case, "Ring back", "2030-01-01")
            .await
            .expect("task");
        tasks.push(
            sqlx::query_scalar::<_, String>("SELECT id FROM tasks WHERE case_id = $1")
                .bind(case.clone())
                .fetch_one(app.db.pool())
                .await
                .expect("task id"),
        );
    }
    let grant = |user: String| async move {
        sqlx::query_scalar::<_, String>("SELECT id FROM role_grants WHERE user_id = $1")
            .bind(user)
            .fetch_one(app.db.pool())
            .await
            .expect("grant")
    };
    let organisations = app.organisations(&cli).await.expect("organisations");
    let mut tokens = Vec::new();
    for name in ["Eastmoor Victim Care", "City Advocacy Partnership"] {
        let organisation = organisations.iter().find(|o| o.name == name).expect(name);
        let scopes = ["directory:read".to_string()];
        let issued = app
            .create_token(
                &cli,
                app::tokens::NewTokenInput {
                    name: "matrix",
                    organisation_id: &organisation.id,
                    service_id: None,
                    scopes: &scopes,
                },
            )
            .await
            .expect("token");
        tokens.push(issued.token.id);
    }
    RefusalRecords {
        own_task: tasks[0].clone(),
        other_task: tasks[1].clone(),
        own_grant: grant(r.own_user.clone()).await,
        other_grant: grant(r.other_user.clone()).await,
        own_token: tokens[0].clone(),
        other_token: tokens[1].clone(),
    }
}

impl RefusalRecords {
    /// Nothing the refused posts aimed at has changed.
    async fn unchanged(&self, server: &Server) -> bool {
        let count = |sql: &'static str, ids: Vec<String>| async move {
            let mut total = 0;
            for id in ids {
                total += sqlx::query_scalar::<_, i64>(sql)
                    .bind(id)
                    .fetch_one(server.app.db.pool())
                    .await
                    .expect("count");
            }
            total
        };
        let open_tasks = count(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM tasks WHERE id = $1 AND done_at IS NULL",
            vec![self.own_task.clone(), self.other_task.clone()],
        )
        .await;
        let grants = count(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM role_grants WHERE id = $1",
            vec![self.own_grant.clone(), self.other_grant.clone()],
        )
        .await;
        let live_tokens = count(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM api_tokens WHERE id = $1 AND revoked_at IS NULL",
            vec![self.own_token.clone(), self.other_token.clone()],
        )
        .await;
        open_tasks == 2 && grants == 2 && live_tokens == 2
    }
}

/// A MARAC's meeting and a case on its agenda, for two MARACs.
struct MaracRecords {
    /// A duty rota shared by the own service, and one that is not.
    own_rota: String,
    other_rota: String,
    /// A coming shift on the own rota, held by the own service's caseworker.
    own_shift: String,
    /// The caseworker's swap of it, waiting.
    own_swap: String,
    /// An entry of the caseworker's recorded activity.
    own_activity: String,
    /// A case the own caseworker opened on duty, and one another
    /// service's worker did, neither handed over.
    own_duty_case: String,
    other_duty_case: String,
    /// A programme delivered by the own service and one by another, each
    /// with a call-out.
    own_programme: String,
    other_programme: String,
    own_call_out: String,
    other_call_out: String,
    /// The risk assessment on the case referred to the own MARAC.
    own_assessment: String,
    own_marac: String,
    other_marac: String,
    own_meeting: String,
    other_meeting: String,
    own_referral: String,
    other_referral: String,
    /// The case the own referral was made from (in the own service).
    own_referral_case: String,
}

async fn marac_records(server: &Server) -> MaracRecords {
    let (own_marac, own_meeting, own) =
        crate::support::a_marac_hearing(&server.app, "Own MARAC").await;
    let elsewhere = crate::support::an_area_elsewhere(&server.app).await;
    let (other_marac, other_meeting, other) =
        crate::support::a_marac_hearing_in(&server.app, "Other MARAC", &elsewhere).await;
    let mut conn = server.app.db.conn().await.expect("conn");
    let own_assessment = store::risk::assessments(&mut conn, &own.case_id)
        .await
        .expect("assessments")[0]
        .id
        .clone();
    let (own_rota, other_rota, own_shift, own_swap) = duty_records(server).await;
    let own_activity = activity_record(server).await;
    let own_duty_case = opened_on_duty(server, &own_rota, "caseworker@victimcare.example").await;
    let other_duty_case = opened_on_duty(server, &other_rota, "idva@cityadvocacy.example").await;
    let (own_programme, own_call_out) = programme_with_call_out(
        server,
        "Own car",
        "Eastmoor Victim Care: cope and recover",
        "caseworker@victimcare.example",
    )
    .await;
    let (other_programme, other_call_out) = programme_with_call_out(
        server,
        "Other car",
        "City IDVA service",
        "idva@cityadvocacy.example",
    )
    .await;
    MaracRecords {
        own_activity,
        own_duty_case,
        other_duty_case,
        own_programme,
        other_programme,
        own_call_out,
        other_call_out,
        own_rota,
        other_rota,
        own_shift,
        own_swap,
        own_assessment,
        own_marac: own_marac.id,
        other_marac: other_marac.id,
        own_meeting,
        other_meeting,
        own_referral_case: own.case_id,
        own_referral: own.id,
        other_referral: other.id,
    }
}

/// An hour of the own service's caseworker's time, recorded today.
async fn activity_record(server: &Server) -> String {
    let app = &server.app;
    let worker = app
        .staff_by_username("caseworker@victimcare.example")
        .await
        .expect("worker");
    let actor = crate::support::actor_of(app, "caseworker@victimcare.example").await;
    let area = app.areas(&command_line_actor()).await.expect("areas")[0]
        .id
        .clone();
    app.record_activity(
        &actor,
        &app::activity::ActivityInput {
            day: app.today().to_string(),
            kind: "contact".into(),
            hours: "1".into(),
            service: worker.service_id.clone().unwrap_or_default(),
            area,
            ..Default::default()
        },
    )
    .await
    .expect("activity")
    .id
}

/// A programme delivered by the service named, running since a month ago,
/// with one call-out recorded by the worker named.
async fn programme_with_call_out(
    server: &Server,
    name: &str,
    service: &str,
    username: &str,
) -> (String, String) {
    let app = &server.app;
    let starts = app.today().saturating_sub(jiff::Span::new().days(30));
    let programme = app
        .create_programme(
            &command_line_actor(),
            &app::programmes::ProgrammeInput {
                name: name.into(),
                service: service.into(),
                starts_on: starts.to_string(),
                ends_on: app
                    .today()
                    .saturating_add(jiff::Span::new().days(300))
                    .to_string(),
                baseline_from: starts
                    .saturating_sub(jiff::Span::new().days(200))
                    .to_string(),
                baseline_to: starts.saturating_sub(jiff::Span::new().days(1)).to_string(),
                ..Default::default()
            },
        )
        .await
        .expect("programme");
    let worker = crate::support::actor_of(app, username).await;
    let call_out = app
        .record_call_out(
            &worker,
            &programme.id,
            &app::programmes::CallOutInput {
                day: starts.to_string(),
                time: "21:00".into(),
                incident_reference: "EM-1".into(),
                area: "Eastmoor City".into(),
                given_name: "Call".into(),
                family_name: format!("Out {name}"),
                ..Default::default()
            },
        )
        .await
        .expect("call-out");
    (programme.id, call_out.id)
}

/// A case opened on duty from a police request, by the worker named.
async fn opened_on_duty(server: &Server, rota_id: &str, username: &str) -> String {
    let app = &server.app;
    let actor = crate::support::actor_of(app, username).await;
    let app::duty::Recorded::Request(request) = app
        .record_duty_request(
            &actor,
            rota_id,
            &app::duty::RequestInput {
                source: "police".into(),
                urgency: "urgent".into(),
                given_name: "Duty".into(),
                family_name: format!("Case {username}"),
                confirm_new_person: true,
                asked: "Advice at the scene".into(),
                ..Default::default()
            },
        )
        .await
        .expect("request")
    else {
        panic!("a confirmed new person is recorded");
    };
    let now = app
        .clock
        .now()
        .to_zoned(jiff::tz::TimeZone::get("Europe/London").expect("zone"));
    app.action_duty_request(
        &actor,
        rota_id,
        &request.id,
        &app::duty::ActionedInput {
            actioned_on: now.date().to_string(),
            actioned_time: format!("{:02}:{:02}", now.hour(), now.minute()),
            outcome: "case_opened".into(),
            crime_type: "domestic_abuse".into(),
            consent: "given".into(),
            ..Default::default()
        },
    )
    .await
    .expect("case opened");
    let mut conn = app.db.conn().await.expect("conn");
    let referral = store::duty::request(&mut conn, &request.id)
        .await
        .expect("read")
        .and_then(|r| r.referral_id)
        .expect("referral");
    store::cases::find_by_referral(&mut conn, &referral)
        .await
        .expect("read")
        .expect("case")
        .id
}

/// A rota shared by the own service, one shared by another, and a coming
/// shift on the own one.
async fn duty_records(server: &Server) -> (String, String, String, String) {
    let app = &server.app;
    let cli = command_line_actor();
    let rota = |name: &str, service: &str| app::duty::RotaInput {
        name: name.into(),
        role: "Duty worker".into(),
        contact: "Duty line".into(),
        pattern: "weekday 09:00-17:00; weekend 09:00-17:00; bank_holiday 09:00-17:00".into(),
        services: vec![service.into()],
        ..Default::default()
    };
    let own = app
        .create_duty_rota(
            &cli,
            &rota("Own duty", "Eastmoor Victim Care: cope and recover"),
        )
        .await
        .expect("own rota");
    let other = app
        .create_duty_rota(&cli, &rota("Other duty", "City IDVA service"))
        .await
        .expect("other rota");
    let leader = app
        .staff_by_username("teamleader@victimcare.example")
        .await
        .expect("leader");
    let worker = app
        .staff_by_username("caseworker@victimcare.example")
        .await
        .expect("worker");
    let leader_actor = crate::support::actor_of(app, "teamleader@victimcare.example").await;
    let later = app.today().saturating_add(jiff::Span::new().days(10));
    let shift = app
        .assign_duty_shift(
            &leader_actor,
            &own.id,
            &app::duty::ShiftInput {
                day: later.to_string(),
                slot: "0".into(),
                worker: worker.id.clone(),
            },
        )
        .await
        .expect("shift");
    // The caseworker asks that their team leader take it.
    let worker_actor = crate::support::actor_of(app, "caseworker@victimcare.example").await;
    let swap = app
        .ask_duty_swap(
            &worker_actor,
            &shift.id,
            &app::duty::SwapInput {
                cover_by: leader.id.clone(),
                reason: String::new(),
            },
        )
        .await
        .expect("swap");
    (own.id, other.id, shift.id, swap.id)
}

/// An administrator of the own provider only, so "other" means something for them.
async fn add_org_admin(server: &Server) {
    let app = &server.app;
    let cli = command_line_actor();
    let orgs = app.organisations(&cli).await.expect("orgs");
    let victim_care = orgs
        .iter()
        .find(|o| o.name == "Eastmoor Victim Care")
        .expect("org");
    app.create_staff(
        &cli,
        &app::staff::NewStaff {
            username: "orgadmin@victimcare.example".into(),
            display_name: "Olu Orgadmin".into(),
            organisation_id: victim_care.id.clone(),
            service_id: None,
            team_id: None,
            role: "administrator".into(),
            password: crate::support::PASSWORD.into(),
        },
    )
    .await
    .expect("org admin");
}

/// Expected status for each role, in ROLES order: (own record, other record).
type Row = [(u16, u16); 6];

/// A change: the path on the own record, on the other record, the fields sent, the expected answers.
type ChangeCase = (String, String, Vec<(&'static str, &'static str)>, Row);

/// A change with nothing to refuse by validation: the path on the own
/// record and on the other, and per role the answer on each (`None`: the
/// role may, so the own post is not sent).
type RefusalCase = (String, String, [(Option<u16>, u16); 6]);

const OK: (u16, u16) = (200, 200);
/// Routes the matrix does not request, each with the reason (and where its
/// permission is tested instead).
const OUTSIDE_MATRIX: &[(&str, &str)] = &[
    ("/healthz", "no sign-in: liveness"),
    ("/readyz", "no sign-in: readiness"),
    ("/static/waymark.css", "no sign-in: the stylesheet"),
    ("/static/waymark.js", "no sign-in: the script"),
    ("/account/keep-alive", "one's own session: auth.rs"),
    (
        "/help/moj-return",
        "no record: help text for every signed-in person",
    ),
    (
        "/help/activity",
        "no record: help text for every signed-in person",
    ),
    (
        "/help/duty",
        "no record: help text for every signed-in person",
    ),
    (
        "/help/programmes",
        "no record: help text for every signed-in person",
    ),
    (
        "/help/marac",
        "no record: help text for every signed-in person",
    ),
    (
        "/help/commissioning",
        "no record: help text for every signed-in person",
    ),
    ("/register", "no sign-in: the public register of decisions"),
    ("/register/services", "no sign-in: the funded services"),
    ("/register/decisions.csv", "no sign-in: the public register"),
    (
        "/register/decisions.json",
        "no sign-in: the public register",
    ),
    ("/register/feed.atom", "no sign-in: the public register"),
    (
        "/register/decisions/{id}",
        "no sign-in: a published decision; commissioning.rs tests drafts are not found",
    ),
    (
        "/commissioning",
        "the office's own: commissioning.rs tests who may see and change it",
    ),
    (
        "/commissioning/report",
        "the office's own: commissioning.rs tests who may read it",
    ),
    (
        "/pools",
        "the office's own: commissioning.rs tests who sees and sets up pools",
    ),
    (
        "/pools/{id}",
        "a pool: commissioning.rs tests that only its offices see it",
    ),
    (
        "/pools/{id}/edit",
        "a pool: commissioning.rs tests that only its lead office corrects it",
    ),
    (
        "/commissioning/objectives",
        "the office's own: commissioning.rs tests who may add one",
    ),
    (
        "/commissioning/sources",
        "the office's own: commissioning.rs tests who may add one",
    ),
    (
        "/commissioning/sources/{id}",
        "the office's own: commissioning.rs tests who may correct one",
    ),
    (
        "/commissioning/objectives/{id}",
        "the office's own: commissioning.rs tests who may correct one",
    ),
    (
        "/commissioning/allocations",
        "the office's own: commissioning.rs tests who may set one",
    ),
    (
        "/commissioning/decisions/new",
        "the office's own: commissioning.rs tests who may draft",
    ),
    (
        "/commissioning/decisions/{id}",
        "a decision: commissioning.rs tests who may see it",
    ),
    (
        "/commissioning/decisions/{id}/edit",
        "a decision: commissioning.rs tests who may amend it",
    ),
    (
        "/commissioning/decisions/{id}/consult",
        "a decision: commissioning.rs tests who may consult",
    ),
    (
        "/commissioning/decisions/{id}/approve",
        "a decision: commissioning.rs tests who may approve",
    ),
    (
        "/contracts",
        "the office's or the provider's own: commissioning.rs tests who sees which",
    ),
    (
        "/contracts/new",
        "the office's own: commissioning.rs tests who may set one up",
    ),
    (
        "/contracts/{id}",
        "a contract: commissioning.rs tests who may see it",
    ),
    (
        "/contracts/{id}/edit",
        "a contract: commissioning.rs tests who may correct it",
    ),
    (
        "/contracts/{id}/payments",
        "a contract: commissioning.rs tests who may record a payment",
    ),
    (
        "/contracts/{id}/narrative",
        "a contract: commissioning.rs tests who may write it",
    ),
    ("/login", "signing in: auth.rs"),
    ("/login/code", "signing in: auth.rs"),
    ("/logout", "signing out: auth.rs"),
    ("/account/password", "one's own account: auth.rs"),
    ("/account/second-factor", "one's own account: auth.rs"),
    (
        "/cases/allocate",
        "the cases are in the form: cases.rs tests who may allocate which",
    ),
    (
        "/cases/{id}/notes/{note}/reveal",
        "a read: read_audit.rs tests who may",
    ),
    (
        "/cases/{id}/documents/{document}",
        "a read: read_audit.rs and documents.rs test who may",
    ),
    (
        "/cases/{id}/documents",
        "a file upload: documents.rs tests who may",
    ),
    (
        "/cases/{id}/risk/{assessment}",
        "a read: read_audit.rs tests who may",
    ),
    (
        "/cases/{id}/incidents/{incident}",
        "an incident on a case: read_audit.rs and risk.rs test who may",
    ),
    (
        "/maracs/research/{id}",
        "the agency that added it: marac_meetings.rs tests who may",
    ),
    (
        "/maracs/actions/{id}",
        "an action's owning agency, coordinator or chair: marac_meetings.rs tests who may",
    ),
];

/// The router's pattern a concrete path is served by: of the patterns it
/// fits, the one with the most literal segments (as the router chooses).
fn route_of(path: &str, patterns: &[String]) -> Option<String> {
    let path = path.split('?').next().unwrap_or_default();
    let segments: Vec<&str> = path.split('/').collect();
    patterns
        .iter()
        .filter_map(|pattern| {
            let parts: Vec<&str> = pattern.split('/').collect();
            let fits = parts.len() == segments.len()
                && parts
                    .iter()
                    .zip(&segments)
                    .all(|(part, segment)| part.starts_with('{') || part == segment);
            fits.then(|| {
                (
                    parts.iter().filter(|p| !p.starts_with('{')).count(),
                    pattern,
                )
            })
        })
        .max_by_key(|(literal, _)| *literal)
        .map(|(_, pattern)| pattern.clone())
}

const DENY: (u16, u16) = (403, 403);
const OWN: (u16, u16) = (200, 404);
const HIDDEN: (u16, u16) = (404, 404);

#[tokio::test]
async fn every_route_for_every_role_on_own_and_other_records() {
    for db in databases().await {
        let server = serve(demo_app(&db, Settings::default()).await, db.engine).await;
        add_org_admin(&server).await;
        let r = records(&server).await;
        let m = marac_records(&server).await;
        let mut browsers: Vec<Browser> = Vec::new();
        for (_, username) in ROLES {
            browsers.push(signed_in(&server, username).await);
        }

        // Pages that show one record: (path for own, path for other, expected per role).
        let record_pages: Vec<(String, String, Row)> = vec![
            (
                format!("/services/{}", r.own_service),
                format!("/services/{}", r.other_service),
                [OWN, OWN, OWN, HIDDEN, HIDDEN, OWN],
            ),
            (
                format!("/teams/{}", r.own_team),
                format!("/teams/{}", r.other_team),
                [OWN, OWN, OWN, HIDDEN, HIDDEN, OWN],
            ),
            (
                format!("/staff/{}", r.own_user),
                format!("/staff/{}", r.other_user),
                [HIDDEN, OWN, OWN, HIDDEN, HIDDEN, OWN],
            ),
            (
                format!("/services/{}/edit", r.own_service),
                format!("/services/{}/edit", r.other_service),
                [(403, 404), (403, 404), (403, 404), HIDDEN, HIDDEN, OWN],
            ),
            // Casework is for the service's own staff: not commissioners,
            // auditors or administrators.
            (
                format!("/referrals/{}", r.own_referral),
                format!("/referrals/{}", r.other_referral),
                [OWN, OWN, OWN, HIDDEN, HIDDEN, HIDDEN],
            ),
            (
                format!("/people/{}", r.own_person),
                format!("/people/{}", r.other_person),
                [OWN, OWN, OWN, HIDDEN, HIDDEN, HIDDEN],
            ),
            (
                format!("/cases/{}", r.own_case),
                format!("/cases/{}", r.other_case),
                [OWN, OWN, OWN, HIDDEN, HIDDEN, HIDDEN],
            ),
            (
                format!("/people/{}/edit", r.own_person),
                format!("/people/{}/edit", r.other_person),
                [OWN, OWN, OWN, HIDDEN, HIDDEN, HIDDEN],
            ),
            (
                format!("/referrals/{}/edit", r.own_referral),
                format!("/referrals/{}/edit", r.other_referral),
                [OWN, OWN, OWN, HIDDEN, HIDDEN, HIDDEN],
            ),
            (
                format!("/cases/{}/print", r.own_case),
                format!("/cases/{}/print", r.other_case),
                [OWN, OWN, OWN, HIDDEN, HIDDEN, HIDDEN],
            ),
            (
                format!("/cases/{}/risk/new", r.own_case),
                format!("/cases/{}/risk/new", r.other_case),
                [OWN, OWN, OWN, HIDDEN, HIDDEN, HIDDEN],
            ),
            // A MARAC's records are its members' alone: no service role
            // reaches them (marac_meetings.rs tests members of two MARACs).
            (
                format!("/maracs/meetings/{}", m.own_meeting),
                format!("/maracs/meetings/{}", m.other_meeting),
                [HIDDEN; 6],
            ),
            (
                format!("/maracs/cases/{}", m.own_referral),
                format!("/maracs/cases/{}", m.other_referral),
                [HIDDEN; 6],
            ),
            (
                format!("/maracs/{}/edit", m.own_marac),
                format!("/maracs/{}/edit", m.other_marac),
                [DENY; 6],
            ),
            // A commissioner sees, protected, the figures of a MARAC in
            // the area of a service they commission; "other" is elsewhere.
            (
                format!("/maracs/{}/figures", m.own_marac),
                format!("/maracs/{}/figures", m.other_marac),
                [HIDDEN, HIDDEN, HIDDEN, OWN, HIDDEN, HIDDEN],
            ),
            (
                format!("/cases/{}/marac/{}", m.own_referral_case, m.own_referral),
                format!("/cases/{}/marac/{}", r.other_case, m.own_referral),
                [OWN, OWN, OWN, HIDDEN, HIDDEN, HIDDEN],
            ),
            (
                format!("/duty/rotas/{}/requests", m.own_rota),
                format!("/duty/rotas/{}/requests", m.other_rota),
                [OWN, OWN, OWN, HIDDEN, HIDDEN, HIDDEN],
            ),
            // A worker's own entry of activity: only they correct it.
            (
                format!("/activity/{}", m.own_activity),
                "/activity/00000000-0000-7000-8000-000000000000".to_string(),
                [OWN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN],
            ),
            // A worker's own shift: only they ask to swap it.
            (
                format!("/duty/shifts/{}/swap", m.own_shift),
                "/duty/shifts/00000000-0000-7000-8000-000000000000/swap".to_string(),
                [OWN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN],
            ),
            // A programme: its service's staff see it and its call-outs,
            // its workers correct them; its commissioners see only the
            // evaluation, protected; the list shows each their own.
            (
                "/programmes".to_string(),
                "/programmes".to_string(),
                [(200, 200); 6],
            ),
            (
                format!("/programmes/{}", m.own_programme),
                format!("/programmes/{}", m.other_programme),
                [OWN, OWN, OWN, HIDDEN, HIDDEN, HIDDEN],
            ),
            (
                format!(
                    "/programmes/{}/call-outs/{}",
                    m.own_programme, m.own_call_out
                ),
                format!(
                    "/programmes/{}/call-outs/{}",
                    m.other_programme, m.other_call_out
                ),
                [OWN, OWN, OWN, HIDDEN, HIDDEN, HIDDEN],
            ),
            (
                format!("/programmes/{}/evaluation", m.own_programme),
                format!("/programmes/{}/evaluation", m.other_programme),
                [OWN, OWN, OWN, (200, 200), HIDDEN, HIDDEN],
            ),
            // A case opened on duty: handed over by whoever holds it or a
            // manager of its service.
            (
                format!("/cases/{}/handover", m.own_duty_case),
                format!("/cases/{}/handover", m.other_duty_case),
                [OWN, OWN, OWN, HIDDEN, HIDDEN, HIDDEN],
            ),
            (
                format!("/duty/rotas/{}/edit", m.own_rota),
                format!("/duty/rotas/{}/edit", m.other_rota),
                [DENY; 6],
            ),
            (
                format!("/programmes/{}/edit", m.own_programme),
                format!("/programmes/{}/edit", m.other_programme),
                [DENY; 6],
            ),
            // A rota is its services' staff's alone.
            (
                format!("/duty/rotas/{}", m.own_rota),
                format!("/duty/rotas/{}", m.other_rota),
                [OWN, OWN, OWN, HIDDEN, HIDDEN, HIDDEN],
            ),
            (
                format!("/cases/{}/safety-plan/print", r.own_case),
                format!("/cases/{}/safety-plan/print", r.other_case),
                [OWN, OWN, OWN, HIDDEN, HIDDEN, HIDDEN],
            ),
            (
                format!("/people/duplicates/{}", r.own_pair),
                format!("/people/duplicates/{}", r.other_pair),
                [OWN, OWN, OWN, HIDDEN, HIDDEN, HIDDEN],
            ),
        ];
        for (own, other, expected) in &record_pages {
            for (i, (role, _)) in ROLES.iter().enumerate() {
                let got = (
                    browsers[i].get(own).await.status,
                    browsers[i].get(other).await.status,
                );
                assert_eq!(
                    got, expected[i],
                    "{}: GET {own} / {other} as {role}",
                    server.engine
                );
            }
        }

        // Pages without a record: the same answer whichever service.
        let pages: [(&str, Row); 26] = [
            ("/activity", [OK, OK, OK, DENY, DENY, DENY]),
            ("/activity/report", [DENY, OK, OK, OK, DENY, DENY]),
            ("/duty", [OK, OK, OK, DENY, DENY, DENY]),
            // Only MARAC roles serve on a MARAC.
            ("/maracs", [DENY; 6]),
            // MARACs are set up by system administrators only.
            ("/maracs/setup", [DENY; 6]),
            ("/duty/setup", [DENY; 6]),
            ("/programmes/setup", [DENY; 6]),
            ("/cases", [OK, OK, OK, DENY, DENY, DENY]),
            ("/people/duplicates", [OK, OK, OK, DENY, DENY, DENY]),
            ("/dashboard", [DENY, OK, OK, DENY, DENY, DENY]),
            ("/search", [OK, OK, OK, DENY, DENY, DENY]),
            ("/reports/moj", [DENY, OK, OK, OK, DENY, DENY]),
            ("/referrals", [OK, OK, OK, DENY, DENY, DENY]),
            ("/referrals/new", [OK, OK, OK, DENY, DENY, DENY]),
            ("/", [OK; 6]),
            ("/account", [OK; 6]),
            ("/services", [OK, OK, OK, DENY, DENY, OK]),
            ("/staff", [DENY, OK, OK, DENY, DENY, OK]),
            ("/staff/new", [DENY, DENY, OK, DENY, DENY, OK]),
            ("/services/new", [DENY, DENY, DENY, DENY, DENY, OK]),
            ("/figures", [DENY, OK, OK, OK, DENY, DENY]),
            ("/organisations", [DENY, DENY, DENY, DENY, DENY, OK]),
            ("/areas", [DENY, DENY, DENY, DENY, DENY, OK]),
            ("/tokens", [DENY, DENY, DENY, DENY, DENY, OK]),
            // The Code's rules apply everywhere: system administrators only.
            ("/code-rules", [DENY; 6]),
            ("/audit", [DENY, DENY, DENY, DENY, OK, DENY]),
        ];
        for (path, expected) in pages {
            for (i, (role, _)) in ROLES.iter().enumerate() {
                let status = browsers[i].get(path).await.status;
                assert_eq!(
                    status, expected[i].0,
                    "{}: GET {path} as {role}",
                    server.engine
                );
            }
        }

        // Changes. Each is sent with values that are refused by validation
        // (422) once permission is granted, so nothing changes whoever asks.
        // Longer than a reason may be (500 characters).
        let long_reason: &'static str = Box::leak("x".repeat(501).into_boxed_str());
        let changes: Vec<ChangeCase> = vec![
            (
                format!("/people/duplicates/{}/merge", r.own_pair),
                format!("/people/duplicates/{}/merge", r.other_pair),
                vec![("keep", "neither"), ("confirmed", "yes")],
                [(422, 404), (422, 404), (422, 404), HIDDEN, HIDDEN, HIDDEN],
            ),
            (
                format!("/people/duplicates/{}/dismiss", r.own_pair),
                format!("/people/duplicates/{}/dismiss", r.other_pair),
                vec![("reason", long_reason)],
                [(422, 404), (422, 404), (422, 404), HIDDEN, HIDDEN, HIDDEN],
            ),
            (
                format!("/people/{}/edit", r.own_person),
                format!("/people/{}/edit", r.other_person),
                vec![("given_name", ""), ("family_name", "Matrix")],
                [(422, 404), (422, 404), (422, 404), HIDDEN, HIDDEN, HIDDEN],
            ),
            (
                format!("/services/{}/teams", r.own_service),
                format!("/services/{}/teams", r.other_service),
                vec![("name", "")],
                [
                    (403, 404),
                    (403, 404),
                    (422, 404),
                    HIDDEN,
                    HIDDEN,
                    (422, 404),
                ],
            ),
            (
                format!("/referrals/{}/attempts", r.own_referral),
                format!("/referrals/{}/attempts", r.other_referral),
                vec![("channel", "carrier-pigeon"), ("result", "contacted")],
                [(422, 404), (422, 404), (422, 404), HIDDEN, HIDDEN, HIDDEN],
            ),
            (
                format!("/cases/{}/notes", r.own_case),
                format!("/cases/{}/notes", r.other_case),
                vec![("note", "")],
                [(422, 404), (422, 404), (422, 404), HIDDEN, HIDDEN, HIDDEN],
            ),
            (
                format!("/cases/{}/needs", r.own_case),
                format!("/cases/{}/needs", r.other_case),
                vec![("level-health", "no-such-level")],
                [(422, 404), (422, 404), (422, 404), HIDDEN, HIDDEN, HIDDEN],
            ),
            (
                format!("/cases/{}/marac", r.own_case),
                format!("/cases/{}/marac", r.other_case),
                vec![("meeting", "none/none")],
                [(422, 404), (422, 404), (422, 404), HIDDEN, HIDDEN, HIDDEN],
            ),
            (
                format!(
                    "/cases/{}/marac/{}/withdraw",
                    m.own_referral_case, m.own_referral
                ),
                format!("/cases/{}/marac/{}/withdraw", r.other_case, m.own_referral),
                vec![("confirmed", "yes"), ("withdrawn_reason", "")],
                [(422, 404), (422, 404), (422, 404), HIDDEN, HIDDEN, HIDDEN],
            ),
            (
                format!("/cases/{}/marac/{}", m.own_referral_case, m.own_referral),
                format!("/cases/{}/marac/{}", r.other_case, m.own_referral),
                vec![("meeting", ""), ("consent", "given")],
                [(422, 404), (422, 404), (422, 404), HIDDEN, HIDDEN, HIDDEN],
            ),
            (
                format!(
                    "/cases/{}/risk/{}/withdraw",
                    m.own_referral_case, m.own_assessment
                ),
                format!("/cases/{}/risk/{}/withdraw", r.other_case, m.own_assessment),
                vec![("confirmed", "yes"), ("withdrawn_reason", "")],
                [(422, 404), (422, 404), (422, 404), HIDDEN, HIDDEN, HIDDEN],
            ),
            (
                format!("/maracs/{}/meetings", m.own_marac),
                format!("/maracs/{}/meetings", m.other_marac),
                vec![("meets_on", "1/1/2040")],
                [HIDDEN; 6],
            ),
            // Planning a rota: its services' managers; a caseworker sees it.
            (
                format!("/duty/rotas/{}/shifts", m.own_rota),
                format!("/duty/rotas/{}/shifts", m.other_rota),
                vec![("day", "not a day"), ("slot", "0")],
                [(403, 404), (422, 404), (422, 404), HIDDEN, HIDDEN, HIDDEN],
            ),
            (
                format!("/programmes/{}/call-outs", m.own_programme),
                format!("/programmes/{}/call-outs", m.other_programme),
                vec![("day", "")],
                [(422, 404), (422, 404), (422, 404), HIDDEN, HIDDEN, HIDDEN],
            ),
            (
                format!(
                    "/programmes/{}/call-outs/{}",
                    m.own_programme, m.own_call_out
                ),
                format!(
                    "/programmes/{}/call-outs/{}",
                    m.other_programme, m.other_call_out
                ),
                vec![("day", "")],
                [(422, 404), (422, 404), (422, 404), HIDDEN, HIDDEN, HIDDEN],
            ),
            // The baseline: the service's managers.
            (
                format!("/programmes/{}/baseline", m.own_programme),
                format!("/programmes/{}/baseline", m.other_programme),
                vec![("baseline", "nonsense")],
                [HIDDEN, (422, 404), (422, 404), HIDDEN, HIDDEN, HIDDEN],
            ),
            (
                format!("/cases/{}/handover", m.own_duty_case),
                format!("/cases/{}/handover", m.other_duty_case),
                vec![("to", "")],
                [(422, 404), (422, 404), (422, 404), HIDDEN, HIDDEN, HIDDEN],
            ),
            (
                format!("/duty/shifts/{}/swap", m.own_shift),
                "/duty/shifts/00000000-0000-7000-8000-000000000000/swap".to_string(),
                vec![("cover_by", "")],
                [(422, 404), HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN],
            ),
            (
                format!("/duty/rotas/{}/swaps/{}", m.own_rota, m.own_swap),
                format!("/duty/rotas/{}/swaps/{}", m.other_rota, m.own_swap),
                vec![("decision", "maybe")],
                [(403, 404), (422, 404), (422, 404), HIDDEN, HIDDEN, HIDDEN],
            ),
            (
                "/activity".to_string(),
                "/activity".to_string(),
                vec![("kind", "")],
                [(422, 422), (422, 422), (422, 422), DENY, DENY, DENY],
            ),
            (
                format!("/activity/{}", m.own_activity),
                "/activity/00000000-0000-7000-8000-000000000000".to_string(),
                vec![("kind", "")],
                [(422, 404), HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN],
            ),
            (
                format!("/duty/rotas/{}/requests", m.own_rota),
                format!("/duty/rotas/{}/requests", m.other_rota),
                vec![("source", "")],
                [(422, 404), (422, 404), (422, 404), HIDDEN, HIDDEN, HIDDEN],
            ),
            (
                format!("/duty/rotas/{}/requests/none/actioned", m.own_rota),
                format!("/duty/rotas/{}/requests/none/actioned", m.other_rota),
                vec![("outcome", "")],
                [(404, 404), (404, 404), (404, 404), HIDDEN, HIDDEN, HIDDEN],
            ),
            // Setting up and correcting a MARAC: system administrators only.
            (
                "/maracs/setup".to_string(),
                "/maracs/setup".to_string(),
                vec![("name", "")],
                [DENY; 6],
            ),
            // Programmes too.
            (
                "/programmes/setup".to_string(),
                "/programmes/setup".to_string(),
                vec![("name", "")],
                [DENY; 6],
            ),
            (
                format!("/programmes/{}/edit", m.own_programme),
                format!("/programmes/{}/edit", m.other_programme),
                vec![("name", "")],
                [DENY; 6],
            ),
            // Duty rotas are set up and corrected by system administrators.
            (
                "/duty/setup".to_string(),
                "/duty/setup".to_string(),
                vec![("name", "")],
                [DENY; 6],
            ),
            (
                format!("/duty/rotas/{}/edit", m.own_rota),
                format!("/duty/rotas/{}/edit", m.other_rota),
                vec![("name", "")],
                [DENY; 6],
            ),
            (
                format!("/maracs/{}/edit", m.own_marac),
                format!("/maracs/{}/edit", m.other_marac),
                vec![("name", "")],
                [DENY; 6],
            ),
            (
                format!("/maracs/meetings/{}/acknowledge", m.own_meeting),
                format!("/maracs/meetings/{}/acknowledge", m.other_meeting),
                vec![],
                [HIDDEN; 6],
            ),
            (
                format!("/maracs/meetings/{}/minutes", m.own_meeting),
                format!("/maracs/meetings/{}/minutes", m.other_meeting),
                vec![("minutes", "Heard")],
                [HIDDEN; 6],
            ),
            (
                format!("/maracs/cases/{}/move", m.own_referral),
                format!("/maracs/cases/{}/move", m.other_referral),
                vec![("direction", "up")],
                [HIDDEN; 6],
            ),
            (
                format!("/maracs/cases/{}/research", m.own_referral),
                format!("/maracs/cases/{}/research", m.other_referral),
                vec![
                    ("item", "Known"),
                    ("shareable", "yes"),
                    ("reason", "Safety"),
                ],
                [HIDDEN; 6],
            ),
            (
                format!("/maracs/cases/{}/actions", m.own_referral),
                format!("/maracs/cases/{}/actions", m.other_referral),
                vec![("description", "Flag"), ("due_on", "1/1/2040")],
                [HIDDEN; 6],
            ),
            (
                format!("/maracs/cases/{}/outcome", m.own_referral),
                format!("/maracs/cases/{}/outcome", m.other_referral),
                vec![("outcome", "Heard")],
                [HIDDEN; 6],
            ),
            (
                format!("/cases/{}/safety-plan", r.own_case),
                format!("/cases/{}/safety-plan", r.other_case),
                vec![("review_on", "not-a-date")],
                [(422, 404), (422, 404), (422, 404), HIDDEN, HIDDEN, HIDDEN],
            ),
            (
                format!("/cases/{}/incidents", r.own_case),
                format!("/cases/{}/incidents", r.other_case),
                vec![("source", "rumour")],
                [(422, 404), (422, 404), (422, 404), HIDDEN, HIDDEN, HIDDEN],
            ),
            (
                format!("/cases/{}/risk/new", r.own_case),
                format!("/cases/{}/risk/new", r.other_case),
                vec![("template", "dash"), ("answer-injury", "perhaps")],
                [(422, 404), (422, 404), (422, 404), HIDDEN, HIDDEN, HIDDEN],
            ),
            (
                format!("/cases/{}/plan", r.own_case),
                format!("/cases/{}/plan", r.other_case),
                vec![("description", "")],
                [(422, 404), (422, 404), (422, 404), HIDDEN, HIDDEN, HIDDEN],
            ),
            (
                format!("/cases/{}/contacts", r.own_case),
                format!("/cases/{}/contacts", r.other_case),
                vec![("kind", "no-such-kind"), ("channel", "carrier-pigeon")],
                [(422, 404), (422, 404), (422, 404), HIDDEN, HIDDEN, HIDDEN],
            ),
            (
                format!("/cases/{}/tasks", r.own_case),
                format!("/cases/{}/tasks", r.other_case),
                vec![("task_title", ""), ("task_due_on", "not-a-date")],
                [(422, 404), (422, 404), (422, 404), HIDDEN, HIDDEN, HIDDEN],
            ),
            (
                format!("/cases/{}/onward", r.own_case),
                format!("/cases/{}/onward", r.other_case),
                vec![("agency", ""), ("onward_reason", "")],
                [(422, 404), (422, 404), (422, 404), HIDDEN, HIDDEN, HIDDEN],
            ),
            (
                format!("/cases/{}/close", r.own_case),
                format!("/cases/{}/close", r.other_case),
                vec![("closure_reason", "no-such-reason"), ("confirmed", "yes")],
                [(422, 404), (422, 404), (422, 404), HIDDEN, HIDDEN, HIDDEN],
            ),
            (
                format!("/cases/{}/letters", r.own_case),
                format!("/cases/{}/letters", r.other_case),
                vec![("letter", "no-such-letter")],
                [(422, 404), (422, 404), (422, 404), HIDDEN, HIDDEN, HIDDEN],
            ),
            (
                format!("/cases/{}/documents/none/remove", r.own_case),
                format!("/cases/{}/documents/none/remove", r.other_case),
                vec![("reason", ""), ("confirmed", "yes")],
                [(422, 404), (422, 404), (422, 404), HIDDEN, HIDDEN, HIDDEN],
            ),
            (
                format!("/cases/{}/people", r.own_case),
                format!("/cases/{}/people", r.other_case),
                vec![("link_given_name", ""), ("relationship", "no-such")],
                [(422, 404), (422, 404), (422, 404), HIDDEN, HIDDEN, HIDDEN],
            ),
            (
                format!("/referrals/{}/edit", r.own_referral),
                format!("/referrals/{}/edit", r.other_referral),
                vec![("crime_type", "no-such-crime")],
                [(422, 404), (422, 404), (422, 404), HIDDEN, HIDDEN, HIDDEN],
            ),
            (
                format!("/referrals/{}/preferences", r.own_referral),
                format!("/referrals/{}/preferences", r.other_referral),
                vec![("channel", "carrier-pigeon")],
                [(422, 404), (422, 404), (422, 404), HIDDEN, HIDDEN, HIDDEN],
            ),
            (
                format!("/cases/{}/reopen", r.own_case),
                format!("/cases/{}/reopen", r.other_case),
                vec![("reopen_reason", "")],
                [(403, 404), (403, 404), (422, 404), HIDDEN, HIDDEN, HIDDEN],
            ),
            (
                format!("/cases/{}/allocate", r.own_case),
                format!("/cases/{}/allocate", r.other_case),
                vec![("caseworker_id", "nobody")],
                [(403, 404), (422, 404), (422, 404), HIDDEN, HIDDEN, HIDDEN],
            ),
            (
                format!("/referrals/{}/triage", r.own_referral),
                format!("/referrals/{}/triage", r.other_referral),
                vec![("outcome", "new")],
                [(422, 404), (422, 404), (422, 404), HIDDEN, HIDDEN, HIDDEN],
            ),
            (
                format!("/teams/{}/rename", r.own_team),
                format!("/teams/{}/rename", r.other_team),
                vec![("name", "")],
                [
                    (403, 404),
                    (403, 404),
                    (422, 404),
                    HIDDEN,
                    HIDDEN,
                    (422, 404),
                ],
            ),
            (
                format!("/services/{}/edit", r.own_service),
                format!("/services/{}/edit", r.other_service),
                vec![("name", ""), ("kind", "generic")],
                [
                    (403, 404),
                    (403, 404),
                    (403, 404),
                    HIDDEN,
                    HIDDEN,
                    (422, 404),
                ],
            ),
            (
                format!("/staff/{}/team", r.own_user),
                format!("/staff/{}/team", r.other_user),
                vec![("team_id", "no-such-team")],
                [HIDDEN, (403, 404), (422, 404), HIDDEN, HIDDEN, (422, 404)],
            ),
            (
                format!("/staff/{}/grants", r.own_user),
                format!("/staff/{}/grants", r.other_user),
                vec![("role", "no-such-role"), ("scope", "service")],
                [HIDDEN, (403, 404), (422, 404), HIDDEN, HIDDEN, (422, 404)],
            ),
            (
                format!("/staff/{}/password", r.own_user),
                format!("/staff/{}/password", r.other_user),
                vec![("password", "short")],
                [HIDDEN, (403, 404), (422, 404), HIDDEN, HIDDEN, (422, 404)],
            ),
        ];
        for (own, other, fields, expected) in &changes {
            for (i, (role, _)) in ROLES.iter().enumerate() {
                let b = &mut browsers[i];
                b.get("/account").await;
                let got = (
                    b.submit(own, fields).await.status,
                    b.submit(other, fields).await.status,
                );
                assert_eq!(
                    got, expected[i],
                    "{}: POST {own} / {other} as {role}",
                    server.engine
                );
            }
        }

        // Changes with nothing to refuse by validation: each role without
        // permission is refused and nothing changes; a permitted role's own
        // post (`None`) is not sent here, as it would change the record
        // (each is tested where it is built: staff.rs, cases.rs, api.rs,
        // code_rules.rs), but its post to the other service's record is.
        let extra = refusal_records(&server, &r).await;
        let permitted = None;
        let managers = [
            (Some(404), 404),
            (Some(403), 404),
            (permitted, 404),
            (Some(404), 404),
            (Some(404), 404),
            (permitted, 404),
        ];
        let casework = [
            (permitted, 404),
            (permitted, 404),
            (permitted, 404),
            (Some(404), 404),
            (Some(404), 404),
            (Some(404), 404),
        ];
        let system_only = [(Some(403), 403); 6];
        let refusals: Vec<RefusalCase> = vec![
            (
                format!("/duty/rotas/{}/shifts/{}/clear", m.own_rota, m.own_shift),
                format!("/duty/rotas/{}/shifts/{}/clear", m.other_rota, m.own_shift),
                [
                    (Some(403), 404),
                    (permitted, 404),
                    (permitted, 404),
                    (Some(404), 404),
                    (Some(404), 404),
                    (Some(404), 404),
                ],
            ),
            (
                format!("/cases/{}/take", r.own_case),
                format!("/cases/{}/take", r.other_case),
                casework,
            ),
            (
                format!("/cases/{}/tasks/{}/done", r.own_case, extra.own_task),
                format!("/cases/{}/tasks/{}/done", r.other_case, extra.other_task),
                casework,
            ),
            (
                format!("/staff/{}/disable", r.own_user),
                format!("/staff/{}/disable", r.other_user),
                managers,
            ),
            (
                format!("/staff/{}/enable", r.own_user),
                format!("/staff/{}/enable", r.other_user),
                managers,
            ),
            (
                format!("/staff/{}/second-factor/reset", r.own_user),
                format!("/staff/{}/second-factor/reset", r.other_user),
                managers,
            ),
            (
                format!("/staff/{}/grants/{}/remove", r.own_user, extra.own_grant),
                format!(
                    "/staff/{}/grants/{}/remove",
                    r.other_user, extra.other_grant
                ),
                managers,
            ),
            (
                format!("/tokens/{}/revoke", extra.own_token),
                format!("/tokens/{}/revoke", extra.other_token),
                [
                    (Some(404), 404),
                    (Some(404), 404),
                    (Some(404), 404),
                    (Some(404), 404),
                    (Some(404), 404),
                    (permitted, 404),
                ],
            ),
            (
                "/code-rules/clocks/first_contact".into(),
                "/code-rules/clocks/first_contact".into(),
                system_only,
            ),
            (
                "/code-rules/crime-types".into(),
                "/code-rules/crime-types".into(),
                system_only,
            ),
            (
                "/code-rules/crime-types/theft/retire".into(),
                "/code-rules/crime-types/theft/retire".into(),
                system_only,
            ),
            (
                "/code-rules/crime-types/theft/offer".into(),
                "/code-rules/crime-types/theft/offer".into(),
                system_only,
            ),
        ];
        for (own, other, expected) in &refusals {
            for (i, (role, _)) in ROLES.iter().enumerate() {
                let b = &mut browsers[i];
                b.get("/account").await;
                // Answered yes where a change asks first, so the guard is what answers.
                let yes = [("confirmed", "yes")];
                let own_status = match expected[i].0 {
                    Some(_) => Some(b.submit(own, &yes).await.status),
                    None => None,
                };
                let got = (own_status, b.submit(other, &yes).await.status);
                assert_eq!(
                    got, expected[i],
                    "{}: POST {own} / {other} as {role}",
                    server.engine
                );
            }
        }
        assert!(
            extra.unchanged(&server).await,
            "{}: a refused post changed a record",
            server.engine
        );

        // Every route the router serves is in the matrix, or said to be
        // outside it and why: a new route cannot be left out unnoticed.
        let routes = web::route_paths();
        let covered: std::collections::BTreeSet<String> = record_pages
            .iter()
            .map(|(own, _, _)| own.clone())
            .chain(pages.iter().map(|(path, _)| path.to_string()))
            .chain(changes.iter().map(|(own, _, _, _)| own.clone()))
            .chain(refusals.iter().map(|(own, _, _)| own.clone()))
            .filter_map(|path| route_of(&path, &routes))
            .collect();
        let missing: Vec<String> = routes
            .into_iter()
            .filter(|p| !p.starts_with("/api/"))
            .filter(|p| !covered.contains(p))
            .filter(|p| !OUTSIDE_MATRIX.iter().any(|(route, _)| route == p))
            .collect();
        assert!(
            missing.is_empty(),
            "routes in neither the matrix nor OUTSIDE_MATRIX: {missing:?}"
        );

        // Lists never show another service's records.
        let services = browsers[0].get("/services").await;
        assert!(
            services
                .body
                .contains("Eastmoor Victim Care: cope and recover")
        );
        assert!(
            !services.body.contains("City IDVA service"),
            "{}: a caseworker's list leaks",
            server.engine
        );
        let staff = browsers[2].get("/staff?q=a").await;
        assert!(staff.body.contains("Casey Worker"));
        assert!(
            !staff.body.contains("Indra Advocate"),
            "{}: a manager's staff list leaks",
            server.engine
        );
        // The commissioner sees counts, and no one's name.
        let worklist = browsers[0].get("/referrals?status=all").await;
        assert!(
            worklist.body.contains("Owen Matrix") && !worklist.body.contains("Otto"),
            "{}: worklists are per service",
            server.engine
        );
        let figures = browsers[3].get("/figures").await;
        assert!(figures.body.contains("City IDVA service"));
        assert!(
            !figures.body.contains("Casey Worker") && !figures.body.contains("caseworker@"),
            "{}",
            server.engine
        );
    }
}

#[tokio::test]
async fn allowed_changes_happen_and_are_audited() {
    for db in databases().await {
        let server = serve(demo_app(&db, Settings::default()).await, db.engine).await;
        let r = records(&server).await;
        let mut manager = signed_in(&server, "manager@victimcare.example").await;
        manager.get("/account").await;
        let page = manager
            .submit(
                &format!("/services/{}/teams", r.own_service),
                &[("name", "Court support team")],
            )
            .await;
        assert_eq!(page.status, 303, "{}", server.engine);
        // Disabling asks first, and changes nothing until the answer is yes.
        let asked = manager
            .submit(&format!("/staff/{}/disable", r.own_user), &[])
            .await;
        assert!(
            asked.status == 200 && asked.body.contains("Disable this account?"),
            "{}",
            server.engine
        );
        assert!(
            signed_in(&server, "caseworker@victimcare.example")
                .await
                .get("/")
                .await
                .status
                == 200,
            "{}: still active",
            server.engine
        );
        let page = manager
            .submit(
                &format!("/staff/{}/disable", r.own_user),
                &[("confirmed", "yes")],
            )
            .await;
        assert_eq!(page.status, 200, "{}", server.engine);
        assert!(page.body.contains("Disabled"));
        // The disabled caseworker can no longer sign in.
        let mut caseworker = server.browser();
        assert_eq!(
            caseworker
                .sign_in("caseworker@victimcare.example", crate::support::PASSWORD)
                .await
                .status,
            422
        );

        let mut auditor = signed_in(&server, "auditor@waymark.example").await;
        let log = auditor.get("/audit").await;
        // The log says where the page is among all the events it may show.
        let all: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM audit_events")
            .fetch_one(server.app.db.pool())
            .await
            .expect("count");
        let shown = all.min(100);
        assert!(
            log.body.contains(&format!("Events: 1–{shown} of {all}")),
            "{}: {all} events",
            server.engine
        );
        if all > 100 {
            let older = log
                .body
                .split("href=\"/audit?before=")
                .nth(1)
                .and_then(|rest| rest.split('&').next())
                .expect("older events");
            let next = auditor.get(&format!("/audit?before={older}")).await;
            assert!(next.body.contains("Events: 101–"), "{}", server.engine);
        }
        for action in [
            "team.created",
            "user.disabled",
            "user.viewed",
            "login.succeeded",
            "login.failed",
        ] {
            assert!(
                log.body.contains(action),
                "{}: audit shows {action}",
                server.engine
            );
        }
        let verified = auditor.get("/audit?verify=1").await;
        assert!(verified.body.contains("is intact"), "{}", server.engine);
        assert!(
            !verified.body.contains("role=\"alert\""),
            "{}",
            server.engine
        );
        // Tampered with, the page raises an alarm, not a notice.
        sqlx::query("UPDATE audit_events SET after_json = '{}' WHERE seq = 3")
            .execute(server.app.db.pool())
            .await
            .expect("tamper");
        let broken = auditor.get("/audit?verify=1").await;
        assert!(
            broken
                .body
                .contains("class=\"alert-danger\" role=\"alert\"")
                && broken.body.contains("The audit log has been tampered with")
                && broken.body.contains("The chain is broken at"),
            "{}",
            server.engine
        );
        let filtered = auditor.get("/audit?action=team.").await;
        assert!(filtered.body.contains("team.created") && !filtered.body.contains("user.disabled"));
    }
}

/// Removing a role and revoking a token ask first: the first post answers
/// with the question and changes nothing; only "yes" changes the record.
#[tokio::test]
async fn destructive_changes_ask_first_and_change_nothing_until_yes() {
    for db in databases().await {
        let engine = db.engine;
        let server = serve(demo_app(&db, Settings::default()).await, engine).await;
        add_org_admin(&server).await;
        let r = records(&server).await;
        let extra = refusal_records(&server, &r).await;
        let mut admin = signed_in(&server, "orgadmin@victimcare.example").await;
        for (path, question) in [
            (
                format!("/staff/{}/grants/{}/remove", r.own_user, extra.own_grant),
                "Remove this role?",
            ),
            (
                format!("/tokens/{}/revoke", extra.own_token),
                "Revoke this API token?",
            ),
        ] {
            admin.get("/account").await;
            let asked = admin.submit(&path, &[]).await;
            assert!(
                asked.status == 200 && asked.body.contains(question),
                "{engine}: {path} asks first"
            );
            assert!(
                extra.unchanged(&server).await,
                "{engine}: asking changed nothing"
            );
        }
        let said_yes = admin
            .submit(
                &format!("/tokens/{}/revoke", extra.own_token),
                &[("confirmed", "yes")],
            )
            .await;
        assert_eq!(said_yes.status, 303, "{engine}");
        assert!(
            !extra.unchanged(&server).await,
            "{engine}: yes revokes the token"
        );
    }
}

/// Duties kept apart: an auditor holds no other role, and a commissioner
/// no casework role. The refusal names the role and gives nothing.
#[tokio::test]
async fn roles_that_must_stay_apart_cannot_be_combined() {
    for db in databases().await {
        let engine = db.engine;
        let app = demo_app(&db, Settings::default()).await;
        let cli = command_line_actor();
        let auditor = app
            .staff_by_username("auditor@waymark.example")
            .await
            .expect("auditor");
        let commissioner = app
            .staff_by_username("commissioner@opcc-eastmoor.example")
            .await
            .expect("commissioner");
        let caseworker = app
            .staff_by_username("caseworker@victimcare.example")
            .await
            .expect("caseworker");
        for (who, role, scope) in [
            (&auditor.id, "administrator", "organisation"),
            (&caseworker.id, "auditor", "organisation"),
            (&commissioner.id, "caseworker", "organisation"),
        ] {
            let before = app
                .staff_member(&cli, who)
                .await
                .expect("member")
                .grants
                .len();
            match app.add_grant(&cli, who, role, scope).await {
                Err(app::AppError::Invalid(errors)) => {
                    assert!(errors.get("role").is_some(), "{engine}: {role}: {errors:?}")
                }
                other => panic!("{engine}: {role} was given: {other:?}"),
            }
            assert_eq!(
                app.staff_member(&cli, who)
                    .await
                    .expect("member")
                    .grants
                    .len(),
                before,
                "{engine}: nothing given"
            );
        }
        // A role that goes with the others is still given.
        app.add_grant(&cli, &caseworker.id, "team_leader", "service")
            .await
            .expect("a caseworker may also lead a team");
    }
}
