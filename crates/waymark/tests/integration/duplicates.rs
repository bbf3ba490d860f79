//! "Possibly the same person": pairs found at intake or by searching the
//! records, on the service's review list, merged or dismissed.

use app::Settings;
use serde_json::json;

use crate::support::{
    a_referral, databases, demo_app, serve, service_id, signed_in, team_leader_of,
};

const CASEWORKER: &str = "caseworker@victimcare.example";
const OTHER_SERVICE: &str = "idva@cityadvocacy.example";

async fn scalar_text(pool: &sqlx::AnyPool, sql: &'static str, bind: &str) -> Option<String> {
    sqlx::query_scalar::<_, Option<String>>(sql)
        .bind(bind.to_string())
        .fetch_optional(pool)
        .await
        .expect("query")
        .flatten()
}

async fn count(pool: &sqlx::AnyPool, sql: &'static str, bind: &str) -> i64 {
    sqlx::query_scalar::<_, i64>(sql)
        .bind(bind.to_string())
        .fetch_one(pool)
        .await
        .expect("count")
}

/// A police feed sends one victim twice with a slip in her name: the second
/// referral makes a new person and a pair on the review list. A caseworker
/// of the service compares them (the read audited) and merges them; both
/// referrals and cases then belong to the record kept, the other record
/// says where it went, and the return counts one person.
#[tokio::test]
async fn a_slip_in_a_sent_name_is_reviewed_and_merged_keeping_everything() {
    for db in databases().await {
        let server = serve(demo_app(&db, Settings::default()).await, db.engine).await;
        let engine = server.engine;
        let pool = server.app.db.pool().clone();
        let feed = crate::support::police_feed(&server).await;
        for (reference, given, phone) in [
            ("SLIP-1", "Morwenna", ""),
            ("SLIP-2", "Morwena", "07700 900123"),
        ] {
            let answer = server
                .api()
                .post(server.url("/api/v1/referrals"))
                .bearer_auth(&feed)
                .json(&json!({
                    "source": "police", "sender_reference": reference, "crime_type": "theft",
                    "consent": "given", "given_name": given, "family_name": "Tregarthen",
                    "date_of_birth": "1983-03-04", "area": "eastmoor city", "phone": phone,
                }))
                .send()
                .await
                .expect("send");
            assert_eq!(answer.status(), 201, "{engine}: {reference}");
        }
        let person_of = |reference: &'static str| {
            let pool = pool.clone();
            async move {
                scalar_text(
                    &pool,
                    "SELECT person_id FROM referrals WHERE sender_reference = $1",
                    reference,
                )
                .await
                .expect("referral")
            }
        };
        let (earlier, later) = (person_of("SLIP-1").await, person_of("SLIP-2").await);
        assert_ne!(
            earlier, later,
            "{engine}: not surely the same, so two people"
        );
        let pair = scalar_text(
            &pool,
            "SELECT id FROM possible_duplicates WHERE person_id = $1 AND status = 'open'",
            &later,
        )
        .await
        .expect("a pair waits on the list");
        // Both referrals become cases, so the merge has cases to move.
        let service = service_id(&server.app, "Eastmoor Victim Care").await;
        let leader = team_leader_of(&service);
        for reference in ["SLIP-1", "SLIP-2"] {
            let id = scalar_text(
                &pool,
                "SELECT id FROM referrals WHERE sender_reference = $1",
                reference,
            )
            .await
            .expect("id");
            server
                .app
                .triage(&leader, &id, "accepted", "")
                .await
                .expect("accepted");
        }

        // Another service's worker cannot see the pair, nor decide it.
        let mut outsider = signed_in(&server, OTHER_SERVICE).await;
        assert_eq!(
            outsider
                .get(&format!("/people/duplicates/{pair}"))
                .await
                .status,
            404,
            "{engine}"
        );
        let list = outsider.get("/people/duplicates").await;
        assert!(!list.body.contains("Tregarthen"), "{engine}");
        let refused = outsider
            .submit(
                &format!("/people/duplicates/{pair}/merge"),
                &[("keep", "earlier"), ("confirmed", "yes")],
            )
            .await;
        assert_eq!(refused.status, 404, "{engine}");
        assert_eq!(
            count(
                &pool,
                "SELECT CAST(COUNT(*) AS BIGINT) FROM people WHERE id = $1 AND merged_into IS NOT NULL",
                &later
            )
            .await,
            0,
            "{engine}: nothing merged"
        );

        // The team's dashboard counts the pair waiting.
        let mut leader_page = signed_in(&server, "teamleader@victimcare.example").await;
        let dashboard = leader_page.get("/dashboard").await;
        assert!(
            dashboard.body.contains(
                "<span class=\"card-figure\">1</span> pairs of records that may be one person"
            ),
            "{engine}: {}",
            dashboard.body
        );
        let mut caseworker = signed_in(&server, CASEWORKER).await;
        let list = caseworker.get("/people/duplicates").await;
        assert_eq!(list.status, 200, "{engine}");
        assert!(
            list.body.contains("Morwena Tregarthen") && list.body.contains("Morwenna Tregarthen"),
            "{engine}: the list shows both names"
        );
        let views = || {
            count(
                &pool,
                "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_events WHERE action = 'possible_duplicate.viewed' AND record_id = $1",
                &pair,
            )
        };
        let shown = caseworker.get(&format!("/people/duplicates/{pair}")).await;
        assert_eq!(shown.status, 200, "{engine}");
        assert!(
            shown.body.contains("07700 900123")
                && shown.body.contains("Newer record: Morwena Tregarthen")
                && shown.body.contains("Older record: Morwenna Tregarthen"),
            "{engine}: both records in full"
        );
        assert_eq!(
            views().await,
            1,
            "{engine}: the comparison's read is audited"
        );

        // No choice: the page says so, and nothing is asked or changed.
        let unchosen = caseworker
            .submit(&format!("/people/duplicates/{pair}/merge"), &[])
            .await;
        assert_eq!(unchosen.status, 422, "{engine}");
        assert!(
            unchosen.body.contains("Choose which record to keep"),
            "{engine}"
        );
        // A merge asks first.
        let asked = caseworker
            .submit(
                &format!("/people/duplicates/{pair}/merge"),
                &[("keep", "earlier")],
            )
            .await;
        assert!(asked.body.contains("Merge these two records?"), "{engine}");
        assert_eq!(
            person_of("SLIP-2").await,
            later,
            "{engine}: asking changed nothing"
        );
        caseworker.get(&format!("/people/duplicates/{pair}")).await;
        let merged = caseworker
            .submit(
                &format!("/people/duplicates/{pair}/merge"),
                &[("keep", "earlier"), ("confirmed", "yes")],
            )
            .await;
        assert_eq!(
            merged.after_change.as_deref(),
            Some(format!("/people/{earlier}?done=PeopleMerged").as_str()),
            "{engine}: {}",
            merged.body
        );
        assert_eq!(
            person_of("SLIP-2").await,
            earlier,
            "{engine}: referral moved"
        );
        assert_eq!(
            scalar_text(
                &pool,
                "SELECT name_order FROM referrals WHERE sender_reference = $1",
                "SLIP-2"
            )
            .await
            .as_deref(),
            Some("tregarthen morwenna"),
            "{engine}: sorted by the name kept"
        );
        assert_eq!(
            count(
                &pool,
                "SELECT CAST(COUNT(*) AS BIGINT) FROM cases WHERE person_id = $1",
                &earlier
            )
            .await,
            2,
            "{engine}: both cases are hers"
        );
        // The later case knows her earlier one opened: the return counts
        // her once.
        assert_eq!(
            count(
                &pool,
                "SELECT CAST(COUNT(*) AS BIGINT) FROM cases WHERE person_id = $1 AND previous_opened_on IS NOT NULL",
                &earlier
            )
            .await,
            1,
            "{engine}: cases linked in time again"
        );
        assert_eq!(
            count(
                &pool,
                "SELECT CAST(COUNT(DISTINCT person_id) AS BIGINT) FROM referrals WHERE sender_reference LIKE $1",
                "SLIP-%"
            )
            .await,
            1,
            "{engine}: one victim referred"
        );
        // Blanks are filled from the other record.
        assert_eq!(
            scalar_text(&pool, "SELECT phone FROM people WHERE id = $1", &earlier).await,
            Some("07700 900123".into()),
            "{engine}"
        );
        assert!(merged.body.contains("07700 900123"), "{engine}");
        assert_eq!(
            scalar_text(
                &pool,
                "SELECT merged_into FROM people WHERE id = $1",
                &later
            )
            .await,
            Some(earlier.clone()),
            "{engine}: the other record says where it went"
        );
        let moved = scalar_text(
            &pool,
            "SELECT before_json FROM audit_events WHERE action = 'person.merged' AND record_id = $1",
            &later,
        )
        .await
        .expect("the merge is audited");
        assert!(
            moved.contains("referrals") && moved.contains("cases"),
            "{engine}: {moved}"
        );
        let gone = caseworker.get(&format!("/people/{later}")).await;
        assert!(gone.body.contains("This record was merged"), "{engine}");
        let list = caseworker.get("/people/duplicates").await;
        assert!(!list.body.contains("Tregarthen"), "{engine}: decided");

        // Merged once: a second merge is refused, and says why.
        let again = server
            .app
            .merge_possible_duplicate(&leader, &pair, "earlier")
            .await;
        assert!(
            matches!(&again, Err(app::AppError::Invalid(e)) if e.0.iter().any(|e| e.message.contains("already been merged or dismissed"))),
            "{engine}: {again:?}"
        );
    }
}

