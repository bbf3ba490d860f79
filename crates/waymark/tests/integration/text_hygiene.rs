//! Text that cannot be seen or that changes how text is shown is refused at
//! every field that takes a name, a reference or a note, with the field
//! named; notes keep their line ends and tabs; every text has a limit.

use app::Settings;
use serde_json::{Value, json};

use crate::support::{databases, demo_app, police_feed, serve};

#[tokio::test]
async fn hidden_characters_and_overlong_references_are_refused_and_notes_keep_their_lines() {
    for db in databases().await {
        let server = serve(demo_app(&db, Settings::default()).await, db.engine).await;
        let engine = server.engine;
        let feed = police_feed(&server).await;
        let service = crate::support::service_id(&server.app, "Eastmoor Victim Care").await;
        let referrals = || async {
            sqlx::query_scalar::<_, i64>("SELECT CAST(COUNT(*) AS BIGINT) FROM referrals")
                .fetch_one(server.app.db.pool())
                .await
                .expect("count")
        };
        let before = referrals().await;
        let send = |body: Value| {
            server
                .api()
                .post(server.url("/api/v1/referrals"))
                .bearer_auth(&feed)
                .json(&body)
                .send()
        };
        let referral = |given: &str, family: &str, reference: &str, account: &str| {
            json!({
                "service_id": service, "source": "police", "crime_type": "theft",
                "consent": "given", "given_name": given, "family_name": family,
                "sender_reference": reference, "account": account,
            })
        };
        let refused = send(referral(
            "Ann\u{202E}eb",
            "\u{200B}",
            &"R".repeat(10_000),
            "Seen\u{0}at home",
        ))
        .await
        .expect("send");
        assert_eq!(refused.status(), 422, "{engine}");
        let problem: Value = refused.json().await.expect("json");
        let message = |field: &str| {
            problem["errors"]
                .as_array()
                .expect("errors")
                .iter()
                .find(|e| e["field"] == field)
                .and_then(|e| e["message"].as_str())
                .unwrap_or_else(|| panic!("{engine}: no error for {field}: {problem}"))
                .to_string()
        };
        assert!(
            message("given_name").contains("characters that cannot be seen"),
            "{engine}"
        );
        assert_eq!(message("family_name"), "Enter the victim's last name");
        assert_eq!(
            message("sender_reference"),
            "The sender's reference must be 100 characters or fewer: this is 10000"
        );
        assert!(message("account").contains("cannot be seen"), "{engine}");
        assert_eq!(referrals().await, before, "{engine}: nothing was written");

        // A note over several lines keeps them, and its tabs.
        let account = "Seen at home.\n\tNeighbour called it in.\r\nNo injuries.";
        let taken = send(referral("Ann", "Lee", "HYG-1", account))
            .await
            .expect("send");
        assert_eq!(taken.status(), 201, "{engine}");
        let stored: String =
            sqlx::query_scalar("SELECT account FROM referrals WHERE sender_reference = 'HYG-1'")
                .fetch_one(server.app.db.pool())
                .await
                .expect("stored");
        assert_eq!(stored, account, "{engine}");
    }
}
