//! Taking referrals: validation, duplicates, deadlines, safe contact,
//! triage, separation between services, and idempotent receipt over the API.

use app::Settings;
use app::command_line_actor;
use app::referrals::PersonChoice;
use app::tokens::NewTokenInput;
use serde_json::{Value, json};

use crate::support::{Server, a_referral, databases, demo_app, serve, signed_in};

const CASEWORKER: &str = "caseworker@victimcare.example";

async fn victim_care(server: &Server) -> String {
    let services = server
        .app
        .services(&command_line_actor())
        .await
        .expect("services");
    services
        .iter()
        .find(|s| s.name.starts_with("Eastmoor Victim Care"))
        .expect("service")
        .id
        .clone()
}

fn valid(service: &str) -> Vec<(&str, &str)> {
    vec![
        ("service_id", service),
        ("source", "police"),
        ("crime_type", "burglary"),
        ("crime_reference", "EM/12345/26"),
        ("incident_date", "2026-11-18"),
        ("crime_reported_on", "2026-11-19"),
        ("consent", "not_asked"),
        ("given_name", "Jordan"),
        ("family_name", "Example"),
        ("date_of_birth", "1990-04-01"),
        ("phone", "07700 900123"),
        ("postcode", "ng18 1ab"),
    ]
}

fn with<'a>(
    mut fields: Vec<(&'a str, &'a str)>,
    key: &'a str,
    value: &'a str,
) -> Vec<(&'a str, &'a str)> {
    fields.retain(|(k, _)| *k != key);
    fields.push((key, value));
    fields
}

#[tokio::test]
async fn a_caseworker_takes_a_referral_and_contacts_the_victim_safely() {
    for db in databases().await {
        let server = serve(demo_app(&db, Settings::default()).await, db.engine).await;
        let service = victim_care(&server).await;
        let mut caseworker = signed_in(&server, CASEWORKER).await;
        let form = caseworker.get("/referrals/new").await;
        // Nothing about consent is chosen for the caseworker: it must be answered.
        let consent = form
            .body
            .split("<select id=\"consent\"")
            .nth(1)
            .and_then(|rest| rest.split("</select>").next())
            .expect("the consent question");
        assert!(
            !consent.contains(" selected"),
            "{}: consent is preselected: {consent}",
            server.engine
        );

        // Bad input: each problem named at its field, and what was typed kept.
        let page = caseworker
            .submit(
                "/referrals/new",
                &[("service_id", &service), ("given_name", "Jordan")],
            )
            .await;
        assert_eq!(page.status, 422, "{}", server.engine);
        for field in ["source", "crime_type", "consent", "family_name"] {
            assert!(
                page.body.contains(&format!("href=\"#{field}\"")),
                "{}: {field} named",
                server.engine
            );
        }
        assert!(page.body.contains("value=\"Jordan\""));
        let opt_in = with(
            with(valid(&service), "crime_type", "domestic_abuse"),
            "consent",
            "not_asked",
        );
        let page = caseworker.submit("/referrals/new", &opt_in).await;
        assert!(
            page.body.contains("This crime type needs the victim"),
            "{}: {}",
            server.engine,
            page.body
        );
        let future = with(valid(&service), "incident_date", "2099-01-01");
        let page = caseworker.submit("/referrals/new", &future).await;
        assert!(
            page.body.contains("The incident cannot be in the future"),
            "{}",
            server.engine
        );
        let born_late = with(valid(&service), "date_of_birth", "2026-11-19");
        let page = caseworker.submit("/referrals/new", &born_late).await;
        assert!(
            page.body
                .contains("date of birth must be before the incident"),
            "{}",
            server.engine
        );
        let bad_postcode = with(valid(&service), "postcode", "not a postcode");
        let page = caseworker.submit("/referrals/new", &bad_postcode).await;
        assert!(
            page.body.contains("Enter a real postcode"),
            "{}",
            server.engine
        );

        // A good referral: a reference, deadlines, and on the worklist.
        let page = caseworker.submit("/referrals/new", &valid(&service)).await;
        assert_eq!(page.status, 303, "{}: {}", server.engine, page.body);
        let path = page.location().expect("location").to_string();
        let detail = caseworker.get(&path).await;
        assert!(detail.body.contains("REF-2026-000001"), "{}", server.engine);
        // Reported Thursday 19 November 2026: passed on within 2 working days, by Monday 23rd.
        assert!(
            detail.body.contains("23\u{a0}November\u{a0}2026"),
            "{}: passed-on deadline",
            server.engine
        );
        assert!(detail.body.contains("NG18 1AB"), "postcode normalised");
        let worklist = caseworker.get("/referrals").await;
        assert!(
            worklist.body.contains("REF-2026-000001") && worklist.body.contains("Jordan Example")
        );

        // The same person again: offered as a match rather than duplicated.
        caseworker.get("/referrals/new").await;
        let page = caseworker
            .submit(
                "/referrals/new",
                &with(valid(&service), "crime_reference", "EM/99999/26"),
            )
            .await;
        assert_eq!(page.status, 422, "{}", server.engine);
        assert!(
            page.body
                .contains("may be someone the service already knows")
        );
        let person_id = page
            .input_value("existing_person_id")
            .expect("a match offered");
        let linked = with(
            with(valid(&service), "crime_reference", "EM/99999/26"),
            "existing_person_id",
            &person_id,
        );
        let page = caseworker.submit("/referrals/new", &linked).await;
        assert_eq!(page.status, 303, "{}: {}", server.engine, page.body);
        let people: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM people")
            .fetch_one(server.app.db.pool())
            .await
            .expect("count");
        assert_eq!(people, 1, "{}: one person, two referrals", server.engine);

        // A similar name (a misspelt first name) with the same date of birth is offered too.
        let misspelt = with(
            with(with(valid(&service), "given_name", "Jordon"), "phone", ""),
            "crime_reference",
            "EM/5/26",
        );
        let page = caseworker.submit("/referrals/new", &misspelt).await;
        assert_eq!(page.status, 422, "{}", server.engine);
        assert!(
            page.body
                .contains("may be someone the service already knows"),
            "{}",
            server.engine
        );
        // Both names misspelt, and the names swapped, are offered too; a
        // different person born the same day is not.
        for (typed_given, typed_family, offered) in [
            ("Jordon", "Exampel", true),
            ("Example", "Jordan", true),
            ("Priya", "Okafor", false),
        ] {
            let typed = with(
                with(
                    with(misspelt.clone(), "given_name", typed_given),
                    "family_name",
                    typed_family,
                ),
                "confirm_new_person",
                "",
            );
            let page = caseworker.submit("/referrals/new", &typed).await;
            assert_eq!(
                page.body
                    .contains("may be someone the service already knows"),
                offered,
                "{}: {typed_given} {typed_family}",
                server.engine
            );
            if !offered {
                assert_eq!(page.status, 303, "{}: created", server.engine);
            }
        }

        // Safe contact: a channel marked unsafe is refused, saying why.
        caseworker.get(&path).await;
        let page = caseworker
            .submit(
                &format!("{path}/preferences"),
                &[
                    ("channel", "text"),
                    ("safe", "false"),
                    ("notes", "Partner reads her phone"),
                ],
            )
            .await;
        assert_eq!(page.status, 200, "{}", server.engine);
        let page = caseworker
            .submit(
                &format!("{path}/attempts"),
                &[("channel", "text"), ("result", "contacted")],
            )
            .await;
        assert_eq!(page.status, 422, "{}", server.engine);
        assert!(
            page.body
                .contains("Text message is marked unsafe for this person"),
            "{}",
            server.engine
        );
        assert!(page.body.contains("Partner reads her phone"));
        // An attempt where someone else answered marks the channel unsafe.
        let page = caseworker
            .submit(
                &format!("{path}/attempts"),
                &[("channel", "call"), ("result", "unsafe")],
            )
            .await;
        assert_eq!(page.status, 200, "{}", server.engine);
        let page = caseworker
            .submit(
                &format!("{path}/attempts"),
                &[("channel", "call"), ("result", "contacted")],
            )
            .await;
        assert_eq!(page.status, 422, "{}: call is now unsafe", server.engine);
        let page = caseworker
            .submit(
                &format!("{path}/attempts"),
                &[("channel", "visit"), ("result", "contacted")],
            )
            .await;
        assert_eq!(page.status, 200, "{}", server.engine);
        assert!(
            page.body.contains("Met"),
            "{}: first contact met",
            server.engine
        );
        // The post redirected to the referral's page, which says what was
        // done; loading that page again (a refresh) records nothing more.
        let shown = page
            .after_change
            .clone()
            .expect("a redirect after the change");
        assert_eq!(
            shown,
            format!("{path}?done=AttemptRecorded"),
            "{}",
            server.engine
        );
        assert!(page.body.contains("The attempt has been recorded."));
        let attempts = || async {
            sqlx::query_scalar::<_, i64>(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM contact_attempts WHERE referral_id = $1",
            )
            .bind(path.rsplit('/').next().unwrap_or_default().to_string())
            .fetch_one(server.app.db.pool())
            .await
            .expect("count")
        };
        let before = attempts().await;
        caseworker.get(&shown).await;
        // Enter in the address bar on the form's own address: to the page, not a bare 405.
        let opened = caseworker.get(&format!("{path}/attempts")).await;
        assert_eq!(
            (opened.status, opened.location()),
            (303, Some(path.as_str())),
            "{}",
            server.engine
        );
        assert_eq!(
            attempts().await,
            before,
            "{}: a refresh records nothing",
            server.engine
        );

        // Triage.
        let page = caseworker
            .submit(&format!("{path}/triage"), &[("outcome", "not_contactable")])
            .await;
        assert_eq!(
            page.status, 422,
            "{}: only two attempts were made",
            server.engine
        );
        assert!(page.body.contains("(2 so far)"), "{}", server.engine);
        let page = caseworker
            .submit(&format!("{path}/triage"), &[("outcome", "accepted")])
            .await;
        assert_eq!(page.status, 200, "{}: {}", server.engine, page.body);
        assert!(page.body.contains("Accepted for support"));
        let page = caseworker
            .submit(&format!("{path}/triage"), &[("outcome", "declined")])
            .await;
        assert_eq!(page.status, 422, "{}: already triaged", server.engine);

        // Another service's caseworker cannot see it; reads are audited.
        let mut other = signed_in(&server, "idva@cityadvocacy.example").await;
        assert_eq!(other.get(&path).await.status, 404, "{}", server.engine);
        assert!(
            !other
                .get("/referrals?status=all")
                .await
                .body
                .contains("Jordan"),
            "{}",
            server.engine
        );
        let viewed: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_events WHERE action = 'person.viewed'",
        )
        .fetch_one(server.app.db.pool())
        .await
        .expect("count");
        assert!(
            viewed >= 5,
            "{}: every view of the person is audited ({viewed})",
            server.engine
        );
        let details: Vec<String> =
            sqlx::query_scalar("SELECT COALESCE(after_json, '') FROM audit_events")
                .fetch_all(server.app.db.pool())
                .await
                .expect("audit");
        assert!(
            details
                .iter()
                .all(|d| !d.contains("Jordan") && !d.contains("07700")),
            "{}: no personal details in the audit",
            server.engine
        );
    }
}

