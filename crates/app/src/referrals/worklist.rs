//! The referral worklist and each referral's deadlines.

use domain::policy::{self, Action, Actor};
use domain::victims_code::{Deadline, DeadlineState};
use jiff::civil::Date;
use store::referrals::{Referral, ReferralFilter, ReferralSort};

use crate::calendar::uk_time_zone;
use crate::clock::parse_instant;
use crate::paging::{ListRequest, PAGE_SIZE, Page};
use crate::{App, AppError, Result};

/// A referral with its deadlines worked out for today.
#[derive(Debug, Clone)]
pub struct WorkItem {
    pub referral: Referral,
    pub deadlines: Vec<DeadlineView>,
}

/// Deadlines of a referral for `today`.
pub fn deadlines(referral: &Referral, today: Date) -> Vec<DeadlineView> {
    let parse = |text: &Option<String>| text.as_deref().and_then(|t| t.parse::<Date>().ok());
    let received = parse_instant(&referral.received_at).map(|t| t.to_zoned(uk_time_zone()).date());
    let first_contact = parse(&referral.first_contact_on);
    // Once a referral is triaged (not contactable, declined…) nobody will
    // act on its deadlines: one still open is missed, not overdue.
    let ended = referral.status != domain::journey::ReferralStatus::New.code();
    let mut views = Vec::new();
    let mut push = |label, due: Option<Date>, done: Option<Date>| {
        if let Some(due) = due {
            let state = Deadline {
                clock: String::new(),
                due,
                done_on: done,
            }
            .state(today);
            let state = match state {
                DeadlineState::Overdue | DeadlineState::DueToday if ended => DeadlineState::Missed,
                other => other,
            };
            views.push(DeadlineView {
                label,
                due: due.to_string(),
                state,
            });
        }
    };
    push(
        "Referral passed on",
        parse(&referral.passed_due_on),
        received,
    );
    push(
        "Information to the victim",
        referral.information_due_on.parse().ok(),
        first_contact,
    );
    push(
        "First contact",
        referral.contact_due_on.parse().ok(),
        first_contact,
    );
    views
}

/// Which referrals the worklist shows.
#[derive(Debug, Clone, Default)]
pub struct WorklistFilter {
    /// One status, or every status.
    pub status: Option<String>,
    pub due: Option<DueFilter>,
    pub crime_type: Option<String>,
    pub area_id: Option<String>,
}

/// Referrals awaiting first contact by the state of their information deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DueFilter {
    Overdue,
    DueToday,
}

/// One deadline of a referral, as the worklist shows it.
#[derive(Debug, Clone)]
pub struct DeadlineView {
    pub label: &'static str,
    pub due: String,
    pub state: DeadlineState,
}

impl DeadlineView {
    pub fn state_label(&self) -> &'static str {
        match self.state {
            DeadlineState::Met => "Met",
            DeadlineState::Missed => "Missed",
            DeadlineState::DueToday => "Due today",
            DeadlineState::Overdue => "Overdue",
            DeadlineState::Pending => "Due",
        }
    }
}

impl App {
    /// The worklist: a page of the referrals in the services the actor
    /// works in, with each deadline's state today.
    pub async fn worklist(
        &self,
        actor: &Actor,
        filter: &WorklistFilter,
        request: &ListRequest<ReferralSort>,
    ) -> Result<Page<WorkItem>> {
        if !policy::may_somewhere(actor, Action::ViewCases) {
            return Err(AppError::Forbidden);
        }
        let visibility = policy::visibility(actor, Action::ViewCases);
        let today = self.today().to_string();
        let stored = ReferralFilter {
            status: filter.status.clone(),
            due_before: (filter.due == Some(DueFilter::Overdue)).then(|| today.clone()),
            due_on: (filter.due == Some(DueFilter::DueToday)).then(|| today.clone()),
            crime_type: filter.crime_type.clone(),
            area_id: filter.area_id.clone(),
        };
        let mut conn = self.db.conn().await?;
        let page = store::referrals::list(
            &mut conn,
            &visibility,
            &stored,
            request.sort,
            request.descending,
            &request.start,
            PAGE_SIZE,
        )
        .await?;
        Ok(page.map(|r| self.work_item(r)))
    }

    pub(crate) fn work_item(&self, referral: Referral) -> WorkItem {
        let today = self.today();
        WorkItem {
            deadlines: deadlines(&referral, today),
            referral,
        }
    }
}
