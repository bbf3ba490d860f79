//! The casework API: referrals, people and cases read and changed by a
//! token, scoped as the pages are and audited the same way.

use app::Settings;
use serde_json::{Value, json};

use crate::support::{
    a_referral, allocate_to_anyone, databases, demo_app, serve, team_leader_of, token,
};

async fn count(server: &crate::support::Server, action: &str) -> i64 {
    sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM audit_events WHERE action = $1")
        .bind(action.to_string())
        .fetch_one(server.app.db.pool())
        .await
        .expect("count")
}

#[tokio::test]
async fn a_casework_token_reads_and_records_as_the_pages_do_and_no_further() {
    for db in databases().await {
        let server = serve(demo_app(&db, Settings::default()).await, db.engine).await;
        let engine = server.engine;
        let api = server.api();
        let (own_referral, own) = a_referral(&server.app)
            .about("Api", "Owncase")
            .accepted()
            .await;
        allocate_to_anyone(&server.app, &team_leader_of(&own.service_id), &own).await;
        server
            .app
            .assess_risk(
                &team_leader_of(&own.service_id),
                &own.id,
                &crate::support::dash_with_yes(14),
            )
            .await
            .expect("assessed");
        let (_, other) = a_referral(&server.app)
            .to("City IDVA service")
            .about("Api", "Othercase")
            .accepted()
            .await;
        let reader = token(&server, "Eastmoor Victim Care", &["casework:read"]).await;
        let writer = token(&server, "Eastmoor Victim Care", &["casework:write"]).await;
        let directory = token(&server, "Eastmoor Victim Care", &["directory:read"]).await;
        let get = |path: String, secret: &str| {
            let request = api.get(server.url(&path)).bearer_auth(secret);
            async move { request.send().await.expect("send") }
        };

        // Lists: the token's own service only, paged.
        let cases: Value = get("/api/v1/cases?status=open".into(), &reader)
            .await
            .json()
            .await
            .expect("json");
        let ids: Vec<&str> = cases["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|c| c["id"].as_str().unwrap())
            .collect();
        assert!(ids.contains(&own.id.as_str()), "{engine}: {cases}");
        assert!(
            !ids.contains(&other.id.as_str()),
            "{engine}: another service's case"
        );
        assert!(
            cases["total"].as_i64().unwrap() >= ids.len() as i64,
            "{engine}"
        );
        let referrals: Value = get("/api/v1/referrals?status=accepted".into(), &reader)
            .await
            .json()
            .await
            .expect("json");
        assert!(
            referrals["items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["id"] == own_referral.id.as_str()),
            "{engine}: {referrals}"
        );
        assert!(
            referrals["items"]
                .as_array()
                .unwrap()
                .iter()
                .all(|r| r["status"] == "accepted"),
            "{engine}"
        );

        // One case: audited as the page is; another service's: not found, not audited.
        let before = count(&server, "person.viewed").await;
        let case: Value = get(format!("/api/v1/cases/{}", own.id), &reader)
            .await
            .json()
            .await
            .expect("json");
        assert_eq!(case["reference"], own.reference.as_str(), "{engine}");
        assert_eq!(case["risk_level"], "high", "{engine}: the current risk");
        assert_eq!(case["risk_review_on"], "2027-01-15", "{engine}");
        assert_eq!(
            count(&server, "person.viewed").await,
            before + 1,
            "{engine}: the read is audited"
        );
        let refused = get(format!("/api/v1/cases/{}", other.id), &reader).await;
        assert_eq!(refused.status(), 404, "{engine}");
        assert_eq!(
            count(&server, "person.viewed").await,
            before + 1,
            "{engine}: a refusal is no read"
        );

        // A directory token reads no casework at all.
        assert_eq!(
            get("/api/v1/cases".into(), &directory).await.status(),
            403,
            "{engine}"
        );
        assert_eq!(
            get(format!("/api/v1/cases/{}", own.id), &directory)
                .await
                .status(),
            404,
            "{engine}"
        );
        assert_eq!(
            get(format!("/api/v1/people/{}", own.person_id), &directory)
                .await
                .status(),
            404,
            "{engine}"
        );

        // A read token changes nothing.
        let note = api
            .post(server.url(&format!("/api/v1/cases/{}/notes", own.id)))
            .bearer_auth(&reader)
            .json(&json!({ "note": "From the reader", "sensitive": false }))
            .send()
            .await
            .expect("send");
        assert_eq!(note.status(), 403, "{engine}");
        assert_eq!(count(&server, "case.note_added").await, 0, "{engine}");

        // A write token records a sensitive note, a contact and a task.
        let post = |path: String, body: Value| {
            let request = api.post(server.url(&path)).bearer_auth(&writer).json(&body);
            async move { request.send().await.expect("send") }
        };
        let sent = post(
            format!("/api/v1/cases/{}/notes", own.id),
            json!({ "note": "Disclosed by phone", "sensitive": true }),
        )
        .await;
        assert_eq!(sent.status(), 204, "{engine}");
        let sent = post(
            format!("/api/v1/cases/{}/contacts", own.id),
            json!({ "kind": "support", "channel": "call", "duration_minutes": "15", "notes": "Rang back" }),
        )
        .await;
        assert_eq!(sent.status(), 204, "{engine}: {:?}", sent.text().await);
        let refused = post(
            format!("/api/v1/cases/{}/tasks", own.id),
            json!({ "title": "", "due_on": "9999-12-31" }),
        )
        .await;
        assert_eq!(refused.status(), 422, "{engine}");
        let problem: Value = refused.json().await.expect("json");
        let fields: Vec<&str> = problem["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect();
        assert!(
            fields.contains(&"task_title") || fields.contains(&"title"),
            "{engine}: {problem}"
        );
        let sent = post(
            format!("/api/v1/cases/{}/tasks", own.id),
            json!({ "title": "Ring the court", "due_on": jiff::Zoned::now().date().to_string() }),
        )
        .await;
        assert_eq!(sent.status(), 204, "{engine}");
        let case: Value = get(format!("/api/v1/cases/{}", own.id), &writer)
            .await
            .json()
            .await
            .expect("json");
        assert_eq!(
            case["contacts"][0]["notes"], "Rang back",
            "{engine}: {case}"
        );
        assert_eq!(case["tasks"][0]["title"], "Ring the court", "{engine}");
        let hidden = &case["notes"][0];
        assert_eq!(hidden["sensitive"], true, "{engine}");
        assert!(
            hidden["text"].is_null(),
            "{engine}: a sensitive note's text is not in the case"
        );
        assert!(!case.to_string().contains("Disclosed by phone"), "{engine}");
        let reveals = count(&server, "case.note_revealed").await;
        let revealed: Value = post(
            format!(
                "/api/v1/cases/{}/notes/{}/reveal",
                own.id,
                hidden["id"].as_str().unwrap()
            ),
            json!({}),
        )
        .await
        .json()
        .await
        .expect("json");
        assert_eq!(revealed["text"], "Disclosed by phone", "{engine}");
        assert_eq!(
            count(&server, "case.note_revealed").await,
            reveals + 1,
            "{engine}: the reveal is audited"
        );

        // Corrections: a person's details, a referral's crime reference.
        let mut person: Value = get(format!("/api/v1/people/{}", own.person_id), &writer)
            .await
            .json()
            .await
            .expect("json");
        assert_eq!(person["family_name"], "Owncase", "{engine}");
        assert!(
            person["case_ids"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c == own.id.as_str()),
            "{engine}"
        );
        person["phone"] = json!("07700 900123");
        let corrected = api
            .put(server.url(&format!("/api/v1/people/{}", own.person_id)))
            .bearer_auth(&writer)
            .json(&person)
            .send()
            .await
            .expect("send");
        assert_eq!(
            corrected.status(),
            200,
            "{engine}: {:?}",
            corrected.text().await
        );
        assert_eq!(count(&server, "person.corrected").await, 1, "{engine}");
        let refused = api
            .put(server.url(&format!("/api/v1/people/{}", own.person_id)))
            .bearer_auth(&reader)
            .json(&person)
            .send()
            .await
            .expect("send");
        assert!(
            matches!(refused.status().as_u16(), 403 | 404),
            "{engine}: a reader corrects nothing"
        );
        let patched = api
            .patch(server.url(&format!("/api/v1/referrals/{}", own_referral.id)))
            .bearer_auth(&writer)
            .json(&json!({ "crime_reference": "EM/2026/777" }))
            .send()
            .await
            .expect("send");
        assert_eq!(patched.status(), 200, "{engine}");
        let patched: Value = patched.json().await.expect("json");
        assert_eq!(patched["crime_reference"], "EM/2026/777", "{engine}");
        assert_eq!(patched["case_id"], own.id.as_str(), "{engine}");
        let details: Value = get(
            format!("/api/v1/referrals/{}/details", own_referral.id),
            &reader,
        )
        .await
        .json()
        .await
        .expect("json");
        assert_eq!(details["crime_reference"], "EM/2026/777", "{engine}");
        assert_eq!(count(&server, "referral.corrected").await, 1, "{engine}");
    }
}
