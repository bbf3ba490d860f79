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
        DirectoryReader => ("directory_reader", "Directory reader (API tokens only)"),
        CaseReader => ("case_reader", "Case reader (API tokens only)"),
        MaracMember => ("marac_member", "MARAC member (a member agency's representative)"),
        MaracCoordinator => ("marac_coordinator", "MARAC coordinator"),
        MaracChair => ("marac_chair", "MARAC chair"),
        CommissioningOfficer => ("commissioning_officer", "Commissioning officer (budgets and decisions)"),
        FinanceOfficer => ("finance_officer", "Chief finance officer"),
        MonitoringOfficer => ("monitoring_officer", "Chief executive or monitoring officer"),
        DecisionMaker => ("decision_maker", "Police and Crime Commissioner (approves decisions)"),
        ContractManager => ("contract_manager", "Provider's contract manager"),
    }
}

impl Role {
    /// Roles only an API token acts with, never given to a person: a
    /// token's scope may read without being allowed to change.
    pub fn tokens_only(self) -> bool {
        matches!(self, Role::DirectoryReader | Role::CaseReader)
    }

    /// The roles a person may be given, for forms.
    pub fn for_people() -> Vec<(&'static str, &'static str)> {
        Self::ALL
            .iter()
            .filter(|r| !r.tokens_only())
            .map(|r| (r.code(), r.label()))
            .collect()
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
    /// One team of a service: the cases allocated to its members.
    Team(String),
    /// One service, but only the cases allocated to the actor.
    OwnCaseload(String),
    /// The services commissioned by any office in a region (a regional
    /// post paid for by several commissioners together).
    Region(String),
    /// One MARAC: its meetings and the cases on their agendas, and no
    /// other casework.
    Marac(String),
}

impl Role {
    /// The roles held over a MARAC rather than a service or organisation.
    pub fn is_marac(self) -> bool {
        matches!(
            self,
            Role::MaracMember | Role::MaracCoordinator | Role::MaracChair
        )
    }
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
    /// The one-time key of the form this actor's change was sent from, so
    /// the same form sent twice changes once.
    pub submission: Option<String>,
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
    /// Open a closed case again.
    ReopenCases,
    /// Make an onward referral without the victim's consent, recording why.
    OverrideConsent,
    /// See a MARAC's meetings, their agendas and the MARAC information of
    /// the cases on them: never the case file.
    ViewMarac,
    /// Acknowledge a meeting's confidentiality, add an agency's research
    /// and update the actions the agency owns.
    ContributeToMarac,
    /// Order the agenda, record actions, outcomes and the minutes.
    RunMarac,
    /// See an office's funding, budgets and decisions, drafts included.
    ViewCommissioning,
    /// Set up funding sources and budgets, and draft and amend decisions.
    ManageCommissioning,
    /// Record approval of a decision as a consultee (finance or monitoring
    /// officer).
    ConsultOnDecisions,
    /// Approve a decision, as the Police and Crime Commissioner.
    ApproveDecisions,
    /// See a provider's own contracts and their performance, and write
    /// each quarter's narrative.
    ReportOnContracts,
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
        Action::ReopenCases,
        Action::OverrideConsent,
        Action::ViewMarac,
        Action::ContributeToMarac,
        Action::RunMarac,
        Action::ViewCommissioning,
        Action::ManageCommissioning,
        Action::ConsultOnDecisions,
        Action::ApproveDecisions,
        Action::ReportOnContracts,
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
                | ReopenCases
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
        // A token that reads the directory, or reads casework, and changes nothing.
        Role::DirectoryReader => matches!(action, ViewDirectory),
        Role::CaseReader => matches!(action, ViewDirectory | ViewCases),
        // Commissioners see what the money achieved, in aggregate only,
        // and their office's commissioning.
        Role::Commissioner => matches!(action, ViewAggregates | ViewCommissioning),
        // An office's commissioning: the officer drafts, the two statutory
        // officers are consulted, the commissioner decides.
        Role::CommissioningOfficer => matches!(action, ViewCommissioning | ManageCommissioning),
        Role::FinanceOfficer | Role::MonitoringOfficer => {
            matches!(action, ViewCommissioning | ConsultOnDecisions)
        }
        Role::DecisionMaker => matches!(action, ViewCommissioning | ApproveDecisions),
        // A provider's contract manager sees the provider's contracts and
        // writes their narrative; never casework, never the office's.
        Role::ContractManager => matches!(action, ReportOnContracts),
        // Auditors read the log and nothing else: separation of duties.
        Role::Auditor => matches!(action, ViewAudit),
        // A member agency's representative sees the MARAC's agendas and
        // contributes to them; the coordinator and chair also run them.
        Role::MaracMember => matches!(action, ViewMarac | ContributeToMarac),
        Role::MaracCoordinator | Role::MaracChair => {
            matches!(action, ViewMarac | ContributeToMarac | RunMarac)
        }
    }
}

