//! The demonstration landscape: a police force area and its districts, the
//! commissioner, providers and their services, teams, and one login per role.

use std::collections::HashMap;

use domain::policy::Actor;

use super::DEMO_PASSWORD;
use crate::directory::{NewArea, NewOrganisation, NewServiceInput, NewTeam};
use crate::staff::NewStaff;
use crate::{App, AppError, Result, command_line_actor};

const FORCE_AREA: &str = "Eastmoor";
const DISTRICTS: &[&str] = &["Eastmoor City", "Ashby Vale", "Millbrook"];
const COMMISSIONER: &str = "Office of the Police and Crime Commissioner for Eastmoor";

/// (name, kind)
const ORGANISATIONS: &[(&str, &str)] = &[
    (COMMISSIONER, "commissioner"),
    ("Eastmoor Constabulary", "police"),
    ("Eastmoor Victim Care", "provider"),
    ("Harbour Domestic Abuse Services", "provider"),
    ("Lantern House Refuge Trust", "provider"),
    ("City Advocacy Partnership", "provider"),
    ("County Advocacy Trust", "provider"),
    ("Waymark system administration", "partner"),
    ("Eastmoor City Council", "partner"),
];

/// (provider, area, name, kind); the generator spreads referrals over these
/// in this order.
const SERVICES: &[(&str, &str, &str, &str)] = &[
    (
        "Eastmoor Victim Care",
        FORCE_AREA,
        "Eastmoor Victim Care: cope and recover",
        "generic",
    ),
    (
        "Harbour Domestic Abuse Services",
        "Ashby Vale",
        "Ashby Vale domestic abuse support",
        "domestic_abuse",
    ),
    (
        "Lantern House Refuge Trust",
        "Millbrook",
        "Millbrook domestic abuse support",
        "domestic_abuse",
    ),
    (
        "City Advocacy Partnership",
        "Eastmoor City",
        "City IDVA service",
        "idva",
    ),
    (
        "County Advocacy Trust",
        FORCE_AREA,
        "County IDVA service",
        "idva",
    ),
];

/// (service, team)
const TEAMS: &[(&str, &str)] = &[
    ("Eastmoor Victim Care: cope and recover", "North team"),
    ("Eastmoor Victim Care: cope and recover", "South team"),
    ("City IDVA service", "Duty team"),
];

struct DemoStaff {
    username: &'static str,
    name: &'static str,
    organisation: &'static str,
    service: Option<&'static str>,
    team: Option<&'static str>,
    role: &'static str,
    /// A second grant, everywhere, for the system's own administrator and auditor.
    everywhere: bool,
}

const VICTIM_CARE: &str = "Eastmoor Victim Care";
const GENERIC: Option<&str> = Some("Eastmoor Victim Care: cope and recover");
const SYSTEM: &str = "Waymark system administration";

