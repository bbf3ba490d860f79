//! Documents on a case: attached, checked, scanned, downloaded under the
//! case's permission with every download audited, removed with a reason;
//! and letters written from templates, never where letters are unsafe.

use app::Settings;

use crate::support::{
    a_referral, allocate_to_anyone, databases, demo_app, serve, signed_in, team_leader_of,
};

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";

async fn count(server: &crate::support::Server, action: &str) -> i64 {
    sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM audit_events WHERE action = $1")
        .bind(action.to_string())
        .fetch_one(server.app.db.pool())
        .await
        .expect("count")
}

/// The id of the first document linked on a page.
fn first_document(body: &str, case_path: &str) -> String {
    let marker = format!("href=\"{case_path}/documents/");
    let start = body.find(&marker).expect("a document link") + marker.len();
    body[start..start + 36].to_string()
}

#[tokio::test]
async fn a_document_is_attached_downloaded_with_its_read_audited_and_removed_with_a_reason() {
    for db in databases().await {
        let server = serve(demo_app(&db, Settings::default()).await, db.engine).await;
        let engine = server.engine;
        let (_, case) = a_referral(&server.app)
            .about("Dana", "Documents")
            .accepted()
            .await;
        let leader = team_leader_of(&case.service_id);
        allocate_to_anyone(&server.app, &leader, &case).await;
        let path = format!("/cases/{}", case.id);
        let mut caseworker = signed_in(&server, "caseworker@victimcare.example").await;
        let page = caseworker.get(&format!("{path}?section=documents")).await;
        assert!(page.body.contains("No documents yet"), "{engine}");

        // A program named as a PDF is refused, at the field, with what was typed kept.
        let page = caseworker
            .upload(
                &format!("{path}/documents"),
                &[("description", "Court order")],
                "order.pdf",
                b"MZ\x90\x00\x03\x00\x00\x00\x04".to_vec(),
            )
            .await;
        assert_eq!(page.status, 422, "{engine}");
        assert!(
            page.body.contains("This kind of file cannot be attached"),
            "{engine}"
        );
        assert!(
            page.body.contains("value=\"Court order\""),
            "{engine}: kept"
        );
        assert_eq!(count(&server, "document.added").await, 0, "{engine}");

        // Over the limit: refused at the field.
        let page = caseworker
            .upload(
                &format!("{path}/documents"),
                &[],
                "big.txt",
                vec![b'a'; domain::documents::DOCUMENT_LIMIT_BYTES + 1],
            )
            .await;
        assert_eq!(page.status, 422, "{engine}");
        assert!(page.body.contains("larger than 10 MB"), "{engine}");

        let page = caseworker
            .upload(
                &format!("{path}/documents"),
                &[("description", "Non-molestation order")],
                "C:\\Users\\dana\\Order 1.pdf",
                PDF.to_vec(),
            )
            .await;
        assert_eq!(page.status, 200, "{engine}: {}", page.body);
        assert!(
            page.after_change.is_some(),
            "{engine}: redirected after the change"
        );
        assert!(
            page.body.contains("Order 1.pdf") && page.body.contains("Non-molestation order"),
            "{engine}"
        );
        assert!(
            !page.body.contains("Users"),
            "{engine}: the sender's folders are not kept"
        );
        assert_eq!(count(&server, "document.added").await, 1, "{engine}");
        let document = first_document(&page.body, &path);

        // The download is the same bytes, as an attachment that runs nothing.
        let before = count(&server, "document.downloaded").await;
        let (status, headers, bytes) = caseworker
            .download(&format!("{path}/documents/{document}"))
            .await;
        assert_eq!(status, 200, "{engine}");
        assert_eq!(bytes, PDF, "{engine}");
        assert_eq!(headers["content-type"], "application/pdf", "{engine}");
        let disposition = headers["content-disposition"].to_str().unwrap();
        assert!(
            disposition.starts_with("attachment;") && disposition.contains("Order%201.pdf"),
            "{disposition}"
        );
        assert!(
            headers["content-security-policy"]
                .to_str()
                .unwrap()
                .contains("sandbox"),
            "{engine}"
        );
        assert_eq!(
            count(&server, "document.downloaded").await,
            before + 1,
            "{engine}: audited"
        );

        // Another service's worker: not found, and nothing recorded as read.
        let mut other = signed_in(&server, "idva@cityadvocacy.example").await;
        let (status, _, bytes) = other
            .download(&format!("{path}/documents/{document}"))
            .await;
        assert_eq!(status, 404, "{engine}");
        assert!(!bytes.starts_with(b"%PDF"), "{engine}");
        assert_eq!(
            count(&server, "document.downloaded").await,
            before + 1,
            "{engine}"
        );

        // Removing asks first, needs a reason, and keeps the line.
        caseworker.get(&format!("{path}?section=documents")).await;
        let remove = format!("{path}/documents/{document}/remove");
        let page = caseworker.submit(&remove, &[("reason", "")]).await;
        assert!(
            page.body.contains("Remove this document?"),
            "{engine}: asks first"
        );
        assert_eq!(count(&server, "document.removed").await, 0, "{engine}");
        let page = caseworker
            .submit(
                &remove,
                &[
                    ("reason", ""),
                    ("confirmed", "yes"),
                    ("document", &document),
                ],
            )
            .await;
        assert_eq!(page.status, 422, "{engine}");
        assert!(
            page.body
                .contains("Enter why the document is being removed"),
            "{engine}"
        );
        let page = caseworker
            .submit(
                &remove,
                &[
                    ("reason", "Attached to the wrong case"),
                    ("confirmed", "yes"),
                ],
            )
            .await;
        assert_eq!(page.status, 200, "{engine}: {}", page.body);
        assert!(
            page.body.contains("Attached to the wrong case") && page.body.contains("Removed"),
            "{engine}"
        );
        assert_eq!(count(&server, "document.removed").await, 1, "{engine}");
        let (status, _, _) = caseworker
            .download(&format!("{path}/documents/{document}"))
            .await;
        assert_eq!(status, 404, "{engine}: its file is gone");
        let content: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM document_contents WHERE document_id = $1",
        )
        .bind(document.clone())
        .fetch_one(server.app.db.pool())
        .await
        .expect("count");
        assert_eq!(content, 0, "{engine}: the content is deleted");
    }
}

