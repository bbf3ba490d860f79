//! Casework from acceptance to closure with outcomes.

use app::Settings;
use app::command_line_actor;
use app::referrals::PersonChoice;

use crate::support::{a_referral, databases, demo_app, serve, service_id, signed_in};

#[tokio::test]
async fn a_case_from_acceptance_through_casework_to_closure() {
    for db in databases().await {
        let server = serve(demo_app(&db, Settings::default()).await, db.engine).await;
        let cli = command_line_actor();
        let services = server.app.services(&cli).await.expect("services");
        let service = services
            .iter()
            .find(|s| s.name.starts_with("Eastmoor Victim Care"))
            .expect("service");
        let input = app::referrals::ReferralInput {
            service_id: service.id.clone(),
            source: "police".into(),
            crime_type: "robbery".into(),
            consent: "given".into(),
            person: app::people::PersonInput {
                given_name: "Alex".into(),
                family_name: "Casework".into(),
                phone: "07700 900777".into(),
                address: "1 Refuge Road, Eastmoor".into(),
                postcode: "NG18 1AB".into(),
                ..Default::default()
            },
            ..Default::default()
        };
        let referral = server
            .app
            .take_referral(&cli, &input, &PersonChoice::sender())
            .await
            .expect("referral")
            .referral;

        let mut caseworker = signed_in(&server, "caseworker@victimcare.example").await;
        let path = format!("/referrals/{}", referral.id);
        caseworker.get(&path).await;
        let page = caseworker
            .submit(&format!("{path}/triage"), &[("outcome", "accepted")])
            .await;
        assert_eq!(page.status, 200, "{}", server.engine);
        let start = page
            .body
            .find("href=\"/cases/")
            .expect("a link to the case")
            + "href=\"".len();
        let case = page.body[start..start + "/cases/".len() + 36].to_string();

        // The team leader allocates it and sees the caseload.
        let mut leader = signed_in(&server, "teamleader@victimcare.example").await;
        let casey = server
            .app
            .staff_by_username("caseworker@victimcare.example")
            .await
            .expect("casey");
        leader.get(&case).await;
        let page = leader
            .submit(&format!("{case}/allocate"), &[("caseworker_id", &casey.id)])
            .await;
        assert_eq!(page.status, 200, "{}: {}", server.engine, page.body);
        let cases = leader.get("/cases?scope=service").await;
        assert!(
            cases.body.contains("Casey Worker") && cases.body.contains("Caseloads"),
            "{}",
            server.engine
        );
        let mine = caseworker.get("/cases").await;
        assert!(
            mine.body.contains("Alex Casework"),
            "{}: on the caseworker's list",
            server.engine
        );

        // Needs, plan, contacts.
        caseworker.get(&case).await;
        let page = caseworker
            .submit(&format!("{case}/needs"), &[("level-health", "severe")])
            .await;
        assert_eq!(page.status, 422, "{}", server.engine);
        let page = caseworker
            .submit(
                &format!("{case}/needs"),
                &[
                    ("level-health", "medium"),
                    ("level-safety", "high"),
                    ("notes-safety", "Lock changed"),
                ],
            )
            .await;
        assert_eq!(page.status, 200, "{}: {}", server.engine, page.body);
        let page = caseworker
            .submit(
                &format!("{case}/plan"),
                &[
                    ("description", "Feel safe at home"),
                    ("need_area", "safety"),
                ],
            )
            .await;
        assert_eq!(page.status, 200, "{}", server.engine);
        let goal = page
            .body
            .split("<option value=\"")
            .filter_map(|s| s.split('"').next())
            .find(|id| {
                id.len() == 36
                    && page
                        .body
                        .contains(&format!("value=\"{id}\">Feel safe at home"))
            })
            .expect("goal id")
            .to_string();
        let page = caseworker
            .submit(
                &format!("{case}/plan"),
                &[
                    ("description", "Apply for target hardening"),
                    ("goal_id", &goal),
                    ("due_on", "2026-12-01"),
                ],
            )
            .await;
        assert_eq!(page.status, 200, "{}", server.engine);
        assert!(page.body.contains("Apply for target hardening"));
        caseworker.get(&path).await;
        caseworker
            .submit(
                &format!("{path}/preferences"),
                &[("channel", "letter"), ("safe", "false")],
            )
            .await;
        caseworker.get(&case).await;
        let page = caseworker
            .submit(
                &format!("{case}/contacts"),
                &[
                    ("kind", "support"),
                    ("channel", "letter"),
                    ("duration_minutes", "10"),
                ],
            )
            .await;
        assert_eq!(
            page.status, 422,
            "{}: an unsafe channel is refused for contacts too",
            server.engine
        );
        assert!(
            page.body
                .contains("name=\"duration_minutes\" type=\"text\" value=\"10\""),
            "{}: what was typed is kept",
            server.engine
        );
        let page = caseworker
            .submit(
                &format!("{case}/contacts"),
                &[
                    ("kind", "safety_planning"),
                    ("channel", "visit"),
                    ("duration_minutes", "45"),
                    ("notes", "Went through the plan with her"),
                ],
            )
            .await;
        assert_eq!(page.status, 200, "{}", server.engine);
        assert!(
            page.body.contains("Went through the plan with her"),
            "{}: a contact's notes are shown",
            server.engine
        );

        // Work recorded afterwards carries when it happened (UK time), and
        // when it was entered; it cannot be in the future.
        let yesterday = server
            .app
            .today()
            .checked_sub(jiff::Span::new().days(1))
            .expect("yesterday")
            .to_string();
        let later = [
            ("kind", "advocacy"),
            ("channel", "visit"),
            ("duration_minutes", "30"),
            ("contact_date", yesterday.as_str()),
            ("contact_time", "09:15"),
        ];
        let page = caseworker.submit(&format!("{case}/contacts"), &later).await;
        assert_eq!(page.status, 200, "{}: {}", server.engine, page.body);
        assert!(
            page.body.contains("09:15") && page.body.contains("recorded"),
            "{}: when it happened, and when it was recorded",
            server.engine
        );
        let tomorrow = server
            .app
            .today()
            .checked_add(jiff::Span::new().days(1))
            .expect("tomorrow")
            .to_string();
        let mut future = later.to_vec();
        future[3] = ("contact_date", tomorrow.as_str());
        let refused = caseworker
            .submit(&format!("{case}/contacts"), &future)
            .await;
        assert_eq!(refused.status, 422, "{}", server.engine);
        assert!(
            refused.body.contains("href=\"#contact_date\""),
            "{}",
            server.engine
        );

        // A sensitive note stays hidden until revealed, and the reveal is audited.
        let page = caseworker
            .submit(
                &format!("{case}/notes"),
                &[
                    ("note", "Disclosed a previous assault"),
                    ("sensitive", "true"),
                ],
            )
            .await;
        assert_eq!(page.status, 200, "{}", server.engine);
        assert!(
            !page.body.contains("Disclosed a previous assault"),
            "{}: hidden",
            server.engine
        );
        let start = page.body.find("/notes/").expect("reveal form") + "/notes/".len();
        let note = page.body[start..start + 36].to_string();
        let page = caseworker
            .submit(&format!("{case}/notes/{note}/reveal"), &[])
            .await;
        assert!(
            page.body.contains("Disclosed a previous assault"),
            "{}: revealed",
            server.engine
        );
        let reveals: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_events WHERE action = 'case.note_revealed'",
        )
        .fetch_one(server.app.db.pool())
        .await
        .expect("count");
        assert_eq!(reveals, 1, "{}", server.engine);

        // Tasks appear on the worker's home page.
        let page = caseworker
            .submit(
                &format!("{case}/tasks"),
                &[
                    ("task_title", "Call about court date"),
                    ("task_due_on", "2026-12-02"),
                ],
            )
            .await;
        assert_eq!(page.status, 200, "{}", server.engine);
        assert!(
            caseworker
                .get("/")
                .await
                .body
                .contains("Call about court date"),
            "{}",
            server.engine
        );

        // Onward referral without consent: refused for a caseworker, allowed with a reason for a team leader.
        caseworker.get(&case).await;
        let page = caseworker
            .submit(
                &format!("{case}/onward"),
                &[
                    ("agency", "Housing options"),
                    ("onward_reason", "Needs rehousing"),
                ],
            )
            .await;
        assert_eq!(page.status, 422, "{}", server.engine);
        assert!(page.body.contains("has not consented"));
        leader.get(&case).await;
        let page = leader
            .submit(
                &format!("{case}/onward"),
                &[
                    ("agency", "Children's social care"),
                    ("onward_reason", "Safeguarding"),
                ],
            )
            .await;
        assert_eq!(
            page.status, 422,
            "{}: the reason is required",
            server.engine
        );
        let page = leader
            .submit(
                &format!("{case}/onward"),
                &[
                    ("agency", "Children's social care"),
                    ("onward_reason", "Safeguarding"),
                    ("override_reason", "Risk to a child"),
                ],
            )
            .await;
        assert_eq!(page.status, 200, "{}", server.engine);
        assert!(page.body.contains("Without consent"));

        // People linked to the case: the alleged perpetrator's record shows
        // nothing of the victim.
        let page = caseworker
            .submit(
                &format!("{case}/people"),
                &[
                    ("link_given_name", "Chris"),
                    ("link_family_name", "Harmful"),
                    ("relationship", "perpetrator"),
                ],
            )
            .await;
        assert_eq!(page.status, 200, "{}: {}", server.engine, page.body);
        let page = caseworker
            .submit(
                &format!("{case}/people"),
                &[("link_given_name", "Sam"), ("relationship", "child")],
            )
            .await;
        assert_eq!(page.status, 422, "{}: a last name is needed", server.engine);
        let page = caseworker.get(&case).await;
        let start = page.body.find("href=\"/people/").expect("linked person") + "href=\"".len();
        let perpetrator = page.body[start..start + "/people/".len() + 36].to_string();
        let record = caseworker.get(&perpetrator).await;
        assert_eq!(record.status, 200, "{}", server.engine);
        assert!(
            record.body.contains("Chris Harmful") && record.body.contains("Alleged perpetrator")
        );
        for victim_detail in ["Alex Casework", "07700 900777", "Refuge Road", "NG18 1AB"] {
            assert!(
                !record.body.contains(victim_detail),
                "{}: the perpetrator's record shows '{victim_detail}'",
                server.engine
            );
        }

        // Closure needs every outcome answered; then the case is read-only.
        caseworker.get(&case).await;
        let page = caseworker
            .submit(
                &format!("{case}/close"),
                &[
                    ("confirmed", "yes"),
                    ("closure_reason", "support_completed"),
                    ("satisfaction", "satisfied"),
                ],
            )
            .await;
        assert_eq!(page.status, 422, "{}", server.engine);
        assert!(
            page.body.contains("href=\"#outcome-feel_safer\""),
            "{}: each missing outcome named",
            server.engine
        );
        assert!(
            page.body.contains("value=\"support_completed\" selected"),
            "{}: the chosen reason is kept",
            server.engine
        );
        let page = caseworker
            .submit(
                &format!("{case}/close"),
                &[
                    ("confirmed", "yes"),
                    ("closure_reason", "support_completed"),
                    ("satisfaction", "very_satisfied"),
                    ("outcome-health_wellbeing", "improved"),
                    ("outcome-feel_safer", "improved"),
                    ("outcome-informed_empowered", "sustained"),
                    ("outcome-cope_everyday", "not_improved"),
                    ("outcome-criminal_justice", "not_asked"),
                ],
            )
            .await;
        assert_eq!(page.status, 200, "{}: {}", server.engine, page.body);
        assert!(
            page.body.contains("The case has been closed")
                && page.body.contains("Better informed and empowered")
        );
        assert!(
            page.body.contains("Closed – Support completed")
                && !page.body.contains("support_completed<"),
            "{}: the history says it in words",
            server.engine
        );
        let closed = caseworker.get("/cases?scope=closed").await;
        assert!(
            closed.body.contains("Showing closed cases")
                && !closed.body.contains("Showing your open cases"),
            "{}",
            server.engine
        );
        let page = caseworker
            .submit(&format!("{case}/notes"), &[("note", "After closing")])
            .await;
        assert_eq!(
            page.status, 422,
            "{}: a closed case cannot be edited",
            server.engine
        );
        assert!(page.body.contains("This case is closed"));

        // Another service cannot see it.
        let mut other = signed_in(&server, "idva@cityadvocacy.example").await;
        assert_eq!(other.get(&case).await.status, 404, "{}", server.engine);
    }
}

