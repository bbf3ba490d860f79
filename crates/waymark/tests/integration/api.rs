//! The JSON API: bearer tokens, scopes, problem documents and the OpenAPI document.

use app::Settings;
use app::command_line_actor;
use app::tokens::NewTokenInput;
use serde_json::{Value, json};

use crate::support::{databases, demo_app, serve, token};

#[tokio::test]
async fn tokens_see_their_scope_and_errors_are_problem_documents() {
    for db in databases().await {
        let server = serve(demo_app(&db, Settings::default()).await, db.engine).await;
        let client = server.api();
        let reader = token(&server, "City Advocacy Partnership", &["directory:read"]).await;

        let anonymous = client
            .get(server.url("/api/v1/services"))
            .send()
            .await
            .expect("send");
        assert_eq!(anonymous.status(), 401, "{}", server.engine);
        assert_eq!(
            anonymous.headers()["content-type"],
            "application/problem+json"
        );
        assert_eq!(anonymous.headers()["www-authenticate"], "Bearer");

        let services: Value = client
            .get(server.url("/api/v1/services"))
            .bearer_auth(&reader)
            .send()
            .await
            .expect("send")
            .json()
            .await
            .expect("json");
        let names: Vec<&str> = services
            .as_array()
            .expect("array")
            .iter()
            .map(|s| s["name"].as_str().unwrap_or_default())
            .collect();
        assert_eq!(
            names,
            vec!["City IDVA service"],
            "{}: a token sees its own organisation's services",
            server.engine
        );

        // A read-only token cannot write, and cannot read staff.
        let city_id = services[0]["id"].as_str().expect("id").to_string();
        let refused = client
            .post(server.url(&format!("/api/v1/services/{city_id}/teams")))
            .bearer_auth(&reader)
            .json(&json!({ "name": "Night team" }))
            .send()
            .await
            .expect("send");
        assert_eq!(refused.status(), 403, "{}", server.engine);
        assert_eq!(
            client
                .get(server.url("/api/v1/staff"))
                .bearer_auth(&reader)
                .send()
                .await
                .expect("send")
                .status(),
            403
        );

        // An admin token writes within its organisation, with field errors when wrong.
        let admin = token(&server, "City Advocacy Partnership", &["admin"]).await;
        let invalid = client
            .post(server.url(&format!("/api/v1/services/{city_id}/teams")))
            .bearer_auth(&admin)
            .json(&json!({ "name": "  " }))
            .send()
            .await
            .expect("send");
        assert_eq!(invalid.status(), 422, "{}", server.engine);
        assert_eq!(
            invalid.headers()["content-type"],
            "application/problem+json"
        );
        let problem: Value = invalid.json().await.expect("json");
        assert_eq!(problem["errors"][0]["field"], "name");
        let missing = client
            .post(server.url(&format!("/api/v1/services/{city_id}/teams")))
            .bearer_auth(&admin)
            .json(&json!({}))
            .send()
            .await
            .expect("send");
        // A missing field is a field to fill in, like a blank one.
        assert_eq!(missing.status(), 422);
        let problem: Value = missing.json().await.expect("json");
        assert_eq!(
            problem["errors"][0]["field"], "name",
            "{}: a missing field is named",
            server.engine
        );
        let malformed = client
            .post(server.url(&format!("/api/v1/services/{city_id}/teams")))
            .bearer_auth(&admin)
            .header("content-type", "application/json")
            .body("{\"name\": ")
            .send()
            .await
            .expect("send");
        assert_eq!(malformed.status(), 400);
        let created = client
            .post(server.url(&format!("/api/v1/services/{city_id}/teams")))
            .bearer_auth(&admin)
            .json(&json!({ "name": "Night team" }))
            .send()
            .await
            .expect("send");
        assert_eq!(created.status(), 201, "{}", server.engine);
        let team: Value = created.json().await.expect("json");
        let renamed = client
            .put(server.url(&format!(
                "/api/v1/teams/{}",
                team["id"].as_str().expect("id")
            )))
            .bearer_auth(&admin)
            .json(&json!({ "name": "Night duty team" }))
            .send()
            .await
            .expect("send");
        assert_eq!(renamed.status(), 200, "{}", server.engine);
        assert_eq!(
            renamed.json::<Value>().await.expect("json")["name"],
            "Night duty team"
        );
        let service = client
            .put(server.url(&format!("/api/v1/services/{city_id}")))
            .bearer_auth(&admin)
            .json(&json!({ "name": "City IDVA and duty service", "kind": "idva", "area_id": "not-an-area" }))
            .send()
            .await
            .expect("send");
        assert_eq!(service.status(), 422, "{}", server.engine);
        assert_eq!(
            service.json::<Value>().await.expect("json")["errors"][0]["field"],
            "area_id"
        );
        let victim_care = server
            .app
            .services(&command_line_actor())
            .await
            .expect("services");
        let other = victim_care
            .iter()
            .find(|s| s.name.starts_with("Eastmoor Victim Care"))
            .expect("other");
        let elsewhere = client
            .post(server.url(&format!("/api/v1/services/{}/teams", other.id)))
            .bearer_auth(&admin)
            .json(&json!({ "name": "Sneaky team" }))
            .send()
            .await
            .expect("send");
        assert_eq!(
            elsewhere.status(),
            404,
            "{}: another organisation's service is out of sight",
            server.engine
        );

        // A revoked token stops working at once.
        let tokens = server
            .app
            .tokens(&command_line_actor())
            .await
            .expect("tokens");
        let reader_row = tokens
            .iter()
            .find(|t| reader.starts_with(&t.prefix) && t.scopes == "directory:read")
            .expect("row");
        server
            .app
            .revoke_token(&command_line_actor(), &reader_row.id)
            .await
            .expect("revoke");
        assert_eq!(
            client
                .get(server.url("/api/v1/services"))
                .bearer_auth(&reader)
                .send()
                .await
                .expect("send")
                .status(),
            401
        );

        // The audit log over the API is for auditor tokens only.
        let auditor = token(&server, "City Advocacy Partnership", &["audit:read"]).await;
        let events: Value = client
            .get(server.url("/api/v1/audit?action=team."))
            .bearer_auth(&auditor)
            .send()
            .await
            .expect("send")
            .json()
            .await
            .expect("json");
        let actions: Vec<&str> = events
            .as_array()
            .expect("array")
            .iter()
            .map(|e| e["action"].as_str().unwrap_or_default())
            .collect();
        assert!(
            actions.contains(&"team.created"),
            "{}: {actions:?}",
            server.engine
        );
        assert!(
            events
                .as_array()
                .expect("array")
                .iter()
                .all(|e| e["record_type"] == "team")
        );
    }
}