/// Where a record belongs, which is all the policy needs to know of it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Place {
    pub organisation_id: Option<String>,
    pub service_id: Option<String>,
    /// For a service (or what belongs to it): the organisation that commissions it.
    pub commissioner_id: Option<String>,
    /// The region of the office that commissions the service.
    pub region_id: Option<String>,
    /// For a case: the team of the worker it is allocated to.
    pub team_id: Option<String>,
    /// For a case: the worker it is allocated to.
    pub worker_id: Option<String>,
    /// For a MARAC's meeting or a case on its agenda: the MARAC.
    pub marac_id: Option<String>,
    /// A restricted case (a victim known to staff, a public figure): seen
    /// only by its own worker and the service's managers.
    pub restricted: bool,
}

fn covers(grant: &Grant, place: &Place, actor_id: &str) -> bool {
    let is = |id: &Option<String>, wanted: &str| id.as_deref() == Some(wanted);
    match &grant.scope {
        GrantScope::Everywhere => true,
        // A commissioner's organisation grant reaches the services it
        // commissions, not the staff of its own office.
        GrantScope::Organisation(org) if grant.role == Role::Commissioner => {
            is(&place.commissioner_id, org)
        }
        GrantScope::Organisation(org) => is(&place.organisation_id, org),
        GrantScope::Service(service) => is(&place.service_id, service),
        GrantScope::Team(team) => is(&place.team_id, team),
        GrantScope::OwnCaseload(service) => {
            is(&place.service_id, service) && is(&place.worker_id, actor_id)
        }
        GrantScope::Region(region) => is(&place.region_id, region),
        GrantScope::Marac(marac) => is(&place.marac_id, marac),
    }
}

/// Whether a grant that covers a place may also reach it if it is
/// restricted: only for the case's own worker, or a service manager.
fn passes_restriction(grant: &Grant, place: &Place, actor_id: &str) -> bool {
    !place.restricted
        || place.worker_id.as_deref() == Some(actor_id)
        || grant.role == Role::ServiceManager
}

/// May this actor do this action to the record at this place?
pub fn may(actor: &Actor, action: Action, place: &Place) -> bool {
    actor.grants.iter().any(|g| {
        role_allows(g.role, action)
            && covers(g, place, &actor.id)
            && passes_restriction(g, place, &actor.id)
    })
}

/// May this actor do this action anywhere at all? Used to show navigation
/// and to refuse whole pages before any record is loaded.
pub fn may_somewhere(actor: &Actor, action: Action) -> bool {
    actor.grants.iter().any(|g| role_allows(g.role, action))
}

/// The records an actor may act on, as the store turns it into SQL: a record
/// is visible when it matches any of the listed places and, if it is
/// restricted, is the actor's own or within `restricted_reach`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Visibility {
    pub everything: bool,
    pub organisations: Vec<String>,
    pub services: Vec<String>,
    pub commissioned_by: Vec<String>,
    pub teams: Vec<String>,
    /// Services in which only the actor's own cases are reached.
    pub own_caseload_in: Vec<String>,
    pub regions: Vec<String>,
    pub maracs: Vec<String>,
    /// The actor: their own cases, and restricted cases they work.
    pub actor_id: Option<String>,
    /// Where restricted records are reached beyond their own worker: the
    /// reach of the grants that see them (service managers). `None` leaves
    /// restricted records unfiltered, for lookups that are not an actor's.
    pub restricted_reach: Option<Box<Visibility>>,
}