#[tokio::test]
async fn police_referrals_over_the_api_are_received_once() {
    for db in databases().await {
        let server = serve(demo_app(&db, Settings::default()).await, db.engine).await;
        let service = victim_care(&server).await;
        let cli = command_line_actor();
        let orgs = server.app.organisations(&cli).await.expect("orgs");
        let police = orgs
            .iter()
            .find(|o| o.name == "Eastmoor Constabulary")
            .expect("police");
        let scopes = vec!["referrals:write".to_string()];
        let token = server
            .app
            .create_token(
                &cli,
                NewTokenInput {
                    name: "Police feed",
                    organisation_id: &police.id,
                    service_id: Some(&service),
                    scopes: &scopes,
                },
            )
            .await
            .expect("token")
            .secret;
        let client = server.api();
        let body = json!({
            "service_id": service, "source": "police", "sender_reference": "EMP-2026-0042",
            "received_at": "2026-11-20T10:00:00Z", "crime_reported_on": "2026-11-20",
            "crime_type": "domestic_abuse", "consent": "given", "consent_recorded_on": "2026-11-20",
            "incident_date": "2026-11-19", "given_name": "Sam", "family_name": "Sample", "date_of_birth": "2010-02-01",
            "area": "eastmoor city",
        });
        let first = client
            .post(server.url("/api/v1/referrals"))
            .bearer_auth(&token)
            .json(&body)
            .send()
            .await
            .expect("send");
        assert_eq!(first.status(), 201, "{}", server.engine);
        let first: Value = first.json().await.expect("json");
        // Under 18: enhanced, so information is due in 1 working day (Monday 23rd).
        assert_eq!(first["enhanced"], true, "{}", server.engine);
        assert_eq!(first["information_due_on"], "2026-11-23");
        assert_eq!(first["passed_due_on"], "2026-11-24");
        let again = client
            .post(server.url("/api/v1/referrals"))
            .bearer_auth(&token)
            .json(&body)
            .send()
            .await
            .expect("send");
        assert_eq!(
            again.status(),
            200,
            "{}: a resend is not a new referral",
            server.engine
        );
        let again: Value = again.json().await.expect("json");
        assert_eq!(again["id"], first["id"]);
        assert_eq!(again["created"], false);
        let count: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM referrals")
            .fetch_one(server.app.db.pool())
            .await
            .expect("count");
        assert_eq!(count, 1, "{}", server.engine);

        // The same reference with different content is refused, the fields
        // that differ named, and nothing changes.
        let mut changed = body.clone();
        changed["given_name"] = json!("Samantha");
        changed["account"] = json!("Seen at home");
        let conflict = client
            .post(server.url("/api/v1/referrals"))
            .bearer_auth(&token)
            .json(&changed)
            .send()
            .await
            .expect("send");
        assert_eq!(conflict.status(), 409, "{}", server.engine);
        let problem: Value = conflict.json().await.expect("json");
        let fields: Vec<&str> = problem["errors"]
            .as_array()
            .expect("errors")
            .iter()
            .filter_map(|e| e["field"].as_str())
            .collect();
        assert_eq!(fields, ["account", "given_name"], "{problem}");
        let given: String = sqlx::query_scalar("SELECT given_name FROM people")
            .fetch_one(server.app.db.pool())
            .await
            .expect("person");
        assert_eq!(given, "Sam", "{}: nothing changed", server.engine);

        let mut bad = body.clone();
        bad["sender_reference"] = json!("EMP-2026-0043");
        bad["area"] = json!("Atlantis");
        bad["crime_type"] = json!("jaywalking");
        bad["incident_date"] = json!("31/02/2026");
        let refused = client
            .post(server.url("/api/v1/referrals"))
            .bearer_auth(&token)
            .json(&bad)
            .send()
            .await
            .expect("send");
        assert_eq!(refused.status(), 422, "{}", server.engine);
        let problem: Value = refused.json().await.expect("json");
        let fields: Vec<&str> = problem["errors"]
            .as_array()
            .expect("errors")
            .iter()
            .map(|e| e["field"].as_str().unwrap_or_default())
            .collect();
        assert!(
            fields.contains(&"crime_type")
                && fields.contains(&"incident_date")
                && fields.contains(&"area"),
            "{}: {fields:?}",
            server.engine
        );

        // The sender's token cannot send to another service, nor read anything.
        let services = server.app.services(&cli).await.expect("services");
        let other = services
            .iter()
            .find(|s| s.name == "City IDVA service")
            .expect("other");
        let mut elsewhere = body.clone();
        elsewhere["service_id"] = json!(other.id);
        elsewhere["sender_reference"] = json!("EMP-2026-0044");
        let refused = client
            .post(server.url("/api/v1/referrals"))
            .bearer_auth(&token)
            .json(&elsewhere)
            .send()
            .await
            .expect("send");
        assert_eq!(refused.status(), 403, "{}", server.engine);
        assert_eq!(
            client
                .get(server.url("/api/v1/services"))
                .bearer_auth(&token)
                .send()
                .await
                .expect("send")
                .status(),
            200
        );
        let services: Value = client
            .get(server.url("/api/v1/services"))
            .bearer_auth(&token)
            .send()
            .await
            .expect("send")
            .json()
            .await
            .expect("json");
        assert_eq!(
            services.as_array().map(Vec::len),
            Some(0),
            "{}: a sender sees no services",
            server.engine
        );

        // The service sees it on its worklist, with the person.
        let mut caseworker = signed_in(&server, CASEWORKER).await;
        let worklist = caseworker.get("/referrals").await;
        assert!(
            worklist.body.contains("Sam Sample") && worklist.body.contains("Enhanced"),
            "{}",
            server.engine
        );

        // Naming only the area: routed to the service covering it, which
        // this token may send to; domestic abuse in Ashby Vale would go to
        // its specialist service, which it may not.
        let mut routed = body.clone();
        routed["service_id"] = json!("");
        routed["sender_reference"] = json!("EMP-2026-0045");
        routed["crime_type"] = json!("theft");
        let sent = client
            .post(server.url("/api/v1/referrals"))
            .bearer_auth(&token)
            .json(&routed)
            .send()
            .await
            .expect("send");
        assert_eq!(sent.status(), 201, "{}", server.engine);
        let sent: Value = sent.json().await.expect("json");
        assert_eq!(sent["service_id"], json!(service), "{}", server.engine);
        routed["sender_reference"] = json!("EMP-2026-0046");
        routed["crime_type"] = json!("domestic_abuse");
        routed["area"] = json!("Ashby Vale");
        let refused = client
            .post(server.url("/api/v1/referrals"))
            .bearer_auth(&token)
            .json(&routed)
            .send()
            .await
            .expect("send");
        assert_eq!(refused.status(), 403, "{}", server.engine);
    }
}

