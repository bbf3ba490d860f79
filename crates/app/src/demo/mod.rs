//! Demonstration data: a fictional police force area, its commissioner,
//! providers and services, and one login per role. Every name is invented.

mod commissioning;
mod dice;
mod draws;
mod duty;
mod generate;
mod marac;
mod people;
mod programme;
mod repeat;
mod risk;
mod seed;

pub use commissioning::commissioning;
pub use duty::{activity_records, duty_requests, duty_rota};
pub use generate::{Generated, REFERRALS_PER_YEAR, generate};
pub use programme::partnership_car;
pub use repeat::repeat_victims;
pub use risk::risk_records;
pub use seed::seed;

/// A demonstration login as it acts, if it is there.
async fn actor_of(
    app: &crate::App,
    username: &str,
) -> crate::Result<Option<domain::policy::Actor>> {
    let Ok(user) = app.staff_by_username(username).await else {
        return Ok(None);
    };
    let mut conn = app.db.conn().await?;
    let grants = store::users::grants(&mut conn, &user.id).await?;
    Ok(Some(domain::policy::Actor {
        submission: None,
        id: user.id.clone(),
        label: user.display_name.clone(),
        organisation_id: user.organisation_id.clone(),
        grants: grants.iter().filter_map(|g| g.grant()).collect(),
    }))
}

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
        username: "manager@cityadvocacy.example",
        role: "Service manager",
        note: "City IDVA service: plans the shared duty rota",
    },
    DemoLogin {
        username: "marac.coordinator@cityadvocacy.example",
        role: "MARAC coordinator",
        note: "Eastmoor City MARAC",
    },
    DemoLogin {
        username: "marac.police@eastmoor-police.example",
        role: "MARAC member",
        note: "the police at Eastmoor City MARAC",
    },
    DemoLogin {
        username: "marac.children@eastmoor-council.example",
        role: "MARAC member",
        note: "children's services at Eastmoor City MARAC",
    },
    DemoLogin {
        username: "commissioner@opcc-eastmoor.example",
        role: "Commissioner",
        note: "figures, budgets and decisions",
    },
    DemoLogin {
        username: "officer@opcc-eastmoor.example",
        role: "Commissioning officer",
        note: "drafts decisions, keeps the budgets",
    },
    DemoLogin {
        username: "finance@opcc-eastmoor.example",
        role: "Chief finance officer",
        note: "consulted on decisions",
    },
    DemoLogin {
        username: "monitoring@opcc-eastmoor.example",
        role: "Monitoring officer",
        note: "consulted on decisions",
    },
    DemoLogin {
        username: "pcc@opcc-eastmoor.example",
        role: "Police and Crime Commissioner",
        note: "approves decisions",
    },
    DemoLogin {
        username: "contracts@cityadvocacy.example",
        role: "Contract manager",
        note: "City Advocacy Partnership's contracts",
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