/// A change racing a closure: the note is checked against the case as it is
/// under the writer's lock, not as it was a moment before, so a case closed
/// in between is not changed.
#[tokio::test]
async fn a_change_racing_a_closure_is_refused() {
    use domain::policy::{Actor, Grant, GrantScope, Role};
    for db in databases().await {
        let app = demo_app(&db, Settings::default()).await;
        let referral = a_referral(&app)
            .crime_type("robbery")
            .about("Rae", "Racing")
            .taken()
            .await;
        let service_id = service_id(&app, "Eastmoor Victim Care").await;
        let manager = Actor {
            submission: None,
            id: "manager".into(),
            label: "Service manager".into(),
            organisation_id: String::new(),
            grants: vec![Grant {
                role: Role::ServiceManager,
                scope: GrantScope::Service(service_id),
            }],
        };
        app.triage(&manager, &referral.id, "accepted", "")
            .await
            .expect("accept");
        let case = app
            .case_of_referral(&manager, &referral.id)
            .await
            .expect("case")
            .expect("opened");

        // Someone else holds the writer's lock, and closes the case under it.
        let mut closing = app
            .db
            .begin_write("2026-11-28T12:00:00Z")
            .await
            .expect("lock");
        let note = {
            let (app, manager, case_id) = (app.clone(), manager.clone(), case.id.clone());
            tokio::spawn(async move {
                app.add_case_note(&manager, &case_id, "Spoke to Rae about the hearing", false)
                    .await
            })
        };
        // The note's own checks pass now, before it waits for the lock.
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        sqlx::query("UPDATE cases SET status = 'closed' WHERE id = $1")
            .bind(&case.id)
            .execute(closing.conn())
            .await
            .expect("close");
        closing.commit().await.expect("commit the closure");

        let refused = note.await.expect("join");
        assert!(
            matches!(&refused, Err(app::AppError::Invalid(e)) if e.get("case").is_some()),
            "{}: the note is refused because the case closed: {refused:?}",
            db.engine
        );
        let notes: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM case_notes WHERE case_id = $1",
        )
        .bind(&case.id)
        .fetch_one(app.db.pool())
        .await
        .expect("count");
        assert_eq!(
            notes, 0,
            "{}: nothing written to the closed case",
            db.engine
        );
    }
}
