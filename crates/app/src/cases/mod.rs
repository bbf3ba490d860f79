//! Casework: a case opened when a referral is accepted, allocated to a
//! caseworker, with needs, plan, contacts, notes, tasks, onward referrals and
//! closure with the cope-and-recover outcomes. A closed case is read-only.

mod allocate;
pub(crate) use allocate::{assign, holder_in};
mod close;
mod contact;
mod dashboard;
mod input;
mod list;
pub mod messages;
mod needs;
mod notes;
mod onward;
mod open;
mod people;
mod plan;
mod reopen;
mod show;
mod tasks;

pub use close::Closure;
pub use dashboard::{Dashboard, WEEKS, Week, WorkerLoad};
pub use input::ContactInput;
pub use people::PersonView;
pub use show::CaseDetail;
pub use store::cases::{CaseFilter, CaseSort, ListedCase, TaskSort, WorkerFilter};

use domain::cases::CaseStatus;
use domain::policy::{self, Action, Actor};
use store::cases::Case;
use store::directory::Service;

use crate::cases::messages::CaseMessage;
use crate::directory::place_of_service;
use crate::{App, AppError, Result};

pub(crate) fn optional(value: &str) -> Option<String> {
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_string())
}

/// A due date as entered: a real date, within a year before `today` and five
/// years after (a task due in 0001 or 9999 is a slip, not a plan). Adds the
/// field's error otherwise.
pub(crate) fn due_date(
    errors: &mut domain::validation::FieldErrors,
    field: &str,
    text: &str,
    today: jiff::civil::Date,
    unreadable: CaseMessage,
) -> Option<jiff::civil::Date> {
    use jiff::ToSpan;
    let Ok(day) = domain::values::Day::parse(text).map(|d| d.date()) else {
        errors.add(field, unreadable);
        return None;
    };
    let earliest = today.saturating_sub(1.year());
    let latest = today.saturating_add(5.years());
    if day < earliest || day > latest {
        errors.add(field, CaseMessage::DueDateOutOfRange);
        return None;
    }
    Some(day)
}

pub(crate) fn case_place(case: &Case) -> policy::Place {
    policy::Place {
        service_id: Some(case.service_id.clone()),
        region_id: case.commissioner_region_id.clone(),
        team_id: case.caseworker_team_id.clone(),
        worker_id: case.caseworker_id.clone(),
        restricted: case.restricted != 0,
        ..policy::Place::default()
    }
}

impl App {
    pub(crate) async fn service_by_id(&self, id: &str) -> Result<Service> {
        let everything = policy::Visibility {
            everything: true,
            ..Default::default()
        };
        let mut conn = self.db.conn().await?;
        store::directory::find_service(&mut conn, id, &everything)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// A case the actor may change: visible, permitted, and still open. For
    /// checking input before the change; the change itself checks again,
    /// under the writer's lock, with [`crate::Write::open_case`].
    pub(crate) async fn open_case_for(
        &self,
        actor: &Actor,
        id: &str,
        action: Action,
    ) -> Result<(Case, Service)> {
        let case = self.visible_case(actor, id).await?;
        let service = self.service_by_id(&case.service_id).await?;
        may_change_case(actor, action, &case, &service)?;
        Ok((case, service))
    }
}

/// The rule for changing a case: the action is allowed in its service, and
/// the case is still open. Checked early for a quick answer, and again under
/// the writer's lock by [`crate::Write::open_case`].
pub(crate) fn may_change_case(
    actor: &Actor,
    action: Action,
    case: &Case,
    service: &Service,
) -> Result<()> {
    if !policy::may(actor, action, &place_of_service(service)) {
        return Err(AppError::Forbidden);
    }
    if case.status != CaseStatus::Open.code() {
        return Err(AppError::invalid(
            "case",
            CaseMessage::CaseClosedCannotChangedReopening,
        ));
    }
    Ok(())
}
