//! What every page shares: the title, who is signed in, the navigation their
//! roles allow, and the CSRF token for the sign-out form.

use app::auth::SessionContext;
use domain::policy::{self, Action};

pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub current: bool,
}

pub struct Chrome {
    pub title: String,
    pub user_name: Option<String>,
    pub roles: String,
    pub nav: Vec<NavItem>,
    pub csrf_token: String,
    /// Seconds a session lasts without a request (0 before signing in): the
    /// page warns before then, and offers to stay signed in.
    pub idle_seconds: i64,
}

impl Chrome {
    /// A fresh one-time key for a form on the page: the change it sends is
    /// made once, however many times the form is sent.
    pub fn form_key(&self) -> String {
        app::random_token().unwrap_or_default()
    }

    /// For pages seen before signing in.
    pub fn anonymous(title: &str) -> Self {
        Chrome {
            title: title.to_string(),
            user_name: None,
            roles: String::new(),
            nav: Vec::new(),
            csrf_token: String::new(),
            idle_seconds: 0,
        }
    }

    /// For a signed-in person; `section` marks the navigation item for this page.
    pub fn signed(ctx: &SessionContext, title: &str, section: &str) -> Self {
        let actor = &ctx.actor;
        let mut nav = vec![("/", "Home", true)];
        nav.push((
            "/dashboard",
            "Dashboard",
            policy::may_somewhere(actor, Action::AllocateCases),
        ));
        nav.push((
            "/referrals",
            "Referrals",
            policy::may_somewhere(actor, Action::ViewCases),
        ));
        nav.push((
            "/cases",
            "Cases",
            policy::may_somewhere(actor, Action::ViewCases),
        ));
        nav.push((
            "/search",
            "Find a person",
            policy::may_somewhere(actor, Action::ViewCases),
        ));
        nav.push((
            "/duty",
            "Duty",
            policy::may_somewhere(actor, Action::ViewCases),
        ));
        nav.push((
            "/activity",
            "Activity",
            policy::may_somewhere(actor, Action::ManageCases),
        ));
        nav.push((
            "/maracs",
            "MARAC",
            policy::may_somewhere(actor, Action::ViewMarac),
        ));
        nav.push((
            "/services",
            "Services",
            policy::may_somewhere(actor, Action::ViewDirectory),
        ));
        nav.push((
            "/staff",
            "Staff",
            policy::may_somewhere(actor, Action::ViewStaff),
        ));
        nav.push((
            "/figures",
            "Figures",
            policy::may_somewhere(actor, Action::ViewAggregates),
        ));
        nav.push((
            "/programmes",
            "Programmes",
            policy::may_somewhere(actor, Action::ViewCases)
                || policy::may_somewhere(actor, Action::ViewAggregates),
        ));
        nav.push((
            "/activity/report",
            "Activity report",
            policy::may_somewhere(actor, Action::ViewAggregates),
        ));
        nav.push((
            "/reports/moj",
            "MoJ return",
            policy::may_somewhere(actor, Action::ViewAggregates),
        ));
        nav.push((
            "/commissioning",
            "Commissioning",
            policy::may_somewhere(actor, Action::ViewCommissioning),
        ));
        nav.push((
            "/contracts",
            "Contracts",
            policy::may_somewhere(actor, Action::ViewCommissioning)
                || policy::may_somewhere(actor, Action::ReportOnContracts),
        ));
        nav.push((
            "/organisations",
            "Organisations",
            policy::may_somewhere(actor, Action::ManageDirectory),
        ));
        nav.push((
            "/areas",
            "Areas",
            policy::may_somewhere(actor, Action::ManageDirectory),
        ));
        nav.push((
            "/maracs/setup",
            "MARAC set-up",
            policy::may(actor, Action::ManageDirectory, &policy::Place::default()),
        ));
        nav.push((
            "/duty/setup",
            "Duty set-up",
            policy::may(actor, Action::ManageDirectory, &policy::Place::default()),
        ));
        nav.push((
            "/programmes/setup",
            "Programme set-up",
            policy::may(actor, Action::ManageDirectory, &policy::Place::default()),
        ));
        nav.push((
            "/code-rules",
            "Code rules",
            policy::may(actor, Action::ManageDirectory, &policy::Place::default()),
        ));
        nav.push((
            "/tokens",
            "API tokens",
            policy::may_somewhere(actor, Action::ManageTokens),
        ));
        nav.push((
            "/audit",
            "Audit log",
            policy::may_somewhere(actor, Action::ViewAudit),
        ));
        nav.push(("/account", "Your account", true));
        Chrome {
            title: title.to_string(),
            user_name: Some(ctx.user.display_name.clone()),
            roles: ctx
                .actor
                .roles()
                .iter()
                .map(|r| r.label())
                .collect::<Vec<_>>()
                .join(", "),
            nav: nav
                .into_iter()
                .filter(|(_, _, shown)| *shown)
                .map(|(href, label, _)| NavItem {
                    href,
                    label,
                    current: href == section,
                })
                .collect(),
            csrf_token: ctx.csrf_token.clone(),
            idle_seconds: ctx.idle_timeout_secs,
        }
    }

    /// For the second-factor pages: signed in, but nowhere to go yet.
    pub fn partway(ctx: &SessionContext, title: &str) -> Self {
        Chrome {
            title: title.to_string(),
            user_name: Some(ctx.user.display_name.clone()),
            roles: String::new(),
            nav: Vec::new(),
            csrf_token: ctx.csrf_token.clone(),
            idle_seconds: ctx.idle_timeout_secs,
        }
    }
}
