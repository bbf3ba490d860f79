//! The home page: the person's own place and what their roles let them do.

use app::cases::TaskSort;
use app::paging::Page;
use app::store::cases::Task;
use app::store::users::User;
use askama::Template;
use axum::response::Response;
use axum::routing::get;
use domain::policy::{self, Action};

use crate::chrome::Chrome;
use crate::errors::render;
use crate::extract::Signed;
use crate::paging::{PageQuery, Pager, SortOption};
use crate::routes::Routes;

/// How the home page's tasks sort: by when they are due first.
const TASK_SORTS: [SortOption<TaskSort>; 3] = [
    SortOption {
        name: "due",
        label: "Due",
        sort: TaskSort::Due,
        descending: false,
    },
    SortOption {
        name: "case",
        label: "Case",
        sort: TaskSort::Case,
        descending: false,
    },
    SortOption {
        name: "task",
        label: "Task",
        sort: TaskSort::Title,
        descending: false,
    },
];

pub fn routes() -> Routes {
    Routes::new().route("/", get(home))
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    chrome: Chrome,
    user: User,
    /// The person's own open tasks, a page at a time (none for roles without casework).
    tasks: Option<(Page<Task>, Pager)>,
    today: String,
    sections: Vec<(&'static str, &'static str, &'static str)>,
    /// The person's own coming duty shifts, with each rota's duty role.
    shifts: Vec<(app::duty::Shift, String)>,
    /// The swaps they asked for, of shifts not yet ended.
    swaps: Vec<app::duty::Swap>,
    /// Cases opened on duty past their handover time, by rota.
    past_handover: Vec<app::duty::PastHandover>,
    notice: Option<String>,
}

async fn home(
    axum::extract::State(state): axum::extract::State<crate::AppState>,
    Signed(ctx): Signed,
    axum::extract::Query(query): axum::extract::Query<PageQuery>,
    axum::extract::Query(done): axum::extract::Query<crate::messages::DoneQuery>,
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
            (
                "/people/duplicates",
                "Possibly the same person",
                "records that may be one victim entered twice, to merge or keep apart",
            ),
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
        let page = state
            .app
            .my_tasks(actor, &query.request(&TASK_SORTS))
            .await?;
        let pager = Pager::new("/", &[], &query, &TASK_SORTS, &page, |t: &Task| {
            t.id.as_str()
        });
        Some((page, pager))
    } else {
        None
    };
    sections.extend(offer(
        Action::ViewCases,
        (
            "/duty",
            "Duty",
            "who is on duty now, and the duty rotas of your services",
        ),
    ));
    let shifts = state.app.my_shifts(actor).await?;
    let swaps = state.app.my_swaps(actor).await?;
    let past_handover = state.app.duty_cases_past_handover(actor).await?;
    Ok(render(&HomePage {
        chrome: Chrome::signed(&ctx, "Home", "/"),
        user: ctx.user.clone(),
        sections,
        shifts,
        swaps,
        past_handover,
        notice: done.notice(),
        tasks,
        today: state.app.today().to_string(),
    }))
}