#[tokio::test]
async fn search_finds_people_by_each_detail_and_never_another_services() {
    for db in databases().await {
        let server = serve(demo_app(&db, Settings::default()).await, db.engine).await;
        let cli = command_line_actor();
        let services = server.app.services(&cli).await.expect("services");
        let own = services
            .iter()
            .find(|s| s.name.starts_with("Eastmoor Victim Care"))
            .expect("own")
            .id
            .clone();
        let other = services
            .iter()
            .find(|s| s.name == "City IDVA service")
            .expect("other")
            .id
            .clone();
        let person =
            |service: &str, crime_reference: &str, phone: &str| app::referrals::ReferralInput {
                service_id: service.to_string(),
                source: "police".into(),
                crime_type: "theft".into(),
                consent: "given".into(),
                crime_reference: crime_reference.into(),
                person: app::people::PersonInput {
                    given_name: "Robin".into(),
                    family_name: "O'Searchable".into(),
                    date_of_birth: "1985-07-09".into(),
                    phone: phone.into(),
                    postcode: "NG18 1AB".into(),
                    ..Default::default()
                },
                ..Default::default()
            };
        let mine = server
            .app
            .take_referral(
                &cli,
                &person(&own, "EM/1/26", "07700 900555"),
                &PersonChoice::sender(),
            )
            .await
            .expect("own")
            .referral;
        let theirs = server
            .app
            .take_referral(
                &cli,
                &person(&other, "EM/2/26", "07700 900666"),
                &PersonChoice::sender(),
            )
            .await
            .expect("other")
            .referral;

        let mut caseworker = signed_in(&server, CASEWORKER).await;
        let search =
            |q: &str| format!("/search?q={}&dob=", q.replace(' ', "+").replace('/', "%2F"));
        for q in [
            "Robin O'Searchable",
            "osearchable",
            "robin",
            "07700 900555",
            "ng181ab",
            "EM/1/26",
            mine.reference.as_str(),
            "09/07/1985",
            // The start of a name, the names the wrong way round, a slip.
            "osearch",
            "Rob O'Search",
            "O'Searchable Robin",
            "Robyn O'Searchable",
            "Rbin",
        ] {
            let page = caseworker.get(&search(q)).await;
            assert_eq!(page.status, 200, "{}: {q}", server.engine);
            assert!(
                page.body.contains(&mine.reference),
                "{}: '{q}' finds the person",
                server.engine
            );
            assert!(
                !page.body.contains(&theirs.reference),
                "{}: '{q}' must not show another service's person",
                server.engine
            );
            assert!(
                page.body.contains("1 found"),
                "{}: '{q}': {}",
                server.engine,
                page.body
            );
        }
        for q in ["EM/2/26", "07700 900666", theirs.reference.as_str()] {
            let page = caseworker.get(&search(q)).await;
            assert!(
                page.body.contains("0 found"),
                "{}: '{q}' is another service's",
                server.engine
            );
        }
        let page = caseworker.get("/search?q=&dob=").await;
        assert_eq!(page.status, 422, "{}", server.engine);
        assert!(page.body.contains("Enter a name, date of birth"));
        let searched: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_events WHERE action = 'people.searched'",
        )
        .fetch_one(server.app.db.pool())
        .await
        .expect("count");
        assert_eq!(searched, 16, "{}: every search is audited", server.engine);
        let leaked: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM audit_events WHERE after_json LIKE '%Searchable%'")
            .fetch_one(server.app.db.pool())
            .await
            .expect("count");
        assert_eq!(
            leaked, 0,
            "{}: search terms are not written to the log",
            server.engine
        );
    }
}

