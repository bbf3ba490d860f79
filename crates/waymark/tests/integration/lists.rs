//! Lists page, count and sort the same way everywhere: "1–50 of 120",
//! next and previous pages that neither skip nor repeat a row, headings
//! that sort, filters kept across pages, and only what the viewer may see.

use app::Settings;

use crate::support::*;

/// The link a page's `rel` names, as a path.
fn link(body: &str, rel: &str) -> Option<String> {
    let marker = format!("rel=\"{rel}\" href=\"");
    let rest = body.split(&marker).nth(1)?;
    Some(
        rest.split('"')
            .next()?
            .replace("&#38;", "&")
            .replace("&amp;", "&"),
    )
}

/// The family names in a referral list, in the order shown.
fn family_names(body: &str) -> Vec<String> {
    body.split("<td data-label=\"Name\">")
        .skip(1)
        .filter_map(|cell| cell.split("</td>").next())
        .filter_map(|name| name.split_whitespace().last().map(str::to_string))
        .collect()
}

#[tokio::test]
async fn the_referral_list_pages_sorts_and_filters_without_skipping_a_row() {
    for db in databases().await {
        let app = demo_app(&db, Settings::default()).await;
        for i in 0..120 {
            a_referral(&app)
                .crime_type("fraud")
                .about("Pat", &format!("Paging{i:03}"))
                .taken()
                .await;
        }
        // Another service's referral of the same crime type, out of sight.
        a_referral(&app)
            .to("City")
            .crime_type("fraud")
            .about("Pat", "Elsewhere")
            .taken()
            .await;
        let server = serve(app, db.engine).await;
        let mut caseworker = signed_in(&server, "caseworker@victimcare.example").await;

        let mut page = caseworker
            .get("/referrals?status=all&crime_type=fraud&sort=name")
            .await;
        let mut seen = Vec::new();
        for (summary, last) in [
            ("1–50 of 120", false),
            ("51–100 of 120", false),
            ("101–120 of 120", true),
        ] {
            assert!(
                page.body.contains(&format!("Referrals: {summary}")),
                "{}: {summary} in {}",
                server.engine,
                page.body
            );
            seen.extend(family_names(&page.body));
            let next = link(&page.body, "next");
            assert_eq!(next.is_none(), last, "{}: {summary}", server.engine);
            if let Some(next) = next {
                assert!(next.contains("crime_type=fraud"), "the filter is kept");
                assert!(!next.contains("Paging"), "no name in an address: {next}");
                page = caseworker.get(&next).await;
            }
        }
        let expected: Vec<String> = (0..120).map(|i| format!("Paging{i:03}")).collect();
        assert_eq!(
            seen, expected,
            "{}: every row once, in order",
            server.engine
        );

        // Back a page from the last: the middle page again.
        let previous = link(&page.body, "prev").expect("a previous page");
        let back = caseworker.get(&previous).await;
        assert!(back.body.contains("Referrals: 51–100 of 120"));
        assert_eq!(family_names(&back.body), expected[50..100].to_vec());

        // The sorted heading turns the order round.
        let descending = caseworker
            .get("/referrals?status=all&crime_type=fraud&sort=name&dir=desc")
            .await;
        assert!(descending.body.contains("aria-sort=\"descending\""));
        assert_eq!(
            family_names(&descending.body).first().map(String::as_str),
            Some("Paging119")
        );

        // A filter that lets nothing through says so.
        let none = caseworker
            .get("/referrals?status=declined&crime_type=fraud")
            .await;
        assert!(none.body.contains("Referrals: None"), "{}", server.engine);
        assert!(none.body.contains("There are no referrals here."));

        // Overdue and due today are filters too; nothing here is overdue yet.
        let overdue = caseworker
            .get("/referrals?due=overdue&crime_type=fraud")
            .await;
        assert!(
            overdue.body.contains("Referrals: None"),
            "{}",
            server.engine
        );
        let awaiting = caseworker.get("/referrals?crime_type=fraud").await;
        assert!(awaiting.body.contains("of 120"), "{}", server.engine);

        // A search pages too: 50 at a time, by name, none skipped or repeated.
        let mut search = caseworker.get("/search?q=Paging&dob=").await;
        assert!(
            search.body.contains("120 found") && search.body.contains("People: 1–50 of 120"),
            "{}: {}",
            server.engine,
            search.body
        );
        let mut found = Vec::new();
        loop {
            found.extend(
                family_names(&search.body)
                    .into_iter()
                    .map(|name| name.trim_end_matches("</a>").to_string()),
            );
            match link(&search.body, "next") {
                Some(next) => search = caseworker.get(&next).await,
                None => break,
            }
        }
        let expected: Vec<String> = (0..120).map(|i| format!("Paging{i:03}")).collect();
        assert_eq!(found, expected, "{}", server.engine);
    }
}

