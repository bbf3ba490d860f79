//! The API's request and response bodies, described in the OpenAPI document.

use app::store::directory::{Area, Organisation, Service, Team};
use app::store::users::{GrantRow, User};
use domain::audit::AuditEvent;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub(crate) use crate::errors::{Problem, ProblemField};

/// One page of a list: its items, how many there are in all, and the
/// address of the next page (absent on the last).
#[derive(Serialize, ToSchema)]
pub struct Listed<T> {
    pub items: Vec<T>,
    /// How many there are, counted up to 10,000.
    pub total: i64,
    /// There are more than `total`: counting stopped at 10,000.
    pub more_than_total: bool,
    /// Follow this for the next page; the filters are kept in it.
    pub next: Option<String>,
}

impl<T> Listed<T> {
    /// The page's items as bodies, with the link to the page after it, if any.
    pub fn of<R>(
        page: app::paging::Page<R>,
        path: &str,
        filters: &[(&str, Option<&str>)],
        id: impl Fn(&R) -> String,
        body: impl Fn(R) -> T,
    ) -> Listed<T> {
        let next = match (page.later, page.rows.last()) {
            (true, Some(last)) => {
                let mut pairs: Vec<(&str, String)> = filters
                    .iter()
                    .filter_map(|(k, v)| v.map(|v| (*k, v.to_string())))
                    .collect();
                pairs.push(("cursor", id(last)));
                let query = serde_urlencoded::to_string(&pairs).unwrap_or_default();
                Some(format!("{path}?{query}"))
            }
            _ => None,
        };
        Listed {
            items: page.rows.into_iter().map(body).collect(),
            total: page.total,
            more_than_total: page.more_than_total,
            next,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct Me {
    pub id: String,
    pub label: String,
    pub organisation_id: String,
    pub roles: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct OrganisationBody {
    pub id: String,
    pub name: String,
    /// commissioner, provider, police or partner
    pub kind: String,
}

impl From<Organisation> for OrganisationBody {
    fn from(o: Organisation) -> Self {
        OrganisationBody {
            id: o.id,
            name: o.name,
            kind: o.kind,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct AreaBody {
    pub id: String,
    pub name: String,
    /// force_area or local_authority
    pub kind: String,
    pub parent_id: Option<String>,
}

impl From<Area> for AreaBody {
    fn from(a: Area) -> Self {
        AreaBody {
            id: a.id,
            name: a.name,
            kind: a.kind,
            parent_id: a.parent_id,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ServiceBody {
    pub id: String,
    pub name: String,
    /// generic, domestic_abuse, idva, isva or children_young_people
    pub kind: String,
    pub organisation_id: String,
    pub organisation_name: String,
    pub commissioner_id: Option<String>,
    pub area_id: String,
    pub area_name: String,
}

impl From<Service> for ServiceBody {
    fn from(s: Service) -> Self {
        ServiceBody {
            id: s.id,
            name: s.name,
            kind: s.kind,
            organisation_id: s.organisation_id,
            organisation_name: s.organisation_name,
            commissioner_id: s.commissioner_id,
            area_id: s.area_id,
            area_name: s.area_name,
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct UpdateServiceBody {
    pub name: String,
    pub kind: String,
    #[serde(default)]
    pub commissioner_id: Option<String>,
    pub area_id: String,
}

#[derive(Serialize, ToSchema)]
pub struct TeamBody {
    pub id: String,
    pub name: String,
    pub service_id: String,
    pub members: i64,
}

impl From<Team> for TeamBody {
    fn from(t: Team) -> Self {
        TeamBody {
            id: t.id,
            name: t.name,
            service_id: t.service_id,
            members: t.members,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct StaffBody {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub organisation_id: String,
    pub service_id: Option<String>,
    pub team_id: Option<String>,
    pub disabled: bool,
    pub second_factor: bool,
}

impl From<User> for StaffBody {
    fn from(u: User) -> Self {
        StaffBody {
            id: u.id,
            username: u.username,
            display_name: u.display_name,
            organisation_id: u.organisation_id,
            service_id: u.service_id,
            team_id: u.team_id,
            disabled: u.disabled != 0,
            second_factor: u.totp_enrolled != 0,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct GrantBody {
    pub id: String,
    pub role: String,
    pub organisation_id: Option<String>,
    pub service_id: Option<String>,
}

impl From<GrantRow> for GrantBody {
    fn from(g: GrantRow) -> Self {
        GrantBody {
            id: g.id,
            role: g.role,
            organisation_id: g.organisation_id,
            service_id: g.service_id,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct StaffDetailBody {
    #[serde(flatten)]
    pub staff: StaffBody,
    pub grants: Vec<GrantBody>,
}

#[derive(Deserialize, ToSchema)]
pub struct NewGrantBody {
    pub role: String,
    /// service, organisation or everywhere
    pub scope: String,
}

#[derive(Serialize, ToSchema)]
pub struct AuditEventBody {
    pub seq: i64,
    pub occurred_at: String,
    pub actor_label: String,
    pub action: String,
    pub record_type: String,
    pub record_id: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
    pub hash: String,
}

impl From<AuditEvent> for AuditEventBody {
    fn from(e: AuditEvent) -> Self {
        AuditEventBody {
            seq: e.seq,
            occurred_at: e.record.occurred_at,
            actor_label: e.record.actor_label,
            action: e.record.action,
            record_type: e.record.record_type,
            record_id: e.record.record_id,
            before: e.record.before_json,
            after: e.record.after_json,
            hash: e.hash,
        }
    }
}