/// A crime reference is read once, as a value: kept as the police gave it
/// (trimmed), or refused naming the field, with nothing written.
#[tokio::test]
async fn a_crime_reference_is_read_once_or_refused_by_name() {
    for db in databases().await {
        let engine = db.engine;
        let app = demo_app(&db, Settings::default()).await;
        let kept = a_referral(&app)
            .crime_reference("  EM/12345/26 ")
            .taken()
            .await;
        assert_eq!(
            kept.crime_reference.as_deref(),
            Some("EM/12345/26"),
            "{engine}"
        );
        let count = || async {
            sqlx::query_scalar::<_, i64>(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM referrals r JOIN people p ON p.id = r.person_id
                 WHERE p.family_name = 'Refused'",
            )
            .fetch_one(app.db.pool())
            .await
            .expect("count")
        };
        match a_referral(&app)
            .about("Rae", "Refused")
            .crime_reference("EM/123;DROP")
            .refused()
            .await
        {
            app::AppError::Invalid(errors) => assert!(
                errors.get("crime_reference").is_some(),
                "{engine}: {errors:?}"
            ),
            other => panic!("{engine}: {other:?}"),
        }
        assert_eq!(count().await, 0, "{engine}: nothing written");
    }
}

/// A referral and the case it opens are stamped with the time of the change
/// that wrote them (the same instant as its audit event).
#[tokio::test]
async fn a_referral_and_its_case_carry_the_time_they_were_written() {
    for db in databases().await {
        let engine = db.engine;
        let app = demo_app(&db, Settings::default()).await;
        let before = app.clock.now_text();
        let referral = a_referral(&app).about("Tia", "Stamped").taken().await;
        let leader = crate::support::team_leader_of(&referral.service_id);
        app.triage(&leader, &referral.id, "accepted", "")
            .await
            .expect("accept");
        let case = app
            .case_of_referral(&leader, &referral.id)
            .await
            .expect("case")
            .expect("opened");
        let after = app.clock.now_text();
        for (what, at) in [
            ("referral", &referral.created_at),
            ("case", &case.opened_at),
        ] {
            assert!(
                before <= *at && *at <= after,
                "{engine}: the {what} was written at {at}, not between {before} and {after}"
            );
        }
    }
}

/// A form sent twice (a double click, a resend after a slow answer) changes
/// once: the page's one-time key is refused the second time, both where the
/// form is read and, should both arrive at once, in the change's transaction.
#[tokio::test]
async fn a_form_sent_twice_records_once() {
    for db in databases().await {
        let engine = db.engine;
        let server = serve(demo_app(&db, Settings::default()).await, engine).await;
        let referral = a_referral(&server.app).about("Dee", "Double").taken().await;
        let attempts = || async {
            sqlx::query_scalar::<_, i64>(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM contact_attempts WHERE referral_id = $1",
            )
            .bind(referral.id.clone())
            .fetch_one(server.app.db.pool())
            .await
            .expect("count")
        };
        let mut caseworker = signed_in(&server, CASEWORKER).await;
        let page = caseworker.get(&format!("/referrals/{}", referral.id)).await;
        let key = page
            .input_value("submission")
            .expect("the form's one-time key");
        let fields = [
            ("channel", "call"),
            ("result", "no_answer"),
            ("submission", key.as_str()),
        ];
        let first = caseworker
            .submit(&format!("/referrals/{}/attempts", referral.id), &fields)
            .await;
        assert_eq!(first.status, 200, "{engine}");
        assert_eq!(attempts().await, 1, "{engine}");
        let again = caseworker
            .submit(&format!("/referrals/{}/attempts", referral.id), &fields)
            .await;
        assert_eq!(again.status, 303, "{engine}: sent again, back to a page");
        assert_eq!(attempts().await, 1, "{engine}: recorded once");

        // Both at once: the second reaches the change, which refuses it.
        let mut actor = server
            .app
            .session(&caseworker.session_cookie().expect("session"))
            .await
            .expect("session")
            .expect("live")
            .actor;
        actor.submission = Some("both-at-once".into());
        server
            .app
            .record_contact_attempt(&actor, &referral.id, "call", "no_answer", "")
            .await
            .expect("first");
        let second = server
            .app
            .record_contact_attempt(&actor, &referral.id, "call", "no_answer", "")
            .await;
        assert!(
            matches!(second, Err(app::AppError::AlreadySent)),
            "{engine}: {second:?}"
        );
        assert_eq!(
            attempts().await,
            2,
            "{engine}: the second of the pair changed nothing"
        );
    }
}