#[tokio::test]
async fn an_api_list_pages_with_a_cursor_and_a_next_link() {
    for db in databases().await {
        let app = demo_app(&db, Settings::default()).await;
        let service = service_id(&app, "Eastmoor").await;
        let organisation = app
            .services(&app::command_line_actor())
            .await
            .expect("services")
            .into_iter()
            .find(|s| s.id == service)
            .expect("service")
            .organisation_id;
        let store = store::Db::connect(&db.url).await.expect("connect");
        let mut conn = store.conn().await.expect("conn");
        for i in 0..60 {
            store::users::insert(
                &mut conn,
                &store::users::NewUser {
                    id: format!("listed-{i:03}"),
                    username: format!("listed{i:03}@victimcare.example"),
                    display_name: format!("Aaa Listed {i:03}"),
                    organisation_id: organisation.clone(),
                    service_id: Some(service.clone()),
                    team_id: None,
                    password_hash: "not a hash".into(),
                    created_at: "2026-01-01T00:00:00Z".into(),
                },
            )
            .await
            .expect("insert");
        }
        drop(conn);
        let server = serve(app, db.engine).await;
        let admin = token(&server, "Eastmoor Victim Care", &["admin"]).await;
        let client = server.api();
        let mut next = Some("/api/v1/staff?q=listed".to_string());
        let mut names = Vec::new();
        let mut pages = 0;
        while let Some(path) = next {
            let page: serde_json::Value = client
                .get(server.url(&path))
                .bearer_auth(&admin)
                .send()
                .await
                .expect("send")
                .json()
                .await
                .expect("json");
            assert_eq!(page["total"], 60, "{}: {page}", server.engine);
            for item in page["items"].as_array().expect("items") {
                names.push(item["display_name"].as_str().expect("name").to_string());
            }
            next = page["next"].as_str().map(str::to_string);
            if let Some(link) = &next {
                assert!(link.contains("q=listed"), "the filter is kept: {link}");
            }
            pages += 1;
        }
        assert_eq!(pages, 2, "{}", server.engine);
        let expected: Vec<String> = (0..60).map(|i| format!("Aaa Listed {i:03}")).collect();
        assert_eq!(names, expected, "{}: each once, in order", server.engine);
    }
}

