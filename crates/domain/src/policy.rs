//! Who may do what to which record. This is the one place that decides: use
//! cases ask [`may`] before they act on a record, and list queries ask
//! [`visibility`] for the scope they put in their SQL `WHERE`, so that no
//! list, search or export can return a record the actor may not see.

use crate::directory::coded_enum;

coded_enum! {
    /// A role, granted to a user over an organisation, a service or everywhere.
    Role {
        Caseworker => ("caseworker", "Caseworker"),
        TeamLeader => ("team_leader", "Team leader"),
        ServiceManager => ("service_manager", "Service manager"),
        Commissioner => ("commissioner", "Commissioner"),
        Auditor => ("auditor", "Auditor"),
        Administrator => ("administrator", "Administrator"),
        Referrer => ("referrer", "Referrer (sends referrals)"),
    }
}

/// Where a grant applies.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum GrantScope {
    /// Every organisation and service (system administrators and auditors).
    Everywhere,
    /// One organisation: its services and staff; for a commissioner, the
    /// services that organisation commissions.
    Organisation(String),
    /// One service and its teams.
    Service(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Grant {
    pub role: Role,
    pub scope: GrantScope,
}

/// Someone acting: a signed-in user or a machine client's API token.
#[derive(Debug, Clone)]
pub struct Actor {
    pub id: String,
    /// Shown in the audit log: the username, or the token's name.
    pub label: String,
    pub organisation_id: String,
    pub grants: Vec<Grant>,
}

impl Actor {
    pub fn has_role(&self, role: Role) -> bool {
        self.grants.iter().any(|g| g.role == role)
    }

    pub fn roles(&self) -> Vec<Role> {
        let mut roles: Vec<Role> = Vec::new();
        for grant in &self.grants {
            if !roles.contains(&grant.role) {
                roles.push(grant.role);
            }
        }
        roles
    }
}

/// Something an actor may want to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// See organisations, services and teams.
    ViewDirectory,
    /// Create or change organisations, areas and services.
    ManageDirectory,
    /// Create or rename teams in a service.
    ManageTeams,
    /// See the staff of a service or organisation.
    ViewStaff,
    /// Add staff, disable them, reset passwords, change their roles.
    ManageStaff,
    /// See counts about a service, never a victim's identity.
    ViewAggregates,
    /// Read the audit log.
    ViewAudit,
    /// Issue and revoke API tokens for machine clients.
    ManageTokens,
    /// See the people, referrals and cases of a service.
    ViewCases,
    /// Record contact, triage and casework.
    ManageCases,
    /// Send a referral to a service (police, hubs, partners, staff).
    SubmitReferral,
    /// Allocate cases to caseworkers.
    AllocateCases,
    /// Make an onward referral without the victim's consent, recording why.
    OverrideConsent,
}

impl Action {
    pub const ALL: &'static [Action] = &[
        Action::ViewDirectory,
        Action::ManageDirectory,
        Action::ManageTeams,
        Action::ViewStaff,
        Action::ManageStaff,
        Action::ViewAggregates,
        Action::ViewAudit,
        Action::ManageTokens,
        Action::ViewCases,
        Action::ManageCases,
        Action::SubmitReferral,
        Action::AllocateCases,
        Action::OverrideConsent,
    ];
}

/// Which actions each role allows, before asking where.
pub fn role_allows(role: Role, action: Action) -> bool {
    use Action::*;
    match role {
        Role::Administrator => matches!(
            action,
            ViewDirectory | ManageDirectory | ManageTeams | ViewStaff | ManageStaff | ManageTokens
        ),
        Role::ServiceManager => matches!(
            action,
            ViewDirectory
                | ManageTeams
                | ViewStaff
                | ManageStaff
                | ViewAggregates
                | ViewCases
                | ManageCases
                | SubmitReferral
                | AllocateCases
                | OverrideConsent
        ),
        Role::TeamLeader => matches!(
            action,
            ViewDirectory
                | ViewStaff
                | ViewAggregates
                | ViewCases
                | ManageCases
                | SubmitReferral
                | AllocateCases
                | OverrideConsent
        ),
        Role::Caseworker => matches!(
            action,
            ViewDirectory | ViewCases | ManageCases | SubmitReferral
        ),
        // Police, hubs and partners send referrals in and see nothing back.
        Role::Referrer => matches!(action, SubmitReferral),
        // Commissioners see what the money achieved, in aggregate only.
        Role::Commissioner => matches!(action, ViewAggregates),
        // Auditors read the log and nothing else: separation of duties.
        Role::Auditor => matches!(action, ViewAudit),
    }
}