/// A referral triaged as not contactable is finished with: its unmet
/// deadlines are missed, not overdue for ever on the worklist.
#[tokio::test]
async fn deadlines_of_a_referral_triaged_without_contact_are_missed_not_overdue() {
    for db in databases().await {
        let engine = db.engine;
        let app = demo_app(&db, Settings::default()).await;
        let service = crate::support::service_id(&app, "Eastmoor Victim Care").await;
        let received = app
            .clock
            .now()
            .checked_sub(jiff::SignedDuration::from_hours(24 * 30))
            .expect("a month ago")
            .to_string();
        let input = app::referrals::ReferralInput {
            service_id: service.clone(),
            source: "police".into(),
            crime_type: "theft".into(),
            consent: "given".into(),
            received_at: received,
            person: app::people::PersonInput {
                given_name: "Nia".into(),
                family_name: "Unreached".into(),
                ..Default::default()
            },
            ..Default::default()
        };
        let cli = command_line_actor();
        let referral = app
            .take_referral(&cli, &input, &PersonChoice::sender())
            .await
            .expect("referral")
            .referral;
        let leader = crate::support::team_leader_of(&service);
        assert!(
            deadline_states(&app, &leader, &referral.id)
                .await
                .contains(&"Overdue"),
            "{engine}: awaiting contact, a month on, it is overdue"
        );
        for _ in 0..3 {
            app.record_contact_attempt(&leader, &referral.id, "call", "no_answer", "")
                .await
                .expect("attempt");
        }
        app.triage(&leader, &referral.id, "not_contactable", "")
            .await
            .expect("triage");
        let after = deadline_states(&app, &leader, &referral.id).await;
        assert!(
            !after.contains(&"Overdue") && after.contains(&"Missed"),
            "{engine}: {after:?}"
        );
    }
}

async fn deadline_states(
    app: &app::App,
    actor: &domain::policy::Actor,
    id: &str,
) -> Vec<&'static str> {
    let detail = app
        .referral(actor, id)
        .await
        .expect("referral")
        .into_inner();
    detail
        .item
        .deadlines
        .iter()
        .map(|d| d.state_label())
        .collect()
}

/// A referral typed in days after it arrived is dated from its arrival:
/// its deadlines run from the day received, not the day of typing.
#[tokio::test]
async fn a_referral_entered_late_runs_from_the_day_it_was_received() {
    for db in databases().await {
        let engine = db.engine;
        let server = serve(demo_app(&db, Settings::default()).await, engine).await;
        let service = victim_care(&server).await;
        let today = server.app.today();
        let received = today
            .checked_sub(jiff::Span::new().days(7))
            .expect("a week ago");
        let mut caseworker = signed_in(&server, CASEWORKER).await;
        caseworker.get("/referrals/new").await;
        let received_text = received.to_string();
        let fields = with(valid(&service), "received_at", &received_text);
        let page = caseworker.submit("/referrals/new", &fields).await;
        assert_eq!(page.status, 303, "{engine}: {}", page.body);
        let id = page
            .location()
            .and_then(|l| l.rsplit('/').next())
            .expect("the referral")
            .to_string();
        let referral = server
            .app
            .referral(&crate::support::team_leader_of(&service), &id)
            .await
            .expect("referral")
            .into_inner()
            .item
            .referral;
        assert!(
            referral.received_at.starts_with(&received_text),
            "{engine}: received {}",
            referral.received_at
        );
        assert!(
            referral.contact_due_on < today.to_string(),
            "{engine}: first contact was due days ago ({})",
            referral.contact_due_on
        );
        // A day still to come is refused at the field.
        let tomorrow = today
            .checked_add(jiff::Span::new().days(1))
            .expect("tomorrow")
            .to_string();
        caseworker.get("/referrals/new").await;
        let page = caseworker
            .submit(
                "/referrals/new",
                &with(valid(&service), "received_at", &tomorrow),
            )
            .await;
        assert_eq!(page.status, 422, "{engine}");
        assert!(page.body.contains("href=\"#received_at\""), "{engine}");
    }
}

#[tokio::test]
async fn a_referral_is_corrected_with_its_history_and_its_deadlines_worked_out_again() {
    for db in databases().await {
        let app = demo_app(&db, Settings::default()).await;
        let referral = a_referral(&app)
            .crime_type("theft")
            .about("Cora", "Corrected")
            .taken()
            .await;
        let server = serve(app, db.engine).await;
        let engine = server.engine;
        let mut caseworker = signed_in(&server, "caseworker@victimcare.example").await;
        let path = format!("/referrals/{}", referral.id);
        let page = caseworker.get(&path).await;
        assert!(
            page.body.contains(&format!("href=\"{path}/edit\"")),
            "{engine}"
        );
        let form = caseworker.get(&format!("{path}/edit")).await;
        assert!(
            form.body.contains("value=\"theft\" selected"),
            "{engine}: the form holds what is recorded"
        );

        // A slip is refused at its field, and what was typed is kept.
        let refused = caseworker
            .submit(
                &format!("{path}/edit"),
                &[
                    ("crime_type", "jaywalking"),
                    ("crime_reference", "EM/2026/77"),
                ],
            )
            .await;
        assert_eq!(refused.status, 422, "{engine}");
        assert!(refused.body.contains("href=\"#crime_type\""), "{engine}");
        assert!(refused.body.contains("value=\"EM/2026/77\""), "{engine}");

        // Enhanced rights come to light: the information deadline shortens.
        let page = caseworker
            .submit(
                &format!("{path}/edit"),
                &[
                    ("crime_type", "theft"),
                    ("crime_reference", "EM/2026/77"),
                    ("enhanced_reasons", "intimidated"),
                    ("consent", "given"),
                ],
            )
            .await;
        assert_eq!(page.status, 200, "{engine}: {}", page.body);
        assert!(
            page.body.contains("The referral has been corrected"),
            "{engine}"
        );
        let stored = |id: String| {
            let pool = server.app.db.pool().clone();
            async move {
                sqlx::query_as::<_, (String, String, i64)>(
                    "SELECT information_due_on, COALESCE(crime_reference, ''), enhanced FROM referrals WHERE id = $1",
                )
                .bind(id)
                .fetch_one(&pool)
                .await
                .expect("referral")
            }
        };
        let (due, reference, enhanced) = stored(referral.id.clone()).await;
        assert_eq!(reference, "EM/2026/77", "{engine}");
        assert_eq!(enhanced, 1, "{engine}");
        assert!(
            due < referral.information_due_on,
            "{engine}: enhanced rights bring the deadline forward ({due} before {})",
            referral.information_due_on
        );
        assert!(
            page.body
                .contains("Crime reference: <em>none</em> → EM/2026/77")
                && page
                    .body
                    .contains("Enhanced rights: <em>none</em> → intimidated"),
            "{engine}: the history shows what changed: {}",
            page.body
        );
        let audited: (String, String) = sqlx::query_as(
            "SELECT before_json, after_json FROM audit_events WHERE action = 'referral.corrected' AND record_id = $1",
        )
        .bind(&referral.id)
        .fetch_one(server.app.db.pool())
        .await
        .expect("audited");
        assert!(
            audited.0.contains(&referral.information_due_on) && audited.1.contains(&due),
            "{engine}: the deadline's change is audited: {audited:?}"
        );

        // Sent again unchanged, nothing is recorded.
        caseworker.get(&format!("{path}/edit")).await;
        caseworker
            .submit(
                &format!("{path}/edit"),
                &[
                    ("crime_type", "theft"),
                    ("crime_reference", "EM/2026/77"),
                    ("enhanced_reasons", "intimidated"),
                    ("consent", "given"),
                ],
            )
            .await;
        let corrections: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_events WHERE action = 'referral.corrected'",
        )
        .fetch_one(server.app.db.pool())
        .await
        .expect("count");
        assert_eq!(corrections, 1, "{engine}");

        // Another service's caseworker cannot see or correct it.
        let mut other = signed_in(&server, "idva@cityadvocacy.example").await;
        assert_eq!(
            other.get(&format!("{path}/edit")).await.status,
            404,
            "{engine}"
        );
    }
}

