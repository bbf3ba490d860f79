//! Every read of personal data leaves exactly one audit event naming the
//! record and the reader; a refused read leaves none. The routes come from
//! the router itself, so a route added without an entry here fails.

use app::Settings;
use app::command_line_actor;
use app::tokens::NewTokenInput;

use crate::permissions::{Records, records};
use crate::support::{Server, databases, demo_app, serve, signed_in};

/// What a route shows, and so what its audit must say.
#[derive(Debug, Clone, Copy)]
enum Shows {
    /// One person's record (directly, or through their referral or case).
    Person(Via),
    /// One member of staff's record.
    StaffMember,
    /// Search results: one event for the search, naming no record.
    SearchResults,
    /// A sensitive note's text, revealed on request.
    SensitiveNote,
    /// Names in a list the policy scopes (worklists, caseloads, staff): not
    /// audited per view; the records behind them are, when opened.
    ScopedList,
    /// A form or action: changes are audited as changes, by their own tests.
    Action,
    /// Nothing personal.
    Nothing,
    /// A sender's view of a referral it sent, without anyone's details:
    /// audited as a read by its own test (api.rs); anyone else's is not found.
    SendersOwn,
    /// A document's file: its download is audited as a read of the case.
    DocumentFile,
    /// Two records side by side, to merge or dismiss: audited as a read of
    /// the pair.
    PossibleDuplicate,
    /// A risk assessment's answers: audited as a read of it, on its case.
    RiskAssessment,
    /// A MARAC's meeting or a case on its agenda: only its members reach
    /// it, and their reads are audited (marac_meetings.rs); anyone else's
    /// request is not found and records nothing.
    MaracRecord,
    /// A duty rota's requests, with who each is about: only the staff of
    /// the rota's services reach them, and their reads are audited
    /// (duty.rs); anyone else's request is not found and records nothing.
    DutyRequests,
    /// A programme's call-outs, with the victims' names: only the staff of
    /// its service reach them, and their reads are audited
    /// (programmes.rs); anyone else's is not found and records nothing.
    CallOuts,
}

#[derive(Debug, Clone, Copy)]
enum Via {
    PersonPage,
    Referral,
    Case,
}

