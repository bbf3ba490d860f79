//! Which office an actor works for, and whether they may do something to a
//! record of it: checked inside the transaction that acts.

use domain::policy::{self, Action, Actor, Place};

use crate::{App, AppError, Result};

/// Where an office's commissioning records belong: the office, both as
/// its own organisation and as the commissioner it is.
pub fn office_place(office_id: &str) -> Place {
    Place {
        organisation_id: Some(office_id.to_string()),
        commissioner_id: Some(office_id.to_string()),
        ..Place::default()
    }
}

/// Refuses unless the actor may `action` at the office: "not found" for
/// someone who may not even see it, so its records are not confirmed.
pub fn check_office(actor: &Actor, office_id: &str, action: Action) -> Result<()> {
    let place = office_place(office_id);
    if policy::may(actor, action, &place) {
        Ok(())
    } else if policy::may(actor, Action::ViewCommissioning, &place) {
        Err(AppError::Forbidden)
    } else {
        Err(AppError::NotFound)
    }
}

impl App {
    /// Refuses, as `check_office` does, anyone who may not draft decisions
    /// and keep contracts for their office: for the forms that do, so that
    /// a form is not offered to someone whose answer would be refused.
    pub fn check_manages_commissioning(&self, actor: &Actor) -> Result<()> {
        check_office(actor, &actor.organisation_id, Action::ManageCommissioning)
    }
}