#[tokio::test]
async fn the_referral_of_a_closed_case_stays_as_it_was() {
    for db in databases().await {
        let app = demo_app(&db, Settings::default()).await;
        let (referral, case) = a_referral(&app)
            .crime_type("theft")
            .about("Clo", "Closed")
            .accepted()
            .await;
        let leader = crate::support::team_leader_of(&referral.service_id);
        crate::support::allocate_to_anyone(&app, &leader, &case).await;
        let closure = app::cases::Closure {
            reason: "support_completed".into(),
            satisfaction: "satisfied".into(),
            outcomes: domain::cases::OutcomeMeasure::ALL
                .iter()
                .map(|m| (m.code().to_string(), "not_asked".to_string()))
                .collect(),
            open_tasks: String::new(),
        };
        app.close_case(&leader, &case.id, &closure)
            .await
            .expect("closed");
        let refused = app
            .correct_referral(
                &leader,
                &referral.id,
                &app::referrals::ReferralCorrection {
                    crime_reference: Some("EM/2026/99".into()),
                    ..Default::default()
                },
            )
            .await;
        assert!(
            matches!(&refused, Err(app::AppError::Invalid(e)) if e.get("referral").is_some()),
            "{}: {refused:?}",
            db.engine
        );
    }
}

#[tokio::test]
async fn an_alleged_perpetrator_is_flagged_in_search_and_never_offered_as_the_victim() {
    for db in databases().await {
        let app = demo_app(&db, Settings::default()).await;
        let (referral, case) = a_referral(&app)
            .crime_type("robbery")
            .about("Vic", "Tim")
            .accepted()
            .await;
        let leader = crate::support::team_leader_of(&referral.service_id);
        app.link_person(
            &leader,
            &case.id,
            "Chris",
            "Harmful",
            "1980-02-03",
            "perpetrator",
        )
        .await
        .expect("linked");
        // A referral naming the same person as the victim is not offered them.
        let input = app::referrals::ReferralInput {
            service_id: referral.service_id.clone(),
            source: "police".into(),
            crime_type: "theft".into(),
            consent: "given".into(),
            person: app::people::PersonInput {
                given_name: "Chris".into(),
                family_name: "Harmful".into(),
                date_of_birth: "1980-02-03".into(),
                ..Default::default()
            },
            ..Default::default()
        };
        let taken = app
            .take_referral(&leader, &input, &PersonChoice::default())
            .await;
        assert!(
            taken.is_ok(),
            "{}: the alleged perpetrator is not offered: {:?}",
            db.engine,
            taken.err()
        );
        let server = serve(app, db.engine).await;
        let mut caseworker = signed_in(&server, CASEWORKER).await;
        let page = caseworker.get("/search?q=Harmful&dob=").await;
        assert!(
            page.body.contains("2 found"),
            "{}: {}",
            server.engine,
            page.body
        );
        assert_eq!(
            page.body.matches("Alleged perpetrator").count(),
            1,
            "{}: only the one linked as alleged perpetrator is flagged",
            server.engine
        );
        // The victim's page lists their referrals and cases across time.
        let person = caseworker
            .get(&format!("/people/{}", referral.person_id))
            .await;
        assert!(
            person
                .body
                .contains(&format!("href=\"/cases/{}\"", case.id))
                && person
                    .body
                    .contains(&format!("href=\"/referrals/{}\"", referral.id)),
            "{}",
            server.engine
        );
    }
}

#[tokio::test]
async fn intake_takes_what_happened_and_how_to_contact_the_victim_safely() {
    for db in databases().await {
        let server = serve(demo_app(&db, Settings::default()).await, db.engine).await;
        let service = victim_care(&server).await;
        let mut caseworker = signed_in(&server, CASEWORKER).await;
        caseworker.get("/referrals/new").await;
        let both = with(
            with(valid(&service), "safe_channels", "text"),
            "unsafe_channels",
            "text",
        );
        let page = caseworker.submit("/referrals/new", &both).await;
        assert_eq!(page.status, 422, "{}", server.engine);
        assert!(
            page.body.contains("cannot be both safe and unsafe"),
            "{}",
            server.engine
        );
        let long = "He shouted. ".repeat(2000);
        let page = caseworker
            .submit("/referrals/new", &with(valid(&service), "account", &long))
            .await;
        assert_eq!(page.status, 422, "{}", server.engine);
        assert!(
            page.body
                .contains("20000 characters or fewer: this is 23999")
                && page.body.contains("He shouted. He shouted."),
            "{}: refused at its field, and kept",
            server.engine
        );
        let mut fields = with(
            valid(&service),
            "account",
            "Her ex-partner came to the house\nand broke the window.",
        );
        fields.extend([
            ("safe_channels", "call"),
            ("safe_channels", "visit"),
            ("unsafe_channels", "text"),
            ("safe_contact_notes", "Calls after 6pm only"),
        ]);
        let page = caseworker.submit("/referrals/new", &fields).await;
        assert_eq!(page.status, 303, "{}: {}", server.engine, page.body);
        let path = page.location().expect("location").to_string();
        let detail = caseworker.get(&path).await;
        assert!(
            detail
                .body
                .contains("Her ex-partner came to the house\nand broke the window."),
            "{}",
            server.engine
        );
        let text_row = detail
            .body
            .split("<td data-label=\"Channel\">Text message</td>")
            .nth(1)
            .expect("a preference for texts");
        assert!(
            text_row
                .split("</tr>")
                .next()
                .unwrap_or_default()
                .contains("Unsafe")
                && detail.body.contains("Calls after 6pm only"),
            "{}",
            server.engine
        );
        // The channel said to be unsafe cannot be used.
        let refused = caseworker
            .submit(
                &format!("{path}/attempts"),
                &[("channel", "text"), ("result", "no_answer")],
            )
            .await;
        assert_eq!(refused.status, 422, "{}", server.engine);
        assert!(refused.body.contains("marked unsafe"), "{}", server.engine);
    }
}