/// Every route the router serves, with what it shows.
fn expectation(path: &str) -> Option<Shows> {
    use Shows::*;
    Some(match path {
        "/people/{id}" | "/people/{id}/edit" | "/api/v1/people/{id}" => Person(Via::PersonPage),
        "/api/v1/referrals/{id}/details" => Person(Via::Referral),
        "/api/v1/cases/{id}" => Person(Via::Case),
        "/referrals/{id}" | "/referrals/{id}/edit" => Person(Via::Referral),
        "/cases/{id}"
        | "/cases/{id}/print"
        | "/cases/{id}/safety-plan/print"
        | "/cases/{id}/incidents/{incident}"
        | "/cases/{id}/marac/{referral}" => Person(Via::Case),
        "/staff/{id}" | "/api/v1/staff/{id}" => StaffMember,
        "/search" => SearchResults,
        "/cases/{id}/notes/{note}/reveal" => SensitiveNote,
        "/api/v1/referrals/{id}" => SendersOwn,
        "/cases/{id}/documents/{document}" => DocumentFile,
        "/people/duplicates/{id}" => PossibleDuplicate,
        "/cases/{id}/risk/{assessment}" => RiskAssessment,
        "/maracs/meetings/{id}" | "/maracs/cases/{id}" | "/api/v1/marac-meetings/{id}/agenda" => {
            MaracRecord
        }
        // The MARACs the reader serves on, and their meeting days; a MARAC's
        // counts; how the MARAC works.
        // The MARACs set up, with their areas and agencies.
        "/maracs" | "/maracs/{id}/figures" | "/help/marac" | "/maracs/setup"
        | "/maracs/{id}/edit" => Nothing,
        // Duty rotas and who is on duty: colleagues' shifts and the duty
        // line, no victim's details.
        // One's own recorded time, and its sums by area, funder and worker.
        "/activity" | "/activity/{id}" | "/activity/report" | "/help/activity" => Nothing,
        // Budgets and decisions: no victim's record.
        "/commissioning"
        | "/commissioning/report"
        | "/pools"
        | "/pools/{id}"
        | "/pools/{id}/edit"
        | "/commissioning/objectives"
        | "/commissioning/objectives/{id}"
        | "/commissioning/sources"
        | "/commissioning/sources/{id}"
        | "/commissioning/allocations"
        | "/commissioning/decisions/new"
        | "/commissioning/decisions/{id}"
        | "/commissioning/decisions/{id}/edit"
        | "/commissioning/decisions/{id}/consult"
        | "/commissioning/decisions/{id}/approve"
        | "/help/commissioning"
        | "/register"
        | "/register/decisions.csv"
        | "/register/decisions.json"
        | "/register/feed.atom"
        | "/register/decisions/{id}"
        | "/register/services"
        | "/contracts"
        | "/contracts/new"
        | "/contracts/{id}"
        | "/contracts/{id}/edit"
        | "/contracts/{id}/payments"
        | "/contracts/{id}/narrative" => Nothing,
        "/duty/rotas/{id}/requests" => DutyRequests,
        "/programmes/{id}" | "/programmes/{id}/call-outs/{call_out}" => CallOuts,
        // The programmes' names and periods; an evaluation's counts.
        "/programmes"
        | "/help/programmes"
        | "/programmes/{id}/evaluation"
        | "/programmes/setup"
        | "/programmes/{id}/edit" => Nothing,
        // The handover names the case by its reference and the workers,
        // never the victim.
        "/duty" | "/duty/rotas/{id}" | "/help/duty" | "/api/v1/duty/now"
        | "/duty/shifts/{id}/swap" | "/cases/{id}/handover" | "/duty/setup"
        | "/duty/rotas/{id}/edit" => Nothing,
        "/" | "/referrals" | "/cases" | "/dashboard" | "/staff" | "/api/v1/staff" | "/audit"
        | "/api/v1/audit" | "/api/v1/cases" | "/people/duplicates" => ScopedList,
        "/cases/{id}/allocate"
        | "/cases/allocate"
        | "/people/duplicates/{id}/merge"
        | "/people/duplicates/{id}/dismiss"
        | "/cases/{id}/take"
        | "/cases/{id}/reopen"
        | "/cases/{id}/close"
        | "/cases/{id}/documents"
        | "/cases/{id}/documents/{document}/remove"
        | "/cases/{id}/letters"
        | "/cases/{id}/contacts"
        | "/cases/{id}/needs"
        | "/cases/{id}/incidents"
        | "/cases/{id}/safety-plan"
        | "/cases/{id}/marac"
        | "/cases/{id}/marac/{referral}/withdraw"
        | "/cases/{id}/risk/{assessment}/withdraw"
        | "/duty/rotas/{id}/shifts"
        | "/duty/rotas/{id}/shifts/{shift}/clear"
        | "/duty/rotas/{id}/swaps/{swap}"
        | "/duty/rotas/{id}/requests/{request}/actioned"
        | "/maracs/meetings/{id}/acknowledge"
        | "/maracs/{id}/meetings"
        | "/maracs/meetings/{id}/minutes"
        | "/maracs/cases/{id}/move"
        | "/maracs/cases/{id}/research"
        | "/maracs/cases/{id}/actions"
        | "/maracs/cases/{id}/outcome"
        | "/maracs/actions/{id}"
        | "/maracs/research/{id}"
        | "/api/v1/marac-meetings/{id}/acknowledgement"
        | "/api/v1/marac-cases/{id}/research"
        | "/api/v1/marac-actions/{id}"
        // The form: a case's reference and the templates, no one's details.
        | "/cases/{id}/risk/new"
        | "/cases/{id}/notes"
        | "/cases/{id}/onward"
        | "/cases/{id}/people"
        | "/cases/{id}/plan"
        | "/cases/{id}/tasks"
        | "/cases/{id}/tasks/{task}/done"
        | "/referrals/new"
        | "/referrals/{id}/attempts"
        | "/referrals/{id}/preferences"
        | "/referrals/{id}/triage"
        | "/staff/new"
        | "/staff/{id}/disable"
        | "/staff/{id}/enable"
        | "/staff/{id}/grants"
        | "/staff/{id}/grants/{grant}/remove"
        | "/staff/{id}/password"
        | "/staff/{id}/second-factor/reset"
        | "/staff/{id}/team"
        | "/api/v1/referrals"
        | "/api/v1/duty/rotas/{id}/requests"
        | "/programmes/{id}/call-outs"
        | "/programmes/{id}/baseline"
        | "/api/v1/cases/{id}/contacts"
        | "/api/v1/cases/{id}/notes"
        | "/api/v1/cases/{id}/tasks"
        // A read posted, audited as one: casework_api.rs tests it.
        | "/api/v1/cases/{id}/notes/{note_id}/reveal"
        | "/api/v1/staff/{id}/disable"
        | "/api/v1/staff/{id}/enable"
        | "/api/v1/staff/{id}/grants"
        | "/api/v1/staff/{id}/grants/{grant_id}"
        | "/login"
        | "/login/code"
        | "/logout"
        | "/account"
        | "/account/password"
        | "/account/second-factor" => Action,
        "/healthz"
        | "/readyz"
        | "/static/waymark.css"
        | "/static/waymark.js"
        | "/account/keep-alive"
        | "/api/openapi.json"
        | "/api/v1/me"
        | "/areas"
        | "/organisations"
        | "/services"
        | "/services/new"
        | "/services/{id}"
        | "/services/{id}/edit"
        | "/services/{id}/teams"
        | "/teams/{id}"
        | "/teams/{id}/rename"
        | "/tokens"
        | "/tokens/{id}/revoke"
        | "/figures"
        | "/reports/moj"
        | "/help/moj-return"
        | "/code-rules"
        | "/code-rules/clocks/{code}"
        | "/code-rules/crime-types"
        | "/code-rules/crime-types/{code}/offer"
        | "/code-rules/crime-types/{code}/retire"
        | "/api/v1/organisations"
        | "/api/v1/areas"
        | "/api/v1/services"
        | "/api/v1/services/{id}"
        | "/api/v1/services/{id}/teams"
        | "/api/v1/teams/{id}" => Nothing,
        _ => return None,
    })
}

