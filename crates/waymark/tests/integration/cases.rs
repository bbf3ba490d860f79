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

        // The summary reads at a glance, with no casework forms; each part
        // has its own page.
        let summary = caseworker.get(&case).await;
        for shown in [
            "Next task</dt><dd>Call about court date, due 2\u{a0}December\u{a0}2026",
            "Last contact</dt>",
            "Information to the victim",
            "Safe contact</dt>",
            "Alex Casework</a>",
        ] {
            assert!(
                summary.body.contains(shown),
                "{}: the summary shows {shown}",
                server.engine
            );
        }
        assert!(
            !summary.body.contains(&format!("action=\"{case}/notes\""))
                && !summary
                    .body
                    .contains(&format!("action=\"{case}/contacts\"")),
            "{}: forms are on their own parts",
            server.engine
        );
        let notes = caseworker.get(&format!("{case}?section=notes")).await;
        assert!(notes.body.contains(&format!("action=\"{case}/notes\"")));
        assert!(notes.body.contains("aria-current=\"page\">Notes</a>"));
        // The printed summary: what is recorded, no sensitive note, no forms.
        let printed = caseworker.get(&format!("{case}/print")).await;
        assert_eq!(printed.status, 200, "{}", server.engine);
        assert!(
            printed.body.contains("Call about court date")
                && printed.body.contains("A sensitive note, not printed")
                && !printed.body.contains("Disclosed a previous assault")
                && !printed.body.contains(&format!("action=\"{case}/")),
            "{}: {}",
            server.engine,
            printed.body
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
        let page = caseworker.get(&format!("{case}?section=people")).await;
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
        let closing = [
            ("confirmed", "yes"),
            ("closure_reason", "support_completed"),
            ("satisfaction", "very_satisfied"),
            ("outcome-health_wellbeing", "improved"),
            ("outcome-feel_safer", "improved"),
            ("outcome-informed_empowered", "sustained"),
            ("outcome-cope_everyday", "not_improved"),
            ("outcome-criminal_justice", "not_asked"),
        ];
        // The open task must end with the case, one way or the other.
        let page = caseworker.submit(&format!("{case}/close"), &closing).await;
        assert_eq!(page.status, 422, "{}", server.engine);
        assert!(
            page.body.contains("href=\"#open_tasks\"")
                && page.body.contains("This case has 1 open tasks"),
            "{}: the open task is asked about",
            server.engine
        );
        let mut with_tasks = closing.to_vec();
        with_tasks.push(("open_tasks", "cancelled"));
        let page = caseworker
            .submit(&format!("{case}/close"), &with_tasks)
            .await;
        assert_eq!(page.status, 200, "{}: {}", server.engine, page.body);
        let tasks = caseworker.get(&format!("{case}?section=tasks")).await;
        assert!(tasks.body.contains("Cancelled"), "{}", server.engine);
        assert!(
            !caseworker
                .get("/")
                .await
                .body
                .contains("Call about court date"),
            "{}: a closed case's task leaves the home page",
            server.engine
        );
        assert!(
            page.body.contains("The case has been closed")
                && page.body.contains("Better informed and empowered")
        );
        let page = caseworker.get(&case).await;
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

/// Accepts a referral in the browser; the address of the case it opens.
async fn accept_in_browser(caseworker: &mut crate::support::Browser, referral_id: &str) -> String {
    let path = format!("/referrals/{referral_id}");
    caseworker.get(&path).await;
    let page = caseworker
        .submit(&format!("{path}/triage"), &[("outcome", "accepted")])
        .await;
    case_path(&page.body)
}

/// The id in a case's address on a page.
fn case_path(body: &str) -> String {
    let start = body.find("href=\"/cases/").expect("a link to the case") + "href=\"".len();
    body[start..start + "/cases/".len() + 36].to_string()
}

#[tokio::test]
async fn cases_are_taken_allocated_in_bulk_never_closed_unowned_and_reopened_by_managers() {
    for db in databases().await {
        let app = demo_app(&db, Settings::default()).await;
        let mut referrals = Vec::new();
        for family in ["Owner", "Bulkone", "Bulktwo"] {
            referrals.push(
                a_referral(&app)
                    .crime_type("robbery")
                    .about("Kit", family)
                    .taken()
                    .await,
            );
        }
        let elsewhere = a_referral(&app)
            .to("City")
            .crime_type("robbery")
            .about("Kit", "Elsewhere")
            .taken()
            .await;
        let server = serve(app, db.engine).await;
        let mut caseworker = signed_in(&server, "caseworker@victimcare.example").await;
        let mut cases = Vec::new();
        for referral in &referrals {
            cases.push(accept_in_browser(&mut caseworker, &referral.id).await);
        }

        // Nobody's yet: it cannot close, and the caseworker takes it.
        let page = caseworker.get(&cases[0]).await;
        assert!(page.body.contains("Take this case"), "{}", server.engine);
        let page = caseworker
            .submit(
                &format!("{}/close", cases[0]),
                &[
                    ("confirmed", "yes"),
                    ("closure_reason", "support_completed"),
                    ("satisfaction", "satisfied"),
                    ("outcome-health_wellbeing", "improved"),
                    ("outcome-feel_safer", "improved"),
                    ("outcome-informed_empowered", "improved"),
                    ("outcome-cope_everyday", "improved"),
                    ("outcome-criminal_justice", "not_asked"),
                ],
            )
            .await;
        assert_eq!(page.status, 422, "{}", server.engine);
        assert!(
            page.body
                .contains("Allocate the case to a caseworker before closing it")
        );
        let page = caseworker.submit(&format!("{}/take", cases[0]), &[]).await;
        assert_eq!(page.status, 200, "{}: {}", server.engine, page.body);
        assert!(page.body.contains("The case is yours now"));
        assert!(
            page.body
                .contains("Taken by its caseworker – Casey Worker</li>"),
            "{}: the history shows who took it, once",
            server.engine
        );
        let mine = caseworker.get("/cases").await;
        assert!(mine.body.contains("Kit Owner"), "{}", server.engine);
        // Taken already: a second taker is told by whom.
        let mut leader = signed_in(&server, "teamleader@victimcare.example").await;
        leader.get(&cases[0]).await;
        let page = leader.submit(&format!("{}/take", cases[0]), &[]).await;
        assert_eq!(page.status, 422, "{}", server.engine);
        assert!(page.body.contains("already allocated to Casey Worker"));

        // The team leader gives the other two to the caseworker at once,
        // from the list of cases not allocated.
        let casey = server
            .app
            .staff_by_username("caseworker@victimcare.example")
            .await
            .expect("casey");
        let list = leader.get("/cases?scope=service&worker=none").await;
        assert!(
            list.body.contains("Kit Bulkone") && !list.body.contains("Kit Owner"),
            "{}: only cases not allocated",
            server.engine
        );
        let ids: Vec<String> = cases[1..]
            .iter()
            .map(|c| c.trim_start_matches("/cases/").to_string())
            .collect();
        let none = leader
            .submit(
                "/cases/allocate",
                &[
                    ("caseworker_id", &casey.id),
                    ("back", "/cases?scope=service&worker=none"),
                ],
            )
            .await;
        assert_eq!(none.status, 422, "{}", server.engine);
        assert!(none.body.contains("Choose at least one case to allocate"));
        let page = leader
            .submit(
                "/cases/allocate",
                &[
                    ("case_ids", &ids[0]),
                    ("case_ids", &ids[1]),
                    ("caseworker_id", &casey.id),
                    ("back", "/cases?scope=service&worker=none"),
                ],
            )
            .await;
        assert_eq!(page.status, 200, "{}: {}", server.engine, page.body);
        assert!(page.body.contains("The cases have been allocated"));
        assert!(
            page.after_change
                .as_deref()
                .is_some_and(|to| to.contains("worker=none")),
            "{}: back to the same list",
            server.engine
        );
        assert!(!page.body.contains("Kit Bulkone"), "{}", server.engine);
        for case in &cases[1..] {
            let shown = caseworker.get(case).await;
            assert!(
                shown
                    .body
                    .contains("Allocated – Casey Worker (Terry Leader)")
                    || shown.body.contains("Allocated – Casey Worker"),
                "{}: the allocation is in the history",
                server.engine
            );
        }

        // A case of another service refuses the lot; a caseworker may not allocate.
        let city_leader = crate::support::team_leader_of(&elsewhere.service_id);
        server
            .app
            .triage(&city_leader, &elsewhere.id, "accepted", "")
            .await
            .expect("accepted elsewhere");
        let other = server
            .app
            .case_of_referral(&city_leader, &elsewhere.id)
            .await
            .expect("case")
            .expect("opened")
            .id;
        leader.get("/cases?scope=service").await;
        let page = leader
            .submit(
                "/cases/allocate",
                &[
                    ("case_ids", &ids[0]),
                    ("case_ids", &other),
                    ("caseworker_id", &casey.id),
                ],
            )
            .await;
        assert_eq!(
            page.status, 404,
            "{}: another service's case",
            server.engine
        );
        caseworker.get("/cases").await;
        let page = caseworker
            .submit(
                "/cases/allocate",
                &[("case_ids", &ids[0]), ("caseworker_id", &casey.id)],
            )
            .await;
        assert_eq!(
            page.status, 403,
            "{}: a caseworker cannot allocate",
            server.engine
        );

        // Disabling someone with open cases warns, and offers the list to reallocate them.
        let mut manager = signed_in(&server, "manager@victimcare.example").await;
        let member = manager.get(&format!("/staff/{}", casey.id)).await;
        assert!(
            member.body.contains("see and reallocate them"),
            "{}",
            server.engine
        );
        let asked = manager
            .submit(&format!("/staff/{}/disable", casey.id), &[])
            .await;
        assert!(
            asked.body.contains("They hold 3 open case(s)")
                && asked
                    .body
                    .contains(&format!("/cases?scope=service&#38;worker={}", casey.id)),
            "{}: {}",
            server.engine,
            asked.body
        );

        // Closed, then reopened by the manager with a reason, in the history.
        caseworker.get(&cases[0]).await;
        let page = caseworker
            .submit(
                &format!("{}/close", cases[0]),
                &[
                    ("confirmed", "yes"),
                    ("closure_reason", "support_completed"),
                    ("satisfaction", "satisfied"),
                    ("outcome-health_wellbeing", "improved"),
                    ("outcome-feel_safer", "improved"),
                    ("outcome-informed_empowered", "improved"),
                    ("outcome-cope_everyday", "improved"),
                    ("outcome-criminal_justice", "not_asked"),
                ],
            )
            .await;
        assert!(
            page.body.contains("The case has been closed"),
            "{}",
            server.engine
        );
        assert!(
            !page.body.contains("Reopen the case"),
            "{}: not the caseworker's decision",
            server.engine
        );
        let shown = manager.get(&format!("{}?section=closure", cases[0])).await;
        assert!(shown.body.contains("Reopen the case"), "{}", server.engine);
        let page = manager
            .submit(&format!("{}/reopen", cases[0]), &[("reopen_reason", " ")])
            .await;
        assert_eq!(page.status, 422, "{}", server.engine);
        assert!(page.body.contains("Enter why the case is being reopened"));
        let page = manager
            .submit(
                &format!("{}/reopen", cases[0]),
                &[(
                    "reopen_reason",
                    "Victim asked for help again before the trial",
                )],
            )
            .await;
        assert_eq!(page.status, 200, "{}: {}", server.engine, page.body);
        assert!(
            page.body.contains("The case has been reopened")
                && page
                    .body
                    .contains("Reopened – Victim asked for help again before the trial"),
            "{}",
            server.engine
        );
        let outcomes: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM case_outcomes WHERE case_id = $1",
        )
        .bind(cases[0].trim_start_matches("/cases/"))
        .fetch_one(server.app.db.pool())
        .await
        .expect("count");
        assert_eq!(
            outcomes, 0,
            "{}: the undone closure's answers no longer count",
            server.engine
        );
        let audited: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_events WHERE action = 'case.reopened' AND record_id = $1",
        )
        .bind(cases[0].trim_start_matches("/cases/"))
        .fetch_one(server.app.db.pool())
        .await
        .expect("count");
        assert_eq!(audited, 1, "{}", server.engine);
    }
}

