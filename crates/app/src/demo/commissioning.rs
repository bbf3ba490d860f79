//! The demonstration's commissioning: the Eastmoor office's funding sources
//! and this year's allocations, and decisions at every stage, after the
//! seeds (002's partnership car, 000's reserves from an underspend, 004's
//! £55,000 split 60/40 between the county and city IDVA services).

use jiff::ToSpan;

use crate::commissioning::{
    AllocationInput, ApprovalInput, ConsultInput, ContractInput, DecisionInput, FundingSourceInput,
    NarrativeInput, ObjectiveInput, PaymentInput,
};
use crate::{App, Result};

const OFFICER: &str = "officer@opcc-eastmoor.example";
const FINANCE: &str = "finance@opcc-eastmoor.example";
const MONITORING: &str = "monitoring@opcc-eastmoor.example";
const PCC: &str = "pcc@opcc-eastmoor.example";
const CONTRACTS: &str = "contracts@cityadvocacy.example";

/// (name, kind, origin, allocated this year in pounds)
const SOURCES: &[(&str, &str, &str, &str)] = &[
    (
        "MoJ victims' services grant",
        "moj_victims_grant",
        "",
        "1,052,000",
    ),
    (
        "Domestic abuse IDVA and ISVA funding",
        "ring_fenced_abuse",
        "",
        "310,000",
    ),
    (
        "Community Safety Grant",
        "community_safety_grant",
        "",
        "480,000",
    ),
    (
        "PCC reserves",
        "reserves",
        "Eastmoor Victim Care's underspend of 2025/26",
        "60,000",
    ),
    (
        "Eastmoor City Council contribution",
        "partner_contribution",
        "",
        "25,000",
    ),
];

/// A decision's words, with the parts that differ given.
fn decision(number: &str, title: &str, received_on: String, amounts: &str) -> DecisionInput {
    DecisionInput {
        number: number.into(),
        title: title.into(),
        received_on,
        author: "Jo Hale, Commissioning Manager".into(),
        summary: format!("The commissioner is asked to approve this: {title}."),
        background: "Set out in the commissioning plan for victims' services, objective 2: victims get the support they need, when they need it.".into(),
        decision: format!("Approved: {title}, as set out in the amounts below."),
        amounts: amounts.into(),
        financial: "Met from the funding sources named, within this year's allocations.".into(),
        legal: "The commissioner has the power to award grants under section 143 of the Anti-social Behaviour, Crime and Policing Act 2014.".into(),
        equality: "The services are open to every victim in Eastmoor; their take-up by protected characteristic is monitored quarterly.".into(),
        spend: "revenue".into(),
        section_b: "none".into(),
        interests: "None".into(),
        ..DecisionInput::default()
    }
}