/// A read event: action, record, actor.
type Event = (String, Option<String>, Option<String>);

async fn last_seq(server: &Server) -> i64 {
    sqlx::query_scalar("SELECT CAST(COALESCE(MAX(seq), 0) AS BIGINT) FROM audit_events")
        .fetch_one(server.app.db.pool())
        .await
        .expect("seq")
}

/// Read events since `seq`.
async fn reads_since(server: &Server, seq: i64) -> Vec<Event> {
    let rows: Vec<(String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT action, record_id, actor_id FROM audit_events WHERE seq > $1 ORDER BY seq",
    )
    .bind(seq)
    .fetch_all(server.app.db.pool())
    .await
    .expect("events");
    rows.into_iter()
        .filter(|(action, _, _)| {
            app::audit::AuditAction::ALL
                .iter()
                .any(|a| a.is_read() && a.code() == action)
        })
        .collect()
}

async fn staff_token(server: &Server, organisation: &str) -> String {
    let cli = command_line_actor();
    let orgs = server.app.organisations(&cli).await.expect("orgs");
    let org = orgs.iter().find(|o| o.name == organisation).expect("org");
    let scopes = vec!["staff:read".to_string(), "casework:read".to_string()];
    server
        .app
        .create_token(
            &cli,
            NewTokenInput {
                name: "HR system",
                organisation_id: &org.id,
                service_id: None,
                scopes: &scopes,
            },
        )
        .await
        .expect("token")
        .secret
}

