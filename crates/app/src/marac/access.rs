//! Who reaches a MARAC's records: its roles, through the policy, and the
//! agency a member speaks for.

use domain::policy::{self, Action, Actor, Place};
use store::marac::{Agency, MaracReferral, Meeting};

use crate::{AppError, Result};

/// Where a MARAC's meeting, or a case on its agenda, belongs.
pub fn marac_place(marac_id: &str) -> Place {
    Place {
        marac_id: Some(marac_id.to_string()),
        ..Place::default()
    }
}

/// Refuses an actor who may not do `action` at this MARAC: a MARAC they
/// cannot see at all is not found, the same as one that does not exist.
pub(crate) fn check(actor: &Actor, marac_id: &str, action: Action) -> Result<()> {
    let place = marac_place(marac_id);
    if !policy::may(actor, Action::ViewMarac, &place) {
        return Err(AppError::NotFound);
    }
    if !policy::may(actor, action, &place) {
        return Err(AppError::Forbidden);
    }
    Ok(())
}

/// A meeting the actor may do `action` at.
pub(crate) async fn meeting_for(
    conn: &mut store::Conn,
    actor: &Actor,
    id: &str,
    action: Action,
) -> Result<Meeting> {
    let meeting = store::marac::meeting(conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    check(actor, &meeting.marac_id, action)?;
    Ok(meeting)
}

/// A case on an agenda that the actor may do `action` to.
pub(crate) async fn referral_for(
    conn: &mut store::Conn,
    actor: &Actor,
    id: &str,
    action: Action,
) -> Result<MaracReferral> {
    let referral = store::marac::referral(conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    check(actor, &referral.marac_id, action)?;
    Ok(referral)
}

/// The member agency the actor speaks for at this MARAC: the one whose
/// organisation is theirs.
pub(crate) async fn agency_of(
    conn: &mut store::Conn,
    actor: &Actor,
    marac_id: &str,
) -> Result<Option<Agency>> {
    Ok(store::marac::agencies(conn, marac_id)
        .await?
        .into_iter()
        .find(|a| a.organisation_id.as_deref() == Some(actor.organisation_id.as_str())))
}