#[tokio::test]
async fn a_file_the_scanner_finds_harmful_or_cannot_check_is_not_attached() {
    for db in databases().await {
        let settings = Settings {
            scan_command: Some(vec![
                "sh".into(),
                "-c".into(),
                "case $(cat) in *HARMFUL*) exit 1;; *BROKEN*) exit 2;; *) exit 0;; esac".into(),
            ]),
            ..Settings::default()
        };
        let server = serve(demo_app(&db, settings).await, db.engine).await;
        let engine = server.engine;
        let (_, case) = a_referral(&server.app).accepted().await;
        let path = format!("/cases/{}", case.id);
        let mut leader = signed_in(&server, "teamleader@victimcare.example").await;
        leader.get(&format!("{path}?section=documents")).await;
        let page = leader
            .upload(
                &format!("{path}/documents"),
                &[],
                "notes.txt",
                b"a HARMFUL file".to_vec(),
            )
            .await;
        assert_eq!(page.status, 422, "{engine}");
        assert!(page.body.contains("found something harmful"), "{engine}");
        let page = leader
            .upload(
                &format!("{path}/documents"),
                &[],
                "notes.txt",
                b"a BROKEN scan".to_vec(),
            )
            .await;
        assert_eq!(page.status, 422, "{engine}");
        assert!(
            page.body.contains("could not be checked for viruses"),
            "{engine}"
        );
        assert_eq!(count(&server, "document.added").await, 0, "{engine}");
        let page = leader
            .upload(
                &format!("{path}/documents"),
                &[],
                "notes.txt",
                b"a good file".to_vec(),
            )
            .await;
        assert_eq!(page.status, 200, "{engine}");
        assert_eq!(count(&server, "document.added").await, 1, "{engine}");
    }
}