#[tokio::test]
async fn the_team_dashboard_counts_its_own_service_and_links_to_each_list() {
    for db in databases().await {
        let app = demo_app(&db, Settings::default()).await;
        let service = service_id(&app, "Eastmoor").await;
        let leader = team_leader_of(&service);
        let casey = app
            .staff_by_username("caseworker@victimcare.example")
            .await
            .expect("casey");
        let mut cases = Vec::new();
        for family in ["Dashone", "Dashtwo", "Dashthree"] {
            let (_, case) = a_referral(&app)
                .crime_type("robbery")
                .about("Dana", family)
                .accepted()
                .await;
            cases.push(case);
        }
        // Two awaiting contact: due later, so neither overdue nor due today.
        for family in ["Waitone", "Waittwo"] {
            a_referral(&app).about("Wes", family).taken().await;
        }
        // Another service's work counts nowhere here.
        let elsewhere = a_referral(&app)
            .to("City")
            .about("Eli", "Where")
            .taken()
            .await;
        let _ = elsewhere;
        app.allocate(&leader, &cases[0].id, &casey.id)
            .await
            .expect("allocate");
        let yesterday = app
            .today()
            .checked_sub(jiff::ToSpan::days(1))
            .expect("yesterday")
            .to_string();
        app.add_task(
            &leader,
            &cases[0].id,
            "Call back about the hearing",
            &yesterday,
        )
        .await
        .expect("task");

        let board = app.team_dashboard(&leader).await.expect("dashboard");
        let casey_row = board
            .loads
            .iter()
            .find(|l| l.caseworker_id.as_deref() == Some(casey.id.as_str()))
            .expect("Casey's row");
        assert_eq!(
            (casey_row.open_cases, casey_row.overdue_tasks),
            (1, 1),
            "{}",
            db.engine
        );
        let waiting = board
            .loads
            .iter()
            .find(|l| l.caseworker_id.is_none())
            .expect("not allocated");
        assert_eq!(waiting.open_cases, 2, "{}", db.engine);
        assert_eq!(board.overdue.len(), 1, "{}", db.engine);
        assert_eq!(board.overdue[0].title, "Call back about the hearing");
        assert_eq!(board.referrals_overdue, 0, "{}", db.engine);
        assert_eq!(board.referrals_in.len(), app::cases::WEEKS);
        assert_eq!(
            board.referrals_in.last().map(|w| w.value),
            Some(5),
            "{}: this week's referrals, this service's only",
            db.engine
        );
        assert_eq!(
            board.cases_open.last().map(|w| w.value),
            Some(3),
            "{}",
            db.engine
        );
        assert_eq!(
            board.cases_open.first().map(|w| w.value),
            Some(0),
            "{}",
            db.engine
        );

        let server = serve(app, db.engine).await;
        let mut browser = signed_in(&server, "teamleader@victimcare.example").await;
        let page = browser.get("/dashboard").await;
        assert_eq!(page.status, 200, "{}", server.engine);
        assert!(
            page.body
                .contains(&format!("/cases?scope=service&amp;worker={}", casey.id))
                || page
                    .body
                    .contains(&format!("/cases?scope=service&#38;worker={}", casey.id)),
            "{}: each count links to its list",
            server.engine
        );
        assert!(page.body.contains("<svg") && page.body.contains("the figures"));
        assert!(page.body.contains("Call back about the hearing"));
    }
}

#[tokio::test]
async fn the_home_pages_tasks_page_and_sort_without_skipping_a_task() {
    for db in databases().await {
        let server = serve(demo_app(&db, Settings::default()).await, db.engine).await;
        let engine = server.engine;
        let casey = server
            .app
            .staff_by_username("caseworker@victimcare.example")
            .await
            .expect("casey");
        let (_, case) = a_referral(&server.app)
            .about("Tia", "Tasks")
            .accepted()
            .await;
        let leader = team_leader_of(&case.service_id);
        server
            .app
            .allocate(&leader, &case.id, &casey.id)
            .await
            .expect("allocated");
        let today = server.app.today();
        for i in 0..60 {
            let due = today
                .checked_add(jiff::Span::new().days(i % 30))
                .expect("day");
            server
                .app
                .add_task(
                    &leader,
                    &case.id,
                    &format!("Paged task {i:02}"),
                    &due.to_string(),
                )
                .await
                .expect("task");
        }
        let total: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM tasks t JOIN cases c ON c.id = t.case_id
             WHERE t.assigned_to = $1 AND t.done_at IS NULL AND c.status = 'open'",
        )
        .bind(casey.id.clone())
        .fetch_one(server.app.db.pool())
        .await
        .expect("count");
        assert!(total >= 60, "{engine}");
        let mut browser = signed_in(&server, "caseworker@victimcare.example").await;
        let mut seen = Vec::new();
        let mut page = browser.get("/?sort=task&dir=asc").await;
        assert!(
            page.body.contains(&format!("Tasks: 1–50 of {total}")),
            "{engine}: {}",
            page.body
        );
        loop {
            seen.extend(
                page.body
                    .split("<td data-label=\"Task\">")
                    .skip(1)
                    .filter_map(|cell| cell.split("</td>").next())
                    .map(str::to_string),
            );
            match link(&page.body, "next") {
                Some(next) => page = browser.get(&next).await,
                None => break,
            }
        }
        assert_eq!(seen.len() as i64, total, "{engine}: every task once");
        let mut sorted = seen.clone();
        sorted.sort_by_key(|t| t.to_lowercase());
        assert_eq!(seen, sorted, "{engine}: in the order asked for");
    }
}

