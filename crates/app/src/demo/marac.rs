//! The city MARAC at work: members for the police and children's services,
//! a coordinator and a chair, and a meeting four weeks ago with its case
//! heard, its minutes, and actions done, overdue and not done; and the
//! victim heard there referred again by the police to the force-wide
//! service, where the MARAC flag shows at intake.

use jiff::ToSpan;
use serde_json::json;

use super::DEMO_PASSWORD;
use crate::audit::{AuditAction, Change};
use crate::people::PersonInput;
use crate::referrals::{PersonChoice, ReferralInput};
use crate::secrets::new_id;
use crate::staff::NewStaff;
use crate::{App, Result, command_line_actor};

/// (username, name, organisation, MARAC role)
const MEMBERS: &[(&str, &str, &str, &str)] = &[
    (
        "marac.police@eastmoor-police.example",
        "Dev Okafor",
        "Eastmoor Constabulary",
        "marac_member",
    ),
    (
        "marac.children@eastmoor-council.example",
        "Ruth Ellery",
        "Eastmoor City Council",
        "marac_member",
    ),
    (
        "marac.coordinator@cityadvocacy.example",
        "Sana Mirza",
        "City Advocacy Partnership",
        "marac_coordinator",
    ),
    (
        "marac.chair@eastmoor-police.example",
        "Ian Whitlock",
        "Eastmoor Constabulary",
        "marac_chair",
    ),
];

/// The MARAC's people: each added with a first role in their own
/// organisation (they refer victims), then given their MARAC role.
pub async fn marac_members(app: &App, marac_id: &str) -> Result<()> {
    let cli = command_line_actor();
    let organisations = app.organisations(&cli).await?;
    for (username, name, organisation, role) in MEMBERS {
        let Some(organisation) = organisations.iter().find(|o| o.name == *organisation) else {
            continue;
        };
        let user = app
            .create_staff(
                &cli,
                &NewStaff {
                    username: (*username).into(),
                    display_name: (*name).into(),
                    organisation_id: organisation.id.clone(),
                    service_id: None,
                    team_id: None,
                    role: "referrer".into(),
                    password: DEMO_PASSWORD.into(),
                },
            )
            .await?;
        app.add_grant(&cli, &user.id, role, &format!("marac:{marac_id}"))
            .await?;
    }
    Ok(())
}

/// A meeting four weeks ago that heard the case, with its minutes and
/// three actions: one done, one open and overdue, one not done. Written as
/// the record of a meeting already held, in one transaction.
pub async fn past_meeting(app: &App, marac_id: &str, case: &store::cases::Case) -> Result<()> {
    let cli = command_line_actor();
    let today = app.today();
    let now = app.clock.now_text();
    let mut tx = app.write(&cli, &now).await?;
    let assessment = store::risk::assessments(tx.conn(), &case.id)
        .await?
        .into_iter()
        .next();
    let meeting = store::marac::Meeting {
        id: new_id(),
        marac_id: marac_id.to_string(),
        meets_on: today.saturating_sub(28.days()).to_string(),
        ..Default::default()
    };
    store::marac::insert_meeting(tx.conn(), &meeting, &cli.id, &now).await?;
    store::marac::record_minutes(
        tx.conn(),
        &meeting.id,
        "Fictional demonstration minutes. One case heard: the police, children's services and housing agreed actions; the IDVA service keeps in touch with the victim.",
        &now,
    )
    .await?;
    let referral = store::marac::MaracReferral {
        id: new_id(),
        marac_id: marac_id.to_string(),
        meeting_id: meeting.id.clone(),
        case_id: case.id.clone(),
        person_id: case.person_id.clone(),
        service_id: case.service_id.clone(),
        referred_on: today.saturating_sub(35.days()).to_string(),
        criteria: "visible_high_risk".into(),
        assessment_id: assessment.as_ref().map(|a| a.id.clone()),
        score: assessment.as_ref().map(|a| a.yes_count),
        level: assessment.as_ref().and_then(|a| a.level.clone()),
        summary: "Fictional demonstration referral.".into(),
        consent: "given".into(),
        referred_by: cli.id.clone(),
        created_at: now.clone(),
        ..Default::default()
    };
    store::marac::insert_referral(tx.conn(), &referral).await?;
    store::marac::record_outcome(
        tx.conn(),
        &referral.id,
        "Heard. Actions agreed for the police, children's services and housing.",
        &now,
    )
    .await?;
    let agencies = store::marac::agencies(tx.conn(), marac_id).await?;
    let agency = |kind: &str| {
        agencies
            .iter()
            .find(|a| a.kind == kind)
            .map(|a| a.id.clone())
    };
    let planned = [
        (
            "police",
            "Flag the address for an urgent police response",
            21,
            "done",
            "",
        ),
        (
            "childrens_social_care",
            "Hold a strategy discussion about the children",
            7,
            "open",
            "",
        ),
        (
            "housing",
            "Assess the home for the sanctuary scheme",
            14,
            "not_done",
            "agency_did_not_act",
        ),
    ];
    for (kind, description, due_days_ago, status, class) in planned {
        let Some(agency_id) = agency(kind) else {
            continue;
        };
        let action = store::marac::Action {
            id: new_id(),
            marac_id: marac_id.to_string(),
            referral_id: referral.id.clone(),
            meeting_id: meeting.id.clone(),
            agency_id,
            description: description.into(),
            due_on: today.saturating_sub(due_days_ago.days()).to_string(),
            created_at: now.clone(),
            ..Default::default()
        };
        store::marac::insert_action(tx.conn(), &action, &cli.id).await?;
        if status != "open" {
            store::marac::update_action(tx.conn(), &action.id, status, class, "", &cli.id, &now)
                .await?;
        }
    }
    tx.commit(
        Change::new(
            AuditAction::MaracMinutesRecorded,
            "marac_meeting",
            &meeting.id,
        )
        .after(json!({ "demonstration": "a meeting already held" })),
    )
    .await
}

/// The victim of `case`, referred again by the police to the force-wide
/// service: her referral there carries the MARAC flag.
pub async fn referred_again(app: &App, case: &store::cases::Case) -> Result<()> {
    let cli = command_line_actor();
    let mut conn = app.db.conn().await?;
    let Some(victim) = store::marac::subject(&mut conn, &case.person_id).await? else {
        return Ok(());
    };
    drop(conn);
    let Some(victim_care) = app
        .services(&cli)
        .await?
        .into_iter()
        .find(|s| s.name.starts_with("Eastmoor Victim Care"))
    else {
        return Ok(());
    };
    let input = ReferralInput {
        service_id: victim_care.id,
        source: "police".into(),
        crime_type: "domestic_abuse".into(),
        consent: "given".into(),
        account: "Fictional demonstration referral: criminal damage at her home.".into(),
        person: PersonInput {
            given_name: victim.given_name,
            family_name: victim.family_name,
            date_of_birth: victim.date_of_birth.unwrap_or_default(),
            ..Default::default()
        },
        ..Default::default()
    };
    app.take_referral(&cli, &input, &PersonChoice::sender())
        .await?;
    Ok(())
}
