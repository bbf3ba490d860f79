//! The Victims' Code rules page: deadline lengths and crime types, set by a
//! system administrator in the browser, audited, and used by the next referral.

use app::referrals::PersonChoice;
use app::referrals::ReferralInput;
use app::{Settings, command_line_actor};

use crate::support::{databases, demo_app, serve, signed_in};

#[tokio::test]
async fn administrators_set_deadlines_and_crime_types_on_the_rules_page() {
    for db in databases().await {
        let engine = db.engine;
        let app = demo_app(&db, Settings::default()).await;
        let server = serve(app.clone(), engine).await;
        let mut admin = signed_in(&server, "admin@waymark.example").await;
        let page = admin.get("/code-rules").await;
        assert_eq!(page.status, 200, "{engine}");
        assert!(
            page.body.contains("First contact by the service")
                && page.body.contains("Domestic abuse")
                && page.body.contains("Opt-in: passed on only with consent"),
            "{engine}: the page lists the clocks and crime types"
        );

        // Bad numbers are refused on the clock's own form, nothing changes.
        let refused = admin
            .submit(
                "/code-rules/clocks/first_contact",
                &[("working_days", "two"), ("enhanced_working_days", "99")],
            )
            .await;
        assert_eq!(refused.status, 422, "{engine}");
        assert!(
            refused
                .body
                .contains("href=\"#first_contact-working_days\"")
                && refused.body.contains("whole number")
                && refused.body.contains("value=\"two\""),
            "{engine}: the error names the field and keeps what was typed"
        );
        let refused = admin
            .submit(
                "/code-rules/clocks/first_contact",
                &[("working_days", "3"), ("enhanced_working_days", "99")],
            )
            .await;
        assert!(
            refused.status == 422 && refused.body.contains("from 0 to 60"),
            "{engine}"
        );
        // Enhanced rights mean sooner: a longer enhanced deadline is refused.
        let refused = admin
            .submit(
                "/code-rules/clocks/first_contact",
                &[("working_days", "2"), ("enhanced_working_days", "5")],
            )
            .await;
        assert!(
            refused.status == 422
                && refused
                    .body
                    .contains("cannot be longer than the standard one"),
            "{engine}"
        );
        assert_eq!(
            app.clocks()
                .await
                .expect("clocks")
                .iter()
                .find(|c| c.code == "first_contact")
                .map(|c| c.working_days),
            Some(2),
            "{engine}: nothing was changed"
        );

        let changed = admin
            .submit(
                "/code-rules/clocks/first_contact",
                &[("working_days", "1"), ("enhanced_working_days", "")],
            )
            .await;
        assert!(
            changed.status == 200 && changed.body.contains("The deadline has been changed"),
            "{engine}: {}",
            changed.status
        );
        let first_contact = app
            .clocks()
            .await
            .expect("clocks")
            .into_iter()
            .find(|c| c.code == "first_contact")
            .expect("clock");
        assert_eq!(
            (
                first_contact.working_days,
                first_contact.enhanced_working_days
            ),
            (1, None),
            "{engine}"
        );

        // A new crime type, opt-in: the next referral without consent is refused.
        let missing = admin
            .submit(
                "/code-rules/crime-types",
                &[("code", "Stalking!"), ("label", ""), ("consent", "")],
            )
            .await;
        assert_eq!(missing.status, 422, "{engine}");
        for field in ["#code", "#label", "#consent"] {
            assert!(
                missing.body.contains(&format!("href=\"{field}\"")),
                "{engine}: {field}"
            );
        }
        let added = admin
            .submit(
                "/code-rules/crime-types",
                &[
                    ("code", "stalking"),
                    ("label", "Stalking"),
                    ("consent", "opt_in"),
                ],
            )
            .await;
        assert!(
            added.status == 200
                && added
                    .body
                    .contains("The crime type is offered for new referrals")
                && added.body.contains("Stalking"),
            "{engine}"
        );
        let cli = command_line_actor();
        let service = app.services(&cli).await.expect("services")[0].id.clone();
        let mut input = ReferralInput {
            service_id: service,
            source: "police".into(),
            crime_type: "stalking".into(),
            consent: "not_asked".into(),
            person: app::people::PersonInput {
                given_name: "Rule".into(),
                family_name: "Checked".into(),
                ..Default::default()
            },
            ..Default::default()
        };
        assert!(
            app.take_referral(&cli, &input, &PersonChoice::sender())
                .await
                .is_err(),
            "{engine}: opt-in needs consent"
        );
        input.consent = "given".into();
        app.take_referral(&cli, &input, &PersonChoice::sender())
            .await
            .expect("with consent");

        // Retired, it is no longer offered; offered again, it is.
        // Retiring asks first; nothing changes until the answer is yes.
        let asked = admin
            .submit("/code-rules/crime-types/stalking/retire", &[])
            .await;
        assert!(
            asked.status == 200 && asked.body.contains("Retire this crime type?"),
            "{engine}"
        );
        let retired = admin
            .submit(
                "/code-rules/crime-types/stalking/retire",
                &[("confirmed", "yes")],
            )
            .await;
        assert!(
            retired.status == 200 && retired.body.contains("No, retired"),
            "{engine}"
        );
        assert!(
            !app.crime_types()
                .await
                .expect("types")
                .iter()
                .any(|t| t.code == "stalking"),
            "{engine}"
        );
        assert_eq!(
            admin
                .submit(
                    "/code-rules/crime-types/no_such_type/retire",
                    &[("confirmed", "yes")]
                )
                .await
                .status,
            404,
            "{engine}"
        );
        admin
            .submit("/code-rules/crime-types/stalking/offer", &[])
            .await;
        assert!(
            app.crime_types()
                .await
                .expect("types")
                .iter()
                .any(|t| t.code == "stalking"),
            "{engine}"
        );

        // Every change is in the audit log.
        let mut conn = app.db.conn().await.expect("conn");
        let changes: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_events WHERE action IN ('clock.set', 'crime_type.set')",
        )
        .fetch_one(&mut *conn)
        .await
        .expect("count");
        assert_eq!(
            changes, 4,
            "{engine}: a clock, an addition, a retirement and an offer"
        );

        // Nobody else may see or change the rules.
        let mut manager = signed_in(&server, "manager@victimcare.example").await;
        assert_eq!(manager.get("/code-rules").await.status, 403, "{engine}");
        assert_eq!(
            manager
                .submit("/code-rules/clocks/first_contact", &[("working_days", "5")])
                .await
                .status,
            403,
            "{engine}"
        );
    }
}
