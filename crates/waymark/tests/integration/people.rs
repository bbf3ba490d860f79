//! Correcting a person's details after intake, with the record's history.

use app::Settings;

use crate::support::{a_referral, databases, demo_app, serve, signed_in};

const CASEWORKER: &str = "caseworker@victimcare.example";
const OTHER_SERVICE: &str = "idva@cityadvocacy.example";

#[tokio::test]
async fn a_caseworker_corrects_a_persons_details_and_the_history_shows_it() {
    for db in databases().await {
        let engine = db.engine;
        let server = serve(demo_app(&db, Settings::default()).await, engine).await;
        let referral = a_referral(&server.app)
            .about("Robin", "Moved")
            .taken()
            .await;
        let person = referral.person_id.clone();
        let corrections = || async {
            sqlx::query_as::<_, (Option<String>, Option<String>)>(
                "SELECT before_json, after_json FROM audit_events
                 WHERE action = 'person.corrected' AND record_id = $1 ORDER BY seq",
            )
            .bind(person.clone())
            .fetch_all(server.app.db.pool())
            .await
            .expect("events")
        };
        let mut caseworker = signed_in(&server, CASEWORKER).await;
        let form = caseworker.get(&format!("/people/{person}/edit")).await;
        assert_eq!(form.status, 200, "{engine}");
        assert!(
            form.body.contains("value=\"Robin\"") && form.body.contains("value=\"Moved\""),
            "{engine}: the form holds what is recorded"
        );

        // A move after fleeing: a new address and phone, the rest as held.
        let moved = [
            ("given_name", "Robin"),
            ("family_name", "Moved"),
            ("phone", "07700 900456"),
            ("address", "2 Safe Street, Eastmoor"),
            ("postcode", "NG18 2CD"),
        ];
        let page = caseworker
            .submit(&format!("/people/{person}/edit"), &moved)
            .await;
        assert_eq!(
            page.after_change.as_deref(),
            Some(format!("/people/{person}?done=PersonCorrected").as_str()),
            "{engine}: {}",
            page.body
        );
        assert!(page.body.contains("2 Safe Street, Eastmoor"), "{engine}");
        assert!(page.body.contains("History of changes"), "{engine}");
        assert!(
            page.body.contains("Phone: <em>none</em> → 07700 900456"),
            "{engine}: the history says what it was and became"
        );
        assert!(page.body.contains(CASEWORKER), "{engine}: and who");
        let events = corrections().await;
        assert_eq!(events.len(), 1, "{engine}");
        let (before, after) = &events[0];
        let before: serde_json::Value =
            serde_json::from_str(before.as_deref().unwrap_or("{}")).expect("json");
        let after: serde_json::Value =
            serde_json::from_str(after.as_deref().unwrap_or("{}")).expect("json");
        assert_eq!(after["address"], "2 Safe Street, Eastmoor", "{engine}");
        assert_eq!(before["address"], serde_json::Value::Null, "{engine}");
        assert!(
            after.get("given_name").is_none(),
            "{engine}: only what changed is recorded: {after}"
        );

        // Saving again with nothing changed records nothing.
        caseworker.get(&format!("/people/{person}/edit")).await;
        caseworker
            .submit(&format!("/people/{person}/edit"), &moved)
            .await;
        assert_eq!(corrections().await.len(), 1, "{engine}: nothing changed");

        // A date of birth in the future is refused at its field, what was
        // typed is kept, and nothing changes.
        let mut bad = moved.to_vec();
        bad.push(("date_of_birth", "2099-01-01"));
        let refused = caseworker
            .submit(&format!("/people/{person}/edit"), &bad)
            .await;
        assert_eq!(refused.status, 422, "{engine}");
        assert!(refused.body.contains("href=\"#date_of_birth\""), "{engine}");
        assert!(
            refused.body.contains("value=\"2099\""),
            "{engine}: what was typed is kept"
        );
        assert_eq!(corrections().await.len(), 1, "{engine}");

        // Another service's caseworker cannot see the form or correct.
        let mut outsider = signed_in(&server, OTHER_SERVICE).await;
        assert_eq!(
            outsider.get(&format!("/people/{person}/edit")).await.status,
            404,
            "{engine}"
        );
        outsider.get("/").await;
        let attempt = outsider
            .submit(
                &format!("/people/{person}/edit"),
                &[("given_name", "Changed"), ("family_name", "ByOutsider")],
            )
            .await;
        assert_eq!(attempt.status, 404, "{engine}");
        assert_eq!(corrections().await.len(), 1, "{engine}");

        // The corrected name is what search and the duplicate check match.
        caseworker.get(&format!("/people/{person}/edit")).await;
        let mut renamed = moved.to_vec();
        renamed[1] = ("family_name", "Newname");
        caseworker
            .submit(&format!("/people/{person}/edit"), &renamed)
            .await;
        let found = caseworker.get("/search?q=Newname").await;
        assert!(
            found.body.contains("Robin"),
            "{engine}: search finds the new name"
        );
        // Lists sorted by name sort the referral by the new name.
        let order: String =
            sqlx::query_scalar("SELECT name_order FROM referrals WHERE person_id = $1")
                .bind(&person)
                .fetch_one(server.app.db.pool())
                .await
                .expect("referral");
        assert_eq!(order, "newname robin", "{engine}");
    }
}