/// Where a record belongs, which is all the policy needs to know of it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Place {
    pub organisation_id: Option<String>,
    pub service_id: Option<String>,
    /// For a service (or what belongs to it): the organisation that commissions it.
    pub commissioner_id: Option<String>,
}

fn covers(grant: &Grant, place: &Place) -> bool {
    match &grant.scope {
        GrantScope::Everywhere => true,
        // A commissioner's organisation grant reaches the services it
        // commissions, not the staff of its own office.
        GrantScope::Organisation(org) if grant.role == Role::Commissioner => {
            place.commissioner_id.as_deref() == Some(org.as_str())
        }
        GrantScope::Organisation(org) => place.organisation_id.as_deref() == Some(org.as_str()),
        GrantScope::Service(service) => place.service_id.as_deref() == Some(service.as_str()),
    }
}

/// May this actor do this action to the record at this place?
pub fn may(actor: &Actor, action: Action, place: &Place) -> bool {
    actor
        .grants
        .iter()
        .any(|g| role_allows(g.role, action) && covers(g, place))
}

/// May this actor do this action anywhere at all? Used to show navigation
/// and to refuse whole pages before any record is loaded.
pub fn may_somewhere(actor: &Actor, action: Action) -> bool {
    actor.grants.iter().any(|g| role_allows(g.role, action))
}

/// The records an actor may act on, as the store turns it into SQL: a record
/// is visible when it matches any of the listed organisations, services or
/// commissioners.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Visibility {
    pub everything: bool,
    pub organisations: Vec<String>,
    pub services: Vec<String>,
    pub commissioned_by: Vec<String>,
}

impl Visibility {
    pub fn is_nothing(&self) -> bool {
        !self.everything
            && self.organisations.is_empty()
            && self.services.is_empty()
            && self.commissioned_by.is_empty()
    }

    /// Whether a place falls inside this visibility; the same test the SQL
    /// scope applies, used to check the two agree.
    pub fn contains(&self, place: &Place) -> bool {
        let within =
            |ids: &Vec<String>, id: &Option<String>| id.as_ref().is_some_and(|id| ids.contains(id));
        self.everything
            || within(&self.organisations, &place.organisation_id)
            || within(&self.services, &place.service_id)
            || within(&self.commissioned_by, &place.commissioner_id)
    }
}

/// The scope of records on which the actor may do `action`.
pub fn visibility(actor: &Actor, action: Action) -> Visibility {
    let mut v = Visibility::default();
    for grant in actor.grants.iter().filter(|g| role_allows(g.role, action)) {
        let list = match (&grant.scope, grant.role) {
            (GrantScope::Everywhere, _) => {
                v.everything = true;
                continue;
            }
            (GrantScope::Organisation(id), Role::Commissioner) => (&mut v.commissioned_by, id),
            (GrantScope::Organisation(id), _) => (&mut v.organisations, id),
            (GrantScope::Service(id), _) => (&mut v.services, id),
        };
        if !list.0.contains(list.1) {
            list.0.push(list.1.clone());
        }
    }
    v
}