/// Fills a route's placeholders with the own service's records.
fn fill(path: &str, records: &Records, note: &str, document: &str) -> String {
    let mut ids = document.split(' ');
    let (document, assessment, incident, referral) = (
        ids.next().unwrap_or_default(),
        ids.next().unwrap_or_default(),
        ids.next().unwrap_or_default(),
        ids.next().unwrap_or_default(),
    );
    let page = path.strip_prefix("/api/v1").unwrap_or(path);
    let id = if page.starts_with("/people/duplicates/") {
        records.own_pair.clone()
    } else if page.starts_with("/people/") {
        records.own_person.clone()
    } else if page.starts_with("/referrals/") {
        records.own_referral.clone()
    } else if page.starts_with("/cases/") {
        records.own_case.clone()
    } else if path.contains("/staff/") {
        records.own_user.clone()
    } else if path.contains("/services/") {
        records.own_service.clone()
    } else if path.contains("/teams/") {
        records.own_team.clone()
    } else {
        "00000000-0000-7000-8000-000000000000".to_string()
    };
    path.replace("{id}", &id)
        .replace("{note}", note)
        .replace("{document}", document)
        .replace("{assessment}", assessment)
        .replace("{incident}", incident)
        .replace("{referral}", referral)
        .replace("{code}", "theft")
        .replace("{task}", "none")
        .replace("{grant}", "none")
        .replace("{grant_id}", "none")
}