#[tokio::test]
async fn dates_are_entered_as_day_month_and_year_and_absurd_ones_refused() {
    for db in databases().await {
        let app = demo_app(&db, Settings::default()).await;
        let referral = a_referral(&app)
            .crime_type("robbery")
            .about("Dee", "Dates")
            .taken()
            .await;
        let server = serve(app, db.engine).await;
        let mut caseworker = signed_in(&server, "caseworker@victimcare.example").await;
        let case = accept_in_browser(&mut caseworker, &referral.id).await;
        let form = caseworker.get(&format!("{case}?section=tasks")).await;
        assert!(
            form.body.contains("name=\"task_due_on-day\"")
                && form.body.contains("name=\"task_due_on-month\"")
                && form.body.contains("name=\"task_due_on-year\"")
                && !form.body.contains("type=\"date\""),
            "{}: three boxes, not the browser's picker",
            server.engine
        );
        let task = |day: &'static str, month: &'static str, year: &'static str| {
            [
                ("task_title", "Ring about the hearing"),
                ("task_due_on-day", day),
                ("task_due_on-month", month),
                ("task_due_on-year", year),
            ]
        };
        for (day, month, year, says) in [
            ("1", "1", "0001", "Enter when it is due as a real date"),
            ("31", "12", "9999", "Enter when it is due as a real date"),
            ("30", "2", "2027", "Enter when it is due as a real date"),
            (
                "1",
                "1",
                "2040",
                "within a year before today and five years after",
            ),
        ] {
            let page = caseworker
                .submit(&format!("{case}/tasks"), &task(day, month, year))
                .await;
            assert_eq!(page.status, 422, "{}: {day} {month} {year}", server.engine);
            assert!(page.body.contains(says), "{}: {says}", server.engine);
            assert!(
                page.body.contains(&format!("name=\"task_due_on-year\" type=\"text\" inputmode=\"numeric\" maxlength=\"4\" autocomplete=\"off\" value=\"{year}\"")),
                "{}: what was typed is kept",
                server.engine
            );
            caseworker.get(&case).await;
        }
        let page = caseworker
            .submit(&format!("{case}/tasks"), &task("7", "1", "2027"))
            .await;
        assert_eq!(page.status, 200, "{}: {}", server.engine, page.body);
        assert!(
            page.body
                .contains("Ring about the hearing, due 7\u{a0}January\u{a0}2027"),
            "{}",
            server.engine
        );
    }
}

#[tokio::test]
async fn a_note_over_its_limit_is_refused_at_its_field_and_kept() {
    for db in databases().await {
        let app = demo_app(&db, Settings::default()).await;
        let referral = a_referral(&app)
            .crime_type("robbery")
            .about("Noa", "Notes")
            .taken()
            .await;
        let server = serve(app, db.engine).await;
        let mut caseworker = signed_in(&server, "caseworker@victimcare.example").await;
        let case = accept_in_browser(&mut caseworker, &referral.id).await;
        caseworker.get(&format!("{case}?section=notes")).await;
        // Written in Welsh, with its accents: more bytes than characters.
        let long = "Siaradodd â’r swyddog. ".repeat(1000);
        let page = caseworker
            .submit(&format!("{case}/notes"), &[("note", &long)])
            .await;
        assert_eq!(page.status, 422, "{}", server.engine);
        assert!(
            page.body
                .contains("The note must be 20000 characters or fewer: this is 22999"),
            "{}: the limit is stated at the field",
            server.engine
        );
        assert!(
            page.body.contains("Siaradodd â’r swyddog. Siaradodd"),
            "{}: the text is kept",
            server.engine
        );
    }
}