/// May the actor give `grant` to someone? `scope_place` is where the grant
/// would apply (the service, or the organisation). Only administrators hand
/// out roles above team leader, so no one can raise anyone, themselves
/// included, above their own reach. The caller also checks that the actor may
/// manage the staff member receiving the grant.
pub fn may_assign(actor: &Actor, grant: &Grant, scope_place: &Place) -> bool {
    match (&grant.scope, grant.role) {
        (GrantScope::Everywhere, _) => actor
            .grants
            .iter()
            .any(|g| g.role == Role::Administrator && g.scope == GrantScope::Everywhere),
        (_, Role::Caseworker | Role::TeamLeader) => may(actor, Action::ManageStaff, scope_place),
        _ => actor
            .grants
            .iter()
            .any(|g| g.role == Role::Administrator && covers(g, scope_place)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role, scope: GrantScope) -> Actor {
        Actor {
            id: "u1".into(),
            label: "u1".into(),
            organisation_id: "org-a".into(),
            grants: vec![Grant { role, scope }],
        }
    }

    fn service(org: &str, service: &str, commissioner: &str) -> Place {
        Place {
            organisation_id: Some(org.into()),
            service_id: Some(service.into()),
            commissioner_id: Some(commissioner.into()),
        }
    }

    #[test]
    fn each_role_reaches_its_own_service_and_not_another() {
        let own = service("org-a", "svc-a", "pcc");
        let other = service("org-b", "svc-b", "pcc-2");
        use Action::*;
        // (role, scope, action, own allowed, other allowed)
        let table = [
            (
                Role::Caseworker,
                GrantScope::Service("svc-a".into()),
                ViewDirectory,
                true,
                false,
            ),
            (
                Role::Caseworker,
                GrantScope::Service("svc-a".into()),
                ViewStaff,
                false,
                false,
            ),
            (
                Role::TeamLeader,
                GrantScope::Service("svc-a".into()),
                ViewStaff,
                true,
                false,
            ),
            (
                Role::TeamLeader,
                GrantScope::Service("svc-a".into()),
                ManageStaff,
                false,
                false,
            ),
            (
                Role::ServiceManager,
                GrantScope::Service("svc-a".into()),
                ManageStaff,
                true,
                false,
            ),
            (
                Role::ServiceManager,
                GrantScope::Service("svc-a".into()),
                ManageDirectory,
                false,
                false,
            ),
            (
                Role::Commissioner,
                GrantScope::Organisation("pcc".into()),
                ViewAggregates,
                true,
                false,
            ),
            (
                Role::Commissioner,
                GrantScope::Organisation("pcc".into()),
                ViewStaff,
                false,
                false,
            ),
            (
                Role::Commissioner,
                GrantScope::Organisation("pcc".into()),
                ViewDirectory,
                false,
                false,
            ),
            (Role::Auditor, GrantScope::Everywhere, ViewAudit, true, true),
            (
                Role::Auditor,
                GrantScope::Everywhere,
                ViewStaff,
                false,
                false,
            ),
            (
                Role::Administrator,
                GrantScope::Organisation("org-a".into()),
                ManageStaff,
                true,
                false,
            ),
            (
                Role::Administrator,
                GrantScope::Everywhere,
                ManageDirectory,
                true,
                true,
            ),
            (
                Role::Administrator,
                GrantScope::Everywhere,
                ViewAudit,
                false,
                false,
            ),
        ];
        for (role, scope, action, own_ok, other_ok) in table {
            let a = actor(role, scope.clone());
            assert_eq!(
                may(&a, action, &own),
                own_ok,
                "{role:?} {scope:?} {action:?} own"
            );
            assert_eq!(
                may(&a, action, &other),
                other_ok,
                "{role:?} {scope:?} {action:?} other"
            );
            // The SQL scope must agree with the single-record decision.
            let v = visibility(&a, action);
            assert_eq!(
                v.contains(&own),
                own_ok,
                "{role:?} {action:?} visibility own"
            );
            assert_eq!(
                v.contains(&other),
                other_ok,
                "{role:?} {action:?} visibility other"
            );
        }
    }

    #[test]
    fn commissioner_scope_is_by_commissioning_not_ownership() {
        let a = actor(Role::Commissioner, GrantScope::Organisation("pcc".into()));
        let own_office = Place {
            organisation_id: Some("pcc".into()),
            ..Place::default()
        };
        assert!(!may(&a, Action::ViewAggregates, &own_office));
        let v = visibility(&a, Action::ViewAggregates);
        assert_eq!(v.commissioned_by, vec!["pcc".to_string()]);
        assert!(v.organisations.is_empty());
    }

    #[test]
    fn no_grant_sees_nothing() {
        let a = Actor {
            id: "x".into(),
            label: "x".into(),
            organisation_id: "o".into(),
            grants: vec![],
        };
        for action in Action::ALL {
            assert!(visibility(&a, *action).is_nothing());
            assert!(!may(&a, *action, &service("o", "s", "c")));
        }
    }

    #[test]
    fn service_managers_assign_only_frontline_roles_in_their_own_service() {
        let manager = actor(Role::ServiceManager, GrantScope::Service("svc-a".into()));
        let own = service("org-a", "svc-a", "pcc");
        let other = service("org-b", "svc-b", "pcc");
        let in_service = |role, id: &str| Grant {
            role,
            scope: GrantScope::Service(id.into()),
        };
        assert!(may_assign(
            &manager,
            &in_service(Role::Caseworker, "svc-a"),
            &own
        ));
        assert!(may_assign(
            &manager,
            &in_service(Role::TeamLeader, "svc-a"),
            &own
        ));
        assert!(!may_assign(
            &manager,
            &in_service(Role::ServiceManager, "svc-a"),
            &own
        ));
        assert!(!may_assign(
            &manager,
            &in_service(Role::Caseworker, "svc-b"),
            &other
        ));
        let everywhere = Grant {
            role: Role::Administrator,
            scope: GrantScope::Everywhere,
        };
        assert!(!may_assign(&manager, &everywhere, &Place::default()));

        let org_admin = actor(
            Role::Administrator,
            GrantScope::Organisation("org-a".into()),
        );
        assert!(may_assign(
            &org_admin,
            &in_service(Role::ServiceManager, "svc-a"),
            &own
        ));
        assert!(!may_assign(
            &org_admin,
            &in_service(Role::ServiceManager, "svc-b"),
            &other
        ));
        let auditor = Grant {
            role: Role::Auditor,
            scope: GrantScope::Everywhere,
        };
        assert!(!may_assign(&org_admin, &auditor, &Place::default()));
        let root = actor(Role::Administrator, GrantScope::Everywhere);
        assert!(may_assign(&root, &auditor, &Place::default()));
    }

    #[test]
    fn roles_and_reach_somewhere() {
        let leader = Actor {
            id: "u".into(),
            label: "u".into(),
            organisation_id: "org-a".into(),
            grants: vec![
                Grant {
                    role: Role::TeamLeader,
                    scope: GrantScope::Service("svc-a".into()),
                },
                Grant {
                    role: Role::TeamLeader,
                    scope: GrantScope::Service("svc-b".into()),
                },
                Grant {
                    role: Role::Auditor,
                    scope: GrantScope::Everywhere,
                },
            ],
        };
        assert!(leader.has_role(Role::TeamLeader));
        assert!(leader.has_role(Role::Auditor));
        assert!(!leader.has_role(Role::Caseworker));
        assert_eq!(
            leader.roles(),
            vec![Role::TeamLeader, Role::Auditor],
            "each role once"
        );
        assert!(may_somewhere(&leader, Action::AllocateCases));
        assert!(may_somewhere(&leader, Action::ViewAudit));
        let referrer = actor(Role::Referrer, GrantScope::Organisation("police".into()));
        assert!(may_somewhere(&referrer, Action::SubmitReferral));
        assert!(!may_somewhere(&referrer, Action::ViewCases));
    }

    #[test]
    fn nothing_is_visible_only_when_every_list_is_empty() {
        assert!(Visibility::default().is_nothing());
        for v in [
            Visibility {
                everything: true,
                ..Default::default()
            },
            Visibility {
                organisations: vec!["o".into()],
                ..Default::default()
            },
            Visibility {
                services: vec!["s".into()],
                ..Default::default()
            },
            Visibility {
                commissioned_by: vec!["c".into()],
                ..Default::default()
            },
        ] {
            assert!(!v.is_nothing(), "{v:?}");
        }
    }

    #[test]
    fn only_an_administrator_everywhere_grants_a_role_everywhere() {
        let everywhere = Grant {
            role: Role::Auditor,
            scope: GrantScope::Everywhere,
        };
        let place = Place::default();
        let admin = actor(Role::Administrator, GrantScope::Everywhere);
        let org_admin = actor(
            Role::Administrator,
            GrantScope::Organisation("org-a".into()),
        );
        assert!(may_assign(&admin, &everywhere, &place));
        assert!(!may_assign(&org_admin, &everywhere, &place));
        let caseworker_grant = Grant {
            role: Role::Caseworker,
            scope: GrantScope::Everywhere,
        };
        assert!(
            !may_assign(&org_admin, &caseworker_grant, &place),
            "everywhere wins over the role"
        );
        // Not even from inside their own organisation.
        let own = Place {
            organisation_id: Some("org-a".into()),
            ..Place::default()
        };
        assert!(!may_assign(&org_admin, &everywhere, &own));
        assert!(!may_assign(&org_admin, &caseworker_grant, &own));
    }
}