#[tokio::test]
async fn every_read_of_personal_data_is_audited_once_and_refusals_not_at_all() {
    for db in databases().await {
        let server = serve(demo_app(&db, Settings::default()).await, db.engine).await;
        let engine = server.engine;
        let records = records(&server).await;
        let manager_user = server
            .app
            .staff_by_username("manager@victimcare.example")
            .await
            .expect("manager");
        let manager_actor = domain::policy::Actor {
            submission: None,
            id: manager_user.id.clone(),
            label: manager_user.display_name.clone(),
            organisation_id: manager_user.organisation_id.clone(),
            grants: vec![domain::policy::Grant {
                role: domain::policy::Role::ServiceManager,
                scope: domain::policy::GrantScope::Service(records.own_service.clone()),
            }],
        };
        server
            .app
            .add_case_note(
                &manager_actor,
                &records.own_case,
                "A sensitive detail",
                true,
            )
            .await
            .expect("note");
        let detail = server
            .app
            .case(&manager_actor, &records.own_case)
            .await
            .expect("case")
            .into_inner();
        let note = detail.notes[0].id.clone();
        let upload = app::documents::Upload {
            file_name: "statement.txt".into(),
            content: b"A statement".to_vec(),
            description: String::new(),
        };
        let document = server
            .app
            .add_document(&manager_actor, &records.own_case, &upload)
            .await
            .expect("document");
        let assessment = server
            .app
            .assess_risk(
                &manager_actor,
                &records.own_case,
                &crate::support::dash_with_yes(15),
            )
            .await
            .expect("assessed");
        let (marac, meeting, _) = crate::support::a_marac_hearing(&server.app, "Audit MARAC").await;
        let referral = server
            .app
            .refer_to_marac(
                &manager_actor,
                &records.own_case,
                &app::marac::MaracReferralInput {
                    marac: marac.id.clone(),
                    meeting,
                    consent: "given".into(),
                    ..Default::default()
                },
            )
            .await
            .expect("referred");
        let incident = server
            .app
            .record_incident(
                &manager_actor,
                &records.own_case,
                &app::risk::IncidentInput {
                    occurred_on: server.app.today().to_string(),
                    source: "police_callout".into(),
                    ..Default::default()
                },
            )
            .await
            .expect("incident");
        // The document's id, the assessment's, the incident's and the
        // MARAC referral's, for `fill`.
        let document = format!(
            "{document} {} {} {}",
            assessment.id, incident.id, referral.id
        );

        let mut reader = signed_in(&server, "manager@victimcare.example").await;
        let mut outsider = signed_in(&server, "idva@cityadvocacy.example").await;
        let own_token = staff_token(&server, "Eastmoor Victim Care").await;
        let other_token = staff_token(&server, "City Advocacy Partnership").await;
        let api = server.api();
        let me: serde_json::Value = api
            .get(server.url("/api/v1/me"))
            .bearer_auth(&own_token)
            .send()
            .await
            .expect("me")
            .json()
            .await
            .expect("json");
        let token_actor = me["id"].as_str().expect("id").to_string();

        let paths = web::route_paths();
        assert!(paths.len() > 60, "{engine}: the router lists its routes");
        let unlisted: Vec<&String> = paths.iter().filter(|p| expectation(p).is_none()).collect();
        assert!(
            unlisted.is_empty(),
            "routes with no audit expectation: say what each shows in read_audit.rs: {unlisted:?}"
        );

        for path in &paths {
            let shows = expectation(path).expect("listed");
            let is_api = path.starts_with("/api/");
            let own = fill(path, &records, &note, &document);
            // The permitted reader.
            let before = last_seq(&server).await;
            let status = match (shows, is_api) {
                (Shows::SensitiveNote, _) => {
                    reader
                        .get(&fill("/cases/{id}", &records, &note, &document))
                        .await;
                    let before_reveal = last_seq(&server).await;
                    let page = reader.submit(&own, &[]).await;
                    let events = reads_since(&server, before_reveal).await;
                    // The reveal, and the case page it is shown on.
                    assert_eq!(
                        events,
                        vec![
                            (
                                "case.note_revealed".to_string(),
                                Some(records.own_case.clone()),
                                Some(manager_user.id.clone())
                            ),
                            (
                                "person.viewed".to_string(),
                                Some(records.own_person.clone()),
                                Some(manager_user.id.clone())
                            )
                        ],
                        "{engine}: {path}"
                    );
                    page.status
                }
                (Shows::SearchResults, _) => reader.get("/search?q=Matrix").await.status,
                (_, true) => api
                    .get(server.url(&own))
                    .bearer_auth(&own_token)
                    .send()
                    .await
                    .expect("send")
                    .status()
                    .as_u16(),
                (_, false) => reader.get(&own).await.status,
            };
            let events = reads_since(&server, before).await;
            let actor = if is_api {
                &token_actor
            } else {
                &manager_user.id
            };
            match shows {
                Shows::Person(via) => {
                    let expected = (
                        "person.viewed".to_string(),
                        Some(records.own_person.clone()),
                        Some(actor.clone()),
                    );
                    assert_eq!(status, 200, "{engine}: {path} ({via:?})");
                    assert_eq!(events, vec![expected], "{engine}: {path} ({via:?})");
                }
                Shows::StaffMember => {
                    assert_eq!(status, 200, "{engine}: {path}");
                    assert_eq!(
                        events,
                        vec![(
                            "user.viewed".to_string(),
                            Some(records.own_user.clone()),
                            Some(actor.clone())
                        )],
                        "{engine}: {path}"
                    );
                }
                Shows::SearchResults => {
                    assert_eq!(status, 200, "{engine}: {path}");
                    assert_eq!(
                        events,
                        vec![("people.searched".to_string(), None, Some(actor.clone()))],
                        "{engine}: {path}"
                    );
                }
                Shows::SensitiveNote => {}
                Shows::DocumentFile => {
                    assert_eq!(status, 200, "{engine}: {path}");
                    assert_eq!(
                        events,
                        vec![(
                            "document.downloaded".to_string(),
                            Some(records.own_case.clone()),
                            Some(actor.clone())
                        )],
                        "{engine}: {path}"
                    );
                }
                Shows::PossibleDuplicate => {
                    assert_eq!(status, 200, "{engine}: {path}");
                    assert_eq!(
                        events,
                        vec![(
                            "possible_duplicate.viewed".to_string(),
                            Some(records.own_pair.clone()),
                            Some(actor.clone())
                        )],
                        "{engine}: {path}"
                    );
                }
                Shows::RiskAssessment => {
                    assert_eq!(status, 200, "{engine}: {path}");
                    assert_eq!(
                        events,
                        vec![(
                            "risk.assessment_viewed".to_string(),
                            Some(records.own_case.clone()),
                            Some(actor.clone())
                        )],
                        "{engine}: {path}"
                    );
                }
                Shows::MaracRecord | Shows::DutyRequests | Shows::CallOuts => {
                    assert_eq!(status, 404, "{engine}: {path}");
                    assert_eq!(events, vec![], "{engine}: {path}");
                }
                Shows::ScopedList | Shows::Action | Shows::Nothing | Shows::SendersOwn => {
                    assert!(
                        events.is_empty(),
                        "{engine}: {path} shows no single record, yet recorded {events:?}"
                    );
                }
            }

            // Someone outside the record's service: refused, and no read recorded.
            if matches!(
                shows,
                Shows::Person(_)
                    | Shows::StaffMember
                    | Shows::SensitiveNote
                    | Shows::DocumentFile
                    | Shows::PossibleDuplicate
                    | Shows::RiskAssessment
            ) {
                let before = last_seq(&server).await;
                let status = if is_api {
                    api.get(server.url(&own))
                        .bearer_auth(&other_token)
                        .send()
                        .await
                        .expect("send")
                        .status()
                        .as_u16()
                } else if matches!(shows, Shows::SensitiveNote) {
                    outsider.get("/").await;
                    outsider.submit(&own, &[]).await.status
                } else {
                    // The outsider asks for the own service's record.
                    outsider.get(&own).await.status
                };
                assert!(
                    matches!(status, 403 | 404),
                    "{engine}: {path} refused to an outsider, got {status}"
                );
                assert_eq!(
                    reads_since(&server, before).await,
                    vec![],
                    "{engine}: {path}: no event claims a read that did not happen"
                );
            }
        }
    }
}