/// A pair dismissed stays dismissed: searching the records again does not
/// put it back. Records typed in by hand before intake recognised anyone
/// are found by the search, once.
#[tokio::test]
async fn the_search_of_records_queues_each_pair_once_and_never_a_dismissed_one() {
    for db in databases().await {
        let server = serve(demo_app(&db, Settings::default()).await, db.engine).await;
        let engine = server.engine;
        let pool = server.app.db.pool().clone();
        let cli = app::command_line_actor();
        let before = server
            .app
            .find_possible_duplicates(&cli)
            .await
            .expect("search");
        let first = a_referral(&server.app)
            .about("Ceridwen", "Handtyped")
            .born("1990-10-10")
            .typed_in()
            .await;
        let second = a_referral(&server.app)
            .about("Ceridwen", "Handtyped")
            .born("1990-10-10")
            .typed_in()
            .await;
        let waiting = |person: String| {
            let pool = pool.clone();
            async move {
                count(
                    &pool,
                    "SELECT CAST(COUNT(*) AS BIGINT) FROM possible_duplicates WHERE person_id = $1 OR other_person_id = $1",
                    &person,
                )
                .await
            }
        };
        assert_eq!(
            waiting(second.person_id.clone()).await,
            0,
            "{engine}: typed in as someone new"
        );
        let found = server
            .app
            .find_possible_duplicates(&cli)
            .await
            .expect("search");
        let added = |found: &[app::people::Found]| found.iter().map(|f| f.added).sum::<u64>();
        assert_eq!(
            added(&found),
            1,
            "{engine}: the demonstration's pairs ({}) were listed by the first search",
            added(&before)
        );
        assert_eq!(
            waiting(second.person_id.clone()).await,
            1,
            "{engine}: found"
        );
        assert_eq!(
            added(
                &server
                    .app
                    .find_possible_duplicates(&cli)
                    .await
                    .expect("again")
            ),
            0,
            "{engine}: found again, added nothing"
        );

        let pair = scalar_text(
            &pool,
            "SELECT id FROM possible_duplicates WHERE person_id = $1",
            &second.person_id,
        )
        .await
        .expect("pair");
        let mut caseworker = signed_in(&server, CASEWORKER).await;
        caseworker.get(&format!("/people/duplicates/{pair}")).await;
        let dismissed = caseworker
            .submit(
                &format!("/people/duplicates/{pair}/dismiss"),
                &[("reason", "Spoke to both: twins")],
            )
            .await;
        assert_eq!(
            dismissed.after_change.as_deref(),
            Some("/people/duplicates?done=PairDismissed"),
            "{engine}: {}",
            dismissed.body
        );
        assert_eq!(
            count(
                &pool,
                "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_events WHERE action = 'possible_duplicate.dismissed' AND record_id = $1",
                &pair
            )
            .await,
            1,
            "{engine}: audited"
        );
        server
            .app
            .find_possible_duplicates(&cli)
            .await
            .expect("search");
        assert_eq!(
            scalar_text(
                &pool,
                "SELECT status FROM possible_duplicates WHERE id = $1",
                &pair
            )
            .await,
            Some("dismissed".into()),
            "{engine}: still dismissed"
        );
        assert_eq!(
            count(
                &pool,
                "SELECT CAST(COUNT(*) AS BIGINT) FROM people WHERE id = $1 AND merged_into IS NULL",
                &first.person_id
            )
            .await,
            1,
            "{engine}: two people still"
        );
    }
}