impl Visibility {
    pub fn is_nothing(&self) -> bool {
        !self.everything
            && self.organisations.is_empty()
            && self.services.is_empty()
            && self.commissioned_by.is_empty()
            && self.teams.is_empty()
            && self.own_caseload_in.is_empty()
            && self.regions.is_empty()
            && self.maracs.is_empty()
    }

    /// Whether a place falls inside this visibility; the same test the SQL
    /// scope applies, used to check the two agree.
    pub fn contains(&self, place: &Place) -> bool {
        let own = self.actor_id.is_some() && place.worker_id == self.actor_id;
        self.reaches(place)
            && (!place.restricted
                || own
                || self
                    .restricted_reach
                    .as_ref()
                    .is_none_or(|reach| reach.reaches(place)))
    }

    fn reaches(&self, place: &Place) -> bool {
        let within =
            |ids: &Vec<String>, id: &Option<String>| id.as_ref().is_some_and(|id| ids.contains(id));
        let own = self.actor_id.is_some() && place.worker_id == self.actor_id;
        self.everything
            || within(&self.organisations, &place.organisation_id)
            || within(&self.services, &place.service_id)
            || within(&self.commissioned_by, &place.commissioner_id)
            || within(&self.teams, &place.team_id)
            || (own && within(&self.own_caseload_in, &place.service_id))
            || within(&self.regions, &place.region_id)
            || within(&self.maracs, &place.marac_id)
    }
}

/// The scope of records on which the actor may do `action`.
pub fn visibility(actor: &Actor, action: Action) -> Visibility {
    let mut v = reach_of(actor, action, |_| true);
    v.restricted_reach = Some(Box::new(reach_of(actor, action, |g| {
        g.role == Role::ServiceManager
    })));
    v
}

/// The places reached by those of the actor's grants that allow `action`
/// and pass `which`.
fn reach_of(actor: &Actor, action: Action, which: impl Fn(&Grant) -> bool) -> Visibility {
    let mut v = Visibility {
        actor_id: Some(actor.id.clone()),
        ..Visibility::default()
    };
    let grants = actor.grants.iter().filter(|g| role_allows(g.role, action));
    for grant in grants.filter(|g| which(g)) {
        let (list, id) = match (&grant.scope, grant.role) {
            (GrantScope::Everywhere, _) => {
                v.everything = true;
                continue;
            }
            (GrantScope::Organisation(id), Role::Commissioner) => (&mut v.commissioned_by, id),
            (GrantScope::Organisation(id), _) => (&mut v.organisations, id),
            (GrantScope::Service(id), _) => (&mut v.services, id),
            (GrantScope::Team(id), _) => (&mut v.teams, id),
            (GrantScope::OwnCaseload(id), _) => (&mut v.own_caseload_in, id),
            (GrantScope::Region(id), _) => (&mut v.regions, id),
            (GrantScope::Marac(id), _) => (&mut v.maracs, id),
        };
        if !list.contains(id) {
            list.push(id.clone());
        }
    }
    v
}

/// Whether a person holding `held` roles may not also hold `new`: duties
/// kept apart. Auditors hold no other role (they check everyone else's
/// work), and commissioners, who see figures to judge services, hold no
/// casework role in them.
pub fn kept_apart(held: &[Role], new: Role) -> bool {
    let casework = |r: &Role| {
        matches!(
            r,
            Role::Caseworker | Role::TeamLeader | Role::ServiceManager
        )
    };
    // The commissioner who decides, and the two officers who advise, are
    // three people, and none of them works cases.
    let signs = |r: &Role| {
        matches!(
            r,
            Role::FinanceOfficer | Role::MonitoringOfficer | Role::DecisionMaker
        )
    };
    let office =
        |r: &Role| *r == Role::Commissioner || *r == Role::CommissioningOfficer || signs(r);
    held.iter().any(|h| {
        (*h == Role::Auditor) != (new == Role::Auditor)
            || (office(h) && casework(&new))
            || (office(&new) && casework(h))
            || (signs(h) && signs(&new) && *h != new)
    })
}