#[tokio::test]
async fn the_token_list_pages_and_sorts() {
    for db in databases().await {
        let server = serve(demo_app(&db, Settings::default()).await, db.engine).await;
        let engine = server.engine;
        for i in 0..55 {
            let cli = app::command_line_actor();
            let org = server
                .app
                .organisations(&cli)
                .await
                .expect("orgs")
                .into_iter()
                .find(|o| o.name == "Eastmoor Victim Care")
                .expect("org");
            let scopes = vec!["directory:read".to_string()];
            server
                .app
                .create_token(
                    &cli,
                    app::tokens::NewTokenInput {
                        name: &format!("Feed {i:02}"),
                        organisation_id: &org.id,
                        service_id: None,
                        scopes: &scopes,
                    },
                )
                .await
                .expect("token");
        }
        let total = server
            .app
            .tokens(&app::command_line_actor())
            .await
            .expect("tokens")
            .len();
        let mut admin = signed_in(&server, "admin@waymark.example").await;
        let mut page = admin.get("/tokens?sort=name&dir=asc").await;
        assert!(
            page.body.contains(&format!("Tokens: 1–50 of {total}")),
            "{engine}: {}",
            page.body
        );
        let mut names = Vec::new();
        loop {
            names.extend(
                page.body
                    .split("<td data-label=\"Name\">")
                    .skip(1)
                    .filter_map(|cell| cell.split("</td>").next())
                    .map(str::to_string),
            );
            match link(&page.body, "next") {
                Some(next) => page = admin.get(&next).await,
                None => break,
            }
        }
        assert_eq!(names.len(), total, "{engine}: every token once");
        let mut sorted = names.clone();
        sorted.sort_by_key(|n| n.to_lowercase());
        assert_eq!(names, sorted, "{engine}");
    }
}

/// A list counts no further than 10,000: past that its page says "more
/// than 10,000", so that showing 50 rows never counts a whole backlog.
#[tokio::test]
async fn a_long_list_counts_to_ten_thousand_and_says_more_than() {
    for db in databases().await {
        let app = demo_app(&db, Settings::default()).await;
        let (referral, _) = a_referral(&app)
            .crime_type("fraud")
            .about("Pat", "Counted")
            .accepted()
            .await;
        // 10,000 copies of it, written at once: the 10,001 make the list.
        let store = store::Db::connect(&db.url).await.expect("connect");
        let columns = "service_id, person_id, source, received_at, crime_type, consent, \
            enhanced_reasons, enhanced, status, information_due_on, contact_due_on, \
            created_at, received_on, name_order";
        let sql = format!(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000) \
             INSERT INTO referrals (id, reference, {columns}) \
             SELECT 'copy-' || CAST(n.i AS TEXT), 'COPY-' || CAST(n.i AS TEXT), {columns} \
             FROM n, referrals WHERE referrals.id = $1"
        );
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(referral.id.clone())
            .execute(store.pool())
            .await
            .expect("copies");
        store.close().await;
        let server = serve(app, db.engine).await;
        let mut leader = signed_in(&server, "teamleader@victimcare.example").await;
        let page = leader
            .get("/referrals?status=accepted&crime_type=fraud")
            .await;
        assert!(
            page.body.contains("1–50 of more than 10,000"),
            "{}: {}",
            db.engine,
            page.body
        );
        let next = link(&page.body, "next").expect("a next page");
        let second = leader.get(&next).await;
        assert!(
            second.body.contains("51–100 of more than 10,000"),
            "{}",
            db.engine
        );
        // The API says the same.
        let admin = token(&server, "Eastmoor Victim Care", &["casework:read"]).await;
        let listed: serde_json::Value = server
            .api()
            .get(server.url("/api/v1/referrals?status=accepted"))
            .bearer_auth(&admin)
            .send()
            .await
            .expect("send")
            .json()
            .await
            .expect("json");
        assert_eq!(listed["total"], 10_000, "{}: {listed}", db.engine);
        assert_eq!(listed["more_than_total"], true, "{}", db.engine);
    }
}