/// Sets the office up and takes its decisions as far as each has gone;
/// returns how many decisions there are. Nothing is done if the office's
/// logins are not there.
pub async fn commissioning(app: &App) -> Result<usize> {
    let (Some(officer), Some(finance), Some(monitoring), Some(pcc)) = (
        super::actor_of(app, OFFICER).await?,
        super::actor_of(app, FINANCE).await?,
        super::actor_of(app, MONITORING).await?,
        super::actor_of(app, PCC).await?,
    ) else {
        return Ok(0);
    };
    let today = app.today();
    let year = domain::reports::financial_year(today).0.year().to_string();
    for (name, kind, origin, allocated) in SOURCES {
        let source = app
            .create_funding_source(
                &officer,
                &FundingSourceInput {
                    name: (*name).into(),
                    kind: (*kind).into(),
                    origin: (*origin).into(),
                },
            )
            .await?;
        app.set_allocation(
            &officer,
            &AllocationInput {
                source_id: source.id,
                year: year.clone(),
                amount: (*allocated).into(),
            },
        )
        .await?;
    }
    let weeks_ago = |n: i64| today.saturating_sub((n * 7).days()).to_string();
    // Seed 002's decision funds the partnership car pilot, where the
    // demonstration has it.
    let mut conn = app.db.conn().await?;
    let has_car = store::programmes::programmes(&mut conn)
        .await?
        .iter()
        .any(|p| p.name == super::programme::NAME);
    drop(conn);
    let car = DecisionInput {
        affects: if has_car {
            super::programme::NAME.to_string()
        } else {
            String::new()
        },
        ..decision(
            "2026.014",
            "Domestic abuse partnership car pilot",
            weeks_ago(20),
            "Eastmoor Victim Care | 23,966 | Community Safety Grant\nCity Advocacy Partnership | 23,047 | Community Safety Grant",
        )
    };
    let reserves = DecisionInput {
        exemption: "commercially_sensitive".into(),
        exempt_text: "The provider's costed quote for the additional caseworker hours.".into(),
        section_b: "withheld".into(),
        ..decision(
            "2026.031",
            "Up to £6,000 of reserves from a provider's underspend",
            weeks_ago(10),
            "Eastmoor Victim Care | 6,000 | PCC reserves",
        )
    };
    let lease = decision(
        "2026.049",
        "Renewing the refuge's lease",
        weeks_ago(4),
        "Lantern House Refuge Trust | 18,500 | MoJ victims' services grant",
    );
    // Seed 004: £55,000 split 60/40 between the county and the city.
    let duty = DecisionInput {
        split_method: "shares".into(),
        split_total: "55,000".into(),
        split_lines: "County Advocacy Trust | 60% | Domestic abuse IDVA and ISVA funding\nCity Advocacy Partnership | 40% | Domestic abuse IDVA and ISVA funding".into(),
        ..decision(
            "2026.044",
            "The IDVA duty service's funding, split 60/40 by activity",
            weeks_ago(3),
            "",
        )
    };
    let regional = decision(
        "2026.052",
        "Eastmoor's share of the regional victims' post",
        weeks_ago(1),
        "Regional collaboration fund | 10,000 | MoJ victims' services grant",
    );
    let note = ConsultInput::default();
    let approve = ApprovalInput {
        confirmed: true,
        ..ApprovalInput::default()
    };
    // Published: consulted by both officers and approved.
    for input in [&car, &reserves] {
        let d = app.draft_decision(&officer, input).await?;
        app.consult_on_decision(&finance, &d.id, &note).await?;
        app.consult_on_decision(&monitoring, &d.id, &note).await?;
        app.approve_decision(&pcc, &d.id, &approve).await?;
    }
    // Approved, its publication deferred while negotiations go on.
    let d = app.draft_decision(&officer, &lease).await?;
    app.consult_on_decision(&finance, &d.id, &note).await?;
    app.consult_on_decision(&monitoring, &d.id, &note).await?;
    let deferred = ApprovalInput {
        defer_until: today.saturating_add(14.days()).to_string(),
        deferral_reason: "Negotiations with the landlord are still open.".into(),
        confirmed: true,
    };
    app.approve_decision(&pcc, &d.id, &deferred).await?;
    // The finance officer has approved; the monitoring officer has not yet.
    let d = app.draft_decision(&officer, &duty).await?;
    app.consult_on_decision(
        &finance,
        &d.id,
        &ConsultInput {
            note: "Met from the ring-fenced allocation; no new money.".into(),
        },
    )
    .await?;
    // A draft.
    app.draft_decision(&officer, &regional).await?;
    contracts(app, &officer).await?;
    regional_pool(app, &officer).await?;
    Ok(5)
}

/// Seed 003: offices of the region pool money for a regional post, led
/// by Eastmoor.
async fn regional_pool(app: &App, officer: &domain::policy::Actor) -> Result<()> {
    let cli = crate::command_line_actor();
    for name in ["Westmoor", "Northmoor"] {
        app.create_organisation(
            &cli,
            &crate::directory::NewOrganisation {
                name: format!("Office of the Police and Crime Commissioner for {name}"),
                kind: "commissioner".into(),
            },
        )
        .await?;
    }
    let year = domain::reports::financial_year(app.today())
        .0
        .year()
        .to_string();
    app.create_pool(
        officer,
        &crate::commissioning::PoolInput {
            name: "Regional victims' post".into(),
            agreement: "the Section 22 collaboration agreement for the regional victims' post"
                .into(),
            year,
            contributions: [
                "Office of the Police and Crime Commissioner for Eastmoor | 10,000",
                "Office of the Police and Crime Commissioner for Westmoor | 10,000",
                "Office of the Police and Crime Commissioner for Northmoor | 10,000",
            ]
            .join("\n"),
        },
    )
    .await?;
    Ok(())
}

