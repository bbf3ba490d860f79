//! Commissioning on both engines: who may see and change an office's
//! budgets and decisions; a decision's way from draft through consultation
//! and approval to publication; commitments against allocations; and the
//! public register, which shows only what is published and never what is
//! exempt.

use app::commissioning::{
    AllocationInput, ApprovalInput, ConsultInput, ContractInput, DecisionInput, FundingSourceInput,
    NarrativeInput, ObjectiveInput, PaymentInput, RegisterFilter,
};
use app::directory::NewOrganisation;
use app::paging::{ListRequest, Start};
use app::{AppError, Settings, command_line_actor};
use domain::commissioning::DecisionStage;
use domain::policy::{Actor, Grant, GrantScope, Role};

use crate::support::{actor_of, databases, demo_app, serve};

fn fields<T: std::fmt::Debug>(result: app::Result<T>) -> Vec<String> {
    match result {
        Err(AppError::Invalid(errors)) => errors.0.into_iter().map(|e| e.field).collect(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// Seed 002's decision: £47,013 in two parts from the Community Safety Grant.
fn car() -> DecisionInput {
    DecisionInput {
        number: "2026.014".into(),
        title: "Domestic abuse partnership car pilot".into(),
        received_on: "2026-11-02".into(),
        author: "Jo Hale, Commissioning Manager".into(),
        summary: "A pilot of a partnership car.".into(),
        background: "Seed 002.".into(),
        decision: "To fund the pilot.".into(),
        amounts: "Eastmoor Victim Care | 23,966 | Community Safety Grant\nCity Advocacy Partnership | 23,047 | community safety grant".into(),
        financial: "Within the grant.".into(),
        legal: "Section 143.".into(),
        equality: "Open to all.".into(),
        spend: "revenue".into(),
        section_b: "withheld".into(),
        exemption: "commercially_sensitive".into(),
        exempt_text: "The providers' costed bids: £11,000 for the car.".into(),
        interests: "None".into(),
        ..DecisionInput::default()
    }
}

/// Asserts how many audit events of each action there are.
async fn audited(app: &app::App, engine: &str, expected: &[(&str, i64)]) {
    for (action, count) in expected {
        let n: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_events WHERE action = $1",
        )
        .bind(*action)
        .fetch_one(app.db.pool())
        .await
        .expect("count");
        assert_eq!(n, *count, "{engine}: {action}");
    }
}

fn latest() -> ListRequest<app::commissioning::DecisionSort> {
    ListRequest {
        sort: app::commissioning::DecisionSort::Day,
        descending: true,
        start: Start::First,
    }
}

#[tokio::test]
async fn a_decision_is_drafted_consulted_approved_and_published_with_its_exempt_part_withheld() {
    for db in databases().await {
        let engine = db.engine;
        let app = demo_app(&db, Settings::default()).await;
        let officer = actor_of(&app, "officer@opcc-eastmoor.example").await;
        let finance = actor_of(&app, "finance@opcc-eastmoor.example").await;
        let monitoring = actor_of(&app, "monitoring@opcc-eastmoor.example").await;
        let pcc = actor_of(&app, "pcc@opcc-eastmoor.example").await;
        let commissioner = actor_of(&app, "commissioner@opcc-eastmoor.example").await;
        let manager = actor_of(&app, "manager@victimcare.example").await;

        // Funding: a source and this year's allocation, by the officer only.
        let grant = FundingSourceInput {
            name: "Community Safety Grant".into(),
            kind: "community_safety_grant".into(),
            origin: String::new(),
        };
        for who in [&commissioner, &finance, &pcc] {
            assert!(
                matches!(
                    app.create_funding_source(who, &grant).await,
                    Err(AppError::Forbidden)
                ),
                "{engine}: {} does not add sources",
                who.label
            );
        }
        assert!(
            matches!(
                app.create_funding_source(&manager, &grant).await,
                Err(AppError::NotFound)
            ),
            "{engine}: a provider's manager does not reach the office"
        );
        assert_eq!(
            fields(
                app.create_funding_source(&officer, &FundingSourceInput::default())
                    .await
            ),
            vec!["name", "kind"],
            "{engine}"
        );
        let source = app
            .create_funding_source(&officer, &grant)
            .await
            .expect("source");
        assert_eq!(
            fields(app.create_funding_source(&officer, &grant).await),
            vec!["name"],
            "{engine}: one name per office"
        );
        let year = domain::reports::financial_year(app.today())
            .0
            .year()
            .to_string();
        let allocation = AllocationInput {
            source_id: source.id.clone(),
            year: year.clone(),
            amount: "480,000".into(),
        };
        assert_eq!(
            fields(
                app.set_allocation(
                    &officer,
                    &AllocationInput {
                        year: "26".into(),
                        amount: "lots".into(),
                        ..allocation.clone()
                    }
                )
                .await
            ),
            vec!["year", "amount"],
            "{engine}"
        );
        app.set_allocation(&officer, &allocation)
            .await
            .expect("allocation");

        // A draft: every field named at once, and amounts line by line.
        let refused = fields(
            app.draft_decision(
                &officer,
                &DecisionInput {
                    amounts: "Someone | 10 | Lottery\nno bars here".into(),
                    exemption: "commercially_sensitive".into(),
                    spend: "both".into(),
                    ..DecisionInput::default()
                },
            )
            .await,
        );
        for field in [
            "summary",
            "interests",
            "number",
            "received_on",
            "spend",
            "section_b",
            "exempt_text",
            "amounts",
        ] {
            assert!(
                refused.contains(&field.to_string()),
                "{engine}: {field} in {refused:?}"
            );
        }
        let said = match app
            .draft_decision(
                &officer,
                &DecisionInput {
                    amounts: "Someone | 10 | Lottery\nno bars here".into(),
                    ..car()
                },
            )
            .await
        {
            Err(AppError::Invalid(e)) => e.get("amounts").unwrap_or_default().to_string(),
            other => panic!("{engine}: {other:?}"),
        };
        assert!(
            said.contains("line 1") && said.contains("line 2"),
            "{engine}: {said}"
        );
        assert!(
            matches!(
                app.draft_decision(&commissioner, &car()).await,
                Err(AppError::Forbidden)
            ),
            "{engine}: a commissioner reading figures does not draft"
        );
        let draft = app.draft_decision(&officer, &car()).await.expect("draft");
        assert_eq!(
            fields(app.draft_decision(&officer, &car()).await),
            vec!["number"],
            "{engine}: one number per office"
        );

        // Consultation, in either order; the commissioner waits for both.
        let note = ConsultInput::default();
        let approve = ApprovalInput {
            confirmed: true,
            ..ApprovalInput::default()
        };
        assert!(
            matches!(
                app.consult_on_decision(&officer, &draft.id, &note).await,
                Err(AppError::Forbidden)
            ),
            "{engine}: the officer who drafts is not consulted"
        );
        assert_eq!(
            app.consult_on_decision(&finance, &draft.id, &note)
                .await
                .expect("finance"),
            DecisionStage::Draft
        );
        assert_eq!(
            fields(app.consult_on_decision(&finance, &draft.id, &note).await),
            vec!["note"],
            "{engine}: once"
        );
        assert_eq!(
            fields(app.approve_decision(&pcc, &draft.id, &approve).await),
            vec!["decision"],
            "{engine}: not before both are consulted"
        );
        // An amendment takes it back to a draft that needs both afresh.
        let amended = DecisionInput {
            title: "Domestic abuse partnership car pilot, two districts".into(),
            ..car()
        };
        app.amend_decision(&officer, &draft.id, &amended)
            .await
            .expect("amend");
        let view = app.decision(&officer, &draft.id).await.expect("view");
        assert!(view.consultations.is_empty(), "{engine}: approvals removed");
        assert_eq!(view.stage, DecisionStage::Draft);
        app.consult_on_decision(&monitoring, &draft.id, &note)
            .await
            .expect("monitoring");
        assert_eq!(
            app.consult_on_decision(&finance, &draft.id, &note)
                .await
                .expect("finance again"),
            DecisionStage::Consulted
        );
        for who in [&officer, &finance, &commissioner] {
            assert!(
                matches!(
                    app.approve_decision(who, &draft.id, &approve).await,
                    Err(AppError::Forbidden)
                ),
                "{engine}: {} does not approve",
                who.label
            );
        }
        assert_eq!(
            fields(
                app.approve_decision(&pcc, &draft.id, &ApprovalInput::default())
                    .await
            ),
            vec!["confirmed"],
            "{engine}: the commissioner confirms"
        );
        assert_eq!(
            app.approve_decision(&pcc, &draft.id, &approve)
                .await
                .expect("approve"),
            DecisionStage::Published,
            "{engine}: published the day it is approved"
        );
        // Never changed again: a correction is a new decision.
        assert_eq!(
            fields(app.amend_decision(&officer, &draft.id, &car()).await),
            vec!["decision"],
            "{engine}: immutable"
        );
        assert_eq!(
            fields(app.consult_on_decision(&monitoring, &draft.id, &note).await),
            vec!["decision"],
            "{engine}"
        );
        let correction = DecisionInput {
            number: "2026.015".into(),
            corrects: "2026.014".into(),
            amounts: "Eastmoor Victim Care | 1,000 | Community Safety Grant".into(),
            ..car()
        };
        assert_eq!(
            fields(
                app.draft_decision(
                    &officer,
                    &DecisionInput {
                        corrects: "2026.999".into(),
                        ..correction.clone()
                    }
                )
                .await
            ),
            vec!["corrects"],
            "{engine}"
        );
        let corrects = app
            .draft_decision(&officer, &correction)
            .await
            .expect("correction");
        let first = app.decision(&commissioner, &draft.id).await.expect("seen");
        assert_eq!(
            first.corrected_by,
            vec![(corrects.id.clone(), "2026.015".to_string())],
            "{engine}"
        );

        // Committed: the approved decision's amounts, not the draft's.
        let budget = app
            .budget_year(&officer, app.today())
            .await
            .expect("budget");
        assert_eq!(budget.allocated().0, 48_000_000, "{engine}");
        assert_eq!(budget.committed().0, 4_701_300, "{engine}: £47,013");
        assert_eq!(
            app::commissioning::remaining(&budget.lines[0]),
            48_000_000 - 4_701_300
        );

        // The public register: published, exempt part withheld.
        let page = app
            .register(&RegisterFilter::default(), &latest())
            .await
            .expect("register");
        assert_eq!(page.total, 1, "{engine}: drafts are not on it");
        assert_eq!(page.rows[0].total_pence, 4_701_300);
        assert!(page.rows[0].exempt_text.is_empty(), "{engine}");
        let public = app
            .published_decision(&draft.id)
            .await
            .expect("read")
            .expect("published");
        assert!(public.decision.exempt_text.is_empty(), "{engine}");
        assert_eq!(public.withheld, Some("Commercially sensitive (section 43)"));
        assert!(public.section_b_withheld);
        assert!(
            app.published_decision(&corrects.id)
                .await
                .expect("read")
                .is_none(),
            "{engine}: a draft is not found"
        );
        let by_recipient = RegisterFilter {
            recipient: "city advocacy partnership".into(),
            ..RegisterFilter::default()
        };
        assert_eq!(
            app.register(&by_recipient, &latest())
                .await
                .expect("r")
                .total,
            1
        );
        let by_words = RegisterFilter {
            words: "refuge".into(),
            ..RegisterFilter::default()
        };
        assert_eq!(
            app.register(&by_words, &latest()).await.expect("r").total,
            0
        );
        let last_year = RegisterFilter {
            year: (year.parse::<i32>().expect("year") - 1).to_string(),
            ..RegisterFilter::default()
        };
        assert_eq!(
            app.register(&last_year, &latest()).await.expect("r").total,
            0,
            "{engine}: approved this year"
        );

        // Over HTTP with no sign-in: the page, the downloads and the feed
        // never carry the exempt text.
        let server = serve(app.clone(), engine).await;
        let mut public = server.browser();
        for path in [
            "/register".to_string(),
            format!("/register/decisions/{}", draft.id),
            "/register/decisions.csv".to_string(),
            "/register/decisions.json".to_string(),
            "/register/feed.atom".to_string(),
        ] {
            let page = public.get(&path).await;
            assert_eq!(page.status, 200, "{engine}: {path}");
            assert!(page.body.contains("2026.014"), "{engine}: {path}");
            assert!(
                !page.body.contains("costed bids"),
                "{engine}: {path} gives the exempt part away"
            );
        }
        let csv = public.get("/register/decisions.csv").await.body;
        assert!(
            csv.contains("2026.014,\"Domestic abuse partnership car pilot, two districts\""),
            "{engine}: {csv}"
        );
        assert!(
            csv.contains(",2396600,£23,966.00,") || csv.contains(",2396600,\"£23,966.00\","),
            "{engine}: {csv}"
        );
        let draft_page = public
            .get(&format!("/register/decisions/{}", corrects.id))
            .await;
        assert_eq!(draft_page.status, 404, "{engine}: a draft is not found");
        // Staff pages need a sign-in.
        assert_ne!(public.get("/commissioning").await.status, 200, "{engine}");

        // Audited, each step.
        audited(
            &app,
            engine,
            &[
                ("commissioning.source_created", 1),
                ("commissioning.budget_set", 1),
                ("decision.drafted", 2),
                ("decision.amended", 1),
                ("decision.consulted", 3),
                ("decision.approved", 1),
            ],
        )
        .await;
    }
}

#[tokio::test]
async fn publication_deferred_waits_for_its_day_and_another_office_sees_nothing() {
    for db in databases().await {
        let engine = db.engine;
        let app = demo_app(&db, Settings::default()).await;
        let officer = actor_of(&app, "officer@opcc-eastmoor.example").await;
        let pcc = actor_of(&app, "pcc@opcc-eastmoor.example").await;
        let decisions = app::demo::commissioning(&app).await.expect("demo");
        assert_eq!(decisions, 5, "{engine}");
        let page = app
            .register(&RegisterFilter::default(), &latest())
            .await
            .expect("register");
        assert_eq!(page.total, 2, "{engine}: two published, one deferred");
        let list = app
            .office_decisions(
                &officer,
                "lease",
                &ListRequest {
                    sort: app::commissioning::DecisionSort::Number,
                    descending: false,
                    start: Start::First,
                },
            )
            .await
            .expect("list");
        let lease = &list.decisions.rows[0];
        assert_eq!(lease.number, "2026.049");
        assert!(
            app.published_decision(&lease.id)
                .await
                .expect("read")
                .is_none(),
            "{engine}: deferred"
        );
        // Refused: a deferral without its reason, or not after today.
        let consulted = app
            .office_decisions(&officer, "IDVA duty", &latest())
            .await
            .expect("list")
            .decisions
            .rows[0]
            .id
            .clone();
        let monitoring = actor_of(&app, "monitoring@opcc-eastmoor.example").await;
        app.consult_on_decision(&monitoring, &consulted, &ConsultInput::default())
            .await
            .expect("consulted");
        let today = app.today().to_string();
        assert_eq!(
            fields(
                app.approve_decision(
                    &pcc,
                    &consulted,
                    &ApprovalInput {
                        defer_until: today,
                        confirmed: true,
                        ..ApprovalInput::default()
                    }
                )
                .await
            ),
            vec!["defer_until", "deferral_reason"],
            "{engine}"
        );
        // Fifteen days on, the lease is published.
        app.clock.advance(15 * 86_400);
        assert!(
            app.published_decision(&lease.id)
                .await
                .expect("read")
                .is_some(),
            "{engine}: published on its day"
        );
        assert_eq!(
            app.register(&RegisterFilter::default(), &latest())
                .await
                .expect("register")
                .total,
            3
        );
        app.clock.advance(-15 * 86_400);

        // Another office's staff see none of it.
        let cli = command_line_actor();
        let westmoor = app
            .create_organisation(
                &cli,
                &NewOrganisation {
                    name: "Office of the Police and Crime Commissioner for Fenmoor".into(),
                    kind: "commissioner".into(),
                },
            )
            .await
            .expect("office");
        let elsewhere = Actor {
            id: officer.id.clone(),
            label: "westmoor officer".into(),
            organisation_id: westmoor.id.clone(),
            grants: vec![Grant {
                role: Role::CommissioningOfficer,
                scope: GrantScope::Organisation(westmoor.id.clone()),
            }],
            submission: None,
        };
        for result in [
            app.decision(&elsewhere, &lease.id).await.map(|_| ()),
            app.amend_decision(&elsewhere, &lease.id, &car())
                .await
                .map(|_| ()),
        ] {
            assert!(
                matches!(result, Err(AppError::NotFound)),
                "{engine}: {result:?}"
            );
        }
        let theirs = app
            .office_decisions(&elsewhere, "", &latest())
            .await
            .expect("their list");
        assert_eq!(theirs.decisions.total, 0, "{engine}");
        let budget = app
            .budget_year(&elsewhere, app.today())
            .await
            .expect("their budget");
        assert!(budget.lines.is_empty(), "{engine}");

        // A regional pool (seed 003): three offices contribute, Eastmoor leads.
        let mut offices = vec![westmoor.id.clone()];
        for name in ["Highmoor", "Southmoor"] {
            let o = app
                .create_organisation(
                    &cli,
                    &NewOrganisation {
                        name: format!("Office of the Police and Crime Commissioner for {name}"),
                        kind: "commissioner".into(),
                    },
                )
                .await
                .expect("office");
            offices.push(o.id);
        }
        let pool = app::commissioning::PoolInput {
            name: "Regional ISVA post".into(),
            agreement: "Section 22 collaboration agreement".into(),
            year: domain::reports::financial_year(app.today()).0.year().to_string(),
            contributions: "Office of the Police and Crime Commissioner for Eastmoor | 10,000\nOffice of the Police and Crime Commissioner for Fenmoor | 10,000\nOffice of the Police and Crime Commissioner for Highmoor | 5,000".into(),
        };
        assert_eq!(
            fields(
                app.create_pool(
                    &officer,
                    &app::commissioning::PoolInput {
                        contributions: "Nobody | 5\nOffice of the Police and Crime Commissioner for Eastmoor | 1".into(),
                        ..pool.clone()
                    }
                )
                .await
            ),
            vec!["contributions"],
            "{engine}"
        );
        let created = app.create_pool(&officer, &pool).await.expect("pool");
        let seen = app
            .pool(&elsewhere, &created.id)
            .await
            .expect("a contributor sees it");
        let shares: Vec<i64> = seen.contributions.iter().map(|c| c.3).collect();
        assert_eq!(shares.iter().sum::<i64>(), 10_000, "{engine}");
        assert_eq!(seen.total, 2_500_000, "{engine}");
        assert_eq!(app.pools(&elsewhere).await.expect("pools").len(), 1);
        let outsider = Actor {
            organisation_id: offices[2].clone(),
            grants: vec![Grant {
                role: Role::CommissioningOfficer,
                scope: GrantScope::Organisation(offices[2].clone()),
            }],
            ..elsewhere.clone()
        };
        assert!(
            matches!(
                app.pool(&outsider, &created.id).await,
                Err(AppError::NotFound)
            ),
            "{engine}: an office that does not contribute does not see it"
        );
        // The pool is the lead office's funding source, allocated its total.
        let budget = app
            .budget_year(&officer, app.today())
            .await
            .expect("budget");
        let line = budget
            .lines
            .iter()
            .find(|l| l.name == "Regional ISVA post (pooled regional fund)")
            .expect("source");
        assert_eq!(line.allocated_pence, 2_500_000, "{engine}");

        // Corrected by the lead office only: the source and its allocation
        // follow.
        let corrected = app::commissioning::PoolInput {
            name: "Regional ISVA post 2026".into(),
            contributions: pool
                .contributions
                .replace("Highmoor | 5,000", "Highmoor | £7,500.00"),
            ..pool.clone()
        };
        assert!(
            matches!(
                app.correct_pool(&elsewhere, &created.id, &corrected).await,
                Err(AppError::Forbidden)
            ),
            "{engine}: a contributor sees it but does not correct it"
        );
        assert!(
            matches!(
                app.correct_pool(&outsider, &created.id, &corrected).await,
                Err(AppError::NotFound)
            ),
            "{engine}"
        );
        assert_eq!(
            fields(
                app.correct_pool(
                    &officer,
                    &created.id,
                    &app::commissioning::PoolInput {
                        contributions:
                            "Office of the Police and Crime Commissioner for Eastmoor | 10,000"
                                .into(),
                        ..corrected.clone()
                    }
                )
                .await
            ),
            vec!["contributions"],
            "{engine}: two offices or more"
        );
        app.correct_pool(&officer, &created.id, &corrected)
            .await
            .expect("corrected");
        let seen = app.pool(&elsewhere, &created.id).await.expect("seen");
        assert_eq!(seen.total, 2_750_000, "{engine}");
        assert_eq!(seen.pool.name, "Regional ISVA post 2026", "{engine}");
        assert!(!seen.may_correct, "{engine}");
        assert!(
            app.pool(&officer, &created.id)
                .await
                .expect("led")
                .may_correct,
            "{engine}"
        );
        let budget = app
            .budget_year(&officer, app.today())
            .await
            .expect("budget");
        let line = budget
            .lines
            .iter()
            .find(|l| l.name == "Regional ISVA post 2026 (pooled regional fund)")
            .expect("the source follows the name");
        assert_eq!(line.allocated_pence, 2_750_000, "{engine}");
        // The demonstration's pool, and this one.
        audited(
            &app,
            engine,
            &[
                ("commissioning.pool_created", 2),
                ("commissioning.pool_corrected", 1),
            ],
        )
        .await;
    }
}

#[tokio::test]
async fn a_contract_is_set_up_paid_and_monitored_and_its_provider_writes_the_narrative() {
    for db in databases().await {
        let engine = db.engine;
        let app = demo_app(&db, Settings::default()).await;
        let officer = actor_of(&app, "officer@opcc-eastmoor.example").await;
        let commissioner = actor_of(&app, "commissioner@opcc-eastmoor.example").await;
        let provider = actor_of(&app, "contracts@cityadvocacy.example").await;
        let caseworker = actor_of(&app, "idva@cityadvocacy.example").await;
        for (name, kind) in [
            ("Community Safety Grant", "community_safety_grant"),
            ("PCC reserves", "reserves"),
        ] {
            app.create_funding_source(
                &officer,
                &FundingSourceInput {
                    name: name.into(),
                    kind: kind.into(),
                    origin: String::new(),
                },
            )
            .await
            .expect("source");
        }
        let services = app.services_commissioned(&officer).await.expect("services");
        let city = services
            .iter()
            .find(|s| s.name == "City IDVA service")
            .expect("city");
        let county = services
            .iter()
            .find(|s| s.name == "County IDVA service")
            .expect("county");
        // An objective of the office's police and crime plan.
        let safer = app::commissioning::ObjectiveInput {
            code: "V2".into(),
            title: "Victims of domestic abuse are safer".into(),
        };
        assert!(
            matches!(
                app.create_objective(&commissioner, &safer).await,
                Err(AppError::Forbidden)
            ),
            "{engine}"
        );
        let v2 = app
            .create_objective(&officer, &safer)
            .await
            .expect("objective");
        assert_eq!(
            fields(app.create_objective(&officer, &safer).await),
            vec!["code"],
            "{engine}: one code per office"
        );
        let today = app.today();
        let starts = today.saturating_sub(jiff::Span::new().years(1));
        let input = ContractInput {
            reference: "C-2026-004".into(),
            title: "IDVA duty service: city".into(),
            kind: "contract".into(),
            provider: city.organisation_id.clone(),
            services: vec![city.id.clone()],
            starts_on: starts.to_string(),
            ends_on: today.saturating_add(jiff::Span::new().years(1)).to_string(),
            extension_until: String::new(),
            annual_value: "22,000".into(),
            funding: "Community Safety Grant | 60%\nPCC reserves | 40%".into(),
            partners: "Eastmoor City Council | 50% | lead\nOffice | 50%".into(),
            schedule: format!("{starts} | 5,500"),
            kpis: "first_contact_in_time | 90\nvictims_supported | 1".into(),
            objectives: vec![v2.id.clone()],
        };
        // Refused, every field named.
        let refused = fields(
            app.create_contract(
                &officer,
                &ContractInput {
                    services: vec![county.id.clone()],
                    funding: "Community Safety Grant | 60%\nLottery | 40%".into(),
                    schedule: "2001-01-01 | 10".into(),
                    kpis: "speed | 10".into(),
                    annual_value: "0".into(),
                    kind: "loan".into(),
                    ..input.clone()
                },
            )
            .await,
        );
        assert_eq!(
            refused,
            vec![
                "kind",
                "services",
                "annual_value",
                "funding",
                "schedule",
                "kpis"
            ],
            "{engine}"
        );
        assert_eq!(
            fields(
                app.create_contract(
                    &officer,
                    &ContractInput {
                        funding: "Community Safety Grant | 60%\nPCC reserves | 30%".into(),
                        ..input.clone()
                    }
                )
                .await
            ),
            vec!["funding"],
            "{engine}: shares add up to 100%"
        );
        for who in [&commissioner, &provider] {
            assert!(
                app.create_contract(who, &input).await.is_err(),
                "{engine}: {} does not set up contracts",
                who.label
            );
        }
        assert_eq!(
            fields(
                app.create_contract(
                    &officer,
                    &ContractInput {
                        objectives: vec!["someone-elses".into()],
                        ..input.clone()
                    }
                )
                .await
            ),
            vec!["objectives"],
            "{engine}"
        );
        let contract = app
            .create_contract(&officer, &input)
            .await
            .expect("contract");
        let served = app.objectives(&commissioner).await.expect("objectives");
        assert_eq!(
            served[0].contracts.len(),
            1,
            "{engine}: the contract serves V2"
        );
        assert_eq!(
            served[0].contracts[0].1,
            vec!["City IDVA service".to_string()],
            "{engine}: and pays for the city service"
        );
        assert_eq!(
            fields(app.create_contract(&officer, &input).await),
            vec!["reference"],
            "{engine}"
        );

        // Payments: refused by field, then split by the funding shares.
        assert_eq!(
            fields(
                app.record_payment(
                    &officer,
                    &contract.id,
                    &PaymentInput {
                        paid_on: today.saturating_add(jiff::Span::new().days(1)).to_string(),
                        amount: "0".into(),
                        ..PaymentInput::default()
                    }
                )
                .await
            ),
            vec!["paid_on", "amount"],
            "{engine}"
        );
        let payment = PaymentInput {
            paid_on: today.to_string(),
            amount: "100.01".into(),
            note: "Invoice 4411".into(),
            ..PaymentInput::default()
        };
        assert!(
            app.record_payment(&provider, &contract.id, &payment)
                .await
                .is_err(),
            "{engine}: the provider does not record payments"
        );
        app.record_payment(&officer, &contract.id, &payment)
            .await
            .expect("payment");
        // Beyond the contract's value (£22,000 a year for two years and a
        // day: three years' worth) only with a reason.
        let beyond = PaymentInput {
            amount: "65,900".into(),
            ..payment.clone()
        };
        assert_eq!(
            fields(app.record_payment(&officer, &contract.id, &beyond).await),
            vec!["beyond_value_reason"],
            "{engine}"
        );
        let budget = app.budget_year(&officer, today).await.expect("budget");
        let source = |name: &str| {
            budget
                .sources
                .iter()
                .find(|s| s.name == name)
                .expect("source")
                .id
                .clone()
        };
        assert_eq!(budget.paid_from(&source("Community Safety Grant")).0, 6_001);
        assert_eq!(budget.paid_from(&source("PCC reserves")).0, 4_000);
        assert_eq!(budget.paid_total().0, 10_001, "{engine}: to the penny");
        // The contract's £22,000 a year, shared 60/40 between its sources.
        let contracted: Vec<i64> = budget
            .lines
            .iter()
            .map(|l| budget.contracted_from(&l.source_id).0)
            .collect();
        assert_eq!(
            (
                contracted.iter().sum::<i64>(),
                contracted.iter().max().copied()
            ),
            (2_200_000, Some(1_320_000)),
            "{engine}: contracted this year"
        );

        // The office sees the contract with figures protected; the provider
        // exactly; anyone else, nothing.
        let office_view = app
            .contract(&commissioner, &contract.id)
            .await
            .expect("office");
        assert!(office_view.protected, "{engine}");
        assert!(!office_view.quarters.is_empty(), "{engine}: ended periods");
        let provider_view = app
            .contract(&provider, &contract.id)
            .await
            .expect("provider");
        assert!(!provider_view.protected, "{engine}");
        assert!(!provider_view.may_correct, "{engine}");
        assert_eq!(provider_view.contract.paid_pence, 10_001);
        let figures = &provider_view.quarters[0].figures;
        assert_eq!(figures.len(), 2, "{engine}: two KPIs, one service");
        // Every KPI offered names a figure the return has.
        let quarter = &provider_view.quarters[0];
        let protected = app
            .moj_return_for_system(
                quarter.from,
                quarter.to,
                std::slice::from_ref(&city.id),
                true,
            )
            .await
            .expect("return");
        for kpi in domain::commissioning::Kpi::ALL {
            let (table, row, column) = kpi.in_return();
            assert!(
                protected.figure(table, row, column).is_some(),
                "{engine}: {kpi:?}"
            );
        }
        for f in figures {
            assert_eq!(
                f.met,
                f.kpi.meets(&f.shown, f.target),
                "{engine}: judged from the figure shown"
            );
        }
        assert!(
            matches!(
                app.contract(&caseworker, &contract.id).await,
                Err(AppError::NotFound)
            ),
            "{engine}: a caseworker does not see contracts"
        );
        assert_eq!(
            app.contracts(&provider, &ListRequest::default())
                .await
                .expect("theirs")
                .page
                .total,
            1,
            "{engine}"
        );

        // The narrative: the provider's, for a period that has ended.
        let ended = office_view.quarters[0].from.to_string();
        let narrative = NarrativeInput {
            quarter: ended.clone(),
            narrative: "Two IDVAs off sick for three weeks.".into(),
        };
        assert!(
            matches!(
                app.write_narrative(&officer, &contract.id, &narrative)
                    .await,
                Err(AppError::NotFound)
            ),
            "{engine}: the office does not write the provider's narrative"
        );
        assert_eq!(
            fields(
                app.write_narrative(
                    &provider,
                    &contract.id,
                    &NarrativeInput {
                        quarter: today.to_string(),
                        narrative: String::new(),
                    }
                )
                .await
            ),
            vec!["narrative", "quarter"],
            "{engine}"
        );
        app.write_narrative(&provider, &contract.id, &narrative)
            .await
            .expect("narrative");
        app.write_narrative(
            &provider,
            &contract.id,
            &NarrativeInput {
                narrative: "Two IDVAs off sick for three weeks; recovered since.".into(),
                ..narrative.clone()
            },
        )
        .await
        .expect("rewritten");
        let seen = app.contract(&officer, &contract.id).await.expect("seen");
        assert_eq!(
            seen.quarters[0]
                .narrative
                .as_ref()
                .map(|n| n.narrative.as_str()),
            Some("Two IDVAs off sick for three weeks; recovered since."),
            "{engine}"
        );

        // The year's report: budget against actual, by source, to the penny.
        let report = app
            .commissioning_report(&officer, today)
            .await
            .expect("report");
        assert_eq!(
            report
                .figure("funding", "Community Safety Grant", 2)
                .as_deref(),
            Some("£60.01"),
            "{engine}: paid from the grant"
        );
        assert_eq!(
            report.figure("funding", "PCC reserves", 2).as_deref(),
            Some("£40.00"),
            "{engine}"
        );
        assert_eq!(
            report.figure("commitments", "All contracts", 0).as_deref(),
            Some("£22,000.00"),
            "{engine}"
        );
        // What the year's payment went to, by provider, service and
        // objective.
        for (table, row) in [
            ("spend-provider", city.organisation_name.as_str()),
            ("spend-service", "City IDVA service"),
            ("spend-objective", "V2: Victims of domestic abuse are safer"),
        ] {
            assert_eq!(
                report.figure(table, row, 0).as_deref(),
                Some("£100.01"),
                "{engine}: {table}"
            );
        }
        for column in [1, 2, 3, 4] {
            assert!(
                report
                    .figure(
                        "value-for-money",
                        "C-2026-004: IDVA duty service: city",
                        column
                    )
                    .is_some(),
                "{engine}: {column}"
            );
        }
        let csv = report.to_csv();
        assert!(
            csv.contains("Cost per victim supported") && csv.contains("Cost per outcome improved"),
            "{engine}"
        );
        for who in [&provider, &caseworker] {
            assert!(
                matches!(
                    app.commissioning_report(who, today).await,
                    Err(AppError::NotFound)
                ),
                "{engine}: {} does not read the office's report",
                who.label
            );
        }

        // A decision that changes the contract's value sets it when approved.
        let uplift = DecisionInput {
            number: "2026.070".into(),
            amounts: "City Advocacy Partnership | 8,000 | Community Safety Grant".into(),
            exemption: String::new(),
            exempt_text: String::new(),
            contract: "c-2026-004".into(),
            contract_annual_value: "30,000".into(),
            ..car()
        };
        assert_eq!(
            fields(
                app.draft_decision(
                    &officer,
                    &DecisionInput {
                        contract: "C-9999".into(),
                        contract_annual_value: "nothing".into(),
                        ..uplift.clone()
                    }
                )
                .await
            ),
            vec!["contract", "contract_annual_value"],
            "{engine}"
        );
        assert_eq!(
            fields(
                app.draft_decision(
                    &officer,
                    &DecisionInput {
                        contract: String::new(),
                        ..uplift.clone()
                    }
                )
                .await
            ),
            vec!["contract"],
            "{engine}: a value needs its contract"
        );
        let d = app.draft_decision(&officer, &uplift).await.expect("uplift");
        for who in [
            "finance@opcc-eastmoor.example",
            "monitoring@opcc-eastmoor.example",
        ] {
            let consultee = actor_of(&app, who).await;
            app.consult_on_decision(&consultee, &d.id, &ConsultInput::default())
                .await
                .expect("consulted");
        }
        assert_eq!(
            app.contract(&officer, &contract.id)
                .await
                .expect("c")
                .contract
                .annual_pence,
            2_200_000,
            "{engine}: not before approval"
        );
        let pcc = actor_of(&app, "pcc@opcc-eastmoor.example").await;
        app.approve_decision(
            &pcc,
            &d.id,
            &ApprovalInput {
                confirmed: true,
                ..ApprovalInput::default()
            },
        )
        .await
        .expect("approved");
        let changed = app.contract(&officer, &contract.id).await.expect("c");
        assert_eq!(changed.contract.annual_pence, 3_000_000, "{engine}");
        assert_eq!(changed.decisions.len(), 1, "{engine}");

        // The register finds the decision by its contract's provider and
        // objectives.
        let found = |provider: &str, objective: &str| {
            let filter = RegisterFilter {
                provider: provider.into(),
                objective: objective.into(),
                ..RegisterFilter::default()
            };
            let app = app.clone();
            async move { app.register(&filter, &latest()).await.expect("r").total }
        };
        assert_eq!(found(&city.organisation_id, "").await, 1, "{engine}");
        assert_eq!(found(&county.organisation_id, "").await, 0, "{engine}");
        assert_eq!(found("", &v2.id).await, 1, "{engine}");
        assert_eq!(found("", "another").await, 0, "{engine}");

        // Corrected, its provider kept.
        let corrected = app
            .correct_contract(
                &officer,
                &contract.id,
                &ContractInput {
                    annual_value: "24,000".into(),
                    provider: county.organisation_id.clone(),
                    ..input.clone()
                },
            )
            .await
            .expect("corrected");
        assert_eq!(corrected.annual_pence, 2_400_000);
        assert_eq!(corrected.provider_id, city.organisation_id, "{engine}");

        // The public register lists the funded service, with no sign-in.
        let funded = |provider: &str, objective: &str| {
            let filter = app::commissioning::FundedFilter {
                provider: provider.into(),
                objective: objective.into(),
            };
            let app = app.clone();
            async move {
                app.funded_services(&filter, &ListRequest::default())
                    .await
                    .expect("funded")
            }
        };
        let all = funded("", "").await;
        assert_eq!(all.total, 1, "{engine}");
        assert_eq!(all.rows[0].services, vec!["City IDVA service".to_string()]);
        assert_eq!(funded("", &v2.id).await.total, 1, "{engine}");
        assert_eq!(
            funded("", "another").await.total,
            0,
            "{engine}: filtered by objective"
        );
        assert_eq!(
            funded(&county.organisation_id, "").await.total,
            0,
            "{engine}: filtered by provider"
        );
        let choices = app.funded_choices().await.expect("choices");
        assert_eq!(
            choices.providers,
            vec![(city.organisation_id.clone(), city.organisation_name.clone())],
            "{engine}: only providers with a contract"
        );
        assert_eq!(choices.objectives.len(), 1, "{engine}");
        let server = serve(app.clone(), engine).await;
        let mut public = server.browser();
        let page = public.get("/register/services").await;
        assert_eq!(page.status, 200, "{engine}");
        assert!(
            page.body.contains("C-2026-004") && page.body.contains("£24,000.00"),
            "{engine}"
        );
        let csv = public.get("/register/services?format=csv").await.body;
        assert!(
            csv.contains("C-2026-004,IDVA duty service: city,"),
            "{engine}: {csv}"
        );

        audited(
            &app,
            engine,
            &[
                ("contract.created", 1),
                ("contract.corrected", 1),
                ("contract.payment_recorded", 1),
                ("contract.narrative_written", 2),
            ],
        )
        .await;
    }
}

#[tokio::test]
async fn an_amount_is_split_by_shares_or_by_recorded_activity_and_the_inputs_kept() {
    for db in databases().await {
        let engine = db.engine;
        let app = demo_app(&db, Settings::default()).await;
        let officer = actor_of(&app, "officer@opcc-eastmoor.example").await;
        let commissioner = actor_of(&app, "commissioner@opcc-eastmoor.example").await;
        app::demo::activity_records(&app).await.expect("activity");
        let fund = "Domestic abuse IDVA and ISVA funding";
        app.create_funding_source(
            &officer,
            &FundingSourceInput {
                name: fund.into(),
                kind: "ring_fenced_abuse".into(),
                origin: String::new(),
            },
        )
        .await
        .expect("source");
        // Seed 004: £55,000 split 60/40.
        let by_shares = DecisionInput {
            number: "2026.044".into(),
            amounts: String::new(),
            exemption: String::new(),
            exempt_text: String::new(),
            split_method: "shares".into(),
            split_total: "55,000".into(),
            split_lines: format!(
                "County Advocacy Trust | 60% | {fund}\nCity Advocacy Partnership | 40% | {fund}"
            ),
            ..car()
        };
        assert_eq!(
            fields(
                app.draft_decision(
                    &officer,
                    &DecisionInput {
                        split_lines: format!(
                            "County Advocacy Trust | 60% | {fund}\nCity | 30% | {fund}"
                        ),
                        amounts: "Someone | 5 | Lottery".into(),
                        ..by_shares.clone()
                    }
                )
                .await
            ),
            vec!["amounts", "split_lines"],
            "{engine}: not both, and shares that add up to 100%"
        );
        let d = app
            .draft_decision(&officer, &by_shares)
            .await
            .expect("split");
        let view = app.decision(&officer, &d.id).await.expect("view");
        let amounts: Vec<i64> = view.amounts.iter().map(|a| a.amount_pence).collect();
        assert_eq!(
            amounts,
            vec![3_300_000, 2_200_000],
            "{engine}: £33,000 and £22,000"
        );
        let split = view.split.expect("kept");
        assert_eq!(
            (split.method.as_str(), split.total_pence),
            ("shares", 5_500_000)
        );
        assert!(
            split.inputs.contains("\"weight\":6000"),
            "{engine}: {}",
            split.inputs
        );

        // By the activity recorded in each area over the last quarter.
        let to = app.today().saturating_sub(jiff::Span::new().days(1));
        let from = to.saturating_sub(jiff::Span::new().days(90));
        let report = app
            .activity_report(&commissioner, from, to)
            .await
            .expect("activity");
        let areas: Vec<&app::activity::ReportRow> = report
            .by_area
            .iter()
            .filter(|r| r.minutes > 0)
            .take(2)
            .collect();
        assert_eq!(areas.len(), 2, "{engine}: activity in two areas");
        let by_activity = DecisionInput {
            number: "2026.045".into(),
            split_method: "activity".into(),
            split_from: from.to_string(),
            split_to: to.to_string(),
            split_lines: format!(
                "County Advocacy Trust | {} | {fund}\nCity Advocacy Partnership | {} | {fund}",
                areas[0].label, areas[1].label
            ),
            ..by_shares.clone()
        };
        let d = app
            .draft_decision(&officer, &by_activity)
            .await
            .expect("activity split");
        let view = app.decision(&officer, &d.id).await.expect("view");
        let expected = domain::commissioning::split(
            domain::values::Pence(5_500_000),
            &[areas[0].minutes, areas[1].minutes],
        )
        .expect("split");
        let amounts: Vec<i64> = view.amounts.iter().map(|a| a.amount_pence).collect();
        assert_eq!(
            amounts,
            expected.iter().map(|p| p.0).collect::<Vec<_>>(),
            "{engine}: shares of the minutes, to the penny"
        );
        assert_eq!(amounts.iter().sum::<i64>(), 5_500_000, "{engine}");
        let split = view.split.expect("kept");
        assert_eq!(split.period_from, Some(from.to_string()));
        assert!(
            split
                .inputs
                .contains(&format!("\"weight\":{}", areas[0].minutes)),
            "{engine}"
        );
        assert_eq!(
            fields(
                app.draft_decision(
                    &officer,
                    &DecisionInput {
                        number: "2026.046".into(),
                        split_lines: format!("Nobody | Atlantis | {fund}"),
                        ..by_activity.clone()
                    }
                )
                .await
            ),
            vec!["split_lines"],
            "{engine}: no activity recorded there"
        );
    }
}

#[tokio::test]
async fn an_objective_and_a_funding_source_are_corrected_with_before_and_after() {
    for db in databases().await {
        let engine = db.engine;
        let app = demo_app(&db, Settings::default()).await;
        let officer = actor_of(&app, "officer@opcc-eastmoor.example").await;
        let commissioner = actor_of(&app, "commissioner@opcc-eastmoor.example").await;
        let provider = actor_of(&app, "contracts@cityadvocacy.example").await;
        let objective = |code: &str, title: &str| ObjectiveInput {
            code: code.into(),
            title: title.into(),
        };
        app.create_objective(&officer, &objective("V1", "Victims cope and recover"))
            .await
            .expect("V1");
        let v2 = app
            .create_objective(&officer, &objective("V2", "Victims are saffer"))
            .await
            .expect("V2");
        let corrected = objective("V2", "Victims of domestic abuse are safer");
        assert!(
            matches!(
                app.correct_objective(&commissioner, &v2.id, &corrected)
                    .await,
                Err(AppError::Forbidden)
            ),
            "{engine}: the commissioner reads, the officer corrects"
        );
        assert!(
            matches!(
                app.correct_objective(&provider, &v2.id, &corrected).await,
                Err(AppError::NotFound)
            ),
            "{engine}: another organisation does not find it"
        );
        assert_eq!(
            fields(
                app.correct_objective(&officer, &v2.id, &objective("v1", ""))
                    .await
            ),
            vec!["title"],
            "{engine}: blank words named first"
        );
        assert_eq!(
            fields(
                app.correct_objective(&officer, &v2.id, &objective("v1", "Safer"))
                    .await
            ),
            vec!["code"],
            "{engine}: another objective's code"
        );
        app.correct_objective(&officer, &v2.id, &corrected)
            .await
            .expect("its own code kept");
        assert_eq!(
            app.objective(&officer, &v2.id).await.expect("read").title,
            "Victims of domestic abuse are safer",
            "{engine}"
        );

        let source = app
            .create_funding_source(
                &officer,
                &FundingSourceInput {
                    name: "PCC reserve".into(),
                    kind: "reserves".into(),
                    origin: String::new(),
                },
            )
            .await
            .expect("source");
        let fixed = FundingSourceInput {
            name: "PCC reserves".into(),
            kind: "reserves".into(),
            origin: "A provider's underspend in 2025/26".into(),
        };
        assert!(
            matches!(
                app.correct_funding_source(&commissioner, &source.id, &fixed)
                    .await,
                Err(AppError::Forbidden)
            ),
            "{engine}"
        );
        assert!(
            matches!(
                app.correct_funding_source(&provider, &source.id, &fixed)
                    .await,
                Err(AppError::NotFound)
            ),
            "{engine}"
        );
        assert_eq!(
            fields(
                app.correct_funding_source(
                    &officer,
                    &source.id,
                    &FundingSourceInput {
                        kind: "lottery".into(),
                        ..fixed.clone()
                    }
                )
                .await
            ),
            vec!["kind"],
            "{engine}"
        );
        app.correct_funding_source(&officer, &source.id, &fixed)
            .await
            .expect("corrected");
        let read = app
            .funding_source(&officer, &source.id)
            .await
            .expect("read");
        assert_eq!(
            (read.name.as_str(), read.origin.as_str()),
            ("PCC reserves", "A provider's underspend in 2025/26"),
            "{engine}"
        );

        // Each correction is audited once, with what it said before.
        for (action, id, before) in [
            (
                "commissioning.objective_corrected",
                &v2.id,
                "Victims are saffer",
            ),
            ("commissioning.source_corrected", &source.id, "PCC reserve"),
        ] {
            let events: Vec<(String, String)> = sqlx::query_as(
                "SELECT before_json, after_json FROM audit_events WHERE action = $1 AND record_id = $2",
            )
            .bind(action)
            .bind(id.clone())
            .fetch_all(app.db.pool())
            .await
            .expect("events");
            assert_eq!(events.len(), 1, "{engine}: {action}");
            let quoted = format!("\"{before}\"");
            assert!(events[0].0.contains(&quoted), "{engine}: {action}");
            assert!(!events[0].1.contains(&quoted), "{engine}: {action}");
        }

        // Over HTTP: the form shows the record as it stands.
        let server = serve(app.clone(), engine).await;
        let mut browser = crate::support::signed_in(&server, "officer@opcc-eastmoor.example").await;
        let page = browser
            .get(&format!("/commissioning/objectives/{}", v2.id))
            .await;
        assert_eq!(page.status, 200, "{engine}");
        assert!(
            page.body.contains("Victims of domestic abuse are safer"),
            "{engine}"
        );
        let page = browser
            .get(&format!("/commissioning/sources/{}", source.id))
            .await;
        assert!(page.body.contains("underspend in 2025/26"), "{engine}");
    }
}

/// Each commissioning role, and some that are not, signed in.
const COMMISSIONING_ROLES: [(&str, &str); 8] = [
    ("officer", "officer@opcc-eastmoor.example"),
    ("finance", "finance@opcc-eastmoor.example"),
    ("monitoring", "monitoring@opcc-eastmoor.example"),
    ("pcc", "pcc@opcc-eastmoor.example"),
    ("commissioner", "commissioner@opcc-eastmoor.example"),
    ("contract manager", "contracts@cityadvocacy.example"),
    ("caseworker", "idva@cityadvocacy.example"),
    ("auditor", "auditor@waymark.example"),
];

#[tokio::test]
async fn the_commissioning_pages_answer_each_role_as_the_matrix_says() {
    for db in databases().await {
        let engine = db.engine;
        let app = demo_app(&db, Settings::default()).await;
        app::demo::commissioning(&app).await.expect("demo");
        let officer = actor_of(&app, "officer@opcc-eastmoor.example").await;
        let contract = app
            .contracts(&officer, &ListRequest::default())
            .await
            .expect("contracts")
            .page
            .rows
            .into_iter()
            .find(|c| c.reference == "C-2026-004")
            .expect("the city contract");
        let decision = app
            .office_decisions(&officer, "2026.014", &latest())
            .await
            .expect("decisions")
            .decisions
            .rows
            .remove(0);
        let pool = app.pools(&officer).await.expect("pools").remove(0);
        let objective = app
            .objectives(&officer)
            .await
            .expect("objectives")
            .remove(0)
            .objective;
        let source = app
            .budget_year(&officer, app.today())
            .await
            .expect("budget")
            .sources
            .remove(0);
        // Each page, and what each role gets, in COMMISSIONING_ROLES' order:
        // the office's staff read; only the officer is offered the forms
        // that change, and whoever sees the record without that is refused
        // (403); the provider's contract manager reads its own contract;
        // everyone else is told "not found".
        let matrix: Vec<(String, [u16; 8])> = vec![
            (
                "/commissioning".into(),
                [200, 200, 200, 200, 200, 404, 404, 404],
            ),
            (
                "/commissioning/report".into(),
                [200, 200, 200, 200, 200, 404, 404, 404],
            ),
            (
                "/commissioning/decisions/new".into(),
                [200, 403, 403, 403, 403, 404, 404, 404],
            ),
            (
                format!("/commissioning/decisions/{}", decision.id),
                [200, 200, 200, 200, 200, 404, 404, 404],
            ),
            (
                format!("/commissioning/objectives/{}", objective.id),
                [200, 200, 200, 200, 200, 404, 404, 404],
            ),
            (
                format!("/commissioning/sources/{}", source.id),
                [200, 200, 200, 200, 200, 404, 404, 404],
            ),
            (
                "/contracts".into(),
                [200, 200, 200, 200, 200, 200, 404, 404],
            ),
            (
                "/contracts/new".into(),
                [200, 403, 403, 403, 403, 404, 404, 404],
            ),
            (
                format!("/contracts/{}", contract.id),
                [200, 200, 200, 200, 200, 200, 404, 404],
            ),
            (
                format!("/contracts/{}/edit", contract.id),
                [200, 403, 403, 403, 403, 403, 404, 404],
            ),
            ("/pools".into(), [200, 200, 200, 200, 200, 404, 404, 404]),
            (
                format!("/pools/{}", pool.id),
                [200, 200, 200, 200, 200, 404, 404, 404],
            ),
            (
                format!("/pools/{}/edit", pool.id),
                [200, 403, 403, 403, 403, 404, 404, 404],
            ),
        ];
        let server = serve(app.clone(), engine).await;
        let mut wrong = Vec::new();
        for (column, (role, username)) in COMMISSIONING_ROLES.iter().enumerate() {
            let mut browser = crate::support::signed_in(&server, username).await;
            for (path, expected) in &matrix {
                let got = browser.get(path).await.status;
                if got != expected[column] {
                    wrong.push(format!("{role} {path}: {got}, not {}", expected[column]));
                }
            }
        }
        assert!(wrong.is_empty(), "{engine}:\n{}", wrong.join("\n"));
    }
}

#[tokio::test]
async fn a_decision_names_the_contracts_and_programmes_it_affects() {
    for db in databases().await {
        let engine = db.engine;
        let app = demo_app(&db, Settings::default()).await;
        app::demo::partnership_car(&app).await.expect("the pilot");
        app::demo::commissioning(&app).await.expect("demo");
        let officer = actor_of(&app, "officer@opcc-eastmoor.example").await;
        let idva = actor_of(&app, "idva@cityadvocacy.example").await;
        // The demonstration's decision 2026.014 funds the pilot.
        let funds_car = app
            .office_decisions(&officer, "2026.014", &latest())
            .await
            .expect("decisions")
            .decisions
            .rows
            .remove(0);
        let seen = app.decision(&officer, &funds_car.id).await.expect("seen");
        assert_eq!(seen.affects.len(), 1, "{engine}");
        let programme_id = seen.affects[0].programme_id.clone().expect("a programme");
        assert_eq!(seen.affects[0].label, "Eastmoor partnership car");
        let public = app
            .published_decision(&funds_car.id)
            .await
            .expect("read")
            .expect("published");
        assert_eq!(public.affects, vec!["Eastmoor partnership car".to_string()]);
        let pilot = app
            .programme(&idva, &programme_id, &ListRequest::default())
            .await
            .expect("the pilot's page");
        assert_eq!(
            pilot
                .into_inner()
                .decisions
                .iter()
                .map(|d| d.1.as_str())
                .collect::<Vec<_>>(),
            vec!["2026.014"],
            "{engine}: the pilot names the decision that funds it"
        );

        // Each line names a contract of the office or a programme it
        // commissions; anything else is refused by line.
        let input = DecisionInput {
            number: "2026.090".into(),
            affects: "C-2026-004\nA programme nobody runs\nEastmoor partnership car".into(),
            ..car()
        };
        let refused = app.draft_decision(&officer, &input).await;
        match refused {
            Err(AppError::Invalid(errors)) => {
                let affects: Vec<_> = errors.0.iter().filter(|e| e.field == "affects").collect();
                assert_eq!(affects.len(), 1, "{engine}");
                assert!(affects[0].message.contains("Line 2:"), "{engine}");
            }
            other => panic!("{engine}: {other:?}"),
        }
        let drafted = app
            .draft_decision(
                &officer,
                &DecisionInput {
                    affects: "c-2026-004\n\nEastmoor partnership car\nC-2026-004".into(),
                    ..input.clone()
                },
            )
            .await
            .expect("drafted");
        let labels = |v: &app::commissioning::DecisionView| {
            v.affects
                .iter()
                .map(|a| a.label.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            labels(&app.decision(&officer, &drafted.id).await.expect("seen")),
            vec!["C-2026-004", "Eastmoor partnership car"],
            "{engine}: in order, each once, by its own spelling"
        );
        app.amend_decision(
            &officer,
            &drafted.id,
            &DecisionInput {
                affects: "C-2026-003".into(),
                ..input.clone()
            },
        )
        .await
        .expect("amended");
        assert_eq!(
            labels(&app.decision(&officer, &drafted.id).await.expect("seen")),
            vec!["C-2026-003"],
            "{engine}"
        );
        let (before, after): (String, String) = sqlx::query_as(
            "SELECT before_json, after_json FROM audit_events WHERE action = 'decision.amended' AND record_id = $1",
        )
        .bind(drafted.id.clone())
        .fetch_one(app.db.pool())
        .await
        .expect("event");
        assert!(
            before.contains("Eastmoor partnership car") && after.contains("C-2026-003"),
            "{engine}: {before} {after}"
        );
    }
}