#[tokio::test]
async fn the_openapi_document_describes_every_endpoint() {
    let db = &databases().await[0];
    let server = serve(demo_app(db, Settings::default()).await, db.engine).await;
    let doc: Value = server
        .api()
        .get(server.url("/api/openapi.json"))
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    assert!(doc["openapi"].as_str().expect("version").starts_with("3."));
    // Every API route the router serves, from the router itself.
    let routes: Vec<String> = web::route_paths()
        .into_iter()
        .filter(|p| p.starts_with("/api/v1/"))
        .collect();
    assert!(routes.len() >= 15, "{routes:?}");
    for path in &routes {
        let item = &doc["paths"][path.as_str()];
        assert!(item.is_object(), "the document is missing {path}");
        for (method, operation) in item.as_object().expect("operations") {
            let responses = &operation["responses"];
            let mut errors = vec!["400", "401", "403"];
            if path.contains('{') {
                errors.push("404");
            }
            if method != "get" {
                errors.extend(["409", "415", "422"]);
            }
            for status in errors {
                assert!(
                    responses[status]["content"]["application/problem+json"].is_object(),
                    "{method} {path} declares {status} as a problem document: {responses}"
                );
            }
        }
    }
    // Required fields are marked: the referral's own, and the person's it
    // flattens in.
    let schemas = &doc["components"]["schemas"];
    for (schema, field) in [
        ("ReferralInput", "crime_type"),
        ("ReferralInput", "consent"),
        ("PersonInput", "given_name"),
        ("PersonInput", "family_name"),
    ] {
        let text = schemas[schema].to_string();
        let required = |v: &Value| {
            v["required"]
                .as_array()
                .is_some_and(|r| r.contains(&json!(field)))
        };
        let found = required(&schemas[schema])
            || schemas[schema]["allOf"]
                .as_array()
                .is_some_and(|parts| parts.iter().any(required));
        assert!(found, "{schema} requires {field}: {text}");
    }
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    assert!(doc["components"]["schemas"]["Problem"].is_object());
}