/// A victim reached who declines support was contacted: the contact counts
/// for the Victims' Code deadlines; an attempt that reaches no one does not.
#[tokio::test]
async fn a_victim_reached_who_declines_was_contacted() {
    for db in databases().await {
        let app = demo_app(&db, Settings::default()).await;
        let today = app.today().to_string();
        for (result, contacted) in [("no_answer", false), ("declined", true)] {
            let referral = crate::support::a_referral(&app).taken().await;
            let leader = crate::support::team_leader_of(&referral.service_id);
            app.record_contact_attempt(&leader, &referral.id, "call", result, "")
                .await
                .expect("attempt");
            let first: Option<String> =
                sqlx::query_scalar("SELECT first_contact_on FROM referrals WHERE id = $1")
                    .bind(&referral.id)
                    .fetch_one(app.db.pool())
                    .await
                    .expect("referral");
            assert_eq!(
                first.as_deref(),
                contacted.then_some(today.as_str()),
                "{}: {result}",
                db.engine
            );
            if !contacted {
                continue;
            }
            // Recorded before the rule, the contact date was left empty; the
            // migration that applies the rule fills it from the attempt.
            let pool = app.db.pool();
            sqlx::query("UPDATE referrals SET first_contact_on = NULL WHERE id = $1")
                .bind(&referral.id)
                .execute(pool)
                .await
                .expect("as before the rule");
            sqlx::query("DELETE FROM schema_migrations WHERE version = 26")
                .execute(pool)
                .await
                .expect("forget the migration");
            app.migrate().await.expect("migrate");
            let (first, attempted): (Option<String>, String) = sqlx::query_as(
                "SELECT r.first_contact_on, a.attempted_at FROM referrals r
                 JOIN contact_attempts a ON a.referral_id = r.id WHERE r.id = $1",
            )
            .bind(&referral.id)
            .fetch_one(pool)
            .await
            .expect("referral");
            assert_eq!(
                first.as_deref(),
                Some(&attempted[..10]),
                "{}: filled from the declined attempt",
                db.engine
            );
        }
    }
}

/// A crime type may carry enhanced rights by itself: a domestic abuse
/// referral with no reason ticked gets them, and the 1-day information
/// clock. Changing a type is audited and applies to referrals received from
/// then on; those already received keep what they were given.
#[tokio::test]
async fn a_crime_type_that_carries_enhanced_rights_gives_them_unticked() {
    for db in databases().await {
        let app = demo_app(&db, Settings::default()).await;
        let engine = db.engine;
        let abuse = crate::support::a_referral(&app)
            .crime_type("domestic_abuse")
            .taken()
            .await;
        assert_eq!(abuse.enhanced, 1, "{engine}");
        assert_eq!(abuse.enhanced_reasons, "most_serious_crime", "{engine}");
        let received = app.today();
        let calendar = app
            .calendar(domain::calendar::Nation::EnglandAndWales)
            .await
            .expect("calendar");
        assert_eq!(
            abuse.information_due_on,
            calendar.add_working_days(received, 1).to_string(),
            "{engine}: one working day"
        );

        let before = crate::support::a_referral(&app).taken().await;
        assert_eq!((before.enhanced, before.crime_type.as_str()), (0, "theft"));
        let cli = app::command_line_actor();
        let rule = |enhanced| app::referrals::CrimeTypeRule {
            label: "Theft",
            consent: "opt_out",
            enhanced,
        };
        let refused = app.set_crime_type(&cli, "theft", rule("brave"), true).await;
        assert!(
            matches!(&refused, Err(app::AppError::Invalid(e)) if e.get("enhanced").is_some()),
            "{engine}: {refused:?}"
        );
        app.set_crime_type(&cli, "theft", rule("intimidated"), true)
            .await
            .expect("set");
        let event: (Option<String>, Option<String>) = sqlx::query_as(
            "SELECT before_json, after_json FROM audit_events \
             WHERE action = 'crime_type.set' ORDER BY seq DESC LIMIT 1",
        )
        .fetch_one(app.db.pool())
        .await
        .expect("audited");
        assert!(
            event
                .0
                .unwrap_or_default()
                .contains("\"enhanced_reason\":null")
                && event
                    .1
                    .unwrap_or_default()
                    .contains("\"enhanced_reason\":\"intimidated\""),
            "{engine}: the change is audited with before and after"
        );
        let after = crate::support::a_referral(&app).taken().await;
        assert_eq!(
            (after.enhanced, after.enhanced_reasons.as_str()),
            (1, "intimidated"),
            "{engine}"
        );
        let kept: i64 =
            sqlx::query_scalar("SELECT CAST(enhanced AS BIGINT) FROM referrals WHERE id = $1")
                .bind(&before.id)
                .fetch_one(app.db.pool())
                .await
                .expect("kept");
        assert_eq!(
            kept, 0,
            "{engine}: a referral already received keeps its rights"
        );

        // Until the type's rules are applied to it, explicitly: only by a
        // system administrator, each change audited as a correction.
        let leader = crate::support::team_leader_of(&before.service_id);
        assert!(
            matches!(
                app.apply_crime_type_rules(&leader, "theft").await,
                Err(app::AppError::Forbidden)
            ),
            "{engine}"
        );
        let corrections = || async {
            sqlx::query_scalar::<_, i64>(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_events \
                 WHERE action = 'referral.corrected' AND record_id = $1",
            )
            .bind(&before.id)
            .fetch_one(app.db.pool())
            .await
            .expect("count")
        };
        assert_eq!(corrections().await, 0);
        let (examined, changed) = app
            .apply_crime_type_rules(&cli, "theft")
            .await
            .expect("applied");
        assert!(
            examined >= 2 && changed >= 1,
            "{engine}: {examined} {changed}"
        );
        let applied: (i64, String, String) = sqlx::query_as(
            "SELECT CAST(enhanced AS BIGINT), enhanced_reasons, information_due_on FROM referrals WHERE id = $1",
        )
        .bind(&before.id)
        .fetch_one(app.db.pool())
        .await
        .expect("applied");
        assert_eq!(
            applied,
            (
                1,
                "intimidated".to_string(),
                calendar.add_working_days(received, 1).to_string()
            ),
            "{engine}: enhanced, with the 1-day information clock"
        );
        assert_eq!(corrections().await, 1, "{engine}: audited");
        let (_, again) = app
            .apply_crime_type_rules(&cli, "theft")
            .await
            .expect("again");
        assert_eq!(again, 0, "{engine}: applying twice changes nothing more");
    }
}

