//! The home page: the person's own place and what their roles let them do.

use app::store::users::User;
use askama::Template;
use axum::response::Response;
use axum::routing::get;
use domain::policy::{self, Action};

use crate::chrome::Chrome;
use crate::errors::render;
use crate::extract::Signed;
use crate::routes::Routes;

pub fn routes() -> Routes {
    Routes::new().route("/", get(home))
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    chrome: Chrome,
    user: User,
    tasks: Vec<app::store::cases::Task>,
    today: String,
    sections: Vec<(&'static str, &'static str, &'static str)>,
}

async fn home(
    axum::extract::State(state): axum::extract::State<crate::AppState>,
    Signed(ctx): Signed,
) -> Result<Response, crate::errors::PageError> {
    let actor = &ctx.actor;
    let mut sections = Vec::new();
    sections.extend(if policy::may_somewhere(actor, Action::ViewCases) {
        vec![
            (
                "/referrals",
                "Referrals",
                "new referrals and their Victims' Code deadlines",
            ),
            ("/cases", "Your cases", "the people you are supporting"),
        ]
    } else {
        Vec::new()
    });
    let offer = |action, entry| {
        if policy::may_somewhere(actor, action) {
            Some(entry)
        } else {
            None
        }
    };
    sections.extend(offer(
        Action::AllocateCases,
        (
            "/dashboard",
            "Team dashboard",
            "caseloads, overdue work, deadlines and how referrals and cases are moving",
        ),
    ));
    sections.extend(offer(
        Action::ViewDirectory,
        (
            "/services",
            "Services",
            "your service, its teams and colleagues",
        ),
    ));
    sections.extend(offer(
        Action::ManageStaff,
        (
            "/staff/new",
            "Add a member of staff",
            "give someone an account and a role",
        ),
    ));
    sections.extend(offer(
        Action::ViewStaff,
        ("/staff", "Staff", "who works in the services you manage"),
    ));
    sections.extend(offer(
        Action::ViewAggregates,
        (
            "/figures",
            "Figures",
            "counts for the services you oversee, with no one's identity",
        ),
    ));
    sections.extend(offer(
        Action::ManageDirectory,
        (
            "/organisations",
            "Organisations",
            "commissioners, providers, police and partners",
        ),
    ));
    sections.extend(offer(
        Action::ManageTokens,
        (
            "/tokens",
            "API tokens",
            "access for machine clients such as police referral feeds",
        ),
    ));
    sections.extend(offer(
        Action::ViewAudit,
        (
            "/audit",
            "Audit log",
            "every change and sign-in, chained so tampering shows",
        ),
    ));
    let tasks = if policy::may_somewhere(actor, Action::ManageCases) {
        state.app.my_tasks(actor).await?
    } else {
        Vec::new()
    };
    Ok(render(&HomePage {
        chrome: Chrome::signed(&ctx, "Home", "/"),
        user: ctx.user.clone(),
        sections,
        tasks,
        today: state.app.today().to_string(),
    }))
}