/// Seed 004's two IDVA duty contracts for the year, paid quarterly, with
/// KPIs, and the city provider's narrative of the last quarter.
async fn contracts(app: &App, officer: &domain::policy::Actor) -> Result<()> {
    let services = app.services_commissioned(officer).await?;
    // Seed 001: the commissioner's victim objectives.
    let mut objectives = Vec::new();
    for (code, title) in [
        ("V1", "Victims are supported to cope and recover"),
        ("V2", "Victims of domestic abuse are safer"),
        (
            "V3",
            "Victims get the information and support they need, when they need it",
        ),
    ] {
        let o = app
            .create_objective(
                officer,
                &ObjectiveInput {
                    code: code.into(),
                    title: title.into(),
                },
            )
            .await?;
        objectives.push(o.id);
    }
    let today = app.today();
    let (year_from, year_to) = domain::reports::financial_year(today);
    let quarters: Vec<String> = (0..4)
        .map(|q| year_from.saturating_add((3 * q).months()).to_string())
        .collect();
    for (reference, provider, service, annual, quarterly, source, serves) in [
        (
            "C-2026-001",
            "Eastmoor Victim Care",
            "Eastmoor Victim Care: cope and recover",
            "350,000",
            "87,500",
            "MoJ victims' services grant",
            [0, 2],
        ),
        (
            "C-2026-003",
            "County Advocacy Trust",
            "County IDVA service",
            "33,000",
            "8,250",
            "Domestic abuse IDVA and ISVA funding",
            [1, 2],
        ),
        (
            "C-2026-004",
            "City Advocacy Partnership",
            "City IDVA service",
            "22,000",
            "5,500",
            "Domestic abuse IDVA and ISVA funding",
            [1, 2],
        ),
    ] {
        let Some(service) = services.iter().find(|s| s.name == service) else {
            continue;
        };
        let contract = app
            .create_contract(
                officer,
                &ContractInput {
                    reference: reference.into(),
                    title: if reference == "C-2026-001" {
                        "Victims' hub: cope and recover".to_string()
                    } else {
                        format!("IDVA duty service: {provider}")
                    },
                    kind: "contract".into(),
                    provider: service.organisation_id.clone(),
                    services: vec![service.id.clone()],
                    starts_on: year_from.to_string(),
                    ends_on: year_to.to_string(),
                    extension_until: year_to.saturating_add(1.year()).to_string(),
                    annual_value: annual.into(),
                    funding: format!("{source} | 100%"),
                    partners: String::new(),
                    schedule: quarters
                        .iter()
                        .map(|q| format!("{q} | {quarterly}"))
                        .collect::<Vec<_>>()
                        .join("\n"),
                    kpis: "first_contact_in_time | 90\nvictims_supported | 20".into(),
                    objectives: serves.iter().map(|i| objectives[*i].clone()).collect(),
                },
            )
            .await?;
        for due in quarters
            .iter()
            .filter(|q| q.as_str() <= today.to_string().as_str())
        {
            app.record_payment(
                officer,
                &contract.id,
                &PaymentInput {
                    paid_on: due.clone(),
                    amount: quarterly.into(),
                    note: format!(
                        "Quarter from {}",
                        domain::values::long_date(due.parse().unwrap_or(today))
                    ),
                    beyond_value_reason: String::new(),
                },
            )
            .await?;
        }
        if let Some(manager) = super::actor_of(app, CONTRACTS).await?
            && provider == "City Advocacy Partnership"
        {
            let last = app.settings.report_periods.before(app.reporting_day()).0;
            if last >= year_from {
                app.write_narrative(
                    &manager,
                    &contract.id,
                    &NarrativeInput {
                        quarter: last.to_string(),
                        narrative: "Two IDVAs were off sick for three weeks in the quarter; the county service covered the duty line on four evenings. First contact slipped in those weeks and has recovered since.".into(),
                    },
                )
                .await?;
            }
        }
    }
    Ok(())
}