/// A victim's record is never merged with an alleged perpetrator's, however
/// the pair came to be listed; and when one record of three is merged, the
/// pairs left waiting name the record kept.
#[tokio::test]
async fn merges_refuse_a_perpetrator_and_repoint_the_pairs_left() {
    for db in databases().await {
        let server = serve(demo_app(&db, Settings::default()).await, db.engine).await;
        let engine = server.engine;
        let pool = server.app.db.pool().clone();
        let service = service_id(&server.app, "Eastmoor Victim Care").await;
        let leader = team_leader_of(&service);
        let [a, b, c] = [
            a_referral(&server.app)
                .about("Ffion", "Threeway")
                .born("1970-01-02")
                .typed_in()
                .await,
            a_referral(&server.app)
                .about("Ffion", "Threeway")
                .born("1970-01-02")
                .typed_in()
                .await,
            a_referral(&server.app)
                .about("Ffion", "Threeway")
                .born("1970-01-02")
                .typed_in()
                .await,
        ];
        server
            .app
            .find_possible_duplicates(&app::command_line_actor())
            .await
            .expect("search");
        let pair_of = |x: String, y: String| {
            let pool = pool.clone();
            async move {
                let (later, earlier) = if x > y { (x, y) } else { (y, x) };
                sqlx::query_scalar::<_, String>(
                    "SELECT id FROM possible_duplicates WHERE person_id = $1 AND other_person_id = $2",
                )
                .bind(later)
                .bind(earlier)
                .fetch_one(&pool)
                .await
                .expect("pair")
            }
        };
        let ab = pair_of(a.person_id.clone(), b.person_id.clone()).await;
        let bc = pair_of(b.person_id.clone(), c.person_id.clone()).await;
        let ac = pair_of(a.person_id.clone(), c.person_id.clone()).await;
        // b into a: the pair (b, c) would be (a, c), already listed.
        server
            .app
            .merge_possible_duplicate(&leader, &ab, "earlier")
            .await
            .expect("merged");
        let status = |id: String| {
            let pool = pool.clone();
            async move {
                scalar_text(
                    &pool,
                    "SELECT status FROM possible_duplicates WHERE id = $1",
                    &id,
                )
                .await
                .expect("status")
            }
        };
        assert_eq!(status(bc.clone()).await, "superseded", "{engine}");
        assert_eq!(status(ac.clone()).await, "open", "{engine}");
        // A pair naming a record merged away (listed by hand, say) is refused.
        let d = a_referral(&server.app)
            .about("Dilys", "Fourth")
            .typed_in()
            .await;
        {
            let mut conn = server.app.db.conn().await.expect("conn");
            store::duplicates::queue(
                &mut conn,
                &service,
                &[("pair-gone".into(), b.person_id.clone(), d.person_id.clone())],
                "search",
                "2026-11-29T10:00:00Z",
            )
            .await
            .expect("queued");
        }
        let gone = server
            .app
            .merge_possible_duplicate(&leader, "pair-gone", "later")
            .await;
        assert!(
            matches!(&gone, Err(app::AppError::Invalid(e)) if e.0.iter().any(|e| e.message.contains("since been merged"))),
            "{engine}: {gone:?}"
        );

        // c becomes an alleged perpetrator on a case: merging refuses.
        let (_, case) = a_referral(&server.app)
            .about("Someone", "Else")
            .accepted()
            .await;
        server
            .app
            .link_person(
                &leader,
                &case.id,
                "Ffion",
                "Threeway",
                "1970-01-02",
                "perpetrator",
            )
            .await
            .expect("linked");
        let perpetrator = scalar_text(
            &pool,
            "SELECT person_id FROM case_people WHERE case_id = $1 AND relationship = 'perpetrator'",
            &case.id,
        )
        .await
        .expect("linked person");
        let victim = a.person_id.clone();
        let pair = {
            let mut conn = server.app.db.conn().await.expect("conn");
            store::duplicates::queue(
                &mut conn,
                &service,
                &[("pair-perp".into(), victim.clone(), perpetrator.clone())],
                "search",
                "2026-11-29T10:00:00Z",
            )
            .await
            .expect("queued");
            "pair-perp".to_string()
        };
        let refused = server
            .app
            .merge_possible_duplicate(&leader, &pair, "earlier")
            .await;
        assert!(
            matches!(&refused, Err(app::AppError::Invalid(e)) if e.0.iter().any(|e| e.message.contains("alleged perpetrator"))),
            "{engine}: {refused:?}"
        );
        assert_eq!(
            count(
                &pool,
                "SELECT CAST(COUNT(*) AS BIGINT) FROM people WHERE merged_into IS NOT NULL AND (id = $1 OR merged_into = $1)",
                &perpetrator
            )
            .await,
            0,
            "{engine}: nothing merged"
        );
    }
}