/// A sender cannot see whom the service knows, so the service recognises
/// them: a referral about someone surely known (the same name and date of
/// birth) is linked to them; anything less sure is a new person.
#[tokio::test]
async fn a_repeat_victim_sent_over_the_api_is_recognised() {
    for db in databases().await {
        let server = serve(demo_app(&db, Settings::default()).await, db.engine).await;
        let engine = server.engine;
        let feed = crate::support::police_feed(&server).await;
        let send = |reference: &str, given: &str, born: &str| {
            server
                .api()
                .post(server.url("/api/v1/referrals"))
                .bearer_auth(&feed)
                .json(&json!({
                    "source": "police", "sender_reference": reference, "crime_type": "theft",
                    "consent": "given", "given_name": given, "family_name": "Repeat-Victim",
                    "date_of_birth": born, "area": "eastmoor city",
                }))
                .send()
        };
        let person_of = |reference: &'static str| {
            let pool = server.app.db.pool().clone();
            async move {
                sqlx::query_scalar::<_, String>(
                    "SELECT person_id FROM referrals WHERE sender_reference = $1",
                )
                .bind(reference)
                .fetch_one(&pool)
                .await
                .expect("referral")
            }
        };
        for (reference, given, born) in [
            ("REP-1", "Robin", "1980-02-01"),
            ("REP-2", " robin ", "1980-02-01"),
            ("REP-3", "Robin", "1981-02-01"),
            ("REP-4", "Robyn", "1980-02-01"),
        ] {
            let answer = send(reference, given, born).await.expect("send");
            assert_eq!(answer.status(), 201, "{engine}: {reference}");
        }
        let first = person_of("REP-1").await;
        assert_eq!(person_of("REP-2").await, first, "{engine}: the same person");
        assert_ne!(
            person_of("REP-3").await,
            first,
            "{engine}: another date of birth"
        );
        assert_ne!(person_of("REP-4").await, first, "{engine}: another name");
    }
}

/// Two senders' referrals about one new victim, arriving at once, make one
/// person: whether she is known is decided under the writer's lock.
#[tokio::test]
async fn a_new_victim_sent_twice_at_once_becomes_one_person() {
    for db in databases().await {
        let server = serve(demo_app(&db, Settings::default()).await, db.engine).await;
        let engine = server.engine;
        let feed = crate::support::police_feed(&server).await;
        let mut sends = tokio::task::JoinSet::new();
        for n in 0..8 {
            let request = server
                .api()
                .post(server.url("/api/v1/referrals"))
                .bearer_auth(&feed)
                .json(&json!({
                    "source": "police", "sender_reference": format!("TWICE-{n}"), "crime_type": "theft",
                    "consent": "given", "given_name": "Morwen", "family_name": "Atonce",
                    "date_of_birth": "1977-07-07", "area": "eastmoor city",
                }));
            sends.spawn(async move { request.send().await });
        }
        while let Some(answer) = sends.join_next().await {
            let answer = answer.expect("task").expect("send");
            assert_eq!(answer.status(), 201, "{engine}");
        }
        let people: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(DISTINCT person_id) AS BIGINT) FROM referrals WHERE sender_reference LIKE 'TWICE-%'",
        )
        .fetch_one(server.app.db.pool())
        .await
        .expect("count");
        assert_eq!(people, 1, "{engine}: one person, eight referrals");
    }
}

/// Referrals posted at the same moment are written together, fewer
/// transactions than referrals, and each sender still gets its own answer:
/// a new referral 201, a second copy of a reference sent beside the first
/// 200 with the same referral, nothing written twice.
#[tokio::test]
async fn referrals_posted_together_are_written_together_each_answered() {
    for db in databases().await {
        let server = serve(demo_app(&db, Settings::default()).await, db.engine).await;
        let engine = server.engine;
        let feed = crate::support::police_feed(&server).await;
        let before = server.app.referral_batches();
        let mut sends = tokio::task::JoinSet::new();
        for n in 0..40 {
            // 38 references, two of them sent twice.
            let reference = format!("TOGETHER-{}", n.min(37));
            let request = server
                .api()
                .post(server.url("/api/v1/referrals"))
                .bearer_auth(&feed)
                .json(&json!({
                    "source": "police", "sender_reference": reference, "crime_type": "theft",
                    "consent": "given", "given_name": format!("Together{}", n.min(37)), "family_name": "Batch",
                    "area": "eastmoor city",
                }));
            let reference = format!("TOGETHER-{}", n.min(37));
            sends.spawn(async move { (reference, request.send().await) });
        }
        let mut answers: Vec<(String, u16, String)> = Vec::new();
        while let Some(sent) = sends.join_next().await {
            let (reference, answer) = sent.expect("task");
            let answer = answer.expect("send");
            let status = answer.status().as_u16();
            let body: Value = answer.json().await.expect("json");
            let id = body["id"].as_str().unwrap_or_default().to_string();
            answers.push((reference, status, id));
        }
        let created = answers.iter().filter(|a| a.1 == 201).count();
        let repeated = answers.iter().filter(|a| a.1 == 200).count();
        assert_eq!((created, repeated), (38, 2), "{engine}: {answers:?}");
        for (reference, _, id) in &answers {
            assert!(
                answers
                    .iter()
                    .filter(|a| &a.0 == reference)
                    .all(|a| &a.2 == id),
                "{engine}: {reference} answered with one referral"
            );
        }
        let stored: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM referrals WHERE sender_reference LIKE 'TOGETHER-%'",
        )
        .fetch_one(server.app.db.pool())
        .await
        .expect("count");
        assert_eq!(stored, 38, "{engine}");
        let batches = server.app.referral_batches() - before;
        assert!(
            batches < 38,
            "{engine}: {batches} transactions for 40 referrals posted together"
        );
    }
}