const STAFF: &[DemoStaff] = &[
    DemoStaff {
        username: "caseworker@victimcare.example",
        name: "Casey Worker",
        organisation: VICTIM_CARE,
        service: GENERIC,
        team: Some("North team"),
        role: "caseworker",
        everywhere: false,
    },
    DemoStaff {
        username: "teamleader@victimcare.example",
        name: "Terry Leader",
        organisation: VICTIM_CARE,
        service: GENERIC,
        team: Some("North team"),
        role: "team_leader",
        everywhere: false,
    },
    DemoStaff {
        username: "manager@victimcare.example",
        name: "Morgan Manager",
        organisation: VICTIM_CARE,
        service: GENERIC,
        team: None,
        role: "service_manager",
        everywhere: false,
    },
    DemoStaff {
        username: "idva@cityadvocacy.example",
        name: "Indra Advocate",
        organisation: "City Advocacy Partnership",
        service: Some("City IDVA service"),
        team: Some("Duty team"),
        role: "caseworker",
        everywhere: false,
    },
    DemoStaff {
        username: "manager@cityadvocacy.example",
        name: "Dara Planner",
        organisation: "City Advocacy Partnership",
        service: Some("City IDVA service"),
        team: None,
        role: "service_manager",
        everywhere: false,
    },
    DemoStaff {
        username: "commissioner@opcc-eastmoor.example",
        name: "Cam Commissioner",
        organisation: COMMISSIONER,
        service: None,
        team: None,
        role: "commissioner",
        everywhere: false,
    },
    DemoStaff {
        username: "officer@opcc-eastmoor.example",
        name: "Jo Hale",
        organisation: COMMISSIONER,
        service: None,
        team: None,
        role: "commissioning_officer",
        everywhere: false,
    },
    DemoStaff {
        username: "finance@opcc-eastmoor.example",
        name: "Fen Ashby",
        organisation: COMMISSIONER,
        service: None,
        team: None,
        role: "finance_officer",
        everywhere: false,
    },
    DemoStaff {
        username: "monitoring@opcc-eastmoor.example",
        name: "Mo Pryce",
        organisation: COMMISSIONER,
        service: None,
        team: None,
        role: "monitoring_officer",
        everywhere: false,
    },
    DemoStaff {
        username: "pcc@opcc-eastmoor.example",
        name: "Pat Greaves",
        organisation: COMMISSIONER,
        service: None,
        team: None,
        role: "decision_maker",
        everywhere: false,
    },
    DemoStaff {
        username: "contracts@cityadvocacy.example",
        name: "Rae Okafor",
        organisation: "City Advocacy Partnership",
        service: None,
        team: None,
        role: "contract_manager",
        everywhere: false,
    },
    DemoStaff {
        username: "auditor@waymark.example",
        name: "Audrey Auditor",
        organisation: SYSTEM,
        service: None,
        team: None,
        role: "auditor",
        everywhere: true,
    },
    DemoStaff {
        username: "admin@waymark.example",
        name: "Alex Admin",
        organisation: SYSTEM,
        service: None,
        team: None,
        role: "administrator",
        everywhere: true,
    },
];

/// A service's other caseworkers: (username, name) each, in one team.
struct Colleagues {
    service: &'static str,
    team: Option<&'static str>,
    people: &'static [(&'static str, &'static str)],
}

/// The caseworkers and IDVAs of each service, beside the logins above, so a
/// demonstration with data looks like services at work. They sign in with
/// the demonstration password too.
const COLLEAGUES: &[Colleagues] = &[
    Colleagues {
        service: "Eastmoor Victim Care: cope and recover",
        team: Some("South team"),
        people: &[
            ("rowan.hale@victimcare.example", "Rowan Hale"),
            ("sami.okafor@victimcare.example", "Sami Okafor"),
            ("jo.pennant@victimcare.example", "Jo Pennant"),
            ("dev.marr@victimcare.example", "Dev Marr"),
        ],
    },
    Colleagues {
        service: "Ashby Vale domestic abuse support",
        team: None,
        people: &[
            ("amal.reyes@harbourdas.example", "Amal Reyes"),
            ("kit.morrow@harbourdas.example", "Kit Morrow"),
            ("lee.varga@harbourdas.example", "Lee Varga"),
        ],
    },
    Colleagues {
        service: "Millbrook domestic abuse support",
        team: None,
        people: &[
            ("noor.castell@lanternhouse.example", "Noor Castell"),
            ("bea.thorne@lanternhouse.example", "Bea Thorne"),
        ],
    },
    Colleagues {
        service: "City IDVA service",
        team: Some("Duty team"),
        people: &[
            ("ade.wren@cityadvocacy.example", "Ade Wren"),
            ("ola.finch@cityadvocacy.example", "Ola Finch"),
            ("max.idris@cityadvocacy.example", "Max Idris"),
        ],
    },
    Colleagues {
        service: "County IDVA service",
        team: None,
        people: &[
            ("pip.garner@countyadvocacy.example", "Pip Garner"),
            ("tam.osei@countyadvocacy.example", "Tam Osei"),
            ("ren.lowry@countyadvocacy.example", "Ren Lowry"),
        ],
    },
];