#[tokio::test]
async fn a_letter_is_written_with_the_persons_details_but_never_where_letters_are_unsafe() {
    for db in databases().await {
        let server = serve(demo_app(&db, Settings::default()).await, db.engine).await;
        let engine = server.engine;
        let (referral, case) = a_referral(&server.app)
            .about("Lee", "Letters")
            .address("4 Safe Street, Eastmoor", "NG18 4SS")
            .accepted()
            .await;
        let path = format!("/cases/{}", case.id);
        let mut leader = signed_in(&server, "teamleader@victimcare.example").await;
        leader.get(&format!("{path}?section=documents")).await;
        let page = leader
            .submit(
                &format!("{path}/letters"),
                &[
                    ("letter", "appointment"),
                    ("appointment_date-day", "1"),
                    ("appointment_date-month", "1"),
                    ("appointment_date-year", "2020"),
                ],
            )
            .await;
        assert_eq!(page.status, 422, "{engine}");
        assert!(
            page.body.contains("The appointment&#x27;s date has passed")
                || page.body.contains("date has passed"),
            "{engine}"
        );
        assert!(
            page.body.contains("Say where the appointment is"),
            "{engine}"
        );

        let next_year = (jiff::Zoned::now().year() + 1).to_string();
        let page = leader
            .submit(
                &format!("{path}/letters"),
                &[
                    ("letter", "appointment"),
                    ("appointment_date-day", "3"),
                    ("appointment_date-month", "2"),
                    ("appointment_date-year", &next_year),
                    ("appointment_time", "14:30"),
                    ("appointment_place", "the Eastmoor office"),
                ],
            )
            .await;
        assert_eq!(page.status, 200, "{engine}: {}", page.body);
        assert_eq!(count(&server, "letter.written").await, 1, "{engine}");
        let document = first_document(&page.body, &path);
        let (status, headers, bytes) = leader
            .download(&format!("{path}/documents/{document}"))
            .await;
        assert_eq!(status, 200, "{engine}");
        assert!(
            headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html"),
            "{engine}"
        );
        let letter = String::from_utf8(bytes).expect("text");
        for expected in [
            "Lee Letters",
            "4 Safe Street, Eastmoor",
            "NG18 4SS",
            "Dear Lee,",
            &format!("3 February {next_year} at 14:30, at the Eastmoor office"),
            &case.reference,
        ] {
            assert!(
                letter.contains(expected),
                "{engine}: {expected} in {letter}"
            );
        }

        // Letters marked unsafe: the form is not offered, and a letter sent anyway is refused.
        leader.get(&format!("/referrals/{}", referral.id)).await;
        leader
            .submit(
                &format!("/referrals/{}/preferences", referral.id),
                &[("channel", "letter"), ("safe", "false")],
            )
            .await;
        let page = leader.get(&format!("{path}?section=documents")).await;
        assert!(
            page.body
                .contains("Letters are marked unsafe for this person"),
            "{engine}"
        );
        let page = leader
            .submit(&format!("{path}/letters"), &[("letter", "closure")])
            .await;
        assert_eq!(page.status, 422, "{engine}");
        assert!(page.body.contains("contact them another way"), "{engine}");
        assert_eq!(count(&server, "letter.written").await, 1, "{engine}");
    }
}

#[tokio::test]
async fn a_closed_cases_documents_are_read_only_and_no_letter_goes_without_an_address() {
    for db in databases().await {
        let server = serve(demo_app(&db, Settings::default()).await, db.engine).await;
        let engine = server.engine;
        let (_, case) = a_referral(&server.app)
            .about("Nia", "Noaddress")
            .accepted()
            .await;
        let leader = team_leader_of(&case.service_id);
        let err = server
            .app
            .write_letter(
                &leader,
                &case.id,
                &app::documents::LetterInput {
                    letter: "closure".into(),
                    ..Default::default()
                },
                |_| String::new(),
            )
            .await
            .expect_err("no address");
        assert!(
            format!("{err:?}").contains("No address is recorded"),
            "{engine}: {err:?}"
        );
        crate::support::close_nothing_asked(&server.app, &leader, &case).await;
        let upload = app::documents::Upload {
            file_name: "late.pdf".into(),
            content: PDF.to_vec(),
            description: String::new(),
        };
        let err = server
            .app
            .add_document(&leader, &case.id, &upload)
            .await
            .expect_err("closed");
        assert!(format!("{err:?}").contains("closed"), "{engine}: {err:?}");
        assert_eq!(count(&server, "document.added").await, 0, "{engine}");
    }
}

#[tokio::test]
async fn only_those_who_work_the_case_attach_to_it_and_a_forged_upload_is_refused() {
    for db in databases().await {
        let server = serve(demo_app(&db, Settings::default()).await, db.engine).await;
        let engine = server.engine;
        let (_, case) = a_referral(&server.app).accepted().await;
        let path = format!("/cases/{}", case.id);
        for username in [
            "idva@cityadvocacy.example",
            "commissioner@opcc-eastmoor.example",
            "auditor@waymark.example",
        ] {
            let mut someone = signed_in(&server, username).await;
            someone.get("/").await;
            let page = someone
                .upload(
                    &format!("{path}/documents"),
                    &[],
                    "notes.txt",
                    b"text".to_vec(),
                )
                .await;
            assert_eq!(page.status, 404, "{engine}: {username}");
        }
        let mut leader = signed_in(&server, "teamleader@victimcare.example").await;
        leader.get(&format!("{path}?section=documents")).await;
        leader.csrf = "forged".into();
        let page = leader
            .upload(
                &format!("{path}/documents"),
                &[],
                "notes.txt",
                b"text".to_vec(),
            )
            .await;
        assert_eq!(page.status, 400, "{engine}: no CSRF token, no upload");
        assert_eq!(count(&server, "document.added").await, 0, "{engine}");
    }
}