/// Reads made at the same moment are recorded together (ADR 11): each
/// search still leaves its own event, chained and verifying, but they take
/// fewer transactions than there were reads.
#[tokio::test]
async fn reads_at_the_same_moment_share_a_transaction_and_each_is_recorded() {
    for db in databases().await {
        let app = demo_app(&db, Settings::default()).await;
        let service = crate::support::service_id(&app, "Eastmoor Victim Care").await;
        let leader = crate::support::team_leader_of(&service);
        let count = || async {
            sqlx::query_scalar::<_, i64>(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_events WHERE action = 'people.searched'",
            )
            .fetch_one(app.db.pool())
            .await
            .expect("count")
        };
        let before = count().await;
        let batches_before = app.read_batches();
        let mut searches = tokio::task::JoinSet::new();
        for _ in 0..40 {
            let (app, leader) = (app.clone(), leader.clone());
            searches
                .spawn(async move { app.search_people(&leader, "Smith", "", 1).await.map(|_| ()) });
        }
        while let Some(result) = searches.join_next().await {
            result.expect("join").expect("search");
        }
        assert_eq!(
            count().await - before,
            40,
            "{}: one event a read",
            db.engine
        );
        let batches = app.read_batches() - batches_before;
        assert!(
            (1..40).contains(&batches),
            "{}: 40 reads in {batches} transactions",
            db.engine
        );
        assert!(app.verify_audit().await.expect("verify").is_ok());
    }
}
