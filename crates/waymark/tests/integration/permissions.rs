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
        let leader = domain::policy::Actor {
            id: "matrix".into(),
            label: "matrix".into(),
            organisation_id: String::new(),
            grants: vec![domain::policy::Grant {
                role: domain::policy::Role::TeamLeader,
                scope: domain::policy::GrantScope::Service(service.clone()),
            }],
        };
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
    let (own_referral, own_person) = (own.id, own.person_id);
    let (other_referral, other_person) = (other.id, other.person_id);
    Records {
        own_case,
        other_case,
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

const OK: (u16, u16) = (200, 200);
/// Routes the matrix does not request, each with the reason (and where its
/// permission is tested instead).
const OUTSIDE_MATRIX: &[(&str, &str)] = &[
    ("/healthz", "no sign-in: liveness"),
    ("/readyz", "no sign-in: readiness"),
    ("/static/waymark.css", "no sign-in: the stylesheet"),
    (
        "/help/moj-return",
        "no record: help text for every signed-in person",
    ),
    ("/login", "signing in: auth.rs"),
    ("/login/code", "signing in: auth.rs"),
    ("/logout", "signing out: auth.rs"),
    ("/account/password", "one's own account: auth.rs"),
    ("/account/second-factor", "one's own account: auth.rs"),
    // Not yet in the matrix: each has no input to refuse, so a permitted
    // post would change the record the rest of the matrix uses.
    (
        "/cases/{id}/notes/{note}/reveal",
        "a read: read_audit.rs tests who may",
    ),
    ("/cases/{id}/tasks/{task}/done", "not yet in the matrix"),
    (
        "/staff/{id}/disable",
        "allowed_changes_happen_and_are_audited",
    ),
    ("/staff/{id}/enable", "not yet in the matrix"),
    ("/staff/{id}/second-factor/reset", "not yet in the matrix"),
    ("/staff/{id}/grants/{grant}/remove", "not yet in the matrix"),
    ("/tokens/{id}/revoke", "not yet in the matrix"),
    ("/code-rules/clocks/{code}", "code_rules.rs"),
    ("/code-rules/crime-types", "code_rules.rs"),
    ("/code-rules/crime-types/{code}/retire", "code_rules.rs"),
    ("/code-rules/crime-types/{code}/offer", "code_rules.rs"),
];

/// A concrete path as the router's pattern: record ids become `{id}`.
fn route_pattern(path: &str) -> String {
    let path = path.split('?').next().unwrap_or_default();
    path.split('/')
        .map(|segment| {
            if segment.len() == 36 && segment.matches('-').count() == 4 {
                "{id}"
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join("/")
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
        let pages: [(&str, Row); 17] = [
            ("/cases", [OK, OK, OK, DENY, DENY, DENY]),
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
        let changes: Vec<ChangeCase> = vec![
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
                vec![("closure_reason", "no-such-reason")],
                [(422, 404), (422, 404), (422, 404), HIDDEN, HIDDEN, HIDDEN],
            ),
            (
                format!("/cases/{}/people", r.own_case),
                format!("/cases/{}/people", r.other_case),
                vec![("link_given_name", ""), ("relationship", "no-such")],
                [(422, 404), (422, 404), (422, 404), HIDDEN, HIDDEN, HIDDEN],
            ),
            (
                format!("/referrals/{}/preferences", r.own_referral),
                format!("/referrals/{}/preferences", r.other_referral),
                vec![("channel", "carrier-pigeon")],
                [(422, 404), (422, 404), (422, 404), HIDDEN, HIDDEN, HIDDEN],
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

        // Every route the router serves is in the matrix, or said to be
        // outside it and why: a new route cannot be left out unnoticed.
        let covered: std::collections::BTreeSet<String> = record_pages
            .iter()
            .map(|(own, _, _)| own.clone())
            .chain(pages.iter().map(|(path, _)| path.to_string()))
            .chain(changes.iter().map(|(own, _, _, _)| own.clone()))
            .map(|path| route_pattern(&path))
            .collect();
        let missing: Vec<String> = web::route_paths()
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
        let page = manager
            .submit(&format!("/staff/{}/disable", r.own_user), &[])
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
        let filtered = auditor.get("/audit?action=team.").await;
        assert!(filtered.body.contains("team.created") && !filtered.body.contains("user.disabled"));
    }
}