/// May the actor give `grant` to someone? `scope_place` is where the grant
/// would apply (the service, or the organisation). Only administrators hand
/// out roles above team leader, so no one can raise anyone, themselves
/// included, above their own reach. The caller also checks that the actor may
/// manage the staff member receiving the grant.
pub fn may_assign(actor: &Actor, grant: &Grant, scope_place: &Place) -> bool {
    if grant.role.tokens_only() {
        return false;
    }
    match (&grant.scope, grant.role) {
        (GrantScope::Everywhere, _) => actor
            .grants
            .iter()
            .any(|g| g.role == Role::Administrator && g.scope == GrantScope::Everywhere),
        (_, Role::Caseworker | Role::TeamLeader) => may(actor, Action::ManageStaff, scope_place),
        _ => actor
            .grants
            .iter()
            .any(|g| g.role == Role::Administrator && covers(g, scope_place, &actor.id)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role, scope: GrantScope) -> Actor {
        Actor {
            submission: None,
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
            ..Place::default()
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
            submission: None,
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
            submission: None,
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

    fn case(service_id: &str, team: Option<&str>, worker: Option<&str>, restricted: bool) -> Place {
        Place {
            team_id: team.map(str::to_string),
            worker_id: worker.map(str::to_string),
            restricted,
            region_id: Some("east".into()),
            ..service("org-a", service_id, "pcc")
        }
    }

    #[test]
    fn duties_kept_apart() {
        use Role::*;
        assert!(kept_apart(&[Auditor], Administrator));
        assert!(kept_apart(&[Caseworker], Auditor));
        assert!(!kept_apart(&[Auditor], Auditor), "the same role elsewhere");
        assert!(kept_apart(&[Commissioner], Caseworker));
        assert!(kept_apart(&[ServiceManager], Commissioner));
        assert!(kept_apart(&[TeamLeader], Commissioner));
        assert!(!kept_apart(&[Caseworker], TeamLeader));
        assert!(!kept_apart(&[Administrator], ServiceManager));
        assert!(!kept_apart(&[Commissioner], Administrator));
        assert!(!kept_apart(&[], Auditor));
        // The commissioner who decides and the two officers who advise are
        // three people; none of the office works cases.
        assert!(kept_apart(&[FinanceOfficer], DecisionMaker));
        assert!(kept_apart(&[DecisionMaker], MonitoringOfficer));
        assert!(kept_apart(&[MonitoringOfficer], FinanceOfficer));
        assert!(!kept_apart(&[FinanceOfficer], FinanceOfficer));
        assert!(kept_apart(&[CommissioningOfficer], Caseworker));
        assert!(kept_apart(&[ServiceManager], DecisionMaker));
        assert!(!kept_apart(&[CommissioningOfficer], Commissioner));
        assert!(!kept_apart(&[CommissioningOfficer], FinanceOfficer));
    }

    #[test]
    fn an_office_drafts_consults_and_decides_with_a_role_for_each() {
        use Action::*;
        let allowed = |role: Role| -> Vec<Action> {
            Action::ALL
                .iter()
                .copied()
                .filter(|a| role_allows(role, *a))
                .collect()
        };
        assert_eq!(
            allowed(Role::CommissioningOfficer),
            vec![ViewCommissioning, ManageCommissioning]
        );
        assert_eq!(
            allowed(Role::FinanceOfficer),
            vec![ViewCommissioning, ConsultOnDecisions]
        );
        assert_eq!(
            allowed(Role::MonitoringOfficer),
            vec![ViewCommissioning, ConsultOnDecisions]
        );
        assert_eq!(
            allowed(Role::DecisionMaker),
            vec![ViewCommissioning, ApproveDecisions]
        );
        assert_eq!(
            allowed(Role::Commissioner),
            vec![ViewAggregates, ViewCommissioning]
        );
        for role in Role::ALL {
            let office = matches!(
                role,
                Role::CommissioningOfficer
                    | Role::FinanceOfficer
                    | Role::MonitoringOfficer
                    | Role::DecisionMaker
                    | Role::Commissioner
            );
            assert_eq!(role_allows(*role, ViewCommissioning), office, "{role:?}");
        }
    }

    #[test]
    fn token_roles_read_only_and_are_never_given_to_people() {
        assert!(role_allows(Role::CaseReader, Action::ViewCases));
        for action in Action::ALL {
            if !matches!(action, Action::ViewDirectory | Action::ViewCases) {
                assert!(!role_allows(Role::CaseReader, *action), "{action:?}");
            }
            if *action != Action::ViewDirectory {
                assert!(!role_allows(Role::DirectoryReader, *action), "{action:?}");
            }
        }
        let admin = actor(Role::Administrator, GrantScope::Everywhere);
        for role in [Role::CaseReader, Role::DirectoryReader] {
            let grant = Grant {
                role,
                scope: GrantScope::Everywhere,
            };
            assert!(!may_assign(&admin, &grant, &Place::default()), "{role:?}");
            assert!(
                !Role::for_people()
                    .iter()
                    .any(|(code, _)| *code == role.code())
            );
        }
    }

    #[test]
    fn teams_own_caseloads_restricted_cases_and_regions() {
        let mut worker = actor(Role::Caseworker, GrantScope::OwnCaseload("svc-a".into()));
        worker.id = "w1".into();
        assert!(may(
            &worker,
            Action::ManageCases,
            &case("svc-a", None, Some("w1"), false)
        ));
        assert!(!may(
            &worker,
            Action::ManageCases,
            &case("svc-a", None, Some("w2"), false)
        ));
        assert!(!may(
            &worker,
            Action::ManageCases,
            &case("svc-b", None, Some("w1"), false)
        ));

        let leader = actor(Role::TeamLeader, GrantScope::Team("team-1".into()));
        assert!(may(
            &leader,
            Action::AllocateCases,
            &case("svc-a", Some("team-1"), Some("w1"), false)
        ));
        assert!(!may(
            &leader,
            Action::AllocateCases,
            &case("svc-a", Some("team-2"), Some("w1"), false)
        ));
        assert!(!may(
            &leader,
            Action::AllocateCases,
            &case("svc-a", None, None, false)
        ));

        // A restricted case: its own worker and the service's managers only.
        let restricted = case("svc-a", Some("team-1"), Some("w1"), true);
        let colleague = actor(Role::Caseworker, GrantScope::Service("svc-a".into()));
        let manager = actor(Role::ServiceManager, GrantScope::Service("svc-a".into()));
        let mut own = actor(Role::Caseworker, GrantScope::Service("svc-a".into()));
        own.id = "w1".into();
        assert!(!may(&colleague, Action::ViewCases, &restricted));
        assert!(!may(&leader, Action::ViewCases, &restricted));
        assert!(may(&own, Action::ViewCases, &restricted));
        assert!(may(&manager, Action::ViewCases, &restricted));
        assert!(may(
            &colleague,
            Action::ViewCases,
            &Place {
                restricted: false,
                ..restricted.clone()
            }
        ));
        // Being the worker does not reach beyond the grant.
        let mut elsewhere = actor(Role::Caseworker, GrantScope::Service("svc-b".into()));
        elsewhere.id = "w1".into();
        assert!(!may(&elsewhere, Action::ViewCases, &restricted));

        let regional = actor(Role::Commissioner, GrantScope::Region("east".into()));
        assert!(may(
            &regional,
            Action::ViewAggregates,
            &case("svc-z", None, None, false)
        ));
        assert!(!may(
            &regional,
            Action::ViewCases,
            &case("svc-z", None, None, false)
        ));
        assert!(!may(
            &regional,
            Action::ViewAggregates,
            &Place {
                region_id: Some("west".into()),
                ..case("svc-z", None, None, false)
            }
        ));

        for (a, place) in [
            (&colleague, &restricted),
            (&own, &restricted),
            (&manager, &restricted),
            (&leader, &restricted),
            (&worker, &restricted),
        ] {
            let v = visibility(a, Action::ViewCases);
            assert_eq!(v.contains(place), may(a, Action::ViewCases, place), "{a:?}");
        }
    }

    #[test]
    fn a_marac_member_reaches_their_own_marac_and_no_casework() {
        let member = actor(Role::MaracMember, GrantScope::Marac("m1".into()));
        let coordinator = actor(Role::MaracCoordinator, GrantScope::Marac("m1".into()));
        let at = |m: &str| Place {
            marac_id: Some(m.into()),
            ..Place::default()
        };
        assert!(may(&member, Action::ViewMarac, &at("m1")));
        assert!(may(&member, Action::ContributeToMarac, &at("m1")));
        assert!(!may(&member, Action::RunMarac, &at("m1")));
        assert!(may(&coordinator, Action::RunMarac, &at("m1")));
        for a in [&member, &coordinator] {
            assert!(!may(a, Action::ViewMarac, &at("m2")));
            assert!(!may(a, Action::RunMarac, &at("m2")));
            // A case on the agenda is still not theirs to open.
            let case = Place {
                service_id: Some("s1".into()),
                marac_id: Some("m1".into()),
                ..Place::default()
            };
            assert!(!may(a, Action::ViewCases, &case));
            assert!(!may_somewhere(a, Action::ViewCases));
        }
        assert_eq!(visibility(&member, Action::ViewMarac).maracs, vec!["m1"]);
        assert!(visibility(&member, Action::ViewCases).is_nothing());
    }

    mod agreement {
        use super::super::*;
        use proptest::prelude::*;

        fn id(prefix: &'static str) -> impl Strategy<Value = Option<String>> {
            prop_oneof![
                Just(None),
                (1..3u8).prop_map(move |n| Some(format!("{prefix}{n}")))
            ]
        }

        fn place() -> impl Strategy<Value = Place> {
            (
                id("o"),
                id("s"),
                id("c"),
                id("r"),
                id("t"),
                id("u"),
                id("m"),
                any::<bool>(),
            )
                .prop_map(
                    |(
                        organisation_id,
                        service_id,
                        commissioner_id,
                        region_id,
                        team_id,
                        worker_id,
                        marac_id,
                        restricted,
                    )| Place {
                        organisation_id,
                        service_id,
                        commissioner_id,
                        region_id,
                        team_id,
                        worker_id,
                        marac_id,
                        restricted,
                    },
                )
        }

        fn grant() -> impl Strategy<Value = Grant> {
            let scope = prop_oneof![
                Just(GrantScope::Everywhere),
                (1..3u8).prop_map(|n| GrantScope::Organisation(format!("o{n}"))),
                (1..3u8).prop_map(|n| GrantScope::Organisation(format!("c{n}"))),
                (1..3u8).prop_map(|n| GrantScope::Service(format!("s{n}"))),
                (1..3u8).prop_map(|n| GrantScope::Team(format!("t{n}"))),
                (1..3u8).prop_map(|n| GrantScope::OwnCaseload(format!("s{n}"))),
                (1..3u8).prop_map(|n| GrantScope::Region(format!("r{n}"))),
                (1..3u8).prop_map(|n| GrantScope::Marac(format!("m{n}"))),
            ];
            (0..Role::ALL.len(), scope).prop_map(|(r, scope)| Grant {
                role: Role::ALL[r],
                scope,
            })
        }

        proptest! {
            /// The SQL scope is rendered from `visibility`; it must reach
            /// exactly the records `may` allows, for any grants and places.
            #[test]
            fn visibility_contains_exactly_what_may_allows(
                grants in proptest::collection::vec(grant(), 0..4),
                places in proptest::collection::vec(place(), 1..20),
                action in 0..Action::ALL.len(),
            ) {
                let actor = Actor { submission: None, id: "u1".into(), label: "u1".into(), organisation_id: "o1".into(), grants };
                let action = Action::ALL[action];
                let v = visibility(&actor, action);
                for place in &places {
                    prop_assert_eq!(v.contains(place), may(&actor, action, place), "{:?}", place);
                }
            }
        }
    }
}
