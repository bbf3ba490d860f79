//! The audit log's hash chain catches tampering, and names where.

use app::Settings;
use domain::audit::BrokenLink;

use crate::support::{databases, demo_app};

#[tokio::test]
async fn altering_deleting_or_reordering_an_event_is_named_by_verify() {
    for tamper in ["alter", "delete", "reorder", "truncate"] {
        for db in databases().await {
            let app = demo_app(&db, Settings::default()).await;
            let total = match app.verify_audit().await.expect("verify") {
                Ok(n) => n as i64,
                Err(e) => panic!("{}: a fresh log must verify: {e}", db.engine),
            };
            assert!(total > 10);
            let pool = app.db.pool();
            let run = |sql: &'static str| sqlx::query(sql).execute(pool);
            let expected = match tamper {
                "alter" => {
                    run("UPDATE audit_events SET after_json = '{\"name\":\"Someone else\"}' WHERE seq = 5").await.expect("alter");
                    BrokenLink::Altered { seq: 5 }
                }
                "delete" => {
                    run("DELETE FROM audit_events WHERE seq = 7")
                        .await
                        .expect("delete");
                    BrokenLink::OutOfSequence {
                        expected: 7,
                        found: 8,
                    }
                }
                "reorder" => {
                    // Swap two events' places, renumbering so the sequence looks whole.
                    run("UPDATE audit_events SET seq = -1 WHERE seq = 3")
                        .await
                        .expect("move");
                    run("UPDATE audit_events SET seq = 3 WHERE seq = 4")
                        .await
                        .expect("move");
                    run("UPDATE audit_events SET seq = 4 WHERE seq = -1")
                        .await
                        .expect("move");
                    BrokenLink::Unlinked {
                        seq: 3,
                        expected_previous: 2,
                    }
                }
                _ => {
                    sqlx::query("DELETE FROM audit_events WHERE seq = $1")
                        .bind(total)
                        .execute(pool)
                        .await
                        .expect("delete last");
                    BrokenLink::Truncated {
                        last_seq: total - 1,
                        head_seq: total,
                    }
                }
            };
            assert_eq!(
                app.verify_audit().await.expect("verify"),
                Err(expected),
                "{} {tamper}",
                db.engine
            );
        }
    }
}
