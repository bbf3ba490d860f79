//! Demonstration data: a fictional police force area, its commissioner,
//! providers and services, and one login per role. Every name is invented.

use domain::policy::Actor;

use crate::directory::{NewArea, NewOrganisation, NewServiceInput, NewTeam};
use crate::staff::NewStaff;
use crate::{App, AppError, Result, command_line_actor};

/// The password every demonstration login uses.
pub const DEMO_PASSWORD: &str = "demo lantern otter velvet";

/// One demonstration login, for the list printed at start.
#[derive(Debug, Clone)]
pub struct DemoLogin {
    pub username: &'static str,
    pub role: &'static str,
    pub note: &'static str,
}

pub const DEMO_LOGINS: &[DemoLogin] = &[
    DemoLogin {
        username: "caseworker@victimcare.example",
        role: "Caseworker",
        note: "Eastmoor Victim Care",
    },
    DemoLogin {
        username: "teamleader@victimcare.example",
        role: "Team leader",
        note: "Eastmoor Victim Care",
    },
    DemoLogin {
        username: "manager@victimcare.example",
        role: "Service manager",
        note: "Eastmoor Victim Care",
    },
    DemoLogin {
        username: "idva@cityadvocacy.example",
        role: "Caseworker",
        note: "City IDVA service (another provider)",
    },
    DemoLogin {
        username: "commissioner@opcc-eastmoor.example",
        role: "Commissioner",
        note: "figures only",
    },
    DemoLogin {
        username: "auditor@waymark.example",
        role: "Auditor",
        note: "reads the audit log",
    },
    DemoLogin {
        username: "admin@waymark.example",
        role: "Administrator",
        note: "sets up a second factor at first sign-in",
    },
];

async fn org(app: &App, actor: &Actor, name: &str, kind: &str) -> Result<String> {
    Ok(app
        .create_organisation(
            actor,
            &NewOrganisation {
                name: name.into(),
                kind: kind.into(),
            },
        )
        .await?
        .id)
}

async fn service(
    app: &App,
    actor: &Actor,
    org: &str,
    commissioner: &str,
    area: &str,
    name: &str,
    kind: &str,
) -> Result<String> {
    let input = NewServiceInput {
        name: name.into(),
        kind: kind.into(),
        organisation_id: org.into(),
        commissioner_id: Some(commissioner.into()),
        area_id: area.into(),
    };
    Ok(app.create_service(actor, &input).await?.id)
}

#[allow(clippy::too_many_arguments)]
async fn person(
    app: &App,
    actor: &Actor,
    username: &str,
    name: &str,
    org: &str,
    service: Option<&str>,
    team: Option<&str>,
    role: &str,
) -> Result<()> {
    let input = NewStaff {
        username: username.into(),
        display_name: name.into(),
        organisation_id: org.into(),
        service_id: service.map(str::to_string),
        team_id: team.map(str::to_string),
        role: role.into(),
        password: DEMO_PASSWORD.into(),
    };
    app.create_staff(actor, &input).await?;
    Ok(())
}

/// Fills an empty, migrated database with the demonstration landscape.
pub async fn seed(app: &App) -> Result<()> {
    let mut conn = app.db.conn().await?;
    if store::users::count(&mut conn).await? > 0 {
        return Err(AppError::Internal(
            "the demonstration needs an empty database".into(),
        ));
    }
    drop(conn);
    let cli = command_line_actor();
    let a = &cli;

    let force = app
        .create_area(
            a,
            &NewArea {
                name: "Eastmoor".into(),
                kind: "force_area".into(),
                parent_id: None,
            },
        )
        .await?
        .id;
    let district = |name: &'static str| NewArea {
        name: name.into(),
        kind: "local_authority".into(),
        parent_id: Some(force.clone()),
    };
    let city = app.create_area(a, &district("Eastmoor City")).await?.id;
    let ashby = app.create_area(a, &district("Ashby Vale")).await?.id;
    let millbrook = app.create_area(a, &district("Millbrook")).await?.id;

    let opcc = org(
        app,
        a,
        "Office of the Police and Crime Commissioner for Eastmoor",
        "commissioner",
    )
    .await?;
    org(app, a, "Eastmoor Constabulary", "police").await?;
    let victim_care = org(app, a, "Eastmoor Victim Care", "provider").await?;
    let harbour = org(app, a, "Harbour Domestic Abuse Services", "provider").await?;
    let lanterns = org(app, a, "Lantern House Refuge Trust", "provider").await?;
    let city_adv = org(app, a, "City Advocacy Partnership", "provider").await?;
    let county_adv = org(app, a, "County Advocacy Trust", "provider").await?;
    let waymark = org(app, a, "Waymark system administration", "partner").await?;

    let generic = service(
        app,
        a,
        &victim_care,
        &opcc,
        &force,
        "Eastmoor Victim Care: cope and recover",
        "generic",
    )
    .await?;
    service(
        app,
        a,
        &harbour,
        &opcc,
        &ashby,
        "Ashby Vale domestic abuse support",
        "domestic_abuse",
    )
    .await?;
    service(
        app,
        a,
        &lanterns,
        &opcc,
        &millbrook,
        "Millbrook domestic abuse support",
        "domestic_abuse",
    )
    .await?;
    let city_idva = service(app, a, &city_adv, &opcc, &city, "City IDVA service", "idva").await?;
    service(
        app,
        a,
        &county_adv,
        &opcc,
        &force,
        "County IDVA service",
        "idva",
    )
    .await?;

    let north = app
        .create_team(
            a,
            &generic,
            &NewTeam {
                name: "North team".into(),
            },
        )
        .await?
        .id;
    app.create_team(
        a,
        &generic,
        &NewTeam {
            name: "South team".into(),
        },
    )
    .await?;
    let duty = app
        .create_team(
            a,
            &city_idva,
            &NewTeam {
                name: "Duty team".into(),
            },
        )
        .await?
        .id;

    person(
        app,
        a,
        "caseworker@victimcare.example",
        "Casey Worker",
        &victim_care,
        Some(&generic),
        Some(&north),
        "caseworker",
    )
    .await?;
    person(
        app,
        a,
        "teamleader@victimcare.example",
        "Terry Leader",
        &victim_care,
        Some(&generic),
        Some(&north),
        "team_leader",
    )
    .await?;
    person(
        app,
        a,
        "manager@victimcare.example",
        "Morgan Manager",
        &victim_care,
        Some(&generic),
        None,
        "service_manager",
    )
    .await?;
    person(
        app,
        a,
        "idva@cityadvocacy.example",
        "Indra Advocate",
        &city_adv,
        Some(&city_idva),
        Some(&duty),
        "caseworker",
    )
    .await?;
    person(
        app,
        a,
        "commissioner@opcc-eastmoor.example",
        "Cam Commissioner",
        &opcc,
        None,
        None,
        "commissioner",
    )
    .await?;
    person(
        app,
        a,
        "auditor@waymark.example",
        "Audrey Auditor",
        &waymark,
        None,
        None,
        "auditor",
    )
    .await?;
    person(
        app,
        a,
        "admin@waymark.example",
        "Alex Admin",
        &waymark,
        None,
        None,
        "administrator",
    )
    .await?;
    let admin = app.staff_by_username("admin@waymark.example").await?;
    // An administrator over everything, not only their own organisation.
    app.add_grant(a, &admin.id, "administrator", "everywhere")
        .await?;
    let auditor = app.staff_by_username("auditor@waymark.example").await?;
    app.add_grant(a, &auditor.id, "auditor", "everywhere")
        .await?;
    Ok(())
}