/// Adds the services' other caseworkers (once; again does nothing).
/// Returns the caseworkers of each service by service id, the demonstration
/// logins among them: the people a generated case is allocated to.
pub(super) async fn colleagues(app: &App) -> Result<HashMap<String, Vec<String>>> {
    let cli = command_line_actor();
    let services = app.services(&cli).await?;
    let teams = app.teams(&cli, None).await?;
    let mut workers: HashMap<String, Vec<String>> = HashMap::new();
    for group in COLLEAGUES {
        let Some(service) = services.iter().find(|s| s.name == group.service) else {
            continue;
        };
        let organisation_id = service.organisation_id.clone();
        let team_id = group.team.and_then(|t| {
            teams
                .iter()
                .find(|x| x.name == t && x.service_id == service.id)
                .map(|x| x.id.clone())
        });
        for (username, name) in group.people {
            let user = match app.staff_by_username(username).await {
                Ok(user) => user,
                Err(_) => {
                    let input = NewStaff {
                        username: (*username).into(),
                        display_name: (*name).into(),
                        organisation_id: organisation_id.clone(),
                        service_id: Some(service.id.clone()),
                        team_id: team_id.clone(),
                        role: "caseworker".into(),
                        password: DEMO_PASSWORD.into(),
                    };
                    app.create_staff(&cli, &input).await?
                }
            };
            workers.entry(service.id.clone()).or_default().push(user.id);
        }
    }
    for login in STAFF.iter().filter(|s| s.role == "caseworker") {
        let (Some(service_name), Ok(user)) =
            (login.service, app.staff_by_username(login.username).await)
        else {
            continue;
        };
        if let Some(service) = services.iter().find(|s| s.name == service_name) {
            workers.entry(service.id.clone()).or_default().push(user.id);
        }
    }
    Ok(workers)
}

/// Ids of what was created, by name.
type Ids = HashMap<&'static str, String>;

fn id_of(ids: &Ids, name: &str) -> Result<String> {
    ids.get(name)
        .cloned()
        .ok_or_else(|| AppError::Internal(format!("the demonstration has no {name}")))
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
    let mut ids = Ids::new();
    areas(app, &cli, &mut ids).await?;
    organisations_and_services(app, &cli, &mut ids).await?;
    staff(app, &cli, &ids).await
}

async fn areas(app: &App, cli: &Actor, ids: &mut Ids) -> Result<()> {
    let force = NewArea {
        name: FORCE_AREA.into(),
        kind: "force_area".into(),
        parent_id: None,
    };
    let force = app.create_area(cli, &force).await?.id;
    for district in DISTRICTS {
        let area = NewArea {
            name: (*district).into(),
            kind: "local_authority".into(),
            parent_id: Some(force.clone()),
        };
        ids.insert(district, app.create_area(cli, &area).await?.id);
    }
    ids.insert(FORCE_AREA, force);
    Ok(())
}

async fn organisations_and_services(app: &App, cli: &Actor, ids: &mut Ids) -> Result<()> {
    for (name, kind) in ORGANISATIONS {
        let input = NewOrganisation {
            name: (*name).into(),
            kind: (*kind).into(),
        };
        ids.insert(name, app.create_organisation(cli, &input).await?.id);
    }
    for (provider, area, name, kind) in SERVICES {
        let input = NewServiceInput {
            name: (*name).into(),
            kind: (*kind).into(),
            organisation_id: id_of(ids, provider)?,
            commissioner_id: Some(id_of(ids, COMMISSIONER)?),
            area_id: id_of(ids, area)?,
        };
        ids.insert(name, app.create_service(cli, &input).await?.id);
    }
    for (service, team) in TEAMS {
        let input = NewTeam {
            name: (*team).into(),
        };
        let team_id = app
            .create_team(cli, &id_of(ids, service)?, &input)
            .await?
            .id;
        ids.insert(team, team_id);
    }
    Ok(())
}

async fn staff(app: &App, cli: &Actor, ids: &Ids) -> Result<()> {
    for person in STAFF {
        let optional = |name: Option<&str>| name.map(|n| id_of(ids, n)).transpose();
        let input = NewStaff {
            username: person.username.into(),
            display_name: person.name.into(),
            organisation_id: id_of(ids, person.organisation)?,
            service_id: optional(person.service)?,
            team_id: optional(person.team)?,
            role: person.role.into(),
            password: DEMO_PASSWORD.into(),
        };
        app.create_staff(cli, &input).await?;
        if person.everywhere {
            let user = app.staff_by_username(person.username).await?;
            app.add_grant(cli, &user.id, person.role, "everywhere")
                .await?;
        }
    }
    Ok(())
}