#[tokio::test]
async fn a_token_made_on_the_tokens_page_can_be_narrowed_to_the_service_it_sends_to() {
    for db in databases().await {
        let server = serve(demo_app(&db, Settings::default()).await, db.engine).await;
        let cli = command_line_actor();
        let services = server.app.services(&cli).await.expect("services");
        let victim_care = services
            .iter()
            .find(|s| s.name.starts_with("Eastmoor Victim Care"))
            .expect("service");
        let police = server
            .app
            .organisations(&cli)
            .await
            .expect("organisations")
            .into_iter()
            .find(|o| o.name == "Eastmoor Constabulary")
            .expect("police");
        let mut admin = crate::support::signed_in(&server, "admin@waymark.example").await;
        let page = admin.get("/tokens").await;
        assert!(
            page.body.contains("name=\"service_id\""),
            "{}",
            server.engine
        );
        let page = admin
            .submit(
                "/tokens",
                &[
                    ("name", "Constabulary referral feed"),
                    ("organisation_id", &police.id),
                    ("service_id", &victim_care.id),
                    ("scopes", "referrals:write"),
                ],
            )
            .await;
        assert_eq!(page.status, 200, "{}: {}", server.engine, page.body);
        let start =
            page.body.find("id=\"new-token\">").expect("the secret") + "id=\"new-token\">".len();
        let secret = page.body[start..]
            .split('<')
            .next()
            .expect("secret")
            .to_string();
        let sent = server
            .api()
            .post(server.url("/api/v1/referrals"))
            .bearer_auth(&secret)
            .json(&json!({
                "service_id": victim_care.id,
                "source": "police",
                "sender_reference": "EMP-NARROW-1",
                "crime_type": "theft",
                "consent": "given",
                "given_name": "Nara",
                "family_name": "Rowe",
            }))
            .send()
            .await
            .expect("send");
        assert_eq!(
            sent.status(),
            201,
            "{}: {:?}",
            server.engine,
            sent.text().await
        );
        // Any other scope stays within the token's own organisation.
        let refused = admin
            .submit(
                "/tokens",
                &[
                    ("name", "Too wide"),
                    ("organisation_id", &police.id),
                    ("service_id", &victim_care.id),
                    ("scopes", "directory:read"),
                ],
            )
            .await;
        assert_eq!(refused.status, 422, "{}", server.engine);
        assert!(
            refused.body.contains("href=\"#service_id\""),
            "{}",
            server.engine
        );
    }
}

#[tokio::test]
async fn a_sender_follows_its_own_referral_and_no_one_elses() {
    for db in databases().await {
        let server = serve(demo_app(&db, Settings::default()).await, db.engine).await;
        let engine = server.engine;
        let partner = token(&server, "City Advocacy Partnership", &["referrals:write"]).await;
        let cli = command_line_actor();
        let services = server.app.services(&cli).await.expect("services");
        let victim_care = services
            .iter()
            .find(|s| s.name.starts_with("Eastmoor Victim Care"))
            .expect("service");
        let force = server
            .app
            .organisations(&cli)
            .await
            .expect("organisations")
            .into_iter()
            .find(|o| o.name == "Eastmoor Constabulary")
            .expect("police");
        let scopes = ["referrals:write".to_string()];
        let police = server
            .app
            .create_token(
                &cli,
                NewTokenInput {
                    name: "feed",
                    organisation_id: &force.id,
                    service_id: Some(&victim_care.id),
                    scopes: &scopes,
                },
            )
            .await
            .expect("token")
            .secret;
        let client = server.api();
        let sent: Value = client
            .post(server.url("/api/v1/referrals"))
            .bearer_auth(&police)
            .json(&json!({
                "service_id": victim_care.id,
                "source": "police",
                "sender_reference": "EMP-FOLLOW-1",
                "crime_type": "theft",
                "consent": "given",
                "given_name": "Fola",
                "family_name": "Lowe",
            }))
            .send()
            .await
            .expect("send")
            .json()
            .await
            .expect("json");
        let id = sent["id"].as_str().expect("id").to_string();
        let reads = || async {
            sqlx::query_scalar::<_, i64>(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_events WHERE action = 'referral.progress_read'",
            )
            .fetch_one(server.app.db.pool())
            .await
            .expect("count")
        };
        let progress = client
            .get(server.url(&format!("/api/v1/referrals/{id}")))
            .bearer_auth(&police)
            .send()
            .await
            .expect("send");
        assert_eq!(progress.status(), 200, "{engine}");
        let progress: Value = progress.json().await.expect("json");
        assert_eq!(progress["status"], "new", "{engine}");
        assert_eq!(progress["sender_reference"], "EMP-FOLLOW-1");
        assert_eq!(progress["deadlines"].as_array().map(Vec::len), Some(2));
        assert!(
            !progress.to_string().contains("Lowe"),
            "{engine}: no one's details come back: {progress}"
        );
        assert_eq!(reads().await, 1, "{engine}: the read is audited");

        // Another sender cannot follow it, and nothing is recorded.
        let other = client
            .get(server.url(&format!("/api/v1/referrals/{id}")))
            .bearer_auth(&partner)
            .send()
            .await
            .expect("send");
        assert_eq!(other.status(), 404, "{engine}");
        assert_eq!(reads().await, 1, "{engine}");

        // Once the service accepts it, the sender sees so.
        let leader = crate::support::team_leader_of(&victim_care.id);
        server
            .app
            .triage(&leader, &id, "accepted", "")
            .await
            .expect("accepted");
        let progress: Value = client
            .get(server.url(&format!("/api/v1/referrals/{id}")))
            .bearer_auth(&police)
            .send()
            .await
            .expect("send")
            .json()
            .await
            .expect("json");
        assert_eq!(progress["status"], "accepted", "{engine}");
    }
}