/// A feed file is recognised row by row, as the API is, from candidates
/// read for the whole file at once: a row surely about someone known links
/// to them; a row that may be them makes a new person and a pair; a later
/// row surely about that new person links to it.
#[tokio::test]
async fn a_feed_file_is_recognised_row_by_row() {
    for db in databases().await {
        let app = demo_app(&db, Settings::default()).await;
        let engine = db.engine;
        let known = a_referral(&app)
            .about("Avery", "Ashdown")
            .born("1970-03-13")
            .typed_in()
            .await;
        // Every column of the feed, most left empty.
        let header = "service,police_reference,received_at,crime_reported_on,crime_reference,crime_type,incident_date,consent,consent_recorded_on,consent_how,consent_by,enhanced_reasons,given_name,family_name,date_of_birth,phone,email,address,postcode,gender,ethnicity,disability,sexual_orientation,religion,first_language,interpreter_needed";
        let row = |n: u32, given: &str| {
            format!(
                "Eastmoor Victim Care: cope and recover,FILE-{n},2026-10-0{n}T09:00:00Z,,,theft,,given,,,,,{given},Ashdown,1970-03-13,,,,,,,,,,,"
            )
        };
        // Forty others first, born earlier, so that her date of birth is
        // not among the first statement's keys.
        let others = (0..40u32).map(|n| {
            format!(
                "Eastmoor Victim Care: cope and recover,OTHER-{n},2026-10-01T09:00:00Z,,,theft,,given,,,,,Other{n},Filler,1950-{:02}-{:02},07700 9000{n:02},,,,,,,,,,",
                n / 28 + 1,
                n % 28 + 1
            )
        });
        let file = std::iter::once(header.to_string())
            .chain(others)
            .chain([row(1, "Avery"), row(2, "Avry"), row(3, "Avry")])
            .collect::<Vec<_>>()
            .join("\n");
        let sender = crate::import::police(&app).await;
        let report = app
            .import_referrals(&sender, file.as_bytes(), false)
            .await
            .expect("import");
        assert_eq!(report.imported, 43, "{engine}: {:?}", report.errors);
        let person_of = |reference: &'static str| {
            let pool = app.db.pool().clone();
            async move {
                scalar_text(
                    &pool,
                    "SELECT person_id FROM referrals WHERE sender_reference = $1",
                    reference,
                )
                .await
                .expect("referral")
            }
        };
        assert_eq!(
            person_of("FILE-1").await,
            known.person_id,
            "{engine}: surely her"
        );
        let slip = person_of("FILE-2").await;
        assert_ne!(slip, known.person_id, "{engine}: maybe her: a new person");
        assert_eq!(
            person_of("FILE-3").await,
            slip,
            "{engine}: surely the row before"
        );
        assert_eq!(
            count(
                app.db.pool(),
                "SELECT CAST(COUNT(*) AS BIGINT) FROM possible_duplicates WHERE person_id = $1 AND status = 'open'",
                &slip
            )
            .await,
            1,
            "{engine}: one pair, with the person already known"
        );
    }
}