#[tokio::test]
async fn each_token_has_its_own_rate_and_is_told_how_long_to_wait() {
    for db in databases().await {
        let settings = Settings {
            api_rate_per_minute: 40,
            ..Settings::default()
        };
        let server = serve(demo_app(&db, settings).await, db.engine).await;
        let engine = server.engine;
        let client = server.api();
        let busy = token(&server, "City Advocacy Partnership", &["directory:read"]).await;
        let other = token(&server, "City Advocacy Partnership", &["directory:read"]).await;
        let get = |secret: &str| {
            let request = client
                .get(server.url("/api/v1/services"))
                .bearer_auth(secret);
            async move { request.send().await.expect("send") }
        };
        // 40 a minute: 10 at once, then refused with how long to wait.
        for i in 0..10 {
            assert_eq!(get(&busy).await.status(), 200, "{engine}: request {i}");
        }
        let refused = get(&busy).await;
        assert_eq!(refused.status(), 429, "{engine}");
        let wait: u64 = refused.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .expect("seconds");
        assert!((1..=2).contains(&wait), "{engine}: wait {wait}");
        assert_eq!(
            refused.headers()["content-type"],
            "application/problem+json"
        );
        // Another token is not held up by it.
        assert_eq!(get(&other).await.status(), 200, "{engine}");
        // An administrator gives the busy token a rate of its own.
        let cli = command_line_actor();
        let id = server
            .app
            .tokens(&cli)
            .await
            .expect("tokens")
            .into_iter()
            .find(|t| busy.starts_with(&t.prefix))
            .expect("the busy token")
            .id;
        assert!(
            server.app.set_token_rate(&cli, &id, Some(0)).await.is_err(),
            "{engine}: a rate of nothing is refused"
        );
        server
            .app
            .set_token_rate(&cli, &id, Some(6000))
            .await
            .expect("rate");
        for _ in 0..100 {
            assert_eq!(get(&busy).await.status(), 200, "{engine}");
        }
        let set: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_events WHERE action = 'token.rate_set'",
        )
        .fetch_one(server.app.db.pool())
        .await
        .expect("count");
        assert_eq!(set, 1, "{engine}: the change is audited");
    }
}

/// A body with several fields of the wrong type names each of them, not
/// only the first and not by line and column; a body that is not JSON says
/// so.
#[tokio::test]
async fn every_field_of_the_wrong_type_is_named_at_once() {
    for db in databases().await {
        let server = serve(demo_app(&db, Settings::default()).await, db.engine).await;
        let feed = crate::support::police_feed(&server).await;
        let send = |body: String| {
            server
                .api()
                .post(server.url("/api/v1/referrals"))
                .bearer_auth(&feed)
                .header("content-type", "application/json")
                .body(body)
                .send()
        };
        let answer = send(
            json!({
                "source": "police", "crime_type": "theft", "consent": "given",
                "given_name": 5, "family_name": "Lee", "account": ["a", "b"],
                "interpreter_needed": "perhaps", "sender_reference": true,
            })
            .to_string(),
        )
        .await
        .expect("send");
        assert_eq!(answer.status(), 422, "{}", server.engine);
        let problem: Value = answer.json().await.expect("json");
        let mut named: Vec<String> = problem["errors"]
            .as_array()
            .expect("errors")
            .iter()
            .map(|e| e["field"].as_str().unwrap_or_default().to_string())
            .collect();
        named.sort();
        assert_eq!(
            named,
            [
                "account",
                "given_name",
                "interpreter_needed",
                "sender_reference"
            ],
            "{}: {problem}",
            server.engine
        );
        assert!(!problem.to_string().contains("column"), "{problem}");
        let broken = send("{\"source\": ".into()).await.expect("send");
        assert_eq!(broken.status(), 400);
        let problem: Value = broken.json().await.expect("json");
        assert_eq!(problem["title"], "The body is not JSON");
    }
}
